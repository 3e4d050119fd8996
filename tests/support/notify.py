"""Real receivers for the notifications tests: an SMTP server (aiosmtpd) and an HTTP webhook
receiver that verifies signatures the way DESIGN/README tells agencies to; sample profiles."""

from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

from rueda.notifications.domain import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WEBHOOK_ID_HEADER,
    SignatureError,
    verify_webhook,
)
from rueda.shared.contracts import Company, Contact, ParticipantProfile
from rueda.shared.contracts import scheduling as s


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    @property
    def kind(self) -> str:
        return str(self.message["X-Rueda-Kind"])

    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None
        return str(part.get_content())

    def ics(self) -> str | None:
        for part in self.message.walk():
            if part.get_content_type() == "text/calendar":
                return str(part.get_content())
        return None


class SmtpSink:
    """A real SMTP server that keeps what it accepts; can refuse the next N messages (451).

    `connections` holds the client address of each connection that delivered a message.
    """

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.connections: set[tuple[str, int]] = set()
        self.refused = 0
        self.refuse_next = 0
        self.delay_s = 0.0
        self._one_at_a_time: asyncio.Lock | None = None
        self._lock = threading.Lock()
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self._lock:
            if self.refuse_next > 0:
                self.refuse_next -= 1
                self.refused += 1
                return "451 4.3.0 try again later"
        if self.delay_s:
            # a slow server that takes one message at a time, whatever the client's load
            if self._one_at_a_time is None:
                self._one_at_a_time = asyncio.Lock()
            async with self._one_at_a_time:
                await asyncio.sleep(self.delay_s)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self._lock:
            self.received.append(Received(list(envelope.rcpt_tos), message))
            self.connections.add(tuple(session.peer))
        return "250 OK"

    def start(self) -> SmtpSink:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def to(self, address: str) -> list[Received]:
        with self._lock:
            return [r for r in self.received if address in r.rcpt_tos]

    def count(self) -> int:
        with self._lock:
            return len(self.received)


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool
    status: int


@dataclass
class WebhookReceiver:
    """A real HTTP server. Each path has a secret and a script of statuses (then 200)."""

    secrets: dict[str, str] = field(default_factory=dict)
    scripts: dict[str, list[int]] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    port: int = 0
    _server: ThreadingHTTPServer | None = None

    def start(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                secret = receiver.secrets.get(self.path, "")
                try:
                    verify_webhook(
                        secret,
                        timestamp=self.headers.get(TIMESTAMP_HEADER, ""),
                        signature=self.headers.get(SIGNATURE_HEADER, ""),
                        body=body,
                        now=time.time(),
                    )
                    verified = True
                except SignatureError:
                    verified = False
                script = receiver.scripts.get(self.path, [])
                status = (script.pop(0) if script else 200) if verified else 401
                receiver.hits.append(
                    Hit(self.path, dict(self.headers.items()), body, verified, status)
                )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def at(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]

    def ids(self, path: str) -> list[str]:
        return [h.headers[WEBHOOK_ID_HEADER] for h in self.at(path)]


def profile(
    pid: str,
    *,
    role: str = "exporter",
    country: str = "CL",
    timezone: str = "America/Santiago",
    languages: list[str] | None = None,
    company: str | None = None,
) -> ParticipantProfile:
    return ParticipantProfile(
        participant_id=pid,
        role=role,  # type: ignore[arg-type]
        company=Company(name=company or f"{pid} SpA", tax_id=f"tax-{pid}"),
        country=country,
        timezone=timezone,
        languages=languages if languages is not None else ["es"],
        contact=Contact(name=f"Contact {pid}", email=f"{pid}@example.test"),
    )


MEETING_AT = datetime(2020, 6, 23, 14, 0, tzinfo=UTC)


def scheduled(
    meeting_id: str,
    exporter: ParticipantProfile,
    importer: ParticipantProfile,
    *,
    starts_at: datetime = MEETING_AT,
    sequence: int = 0,
    cls: Callable[..., Any] = s.MeetingScheduled,
    **extra: Any,
) -> Any:
    return cls(
        meeting_id=meeting_id,
        exporter_id=exporter.participant_id,
        importer_id=importer.participant_id,
        exporter_country=exporter.country,
        importer_country=importer.country,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=30),
        local_times={},
        timezones={
            exporter.participant_id: exporter.timezone,
            importer.participant_id: importer.timezone,
        },
        join_url=f"https://meet.example.test/{meeting_id}",
        sequence=sequence,
        **extra,
    )
