"""Consuming: parse the envelope, route it to its handler, retry, dead-letter what cannot be done.

Nothing is acknowledged that was not handled or dead-lettered:
- a message that is not a valid envelope, or whose `data` does not fit its contract, goes to
  `<topic>.dlq` at once;
- a handler that raises is retried `max_attempts` times in place (the partition waits), then the
  message goes to `<topic>.dlq` with the error;
- an infrastructure failure (MongoDB or Kafka unreachable) is never dead-lettered: the
  subscriber raises, FastStream seeks back (NACK) and the message comes again;
- the offset is committed only when the handler returned or the dead letter was acknowledged.

A batch subscription hands the dispatcher several records at once (`dispatch_batch`). Runs
of consecutive messages whose types share a batch route go to that batch handler together
(one transaction for all of them); if it fails for a reason of the messages, each is handled
again on its own, so one bad message is retried and dead-lettered alone.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import structlog
from aiokafka.errors import KafkaError
from pydantic import ValidationError
from pymongo.errors import ConnectionFailure, OperationFailure, PyMongoError

from ..contracts import Contract, Envelope, UnknownMessageTypeError
from .context import message_context

__all__ = [
    "BatchHandler",
    "DeadLetterSink",
    "Dispatcher",
    "Handler",
    "RawRecord",
    "TransientError",
    "is_transient",
]

log = structlog.get_logger("rueda.messaging")

Handler = Callable[[Envelope, Any], Awaitable[None]]
BatchHandler = Callable[[Sequence[tuple[Envelope, Any]]], Awaitable[None]]


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
    a topic carries many message types and each consumer cares about some. A type may also
    have a batch route: a handler of several consecutive messages at once (of the types that
    share it), which must do what the single handlers do for each of them, in order.
    """

    def __init__(
        self,
        routes: Mapping[type[Contract], Handler],
        *,
        group: str,
        dead_letters: DeadLetterSink,
        max_attempts: int = 3,
        retry_backoff_s: float = 0.2,
        batch_routes: Mapping[type[Contract], BatchHandler] | None = None,
    ) -> None:
        self._routes = dict(routes)
        self._routed_types = {kind.event_type().encode() for kind in self._routes}
        self._batch_routes = dict(batch_routes or {})
        unrouted = set(self._batch_routes) - set(self._routes)
        if unrouted:
            raise ValueError(f"batch routes need a single route too: {sorted(map(str, unrouted))}")
        self.group = group
        self._dead_letters = dead_letters
        self._max_attempts = max_attempts
        self._backoff = retry_backoff_s

    @property
    def routes(self) -> Mapping[type[Contract], Handler]:
        return self._routes

    @property
    def batch_routes(self) -> Mapping[type[Contract], BatchHandler]:
        return self._batch_routes

    def _not_for_us(self, record: RawRecord) -> bool:
        """The record's `event_type` header names a type this consumer has no route for: it
        is skipped without parsing (most of a topic's messages are for other consumers)."""
        for name, value in record.headers:
            if name == "event_type":
                return value not in self._routed_types
        return False

    async def dispatch(self, record: RawRecord) -> None:
        """Handle one record; returns when it may be committed, raises when it must come again."""
        if self._not_for_us(record):
            return
        try:
            envelope, payload = _parse(record)
        except (ValidationError, UnknownMessageTypeError, ValueError) as exc:
            await self._dead_letter(record, exc, stage="parse", attempts=1)
            return
        handler = self._routes.get(type(payload))
        if handler is None:
            return
        with message_context(envelope, record.topic):
            await self._run(handler, envelope, payload, record)

    async def dispatch_batch(self, records: Sequence[RawRecord]) -> None:
        """Handle records in order; returns when all may be committed, raises when they must
        come again (the subscriber then rewinds to the first: those handled are skipped by
        their inbox)."""
        run: list[tuple[RawRecord, Envelope, Contract]] = []
        for record in records:
            if self._not_for_us(record):
                continue
            try:
                envelope, payload = _parse(record)
            except (ValidationError, UnknownMessageTypeError, ValueError) as exc:
                # what came before is handled first: the dead letter keeps its place in order
                if run:
                    await self._run_together(run)
                    run = []
                await self._dead_letter(record, exc, stage="parse", attempts=1)
                continue
            if type(payload) not in self._routes:
                continue
            if run and not self._together(run[0][2], payload):
                await self._run_together(run)
                run = []
            run.append((record, envelope, payload))
        if run:
            await self._run_together(run)

    def _together(self, first: Contract, other: Contract) -> bool:
        """Whether `other` may join a run that began with `first`: the same batch handler
        (one handler may take several types), or the same type."""
        batch = self._batch_routes.get(type(first))
        if batch is None:
            return type(first) is type(other)
        return bool(batch == self._batch_routes.get(type(other)))

    async def _run_together(self, run: Sequence[tuple[RawRecord, Envelope, Contract]]) -> None:
        batch = self._batch_routes.get(type(run[0][2]))
        if batch is not None and len(run) > 1:
            try:
                await batch([(envelope, payload) for _, envelope, payload in run])
                return
            except Exception as exc:
                if is_transient(exc):
                    await self._before_redelivery(exc, messages=len(run))
                    raise
                log.warning(
                    "batch failed, handling its messages one at a time",
                    error=repr(exc),
                    messages=len(run),
                )
        for record, envelope, payload in run:
            with message_context(envelope, record.topic):
                await self._run(self._routes[type(payload)], envelope, payload, record)

    async def _run(
        self, handler: Handler, envelope: Envelope, payload: Contract, record: RawRecord
    ) -> None:
        for attempt in range(1, self._max_attempts + 1):
            try:
                await handler(envelope, payload)
                return
            except Exception as exc:
                if is_transient(exc):
                    await self._before_redelivery(exc, messages=1)
                    raise
                log.warning(
                    "handler failed", attempt=attempt, error=repr(exc), max=self._max_attempts
                )
                if attempt == self._max_attempts:
                    await self._dead_letter(record, exc, stage="handler", attempts=attempt)
                    return
                await asyncio.sleep(self._backoff * attempt)

    async def _before_redelivery(self, exc: BaseException, *, messages: int) -> None:
        """An infrastructure failure: the message(s) will come again (NACK); pause first so
        an outage is not hammered."""
        log.warning("transient failure, will come again", error=repr(exc), messages=messages)
        await asyncio.sleep(max(self._backoff, 0.5))

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


def _parse(record: RawRecord) -> tuple[Envelope, Contract]:
    if record.value is None:
        raise ValueError("record has no value (tombstone)")
    envelope = Envelope.from_bytes(record.value)
    return envelope, envelope.payload()


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
