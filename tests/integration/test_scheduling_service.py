"""The scheduling service on real Kafka and SecantusDB: agreed -> scheduled -> rescheduled ->
cancelled with events, read API and ICS checked; a burst of competing agreements from several
producers into two replicas never double-books anyone."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import icalendar
import pytest
from aiokafka import AIOKafkaProducer
from tests.support.kafka import envelopes, read_all, send

from rueda.scheduling.app import SchedulingSettings, create_app
from rueda.scheduling.domain import Calendar, CalendarSettings, Meeting, Party, validate
from rueda.shared.contracts import AvailabilityWindow, CommandRejected, Contract, Envelope, topic
from rueda.shared.contracts import CalendarSettings as CalendarContract
from rueda.shared.contracts.matching import MeetingAgreed, MeetingAgreementWithdrawn, PartyCalendar
from rueda.shared.contracts.scheduling import (
    CancelMeeting,
    LockMeeting,
    MeetingCancelled,
    MeetingHeld,
    MeetingRescheduled,
    MeetingScheduled,
    MeetingUnschedulable,
    OptimizeSchedule,
    RecordAttendance,
    RescheduleMeeting,
    ScheduleOptimized,
)
from rueda.shared.mongo import open_mongo
from rueda.shared.settings import RuedaSettings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

MATCHING = topic("matching.events.v1")
COMMANDS = topic("scheduling.commands.v1")
EVENTS = topic("scheduling.events.v1")
VIDEO_BASE = "https://video.example.org"


class Clock:
    """A clock the test moves forward."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def _days(n: int) -> list[dt.date]:
    """Fixed future June days: London UTC+1, Santiago UTC-4, Bogota and Lima UTC-5."""
    first = dt.date(2030, 6, 24)
    return [first + dt.timedelta(days=i) for i in range(n)]


def _party(pid: str, role: str, country: str, zone: str, windows=()) -> PartyCalendar:
    return PartyCalendar(
        participant_id=pid,
        role=role,  # type: ignore[arg-type]
        country=country,
        timezone=zone,
        availability=list(windows),
    )


def _agreed(
    mid: str, exporter: PartyCalendar, importer: PartyCalendar, days, **kw
) -> MeetingAgreed:
    return MeetingAgreed(
        meeting_id=mid,
        exporter=exporter,
        importer=importer,
        calendar=CalendarContract(days=days, slot_minutes=30, **kw),
        score=1.0,
        source="auto",
    )


@pytest.fixture
async def service(
    make_settings: Callable[..., RuedaSettings],
) -> AsyncIterator[Callable[..., Any]]:
    """Starts scheduling replicas (same consumer group and database) with their HTTP API."""
    async with AsyncExitStack() as stack:
        settings_of: dict[str, SchedulingSettings] = {}

        async def start(clock: Clock | None = None, db: str | None = None, **overrides):
            settings = make_settings(
                "scheduling",
                SchedulingSettings,
                video_base_url=VIDEO_BASE,
                video_secret="integration-secret",
                **({"db_name": db} if db else {}),
                **overrides,
            )
            settings_of["last"] = settings
            app = create_app(settings, clock=clock)
            await stack.enter_async_context(app.router.lifespan_context(app))
            client = httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://scheduling"
            )
            await stack.enter_async_context(client)
            return settings, client

        yield start


class Events:
    """Reads scheduling.events.v1 of one roundtable, waiting for what a step must produce."""

    def __init__(self, settings: RuedaSettings, roundtable_id: str) -> None:
        self.bootstrap = settings.kafka_bootstrap
        self.topic = settings.topic(EVENTS)
        self.roundtable_id = roundtable_id
        self.seen = 0

    async def all(self, at_least: int) -> list[Envelope]:
        records = await read_all(self.bootstrap, self.topic, at_least=at_least, within_s=60)
        return [e for e in envelopes(records) if e.roundtable_id == self.roundtable_id]

    async def next(self, count: int = 1) -> list[Envelope]:
        """The next `count` events after those already taken."""
        found = await self.all(self.seen + count)
        fresh = found[self.seen :]
        assert len(fresh) == count, [e.event_type for e in fresh]
        self.seen += count
        return fresh


