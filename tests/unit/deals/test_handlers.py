"""The deals service's use cases on the fake unit of work and the in-memory repository:
every handler, exact events, report counters (checked against a recomputation too)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from tests.support.handlers import deliver, envelope, profile, roundtable_opened

from rueda.deals.adapters import InMemoryDealsRepository
from rueda.deals.domain import Tolerance
from rueda.deals.handlers import DealsHandlers, recompute
from rueda.shared.contracts import Contract
from rueda.shared.contracts.deals import RecordOutcome
from rueda.shared.contracts.registration import (
    ParticipantApproved,
    ParticipantRegistered,
    ParticipantRejected,
    ParticipantWithdrawn,
)
from rueda.shared.contracts.scheduling import (
    MeetingCancelled,
    MeetingHeld,
    MeetingNoShow,
    MeetingScheduled,
)
from rueda.shared.messaging import TransientError
from rueda.shared.messaging.fakes import FakeUnitOfWork

pytestmark = pytest.mark.unit

START = dt.datetime(2020, 6, 23, 14, 0, tzinfo=dt.UTC)
EXPORTER = profile(0, "e1")  # a Chilean exporter, vetted by ProChile
IMPORTER = profile(0, "i1", role="importer")


class World:
    def __init__(self) -> None:
        self.uow = FakeUnitOfWork(producer="deals")
        self.repo = InMemoryDealsRepository()
        self.handlers = DealsHandlers(self.uow, self.repo, group="deals", tolerance=Tolerance())

    async def send(self, handler: str, payload: Contract) -> None:
        await deliver(getattr(self.handlers, handler), envelope(payload))

    async def outcome(self, oid: str, pid: str, result: str = "deal", usd: int = 10_000) -> dict:
        amounts = (
            {"immediate_amount": {"value": str(usd), "currency": "USD"}} if result == "deal" else {}
        )
        command = RecordOutcome.model_validate(
            {
                "outcome_id": oid,
                "meeting_id": "m1",
                "participant_id": pid,
                "reported_by": pid,
                "result": result,
                **amounts,
            }
        )
        env = envelope(command)
        await deliver(self.handlers.record_outcome, env)
        return self.repo.commands[str(env.event_id)]

    def types(self) -> list[tuple[str, str]]:
        return [(m.topic, m.envelope.event_type) for m in self.uow.emitted]

    async def counters(self) -> dict:
        kept = await self.repo.counters("rt-1")
        again = await recompute(self.repo, "rt-1", Tolerance())
        assert kept == {cell: {m: v for m, v in c.items() if v} for cell, c in again.items()}
        return kept


def scheduled() -> MeetingScheduled:
    return MeetingScheduled(
        meeting_id="m1",
        exporter_id="e1",
        importer_id="i1",
        exporter_country="CL",
        importer_country="GB",
        starts_at=START,
        ends_at=START + dt.timedelta(minutes=30),
        local_times={},
        timezones={},
        join_url="https://video.test/m1",
        sequence=0,
    )


def held() -> MeetingHeld:
    return MeetingHeld(meeting_id="m1", exporter_id="e1", importer_id="i1", starts_at=START)


@pytest.fixture
async def world() -> World:
    w = World()
    await w.send("roundtable_opened", roundtable_opened())
    for p in (EXPORTER, IMPORTER):
        await w.send("participant_registered", ParticipantRegistered(profile=p))
        await w.send("participant_approved", ParticipantApproved(profile=p, reviewed_by="CL"))
    return w


async def test_registration_events_become_the_report_s_participants(world: World) -> None:
    assert world.uow.emitted == []
    assert dict(world.repo.roundtables["rt-1"].usd_rates)["GBP"] == Decimal("1.25")
    exporter = world.repo.participant_rows[("rt-1", "e1")]
    assert (exporter.status, exporter.country) == ("approved", "CL")
    counters = await world.counters()
    assert counters[("total", "")]["exporters_approved"] == 1
    assert counters[("total", "")]["importers_approved"] == 1
    assert counters[("agency", "PROCHILE")]["exporters_approved"] == 1


async def test_rejected_and_withdrawn_change_the_status_and_unknown_ids_are_ignored(
    world: World,
) -> None:
    await world.send(
        "participant_rejected",
        ParticipantRejected(participant_id="e1", reason="x", reviewed_by="CL"),
    )
    assert world.repo.participant_rows[("rt-1", "e1")].status == "rejected"
    await world.send(
        "participant_withdrawn",
        ParticipantWithdrawn(participant_id="i1", role="importer", reason=""),
    )
    assert world.repo.participant_rows[("rt-1", "i1")].status == "withdrawn"
    await world.send(
        "participant_withdrawn",
        ParticipantWithdrawn(participant_id="nobody", role="importer", reason=""),
    )
    assert ("rt-1", "nobody") not in world.repo.participant_rows
    assert "exporters_approved" not in (await world.counters())[("total", "")]


async def test_a_meeting_is_counted_as_scheduled_then_held(world: World) -> None:
    await world.send("meeting_scheduled", scheduled())
    row = world.repo.meeting_rows[("rt-1", "m1")]
    assert (row.meeting.status, row.agency_code) == ("scheduled", "PROCHILE")
    assert (await world.counters())[("total", "")]["meetings_scheduled"] == 1
    await world.send("meeting_held", held())
    totals = (await world.counters())[("total", "")]
    assert (totals["meetings_scheduled"], totals["meetings_held"]) == (1, 1)  # held was scheduled


async def test_no_show_and_cancelled_meetings(world: World) -> None:
    await world.send(
        "meeting_no_show",
        MeetingNoShow(meeting_id="m1", exporter_id="e1", importer_id="i1", starts_at=START),
    )
    assert world.repo.meeting_rows[("rt-1", "m1")].meeting.status == "no_show"
    cancelled = MeetingCancelled(meeting_id="m2", exporter_id="e1", importer_id="i1", sequence=1)
    await world.send("meeting_cancelled", cancelled)  # never scheduled: not counted
    assert ("rt-1", "m2") not in world.repo.meeting_rows
    assert (await world.counters())[("total", "")]["meetings_no_show"] == 1


async def test_a_meeting_before_its_exporter_waits_for_it() -> None:
    w = World()
    with pytest.raises(TransientError):
        await w.send("meeting_scheduled", scheduled())
    assert (w.uow.commits, w.uow.aborts, w.uow.inbox) == (0, 1, [])


async def test_one_report_closes_a_one_sided_deal_and_the_other_side_agrees_it(
    world: World,
) -> None:
    await world.send("meeting_scheduled", scheduled())
    await world.send("meeting_held", held())
    first = await world.outcome("o1", "e1", usd=10_000)
    assert (first["status"], first["outcome_id"]) == ("accepted", "o1")
    assert world.types() == [
        ("deals.events.v1", "OutcomeRecorded"),
        ("deals.closed.v1", "DealClosed"),
    ]
    closed = world.uow.emitted[-1]
    assert (closed.key, closed.headers) == ("PROCHILE", {"agency": "PROCHILE"})
    deal = closed.envelope.payload()
    assert (deal.status, deal.immediate_usd, deal.version) == ("one_sided", Decimal("10000"), 1)
    await world.outcome("o2", "i1", usd=10_050)
    assert world.types()[2:] == [
        ("deals.events.v1", "OutcomeRecorded"),
        ("deals.closed.v1", "DealUpdated"),
        ("deals.events.v1", "DealUpdated"),
    ]
    updated = world.uow.payloads()[-1]
    assert (updated.status, updated.version) == ("agreed", 2)
    assert updated.importer_report.immediate_usd == Decimal("10050")
    assert [(d["seq"], d["status"]) for d in await world.repo.deals("rt-1")] == [(2, "agreed")]
    totals = (await world.counters())[("total", "")]  # equal to a recomputation
    assert (totals["deals_count"], totals["deals_agreed"]) == (1, 1)
    assert totals["deals_immediate_usd_cents"] == 1_000_000


@pytest.mark.parametrize(
    ("meeting", "oid", "pid", "result", "code"),
    [
        ("held", "o1", "e1", "deal", "duplicate_outcome"),
        ("scheduled", "o9", "e1", "deal", "meeting_not_held"),
        ("held", "o9", "i9", "deal", "not_a_party"),
        ("none", "o9", "e1", "deal", "unknown_meeting"),
    ],
)
async def test_refused_outcomes_are_rejected_with_their_reason(
    world: World, meeting: str, oid: str, pid: str, result: str, code: str
) -> None:
    if meeting != "none":
        await world.send("meeting_scheduled", scheduled())
    if meeting == "held":
        await world.send("meeting_held", held())
        await world.outcome("o1", "e1")
    status = await world.outcome(oid, pid, result)
    assert (status["status"], status["code"]) == ("rejected", code)
    rejected = world.uow.payloads()[-1]
    assert (rejected.event_type(), rejected.code) == ("CommandRejected", code)
