"""Inbox and transactional outbox on MongoDB.

A handler's state change, the record of the message it handled (inbox) and the events it must
publish (outbox) commit in one MongoDB transaction. The relay then publishes the outbox in
order and marks each record sent. A crash before the commit leaves nothing; a crash after it
leaves outbox records that the relay publishes on restart; a crash between publish and mark
re-publishes, and consumers drop the repeat by `event_id` (their inbox).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import os
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

import structlog
from pymongo import ASCENDING, ReturnDocument, UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError

from ..contracts import TOPICS, CommandRejected, Contract, Envelope, TopicSpec, utcnow
from ..mongo import IndexSpec
from .context import current_message, message_context, new_correlation_id
from .dispatch import BatchHandler, Handler

__all__ = [
    "INBOX_INDEXES",
    "OUTBOX_INDEXES",
    "RETENTION",
    "AlreadyHandledError",
    "OutboxMessage",
    "OutboxRelay",
    "PublishFn",
    "Transaction",
    "UnitOfWork",
    "per_roundtable",
    "purge_handled",
]

log = structlog.get_logger("rueda.outbox")
T = TypeVar("T")

Document = dict[str, Any]
INBOX = "inbox"
OUTBOX = "outbox"
LEASES = "leases"

INBOX_INDEXES = (IndexSpec(INBOX, [("at", ASCENDING)], name="inbox_at"),)
OUTBOX_INDEXES = (IndexSpec(OUTBOX, [("sent", ASCENDING), ("seq", ASCENDING)], name="outbox_due"),)

RETENTION = timedelta(milliseconds=max(spec.retention_ms for spec in TOPICS)) + timedelta(days=1)
"""How long a handled message's inbox record and a sent outbox record are kept: a day longer
than any topic keeps a message, so a redelivery always finds its inbox record."""


@dataclass(frozen=True)
class OutboxMessage:
    """An envelope waiting to be published."""

    topic: str
    key: str
    envelope: Envelope
    headers: Mapping[str, str] = field(default_factory=dict)


PublishFn = Callable[[Sequence[OutboxMessage]], Awaitable[None]]


class Transaction:
    """The scope of one handler run: its session, and the events it emits."""

    def __init__(self, session: AsyncClientSession, *, producer: str, prefix: str) -> None:
        self.session = session
        self._producer = producer
        self._prefix = prefix
        self.emitted: list[OutboxMessage] = []

    def emit(
        self,
        payload: Contract,
        *,
        topic: TopicSpec,
        key: str,
        roundtable_id: str,
        headers: Mapping[str, str] | None = None,
        event_id: uuid.UUID | None = None,
        correlation_id: str | None = None,
        causation_id: uuid.UUID | None = None,
    ) -> Envelope:
        """Record an event to publish when (and only if) this transaction commits.

        The envelope inherits the correlation of the message being handled and names it as
        its cause; work done later on a message's behalf (a queued delivery) passes the
        correlation and cause it stored.
        """
        ctx = current_message()
        envelope = Envelope.wrap(
            payload,
            producer=self._producer,
            roundtable_id=roundtable_id,
            correlation_id=correlation_id or (ctx.correlation_id if ctx else new_correlation_id()),
            causation_id=causation_id or (ctx.causation_id if ctx else None),
            event_id=event_id,
        )
        self.emitted.append(
            OutboxMessage(topic.physical(self._prefix), key, envelope, dict(headers or {}))
        )
        return envelope

    def reject(
        self,
        command: Envelope,
        *,
        topic: TopicSpec,
        code: str,
        reason: str,
        details: Mapping[str, Any] | None = None,
        key: str | None = None,
    ) -> Envelope:
        """Report a command this service refuses as `CommandRejected` on its events topic
        (keyed by roundtable unless `key` says otherwise)."""
        return self.emit(
            CommandRejected(
                command_id=command.event_id,
                command_type=command.event_type,
                code=code,
                reason=reason,
                details=dict(details or {}),
            ),
            topic=topic,
            key=key or command.roundtable_id,
            roundtable_id=command.roundtable_id,
        )


class AlreadyHandledError(Exception):
    """A message of a batch was handled before: the batch is undone and each of its messages
    handled on its own (where the inbox skips the repeat). Not transient: never retried as is."""


# the batch transaction that `UnitOfWork.handling` joins inside `UnitOfWork.batch`
_joined: contextvars.ContextVar[Transaction | None] = contextvars.ContextVar(
    "rueda_joined_transaction", default=None
)


class UnitOfWork:
    """Opens transactions that commit state, inbox and outbox together."""

    def __init__(
        self,
        db: AsyncDatabase[Document],
        *,
        producer: str,
        topic_prefix: str = "",
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        self._db = db
        self._producer = producer
        self._prefix = topic_prefix
        self._on_commit = on_commit
        self._seq_lock = asyncio.Lock()

    @property
    def db(self) -> AsyncDatabase[Document]:
        return self._db

    @contextlib.asynccontextmanager
    async def transaction(
        self, *, inbox_key: str | None = None, inbox_keys: Sequence[str] = ()
    ) -> AsyncIterator[Transaction | None]:
        """A transaction; yields None if `inbox_key` was already handled (do nothing then).

        With `inbox_keys` (a batch) it raises `AlreadyHandledError` if any of them was.
        Everything written with `tx.session` and every `tx.emit` commit together on exit;
        an exception aborts them all.
        """
        client = self._db.client
        tx: Transaction | None = None
        now = utcnow()
        async with client.start_session() as session:
            await session.start_transaction()
            try:
                if inbox_key is not None:
                    try:
                        await self._db[INBOX].insert_one(
                            {"_id": inbox_key, "at": now}, session=session
                        )
                    except DuplicateKeyError:
                        await session.abort_transaction()
                        log.info("duplicate delivery skipped", inbox_key=inbox_key)
                        yield None
                        return
                if inbox_keys:
                    try:
                        await self._db[INBOX].insert_many(
                            [{"_id": key, "at": now} for key in inbox_keys], session=session
                        )
                    except BulkWriteError as exc:
                        if not _duplicate_keys_only(exc):
                            raise
                        raise AlreadyHandledError(
                            f"a message of this batch of {len(inbox_keys)} was handled before"
                        ) from exc
                tx = Transaction(session, producer=self._producer, prefix=self._prefix)
                yield tx
                if tx.emitted:
                    await self._db[OUTBOX].insert_many(
                        [self._outbox_doc(m) for m in tx.emitted], session=session
                    )
                await session.commit_transaction()
            except BaseException:
                if session.in_transaction:
                    with contextlib.suppress(Exception):
                        await session.abort_transaction()
                raise
        if tx is not None and tx.emitted and self._on_commit is not None:
            self._on_commit()

    def handling(
        self, envelope: Envelope, consumer: str
    ) -> contextlib.AbstractAsyncContextManager[Transaction | None]:
        """The transaction of one consumed message: yields None if it was handled before.

        Inside `batch` it is the batch's transaction (whose inbox already holds the message).
        """
        joined = _joined.get()
        if joined is not None:
            return _already_open(joined)
        return self.transaction(inbox_key=_inbox_keys([envelope], consumer)[0])

    @property
    def in_batch(self) -> bool:
        """Whether `handling` joins a batch's transaction here (see `batch`)."""
        return _joined.get() is not None

    @contextlib.asynccontextmanager
    async def batch(self, envelopes: Sequence[Envelope], consumer: str) -> AsyncIterator[None]:
        """One transaction for several consumed messages whose handlers each open
        `handling`: inside, `handling` joins it instead of opening its own, so the handlers
        run unchanged and commit together (or not at all). Raises `AlreadyHandledError` if
        one of them was handled before.

        Only for handlers with no effect outside their transaction that assumes it
        committed when `handling` exits (a cache of the committed state, a task started).
        """
        async with self.transaction(inbox_keys=_inbox_keys(envelopes, consumer)) as tx:
            assert tx is not None
            token = _joined.set(tx)
            try:
                yield
            finally:
                _joined.reset(token)

    def batch_handler(
        self,
        routes: Mapping[type[Contract], Handler],
        consumer: str,
        *,
        lock: Callable[[str], contextlib.AbstractAsyncContextManager[Any]] | None = None,
    ) -> BatchHandler:
        """A dispatcher batch route for handlers that each open `handling`: per roundtable
        (under `lock(roundtable_id)` if given), the messages' own handlers in order, in one
        `batch` transaction. The same restriction as `batch` applies."""

        async def handle(batch: Sequence[tuple[Envelope, Any]]) -> None:
            for roundtable_id, items in per_roundtable(batch).items():
                async with contextlib.AsyncExitStack() as stack:
                    if lock is not None:
                        await stack.enter_async_context(lock(roundtable_id))
                    await stack.enter_async_context(self.batch([e for e, _ in items], consumer))
                    for envelope, payload in items:
                        with message_context(envelope):
                            await routes[type(payload)](envelope, payload)

        return handle

    def handling_many(
        self, envelopes: Sequence[Envelope], consumer: str
    ) -> contextlib.AbstractAsyncContextManager[Transaction | None]:
        """The transaction of consumed messages: for one, `handling` (None if it was handled
        before); for several, raises `AlreadyHandledError` if one of them was."""
        if len(envelopes) == 1:
            return self.handling(envelopes[0], consumer)
        return self.transaction(inbox_keys=_inbox_keys(envelopes, consumer))

    @staticmethod
    def _outbox_doc(message: OutboxMessage) -> Document:
        return {
            "_id": str(message.envelope.event_id),
            # strictly increasing within a process, so the relay publishes in commit order
            "seq": _sequence(),
            "topic": message.topic,
            "key": message.key,
            "value": message.envelope.model_dump_json(),
            "headers": dict(message.headers),
            "sent": False,
            "created_at": utcnow(),
        }


