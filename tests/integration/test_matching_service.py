"""The matching service on real Kafka and SecantusDB: projection, proposals, auto plan, request
mode, expiry and withdrawal, redelivery. A clock the test moves drives debounce and expiry."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from tests.support.kafka import envelopes, eventually, produce, read_all, send
from tests.support.matching import FakeClock, opened, profile

from rueda.matching.adapters.mongo import AGREEMENTS, PARTICIPANTS, REQUESTS, ROUNDTABLES
from rueda.matching.api import router
from rueda.matching.app import MatchingRuntime, MatchingSettings, wire
from rueda.matching.handlers import Matching
from rueda.matching.translate import meeting_id
from rueda.shared.contracts import Envelope, topic
from rueda.shared.contracts.common import MatchingRules
from rueda.shared.contracts.matching import (
    MatchesProposed,
    MeetingAgreed,
    MeetingAgreementWithdrawn,
    MeetingRequestDeclined,
    MeetingRequested,
    MeetingRequestExpired,
    RequestMeeting,
    RespondToMeetingRequest,
)
from rueda.shared.contracts.outcomes import CommandRejected
from rueda.shared.contracts.registration import ParticipantApproved, ParticipantWithdrawn
from rueda.shared.settings import RuedaSettings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]

REG_EVENTS = topic("registration.events.v1")
COMMANDS = topic("matching.commands.v1")
EVENTS = topic("matching.events.v1")


class Harness:
    def __init__(self, rt: MatchingRuntime, clock: FakeClock) -> None:
        self.rt, self.clock = rt, clock
        self.settings = rt.settings
        app = FastAPI()
        app.state.runtime = rt
        app.include_router(router)
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://matching"
        )

    @property
    def boot(self) -> str:
        return self.settings.kafka_bootstrap

    async def publish(self, topic_spec: Any, payload: Any, rt_id: str) -> Envelope:
        return await send(self.boot, self.settings.topic(topic_spec), payload, roundtable_id=rt_id)

    async def events(self, at_least: int = 0) -> list[Envelope]:
        return envelopes(await read_all(self.boot, self.settings.topic(EVENTS), at_least=at_least))

    async def count(self, collection: str, query: dict[str, Any]) -> int:
        return await self.rt.db[collection].count_documents(query)

    async def until(self, collection: str, query: dict[str, Any], n: int, what: str) -> None:
        async def check() -> bool:
            return await self.count(collection, query) >= n

        await eventually(check, within_s=60, what=what)


@pytest.fixture
async def start(
    make_settings: Callable[..., RuedaSettings],
) -> AsyncIterator[Callable[..., Any]]:
    started: list[Harness] = []

    async def build(**overrides: Any) -> Harness:
        clock = FakeClock()
        settings = make_settings("matching", MatchingSettings, **overrides)
        rt = MatchingRuntime(settings, clock=clock)  # type: ignore[arg-type]
        await rt.start(wire)
        harness = Harness(rt, clock)
        started.append(harness)
        return harness

    yield build
    for harness in started:
        await harness.http.aclose()
        await harness.rt.stop()


def of_type(events: list[Envelope], kind: type[Any]) -> list[Any]:
    return [e.payload_as(kind) for e in events if e.event_type == kind.__name__]


EXPORTERS = {
    "E1": profile("E1", "exporter", sectors=["coffee"], hs=["090111"]),
    "E2": profile("E2", "exporter", sectors=["coffee"], hs=["090121"]),
    "E3": profile("E3", "exporter", sectors=["fruit"], hs=["080610"]),
    "E4": profile("E4", "exporter", sectors=["honey"], hs=["040900"]),
    "E5": profile("E5", "exporter", sectors=["steel"], hs=["720810"]),
}
IMPORTERS = {
    "I1": profile("I1", "importer", sectors=["coffee", "fruit"], hs=["0901", "0806"]),
    "I2": profile("I2", "importer", sectors=["coffee"], hs=["090111"]),
    "I3": profile("I3", "importer", sectors=["honey", "fruit"], hs=["0409", "0806"]),
}


async def test_auto_mode_burst_is_planned_once_then_a_withdrawal_releases_only_its_meetings(
    start: Callable[..., Any],
) -> None:
    h: Harness = await start(replan_debounce_s=5, replan_max_delay_s=60, tick_s=0.1)
    rt_id = "rt-auto"
    await h.publish(
        REG_EVENTS, opened(MatchingRules(max_meetings_per_participant=2, top_k=3)), rt_id
    )
    approvals = {}
    for pid, prof in {**EXPORTERS, **IMPORTERS}.items():
        approvals[pid] = await h.publish(
            REG_EVENTS, ParticipantApproved(profile=prof, reviewed_by="agency"), rt_id
        )
    await h.until(PARTICIPANTS, {"roundtable_id": rt_id}, 8, "8 approvals projected")

    # Debounced: nothing announced (no proposals, no plan) until the roundtable is quiet for
    # 5 s; the read API has the new lists at once.
    everyone = set(EXPORTERS) | set(IMPORTERS)
    flagged = {"roundtable_id": rt_id, "announce": True}
    assert {d["participant_id"] async for d in h.rt.db[PARTICIPANTS].find(flagged)} == everyone
    assert await h.count("outbox", {}) == 0  # committed with the approvals: nothing to publish
    r = await h.http.get(f"/internal/roundtables/{rt_id}/participants/I2/matches")
    assert [m["counterpart_id"] for m in r.json()["matches"]][:2] == ["E1", "E2"]
    assert await h.count(AGREEMENTS, {"roundtable_id": rt_id}) == 0

    h.clock.advance(seconds=6)
    await h.until(ROUNDTABLES, {"_id": rt_id, "plans": 1}, 1, "one plan")
    agreed_docs = await h.rt.db[AGREEMENTS].find({"roundtable_id": rt_id}).to_list()
    events = await h.events(at_least=len(everyone) + len(agreed_docs))
    proposed = of_type(events, MatchesProposed)
    # each participant announced once, with its latest list
    assert Counter(p.participant_id for p in proposed) == Counter(everyone)
    latest = {p.participant_id: p for p in proposed}
    assert latest["E5"].matches == []  # steel: no sector or chapter in common with anyone
    assert [m.counterpart_id for m in latest["I2"].matches][:2] == ["E1", "E2"]  # 6-digit first
    assert all(m.reasons for p in latest.values() for m in p.matches)
    assert await h.count(PARTICIPANTS, flagged) == 0
    agreed = of_type(events, MeetingAgreed)
    assert len(agreed) == len(agreed_docs) > 0
    per_party = Counter(
        p for a in agreed for p in (a.exporter.participant_id, a.importer.participant_id)
    )
    assert max(per_party.values()) <= 2  # cap
    assert {"E1", "E2", "E3", "E4"} <= set(per_party)  # every exporter with a match: floor 1
    assert "E5" not in per_party
    for a in agreed:
        assert a.source == "auto"
        assert a.score > 0
        assert a.min_meetings_per_exporter == 1
        assert a.meeting_id == meeting_id(
            rt_id, a.exporter.participant_id, a.importer.participant_id
        )
        assert a.exporter.timezone == "America/Santiago"
        assert a.importer.timezone == "Europe/London"
        assert a.calendar.days == opened(MatchingRules()).calendar.days
    assert all(e.roundtable_id == rt_id and e.producer == "matching" for e in events)

    # Redelivery of an approval (same event_id) has no second effect. The withdrawal after it
    # on the same partition is the marker that the duplicate was consumed.
    caused_before = sum(1 for e in events if e.causation_id == approvals["E1"].event_id)
    await produce(
        h.boot, h.settings.topic(REG_EVENTS), approvals["E1"].to_bytes(), key=rt_id.encode()
    )
    withdrawal = await h.publish(
        REG_EVENTS, ParticipantWithdrawn(participant_id="I3", role="importer", reason="left"), rt_id
    )
    i3_meetings = {a.meeting_id for a in agreed if a.importer.participant_id == "I3"}
    assert i3_meetings, "the plan gave I3 meetings (E4's only counterpart)"
    await h.until(
        AGREEMENTS,
        {"roundtable_id": rt_id, "importer_id": "I3", "status": "withdrawn"},
        len(i3_meetings),
        "I3 withdrawn",
    )
    events = await h.events()
    assert sum(1 for e in events if e.causation_id == approvals["E1"].event_id) == caused_before
    caused = [e for e in events if e.causation_id == withdrawal.event_id]
    withdrawn = [
        e.payload_as(MeetingAgreementWithdrawn)
        for e in caused
        if e.event_type == "MeetingAgreementWithdrawn"
    ]
    assert {w.meeting_id for w in withdrawn} == i3_meetings
    assert {w.reason for w in withdrawn} == {"participant_withdrawn"}
    own = [e.payload_as(MatchesProposed) for e in caused if e.event_type == "MatchesProposed"]
    assert any(p.participant_id == "I3" and p.matches == [] for p in own)
    assert (
        await h.count(PARTICIPANTS, {"roundtable_id": rt_id, "proposals.counterpart_id": "I3"}) == 0
    )
    r = await h.http.get(f"/internal/roundtables/{rt_id}/participants/I3/matches")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"

    # The refill plan after the withdrawal keeps every meeting I3 was not part of.
    kept = {a.meeting_id for a in agreed} - i3_meetings
    h.clock.advance(seconds=6)
    await h.until(ROUNDTABLES, {"_id": rt_id, "plans": 2}, 1, "second plan")
    still = {
        d["_id"]
        for d in await h.rt.db[AGREEMENTS]
        .find({"roundtable_id": rt_id, "status": "agreed"})
        .to_list()
    }
    assert kept <= still

    r = await h.http.get(f"/internal/roundtables/{rt_id}/participants/E1/matches")
    body = r.json()
    assert r.status_code == 200
    assert body["role"] == "exporter"
    assert body["country"] == "CL"
    assert [m["counterpart_id"] for m in body["matches"]] == ["I2", "I1"]
    assert body["matches"][0]["score"] > body["matches"][1]["score"]


async def test_request_mode_request_accept_refuse_expire_and_withdraw(
    start: Callable[..., Any],
) -> None:
    h: Harness = await start(tick_s=0.1)
    rt_id = "rt-req"
    rules = MatchingRules(mode="request", max_meetings_per_participant=1, request_ttl_hours=2)
    await h.publish(REG_EVENTS, opened(rules), rt_id)
    for pid in ("E1", "E2", "E3"):
        await h.publish(
            REG_EVENTS, ParticipantApproved(profile=EXPORTERS[pid], reviewed_by="a"), rt_id
        )
    for pid in ("I1", "I2"):
        await h.publish(
            REG_EVENTS, ParticipantApproved(profile=IMPORTERS[pid], reviewed_by="a"), rt_id
        )
    await h.until(PARTICIPANTS, {"roundtable_id": rt_id}, 5, "5 approvals")

    async def command(payload: Any) -> Envelope:
        return await h.publish(COMMANDS, payload, rt_id)

    async def status(env: Envelope) -> dict[str, Any]:
        async def handled() -> bool:
            return (await h.http.get(f"/internal/commands/{env.event_id}")).status_code == 200

        await eventually(handled, within_s=60, what=f"status of {env.event_type}")
        return dict((await h.http.get(f"/internal/commands/{env.event_id}")).json())

    # Happy path: E1 asks I1, I1 accepts -> an agreed meeting.
    ask = await command(RequestMeeting(request_id="r1", from_participant="E1", to_participant="I1"))
    assert (await status(ask))["status"] == "accepted"
    view = (await h.http.get(f"/internal/roundtables/{rt_id}/meeting-requests/r1")).json()
    assert view["requested_of"] == "I1"
    assert view["status"] == "pending"
    assert view["countries"] == {"E1": "CL", "I1": "GB"}
    # Only the requested party answers.
    wrong = await command(
        RespondToMeetingRequest(request_id="r1", participant_id="E1", accept=True)
    )
    assert (await status(wrong))["code"] == "not_requested_party"
    yes = await command(RespondToMeetingRequest(request_id="r1", participant_id="I1", accept=True))
    done = await status(yes)
    assert done["status"] == "accepted"
    assert done["resource"]["meeting_id"] == meeting_id(rt_id, "E1", "I1")

    # Refusals: cap (max 1), same role, unknown counterpart.
    capped = await command(
        RequestMeeting(request_id="r2", from_participant="E1", to_participant="I2")
    )
    same = await command(
        RequestMeeting(request_id="r3", from_participant="E2", to_participant="E1")
    )
    ghost = await command(
        RequestMeeting(request_id="r4", from_participant="E2", to_participant="I9")
    )
    assert [(await status(c))["code"] for c in (capped, same, ghost)] == [
        "requester_at_cap",
        "same_role",
        "counterpart_not_approved",
    ]

    # Expiry after the TTL, by the service's own ticker on the test's clock.
    late = await command(
        RequestMeeting(request_id="r5", from_participant="E2", to_participant="I2")
    )
    assert (await status(late))["status"] == "accepted"
    h.clock.advance(hours=2, seconds=1)
    await h.until(
        REQUESTS, {"roundtable_id": rt_id, "request_id": "r5", "status": "expired"}, 1, "r5 expired"
    )

    # A pending request of a withdrawn participant is declined on its behalf.
    pending = await command(
        RequestMeeting(request_id="r6", from_participant="I2", to_participant="E3")
    )
    assert (await status(pending))["status"] == "accepted"
    await h.publish(
        REG_EVENTS, ParticipantWithdrawn(participant_id="E3", role="exporter", reason="x"), rt_id
    )
    await h.until(
        REQUESTS,
        {"roundtable_id": rt_id, "request_id": "r6", "status": "withdrawn"},
        1,
        "r6 withdrawn",
    )
    # The agreed meeting of a withdrawn participant is withdrawn.
    await h.publish(
        REG_EVENTS, ParticipantWithdrawn(participant_id="I1", role="importer", reason="x"), rt_id
    )
    await h.until(AGREEMENTS, {"roundtable_id": rt_id, "status": "withdrawn"}, 1, "E1-I1 withdrawn")

    events = await h.events()
    requested = of_type(events, MeetingRequested)
    assert [r.request_id for r in requested] == ["r1", "r5", "r6"]
    assert requested[0].expires_at == FakeClock().now + dt.timedelta(hours=2)
    agreed = of_type(events, MeetingAgreed)
    assert [(a.meeting_id, a.source, a.request_id) for a in agreed] == [
        (meeting_id(rt_id, "E1", "I1"), "request", "r1")
    ]
    rejected = of_type(events, CommandRejected)
    assert {r.code for r in rejected} == {
        "not_requested_party",
        "requester_at_cap",
        "same_role",
        "counterpart_not_approved",
    }
    assert {r.command_id for r in rejected} >= {capped.event_id, same.event_id, ghost.event_id}
    assert [(x.request_id, x.requested_by) for x in of_type(events, MeetingRequestExpired)] == [
        ("r5", "E2")
    ]
    declined = of_type(events, MeetingRequestDeclined)
    assert [(d.request_id, d.declined_by, d.reason) for d in declined] == [
        ("r6", "E3", "participant_withdrawn")
    ]
    assert [w.meeting_id for w in of_type(events, MeetingAgreementWithdrawn)] == [
        meeting_id(rt_id, "E1", "I1")
    ]

    listing = (
        await h.http.get(
            f"/internal/roundtables/{rt_id}/meeting-requests", params={"participant_id": "E2"}
        )
    ).json()
    assert [(r["request_id"], r["status"]) for r in listing] == [("r5", "expired")]


async def test_two_replicas_expire_a_request_once(start: Callable[..., Any]) -> None:
    h: Harness = await start(tick_s=3600)  # the background tick ran once at start; we tick here
    rt_id = "rt-two"
    await h.publish(REG_EVENTS, opened(MatchingRules(mode="request", request_ttl_hours=1)), rt_id)
    await h.publish(
        REG_EVENTS, ParticipantApproved(profile=EXPORTERS["E1"], reviewed_by="a"), rt_id
    )
    await h.publish(
        REG_EVENTS, ParticipantApproved(profile=IMPORTERS["I2"], reviewed_by="a"), rt_id
    )
    await h.until(PARTICIPANTS, {"roundtable_id": rt_id}, 2, "2 approvals")
    await h.publish(
        COMMANDS, RequestMeeting(request_id="r1", from_participant="E1", to_participant="I2"), rt_id
    )
    await h.until(REQUESTS, {"roundtable_id": rt_id, "status": "pending"}, 1, "request")

    other = Matching(h.rt.uow, group="other", clock=h.clock)
    h.clock.advance(hours=1)
    done = await asyncio.gather(h.rt.matching.expire_due(), other.expire_due())
    assert sorted(done) == [0, 1]
    assert await asyncio.gather(h.rt.matching.expire_due(), other.expire_due()) == [0, 0]
    events = await h.events(at_least=2)  # requested, expired (proposals wait for a tick)
    assert len(of_type(events, MeetingRequested)) == 1
    assert len(of_type(events, MeetingRequestExpired)) == 1

    # the proposals waiting since the approvals are announced once, by one of the replicas
    announced = await asyncio.gather(h.rt.matching.propose_due(), other.propose_due())
    assert sorted(announced) == [0, 2]
    assert await asyncio.gather(h.rt.matching.propose_due(), other.propose_due()) == [0, 0]
    events = await h.events(at_least=4)
    assert Counter(p.participant_id for p in of_type(events, MatchesProposed)) == Counter(
        ["E1", "I2"]
    )


async def test_a_replica_never_plans_on_a_stale_book_and_a_lone_one_reads_it_once(
    start: Callable[..., Any],
) -> None:
    """Each process keeps a roundtable's book between messages, checked against the stored
    `book_version`: approvals alternating between two replicas give the very proposals one
    process gives alone, and the lone process builds the book from the database only once."""
    h: Harness = await start(replan_debounce_s=600, replan_max_delay_s=600, tick_s=60)
    rules = MatchingRules(max_meetings_per_participant=2, top_k=3)
    group = h.settings.group("matching")

    def replica() -> Matching:
        return Matching(
            h.rt.uow, group=group, clock=h.clock, replan_debounce_s=600, replan_max_delay_s=600
        )

    async def approve_all(rt_id: str, replicas: list[Matching]) -> dict[str, Any]:
        event = opened(rules)
        await replicas[0].on_roundtable_opened(
            Envelope.wrap(event, producer="test", roundtable_id=rt_id, correlation_id=rt_id), event
        )
        for i, prof in enumerate([*EXPORTERS.values(), *IMPORTERS.values()]):
            approved = ParticipantApproved(profile=prof, reviewed_by="agency")
            envelope = Envelope.wrap(
                approved, producer="test", roundtable_id=rt_id, correlation_id=rt_id
            )
            await replicas[i % len(replicas)].on_participant_approved(envelope, approved)
        docs = await h.rt.db[PARTICIPANTS].find({"roundtable_id": rt_id}).to_list()
        return {d["participant_id"]: d["proposals"] for d in docs}

    alone = replica()
    expected = await approve_all("rt-alone", [alone])
    assert alone.book_loads == 1
    assert any(expected.values()), "the round has proposals to compare"

    a, b = replica(), replica()
    assert await approve_all("rt-two", [a, b]) == expected
    # every approval came after the other replica's: each found its kept book stale
    assert (a.book_loads, b.book_loads) == (4, 4)

    # the same approvals as one batch (a batch subscriber's run): the same proposals, each
    # participant's written once, and one book version for the whole run
    batched = replica()
    event = opened(rules)
    await batched.on_roundtable_opened(
        Envelope.wrap(event, producer="test", roundtable_id="rt-batch", correlation_id="b"), event
    )
    run = []
    for prof in [*EXPORTERS.values(), *IMPORTERS.values()]:
        approved = ParticipantApproved(profile=prof, reviewed_by="agency")
        wrapped = Envelope.wrap(
            approved, producer="test", roundtable_id="rt-batch", correlation_id="b"
        )
        run.append((wrapped, approved))
    await batched.on_participants_approved(run)
    docs = await h.rt.db[PARTICIPANTS].find({"roundtable_id": "rt-batch"}).to_list()
    assert {d["participant_id"]: d["proposals"] for d in docs} == expected
    head = await h.rt.db[ROUNDTABLES].find_one({"_id": "rt-batch"})
    assert head is not None
    assert head["book_version"] == 2  # opened, then the whole run (8 one at a time)
