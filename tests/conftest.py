"""Fixtures shared by every tier: servers, fresh topic prefixes and databases."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from tests.support.servers import Servers, find_servers

from rueda.cli.infra import create_topics, delete_topics
from rueda.shared.settings import RuedaSettings


@pytest.fixture
def workdir() -> Iterator[Path]:
    """A private temporary folder (pytest's numbered tmp dirs can be pruned by a concurrent run)."""
    with tempfile.TemporaryDirectory(prefix="rueda-test-") as name:
        yield Path(name)


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    found = find_servers()
    yield found
    found.stop()


@pytest.fixture
async def prefix(servers: Servers) -> AsyncIterator[str]:
    """A fresh topic prefix with every registry topic created (2 partitions each)."""
    name = f"t{uuid.uuid4().hex[:10]}."
    await create_topics(servers.kafka_bootstrap, prefix=name, partitions=2)
    yield name
    await delete_topics(servers.kafka_bootstrap, name)


@pytest.fixture
def make_settings(servers: Servers, prefix: str) -> Callable[..., RuedaSettings]:
    """Settings for a service under test: fresh topics and a fresh database."""
    run = prefix.strip(".")

    def build(service: str, cls: type[RuedaSettings] = RuedaSettings, **overrides: object):
        values: dict[str, object] = {
            "env": "development",
            "service_name": service,
            "kafka_bootstrap": servers.kafka_bootstrap,
            "mongo_uri": servers.mongo_uri,
            "kafka_idempotence": servers.idempotence,
            "topic_prefix": prefix,
            "db_name": f"{run}_{service}",
            "fetch_max_wait_ms": 50,
            "kafka_session_timeout_ms": 3000,
            "kafka_heartbeat_interval_ms": 500,
            "outbox_poll_s": 0.2,
            "retry_backoff_s": 0.05,
            "log_format": "json",
        }
        values.update(overrides)
        return cls(**values)

    return build


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.support.counters import COUNTS, FINDINGS

    if COUNTS:
        terminalreporter.section("rueda test figures")
        for name, value in sorted(COUNTS.items()):
            terminalreporter.write_line(f"{name}: {value}")
    if FINDINGS:
        terminalreporter.section("rueda findings")
        for line in FINDINGS:
            terminalreporter.write_line(line)
