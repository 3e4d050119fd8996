"""deploy/compose.yaml parses, names every service with a healthcheck, and starts in order."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from tests.unit.deploy.deploy_support import DEPLOY, DEPLOYED, SERVICES

pytestmark = pytest.mark.unit

INFRASTRUCTURE = {"kafka", "mongo", "mailpit"}
ONE_SHOT = {"kafka-topics", "mongo-init"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    parsed: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    return parsed


def test_names_every_service(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == set(DEPLOYED) | INFRASTRUCTURE | ONE_SHOT


def test_every_long_running_container_has_a_healthcheck(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        if name in ONE_SHOT:
            assert service["restart"] == "no", name
            continue
        check = service.get("healthcheck")
        assert check, name
        assert check["test"][0] in {"CMD", "CMD-SHELL"}, name
        assert check.get("disable") is not True, name


def test_services_wait_for_healthy_dependencies(compose: dict[str, Any]) -> None:
    for name in SERVICES:
        depends = compose["services"][name]["depends_on"]
        assert {"kafka", "mongo", "kafka-topics"} <= set(depends), name
        for dependency, condition in depends.items():
            completed = dependency in ONE_SHOT
            expected = "service_completed_successfully" if completed else "service_healthy"
            assert condition["condition"] == expected, (name, dependency)
    gateway = compose["services"]["gateway"]["depends_on"]
    assert set(SERVICES) - {"gateway"} <= set(gateway)
    mongo_init = compose["services"]["mongo-init"]["depends_on"]
    assert mongo_init["mongo"]["condition"] == "service_started"


def test_services_run_hardened_from_the_one_image(compose: dict[str, Any]) -> None:
    images = set()
    for name in SERVICES:
        service = compose["services"][name]
        images.add(service["image"])
        assert service["build"]["dockerfile"] == "deploy/docker/Dockerfile"
        assert service["read_only"] is True
        assert service["cap_drop"] == ["ALL"]
        assert "no-new-privileges:true" in service["security_opt"]
        assert "/tmp" in service["tmpfs"]
        assert service["healthcheck"]["test"][-1].count("/readyz") == 1
        environment = service["environment"]
        assert environment["RUEDA_ENV"] == "development"
        assert environment["RUEDA_KAFKA_BOOTSTRAP"] == "kafka:9092"
        assert "replicaSet=rs0" in environment["RUEDA_MONGO_URI"]
    assert len(images) == 1


def test_infrastructure_is_pinned_and_kafka_is_kraft(compose: dict[str, Any]) -> None:
    for name in INFRASTRUCTURE | ONE_SHOT:
        image = compose["services"][name]["image"]
        repository, _, tag = image.rpartition(":")
        assert repository, image
        assert tag != "latest", image
        assert any(c.isdigit() for c in tag), f"{image}: pin an exact version"
    kafka = compose["services"]["kafka"]
    assert kafka["image"].startswith("apache/kafka:")
    assert kafka["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert kafka["environment"]["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    assert "--replSet" in compose["services"]["mongo"]["command"]
    assert "rs.initiate" in "\n".join(compose["services"]["mongo-init"]["command"])