def per_roundtable(batch: Iterable[tuple[Envelope, T]]) -> dict[str, list[tuple[Envelope, T]]]:
    """A batch's messages by roundtable, each roundtable's in their order (a topic's key:
    no order between roundtables to keep)."""
    grouped: dict[str, list[tuple[Envelope, T]]] = {}
    for envelope, payload in batch:
        grouped.setdefault(envelope.roundtable_id, []).append((envelope, payload))
    return grouped


def _inbox_keys(envelopes: Sequence[Envelope], consumer: str) -> list[str]:
    return [f"{consumer}:{e.event_id}" for e in envelopes]


@contextlib.asynccontextmanager
async def _already_open(tx: Transaction) -> AsyncIterator[Transaction | None]:
    yield tx


def _duplicate_keys_only(exc: BulkWriteError) -> bool:
    errors = exc.details.get("writeErrors", [])
    return bool(errors) and all(e.get("code") == 11000 for e in errors)


_last_seq = 0


def _sequence() -> int:
    """A strictly increasing integer per process (nanoseconds, bumped on ties)."""
    global _last_seq
    now = time.time_ns()
    _last_seq = now if now > _last_seq else _last_seq + 1
    return _last_seq


class OutboxRelay:
    """Publishes committed outbox records in order, then marks them sent.

    One replica at a time holds the relay lease, so records are published in commit order
    per key. `wake()` after a commit publishes at once; a poll catches the rest (restarts).
    """

    def __init__(
        self,
        db: AsyncDatabase[Document],
        publish: PublishFn,
        *,
        poll_s: float = 0.5,
        batch: int = 500,
        lease_s: float = 10.0,
        owner: str | None = None,
        retention: timedelta = RETENTION,
        purge_every: timedelta = timedelta(hours=1),
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._db = db
        self._publish = publish
        self._poll_s = poll_s
        self._batch = batch
        self._lease_s = lease_s
        self._owner = owner or f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._retention = retention
        self._purge_every = purge_every
        self._clock = clock
        self._next_purge: datetime | None = None

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with contextlib.suppress(Exception):
            await self._db[LEASES].delete_one({"_id": "outbox-relay", "owner": self._owner})

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_s)
            self._wake.clear()
            try:
                while await self.flush() >= self._batch:
                    pass
                await self.purge_due()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("outbox relay failed, will retry", error=repr(exc))
                await asyncio.sleep(self._poll_s)

    async def _hold_lease(self) -> bool:
        now = utcnow()
        try:
            doc = await self._db[LEASES].find_one_and_update(
                {"_id": "outbox-relay", "$or": [{"owner": self._owner}, {"until": {"$lt": now}}]},
                {"$set": {"owner": self._owner, "until": now + timedelta(seconds=self._lease_s)}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError:
            return False
        return doc is not None and doc.get("owner") == self._owner

    async def flush(self) -> int:
        """Publish one batch of pending records; returns how many."""
        async with self._lock:
            # an idle poll costs one query; the lease is only taken when there is work
            docs = (
                await self._db[OUTBOX]
                .find({"sent": False})
                .sort("seq", ASCENDING)
                .limit(self._batch)
                .to_list()
            )
            if not docs or not await self._hold_lease():
                return 0
            messages = [
                OutboxMessage(
                    d["topic"], d["key"], Envelope.model_validate_json(d["value"]), d["headers"]
                )
                for d in docs
            ]
            await self._publish(messages)
            # one point update per record in one round trip: SecantusDB tests every document
            # against a whole `$in` list, quadratic in the batch
            sent = {"$set": {"sent": True, "sent_at": utcnow()}}
            await self._db[OUTBOX].bulk_write(
                [UpdateOne({"_id": d["_id"]}, sent) for d in docs], ordered=False
            )
            return len(docs)

    async def purge_sent(self, older_than: timedelta = timedelta(days=1)) -> int:
        """Delete records published long ago."""
        result = await self._db[OUTBOX].delete_many(
            {"sent": True, "sent_at": {"$lt": utcnow() - older_than}}
        )
        return result.deleted_count

    async def purge_due(self) -> tuple[int, int] | None:
        """Purge what is past its retention (`purge_handled`) if the last purge is
        `purge_every` ago by the relay's clock (or none ran yet); the counts, or None."""
        now = self._clock()
        if self._next_purge is not None and now < self._next_purge:
            return None
        self._next_purge = now + self._purge_every
        purged = await purge_handled(self._db, now=now, older_than=self._retention)
        if any(purged):
            log.info("retention purge", inbox=purged[0], outbox=purged[1])
        return purged


async def purge_handled(
    db: AsyncDatabase[Document], *, now: datetime, older_than: timedelta = RETENTION
) -> tuple[int, int]:
    """Delete inbox records and sent outbox records older than `older_than` at `now`;
    returns how many of each. Never an unsent record: the relay still owes it."""
    cutoff = now - older_than
    inbox = await db[INBOX].delete_many({"at": {"$lt": cutoff}})
    outbox = await db[OUTBOX].delete_many({"sent": True, "sent_at": {"$lt": cutoff}})
    return inbox.deleted_count, outbox.deleted_count
