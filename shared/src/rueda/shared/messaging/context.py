"""The message being handled, as a context variable: logs and everything published carry it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import structlog

from ..contracts import Envelope

__all__ = ["MessageContext", "current_message", "message_context", "new_correlation_id"]


@dataclass(frozen=True)
class MessageContext:
    """What a handler's outgoing messages inherit from the message it handles."""

    correlation_id: str
    causation_id: uuid.UUID | None
    roundtable_id: str | None
    topic: str | None = None


_current: ContextVar[MessageContext | None] = ContextVar("rueda_message", default=None)


def current_message() -> MessageContext | None:
    """The context of the message being handled, if any."""
    return _current.get()


def new_correlation_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def message_context(envelope: Envelope, topic: str | None = None) -> Iterator[MessageContext]:
    """Bind an incoming envelope: logs get its ids, publishes inherit its correlation."""
    ctx = MessageContext(
        correlation_id=envelope.correlation_id,
        causation_id=envelope.event_id,
        roundtable_id=envelope.roundtable_id,
        topic=topic,
    )
    token = _current.set(ctx)
    with structlog.contextvars.bound_contextvars(
        correlation_id=envelope.correlation_id,
        event_id=str(envelope.event_id),
        event_type=envelope.event_type,
        roundtable_id=envelope.roundtable_id,
        topic=topic,
    ):
        try:
            yield ctx
        finally:
            _current.reset(token)
