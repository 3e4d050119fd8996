"""Every service and the gateway as separate processes (`python -m rueda.<name>`).

Used by `rueda up`, `rueda demo`, the end-to-end and reliability suites and the benchmarks.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

from .infra import free_port

__all__ = ["DEFAULT_PORTS", "SERVICES", "WITH_WEB", "ServiceProcess", "Stack", "run_stack"]

SERVICES = ("registration", "matching", "scheduling", "notifications", "deals", "gateway")
WITH_WEB = (*SERVICES, "web")
"""The web app (a client of the gateway) runs only where asked: `rueda up`, browser tests."""
DEFAULT_PORTS = {
    "gateway": 8080,
    "registration": 8081,
    "matching": 8082,
    "scheduling": 8083,
    "notifications": 8084,
    "deals": 8085,
    "web": 8090,
}


@dataclass
class ServiceProcess:
    """One service process; its output goes to a log file or is streamed with its name."""

    name: str
    port: int
    env: dict[str, str]
    log: Path | None = None
    proc: subprocess.Popen[bytes] | None = None
    restarts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if self.log is not None:
            with self.log.open("ab") as out:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", f"rueda.{self.name}"],
                    env=self.env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        else:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", f"rueda.{self.name}"],
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            threading.Thread(
                target=_stream, args=(self.name, self.proc.stdout), daemon=True
            ).start()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: no graceful shutdown at all."""
        if self.proc is not None and self.alive():
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self, timeout_s: float = 30.0) -> None:
        if self.proc is None or not self.alive():
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)

    async def wait_ready(self, within_s: float = 90.0) -> None:
        deadline = time.monotonic() + within_s
        async with httpx.AsyncClient(timeout=1.0) as client:
            while True:
                if not self.alive():
                    code = self.proc.returncode if self.proc else None
                    raise RuntimeError(f"{self.name} exited ({code}); see {self.log or 'output'}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(f"{self.url}/readyz")).status_code == 200:
                        return
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.name} not ready after {within_s}s")
                await asyncio.sleep(0.1)


def _stream(name: str, pipe: IO[bytes] | None) -> None:
    if pipe is None:
        return
    width = max(len(s) for s in WITH_WEB)
    for line in iter(pipe.readline, b""):
        sys.stdout.write(f"{name:<{width}} | {line.decode(errors='replace')}")
        sys.stdout.flush()


@dataclass
class Stack:
    """The running services of one stack."""

    processes: dict[str, ServiceProcess] = field(default_factory=dict)

    @property
    def gateway(self) -> str:
        return self.processes["gateway"].url

    @property
    def web(self) -> str:
        return self.processes["web"].url

    def __getitem__(self, name: str) -> ServiceProcess:
        return self.processes[name]

    async def restart(self, name: str, *, kill: bool = True) -> None:
        process = self.processes[name]
        if kill:
            process.kill()
        else:
            process.stop()
        process.restarts += 1
        process.start()
        await process.wait_ready()


@contextlib.asynccontextmanager
async def run_stack(
    *,
    kafka: str,
    mongo: str,
    prefix: str = "",
    logs: Path | None = None,
    idempotence: bool = True,
    services: tuple[str, ...] = SERVICES,
    ports: Mapping[str, int] | None = None,
    env: Mapping[str, str] | None = None,
    db_prefix: str | None = None,
) -> AsyncIterator[Stack]:
    """Start `services` (the gateway last), wait until each is ready, stop them on exit."""
    chosen = {name: (ports or {}).get(name) or free_port() for name in services}
    run = db_prefix if db_prefix is not None else (prefix.strip(".") + "_" if prefix else "")
    base = {
        **os.environ,
        "RUEDA_KAFKA_BOOTSTRAP": kafka,
        "RUEDA_MONGO_URI": mongo,
        "RUEDA_TOPIC_PREFIX": prefix,
        "RUEDA_KAFKA_IDEMPOTENCE": str(idempotence).lower(),
        "RUEDA_HTTP_HOST": "127.0.0.1",
        **{
            f"RUEDA_{name.upper()}_URL": f"http://127.0.0.1:{port}" for name, port in chosen.items()
        },
        **(env or {}),
    }
    stack = Stack()
    for name, port in chosen.items():
        process_env = {**base, "RUEDA_HTTP_PORT": str(port), "RUEDA_DB_NAME": f"{run}rueda_{name}"}
        log = logs / f"{name}.log" if logs is not None else None
        stack.processes[name] = ServiceProcess(name, port, process_env, log)
    try:
        for process in stack.processes.values():
            process.start()
        await asyncio.gather(*(p.wait_ready() for p in stack.processes.values()))
        yield stack
    finally:
        for process in stack.processes.values():
            if process.alive() and process.proc is not None:
                process.proc.send_signal(signal.SIGTERM)
        for process in stack.processes.values():
            process.stop()
