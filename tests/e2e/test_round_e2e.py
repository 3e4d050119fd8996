"""The 2020 Pacific Alliance round end to end: every service its own process, real Kafka,
SecantusDB and SMTP (aiosmtpd), driven only through the public HTTP API.

One run, many invariants: the report equals the published figures; nobody is double booked;
every meeting lies inside both parties' windows (checked here with zoneinfo, independently of
the scheduler); every scheduled meeting produced exactly one invitation per party and every
cancellation one cancel; an agency's own consumer group received exactly its country's deals.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import json
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiokafka import AIOKafkaConsumer
from icalendar import Calendar
from tests.support.kafka import eventually
from tests.support.servers import Servers
from tests.support.stack import stack

from rueda.cli import scenario
from rueda.cli.demo import DEMO_ENV, matches_published
from rueda.cli.replay import RoundReplay
from rueda.cli.stack import SERVICES
from rueda.cli.up import MailSink, mail_sink

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

CANCELLED = 2


@contextlib.asynccontextmanager
async def agency_consumer(
    bootstrap: str, topic: str, agency: str
) -> AsyncIterator[list[dict[str, Any]]]:
    """What an agency's own consumer group receives from the public topic."""
    received: list[dict[str, Any]] = []
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"agency-{agency.lower()}-{uuid.uuid4().hex[:6]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()

    async def run() -> None:
        async for record in consumer:
            headers = {k: v.decode() for k, v in record.headers}
            if headers.get("agency") == agency:
                received.append({"key": record.key.decode(), **json.loads(record.value)})
            await consumer.commit()

    task = asyncio.create_task(run())
    try:
        yield received
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await consumer.stop()


def invitations(sink: MailSink) -> Counter[tuple[str, str, str, int]]:
    """(method, meeting UID, recipient, SEQUENCE) of every calendar part received."""
    found: Counter[tuple[str, str, str, int]] = Counter()
    for recipients, message in list(sink.messages):
        for part in message.walk():
            if part.get_content_type() != "text/calendar":
                continue
            cal = Calendar.from_ical(part.get_payload(decode=True))
            method = str(cal.get("METHOD"))
            for event in cal.walk("VEVENT"):
                for rcpt in recipients:
                    found[
                        (method, str(event["UID"]), rcpt.lower(), int(event.get("SEQUENCE", 0)))
                    ] += 1
    return found


def inside_window(start: dt.datetime, end: dt.datetime, zone: str, days: set[dt.date]) -> bool:
    local_start, local_end = start.astimezone(ZoneInfo(zone)), end.astimezone(ZoneInfo(zone))
    return (
        local_start.date() in days
        and local_end.date() == local_start.date()
        and dt.time(9, 0) <= local_start.time()
        and local_end.time() <= dt.time(18, 0)
    )


async def test_the_2020_round_end_to_end(servers: Servers, prefix: str, workdir: Path) -> None:
    rt = f"pa-uk-{uuid.uuid4().hex[:6]}"
    with mail_sink() as sink:
        env = {**DEMO_ENV, "RUEDA_SMTP_HOST": sink.host, "RUEDA_SMTP_PORT": str(sink.port)}
        async with (
            stack(
                list(SERVICES),
                kafka=servers.kafka_bootstrap,
                mongo=servers.mongo_uri,
                prefix=prefix,
                logs=workdir,
                idempotence=servers.idempotence,
                extra_env=env,
            ) as running,
            agency_consumer(
                servers.kafka_bootstrap, f"{prefix}deals.closed.v1", "PROCHILE"
            ) as prochile,
        ):
            replay = RoundReplay(running.gateway, rt, progress=lambda _: None)
            try:
                await replay.register()
                await replay.approve()
                await replay.wait_for_schedule(at_least=scenario.HELD + CANCELLED)
                # two meetings beyond the ones that will be held are cancelled by a party
                cancelled = replay.result.meetings[-CANCELLED:]
                for meeting in cancelled:
                    accepted = await replay._write(
                        f"/v1/roundtables/{rt}/meetings/{meeting['meeting_id']}/cancel",
                        {"reason": "travel"},
                        replay.participant(meeting["exporter_id"]),
                    )
                    assert (await replay.settled(accepted))["status"] == "accepted"
                replay.result.meetings = replay.result.meetings[:-CANCELLED]
                await replay.attend()
                await replay.report_outcomes()
                report = await replay.final_report()
                meetings = await replay.meetings()
            finally:
                await replay.close()

            participants = replay.result.participants
            email = {pid: body["contact"]["email"].lower() for pid, body in participants.items()}
            cancelled_ids = {m["meeting_id"] for m in cancelled}
            placed = [m for m in meetings if m["meeting_id"] not in cancelled_ids]

            # 1. the report equals the published figures
            assert matches_published(report) == []
            assert report["meetings"]["cancelled"] == CANCELLED
            assert report["meetings"]["held"] + report["meetings"]["no_show"] == len(placed)

            # 2. nobody is double booked
            busy: dict[str, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
            for m in placed:
                start = dt.datetime.fromisoformat(m["starts_at"])
                end = dt.datetime.fromisoformat(m["ends_at"])
                busy[m["exporter_id"]].append((start, end))
                busy[m["importer_id"]].append((start, end))
            for pid, slots in busy.items():
                slots.sort()
                for (_, end), (start, _) in itertools.pairwise(slots):
                    assert end <= start, f"{pid} double booked at {start}"

            # 3. every meeting inside both parties' local windows on a roundtable day
            days = {dt.date.fromisoformat(d) for d in scenario.roundtable()["days"]}
            for m in placed:
                start = dt.datetime.fromisoformat(m["starts_at"])
                end = dt.datetime.fromisoformat(m["ends_at"])
                for pid in (m["exporter_id"], m["importer_id"]):
                    zone = participants[pid]["timezone"]
                    assert inside_window(start, end, zone, days), (m, zone)

            # 4. exactly one invitation per party per meeting, one cancel per cancellation
            expected = {
                ("REQUEST", f"{m['meeting_id']}@rueda", email[pid])
                for m in meetings
                for pid in (m["exporter_id"], m["importer_id"])
            }
            expected |= {
                ("CANCEL", f"{m['meeting_id']}@rueda", email[pid])
                for m in cancelled
                for pid in (m["exporter_id"], m["importer_id"])
            }

            async def all_arrived() -> bool:
                got = {(method, uid, rcpt) for method, uid, rcpt, _ in invitations(sink)}
                return expected <= got

            await eventually(all_arrived, within_s=120, what="every invitation and cancel")
            seen = invitations(sink)
            per_meeting_party = Counter(
                (method, uid, rcpt)
                for method, uid, rcpt, _ in seen
                for _ in range(seen[(method, uid, rcpt, _)])
            )
            assert {k: v for k, v in per_meeting_party.items() if v != 1} == {}
            assert set(per_meeting_party) == expected

            # 5. the agency's consumer group received exactly its country's deals
            chilean = {
                mid
                for mid in replay.result.deals
                if participants[next(m["exporter_id"] for m in meetings if m["meeting_id"] == mid)][
                    "country"
                ]
                == "CL"
            }

            async def prochile_has_all() -> bool:
                return {d["data"]["meeting_id"] for d in prochile} >= chilean

            await eventually(prochile_has_all, within_s=60, what="PROCHILE's deals")
            assert chilean
            assert {d["data"]["meeting_id"] for d in prochile} == chilean
            assert {d["key"] for d in prochile} == {"PROCHILE"}
            assert all(d["data"]["exporter_country"] == "CL" for d in prochile)
