"""Contracts of the deals service: `deals.commands.v1`, `deals.events.v1`, `deals.closed.v1`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ._base import Command, Event
from .common import CountryCode, HsCode, Money

__all__ = ["DealClosed", "DealUpdated", "OutcomeRecorded", "RecordOutcome", "ReportedFigures"]

Result = Literal["deal", "negotiating", "no_interest"]
DealStatus = Literal["agreed", "disputed", "one_sided", "withdrawn"]


class RecordOutcome(Command):
    """What one side reports after a held meeting (the party itself, or the organizer on its
    behalf). Amounts are decimals in any currency of the roundtable's `usd_rates`."""

    outcome_id: str = Field(min_length=1, max_length=100)
    meeting_id: str = Field(min_length=1)
    participant_id: str = Field(min_length=1, description="The party the outcome is about.")
    reported_by: str = Field(description="The participant itself, or `organizer`.")
    result: Result
    immediate_amount: Money | None = None
    projected_12m_amount: Money | None = None
    products: list[HsCode] = Field(default_factory=list, max_length=50)


class OutcomeRecorded(Event):
    """One side's report was accepted; amounts converted to US dollars."""

    outcome_id: str
    meeting_id: str
    participant_id: str
    result: Result
    immediate_usd: Decimal = Field(ge=0)
    projected_12m_usd: Decimal = Field(ge=0)
    side: Literal["exporter", "importer"] | None = Field(
        default=None, description="Which party of the meeting reported."
    )
    products: list[HsCode] = Field(default_factory=list)


class ReportedFigures(BaseModel):
    """What one side reported last, in US dollars."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    result: Result
    immediate_usd: Decimal = Field(ge=0)
    projected_12m_usd: Decimal = Field(ge=0)


_EXAMPLE: dict[str, Any] = {
    "deal_id": "deal-m-7f3a",
    "meeting_id": "m-7f3a",
    "agency_code": "PROCHILE",
    "exporter_id": "p-cl-0012",
    "exporter_country": "CL",
    "importer_id": "p-gb-0004",
    "importer_country": "GB",
    "sectors": ["fresh fruit"],
    "products": ["080810"],
    "status": "disputed",
    "immediate_usd": "40000.00",
    "projected_12m_usd": "250000.00",
    "closed_at": "2020-06-25T15:42:00Z",
    "exporter_report": {
        "result": "deal",
        "immediate_usd": "45000.00",
        "projected_12m_usd": "300000.00",
    },
    "importer_report": {
        "result": "deal",
        "immediate_usd": "40000.00",
        "projected_12m_usd": "250000.00",
    },
    "version": 1,
}


class _DealFacts(Event):
    deal_id: str = Field(description="Stable: one deal per meeting.")
    meeting_id: str
    agency_code: str = Field(description="Agency of the exporter's country.")
    exporter_id: str
    exporter_country: CountryCode
    importer_id: str
    importer_country: CountryCode
    sectors: list[str]
    products: list[HsCode]
    status: DealStatus = Field(
        description="agreed: both sides within tolerance; disputed: they differ (lower counted); "
        "one_sided: only one side reported; withdrawn: no side reports a deal any more "
        "(DealUpdated only)."
    )
    immediate_usd: Decimal = Field(ge=0, description="Counted immediate amount in US dollars.")
    projected_12m_usd: Decimal = Field(ge=0, description="Counted 12-month projection in USD.")
    closed_at: AwareDatetime
    exporter_report: ReportedFigures | None = Field(
        default=None, description="The exporter's latest figures, if it reported."
    )
    importer_report: ReportedFigures | None = Field(
        default=None, description="The importer's latest figures, if it reported."
    )


class DealClosed(_DealFacts):
    """Public: a deal came out of a meeting. Keyed by `agency_code`, with the agency in the
    `agency` header; ids and figures only, no personal contact data. Published once per deal,
    when its first `deal` report is accepted; later changes follow as `DealUpdated` (same
    topic, key and header, and on `deals.events.v1`)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    version: int = Field(default=1, ge=1, description="Always 1: the deal as it first closed.")


class DealUpdated(_DealFacts):
    """A deal's figures or status changed (second report, follow-up at 3, 6 or 12 months).

    Published on `deals.closed.v1` (keyed by agency, `agency` header) and `deals.events.v1`;
    the highest `version` of a `deal_id` is its current state."""

    model_config = ConfigDict(json_schema_extra={"examples": [{**_EXAMPLE, "version": 2}]})

    version: int = Field(ge=2)
