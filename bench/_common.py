"""What the pipeline and scale benchmarks share: infrastructure, the stack, a timed SMTP sink,
registration through the gateway, invitations parsed from the mails, peak memory.

Not a benchmark itself (the leading underscore hides it from `rueda bench`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import email
import os
import re
import tempfile
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

from rueda.cli.infra import Infra, create_topics, delete_topics, free_port
from rueda.cli.replay import RoundReplay
from rueda.cli.stack import Stack, run_stack

__all__ = [
    "BENCH_ENV",
    "Invite",
    "TimedSink",
    "bench_stack",
    "future_days",
    "infrastructure",
    "invitations",
    "peak_rss_kb",
    "percentile",
    "register_and_approve",
    "timed_sink",
]

# what every benchmark stack runs with: consumers poll often, logs are quiet JSON
BENCH_ENV = {
    "RUEDA_FETCH_MAX_WAIT_MS": "10",
    "RUEDA_OUTBOX_POLL_S": "1.0",
    "RUEDA_LOG_FORMAT": "json",
    "RUEDA_LOG_LEVEL": "WARNING",
    "RUEDA_SMTP_STARTTLS": "false",
}


@contextlib.contextmanager
def infrastructure() -> Iterator[tuple[str, str, bool]]:
    """(kafka bootstrap, mongo uri, idempotence): the servers named by RUEDA_KAFKA_BOOTSTRAP
    and RUEDA_MONGO_URI when both are set (as under `rueda infra run`), else the local
    infrastructure, starting what is not running and stopping only that."""
    kafka, mongo = os.environ.get("RUEDA_KAFKA_BOOTSTRAP"), os.environ.get("RUEDA_MONGO_URI")
    if kafka and mongo:
        yield kafka, mongo, os.environ.get("RUEDA_KAFKA_IDEMPOTENCE", "true") != "false"
        return
    with Infra().started() as state:
        env = state.env()
        yield (
            env["RUEDA_KAFKA_BOOTSTRAP"],
            env["RUEDA_MONGO_URI"],
            env.get("RUEDA_KAFKA_IDEMPOTENCE", "true") != "false",
        )


# --- the SMTP sink, with the time each mail arrived --------------------------------------


@dataclass
class TimedSink:
    """An aiosmtpd handler keeping (arrival monotonic time, recipients, raw bytes)."""

    host: str = "127.0.0.1"
    port: int = 0
    received: list[tuple[float, list[str], bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        arrived = time.monotonic()
        with self.lock:
            self.received.append((arrived, list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 OK"

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def snapshot(self) -> list[tuple[float, list[str], bytes]]:
        with self.lock:
            return list(self.received)


@contextlib.contextmanager
def timed_sink() -> Iterator[TimedSink]:
    from aiosmtpd.controller import Controller

    sink = TimedSink(port=free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@dataclass(frozen=True)
class Invite:
    """One meeting invitation (an iTIP REQUEST) as the SMTP server accepted it."""

    arrived: float
    recipient: str
    uid: str
    meeting_id: str
    sequence: int
    message_id: str


_UID = re.compile(r"^UID:(.+)$", re.MULTILINE)
_SEQ = re.compile(r"^SEQUENCE:(\d+)$", re.MULTILINE)


def _calendar_part(message: Message) -> str | None:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload.decode(errors="replace").replace("\r\n ", "")
    return None


def invitations(received: Sequence[tuple[float, list[str], bytes]]) -> tuple[list[Invite], int]:
    """Every REQUEST invitation in the mails (UID and recipient from the ICS), and how many
    mails there were in all."""
    found: list[Invite] = []
    for arrived, rcpts, raw in received:
        message = email.message_from_bytes(raw)
        ics = _calendar_part(message)
        if ics is None or "METHOD:REQUEST" not in ics:
            continue
        uid = _UID.search(ics)
        seq = _SEQ.search(ics)
        if uid is None:
            continue
        value = uid.group(1).strip()
        for rcpt in rcpts:
            found.append(
                Invite(
                    arrived=arrived,
                    recipient=rcpt.lower(),
                    uid=value,
                    meeting_id=value.rsplit("@", 1)[0],
                    sequence=int(seq.group(1)) if seq else 0,
                    message_id=str(message.get("Message-ID", "")),
                )
            )
    return found, len(received)


# --- the stack ---------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def bench_stack(
    kafka: str,
    mongo: str,
    idempotence: bool,
    sink: TimedSink,
    *,
    env: dict[str, str] | None = None,
    partitions: int = 3,
) -> AsyncIterator[tuple[Stack, str, Path]]:
    """Every service and the gateway as processes on fresh topics and databases."""
    prefix = f"bench{uuid.uuid4().hex[:8]}."
    logs = Path(tempfile.mkdtemp(prefix="rueda-bench-"))
    await create_topics(kafka, prefix=prefix, partitions=partitions)
    full_env = {
        **BENCH_ENV,
        "RUEDA_SMTP_HOST": sink.host,
        "RUEDA_SMTP_PORT": str(sink.port),
        **(env or {}),
    }
    try:
        async with run_stack(
            kafka=kafka,
            mongo=mongo,
            prefix=prefix,
            logs=logs,
            idempotence=idempotence,
            env=full_env,
        ) as stack:
            yield stack, prefix, logs
    finally:
        await delete_topics(kafka, prefix)


def peak_rss_kb(stack: Stack) -> dict[str, int]:
    """VmHWM (resident set high-water mark) of each service process, in KiB."""
    peaks: dict[str, int] = {}
    for name, process in stack.processes.items():
        if process.proc is None:
            continue
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{process.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[name] = int(line.split()[1])
    return peaks


def future_days(count: int, *, start_in_days: int = 45) -> list[dt.date]:
    """`count` working days from about six weeks ahead (no slot is in the past)."""
    days: list[dt.date] = []
    day = dt.date.today() + dt.timedelta(days=start_in_days)
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-pct * len(ordered) // 100))))
    return ordered[rank - 1]


# --- registration through the gateway ----------------------------------------------------


async def register_and_approve(
    replay: RoundReplay,
    roundtable: dict[str, Any],
    bodies: list[dict[str, Any]],
    *,
    concurrency: int = 16,
) -> tuple[dict[str, dict[str, Any]], float, float]:
    """Create the roundtable, register `bodies` and approve each (agency for exporters,
    organizer for importers). Returns (participants by id, register s, approve s)."""
    t0 = time.monotonic()
    created = await replay._write(
        "/v1/roundtables", roundtable, replay.organizer, key=f"{replay.rt}-create"
    )
    status = await replay.settled(created)
    if status["status"] != "accepted":
        raise RuntimeError(f"roundtable refused: {status}")
    accepted = await replay._all(
        [
            replay._write(
                f"/v1/roundtables/{replay.rt}/participants", body, {}, key=f"{replay.rt}-reg-{n}"
            )
            for n, body in enumerate(bodies)
        ],
        limit=concurrency,
    )
    statuses = await replay._all([replay.settled(a) for a in accepted], limit=concurrency)
    refused = [s for s in statuses if s["status"] != "accepted"]
    if refused:
        raise RuntimeError(f"registrations refused: {refused[:3]}")
    participants = {a["participant_id"]: body for body, a in zip(bodies, accepted, strict=True)}
    registered_s = time.monotonic() - t0
    t1 = time.monotonic()
    calls = []
    for pid, body in participants.items():
        headers = replay.agency(body["country"]) if body["role"] == "exporter" else replay.organizer
        calls.append(
            replay._write(
                f"/v1/roundtables/{replay.rt}/participants/{pid}/review",
                {"decision": "approve"},
                headers,
                key=f"{pid}-approve",
            )
        )
    approved = await replay._all(
        [replay.settled(a) for a in await replay._all(calls, limit=concurrency)],
        limit=concurrency,
    )
    if any(s["status"] != "accepted" for s in approved):
        raise RuntimeError("an approval was refused")
    return participants, registered_s, time.monotonic() - t1


async def quiet(sink: TimedSink, quiet_s: float = 2.0, within_s: float = 60.0) -> int:
    """Wait until no mail arrived for `quiet_s` (bounded); returns the count."""
    deadline = time.monotonic() + within_s
    count, since = sink.count(), time.monotonic()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        now = sink.count()
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            break
    return count