async def _command(settings: RuedaSettings, payload: Contract, rt: str) -> Envelope:
    return await send(settings.kafka_bootstrap, settings.topic(COMMANDS), payload, roundtable_id=rt)


async def _status(client: httpx.AsyncClient, rt: str, command: Envelope) -> dict[str, Any]:
    response = await client.get(f"/internal/roundtables/{rt}/commands/{command.event_id}")
    assert response.status_code == 200, response.text
    plain = await client.get(f"/internal/commands/{command.event_id}")
    assert plain.json() == response.json()
    assert response.json()["type"] == command.event_type
    return response.json()


def _ics_events(text: str) -> list[Any]:
    calendar: Any = icalendar.Calendar.from_ical(text)
    return [c for c in calendar.walk() if c.name == "VEVENT"]


async def test_agreed_scheduled_rescheduled_cancelled_with_events_api_and_ics(service) -> None:
    days = _days(2)
    clock = Clock(dt.datetime.now(dt.UTC))
    settings, api = await service(clock)
    rt = f"rt-{uuid.uuid4().hex[:8]}"
    events = Events(settings, rt)
    exporter = _party("exp-cl", "exporter", "CL", "America/Santiago")
    importer = _party("imp-gb", "importer", "GB", "Europe/London")

    # agreed -> scheduled
    await send(
        settings.kafka_bootstrap,
        settings.topic(MATCHING),
        _agreed("m1", exporter, importer, days),
        roundtable_id=rt,
    )
    [scheduled_env] = await events.next()
    scheduled = scheduled_env.payload_as(MeetingScheduled)
    assert scheduled_env.producer == "scheduling"
    assert scheduled.meeting_id == "m1"
    assert scheduled.sequence == 0
    assert scheduled.ends_at - scheduled.starts_at == dt.timedelta(minutes=30)
    assert scheduled.starts_at.utcoffset() == dt.timedelta(0)
    assert (scheduled.exporter_country, scheduled.importer_country) == ("CL", "GB")
    assert scheduled.timezones == {"exp-cl": "America/Santiago", "imp-gb": "Europe/London"}
    for pid, zone in scheduled.timezones.items():
        local = dt.datetime.fromisoformat(scheduled.local_times[pid])
        assert local == scheduled.starts_at
        assert local.utcoffset() == scheduled.starts_at.astimezone(ZoneInfo(zone)).utcoffset()
        assert local.date() in days
        assert dt.time(9) <= local.time()
        assert (local + dt.timedelta(minutes=30)).time() <= dt.time(18)
    assert scheduled.join_url.startswith(f"{VIDEO_BASE}/rueda-")
    assert "m1" not in scheduled.join_url.removeprefix(VIDEO_BASE)
    assert len(scheduled.join_url.rsplit("-", 1)[1]) == 32  # 160 bits, base32

    listed = (await api.get(f"/internal/roundtables/{rt}/meetings")).json()
    assert [(m["meeting_id"], m["status"], m["sequence"]) for m in listed] == [
        ("m1", "scheduled", 0)
    ]
    assert dt.datetime.fromisoformat(listed[0]["starts_at"]) == scheduled.starts_at
    assert listed[0]["local_times"] == scheduled.local_times
    assert listed[0]["join_url"] == scheduled.join_url
    agenda = await api.get(f"/internal/roundtables/{rt}/participants/exp-cl/agenda.ics")
    assert agenda.status_code == 200
    assert agenda.headers["content-type"].startswith("text/calendar")
    [entry] = _ics_events(agenda.text)
    assert str(entry["UID"]) == "m1@rueda"
    assert int(entry["SEQUENCE"]) == 0
    assert entry.decoded("DTSTART") == scheduled.starts_at
    assert "imp-gb" in str(entry["SUMMARY"])

    # a meeting with no common window: unschedulable, and it waits
    tokyo = _party(
        "imp-jp",
        "importer",
        "JP",
        "Asia/Tokyo",
        [AvailabilityWindow(date=d, start="09:00", end="10:00") for d in days],
    )
    await send(
        settings.kafka_bootstrap,
        settings.topic(MATCHING),
        _agreed("m2", exporter, tokyo, days),
        roundtable_id=rt,
    )
    [unschedulable_env] = await events.next()
    unschedulable = unschedulable_env.payload_as(MeetingUnschedulable)
    assert (unschedulable.meeting_id, unschedulable.reason_code) == ("m2", "no_common_window")
    assert "imp-jp" in unschedulable.reason
    assert "Asia/Tokyo" in unschedulable.reason

    # reschedule: same id, other slot, raised sequence, same room
    reschedule = await _command(
        settings, RescheduleMeeting(meeting_id="m1", requested_by="exp-cl", reason="clash"), rt
    )
    [moved_env] = await events.next()
    moved = moved_env.payload_as(MeetingRescheduled)
    assert moved.meeting_id == "m1"
    assert moved.sequence == 1
    assert moved.previous_starts_at == scheduled.starts_at != moved.starts_at
    assert moved.join_url == scheduled.join_url
    assert moved.reason == "clash"
    assert moved_env.causation_id == reschedule.event_id
    assert (await _status(api, rt, reschedule))["status"] == "accepted"
    [entry] = _ics_events(
        (await api.get(f"/internal/roundtables/{rt}/participants/imp-gb/agenda.ics")).text
    )
    assert int(entry["SEQUENCE"]) == 1
    assert entry.decoded("DTSTART") == moved.starts_at

    # cancel: frees the slot, raised sequence, leaves the agenda, appears in the cancel calendar
    cancel = await _command(
        settings, CancelMeeting(meeting_id="m1", requested_by="imp-gb", reason="travel"), rt
    )
    [cancelled_env] = await events.next()
    cancelled = cancelled_env.payload_as(MeetingCancelled)
    assert (cancelled.meeting_id, cancelled.sequence, cancelled.reason) == ("m1", 2, "travel")
    assert cancelled.starts_at == moved.starts_at
    assert (await _status(api, rt, cancel))["status"] == "accepted"
    live = (await api.get(f"/internal/roundtables/{rt}/participants/exp-cl/agenda.ics")).text
    assert _ics_events(live) == []
    gone = (
        await api.get(
            f"/internal/roundtables/{rt}/participants/exp-cl/agenda.ics",
            params={"cancelled": "true"},
        )
    ).text
    assert "METHOD:CANCEL\r\n" in gone
    [entry] = _ics_events(gone)
    assert (str(entry["UID"]), int(entry["SEQUENCE"]), str(entry["STATUS"])) == (
        "m1@rueda",
        2,
        "CANCELLED",
    )
    assert entry.decoded("DTSTART") == moved.starts_at
    by_status = {
        m["meeting_id"]: m["status"]
        for m in (
            await api.get(
                f"/internal/roundtables/{rt}/meetings", params={"participant_id": "exp-cl"}
            )
        ).json()
    }
    assert by_status == {"m1": "cancelled", "m2": "waiting"}

    # refusals: recorded and announced, nothing else changes
    again = await _command(settings, CancelMeeting(meeting_id="m1", requested_by="imp-gb"), rt)
    [rejected_env] = await events.next()
    rejected = rejected_env.payload_as(CommandRejected)
    assert (rejected.command_id, rejected.code) == (again.event_id, "already_cancelled")
    status = await _status(api, rt, again)
    assert (status["status"], status["code"]) == ("rejected", "already_cancelled")
    unknown = await _command(settings, LockMeeting(meeting_id="nope"), rt)
    [rejected_env] = await events.next()
    assert rejected_env.payload_as(CommandRejected).code == "unknown_meeting"
    assert (await _status(api, rt, unknown))["code"] == "unknown_meeting"

    # attendance once the meeting has started
    await send(
        settings.kafka_bootstrap,
        settings.topic(MATCHING),
        _agreed("m3", exporter, importer, days),
        roundtable_id=rt,
    )
    m3 = (await events.next())[0].payload_as(MeetingScheduled)
    early = await _command(settings, RecordAttendance(meeting_id="m3", status="held"), rt)
    [rejected_env] = await events.next()
    assert rejected_env.payload_as(CommandRejected).code == "meeting_not_started"
    clock.now = m3.starts_at + dt.timedelta(minutes=5)
    held = await _command(settings, RecordAttendance(meeting_id="m3", status="held"), rt)
    [held_env] = await events.next()
    assert held_env.payload_as(MeetingHeld).starts_at == m3.starts_at
    assert (await _status(api, rt, early))["status"] == "rejected"
    assert (await _status(api, rt, held))["status"] == "accepted"
    late = await _command(settings, CancelMeeting(meeting_id="m3", requested_by="exp-cl"), rt)
    [rejected_env] = await events.next()
    assert rejected_env.payload_as(CommandRejected).code == "meeting_already_held"
    assert (await _status(api, rt, late))["code"] == "meeting_already_held"

    # nothing more was emitted than the steps above, and every event id is unique
    everything = await events.all(events.seen)
    assert len(everything) == events.seen
    assert len({e.event_id for e in everything}) == len(everything)


