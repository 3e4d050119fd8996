"""Every kustomization renders, and every object in it is valid for the cluster.

Core objects are validated in strict mode (no unknown fields) against the Kubernetes
schemas bundled in kubernetes-validate. Custom resources have no schema there: their
required fields are checked here, by hand, for the operators that read them.
"""

from __future__ import annotations

import re

import kubernetes_validate
import pytest
from tests.unit.deploy.deploy_support import (
    CONSUMERS,
    DEPLOYED,
    KUBERNETES_VERSION,
    KUSTOMIZATIONS,
    OVERLAYS,
    WEB,
    WITH_STRIMZI,
    Manifest,
    by_name,
    config_map,
    of_kind,
)

pytestmark = [pytest.mark.unit, pytest.mark.timeout(900)]

CUSTOM_KINDS = {
    ("kafka.strimzi.io/v1", "KafkaTopic"),
    ("kafka.strimzi.io/v1", "KafkaUser"),
    ("keda.sh/v1alpha1", "ScaledObject"),
}
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_core_objects_validate_strictly(rendered: dict[str, list[Manifest]], name: str) -> None:
    errors = []
    for manifest in rendered[name]:
        if (manifest["apiVersion"], manifest["kind"]) in CUSTOM_KINDS:
            continue
        try:
            kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            path = "/".join(str(p) for p in error.path)
            errors.append(
                f"{manifest['kind']}/{manifest['metadata']['name']} {path}: {error.message}"
            )
        except kubernetes_validate.SchemaNotFoundError as error:
            errors.append(error.message)
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_every_object_is_named_once_and_labelled(
    rendered: dict[str, list[Manifest]], name: str
) -> None:
    seen: set[tuple[str, str]] = set()
    for manifest in rendered[name]:
        key = (manifest["kind"], manifest["metadata"]["name"])
        assert key not in seen, f"{key} rendered twice"
        seen.add(key)
        assert DNS_SUBDOMAIN.match(manifest["metadata"]["name"]), key
        assert manifest["metadata"]["labels"]["app.kubernetes.io/part-of"] == "rueda", key


NAMESPACES = {
    "overlays/dev": "rueda-dev",
    "overlays/prod": "rueda",
    "examples/managed-services": "rueda",
}


