"""Shared constants and helpers of the deploy checks (imported by conftest and the tests)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
#: What `kustomize build` must render: the base on its own, every overlay and the examples.
KUSTOMIZATIONS = ("base", "overlays/dev", "overlays/prod", "examples/managed-services")
OVERLAYS = ("overlays/dev", "overlays/prod", "examples/managed-services")
#: The kustomizations that run on Strimzi (KafkaTopic and KafkaUser resources).
WITH_STRIMZI = ("base", "overlays/dev", "overlays/prod")
#: Every deployable service, each run as `python -m rueda.<name>`.
SERVICES = ("registration", "matching", "scheduling", "notifications", "deals", "gateway")
CONSUMERS = tuple(s for s in SERVICES if s != "gateway")
#: The web app: deployed like a service (one image, `python -m rueda.web`), but a client of
#: the gateway that needs neither Kafka nor MongoDB.
WEB = "web"
DEPLOYED = (*SERVICES, WEB)
#: Kubernetes version whose schemas (bundled in kubernetes-validate) the objects must satisfy.
KUBERNETES_VERSION = "1.33"

Manifest = dict[str, Any]


def load_yaml_documents(text: str) -> list[Manifest]:
    return [doc for doc in yaml.safe_load_all(text) if doc]


def of_kind(manifests: list[Manifest], kind: str) -> list[Manifest]:
    return [m for m in manifests if m["kind"] == kind]


def by_name(manifests: list[Manifest], kind: str) -> dict[str, Manifest]:
    return {m["metadata"]["name"]: m for m in of_kind(manifests, kind)}


def config_map(manifests: list[Manifest], name: str) -> Manifest:
    """The generated ConfigMap `name` (kustomize appends a content hash to the name)."""
    [found] = [
        m
        for m in of_kind(manifests, "ConfigMap")
        if m["metadata"]["name"].rpartition("-")[0] == name
    ]
    return found