async def test_burst_from_several_producers_into_two_replicas_never_double_books(
    service,
) -> None:
    days = _days(2)
    first, api = await service()
    await service(db=first.database)  # a second replica: same group, same database
    rt = f"rt-{uuid.uuid4().hex[:8]}"
    # 15:00-18:00 in London is inside 09:00-18:00 in Santiago, Bogota and Lima
    window = [AvailabilityWindow(date=d, start="15:00", end="18:00") for d in days]
    importers = [_party(f"imp-{i}", "importer", "GB", "Europe/London", window) for i in range(3)]
    zones = ["America/Santiago", "America/Bogota", "America/Lima"]
    exporters = [_party(f"exp-{e}", "exporter", "CL", zones[e % 3]) for e in range(20)]
    agreements = [
        _agreed(f"m-{e}-{i}", exporters[e], importers[i], days, buffer_minutes=0)
        for e in range(20)
        for i in range(3)
    ]
    # 60 requests compete for 36 importer slots (3 importers x 2 days x 6 slots)

    async def producer(share: list[MeetingAgreed]) -> None:
        kafka = AIOKafkaProducer(bootstrap_servers=first.kafka_bootstrap, acks="all", linger_ms=0)
        await kafka.start()
        try:
            for agreed in share:
                envelope = Envelope.wrap(
                    agreed, producer="matching", roundtable_id=rt, correlation_id="burst"
                )
                await kafka.send(first.topic(MATCHING), envelope.to_bytes(), key=rt.encode())
            await kafka.flush()
        finally:
            await kafka.stop()

    await asyncio.gather(*(producer(agreements[k::4]) for k in range(4)))
    records = await read_all(first.kafka_bootstrap, first.topic(EVENTS), at_least=60, within_s=90)
    found = [e for e in envelopes(records) if e.roundtable_id == rt]
    outcomes = Counter(e.event_type for e in found)
    per_meeting = Counter(e.payload().meeting_id for e in found)  # type: ignore[attr-defined]
    assert set(per_meeting) == {a.meeting_id for a in agreements}
    assert set(per_meeting.values()) == {1}, "each agreement gets exactly one outcome"
    assert set(outcomes) <= {"MeetingScheduled", "MeetingUnschedulable"}
    scheduled = [
        e.payload_as(MeetingScheduled) for e in found if e.event_type == "MeetingScheduled"
    ]
    # never more than the importers' 36 slots; incremental placement fills almost all
    assert 32 <= len(scheduled) <= 36, outcomes

    # independent checks: from the events, no party has two meetings at once ...
    seen: set[tuple[str, dt.datetime]] = set()
    for meeting in scheduled:
        for pid in (meeting.exporter_id, meeting.importer_id):
            assert (pid, meeting.starts_at) not in seen, f"{pid} double booked"
            seen.add((pid, meeting.starts_at))
    # ... and the stored schedule passes the domain's validator
    listed = (await api.get(f"/internal/roundtables/{rt}/meetings")).json()
    assert Counter(m["status"] for m in listed) == {
        "scheduled": len(scheduled),
        "waiting": 60 - len(scheduled),
    }
    calendar = Calendar(
        CalendarSettings(days=tuple(days), slot_minutes=30),
        [Party(p.participant_id, p.timezone) for p in exporters]
        + [Party.from_dict(p.model_dump(mode="json")) for p in importers],
    )
    placed = [
        Meeting(
            m["meeting_id"],
            m["exporter_id"],
            m["importer_id"],
            starts_at=dt.datetime.fromisoformat(m["starts_at"]),
            status="scheduled",
        )
        for m in listed
        if m["status"] == "scheduled"
    ]
    assert validate(calendar, placed) == []

    # a withdrawn agreement frees its slot, and a waiting meeting of the same importer
    # that fits there is placed at once
    gone = scheduled[0]
    await send(
        first.kafka_bootstrap,
        first.topic(MATCHING),
        MeetingAgreementWithdrawn(meeting_id=gone.meeting_id, reason="auto re-plan"),
        roundtable_id=rt,
    )
    records = await read_all(first.kafka_bootstrap, first.topic(EVENTS), at_least=len(records) + 1)
    after = [e for e in envelopes(records) if e.roundtable_id == rt][len(found) :]
    cancelled = after[0].payload_as(MeetingCancelled)
    assert (cancelled.meeting_id, cancelled.starts_at) == (gone.meeting_id, gone.starts_at)
    assert cancelled.sequence == 1
    backfilled = [e.payload_as(MeetingScheduled) for e in after[1:]]
    assert all(b.event_type() == "MeetingScheduled" for b in backfilled)
    if len(scheduled) == 36:  # the freed importer slot is the only free one: it is refilled
        assert [(b.importer_id, b.starts_at) for b in backfilled] == [
            (gone.importer_id, gone.starts_at)
        ]

    # re-optimisation: moves are announced, the summary says what happened, still valid
    optimize = await _command(first, OptimizeSchedule(), rt)
    count = len(records)
    records = await read_all(first.kafka_bootstrap, first.topic(EVENTS), at_least=count + 1)
    later = [e for e in envelopes(records)[count:] if e.roundtable_id == rt]
    assert later[-1].event_type == "ScheduleOptimized"
    summary = later[-1].payload_as(ScheduleOptimized)
    kinds = Counter(e.event_type for e in later[:-1])
    assert kinds.get("MeetingRescheduled", 0) == summary.moved
    assert kinds.get("MeetingScheduled", 0) == summary.placed
    for event in later[:-1]:
        if event.event_type == "MeetingRescheduled":
            moved = event.payload_as(MeetingRescheduled)
            assert moved.previous_starts_at != moved.starts_at
    assert (await _status(api, rt, optimize))["status"] == "accepted"
    listed = (await api.get(f"/internal/roundtables/{rt}/meetings")).json()
    assert Counter(m["status"] for m in listed)["waiting"] == summary.waiting
    placed = [
        Meeting(
            m["meeting_id"],
            m["exporter_id"],
            m["importer_id"],
            starts_at=dt.datetime.fromisoformat(m["starts_at"]),
            status="scheduled",
        )
        for m in listed
        if m["status"] == "scheduled"
    ]
    assert len(placed) <= 36
    assert validate(calendar, placed) == []


