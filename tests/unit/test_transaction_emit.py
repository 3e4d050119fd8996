"""What a handler's transaction records for the relay: envelopes, causes, refusals."""

from __future__ import annotations

import uuid

import pytest

from rueda.shared.contracts import CommandRejected, Envelope, topic
from rueda.shared.contracts.registration import SetRegistrationOpen
from rueda.shared.messaging import Transaction, message_context

pytestmark = pytest.mark.unit

EVENTS = topic("registration.events.v1")


def _command() -> Envelope:
    return Envelope.wrap(
        SetRegistrationOpen(open=False),
        producer="gateway",
        roundtable_id="rt-9",
        correlation_id="req-42",
    )


def test_a_refusal_names_the_command_and_inherits_its_correlation() -> None:
    command = _command()
    tx = Transaction(None, producer="registration", prefix="t.")  # type: ignore[arg-type]
    with message_context(command, "t.registration.commands.v1"):
        envelope = tx.reject(
            command, topic=EVENTS, code="forbidden", reason="not yours", details={"who": "CL"}
        )
    (queued,) = tx.emitted
    assert queued.topic == "t.registration.events.v1"
    assert queued.key == "rt-9"
    refusal = envelope.payload_as(CommandRejected)
    assert (refusal.command_id, refusal.command_type, refusal.code) == (
        command.event_id,
        "SetRegistrationOpen",
        "forbidden",
    )
    assert refusal.details == {"who": "CL"}
    assert (envelope.correlation_id, envelope.causation_id) == ("req-42", command.event_id)


def test_stored_correlation_and_cause_override_the_context() -> None:
    cause = uuid.uuid4()
    tx = Transaction(None, producer="notifications", prefix="")  # type: ignore[arg-type]
    envelope = tx.reject(_command(), topic=EVENTS, code="c", reason="r", key="sub-1")
    assert tx.emitted[0].key == "sub-1"
    assert envelope.causation_id is None  # no message being handled, none stored
    stored = tx.emit(
        SetRegistrationOpen(open=True),
        topic=EVENTS,
        key="k",
        roundtable_id="rt",
        correlation_id="req-7",
        causation_id=cause,
    )
    assert (stored.correlation_id, stored.causation_id) == ("req-7", cause)
