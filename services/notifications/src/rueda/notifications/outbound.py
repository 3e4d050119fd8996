"""The background workers: the delivery worker (e-mail and webhooks) and the reminder clock.

Exactly once per (source event, recipient, channel) — what that means precisely:

1. The consumer writes one delivery document per (source, recipient, channel), `_id` a
   deterministic UUIDv5, in the transaction that records the event in the inbox. A
   redelivered event, or a second replica handling it, cannot create a second document.
2. A worker claims a batch of due deliveries (pending -> sending, owner, a fresh claim token,
   lease); each document's update is atomic and re-asserts that it is still due, so two
   replicas can never hold the same delivery at once.
3. After the SMTP server accepted the messages (or the receivers answered 2xx) the worker
   marks the batch's sent deliveries `sent` and emits their `NotificationSent` in one
   transaction; only the holder of the claim can.
4. A failure (connection refused, 4xx/5xx from SMTP, non-2xx from a receiver) puts it back to
   `pending` with a retry time (exponential backoff, full jitter); after the last attempt it
   becomes `failed`, `NotificationFailed` is emitted, and a webhook also goes to
   `notifications.events.v1.dlq`.
5. Graceful stop (SIGTERM) lets the send in flight finish, records the batch's outcomes and
   gives back the deliveries it has not tried, so a restart never leaves one half-done.

The one window left: the process dies (SIGKILL, power loss) after the server accepted a
message and before step 3 committed its batch - at most one batch's sending time. The lease
then runs out and another worker sends those again. SMTP has no idempotency key, so this is
the only case in which a recipient can get a second copy; it carries the same `Message-ID`
(and a webhook the same `Rueda-Webhook-Id`), so mail clients and receivers that deduplicate
drop it. Nothing is ever dropped: a claimed delivery whose worker died is always taken up
again. The lease (`delivery_lease_s`) is longer than twice the SMTP and HTTP timeouts, and a
batch starts no send after half its lease, so a slow but live sender is never overtaken.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import Message
from typing import Any

import structlog

from rueda.shared.contracts.notifications import NotificationFailed, NotificationSent
from rueda.shared.messaging import Transaction, UnitOfWork, is_transient
from rueda.shared.sealing import Sealer

from .adapters.mongo import NotificationsStore
from .adapters.smtp import Mailer
from .adapters.webhooks import WebhookClient
from .compose import EmailComposer, participants_needed
from .domain import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WEBHOOK_ID_HEADER,
    Clock,
    retry_delay,
    sign_webhook,
)
from .handlers import EVENTS, email_delivery

__all__ = ["DeadLetterFn", "DeliveryWorker", "ReminderWorker", "RetryPolicy"]

log = structlog.get_logger("rueda.notifications")
Document = dict[str, Any]
DeadLetterFn = Callable[[Document, str], Awaitable[None]]


class DeliveryError(Exception):
    """A send that did not go through (retried)."""


class DeliveryCancelledError(Exception):
    """A delivery that must not be sent any more (its subscription was deleted)."""


class RetryPolicy:
    """How often and how far apart deliveries of one channel are tried."""

    def __init__(self, *, max_attempts: int, base_s: float, cap_s: float) -> None:
        self.max_attempts = max_attempts
        self.base_s = base_s
        self.cap_s = cap_s

    def delay(self, attempt: int) -> timedelta:
        return retry_delay(attempt, base_s=self.base_s, cap_s=self.cap_s)


class _Loop:
    """A few tasks that each run `step` until it finds nothing, then wait for a wake-up."""

    name = "worker"

    def __init__(self, *, poll_s: float, concurrency: int = 1) -> None:
        self._poll_s = poll_s
        self._concurrency = concurrency
        self._wake = asyncio.Event()
        self._stopping = False
        self._tasks: list[asyncio.Task[None]] = []
        self.owner = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"

    async def step(self) -> bool:
        raise NotImplementedError

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._stopping = False
        if not self._tasks:
            self._tasks = [
                asyncio.create_task(self._run(), name=f"{self.name}-{i}")
                for i in range(self._concurrency)
            ]

    async def stop(self, drain_s: float = 10.0) -> None:
        """Take no new work, let what is in flight finish (bounded), then cancel."""
        self._stopping = True
        self._wake.set()
        if not self._tasks:
            return
        _, pending = await asyncio.wait(self._tasks, timeout=drain_s)
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def _run(self) -> None:
        while not self._stopping:
            try:
                did = await self.step()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning(f"{self.name} step failed, will retry", error=repr(exc))
                did = False
            if did or self._stopping:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_s)
            self._wake.clear()


async def until_recorded(
    record: Callable[[], Awaitable[None]],
    *,
    first_wait_s: float = 0.2,
    longest_wait_s: float = 2.0,
) -> None:
    """Record that a message went out, retrying while the database is unreachable.

    The server has accepted the message: giving up here would leave the delivery claimed,
    and when the claim's lease ends it would be sent a second time. So a failed record is
    tried again for as long as the failure is the infrastructure's (a MongoDB restart), until
    it holds or the worker is cancelled (a stop)."""
    wait = first_wait_s
    while True:
        try:
            await record()
            return
        except Exception as exc:
            if not is_transient(exc):
                raise
            log.warning("could not record a sent message yet, retrying", error=repr(exc))
        await asyncio.sleep(wait)  # backoff while MongoDB is unreachable
        wait = min(wait * 2, longest_wait_s)


class DeliveryWorker(_Loop):
    """Sends queued deliveries in batches, each exactly once as far as SMTP allows (module doc).

    A step claims up to `batch` due deliveries, reads the projections their e-mails need once
    for the batch, sends them over one SMTP session, and marks the sent ones with one
    transaction that also emits their `NotificationSent` events.
    """

    name = "delivery-worker"

    def __init__(
        self,
        *,
        store: NotificationsStore,
        uow: UnitOfWork,
        clock: Clock,
        mailer: Mailer,
        webhooks: WebhookClient,
        composer: EmailComposer,
        dead_letter: DeadLetterFn,
        email_policy: RetryPolicy,
        webhook_policy: RetryPolicy,
        lease: timedelta,
        sealer: Sealer,
        poll_s: float = 1.0,
        concurrency: int = 4,
        batch: int = 50,
    ) -> None:
        super().__init__(poll_s=poll_s, concurrency=concurrency)
        self.sealer = sealer
        self.store = store
        self.uow = uow
        self.clock = clock
        self.mailer = mailer
        self.webhooks = webhooks
        self.composer = composer
        self.dead_letter = dead_letter
        self.policies = {"email": email_policy, "webhook": webhook_policy}
        self.lease = lease
        self.batch = batch
        # the tasks of one process take turns to claim, so they never race for the same ids
        self._claiming = asyncio.Lock()

    async def step(self) -> bool:
        if self._stopping:
            return False
        async with self._claiming:
            claimed = await self.store.claim_deliveries(
                self.owner, self.clock.now(), self.lease, limit=self.batch
            )
        if not claimed:
            return False
        await self.deliver(claimed)
        return True

    async def deliver(self, claimed: list[Document]) -> None:
        """Try each claimed delivery once, then record the outcomes.

        Sending stops early on a graceful stop, or once half the lease is used (every single
        send is bounded by a timeout below half the lease): the deliveries not tried yet go
        back to `pending` untouched, so a slow batch is never overtaken by another worker.
        """
        deadline = time.monotonic() + self.lease.total_seconds() / 2
        try:
            emails = await _EmailContext.read(
                self.store,
                [d for d in claimed if d["channel"] == "email"],
                self.composer.top_matches,
            )
        except Exception:
            await self.store.release_deliveries(claimed, self.clock.now())
            raise
        sent: list[Document] = []
        failed: list[tuple[Document, BaseException]] = []
        untried: list[Document] = []
        async with self.mailer.session() as mail:
            for delivery in claimed:
                if self._stopping or time.monotonic() > deadline:
                    untried.append(delivery)
                    continue
                try:
                    if delivery["channel"] == "email":
                        await mail.send(self._compose(delivery, emails))
                    else:
                        await self._post_webhook(delivery)
                except DeliveryCancelledError as exc:
                    await self.store.finish_delivery(
                        delivery, {"status": "cancelled", "last_error": str(exc)}, session=None
                    )
                    _bound(delivery).info("delivery cancelled", reason=str(exc))
                except Exception as exc:
                    _bound(delivery).warning("delivery attempt failed", error=repr(exc))
                    failed.append((delivery, exc))
                else:
                    sent.append(delivery)
        await until_recorded(lambda: self._sent(sent))
        await self._failed(failed)
        if untried:
            await self.store.release_deliveries(untried, self.clock.now())

    def _compose(self, delivery: Document, ctx: _EmailContext) -> Message:
        rt = delivery["roundtable_id"]
        people = ctx.people.get(rt, {})
        if delivery["participant_id"] not in people:
            raise DeliveryError(f"no contact known for participant {delivery['participant_id']}")
        meeting_id = delivery["data"].get("meeting_id")
        return self.composer.compose(
            delivery,
            people=people,
            roundtable=ctx.names.get(rt, str(rt)),
            meeting=ctx.meetings.get(rt, {}).get(meeting_id) if meeting_id else None,
        )

    async def _post_webhook(self, delivery: Document) -> None:
        sub = await self.store.subscription(delivery["recipient"])
        if sub is None or not sub.get("active"):
            raise DeliveryCancelledError("subscription deleted")
        body = delivery["body"].encode()
        timestamp = int(time.time())  # wall clock: receivers compare it with theirs
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "rueda-webhooks/1",
            WEBHOOK_ID_HEADER: delivery["_id"],
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign_webhook(
                self.sealer.open(sub["secret"], sub["_id"]), timestamp, body
            ),
            "Rueda-Event-Type": delivery["event_type"],
        }
        status = await self.webhooks.post(sub["url"], body, headers)
        if not 200 <= status < 300:
            raise DeliveryError(f"receiver answered HTTP {status}")

    def _event_fields(self, delivery: Document) -> dict[str, Any]:
        return {
            "notification_id": delivery["_id"],
            "source_event_id": delivery["source_id"],
            "recipient": delivery["recipient"],
            "channel": delivery["channel"],
            "kind": delivery["kind"],
        }

    async def _sent(self, sent: list[Document]) -> None:
        """Mark the batch's sent deliveries and emit their events in one transaction.

        Should a claim have been lost meanwhile (a lease ran out: the process stalled), the
        transaction is dropped and each delivery is marked alone, emitting only for those
        still held.
        """
        if not sent:
            return
        changes = {"status": "sent", "sent_at": self.clock.now(), "last_error": None}
        try:
            async with self.uow.transaction() as tx:
                assert tx is not None
                held = await self.store.finish_deliveries(sent, changes, session=tx.session)
                if held != len(sent):
                    raise _ClaimLostError
                for delivery in sent:
                    self._emit_sent(tx, delivery)
        except _ClaimLostError:
            for delivery in sent:
                async with self.uow.transaction() as tx:
                    assert tx is not None
                    if await self.store.finish_delivery(delivery, changes, session=tx.session):
                        self._emit_sent(tx, delivery)
                    else:
                        log.warning(
                            "lease lost before marking sent", notification_id=delivery["_id"]
                        )
        for delivery in sent:
            _bound(delivery).info("delivery sent")

    def _emit_sent(self, tx: Transaction, delivery: Document) -> None:
        tx.emit(
            NotificationSent(**self._event_fields(delivery)),
            topic=EVENTS,
            key=delivery["participant_id"] or delivery["recipient"],
            roundtable_id=delivery["roundtable_id"],
            **_caused_by(delivery),
        )

    async def _failed(self, failed: list[tuple[Document, BaseException]]) -> None:
        retries: list[tuple[Document, Document]] = []
        for delivery, exc in failed:
            policy = self.policies[delivery["channel"]]
            attempts = int(delivery["attempts"])
            error = f"{type(exc).__name__}: {exc}"[:2000]
            if attempts < policy.max_attempts:
                next_at = self.clock.now() + policy.delay(attempts)
                retries.append((delivery, {"next_at": next_at, "last_error": error}))
            else:
                await self._failed_for_good(delivery, attempts, error)
        await self.store.retry_deliveries(retries)

    async def _failed_for_good(self, delivery: Document, attempts: int, error: str) -> None:
        if delivery["channel"] == "webhook":
            # before the state change: a crash here re-publishes (at least once), never loses
            await self.dead_letter(delivery, error)
        async with self.uow.transaction() as tx:
            assert tx is not None
            if await self.store.finish_delivery(
                delivery,
                {"status": "failed", "failed_at": self.clock.now(), "last_error": error},
                session=tx.session,
            ):
                tx.emit(
                    NotificationFailed(
                        **self._event_fields(delivery), attempts=attempts, error=error
                    ),
                    topic=EVENTS,
                    key=delivery["participant_id"] or delivery["recipient"],
                    roundtable_id=delivery["roundtable_id"],
                    **_caused_by(delivery),
                )
        log.error("delivery failed for good", notification_id=delivery["_id"], error=error)


@dataclass(frozen=True)
class _EmailContext:
    """What the e-mails of one batch are rendered from, read once for the batch: per
    roundtable the participants and meetings they name, and the roundtables' names."""

    people: dict[str, dict[str, Document]]
    meetings: dict[str, dict[str, Document]]
    names: dict[str, str]

    @classmethod
    async def read(
        cls, store: NotificationsStore, emails: list[Document], top_matches: int
    ) -> _EmailContext:
        wanted: dict[str, list[str]] = {}
        meeting_ids: dict[str, list[str]] = {}
        for d in emails:
            rt = d["roundtable_id"]
            wanted.setdefault(rt, []).extend(participants_needed(d, top_matches))
            if d["data"].get("meeting_id"):
                meeting_ids.setdefault(rt, []).append(d["data"]["meeting_id"])
        people = {rt: await store.participants(rt, ids) for rt, ids in wanted.items()}
        meetings = {rt: await store.meetings(rt, ids) for rt, ids in meeting_ids.items()}
        names = await store.roundtable_names(wanted) if wanted else {}
        return cls(people, meetings, names)