@pytest.mark.parametrize(("name", "namespace"), NAMESPACES.items())
def test_overlays_place_everything_in_their_namespace(
    rendered: dict[str, list[Manifest]], name: str, namespace: str
) -> None:
    namespaces = of_kind(rendered[name], "Namespace")
    assert [n["metadata"]["name"] for n in namespaces] == [namespace]
    assert namespaces[0]["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    for manifest in rendered[name]:
        if manifest["kind"] != "Namespace":
            assert manifest["metadata"].get("namespace") == namespace, manifest["metadata"]


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_every_service_has_its_objects(rendered: dict[str, list[Manifest]], name: str) -> None:
    manifests = rendered[name]
    for kind in ("Deployment", "Service", "PodDisruptionBudget"):
        assert set(by_name(manifests, kind)) == set(DEPLOYED), kind
    assert set(by_name(manifests, "ScaledObject")) == set(CONSUMERS)
    assert set(by_name(manifests, "HorizontalPodAutoscaler")) == {"gateway", WEB}
    assert set(by_name(manifests, "Ingress")) == {"gateway", WEB}


@pytest.mark.parametrize("name", WITH_STRIMZI)
def test_kafka_topics_have_what_strimzi_needs(
    rendered: dict[str, list[Manifest]], name: str
) -> None:
    topics = of_kind(rendered[name], "KafkaTopic")
    assert topics
    for topic in topics:
        labels = topic["metadata"]["labels"]
        spec = topic["spec"]
        assert labels["strimzi.io/cluster"] == "rueda"
        assert spec["topicName"] == topic["metadata"]["name"]
        assert isinstance(spec["partitions"], int)
        assert spec["partitions"] >= 1
        assert isinstance(spec["replicas"], int)
        assert spec["replicas"] >= 1
        assert 1 <= spec["config"]["min.insync.replicas"] <= spec["replicas"]
        assert int(spec["config"]["retention.ms"]) > 0
        assert spec["config"]["cleanup.policy"] == "delete"


def _replication(manifests: list[Manifest]) -> set[tuple[int, int]]:
    return {
        (t["spec"]["replicas"], t["spec"]["config"]["min.insync.replicas"])
        for t in of_kind(manifests, "KafkaTopic")
    }


def test_dev_runs_on_one_broker_and_prod_on_three(rendered: dict[str, list[Manifest]]) -> None:
    assert _replication(rendered["overlays/dev"]) == {(1, 1)}
    assert _replication(rendered["overlays/prod"]) == {(3, 2)}


@pytest.mark.parametrize("name", WITH_STRIMZI)
def test_agencies_read_closed_deals_only(rendered: dict[str, list[Manifest]], name: str) -> None:
    users = of_kind(rendered[name], "KafkaUser")
    assert users, "one KafkaUser per agency"
    for user in users:
        agency = user["metadata"]["name"].removeprefix("agency-")
        assert user["metadata"]["name"].startswith("agency-")
        assert user["metadata"]["labels"]["strimzi.io/cluster"] == "rueda"
        assert user["metadata"]["labels"]["rueda.io/agency"]
        assert user["spec"]["authentication"]["type"] in {"scram-sha-512", "tls"}
        authorization = user["spec"]["authorization"]
        assert authorization["type"] == "simple"
        grants = {
            (acl["resource"]["type"], acl["resource"]["name"], acl["resource"]["patternType"]): set(
                acl["operations"]
            )
            for acl in authorization["acls"]
        }
        assert all(acl.get("type", "allow") == "allow" for acl in authorization["acls"])
        assert grants == {
            ("topic", "deals.closed.v1", "literal"): {"Read", "Describe"},
            ("group", f"agency.{agency}.", "prefix"): {"Read"},
        }, user["metadata"]["name"]


@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_scaled_objects_target_their_deployment(
    rendered: dict[str, list[Manifest]], name: str
) -> None:
    manifests = rendered[name]
    deployments = by_name(manifests, "Deployment")
    bootstrap = config_map(manifests, "rueda-config")["data"]["RUEDA_KAFKA_BOOTSTRAP"]
    for scaled in of_kind(manifests, "ScaledObject"):
        spec = scaled["spec"]
        target = spec["scaleTargetRef"]["name"]
        assert target == scaled["metadata"]["name"]
        assert target in deployments
        assert "replicas" not in deployments[target]["spec"], "KEDA owns the replica count"
        assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"]
        assert spec["triggers"]
        for trigger in spec["triggers"]:
            meta = trigger["type"], trigger["metadata"]
            assert trigger["type"] == "kafka", meta
            assert trigger["metadata"]["consumerGroup"] == f"rueda-{target}", meta
            assert trigger["metadata"]["bootstrapServers"] == bootstrap
            assert int(trigger["metadata"]["lagThreshold"]) > 0
            assert trigger["metadata"]["topic"]


@pytest.mark.parametrize("name", OVERLAYS)
def test_no_secret_is_rendered(rendered: dict[str, list[Manifest]], name: str) -> None:
    assert not of_kind(rendered[name], "Secret"), "secrets are created out of band"
    for config in of_kind(rendered[name], "ConfigMap"):
        for key in config.get("data", {}):
            assert not re.search(r"SECRET|PASSWORD|MONGO_URI|TOKEN", key), key


def test_prod_gateway_signs_with_asymmetric_keys(rendered: dict[str, list[Manifest]]) -> None:
    gateway = by_name(rendered["overlays/prod"], "Deployment")["gateway"]
    [container] = gateway["spec"]["template"]["spec"]["containers"]
    env = {e["name"]: e for e in container.get("env", [])}
    assert "RUEDA_JWT_SECRET" not in env
    keys = env["RUEDA_JWT_SIGNING_KEYS"]["valueFrom"]["secretKeyRef"]
    assert keys == {"name": "rueda-secrets", "key": "jwt-signing-keys"}
    prod = rendered["overlays/prod"]
    assert config_map(prod, "rueda-gateway")["data"]["RUEDA_JWT_ISSUER"].startswith("https://")
    assert config_map(prod, "rueda-config")["data"]["RUEDA_ENV"] == "production"


def test_managed_services_example_drops_strimzi_and_moves_kafka(
    rendered: dict[str, list[Manifest]],
) -> None:
    managed = rendered["examples/managed-services"]
    assert not [m for m in managed if m["apiVersion"].startswith("kafka.strimzi.io/")]
    bootstrap = config_map(managed, "rueda-config")["data"]["RUEDA_KAFKA_BOOTSTRAP"]
    assert bootstrap.startswith("b-1.kafka.example.net")
    triggers = [t for s in of_kind(managed, "ScaledObject") for t in s["spec"]["triggers"]]
    assert {t["metadata"]["bootstrapServers"] for t in triggers} == {bootstrap}
