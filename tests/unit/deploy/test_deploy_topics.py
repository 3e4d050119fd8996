"""The deployed topics are the topic registry's: Strimzi, KEDA and compose cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from tests.unit.deploy.deploy_support import (
    CONSUMERS,
    DEPLOY,
    KUBERNETES,
    KUSTOMIZATIONS,
    Manifest,
    of_kind,
)

from rueda.cli.deploy_gen import DLQ_MIN_RETENTION_MS, render_kafka_topics, write_kafka_topics
from rueda.shared.contracts import TOPICS

GENERATED = KUBERNETES / "base" / "kafka-topics.yaml"


def _consumed_by(service: str) -> set[str]:
    return {spec.name for spec in TOPICS if service in spec.readers}


@pytest.mark.unit
def test_generated_topics_match_the_registry() -> None:
    assert GENERATED.read_text(encoding="utf-8") == render_kafka_topics(), (
        "deploy/kubernetes/base/kafka-topics.yaml is stale: run "
        "`uv run python -m rueda.cli.deploy_gen deploy/kubernetes/base/kafka-topics.yaml`"
        " (or `rueda deploy topics`)"
    )


@pytest.mark.unit
def test_rendering_is_deterministic_and_written_as_rendered(tmp_path: Path) -> None:
    target = tmp_path / "out" / "kafka-topics.yaml"
    write_kafka_topics(target)
    assert target.read_text(encoding="utf-8") == render_kafka_topics() == render_kafka_topics()


@pytest.mark.unit
def test_every_topic_and_its_dead_letter_twin_is_a_kafka_topic() -> None:
    documents = {d["metadata"]["name"]: d for d in yaml.safe_load_all(render_kafka_topics()) if d}
    expected = {spec.name for spec in TOPICS} | {spec.dlq for spec in TOPICS}
    assert set(documents) == expected
    for spec in TOPICS:
        topic, twin = documents[spec.name], documents[spec.dlq]
        assert topic["spec"]["partitions"] == spec.partitions
        assert topic["spec"]["config"]["retention.ms"] == spec.retention_ms
        assert topic["metadata"]["labels"]["rueda.io/owner"] == spec.owner
        assert topic["metadata"]["labels"]["rueda.io/public"] == str(spec.public).lower()
        assert twin["metadata"]["labels"]["rueda.io/dead-letter"] == "true"
        assert twin["spec"]["config"]["retention.ms"] >= DLQ_MIN_RETENTION_MS


@pytest.mark.unit
@pytest.mark.timeout(900)
@pytest.mark.parametrize("name", KUSTOMIZATIONS)
def test_each_consumer_scales_on_exactly_the_topics_it_reads(
    rendered: dict[str, list[Manifest]], name: str
) -> None:
    partitions = {spec.name: spec.partitions for spec in TOPICS}
    scaled = {s["metadata"]["name"]: s for s in of_kind(rendered[name], "ScaledObject")}
    assert set(scaled) == set(CONSUMERS)
    for service in CONSUMERS:
        triggers = scaled[service]["spec"]["triggers"]
        topics = [t["metadata"]["topic"] for t in triggers]
        assert sorted(topics) == sorted(_consumed_by(service)), service
        # More group members than partitions would sit idle.
        bound = max(partitions[t] for t in topics)
        assert scaled[service]["spec"]["maxReplicaCount"] <= bound, service


def _compose_topic_job() -> str:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    return "\n".join(compose["services"]["kafka-topics"]["command"])


@pytest.mark.unit
def test_compose_creates_every_registry_topic() -> None:
    script = _compose_topic_job()
    created = {
        m["name"]: (int(m["partitions"]), int(m["retention"]))
        for m in re.finditer(
            r"^\s*create (?P<name>\S+) (?P<partitions>\d+) (?P<retention>\d+)\s*$", script, re.M
        )
    }
    assert created == {spec.name: (spec.partitions, spec.retention_ms) for spec in TOPICS}
    assert '"$$1.dlq"' in script, "each topic's dead-letter twin is created too"
    assert f"-lt {DLQ_MIN_RETENTION_MS}" in script
