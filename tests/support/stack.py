"""Services as separate processes on real Kafka and SecantusDB (the CLI's stack, with the
fast test settings)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from rueda.cli.stack import WITH_WEB, Stack, run_stack

__all__ = ["Stack", "stack"]

TEST_ENV = {
    "RUEDA_ENV": "development",
    "RUEDA_FETCH_MAX_WAIT_MS": "50",
    "RUEDA_KAFKA_SESSION_TIMEOUT_MS": "3000",
    "RUEDA_KAFKA_HEARTBEAT_INTERVAL_MS": "500",
    "RUEDA_OUTBOX_POLL_S": "0.2",
    "RUEDA_LOG_FORMAT": "json",
}


@contextlib.asynccontextmanager
async def stack(
    services: list[str],
    *,
    kafka: str,
    mongo: str,
    prefix: str,
    logs: Path,
    idempotence: bool = True,
    extra_env: dict[str, str] | None = None,
) -> AsyncIterator[Stack]:
    wanted = tuple(s for s in WITH_WEB if s in services or s == "gateway")
    async with run_stack(
        kafka=kafka,
        mongo=mongo,
        prefix=prefix,
        logs=logs,
        idempotence=idempotence,
        services=wanted,
        env={**TEST_ENV, **(extra_env or {})},
    ) as running:
        yield running
