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


# batches --------------------------------------------------------------------------------
def _rejected(participant_id: str) -> Envelope:
    return Envelope.wrap(
        ParticipantRejected(participant_id=participant_id, reason="r", reviewed_by="CL"),
        producer="registration",
        roundtable_id="rt",
        correlation_id=f"corr-{participant_id}",
    )


def _withdrawn(participant_id: str) -> Envelope:
    return Envelope.wrap(
        ParticipantWithdrawn(participant_id=participant_id, role="exporter", reason="r"),
        producer="registration",
        roundtable_id="rt",
        correlation_id=f"corr-{participant_id}",
    )


class _Recorder:
    """Single and batch handlers that write down what they were given, in order."""

    def __init__(self, fail_on: str | None = None, error: Exception | None = None) -> None:
        self.calls: list[tuple[str, list[str]]] = []
        self._fail_on = fail_on
        self._error = error or ValueError("bad data")

    async def one(self, env: Envelope, payload: ParticipantRejected) -> None:
        ctx = current_message()
        assert ctx is not None
        assert ctx.causation_id == env.event_id
        if payload.participant_id == self._fail_on:
            raise self._error
        self.calls.append(("one", [payload.participant_id]))

    async def many(self, batch: list[tuple[Envelope, ParticipantRejected]]) -> None:
        ids = [payload.participant_id for _, payload in batch]
        if self._fail_on in ids:
            raise self._error
        self.calls.append(("many", ids))

    async def other(self, env: Envelope, payload: ParticipantWithdrawn) -> None:
        self.calls.append(("other", [payload.participant_id]))


def _batching(recorder: _Recorder, sink: MemoryDeadLetters) -> Dispatcher:
    return Dispatcher(
        {ParticipantRejected: recorder.one, ParticipantWithdrawn: recorder.other},
        batch_routes={ParticipantRejected: recorder.many},
        group="g",
        dead_letters=sink,
        max_attempts=2,
        retry_backoff_s=0,
    )


async def test_consecutive_messages_of_a_batch_routed_type_go_to_the_batch_handler_in_order() -> (
    None
):
    recorder, sink = _Recorder(), MemoryDeadLetters()
    envelopes = [_rejected("a"), _rejected("b"), _withdrawn("w"), _rejected("c")]
    envelopes += [_rejected("d"), _rejected("e")]
    records = [_record(e.to_bytes(), offset=n) for n, e in enumerate(envelopes)]
    await _batching(recorder, sink).dispatch_batch(records)
    assert recorder.calls == [
        ("many", ["a", "b"]),
        ("other", ["w"]),
        ("many", ["c", "d", "e"]),
    ]
    assert sink.letters == []


async def test_a_poison_record_is_dead_lettered_after_the_messages_before_it() -> None:
    recorder = _Recorder()

    class InOrder(MemoryDeadLetters):
        async def send(
            self, record: RawRecord, *, error: BaseException, stage: str, attempts: int, group: str
        ) -> None:
            recorder.calls.append(("dlq", [str(record.offset)]))
            await super().send(record, error=error, stage=stage, attempts=attempts, group=group)

    sink = InOrder()
    records = [_record(_rejected(x).to_bytes(), offset=n) for n, x in enumerate("ab")]
    records += [_record(b"{oops", offset=2), _record(_rejected("c").to_bytes(), offset=3)]
    await _batching(recorder, sink).dispatch_batch(records)
    assert recorder.calls == [("many", ["a", "b"]), ("dlq", ["2"]), ("one", ["c"])]
    assert [(dl.stage, dl.record.offset) for dl in sink.letters] == [("parse", 2)]


async def test_a_failed_batch_is_handled_one_by_one_and_only_its_bad_message_dead_lettered() -> (
    None
):
    recorder, sink = _Recorder(fail_on="b"), MemoryDeadLetters()
    records = [_record(_rejected(x).to_bytes(), offset=n) for n, x in enumerate("abc")]
    await _batching(recorder, sink).dispatch_batch(records)
    assert recorder.calls == [("one", ["a"]), ("one", ["c"])]
    assert [(dl.stage, dl.attempts, dl.record.offset) for dl in sink.letters] == [("handler", 2, 1)]


async def test_an_infrastructure_failure_of_a_batch_raises_so_the_whole_batch_comes_again() -> None:
    recorder = _Recorder(fail_on="a", error=AutoReconnect("mongo unreachable"))
    sink = MemoryDeadLetters()
    records = [_record(_rejected(x).to_bytes(), offset=n) for n, x in enumerate("ab")]
    with pytest.raises(AutoReconnect):
        await _batching(recorder, sink).dispatch_batch(records)
    assert recorder.calls == []
    assert sink.letters == []


def test_a_batch_route_needs_a_single_route_for_the_fallback() -> None:
    recorder = _Recorder()
    with pytest.raises(ValueError, match="single route"):
        Dispatcher(
            {},
            batch_routes={ParticipantRejected: recorder.many},
            group="g",
            dead_letters=MemoryDeadLetters(),
        )


async def test_a_record_whose_type_header_names_no_route_is_skipped_without_parsing() -> None:
    recorder, sink = _Recorder(), MemoryDeadLetters()
    d = _batching(recorder, sink)

    def typed(value: bytes, event_type: bytes, offset: int) -> RawRecord:
        return RawRecord(
            topic="registration.events.v1",
            partition=0,
            offset=offset,
            key=b"rt",
            value=value,
            headers=(("content-type", b"application/json"), ("event_type", event_type)),
        )

    # a body that would be dead-lettered if it were parsed: the header says it is not ours
    await d.dispatch(typed(b"{oops", b"MeetingScheduled", 0))
    await d.dispatch_batch([typed(b"{oops", b"MeetingScheduled", 1)])
    assert sink.letters == []
    # a routed type is parsed and handled; a routed type with a broken body is dead-lettered
    await d.dispatch(typed(_rejected("a").to_bytes(), b"ParticipantRejected", 2))
    await d.dispatch_batch([typed(b"{oops", b"ParticipantRejected", 3)])
    assert recorder.calls == [("one", ["a"])]
    assert [(dl.stage, dl.record.offset) for dl in sink.letters] == [("parse", 3)]


async def test_types_that_share_a_batch_handler_form_one_run() -> None:
    batches: list[list[str]] = []

    async def many(batch: list[tuple[Envelope, object]]) -> None:
        batches.append([env.event_type for env, _ in batch])

    async def one(env: Envelope, payload: object) -> None:
        raise AssertionError("the batch handler takes them")

    d = Dispatcher(
        {ParticipantRejected: one, ParticipantWithdrawn: one},
        batch_routes={ParticipantRejected: many, ParticipantWithdrawn: many},
        group="g",
        dead_letters=MemoryDeadLetters(),
    )
    envelopes = [_rejected("a"), _withdrawn("w"), _rejected("b")]
    await d.dispatch_batch([_record(e.to_bytes(), offset=n) for n, e in enumerate(envelopes)])
    assert batches == [["ParticipantRejected", "ParticipantWithdrawn", "ParticipantRejected"]]
