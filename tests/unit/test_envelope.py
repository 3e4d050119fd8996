"""The envelope and the contract registry."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from pydantic import ValidationError

from rueda.shared.contracts import (
    TOPICS,
    Envelope,
    Money,
    UnknownMessageTypeError,
    message_type,
    topic,
    topic_names,
)
from rueda.shared.contracts.deals import RecordOutcome
from rueda.shared.contracts.registration import ParticipantRejected

pytestmark = pytest.mark.unit


def _rejected() -> ParticipantRejected:
    return ParticipantRejected(participant_id="p-1", reason="tax id not found", reviewed_by="CL")


def test_round_trip_keeps_every_field() -> None:
    cause = uuid.uuid4()
    env = Envelope.wrap(
        _rejected(),
        producer="registration",
        roundtable_id="rt-1",
        correlation_id="req-1",
        causation_id=cause,
    )
    back = Envelope.from_bytes(env.to_bytes())
    assert back == env
    assert back.event_type == "ParticipantRejected"
    assert back.schema_version == 1
    assert back.causation_id == cause
    assert back.payload() == _rejected()
    assert back.payload_as(ParticipantRejected).reason == "tax id not found"


def test_occurred_at_is_normalised_to_utc() -> None:
    local = datetime(2020, 6, 23, 9, 0, tzinfo=timezone(timedelta(hours=-4)))
    env = Envelope.wrap(
        _rejected(), producer="x", roundtable_id="r", correlation_id="c", occurred_at=local
    )
    assert env.occurred_at.utcoffset() == timedelta(0)
    assert env.occurred_at == datetime(2020, 6, 23, 13, 0, tzinfo=UTC)


def test_naive_timestamps_and_missing_fields_are_refused() -> None:
    env = Envelope.wrap(_rejected(), producer="x", roundtable_id="r", correlation_id="c")
    raw = env.model_dump(mode="json")
    raw["occurred_at"] = "2020-06-23T09:00:00"
    with pytest.raises(ValidationError):
        Envelope.model_validate(raw)
    del raw["roundtable_id"]
    with pytest.raises(ValidationError):
        Envelope.model_validate(raw)


def test_unknown_type_and_version_are_refused() -> None:
    env = Envelope.wrap(_rejected(), producer="x", roundtable_id="r", correlation_id="c")
    with pytest.raises(UnknownMessageTypeError):
        env.model_copy(update={"event_type": "NoSuchThing"}).payload()
    with pytest.raises(UnknownMessageTypeError):
        env.model_copy(update={"schema_version": 2}).payload()
    with pytest.raises(UnknownMessageTypeError):
        env.payload_as(RecordOutcome)


def test_money_is_decimal_on_the_wire() -> None:
    cmd = RecordOutcome(
        outcome_id="o",
        meeting_id="m",
        participant_id="p",
        reported_by="p",
        result="deal",
        immediate_amount=Money(value=Decimal("0.1"), currency="USD"),
    )
    env = Envelope.wrap(cmd, producer="gateway", roundtable_id="r", correlation_id="c")
    assert '"value":"0.1"' in env.to_bytes().decode()
    assert env.payload_as(RecordOutcome).immediate_amount == Money(
        value=Decimal("0.1"), currency="USD"
    )


def test_registry_covers_every_topic_and_names_dead_letter_twins() -> None:
    names = [t.name for t in TOPICS]
    assert len(names) == len(set(names))
    for spec in TOPICS:
        assert spec.messages, spec.name
        assert spec.dlq == f"{spec.name}.dlq"
        for model in spec.messages:
            assert message_type(model.event_type()) is model
            assert model.__doc__ or model.model_fields, model
    assert topic("deals.closed.v1").key == "agency_code"
    assert topic("deals.closed.v1").public
    assert f"x.{TOPICS[0].name}.dlq" in topic_names("x.")
    assert len(topic_names()) == 2 * len(TOPICS)


def test_commands_are_imperative_and_events_past_tense() -> None:
    for spec in TOPICS:
        kinds = {m.message_kind for m in spec.messages}
        assert kinds == ({"command"} if ".commands." in spec.name else {"event"}), spec.name
