"""Meetings as deals sees them, and the rules that decide whether a report is recorded."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from .money import OutcomeRefusedError, to_usd

__all__ = [
    "REPORTER_ROLES",
    "Meeting",
    "MeetingStatus",
    "OutcomeReport",
    "OutcomeRequest",
    "Result",
    "Side",
    "accept_outcome",
]

Side = Literal["exporter", "importer"]
Result = Literal["deal", "negotiating", "no_interest"]
MeetingStatus = Literal["scheduled", "cancelled", "held", "no_show"]

REPORTER_ROLES = frozenset({"organizer", "admin"})
"""Who may report on a party's behalf besides the party itself."""


@dataclass(frozen=True)
class Meeting:
    """A meeting known from `scheduling.events.v1`."""

    meeting_id: str
    exporter_id: str
    importer_id: str
    status: MeetingStatus
    exporter_country: str | None = None
    importer_country: str | None = None

    def side_of(self, participant_id: str) -> Side | None:
        if participant_id == self.exporter_id:
            return "exporter"
        if participant_id == self.importer_id:
            return "importer"
        return None


@dataclass(frozen=True)
class OutcomeRequest:
    """A `RecordOutcome` command as the domain sees it; amounts as (value, currency)."""

    outcome_id: str
    meeting_id: str
    participant_id: str
    reported_by: str
    result: Result
    immediate: tuple[Decimal, str] | None = None
    projected_12m: tuple[Decimal, str] | None = None
    products: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutcomeReport:
    """An accepted report of one side, in US dollars. `seq` orders the reports of a meeting."""

    outcome_id: str
    meeting_id: str
    participant_id: str
    side: Side
    result: Result
    immediate_usd: Decimal
    projected_12m_usd: Decimal
    reported_by: str
    seq: int
    products: tuple[str, ...] = field(default=())


def accept_outcome(
    request: OutcomeRequest,
    meeting: Meeting | None,
    rates: Mapping[str, Decimal],
    *,
    seq: int,
) -> OutcomeReport:
    """The report to record, or `OutcomeRefusedError` saying why not.

    Only a party of a meeting marked held (or the organizer on its behalf) reports. `deal`
    needs an amount; `negotiating` may carry a 12-month projection but no immediate amount;
    `no_interest` carries no amount.
    """
    if meeting is None:
        raise OutcomeRefusedError(
            "unknown_meeting",
            "no such meeting in this roundtable",
            {"meeting_id": request.meeting_id},
        )
    side = meeting.side_of(request.participant_id)
    if side is None:
        raise OutcomeRefusedError(
            "not_a_party",
            "the participant is not a party of this meeting",
            {"participant_id": request.participant_id, "meeting_id": meeting.meeting_id},
        )
    if request.reported_by != request.participant_id and request.reported_by not in REPORTER_ROLES:
        raise OutcomeRefusedError(
            "not_authorized",
            "only the party itself or the organizer may report this outcome",
            {"reported_by": request.reported_by},
        )
    if meeting.status != "held":
        raise OutcomeRefusedError(
            "meeting_not_held",
            f"outcomes are recorded only for held meetings; this one is {meeting.status}",
            {"status": meeting.status},
        )
    immediate = _usd(request.immediate, rates, "immediate_amount")
    projected = _usd(request.projected_12m, rates, "projected_12m_amount")
    if request.result == "deal" and immediate == 0 and projected == 0:
        raise OutcomeRefusedError(
            "amount_required", "a deal needs an immediate or a 12-month projected amount"
        )
    if request.result == "negotiating" and immediate > 0:
        raise OutcomeRefusedError(
            "amount_without_deal",
            "an immediate amount needs result `deal`; negotiations carry a projection only",
            {"field": "immediate_amount"},
        )
    if request.result == "no_interest" and (immediate > 0 or projected > 0):
        raise OutcomeRefusedError(
            "amount_without_deal", "`no_interest` carries no amount", {"result": request.result}
        )
    return OutcomeReport(
        outcome_id=request.outcome_id,
        meeting_id=meeting.meeting_id,
        participant_id=request.participant_id,
        side=side,
        result=request.result,
        immediate_usd=immediate,
        projected_12m_usd=projected,
        reported_by=request.reported_by,
        seq=seq,
        products=tuple(sorted(set(request.products))),
    )


def _usd(amount: tuple[Decimal, str] | None, rates: Mapping[str, Decimal], name: str) -> Decimal:
    if amount is None:
        return Decimal("0.00")
    value, currency = amount
    return to_usd(value, currency, rates, field=name)
