"""Services as separate processes (`python -m rueda.<name>`) on real Kafka and SecantusDB."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from tests.support.kafka import eventually

from rueda.cli.infra import free_port


@dataclass
class Process:
    name: str
    port: int
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", f"rueda.{self.name}"], env=self.env, stdout=log, stderr=log
            )

    def kill(self) -> None:
        """SIGKILL: no graceful shutdown at all."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    async def wait_ready(self, within_s: float = 60.0) -> None:
        async with httpx.AsyncClient(timeout=1.0) as client:

            async def ready() -> bool:
                assert self.proc is not None
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{self.name} exited ({self.proc.returncode}): {self.log}")
                with contextlib.suppress(httpx.HTTPError):
                    return (await client.get(f"{self.url}/readyz")).status_code == 200
                return False

            await eventually(ready, within_s=within_s, every_s=0.1, what=f"{self.name} ready")


@dataclass
class Stack:
    """Gateway and services of one test run, with fresh topics and databases."""

    processes: dict[str, Process] = field(default_factory=dict)

    @property
    def gateway(self) -> str:
        return self.processes["gateway"].url

    def __getitem__(self, name: str) -> Process:
        return self.processes[name]

    async def restart(self, name: str) -> None:
        self.processes[name].kill()
        self.processes[name].start()
        await self.processes[name].wait_ready()


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
    run = prefix.strip(".")
    ports = {name: free_port() for name in [*services, "gateway"]}
    base = {
        **os.environ,
        "RUEDA_ENV": "test",
        "RUEDA_KAFKA_BOOTSTRAP": kafka,
        "RUEDA_MONGO_URI": mongo,
        "RUEDA_TOPIC_PREFIX": prefix,
        "RUEDA_KAFKA_IDEMPOTENCE": str(idempotence).lower(),
        "RUEDA_FETCH_MAX_WAIT_MS": "50",
        "RUEDA_KAFKA_SESSION_TIMEOUT_MS": "3000",
        "RUEDA_KAFKA_HEARTBEAT_INTERVAL_MS": "500",
        "RUEDA_OUTBOX_POLL_S": "0.2",
        "RUEDA_HTTP_HOST": "127.0.0.1",
        "RUEDA_LOG_FORMAT": "json",
        **{f"RUEDA_{name.upper()}_URL": f"http://127.0.0.1:{port}" for name, port in ports.items()},
        **(extra_env or {}),
    }
    result = Stack()
    for name, port in ports.items():
        env = {**base, "RUEDA_HTTP_PORT": str(port), "RUEDA_DB_NAME": f"{run}_{name}"}
        result.processes[name] = Process(name, port, env, logs / f"{name}.log")
    try:
        for process in result.processes.values():
            process.start()
        for process in result.processes.values():
            await process.wait_ready()
        yield result
    finally:
        for process in result.processes.values():
            process.stop()
