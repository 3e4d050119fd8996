"""Use cases of consumed messages: keep the projections, queue deliveries and reminders.

Nothing is sent here. A handler only records, in the same MongoDB transaction as its inbox
entry, the deliveries an event causes (one document per (source event, recipient, channel),
keyed by a deterministic id) and the reminders a meeting needs; the delivery worker sends
them afterwards. A redelivered event therefore finds its inbox entry and does nothing, and
even without the inbox the deterministic ids would make the second write a no-op.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import structlog

from rueda.shared.contracts import Contract, Envelope, topic
from rueda.shared.contracts import matching as m
from rueda.shared.contracts import registration as r
from rueda.shared.contracts import scheduling as s
from rueda.shared.contracts.notifications import CreateSubscription, DeleteSubscription
from rueda.shared.messaging import Transaction, TransientError, UnitOfWork, message_context
from rueda.shared.sealing import Sealer, SealError, is_sealed

from .adapters.mongo import NotificationsStore, Session
from .compose import participants_needed
from .domain import (
    Clock,
    Kind,
    countries_in,
    email_notices,
    notification_id,
    participants_in,
    plan_reminders,
    subscription_problem,
    subscription_wants,
)

__all__ = ["EVENTS", "NotificationHandlers", "email_delivery", "webhook_delivery"]

log = structlog.get_logger("rueda.notifications")
EVENTS = topic("notifications.events.v1")
Document = dict[str, Any]


def _new_delivery(
    *,
    channel: str,
    recipient: str,
    kind: str,
    source_id: str,
    roundtable_id: str,
    occurred_at: datetime,
    now: datetime,
) -> Document:
    return {
        "_id": notification_id(source_id, recipient, channel),  # type: ignore[arg-type]
        "channel": channel,
        "recipient": recipient,
        "kind": kind,
        "source_id": source_id,
        "roundtable_id": roundtable_id,
        "occurred_at": occurred_at,
        "status": "pending",
        "attempts": 0,
        "next_at": now,
        "created_at": now,
    }


def email_delivery(
    *,
    kind: Kind,
    participant_id: str,
    source_id: str,
    event_type: str,
    roundtable_id: str,
    data: Document,
    occurred_at: datetime,
    now: datetime,
) -> Document:
    """A queued e-mail: rendered only when sent, from the projections of that moment."""
    doc = _new_delivery(
        channel="email",
        recipient=participant_id,
        kind=kind,
        source_id=source_id,
        roundtable_id=roundtable_id,
        occurred_at=occurred_at,
        now=now,
    )
    doc.update(participant_id=participant_id, event_type=event_type, data=data)
    return doc


def webhook_delivery(envelope: Envelope, subscription_id: str, now: datetime) -> Document:
    """A queued webhook: its body is the source envelope's JSON, fixed at this moment."""
    doc = _new_delivery(
        channel="webhook",
        recipient=subscription_id,
        kind=envelope.event_type,
        source_id=str(envelope.event_id),
        roundtable_id=envelope.roundtable_id,
        occurred_at=envelope.occurred_at,
        now=now,
    )
    doc.update(
        participant_id=None,
        event_type=envelope.event_type,
        body=envelope.model_dump_json(),
        correlation_id=envelope.correlation_id,
    )
    return doc


