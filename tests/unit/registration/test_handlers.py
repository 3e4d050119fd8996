"""Registration's use cases on the fake unit of work and the in-memory repository: every
command handler's accepted and refused paths, exact events and command statuses."""

from __future__ import annotations

import pytest
from tests.support.handlers import create_roundtable, deliver, deliver_batch, envelope
from tests.support.handlers import profile as make_profile

from rueda.registration.adapters import InMemoryRegistrationRepository
from rueda.registration.handlers import RegistrationHandlers
from rueda.shared.contracts import Envelope, ParticipantProfile
from rueda.shared.contracts.registration import (
    CreateRoundtable,
    RegisterParticipant,
    ReviewParticipant,
    SetRegistrationOpen,
    WithdrawParticipant,
)
from rueda.shared.messaging.fakes import FakeUnitOfWork

pytestmark = pytest.mark.unit

EVENTS = "registration.events.v1"


def profile(i: int = 4, pid: str = "p-7") -> ParticipantProfile:
    return make_profile(i, pid)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(producer="registration")


@pytest.fixture
def repo() -> InMemoryRegistrationRepository:
    return InMemoryRegistrationRepository()


@pytest.fixture
def handlers(uow: FakeUnitOfWork, repo: InMemoryRegistrationRepository) -> RegistrationHandlers:
    return RegistrationHandlers(uow, repo, "registration")


async def opened(handlers: RegistrationHandlers, **changes: object) -> Envelope:
    env = envelope(create_roundtable(**changes))
    await deliver(handlers.create_roundtable, env)
    return env


async def registered(handlers: RegistrationHandlers, p: ParticipantProfile) -> Envelope:
    env = envelope(RegisterParticipant(profile=p))
    await deliver(handlers.register_participant, env)
    return env


def types(uow: FakeUnitOfWork) -> list[str]:
    return [e.event_type for e in uow.events()]


def last_rejection(uow: FakeUnitOfWork) -> tuple[str, str]:
    rejected = uow.payloads()[-1]
    return rejected.code, rejected.command_type


async def test_create_roundtable_stores_it_and_announces_it(
    handlers: RegistrationHandlers, uow: FakeUnitOfWork, repo: InMemoryRegistrationRepository
) -> None:
    env = await opened(handlers)
    assert types(uow) == ["RoundtableOpened"]
    sent = uow.emitted[0]
    assert (sent.topic, sent.key) == (EVENTS, "rt-1")
    assert sent.envelope.causation_id == env.event_id
    assert sent.envelope.correlation_id == "c1"
    assert repo.roundtables["rt-1"]["registration_open"] is True
    assert repo.commands[str(env.event_id)]["status"] == "accepted"
    assert repo.commands[str(env.event_id)]["resource"] == {"kind": "roundtable", "id": "rt-1"}
    assert uow.inbox == [f"registration:{env.event_id}"]
    assert uow.commits == 1


async def test_a_second_roundtable_of_the_same_id_is_rejected(
    handlers: RegistrationHandlers, uow: FakeUnitOfWork, repo: InMemoryRegistrationRepository
) -> None:
    await opened(handlers)
    again = await opened(handlers)
    assert types(uow) == ["RoundtableOpened", "CommandRejected"]
    assert last_rejection(uow) == ("roundtable_exists", "CreateRoundtable")
    assert repo.commands[str(again.event_id)]["status"] == "rejected"


async def test_an_invalid_roundtable_is_rejected_with_each_problem(
    handlers: RegistrationHandlers, uow: FakeUnitOfWork, repo: InMemoryRegistrationRepository
) -> None:
    env = await opened(handlers, sectors=["coffee", "Coffee"])
    assert types(uow) == ["CommandRejected"]
    assert last_rejection(uow) == ("invalid", "CreateRoundtable")
    problems = repo.commands[str(env.event_id)]["details"]["problems"]
    assert [p["code"] for p in problems] == ["duplicate_sector"]
    assert repo.roundtables == {}


async def test_a_redelivered_command_has_no_second_effect(
    handlers: RegistrationHandlers, uow: FakeUnitOfWork
) -> None:
    env = await opened(handlers)
    await deliver(handlers.create_roundtable, env)
    assert types(uow) == ["RoundtableOpened"]
    assert (uow.commits, uow.duplicates) == (1, 1)


async def test_registration_opens_and_closes(
    handlers: RegistrationHandlers, uow: FakeUnitOfWork, repo: InMemoryRegistrationRepository
) -> None:
    await opened(handlers)
    await deliver(handlers.set_registration_open, envelope(SetRegistrationOpen(open=False)))
    assert repo.roundtables["rt-1"]["registration_open"] is False
    assert types(uow) == ["RoundtableOpened", "RegistrationStatusChanged"]
    assert uow.payloads()[-1].open is False
    await deliver(
        handlers.set_registration_open, envelope(SetRegistrationOpen(open=True), "rt-none")
    )
    assert last_rejection(uow) == ("roundtable_not_found", "SetRegistrationOpen")


