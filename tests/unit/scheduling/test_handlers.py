"""Scheduling's use cases on the fake unit of work and in-memory repositories: every
handler, with the exact events, slots and command statuses."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.support.handlers import deliver, deliver_batch, envelope

from rueda.scheduling.adapters.memory import InMemoryCommandLog, InMemoryScheduleRepository
from rueda.scheduling.adapters.video import FakeVideoRooms
from rueda.scheduling.handlers import SchedulingHandlers
from rueda.shared.contracts import CalendarSettings, Contract
from rueda.shared.contracts.matching import MeetingAgreed, MeetingAgreementWithdrawn, PartyCalendar
from rueda.shared.contracts.scheduling import (
    CancelMeeting,
    LockMeeting,
    OptimizeSchedule,
    RecordAttendance,
    RescheduleMeeting,
)
from rueda.shared.messaging.fakes import FakeUnitOfWork

pytestmark = pytest.mark.unit

DAY = dt.date(2030, 6, 24)  # London UTC+1, Santiago UTC-4: 13:00-17:00 UTC in common
UTC = dt.UTC


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def agreed(mid: str, exporter: str = "e1", importer: str = "i1") -> MeetingAgreed:
    return MeetingAgreed(
        meeting_id=mid,
        exporter=PartyCalendar(
            participant_id=exporter, role="exporter", country="CL", timezone="America/Santiago"
        ),
        importer=PartyCalendar(
            participant_id=importer, role="importer", country="GB", timezone="Europe/London"
        ),
        calendar=CalendarSettings(days=[DAY], slot_minutes=60),
        score=1.0,
        source="auto",
    )


class World:
    def __init__(self) -> None:
        self.uow = FakeUnitOfWork(producer="scheduling")
        self.repo = InMemoryScheduleRepository()
        self.commands = InMemoryCommandLog()
        self.rooms = FakeVideoRooms()
        self.clock = Clock(dt.datetime(2030, 6, 1, tzinfo=UTC))
        self.handlers = SchedulingHandlers(
            self.uow, self.repo, self.commands, self.rooms, group="scheduling", clock=self.clock
        )

    async def command(self, name: str, payload: Contract) -> dict:
        env = envelope(payload)
        await deliver(getattr(self.handlers, name), env)
        return self.commands.commands[str(env.event_id)]

    def types(self) -> list[str]:
        return [e.event_type for e in self.uow.events()]

    def last(self) -> object:
        return self.uow.payloads()[-1]


@pytest.fixture
async def world() -> World:
    return World()


@pytest.fixture
async def placed(world: World) -> World:
    await deliver(world.handlers.meeting_agreed, envelope(agreed("m1")))
    return world


async def test_an_agreed_meeting_gets_the_first_common_slot_and_a_room(placed: World) -> None:
    assert placed.types() == ["MeetingScheduled"]
    scheduled = placed.last()
    assert scheduled.starts_at == dt.datetime(2030, 6, 24, 13, 0, tzinfo=UTC)
    assert scheduled.ends_at == dt.datetime(2030, 6, 24, 14, 0, tzinfo=UTC)
    assert scheduled.local_times == {
        "e1": "2030-06-24T09:00:00-04:00",
        "i1": "2030-06-24T14:00:00+01:00",
    }
    assert (scheduled.exporter_country, scheduled.importer_country) == ("CL", "GB")
    assert scheduled.join_url == "https://video.test/rt-1/m1"
    assert placed.rooms.requested == [("rt-1", "m1")]
    assert placed.uow.emitted[0].key == "rt-1"
    assert placed.repo.meetings["m1"]["status"] == "scheduled"


async def test_a_repeated_agreement_changes_nothing(placed: World) -> None:
    await deliver(placed.handlers.meeting_agreed, envelope(agreed("m1")))
    assert placed.types() == ["MeetingScheduled"]
    assert placed.repo.saves == 1


async def test_a_batch_of_agreements_is_placed_in_one_transaction_without_double_booking(
    world: World,
) -> None:
    batch = [envelope(agreed(f"m{i}", importer="i1")) for i in range(5)]
    await deliver_batch(world.handlers.meetings_agreed, batch)
    assert world.uow.commits == 1
    starts = [
        p.starts_at.hour for p in world.uow.payloads() if p.event_type() == "MeetingScheduled"
    ]
    assert sorted(starts) == [13, 14, 15, 16]  # four slots in common, one importer
    waiting = [p for p in world.uow.payloads() if p.event_type() == "MeetingUnschedulable"]
    assert [(w.meeting_id, w.reason_code) for w in waiting] == [("m4", "common_slots_taken")]


async def test_a_withdrawn_agreement_cancels_its_meeting(placed: World) -> None:
    withdrawn = MeetingAgreementWithdrawn(meeting_id="m1", reason="replanned")
    await deliver(placed.handlers.meeting_agreement_withdrawn, envelope(withdrawn))
    assert placed.types() == ["MeetingScheduled", "MeetingCancelled"]
    cancelled = placed.last()
    assert (cancelled.reason, cancelled.starts_at.hour, cancelled.sequence) == ("replanned", 13, 1)
    unknown = MeetingAgreementWithdrawn(meeting_id="m-none", reason="replanned")
    await deliver(placed.handlers.meeting_agreement_withdrawn, envelope(unknown))
    assert placed.types() == ["MeetingScheduled", "MeetingCancelled"]


async def test_cancel_meeting_once(placed: World) -> None:
    cancel = CancelMeeting(meeting_id="m1", reason="ill", requested_by="e1")
    status = await placed.command("cancel_meeting", cancel)
    assert (status["status"], status["command_type"], status["meeting_id"]) == (
        "accepted",
        "CancelMeeting",
        "m1",
    )
    assert placed.types() == ["MeetingScheduled", "MeetingCancelled"]
    again = await placed.command("cancel_meeting", cancel)
    assert (again["status"], again["code"]) == ("rejected", "already_cancelled")
    assert placed.last().code == "already_cancelled"
    assert placed.repo.meetings["m1"]["status"] == "cancelled"


async def test_commands_on_an_unknown_meeting_are_rejected(world: World) -> None:
    for name, payload in [
        ("cancel_meeting", CancelMeeting(meeting_id="m9", requested_by="e1")),
        ("reschedule_meeting", RescheduleMeeting(meeting_id="m9", requested_by="e1")),
        ("lock_meeting", LockMeeting(meeting_id="m9")),
        ("record_attendance", RecordAttendance(meeting_id="m9", status="held")),
    ]:
        status = await world.command(name, payload)
        assert (status["status"], status["code"]) == ("rejected", "unknown_meeting"), name
    assert world.types() == ["CommandRejected"] * 4


async def test_reschedule_moves_to_another_slot_unless_locked(placed: World) -> None:
    status = await placed.command(
        "reschedule_meeting", RescheduleMeeting(meeting_id="m1", reason="clash", requested_by="i1")
    )
    assert status["status"] == "accepted"
    moved = placed.last()
    assert (moved.event_type(), moved.previous_starts_at.hour, moved.reason) == (
        "MeetingRescheduled",
        13,
        "clash",
    )
    assert moved.starts_at.hour != 13
    assert moved.sequence == 1
    await placed.command("lock_meeting", LockMeeting(meeting_id="m1"))
    assert placed.types()[-1] == "MeetingLockChanged"
    refused = await placed.command(
        "reschedule_meeting", RescheduleMeeting(meeting_id="m1", requested_by="i1")
    )
    assert refused["code"] == "meeting_locked"


async def test_lock_twice_announces_once(placed: World) -> None:
    await placed.command("lock_meeting", LockMeeting(meeting_id="m1"))
    status = await placed.command("lock_meeting", LockMeeting(meeting_id="m1"))
    assert status["status"] == "accepted"
    assert placed.types() == ["MeetingScheduled", "MeetingLockChanged"]
    assert placed.repo.meetings["m1"]["locked"] is True


async def test_attendance_is_recorded_once_the_meeting_has_started(placed: World) -> None:
    early = await placed.command(
        "record_attendance", RecordAttendance(meeting_id="m1", status="held")
    )
    assert early["code"] == "meeting_not_started"
    placed.clock.now = dt.datetime(2030, 6, 24, 13, 30, tzinfo=UTC)
    held = await placed.command(
        "record_attendance", RecordAttendance(meeting_id="m1", status="held")
    )
    assert held["status"] == "accepted"
    assert placed.types()[-1] == "MeetingHeld"
    assert placed.last().starts_at == dt.datetime(2030, 6, 24, 13, 0, tzinfo=UTC)
    await placed.command("record_attendance", RecordAttendance(meeting_id="m1", status="held"))
    assert placed.types().count("MeetingHeld") == 1
    cancel = await placed.command(
        "cancel_meeting", CancelMeeting(meeting_id="m1", requested_by="e1")
    )
    assert cancel["code"] == "meeting_already_held"


async def test_optimize_needs_a_schedule_and_reports_what_it_did(world: World) -> None:
    refused = await world.command("optimize_schedule", OptimizeSchedule())
    assert refused["code"] == "no_schedule"
    await deliver(world.handlers.meeting_agreed, envelope(agreed("m1")))
    status = await world.command("optimize_schedule", OptimizeSchedule())
    assert status["status"] == "accepted"
    report = world.last()
    assert (report.event_type(), report.moved, report.placed, report.waiting) == (
        "ScheduleOptimized",
        0,
        0,
        0,
    )
    assert report.as_of == world.clock.now