class NotificationHandlers:
    """The handler table of the notifications service (see `consumers.py` for the routes)."""

    def __init__(
        self,
        *,
        uow: UnitOfWork,
        store: NotificationsStore,
        clock: Clock,
        consumer_group: str,
        sealer: Sealer,
        on_queued: Callable[[], None] = lambda: None,
        digest_delay: timedelta = timedelta(minutes=5),
        https_only: bool = False,
    ) -> None:
        self.sealer = sealer
        self.https_only = https_only
        self.digest_delay = digest_delay
        self.uow = uow
        self.store = store
        self.clock = clock
        self.group = consumer_group
        self.on_queued = on_queued

    # -- events of every topic -----------------------------------------------------------
    async def on_event(self, envelope: Envelope, payload: Contract) -> None:
        """Project, queue the e-mails the event causes and the webhooks that want it."""
        await self.on_events([(envelope, payload)])

    async def on_events(self, batch: Sequence[tuple[Envelope, Contract]]) -> None:
        """Events (one, or a batch subscriber's run), in order, in one transaction: each
        projected and its e-mails and webhooks queued, with one write of the deliveries."""
        async with self.uow.handling_many([e for e, _ in batch], self.group) as tx:
            if tx is None:
                return
            now = self.clock.now()
            deliveries: list[Document] = []
            coalesced: set[str] = set()
            for envelope, payload in batch:
                with message_context(envelope):
                    queued, refresh = await self._queue(envelope, payload, tx, now)
                deliveries += queued
                coalesced |= refresh
            await self.store.add_deliveries(deliveries, refresh=coalesced, session=tx.session)
        if deliveries:
            log.info("notifications queued", count=len(deliveries), events=len(batch))
            self.on_queued()

    async def _queue(
        self, envelope: Envelope, payload: Contract, tx: Transaction, now: datetime
    ) -> tuple[list[Document], set[str]]:
        """Project the event; the deliveries it causes and the coalesced ones among them."""
        await self._project(envelope, payload, tx.session, now)
        data = payload.model_dump(mode="json")
        deliveries: list[Document] = []
        coalesced: set[str] = set()
        for notice in email_notices(payload):
            source_id = str(envelope.event_id)
            if notice.coalesce:
                day = envelope.occurred_at.date().isoformat()
                source_id = f"{notice.kind}:{envelope.roundtable_id}:{notice.participant_id}:{day}"
            delivery = email_delivery(
                kind=notice.kind,
                participant_id=notice.participant_id,
                source_id=source_id,
                event_type=envelope.event_type,
                roundtable_id=envelope.roundtable_id,
                data=data,
                occurred_at=envelope.occurred_at,
                now=now,
            )
            delivery["correlation_id"] = envelope.correlation_id
            if notice.coalesce:
                delivery["next_at"] = now + self.digest_delay
                coalesced.add(delivery["_id"])
            deliveries.append(delivery)
        await self._require_participants(envelope.roundtable_id, deliveries, tx.session)
        deliveries += await self._webhooks_wanting(envelope, payload, tx.session, now)
        return deliveries, coalesced

    async def _require_participants(
        self, rt: str, deliveries: list[Document], session: Session
    ) -> None:
        """Topics have no order between them: after a restart a meeting can be read before
        its parties' registrations. Its e-mails would then fail for want of a contact and be
        retried with a growing backoff (minutes late). So the event waits (redelivered, never
        dead-lettered) until every participant its e-mails need is known."""
        needed = {
            pid
            for d in deliveries
            for pid in participants_needed(d, top_matches=len(d["data"].get("matches", [])))
        }
        if not needed:
            return
        known = await self.store.participants(rt, needed, session=session)
        missing = sorted(needed - known.keys())
        if missing:
            raise TransientError(f"participants not known yet: {', '.join(missing[:5])}")

    async def _webhooks_wanting(
        self, envelope: Envelope, payload: Contract, session: Session, now: datetime
    ) -> list[Document]:
        subscriptions = await self.store.active_subscriptions(
            envelope.roundtable_id, session=session
        )
        if not subscriptions:
            return []
        countries = countries_in(payload)
        if any(sub["owner_role"] == "agency" for sub in subscriptions):
            people = await self.store.participants(
                envelope.roundtable_id, participants_in(payload), session=session
            )
            countries |= {p["country"] for p in people.values() if p.get("country")}
        return [
            webhook_delivery(envelope, sub["_id"], now)
            for sub in subscriptions
            if subscription_wants(
                event_type=envelope.event_type,
                event_types=sub["event_types"],
                owner_role=sub["owner_role"],
                owner_country=sub.get("owner_country"),
                countries=countries,
            )
        ]

    async def _project(
        self, envelope: Envelope, payload: Contract, session: Session, now: datetime
    ) -> None:
        rt = envelope.roundtable_id
        match payload:
            case r.RoundtableOpened(name=name):
                await self.store.upsert_roundtable(rt, name, session=session)
            case r.ParticipantRegistered(profile=p) | r.ParticipantApproved(profile=p):
                status = "approved" if isinstance(payload, r.ParticipantApproved) else "pending"
                await self.store.upsert_participant(
                    {
                        "roundtable_id": rt,
                        "participant_id": p.participant_id,
                        "role": p.role,
                        "company": p.company.name,
                        "country": p.country,
                        "timezone": p.timezone,
                        "languages": list(p.languages),
                        "contact_name": p.contact.name,
                        "email": p.contact.email,
                        "status": status,
                    },
                    session=session,
                )
            case r.ParticipantRejected(participant_id=pid):
                await self.store.set_participant_status(rt, pid, "rejected", session=session)
            case r.ParticipantWithdrawn(participant_id=pid):
                await self.store.set_participant_status(rt, pid, "withdrawn", session=session)
            case s.MeetingScheduled() | s.MeetingRescheduled():
                await self._meeting_placed(rt, payload, session, now)
            case s.MeetingCancelled(meeting_id=mid, sequence=seq):
                known = await self.store.meeting(rt, mid, session=session)
                if known is None or known["sequence"] <= seq:
                    meeting = dict(known or {"roundtable_id": rt, "meeting_id": mid})
                    meeting.pop("_id", None)
                    meeting.update(status="cancelled", sequence=seq)
                    await self.store.put_meeting(meeting, session=session)
                await self.store.skip_reminders(rt, mid, None, session=session)
            case m.MeetingAgreementWithdrawn():
                pass

    async def _meeting_placed(
        self,
        rt: str,
        placed: s.MeetingScheduled | s.MeetingRescheduled,
        session: Session,
        now: datetime,
    ) -> None:
        known = await self.store.meeting(rt, placed.meeting_id, session=session)
        if known is not None and known["sequence"] > placed.sequence:
            log.info("stale meeting version ignored", meeting_id=placed.meeting_id)
            return
        if (
            known is not None
            and known["sequence"] == placed.sequence
            and (known["status"] == "cancelled")
        ):
            return
        await self.store.put_meeting(
            {
                "roundtable_id": rt,
                "meeting_id": placed.meeting_id,
                "status": "scheduled",
                "sequence": placed.sequence,
                "starts_at": placed.starts_at,
                "ends_at": placed.ends_at,
                "exporter_id": placed.exporter_id,
                "importer_id": placed.importer_id,
                "timezones": dict(placed.timezones),
                "join_url": placed.join_url,
                "location": placed.location,
            },
            session=session,
        )
        # reminders of earlier versions must not fire (a meeting not known before has none);
        # this version gets its own
        if known is not None:
            await self.store.skip_reminders(rt, placed.meeting_id, placed.sequence, session=session)
        await self.store.add_reminders(
            (
                {
                    "_id": reminder.reminder_id,
                    "roundtable_id": rt,
                    "meeting_id": reminder.meeting_id,
                    "sequence": reminder.sequence,
                    "kind": reminder.kind,
                    "due_at": reminder.due_at,
                    "status": "pending",
                }
                for reminder in plan_reminders(
                    placed.meeting_id, placed.sequence, placed.starts_at, now
                )
            ),
            session=session,
        )

    # -- commands ------------------------------------------------------------------------
    async def on_create_subscription(self, envelope: Envelope, cmd: CreateSubscription) -> None:
        async with self.uow.handling(envelope, self.group) as tx:
            if tx is None:
                return
            problem = subscription_problem(
                url=cmd.url,
                owner_role=cmd.owner_role,
                owner_country=cmd.owner_country,
                event_types=cmd.event_types,
                https_only=self.https_only,
            )
            if problem is None and await self.store.subscription(
                cmd.subscription_id, session=tx.session
            ):
                problem = ("duplicate_subscription", "a subscription with this id exists")
            secret = ""
            if problem is None:
                try:
                    secret = self._sealed(cmd)
                except SealError as exc:
                    problem = ("invalid_secret", f"the sealed secret does not open: {exc}")
            if problem is not None:
                await self._reject(tx, envelope, cmd.subscription_id, *problem)
                return
            now = self.clock.now()
            await self.store.insert_subscription(
                {
                    "_id": cmd.subscription_id,
                    "roundtable_id": envelope.roundtable_id,
                    "url": cmd.url,
                    "secret": secret,
                    "event_types": [t.strip() for t in cmd.event_types if t.strip()],
                    "owner_role": cmd.owner_role,
                    "owner_country": cmd.owner_country,
                    "active": True,
                    "created_at": now,
                },
                session=tx.session,
            )
            await self._accept(tx, envelope, cmd.subscription_id)

    def _sealed(self, cmd: CreateSubscription) -> str:
        """The secret sealed under the current key (a command from before sealing carries
        it in plain text: it is sealed here, before it is stored)."""
        if is_sealed(cmd.secret):
            self.sealer.open(cmd.secret, cmd.subscription_id)  # refuses one that does not open
            return self.sealer.rewrap(cmd.secret)
        return self.sealer.seal(cmd.secret, cmd.subscription_id)

    async def on_delete_subscription(self, envelope: Envelope, cmd: DeleteSubscription) -> None:
        async with self.uow.handling(envelope, self.group) as tx:
            if tx is None:
                return
            existing = await self.store.subscription(cmd.subscription_id, session=tx.session)
            if existing is None or existing["roundtable_id"] not in (envelope.roundtable_id, "*"):
                code, reason = "unknown_subscription", "no such subscription"
                await self._reject(tx, envelope, cmd.subscription_id, code, reason)
                return
            await self.store.deactivate_subscription(
                cmd.subscription_id, self.clock.now(), session=tx.session
            )
            await self._accept(tx, envelope, cmd.subscription_id)

    async def _accept(self, tx: Transaction, envelope: Envelope, subject_id: str) -> None:
        await self.store.record_command(
            {
                "_id": str(envelope.event_id),
                "command_type": envelope.event_type,
                "status": "accepted",
                "subject_id": subject_id,
                "at": self.clock.now(),
            },
            session=tx.session,
        )

    async def _reject(
        self, tx: Transaction, envelope: Envelope, subject_id: str, code: str, reason: str
    ) -> None:
        await self.store.record_command(
            {
                "_id": str(envelope.event_id),
                "command_type": envelope.event_type,
                "status": "rejected",
                "subject_id": subject_id,
                "code": code,
                "reason": reason,
                "at": self.clock.now(),
            },
            session=tx.session,
        )
        tx.reject(
            envelope,
            topic=EVENTS,
            code=code,
            reason=reason,
            details={"subscription_id": subject_id},
            key=subject_id,
        )
