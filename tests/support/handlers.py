"""Use cases on fakes: deliver a message to a handler as the dispatcher would (in its
message context), and build envelopes with fresh ids."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from rueda.shared.contracts import Contract, Envelope
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