async def _produce(settings: RuedaSettings, batch: list[Envelope]) -> None:
    kafka = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    await kafka.start()
    try:
        for envelope in batch:
            await kafka.send(
                settings.topic(MATCHING), envelope.to_bytes(), key=envelope.roundtable_id.encode()
            )
        await kafka.flush()
    finally:
        await kafka.stop()


async def test_a_backlog_of_agreements_is_placed_in_batches_and_repeats_in_a_batch_change_nothing(
    service, make_settings: Callable[..., RuedaSettings]
) -> None:
    days = _days(2)
    rt = f"rt-{uuid.uuid4().hex[:8]}"
    importers = [_party(f"imp-{i}", "importer", "GB", "Europe/London") for i in range(4)]
    exporters = [_party(f"exp-{e}", "exporter", "PE", "America/Lima") for e in range(10)]
    wrapped = [
        Envelope.wrap(
            _agreed(f"m-{e}-{i}", exporters[e], importers[i], days),
            producer="matching",
            roundtable_id=rt,
            correlation_id=f"c-m-{e}-{i}",
        )
        for e in range(10)
        for i in range(4)
    ]
    backlog, later = wrapped[:30], wrapped[30:]
    # the backlog is on the topic before the service starts: it reads it in batches
    await _produce(make_settings("scheduling"), backlog)
    settings, _ = await service()
    records = await read_all(settings.kafka_bootstrap, settings.topic(EVENTS), at_least=30)
    first = [e for e in envelopes(records) if e.roundtable_id == rt]
    assert len(first) == 30
    client = open_mongo(settings.mongo_uri)
    try:
        head = await client[settings.database]["roundtables"].find_one({"_id": rt})
    finally:
        await client.close()
    # one transaction (one version) per message would be 30
    assert head is not None
    assert head["version"] < 30, head

    # copies of handled agreements (a redelivery) inside batches of new ones
    mixed = [copy for pair in zip(backlog[:10], later, strict=True) for copy in pair]
    await _produce(settings, mixed)
    records = await read_all(
        settings.kafka_bootstrap, settings.topic(EVENTS), at_least=40, settle_s=2.0
    )
    found = [e for e in envelopes(records) if e.roundtable_id == rt]
    by_meeting = Counter(e.payload().meeting_id for e in found)  # type: ignore[attr-defined]
    assert by_meeting == Counter({e.payload().meeting_id: 1 for e in wrapped})  # type: ignore[attr-defined]
    assert {e.event_type for e in found} <= {"MeetingScheduled", "MeetingUnschedulable"}
    # each outcome names its own agreement as its cause, batch or not
    cause = {e.event_id: e for e in wrapped}
    for event in found:
        agreed = cause[event.causation_id]  # type: ignore[index]
        assert agreed.payload().meeting_id == event.payload().meeting_id  # type: ignore[attr-defined]
        assert event.correlation_id == agreed.correlation_id


