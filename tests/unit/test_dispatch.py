"""The dispatcher: parse, route, retry, dead-letter, and never ack what was not handled."""

from __future__ import annotations

import pytest
from pymongo.errors import AutoReconnect
from tests.support.fakes import MemoryDeadLetters

from rueda.shared.contracts import Envelope
from rueda.shared.contracts.registration import ParticipantRejected, ParticipantWithdrawn
from rueda.shared.messaging import Dispatcher, RawRecord, current_message

pytestmark = pytest.mark.unit


def _record(value: bytes | None, offset: int = 5) -> RawRecord:
    return RawRecord(
        topic="registration.events.v1", partition=1, offset=offset, key=b"rt", value=value
    )


def _env() -> Envelope:
    return Envelope.wrap(
        ParticipantRejected(participant_id="p", reason="r", reviewed_by="CL"),
        producer="registration",
        roundtable_id="rt",
        correlation_id="corr-9",
    )


async def test_routes_by_contract_and_binds_the_message_context() -> None:
    seen = []

    async def handler(env: Envelope, payload: ParticipantRejected) -> None:
        ctx = current_message()
        assert ctx is not None
        seen.append((payload.participant_id, ctx.correlation_id, ctx.causation_id))

    sink = MemoryDeadLetters()
    d = Dispatcher({ParticipantRejected: handler}, group="g", dead_letters=sink)
    env = _env()
    await d.dispatch(_record(env.to_bytes()))
    assert seen == [("p", "corr-9", env.event_id)]
    assert current_message() is None
    assert sink.letters == []


async def test_messages_without_a_route_are_skipped() -> None:
    sink = MemoryDeadLetters()

    async def never(env: Envelope, payload: object) -> None:
        raise AssertionError("not routed here")

    d = Dispatcher({ParticipantWithdrawn: never}, group="g", dead_letters=sink)
    await d.dispatch(_record(_env().to_bytes()))
    assert sink.letters == []


@pytest.mark.parametrize("value", [b"{oops", b"[]", None, b'{"event_type": "X"}'])
async def test_unparseable_messages_are_dead_lettered_at_once(value: bytes | None) -> None:
    sink = MemoryDeadLetters()
    d = Dispatcher({}, group="g", dead_letters=sink)
    await d.dispatch(_record(value))
    assert [(dl.stage, dl.attempts, dl.group) for dl in sink.letters] == [("parse", 1, "g")]


async def test_failing_handler_is_retried_then_dead_lettered() -> None:
    calls = 0

    async def flaky(env: Envelope, payload: object) -> None:
        nonlocal calls
        calls += 1
        raise ValueError("bad data")

    sink = MemoryDeadLetters()
    d = Dispatcher(
        {ParticipantRejected: flaky},
        group="g",
        dead_letters=sink,
        max_attempts=4,
        retry_backoff_s=0,
    )
    await d.dispatch(_record(_env().to_bytes(), offset=42))
    assert calls == 4
    assert len(sink.letters) == 1
    letter = sink.letters[0]
    assert (letter.stage, letter.attempts, letter.record.offset) == ("handler", 4, 42)
    assert isinstance(letter.error, ValueError)


async def test_a_handler_that_recovers_is_not_dead_lettered() -> None:
    calls = 0

    async def second_time_lucky(env: Envelope, payload: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ValueError("once")

    sink = MemoryDeadLetters()
    d = Dispatcher(
        {ParticipantRejected: second_time_lucky}, group="g", dead_letters=sink, retry_backoff_s=0
    )
    await d.dispatch(_record(_env().to_bytes()))
    assert calls == 2
    assert sink.letters == []


async def test_infrastructure_failures_raise_so_the_message_comes_again() -> None:
    async def db_down(env: Envelope, payload: object) -> None:
        raise AutoReconnect("mongo unreachable")

    sink = MemoryDeadLetters()
    d = Dispatcher({ParticipantRejected: db_down}, group="g", dead_letters=sink, retry_backoff_s=0)
    with pytest.raises(AutoReconnect):
        await d.dispatch(_record(_env().to_bytes()))
    assert sink.letters == []


async def test_an_unreachable_dead_letter_topic_means_no_ack() -> None:
    sink = MemoryDeadLetters(fail_with=ConnectionError("kafka down"))
    d = Dispatcher({}, group="g", dead_letters=sink)
    with pytest.raises(ConnectionError):
        await d.dispatch(_record(b"{oops"))
