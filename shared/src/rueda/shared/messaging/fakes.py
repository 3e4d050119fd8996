"""The unit of work in memory, beside the real one (`outbox.UnitOfWork`), for use cases
tested without MongoDB or Kafka.

`FakeUnitOfWork` keeps the real unit of work's entry points (`handling`, `handling_many`,
`batch`, `batch_handler`, `in_batch`: inherited, so a handler test runs the same routing)
and replaces only the transaction: the inbox is a set, a commit appends the transaction's
events to `emitted` and its inbox keys to `inbox`, and an exception commits nothing of
either. Handlers then pass `tx.session` (None here) to in-memory repositories, which ignore
it; those repositories do not roll back their own writes on an abort.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from typing import Any, cast

from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from ..contracts import Envelope
from .outbox import AlreadyHandledError, OutboxMessage, Transaction, UnitOfWork

__all__ = ["FakeUnitOfWork"]


class FakeUnitOfWork(UnitOfWork):
    """Records what its transactions emitted, the inbox keys they handled and each commit."""

    def __init__(self, *, producer: str = "test", topic_prefix: str = "") -> None:
        # no database: only `transaction` (below) would have used it
        self._producer = producer
        self._prefix = topic_prefix
        self._on_commit = None
        self._seq_lock = asyncio.Lock()
        self.inbox: list[str] = []
        self.emitted: list[OutboxMessage] = []
        self.commits = 0
        self.aborts = 0
        self.duplicates = 0

    @property
    def db(self) -> AsyncDatabase[dict[str, Any]]:
        raise RuntimeError("a FakeUnitOfWork has no database: give the handler in-memory ports")

    @contextlib.asynccontextmanager
    async def transaction(
        self, *, inbox_key: str | None = None, inbox_keys: Sequence[str] = ()
    ) -> AsyncIterator[Transaction | None]:
        keys = [*([inbox_key] if inbox_key is not None else []), *inbox_keys]
        if inbox_key is not None and inbox_key in self.inbox:
            self.duplicates += 1
            yield None
            return
        if any(key in self.inbox for key in inbox_keys):
            raise AlreadyHandledError(
                f"a message of this batch of {len(inbox_keys)} was handled before"
            )
        # in-memory repositories take no session
        tx = Transaction(
            cast(AsyncClientSession, None), producer=self._producer, prefix=self._prefix
        )
        try:
            yield tx
        except BaseException:
            self.aborts += 1
            raise
        self.inbox.extend(keys)
        self.emitted.extend(tx.emitted)
        self.commits += 1

    def events(self, topic: str | None = None) -> list[Envelope]:
        """The committed envelopes, in order (on one physical topic if given)."""
        return [m.envelope for m in self.emitted if topic is None or m.topic == topic]

    def payloads(self, topic: str | None = None) -> list[Any]:
        """The committed events' payloads (`data` as its contract), in order."""
        return [envelope.payload() for envelope in self.events(topic)]