async def test_replay_mode_schedules_a_past_roundtable_and_records_its_attendance(
    service,
) -> None:
    settings, api = await service(schedule_replay=True)
    rt = f"rt-{uuid.uuid4().hex[:8]}"
    events = Events(settings, rt)
    days = [dt.date(2020, 6, 23), dt.date(2020, 6, 24)]
    exporter = _party("exp-pe", "exporter", "PE", "America/Lima")
    importer = _party("imp-gb", "importer", "GB", "Europe/London")
    await send(
        settings.kafka_bootstrap,
        settings.topic(MATCHING),
        _agreed("m-2020", exporter, importer, days),
        roundtable_id=rt,
    )
    [scheduled_env] = await events.next()
    scheduled = scheduled_env.payload_as(MeetingScheduled)
    assert scheduled.starts_at.date() in days
    lima = dt.datetime.fromisoformat(scheduled.local_times["exp-pe"])
    assert lima.utcoffset() == dt.timedelta(hours=-5)
    await _command(settings, RecordAttendance(meeting_id="m-2020", status="held"), rt)
    [held_env] = await events.next()
    assert held_env.payload_as(MeetingHeld).meeting_id == "m-2020"
    [listed] = (await api.get(f"/internal/roundtables/{rt}/meetings")).json()
    assert listed["status"] == "held"
