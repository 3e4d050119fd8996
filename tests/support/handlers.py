"""Use cases on fakes: deliver a message to a handler as the dispatcher would (in its
message context), and build envelopes with fresh ids."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from tests.support.rounds import exporter, importer, roundtable

from rueda.shared.contracts import Contract, Envelope, ParticipantProfile
from rueda.shared.contracts.registration import CreateRoundtable, RoundtableOpened
from rueda.shared.messaging import message_context


def envelope(
    payload: Contract, roundtable_id: str = "rt-1", correlation_id: str = "c1"
) -> Envelope:
    return Envelope.wrap(
        payload, producer="test", roundtable_id=roundtable_id, correlation_id=correlation_id
    )


async def deliver(handler: Callable[[Envelope, Any], Awaitable[None]], env: Envelope) -> None:
    """One message, as the dispatcher hands it over: inside its message context."""
    with message_context(env):
        await handler(env, env.payload())


async def deliver_batch(
    handler: Callable[[Sequence[tuple[Envelope, Any]]], Awaitable[None]],
    envs: Sequence[Envelope],
) -> None:
    """A batch route's run of messages."""
    await handler([(e, e.payload()) for e in envs])


def create_roundtable(**changes: object) -> CreateRoundtable:
    """The 2020 Pacific Alliance roundtable as registration's command (fields changed)."""
    body = roundtable()
    keys = ("name", "agencies", "exporter_countries", "importer_countries", "sectors", "matching")
    return CreateRoundtable.model_validate(
        {**{k: body[k] for k in (*keys, "usd_rates")}, "calendar": {"days": body["days"]}} | changes
    )


def roundtable_opened(**changes: object) -> RoundtableOpened:
    """The event registration emits for `create_roundtable(**changes)`."""
    return RoundtableOpened.model_validate(create_roundtable(**changes).model_dump())


def profile(i: int, pid: str, role: str = "exporter") -> ParticipantProfile:
    """Exporter (or importer) `i` of the 2020 round under the id `pid`."""
    body = exporter(i) if role == "exporter" else importer(i)
    return ParticipantProfile.model_validate({**body, "participant_id": pid})
