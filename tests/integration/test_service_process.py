"""Every service starts as its own process (`python -m rueda.<name>`), becomes ready against
the real Kafka and SecantusDB, serves metrics, and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from tests.support.kafka import eventually

from rueda.cli.infra import free_port
from rueda.shared.settings import RuedaSettings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

SERVICES = ["registration", "matching", "scheduling", "notifications", "deals", "gateway"]


async def test_every_service_process_becomes_ready_and_stops_cleanly(
    make_settings: Callable[..., RuedaSettings], workdir: Path
) -> None:
    procs: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
    logs = {name: workdir / f"{name}.log" for name in SERVICES}
    try:
        for name in SERVICES:
            s = make_settings(name)
            port = free_port()
            env = {
                **os.environ,
                "RUEDA_KAFKA_BOOTSTRAP": s.kafka_bootstrap,
                "RUEDA_MONGO_URI": s.mongo_uri,
                "RUEDA_TOPIC_PREFIX": s.topic_prefix,
                "RUEDA_DB_NAME": s.database,
                "RUEDA_HTTP_HOST": "127.0.0.1",
                "RUEDA_HTTP_PORT": str(port),
                "RUEDA_ENV": "development",
                "RUEDA_KAFKA_IDEMPOTENCE": str(s.kafka_idempotence).lower(),
            }
            with logs[name].open("wb") as log:
                proc = subprocess.Popen(
                    [sys.executable, "-m", f"rueda.{name}"], env=env, stderr=log
                )
            procs[name] = (proc, port)
        async with httpx.AsyncClient(timeout=2.0) as client:
            for name, (proc, port) in procs.items():

                async def ready(
                    port: int = port, proc: subprocess.Popen[bytes] = proc, name: str = name
                ) -> bool:
                    assert proc.poll() is None, f"{name} exited with {proc.returncode}"
                    try:
                        r = await client.get(f"http://127.0.0.1:{port}/readyz")
                    except httpx.TransportError:
                        return False
                    return r.status_code == 200

                await eventually(ready, within_s=60, what=f"{name} ready")
                metrics = await client.get(f"http://127.0.0.1:{port}/metrics")
                assert metrics.status_code == 200
                assert "python_info" in metrics.text or "# HELP" in metrics.text
        for proc, _ in procs.values():
            proc.send_signal(signal.SIGTERM)
        for name, (proc, _) in procs.items():
            code = await asyncio.to_thread(proc.wait, 30)
            # uvicorn re-raises the captured SIGTERM after its graceful shutdown
            assert code in (0, -signal.SIGTERM), f"{name} exited with {code}"
            assert '"service stopped"' in logs[name].read_text(), name
    finally:
        for proc, _ in procs.values():
            if proc.poll() is None:
                proc.kill()