async def test_register_participant_stores_it_pending_and_announces_it(
    handlers: RegistrationHandlers, uow: FakeUnitOfWork, repo: InMemoryRegistrationRepository
) -> None:
    await opened(handlers)
    env = await registered(handlers, profile())
    assert types(uow) == ["RoundtableOpened", "ParticipantRegistered"]
    assert uow.emitted[-1].key == "rt-1"  # registration events are keyed by roundtable
    assert uow.payloads()[-1].profile == profile()
    stored = repo.participants_by_id["p-7"]
    assert (stored["status"], stored["country"], stored["role"]) == ("pending", "CL", "exporter")
    assert repo.commands[str(env.event_id)]["resource"] == {"kind": "participant", "id": "p-7"}


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        ("no_roundtable", "roundtable_not_found"),
        ("closed", "registration_closed"),
        ("same_id", "participant_exists"),
        ("same_company", "duplicate_participant"),
        ("bad_sector", "invalid"),
    ],
)
async def test_register_participant_refusals(
    handlers: RegistrationHandlers,
    uow: FakeUnitOfWork,
    repo: InMemoryRegistrationRepository,
    setup: str,
    expected: str,
) -> None:
    new = profile()
    if setup != "no_roundtable":
        await opened(handlers, registration_open=setup != "closed")
    if setup == "same_id":
        await registered(handlers, profile(8, "p-7"))
    if setup == "same_company":
        await registered(handlers, profile(4, "p-first"))
    if setup == "bad_sector":
        new = new.model_copy(update={"sectors": ["space tourism"]})
    before = dict(repo.participants_by_id)
    env = await registered(handlers, new)
    assert last_rejection(uow) == (expected, "RegisterParticipant")
    assert repo.commands[str(env.event_id)]["status"] == "rejected"
    assert repo.participants_by_id == before


async def test_an_organizer_registers_while_registration_is_closed(
    handlers: RegistrationHandlers, uow: FakeUnitOfWork
) -> None:
    await opened(handlers, registration_open=False)
    env = envelope(RegisterParticipant(profile=profile(), requested_by_role="organizer"))
    await deliver(handlers.register_participant, env)
    assert types(uow) == ["RoundtableOpened", "ParticipantRegistered"]


def review(decision: str, country: str | None = "CL", pid: str = "p-7") -> Envelope:
    return envelope(
        ReviewParticipant(
            participant_id=pid,
            decision=decision,
            reason="" if decision == "approve" else "incomplete",
            reviewer_role="agency",
            reviewer_country=country,
        )
    )


async def test_its_own_agency_approves_then_rejects_a_participant(
    handlers: RegistrationHandlers, uow: FakeUnitOfWork, repo: InMemoryRegistrationRepository
) -> None:
    await opened(handlers)
    await registered(handlers, profile())
    await deliver(handlers.review_participant, review("approve"))
    approved = uow.payloads()[-1]
    assert (type(approved).__name__, approved.reviewed_by) == ("ParticipantApproved", "CL")
    assert approved.profile == profile()
    assert (
        repo.participants_by_id["p-7"]["status"],
        repo.participants_by_id["p-7"]["reviewed_by"],
    ) == (
        "approved",
        "CL",
    )
    await deliver(handlers.review_participant, review("reject"))
    rejected = uow.payloads()[-1]
    assert (type(rejected).__name__, rejected.reason) == ("ParticipantRejected", "incomplete")
    assert repo.participants_by_id["p-7"]["status"] == "rejected"


@pytest.mark.parametrize(
    ("country", "pid", "twice", "expected"),
    [
        ("MX", "p-7", False, "forbidden"),
        ("CL", "p-none", False, "participant_not_found"),
        ("CL", "p-7", True, "already_approved"),
    ],
)
async def test_review_refusals(
    handlers: RegistrationHandlers,
    uow: FakeUnitOfWork,
    country: str,
    pid: str,
    twice: bool,
    expected: str,
) -> None:
    await opened(handlers)
    await registered(handlers, profile())
    if twice:
        await deliver(handlers.review_participant, review("approve"))
    await deliver(handlers.review_participant, review("approve", country, pid))
    assert last_rejection(uow) == (expected, "ReviewParticipant")


async def test_withdraw_participant_once(
    handlers: RegistrationHandlers, uow: FakeUnitOfWork, repo: InMemoryRegistrationRepository
) -> None:
    await opened(handlers)
    await registered(handlers, profile())
    withdraw = WithdrawParticipant(participant_id="p-7", reason="sold out", requested_by="p-7")
    await deliver(handlers.withdraw_participant, envelope(withdraw))
    withdrawn = uow.payloads()[-1]
    assert (withdrawn.participant_id, withdrawn.role, withdrawn.reason) == (
        "p-7",
        "exporter",
        "sold out",
    )
    assert repo.participants_by_id["p-7"]["status"] == "withdrawn"
    await deliver(handlers.withdraw_participant, envelope(withdraw))
    assert last_rejection(uow) == ("already_withdrawn", "WithdrawParticipant")
    await deliver(
        handlers.withdraw_participant,
        envelope(withdraw.model_copy(update={"participant_id": "p-none"})),
    )
    assert last_rejection(uow) == ("participant_not_found", "WithdrawParticipant")


async def test_a_batch_commits_once_and_a_later_command_sees_an_earlier_one(
    handlers: RegistrationHandlers, uow: FakeUnitOfWork
) -> None:
    routes = {
        CreateRoundtable: handlers.create_roundtable,
        RegisterParticipant: handlers.register_participant,
    }
    batch = [
        envelope(create_roundtable()),
        envelope(RegisterParticipant(profile=profile(4, "p-1"))),
        envelope(RegisterParticipant(profile=profile(4, "p-2"))),  # the same company again
    ]
    await deliver_batch(handlers.batch(routes), batch)
    assert types(uow) == ["RoundtableOpened", "ParticipantRegistered", "CommandRejected"]
    assert last_rejection(uow) == ("duplicate_participant", "RegisterParticipant")
    assert [e.causation_id for e in uow.events()] == [e.event_id for e in batch]
    assert uow.commits == 1
    assert len(uow.inbox) == 3
