"""`rueda up`: local infrastructure, every service and the gateway, in the foreground."""

from __future__ import annotations

import asyncio
import contextlib
import email.policy
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path
from typing import Any

from .infra import Infra, free_port, infra_home
from .stack import DEFAULT_PORTS, WITH_WEB, run_stack

__all__ = ["MailSink", "mail_folder", "mail_sink", "print_mail", "up"]


def mail_folder() -> Path:
    """Where the local sink of `rueda up` keeps what it caught (one .eml per message)."""
    return infra_home() / "mail"


@dataclass
class MailSink:
    """A local SMTP server (aiosmtpd) that keeps what it receives, in memory and, when
    `folder` is set, as .eml files that `rueda mail` lists."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[Any] = field(default_factory=list)
    folder: Path | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content)
        self.messages.append((list(envelope.rcpt_tos), message))
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            name = f"{time.time_ns()}-{len(self.messages)}.eml"
            (self.folder / name).write_bytes(envelope.content)
        return "250 OK"


def print_mail(limit: int = 10, folder: Path | None = None) -> int:
    """`rueda mail`: the last messages the sink caught, each with its plain-text body (where
    a sign-in link can be followed by hand)."""
    folder = folder or mail_folder()
    files = sorted(folder.glob("*.eml"), key=lambda p: p.name)[-limit:] if folder.exists() else []
    if not files:
        print(f"no e-mail caught yet in {folder} (is `rueda up` running?)")
        return 0
    for path in files:
        message = message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",)) if hasattr(message, "get_body") else None
        text = body.get_content() if body is not None else ""
        print(f"--- {path.name}\nDate: {message['Date']}\nTo: {message['To']}")
        print(f"Subject: {message['Subject']}\n\n{text.strip()}\n")
    return 0


@contextlib.contextmanager
def mail_sink(port: int | None = None, folder: Path | None = None) -> Iterator[MailSink]:
    from aiosmtpd.controller import Controller

    sink = MailSink(port=free_port(port), folder=folder)
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


def _tokens(roundtable: str) -> dict[str, str]:
    from rueda.gateway.app import GatewaySettings, mint_token

    settings = GatewaySettings()
    ttl = 12 * 3600

    def make(**claims: str) -> str:
        return mint_token(settings, claims, ttl_s=ttl)

    return {
        "admin": make(sub="admin", role="admin"),
        "organizer": make(sub="organizer", role="organizer", roundtable_id=roundtable),
        "agency CL": make(sub="prochile", role="agency", roundtable_id=roundtable, country="CL"),
    }


async def _serve(infra_env: dict[str, str], smtp_port: int) -> None:
    ports = {name: free_port(port) for name, port in DEFAULT_PORTS.items()}
    env = {
        "RUEDA_SMTP_HOST": "127.0.0.1",
        "RUEDA_SMTP_PORT": str(smtp_port),
        "RUEDA_SMTP_STARTTLS": "false",
        "RUEDA_LOG_FORMAT": "console",
        "RUEDA_FETCH_MAX_WAIT_MS": "50",
        **{
            k: v
            for k, v in infra_env.items()
            if k.startswith("RUEDA_") and "BOOTSTRAP" not in k and "MONGO" not in k
        },
    }
    idempotence = infra_env.get("RUEDA_KAFKA_IDEMPOTENCE", "true") != "false"
    async with run_stack(
        kafka=infra_env["RUEDA_KAFKA_BOOTSTRAP"],
        mongo=infra_env["RUEDA_MONGO_URI"],
        ports=ports,
        env=env,
        idempotence=idempotence,
        services=WITH_WEB,
    ) as stack:
        gw = stack.gateway
        print(
            f"\nRueda is up.\n  web       {stack.web}  (participants' portal)\n"
            f"  gateway   {gw}\n  OpenAPI   {gw}/docs  ({gw}/openapi.json)\n"
            f"  AsyncAPI  {gw}/asyncapi  ({gw}/asyncapi.json)\n"
            f"  SMTP sink 127.0.0.1:{smtp_port}: `rueda mail` lists what it caught (sign-in "
            f'links: POST {gw}/v1/sign-in {{"email": ...}})\n',
            flush=True,
        )
        for role, token in _tokens("demo").items():
            print(f"  token ({role}, roundtable demo): {token}")
        print("\nCtrl-C stops everything.\n", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        while not stop.is_set():
            dead = [p.name for p in stack.processes.values() if not p.alive()]
            if dead:
                print(f"service(s) exited: {', '.join(dead)}; stopping", file=sys.stderr)
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=1.0)
        print("stopping...", flush=True)


def up() -> int:
    with Infra().started() as state, mail_sink(1025, mail_folder()) as sink:
        asyncio.run(_serve(state.env(), sink.port))
    return 0
