"""Every Deployment, as rendered by every kustomization, follows the hardening rules."""

from __future__ import annotations

import re

import pytest
import yaml
from tests.unit.deploy.deploy_support import (
    DEPLOYED,
    KUBERNETES,
    KUSTOMIZATIONS,
    WEB,
    Manifest,
    by_name,
    of_kind,
)

pytestmark = [pytest.mark.unit, pytest.mark.timeout(900)]

#: RUEDA_GRACEFUL_TIMEOUT_S: how long a service drains in-flight messages after SIGTERM.
GRACEFUL_TIMEOUT_S = 15
IMAGE = re.compile(
    r"^[a-z0-9./-]+(:(?P<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(@sha256:[0-9a-f]{64})?$"
)
HARDENING_CASES = [(name, service) for name in KUSTOMIZATIONS for service in DEPLOYED]


def _deployment(rendered: dict[str, list[Manifest]], name: str, service: str) -> Manifest:
    return by_name(rendered[name], "Deployment")[service]


@pytest.mark.parametrize(("name", "service"), HARDENING_CASES)
def test_pod_runs_as_non_root_with_seccomp(
    rendered: dict[str, list[Manifest]], name: str, service: str
) -> None:
    pod = _deployment(rendered, name, service)["spec"]["template"]["spec"]
    context = pod["securityContext"]
    assert context["runAsNonRoot"] is True
    assert context["runAsUser"] > 0
    assert context["runAsGroup"] > 0
    assert context["seccompProfile"]["type"] == "RuntimeDefault"
    assert pod["automountServiceAccountToken"] is False
    assert not pod.get("hostNetwork")
    assert not pod.get("hostPID")
    assert not pod.get("hostIPC")


@pytest.mark.parametrize(("name", "service"), HARDENING_CASES)
def test_containers_are_locked_down(
    rendered: dict[str, list[Manifest]], name: str, service: str
) -> None:
    pod = _deployment(rendered, name, service)["spec"]["template"]["spec"]
    for container in pod["containers"] + pod.get("initContainers", []):
        context = container["securityContext"]
        assert context["readOnlyRootFilesystem"] is True
        assert context["allowPrivilegeEscalation"] is False
        assert context.get("privileged", False) is False
        assert context["capabilities"]["drop"] == ["ALL"]
        assert not context["capabilities"].get("add")
        # A read-only root still needs a writable /tmp, and only there.
        mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
        assert "/tmp" in mounts


@pytest.mark.parametrize(("name", "service"), HARDENING_CASES)
def test_probes_resources_and_image(
    rendered: dict[str, list[Manifest]], name: str, service: str
) -> None:
    deployment = _deployment(rendered, name, service)
    pod = deployment["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["command"] == ["python", "-m", f"rueda.{service}"]

    assert container["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"http": 8080}
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert container[probe]["httpGet"]["port"] in ("http", 8080)

    resources = container["resources"]
    for kind in ("cpu", "memory"):
        assert resources["requests"][kind], kind
        assert resources["limits"][kind], kind

    match = IMAGE.match(container["image"])
    assert match, container["image"]
    assert match["tag"] or "@sha256:" in container["image"], "images carry an explicit tag"
    assert match["tag"] != "latest"
    assert container.get("imagePullPolicy") != "Always" or "@sha256:" in container["image"]


@pytest.mark.parametrize(("name", "service"), HARDENING_CASES)
def test_termination_grace_outlasts_the_graceful_shutdown(
    rendered: dict[str, list[Manifest]], name: str, service: str
) -> None:
    pod = _deployment(rendered, name, service)["spec"]["template"]["spec"]
    [container] = pod["containers"]
    pre_stop = container.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
    assert pod["terminationGracePeriodSeconds"] > GRACEFUL_TIMEOUT_S + pre_stop


@pytest.mark.parametrize(("name", "service"), HARDENING_CASES)
def test_settings_come_from_config_maps_and_secret_references(
    rendered: dict[str, list[Manifest]], name: str, service: str
) -> None:
    pod = _deployment(rendered, name, service)["spec"]["template"]["spec"]
    [container] = pod["containers"]
    env = {e["name"]: e for e in container.get("env", [])}
    secret = "RUEDA_SESSION_SECRET" if service == WEB else "RUEDA_MONGO_URI"
    assert env[secret]["valueFrom"]["secretKeyRef"]["name"] == "rueda-secrets"
    for variable in env.values():
        if re.search(r"SECRET|PASSWORD|MONGO_URI|USERNAME", variable["name"]):
            assert "value" not in variable, f"{variable['name']} must come from a Secret"
    sources = [s["configMapRef"]["name"] for s in container["envFrom"]]
    assert any(s.startswith("rueda-config") for s in sources)


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_network_policies_deny_by_default(rendered: dict[str, list[Manifest]], name: str) -> None:
    policies = by_name(rendered[name], "NetworkPolicy")
    deny = policies["default-deny-all"]["spec"]
    assert deny["podSelector"] == {}
    assert set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny
    assert "egress" not in deny

    def egress_ports(policy: str) -> set[int]:
        return {p["port"] for rule in policies[policy]["spec"]["egress"] for p in rule["ports"]}

    assert egress_ports("allow-dns") == {53}
    assert egress_ports("allow-kafka") == {9092}
    assert egress_ports("allow-mongodb") == {27017}
    assert egress_ports("gateway-to-services") == {8080}
    assert {25, 465, 587, 443} <= egress_ports("notifications-egress")
    webhook_rules = [r for r in policies["notifications-egress"]["spec"]["egress"] if "to" in r]
    for rule in webhook_rules:
        for peer in rule["to"]:
            assert "10.0.0.0/8" in peer["ipBlock"]["except"], "webhooks must not reach inside"


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_declared_image_pins_take_effect(rendered: dict[str, list[Manifest]], name: str) -> None:
    """An `images:` entry whose name matches nothing is silently ignored by kustomize."""
    kustomization = yaml.safe_load((KUBERNETES / name / "kustomization.yaml").read_text())
    images = {
        f"{p['name']}": f"{p.get('newName', p['name'])}:{p['newTag']}"
        for p in kustomization.get("images", [])
    }
    rendered_images = {
        c["image"]
        for d in of_kind(rendered[name], "Deployment")
        for c in d["spec"]["template"]["spec"]["containers"]
    }
    for pin in images.values():
        assert rendered_images == {pin}, f"{name}: images entry has no effect"