class _ClaimLostError(Exception):
    """A batch's claim no longer holds every delivery it sent (rolls back the batch mark)."""


def _bound(delivery: Document) -> Any:
    return log.bind(
        notification_id=delivery["_id"],
        channel=delivery["channel"],
        kind=delivery["kind"],
        attempt=delivery["attempts"],
        roundtable_id=delivery["roundtable_id"],
    )


def _caused_by(delivery: Document) -> dict[str, Any]:
    """The correlation of the event that queued a delivery, and that event as its cause."""
    try:
        cause: uuid.UUID | None = uuid.UUID(str(delivery["source_id"]))
    except ValueError:  # coalesced e-mails and reminders have composite source ids
        cause = None
    return {"correlation_id": delivery.get("correlation_id"), "causation_id": cause}


class ReminderWorker(_Loop):
    """Turns due reminders into e-mail deliveries, unless their meeting changed meanwhile.

    The due-queue is the `reminders` collection: it survives restarts, and a reminder whose
    meeting was cancelled or moved (another `sequence`) is skipped when it comes due.
    """

    name = "reminder-worker"

    def __init__(
        self,
        *,
        store: NotificationsStore,
        uow: UnitOfWork,
        clock: Clock,
        lease: timedelta,
        on_queued: Callable[[], None],
        poll_s: float = 1.0,
    ) -> None:
        super().__init__(poll_s=poll_s)
        self.store = store
        self.uow = uow
        self.clock = clock
        self.lease = lease
        self.on_queued = on_queued

    async def step(self) -> bool:
        if self._stopping:
            return False
        reminder = await self.store.claim_reminder(self.owner, self.clock.now(), self.lease)
        if reminder is None:
            return False
        fired = await self.fire(reminder)
        if fired:
            self.on_queued()
        return True

    async def fire(self, reminder: Mapping[str, Any]) -> bool:
        rt, mid = reminder["roundtable_id"], reminder["meeting_id"]
        async with self.uow.transaction() as tx:
            assert tx is not None
            meeting = await self.store.meeting(rt, mid, session=tx.session)
            current = (
                meeting is not None
                and meeting["status"] == "scheduled"
                and meeting["sequence"] == reminder["sequence"]
            )
            if current:
                assert meeting is not None
                data = _meeting_snapshot(meeting)
                await self.store.add_deliveries(
                    [
                        email_delivery(
                            kind=reminder["kind"],
                            participant_id=pid,
                            source_id=reminder["_id"],
                            event_type="Reminder",
                            roundtable_id=rt,
                            data=data,
                            occurred_at=reminder["due_at"],
                            now=self.clock.now(),
                        )
                        for pid in (meeting["exporter_id"], meeting["importer_id"])
                    ],
                    session=tx.session,
                )
            await self.store.close_reminder(
                reminder["_id"], self.owner, "done" if current else "skipped", session=tx.session
            )
        log.info(
            "reminder fired" if current else "reminder skipped",
            reminder_id=reminder["_id"],
            due_at=str(reminder["due_at"]),
        )
        return current


def _meeting_snapshot(meeting: Mapping[str, Any]) -> dict[str, Any]:
    def iso(value: Any) -> Any:
        return value.isoformat() if isinstance(value, datetime) else value

    return {
        "meeting_id": meeting["meeting_id"],
        "sequence": meeting["sequence"],
        "starts_at": iso(meeting["starts_at"]),
        "ends_at": iso(meeting["ends_at"]),
        "exporter_id": meeting["exporter_id"],
        "importer_id": meeting["importer_id"],
        "timezones": dict(meeting.get("timezones", {})),
        "join_url": meeting.get("join_url"),
        "location": meeting.get("location", ""),
    }
