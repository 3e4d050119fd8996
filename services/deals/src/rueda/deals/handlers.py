"""Use cases of the deals service: message -> domain -> repository + outbox.

Each handler runs in one MongoDB transaction with the message's inbox record and the events
it emits, so a redelivered message has no second effect and nothing is published unless the
state committed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import defaultdict
from collections.abc import AsyncIterator, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

import structlog

from rueda.shared.contracts import Contract, Envelope, topic, utcnow
from rueda.shared.contracts.common import ParticipantProfile
from rueda.shared.contracts.deals import (
    DealClosed,
    DealUpdated,
    OutcomeRecorded,
    RecordOutcome,
    ReportedFigures,
)
from rueda.shared.contracts.registration import (
    ParticipantApproved,
    ParticipantRegistered,
    ParticipantRejected,
    ParticipantWithdrawn,
    RoundtableOpened,
)
from rueda.shared.contracts.scheduling import (
    MeetingCancelled,
    MeetingHeld,
    MeetingNoShow,
    MeetingRescheduled,
    MeetingScheduled,
)
from rueda.shared.messaging import (
    BatchHandler,
    Handler,
    Transaction,
    TransientError,
    UnitOfWork,
)

from .adapters import DealsRepository, MeetingRow, ParticipantRow
from .domain import (
    Attribution,
    Counters,
    DealRecord,
    Figures,
    Meeting,
    MeetingStatus,
    OutcomeRefusedError,
    OutcomeRequest,
    Tolerance,
    accept_outcome,
    add,
    deal_counters,
    diff,
    meeting_counters,
    next_deal,
    participant_counters,
    spread,
    total,
)

__all__ = ["DealsHandlers", "recompute"]

log = structlog.get_logger("rueda.deals")

EVENTS = topic("deals.events.v1")
CLOSED = topic("deals.closed.v1")
UNKNOWN_COUNTRY = "ZZ"
"""ISO 3166 user-assigned code, for a party whose country deals never learnt."""
UNASSIGNED_AGENCY = "UNASSIGNED"


class DealsHandlers:
    """The deals service's use cases, one method per message type."""

    def __init__(
        self, uow: UnitOfWork, repo: DealsRepository, *, group: str, tolerance: Tolerance
    ) -> None:
        self._uow = uow
        self._repo = repo
        self._group = group
        self._tolerance = tolerance
        # The three subscriptions write the same report cells: serialise per roundtable inside
        # the process so that they do not abort each other's transactions.
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    @contextlib.asynccontextmanager
    async def _handling(self, envelope: Envelope) -> AsyncIterator[Transaction | None]:
        if self._uow.in_batch:  # `handle_batch` holds the lock and the transaction
            async with self._uow.handling(envelope, self._group) as tx:
                yield tx
            return
        async with (
            self._locks[envelope.roundtable_id],
            self._uow.handling(envelope, self._group) as tx,
        ):
            yield tx

    def batch_of(self, routes: Mapping[type[Contract], Handler]) -> BatchHandler:
        """A batch route for a topic's routes: per roundtable, in order, the messages' own
        handlers in one transaction (`UnitOfWork.batch`), under the roundtable's lock."""
        return self._uow.batch_handler(routes, self._group, lock=self._locks.__getitem__)

    # registration.events.v1 ------------------------------------------------------------
    async def roundtable_opened(self, envelope: Envelope, event: RoundtableOpened) -> None:
        async with self._handling(envelope) as tx:
            if tx is None:
                return
            agencies = [a.model_dump() for a in event.agencies]
            await self._repo.save_roundtable(
                envelope.roundtable_id, agencies, event.usd_rates, tx.session
            )

    async def participant_registered(
        self, envelope: Envelope, event: ParticipantRegistered
    ) -> None:
        await self._participant(envelope, event.profile, "registered")

    async def participant_approved(self, envelope: Envelope, event: ParticipantApproved) -> None:
        await self._participant(envelope, event.profile, "approved")

    async def participant_rejected(self, envelope: Envelope, event: ParticipantRejected) -> None:
        await self._participant_status(envelope, event.participant_id, "rejected")

    async def participant_withdrawn(self, envelope: Envelope, event: ParticipantWithdrawn) -> None:
        await self._participant_status(envelope, event.participant_id, "withdrawn")

    async def _participant(
        self, envelope: Envelope, profile: ParticipantProfile, status: str
    ) -> None:
        rt = envelope.roundtable_id
        async with self._handling(envelope) as tx:
            if tx is None:
                return
            old = await self._repo.participant(rt, profile.participant_id, tx.session)
            if old is not None:
                attribution = old.attribution
            else:
                roundtable = await self._repo.roundtable(rt, tx.session)
                agency = roundtable.agency_of(profile.country) if roundtable else None
                attribution = Attribution.of([profile.country], profile.sectors, [agency])
            new = ParticipantRow(
                profile.participant_id,
                profile.role,
                profile.country,
                tuple(profile.sectors),
                status,
                attribution,
            )
            await self._save_participant(rt, old, new, tx)

    async def _participant_status(self, envelope: Envelope, pid: str, status: str) -> None:
        rt = envelope.roundtable_id
        async with self._handling(envelope) as tx:
            if tx is None:
                return
            old = await self._repo.participant(rt, pid, tx.session)
            if old is None:
                log.info("status of an unknown participant ignored", participant_id=pid)
                return
            await self._save_participant(rt, old, replace(old, status=status), tx)

    async def _save_participant(
        self, rt: str, old: ParticipantRow | None, new: ParticipantRow, tx: Transaction
    ) -> None:
        before = spread(old.attribution, participant_counters(old.role, old.status)) if old else {}
        after = spread(new.attribution, participant_counters(new.role, new.status))
        await self._repo.apply(rt, diff(after, before), tx.session)
        await self._repo.save_participant(rt, new, tx.session)

    # scheduling.events.v1 --------------------------------------------------------------
    async def meeting_scheduled(
        self, envelope: Envelope, event: MeetingScheduled | MeetingRescheduled
    ) -> None:
        await self._meeting(
            envelope,
            Meeting(
                event.meeting_id,
                event.exporter_id,
                event.importer_id,
                "scheduled",
                event.exporter_country,
                event.importer_country,
            ),
        )

    async def meeting_cancelled(self, envelope: Envelope, event: MeetingCancelled) -> None:
        await self._meeting_status(envelope, event.meeting_id, "cancelled", event)

    async def meeting_held(self, envelope: Envelope, event: MeetingHeld) -> None:
        await self._meeting_status(envelope, event.meeting_id, "held", event)

    async def meeting_no_show(self, envelope: Envelope, event: MeetingNoShow) -> None:
        await self._meeting_status(envelope, event.meeting_id, "no_show", event)

    async def _meeting_status(
        self,
        envelope: Envelope,
        mid: str,
        status: MeetingStatus,
        event: MeetingCancelled | MeetingHeld | MeetingNoShow,
    ) -> None:
        rt = envelope.roundtable_id
        async with self._handling(envelope) as tx:
            if tx is None:
                return
            old = await self._repo.meeting(rt, mid, tx.session)
            if old is None and status == "cancelled":
                # a meeting cancelled before it ever had a slot was never scheduled: not counted
                log.info("cancellation of a meeting never scheduled", meeting_id=mid)
                return
            if old is None:
                exporter = await self._repo.participant(rt, event.exporter_id, tx.session)
                importer = await self._repo.participant(rt, event.importer_id, tx.session)
                meeting = Meeting(
                    mid,
                    event.exporter_id,
                    event.importer_id,
                    status,
                    exporter.country if exporter else None,
                    importer.country if importer else None,
                )
                await self._store_meeting(rt, None, meeting, tx)
            else:
                await self._store_meeting(rt, old, replace(old.meeting, status=status), tx)

    async def _meeting(self, envelope: Envelope, meeting: Meeting) -> None:
        rt = envelope.roundtable_id
        async with self._handling(envelope) as tx:
            if tx is None:
                return
            old = await self._repo.meeting(rt, meeting.meeting_id, tx.session)
            await self._store_meeting(rt, old, meeting, tx)

    async def _store_meeting(
        self, rt: str, old: MeetingRow | None, meeting: Meeting, tx: Transaction
    ) -> None:
        if old is not None:
            row = replace(old, meeting=meeting)
        else:
            exporter = await self._repo.participant(rt, meeting.exporter_id, tx.session)
            roundtable = await self._repo.roundtable(rt, tx.session)
            if exporter is None or roundtable is None:
                # the meeting's topic overtook registration's (no order across topics, e.g.
                # after a restart): its sectors and agency would be missing from the report
                # for good, so wait (redelivered, never dead-lettered) until they are known
                raise TransientError(f"exporter {meeting.exporter_id} or roundtable not known yet")
            agency = roundtable.agency_of(meeting.exporter_country)
            sectors = exporter.sectors
            row = MeetingRow(
                meeting,
                Attribution.of(
                    [meeting.exporter_country, meeting.importer_country], sectors, [agency]
                ),
                tuple(sectors),
                agency,
            )
        before = spread(old.attribution, meeting_counters(old.meeting.status)) if old else {}
        after = spread(row.attribution, meeting_counters(meeting.status))
        await self._repo.apply(rt, diff(after, before), tx.session)
        await self._repo.save_meeting(rt, row, tx.session)

    # deals.commands.v1 -------------------------------------------------------------------
    async def record_outcome(self, envelope: Envelope, command: RecordOutcome) -> None:
        async with self._handling(envelope) as tx:
            if tx is None:
                return
            try:
                await self._record(envelope, command, tx)
            except OutcomeRefusedError as refused:
                await self._reject(envelope, command, refused, tx)

    async def _record(self, envelope: Envelope, command: RecordOutcome, tx: Transaction) -> None:
        rt = envelope.roundtable_id
        if await self._repo.outcome_exists(rt, command.outcome_id, tx.session):
            raise OutcomeRefusedError(
                "duplicate_outcome",
                "an outcome with this id was already recorded",
                {"outcome_id": command.outcome_id},
            )
        row = await self._repo.meeting(rt, command.meeting_id, tx.session)
        roundtable = await self._repo.roundtable(rt, tx.session)
        prior = await self._repo.outcomes(rt, command.meeting_id, tx.session)
        request = OutcomeRequest(
            outcome_id=command.outcome_id,
            meeting_id=command.meeting_id,
            participant_id=command.participant_id,
            reported_by=command.reported_by,
            result=command.result,
            immediate=_amount(command.immediate_amount),
            projected_12m=_amount(command.projected_12m_amount),
            products=tuple(command.products),
        )
        report = accept_outcome(
            request,
            row.meeting if row else None,
            roundtable.usd_rates if roundtable else {},
            seq=len(prior) + 1,
        )
        assert row is not None  # accept_outcome refuses unknown meetings
        at = envelope.occurred_at
        await self._repo.add_outcome(
            rt, report, command_id=str(envelope.event_id), at=at, session=tx.session
        )
        tx.emit(
            OutcomeRecorded(
                outcome_id=report.outcome_id,
                meeting_id=report.meeting_id,
                participant_id=report.participant_id,
                result=report.result,
                immediate_usd=report.immediate_usd,
                projected_12m_usd=report.projected_12m_usd,
                side=report.side,
                products=list(report.products),
            ),
            topic=EVENTS,
            key=rt,
            roundtable_id=rt,
        )
        previous = await self._repo.deal(rt, command.meeting_id, tx.session)
        deal, change = next_deal(
            previous,
            [*prior, report],
            meeting_id=command.meeting_id,
            now=at,
            tolerance=self._tolerance,
        )
        if deal is not None and change != "unchanged":
            seq = await self._repo.next_deal_seq(rt, tx.session)
            await self._publish_deal(rt, row, previous, deal, tx, seq=seq)
        await self._repo.record_command(
            str(envelope.event_id),
            _status(envelope, command, "accepted", outcome_id=report.outcome_id),
            tx.session,
        )

    async def _publish_deal(
        self,
        rt: str,
        row: MeetingRow,
        previous: DealRecord | None,
        deal: DealRecord,
        tx: Transaction,
        *,
        seq: int,
    ) -> None:
        before = (
            spread(
                row.attribution,
                deal_counters(previous.status, previous.immediate_usd, previous.projected_12m_usd),
            )
            if previous
            else {}
        )
        after = spread(
            row.attribution, deal_counters(deal.status, deal.immediate_usd, deal.projected_12m_usd)
        )
        await self._repo.apply(rt, diff(after, before), tx.session)
        facts = _facts(row, deal)
        stored = DealClosed.model_validate(facts).model_dump(mode="json", exclude={"version"})
        await self._repo.save_deal(rt, deal, stored, seq=seq, session=tx.session)
        agency = str(facts["agency_code"])
        if deal.version == 1:
            closed = DealClosed.model_validate(facts)
            tx.emit(closed, topic=CLOSED, key=agency, roundtable_id=rt, headers={"agency": agency})
        else:
            updated = DealUpdated.model_validate({**facts, "version": deal.version})
            tx.emit(updated, topic=CLOSED, key=agency, roundtable_id=rt, headers={"agency": agency})
            tx.emit(updated, topic=EVENTS, key=rt, roundtable_id=rt)

    async def _reject(
        self,
        envelope: Envelope,
        command: RecordOutcome,
        refused: OutcomeRefusedError,
        tx: Transaction,
    ) -> None:
        log.info("outcome refused", code=refused.code, reason=refused.message)
        tx.reject(
            envelope,
            topic=EVENTS,
            code=refused.code,
            reason=refused.message,
            details=refused.details,
        )
        await self._repo.record_command(
            str(envelope.event_id),
            _status(
                envelope,
                command,
                "rejected",
                code=refused.code,
                reason=refused.message,
                details=refused.details,
            ),
            tx.session,
        )


