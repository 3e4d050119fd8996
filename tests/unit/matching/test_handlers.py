"""Matching's use cases on the fake unit of work and the in-memory store: projections,
proposals, auto-mode plans (at once and debounced), withdrawals, request mode, expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.support.handlers import deliver, deliver_batch, envelope, profile, roundtable_opened

from rueda.matching.adapters.memory import InMemoryMatchingStore
from rueda.matching.handlers import Matching, UnknownRoundtableError
from rueda.shared.contracts import Contract
from rueda.shared.contracts.matching import RequestMeeting, RespondToMeetingRequest
from rueda.shared.contracts.registration import ParticipantApproved, ParticipantWithdrawn
from rueda.shared.messaging.fakes import FakeUnitOfWork

pytestmark = pytest.mark.unit

EXPORTERS = [profile(i, f"e{i}") for i in (0, 12)]  # Chilean fresh-fruit exporters
IMPORTER = profile(0, "i1", role="importer")  # a UK fresh-fruit importer


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2030, 6, 1, 12, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


class World:
    def __init__(self, *, debounce_s: float = 0.0) -> None:
        self.uow = FakeUnitOfWork(producer="matching")
        self.store = InMemoryMatchingStore()
        self.clock = Clock()
        self.matching = Matching(
            self.uow,
            group="matching",
            clock=self.clock,
            replan_debounce_s=debounce_s,
            replan_max_delay_s=debounce_s * 10,
            stores=lambda session: self.store,
        )

    async def send(self, handler: str, payload: Contract) -> None:
        await deliver(getattr(self.matching, handler), envelope(payload))

    async def command(self, handler: str, payload: Contract) -> dict:
        env = envelope(payload)
        await deliver(getattr(self.matching, handler), env)
        return self.store.commands[str(env.event_id)]

    async def approve(self, *profiles: object) -> None:
        envs = [envelope(ParticipantApproved(profile=p, reviewed_by="CL")) for p in profiles]
        await deliver_batch(self.matching.on_participants_approved, envs)

    def types(self) -> list[str]:
        return [e.event_type for e in self.uow.events()]

    def of_type(self, name: str) -> list:
        return [p for p in self.uow.payloads() if p.event_type() == name]


async def opened(mode: str = "auto", **kw: float) -> World:
    world = World(**kw)
    rules = {"mode": mode, "max_meetings_per_participant": 6, "min_meetings_per_exporter": 1}
    await world.send("on_roundtable_opened", roundtable_opened(matching=rules))
    return world


async def test_approvals_are_proposed_and_planned_at_once_without_a_debounce() -> None:
    world = await opened()
    assert world.store.roundtables["rt-1"]["rules"]["mode"] == "auto"
    await world.approve(*EXPORTERS, IMPORTER)
    proposed = {p.participant_id: p for p in world.of_type("MatchesProposed")}
    assert [m.counterpart_id for m in proposed["i1"].matches] == ["e0", "e12"]
    assert [m.counterpart_id for m in proposed["e0"].matches] == ["i1"]
    agreed = world.of_type("MeetingAgreed")
    assert sorted((a.exporter.participant_id, a.importer.participant_id) for a in agreed) == [
        ("e0", "i1"),
        ("e12", "i1"),
    ]
    assert {a.source for a in agreed} == {"auto"}
    assert sorted(world.store.agreements_by_id) == sorted(a.meeting_id for a in agreed)
    assert world.uow.commits == 2  # the roundtable, then the batch of approvals


async def test_a_redelivered_approval_changes_nothing() -> None:
    world = await opened()
    env = envelope(ParticipantApproved(profile=IMPORTER, reviewed_by="admin"))
    await deliver(world.matching.on_participant_approved, env)
    before = world.types()
    await deliver(world.matching.on_participant_approved, env)
    assert world.types() == before
    assert world.uow.duplicates == 1


async def test_an_approval_for_an_unknown_roundtable_is_refused() -> None:
    world = World()
    with pytest.raises(UnknownRoundtableError):
        await world.approve(IMPORTER)
    assert world.uow.emitted == []


async def test_debounced_proposals_and_plan_wait_for_the_quiet_then_go_once() -> None:
    world = await opened(debounce_s=2.0)
    await world.approve(EXPORTERS[0])
    await world.approve(EXPORTERS[1], IMPORTER)
    assert world.types() == []
    assert (await world.matching.propose_due(), await world.matching.replan_due()) == (0, 0)
    world.clock.now += dt.timedelta(seconds=3)
    assert await world.matching.propose_due() == 3
    assert sorted(p.participant_id for p in world.of_type("MatchesProposed")) == [
        "e0",
        "e12",
        "i1",
    ]
    assert await world.matching.replan_due() == 1
    assert len(world.of_type("MeetingAgreed")) == 2
    assert (await world.matching.propose_due(), await world.matching.replan_due()) == (0, 0)


async def test_a_withdrawal_empties_its_list_and_withdraws_its_meetings() -> None:
    world = await opened()
    await world.approve(*EXPORTERS, IMPORTER)
    agreed = {a.meeting_id for a in world.of_type("MeetingAgreed")}
    await world.send(
        "on_participant_withdrawn",
        ParticipantWithdrawn(participant_id="i1", role="importer", reason="sold out"),
    )
    empty = [p for p in world.of_type("MatchesProposed") if p.participant_id == "i1"][-1]
    assert empty.matches == []
    withdrawn = world.of_type("MeetingAgreementWithdrawn")
    assert {w.meeting_id for w in withdrawn} == agreed
    assert {w.reason for w in withdrawn} == {"participant_withdrawn"}
    assert "rt-1/i1" not in world.store.participants_by_key


async def test_request_mode_request_then_accept_agrees_a_meeting() -> None:
    world = await opened("request")
    await world.approve(*EXPORTERS, IMPORTER)
    assert world.of_type("MeetingAgreed") == []
    asked = await world.command(
        "on_request_meeting",
        RequestMeeting(request_id="r1", from_participant="e0", to_participant="i1"),
    )
    assert (asked["status"], asked["resource"]) == ("accepted", {"request_id": "r1"})
    requested = world.of_type("MeetingRequested")[-1]
    assert (requested.exporter_id, requested.importer_id, requested.requested_by) == (
        "e0",
        "i1",
        "e0",
    )
    answer = await world.command(
        "on_respond", RespondToMeetingRequest(request_id="r1", participant_id="i1", accept=True)
    )
    agreed = world.of_type("MeetingAgreed")[-1]
    assert (agreed.source, agreed.request_id) == ("request", "r1")
    assert answer["resource"] == {"request_id": "r1", "meeting_id": agreed.meeting_id}


async def test_a_declined_request_is_announced_and_agrees_nothing() -> None:
    world = await opened("request")
    await world.approve(EXPORTERS[0], IMPORTER)
    await world.command(
        "on_request_meeting",
        RequestMeeting(request_id="r1", from_participant="i1", to_participant="e0"),
    )
    await world.command(
        "on_respond", RespondToMeetingRequest(request_id="r1", participant_id="e0", accept=False)
    )
    declined = world.of_type("MeetingRequestDeclined")[-1]
    assert (declined.declined_by, declined.reason) == ("e0", "declined")
    assert world.of_type("MeetingAgreed") == []


@pytest.mark.parametrize(
    ("mode", "handler", "payload", "code"),
    [
        (
            "auto",
            "on_request_meeting",
            RequestMeeting(request_id="r1", from_participant="e0", to_participant="i1"),
            "not_request_mode",
        ),
        (
            "request",
            "on_respond",
            RespondToMeetingRequest(request_id="r9", participant_id="i1", accept=True),
            "unknown_request",
        ),
        (
            "request",
            "on_request_meeting",
            RequestMeeting(request_id="r1", from_participant="e0", to_participant="e12"),
            "same_role",
        ),
        (
            "request",
            "on_respond",
            RespondToMeetingRequest(request_id="r0", participant_id="e0", accept=True),
            "not_requested_party",
        ),
    ],
)
async def test_refused_requests(mode: str, handler: str, payload: Contract, code: str) -> None:
    world = await opened(mode)
    await world.approve(*EXPORTERS, IMPORTER)
    if mode == "request":  # r0: e0 asked i1
        ask = RequestMeeting(request_id="r0", from_participant="e0", to_participant="i1")
        await world.command("on_request_meeting", ask)
    status = await world.command(handler, payload)
    assert (status["status"], status["code"]) == ("rejected", code)
    rejected = world.of_type("CommandRejected")[-1]
    assert (rejected.code, rejected.command_type) == (code, payload.event_type())


async def test_a_duplicate_request_id_is_refused_and_an_unanswered_request_expires() -> None:
    world = await opened("request")
    await world.approve(EXPORTERS[0], IMPORTER)
    ask = RequestMeeting(request_id="r1", from_participant="e0", to_participant="i1")
    await world.command("on_request_meeting", ask)
    again = await world.command("on_request_meeting", ask)
    assert again["code"] == "duplicate_request_id"
    assert await world.matching.expire_due() == 0
    world.clock.now += dt.timedelta(days=30)
    assert await world.matching.expire_due() == 1
    expired = world.of_type("MeetingRequestExpired")
    assert [(e.request_id, e.requested_by) for e in expired] == [("r1", "e0")]
    assert await world.matching.expire_due() == 0
