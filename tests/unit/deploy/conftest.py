"""Fixtures of the deploy checks: kustomize and the rendered base and overlays.

Everything here is offline. kustomize comes from $KUSTOMIZE, from Rueda's cache (installed
from the Go module proxy by deploy/tools/install-kustomize.sh on first use) or from PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from tests.unit.deploy.deploy_support import (
    DEPLOY,
    KUBERNETES,
    KUSTOMIZATIONS,
    Manifest,
    load_yaml_documents,
)


def _find_kustomize() -> str:
    if configured := os.environ.get("KUSTOMIZE"):
        return configured
    script = DEPLOY / "tools" / "install-kustomize.sh"
    installed = subprocess.run(
        ["bash", str(script)], capture_output=True, text=True, timeout=900, check=False
    )
    if installed.returncode == 0:
        return installed.stdout.strip().splitlines()[-1]
    if on_path := shutil.which("kustomize"):
        return on_path
    pytest.fail(
        "kustomize is needed: set $KUSTOMIZE, install Go (the script builds it from the Go "
        f"module proxy) or put kustomize on PATH.\n{installed.stderr}"
    )


@pytest.fixture(scope="session")
def kustomize() -> str:
    return _find_kustomize()


@pytest.fixture(scope="session")
def rendered(kustomize: str) -> dict[str, list[Manifest]]:
    """`kustomize build` of the base and of every overlay, parsed."""
    out: dict[str, list[Manifest]] = {}
    for name in KUSTOMIZATIONS:
        built = subprocess.run(
            [kustomize, "build", str(KUBERNETES / name)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert built.returncode == 0, f"kustomize build {name} failed:\n{built.stderr}"
        out[name] = load_yaml_documents(built.stdout)
    return out
