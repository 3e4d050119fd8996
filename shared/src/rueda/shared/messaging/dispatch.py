"""Consuming: parse the envelope, route it to its handler, retry, dead-letter what cannot be done.

Nothing is acknowledged that was not handled or dead-lettered:
- a message that is not a valid envelope, or whose `data` does not fit its contract, goes to
  `<topic>.dlq` at once;
- a handler that raises is retried `max_attempts` times in place (the partition waits), then the
  message goes to `<topic>.dlq` with the error;
- an infrastructure failure (MongoDB or Kafka unreachable) is never dead-lettered: the
  subscriber raises, FastStream seeks back (NACK) and the message comes again;
- the offset is committed only when the handler returned or the dead letter was acknowledged.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import structlog
from aiokafka.errors import KafkaError
from pydantic import ValidationError
from pymongo.errors import ConnectionFailure, OperationFailure, PyMongoError

from ..contracts import Contract, Envelope, UnknownMessageTypeError
from .context import message_context

__all__ = [
    "DeadLetterSink",
    "Dispatcher",
    "Handler",
    "RawRecord",
    "TransientError",
    "is_transient",
]

log = structlog.get_logger("rueda.messaging")

Handler = Callable[[Envelope, Any], Awaitable[None]]


class TransientError(Exception):
    """Raise from a handler for a failure that will pass (never dead-lettered)."""


def is_transient(exc: BaseException) -> bool:
    """Failures of the infrastructure rather than of the message."""
    if isinstance(exc, TransientError | ConnectionFailure | KafkaError | asyncio.TimeoutError):
        return True
    if isinstance(exc, OperationFailure) and exc.has_error_label("TransientTransactionError"):
        return True
    return isinstance(exc, PyMongoError) and exc.has_error_label("RetryableWriteError")


@dataclass(frozen=True)
class RawRecord:
    """A consumed Kafka record, as the dispatcher sees it."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...] = ()


class DeadLetterSink(Protocol):
    async def send(
        self, record: RawRecord, *, error: BaseException, stage: str, attempts: int, group: str
    ) -> None: ...


class Dispatcher:
    """Routes the envelopes of one subscription to their handlers, by contract class.

    Contracts on the topic that this consumer has no route for are skipped (acknowledged):
    a topic carries many message types and each consumer cares about some.
    """

    def __init__(
        self,
        routes: Mapping[type[Contract], Handler],
        *,
        group: str,
        dead_letters: DeadLetterSink,
        max_attempts: int = 3,
        retry_backoff_s: float = 0.2,
    ) -> None:
        self._routes = dict(routes)
        self.group = group
        self._dead_letters = dead_letters
        self._max_attempts = max_attempts
        self._backoff = retry_backoff_s

    @property
    def routes(self) -> Mapping[type[Contract], Handler]:
        return self._routes

    async def dispatch(self, record: RawRecord) -> None:
        """Handle one record; returns when it may be committed, raises when it must come again."""
        try:
            if record.value is None:
                raise ValueError("record has no value (tombstone)")
            envelope = Envelope.from_bytes(record.value)
            payload = envelope.payload()
        except (ValidationError, UnknownMessageTypeError, ValueError) as exc:
            await self._dead_letter(record, exc, stage="parse", attempts=1)
            return
        handler = self._routes.get(type(payload))
        if handler is None:
            return
        with message_context(envelope, record.topic):
            await self._run(handler, envelope, payload, record)

    async def _run(
        self, handler: Handler, envelope: Envelope, payload: Contract, record: RawRecord
    ) -> None:
        for attempt in range(1, self._max_attempts + 1):
            try:
                await handler(envelope, payload)
                return
            except Exception as exc:
                if is_transient(exc):
                    log.warning("transient failure, message will come again", error=repr(exc))
                    await asyncio.sleep(max(self._backoff, 0.5))
                    raise
                log.warning(
                    "handler failed", attempt=attempt, error=repr(exc), max=self._max_attempts
                )
                if attempt == self._max_attempts:
                    await self._dead_letter(record, exc, stage="handler", attempts=attempt)
                    return
                await asyncio.sleep(self._backoff * attempt)

    async def _dead_letter(
        self, record: RawRecord, exc: BaseException, *, stage: str, attempts: int
    ) -> None:
        log.error(
            "message dead-lettered",
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            stage=stage,
            error=repr(exc),
        )
        await self._dead_letters.send(
            record, error=exc, stage=stage, attempts=attempts, group=self.group
        )


def error_headers(
    record: RawRecord, *, error: BaseException, stage: str, attempts: int, group: str
) -> dict[str, str]:
    """Headers of a dead letter: the error and where the message came from."""
    tb = "".join(traceback.format_exception_only(type(error), error)).strip()
    return {
        "x-error-type": type(error).__name__,
        "x-error-message": tb[:4000],
        "x-error-stage": stage,
        "x-attempts": str(attempts),
        "x-original-topic": record.topic,
        "x-original-partition": str(record.partition),
        "x-original-offset": str(record.offset),
        "x-consumer-group": group,
    }