def _amount(money: Any) -> tuple[Decimal, str] | None:
    return None if money is None else (money.value, money.currency)


def _reported(f: Figures | None) -> ReportedFigures | None:
    if f is None:
        return None
    return ReportedFigures(
        result=f.result, immediate_usd=f.immediate_usd, projected_12m_usd=f.projected_12m_usd
    )


def _facts(row: MeetingRow, deal: DealRecord) -> dict[str, Any]:
    m = row.meeting
    return {
        "deal_id": deal.deal_id,
        "meeting_id": m.meeting_id,
        "agency_code": row.agency_code or UNASSIGNED_AGENCY,
        "exporter_id": m.exporter_id,
        "exporter_country": m.exporter_country or UNKNOWN_COUNTRY,
        "importer_id": m.importer_id,
        "importer_country": m.importer_country or UNKNOWN_COUNTRY,
        "sectors": list(row.sectors),
        "products": list(deal.products),
        "status": deal.status,
        "immediate_usd": deal.immediate_usd,
        "projected_12m_usd": deal.projected_12m_usd,
        "closed_at": deal.closed_at,
        "exporter_report": _reported(deal.exporter),
        "importer_report": _reported(deal.importer),
    }


def _status(envelope: Envelope, command: RecordOutcome, status: str, **more: Any) -> dict[str, Any]:
    return {
        "command_id": str(envelope.event_id),
        "command_type": envelope.event_type,
        "roundtable_id": envelope.roundtable_id,
        "outcome_id": command.outcome_id,
        "meeting_id": command.meeting_id,
        "status": status,
        "at": utcnow(),
        **more,
    }


async def recompute(repo: DealsRepository, rt: str, tolerance: Tolerance) -> Counters:
    """The report recomputed from the stored participants, meetings and outcomes (the deals
    re-reconciled from the outcomes), independently of the incremental counters."""
    out: Counters = {}
    for p in await repo.participants(rt):
        add(out, spread(p.attribution, participant_counters(p.role, p.status)))
    meetings = {row.meeting.meeting_id: row for row in await repo.meetings(rt)}
    for row in meetings.values():
        add(out, spread(row.attribution, meeting_counters(row.meeting.status)))
    for mid, reports in (await repo.all_outcomes(rt)).items():
        deal, _ = next_deal(None, reports, meeting_id=mid, now=utcnow(), tolerance=tolerance)
        if deal is not None and mid in meetings:
            counters = deal_counters(deal.status, deal.immediate_usd, deal.projected_12m_usd)
            add(out, spread(meetings[mid].attribution, counters))
    return total([out])
