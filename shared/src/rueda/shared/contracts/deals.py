"""Contracts of the deals service: `deals.commands.v1`, `deals.events.v1`, `deals.closed.v1`."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import AwareDatetime, Field

from ._base import Command, Event
from .common import CountryCode, HsCode, Money

__all__ = ["DealClosed", "DealUpdated", "OutcomeRecorded", "RecordOutcome"]

Result = Literal["deal", "negotiating", "no_interest"]
DealStatus = Literal["agreed", "disputed", "one_sided"]


class RecordOutcome(Command):
    """What one side reports after a held meeting."""

    outcome_id: str
    meeting_id: str
    participant_id: str
    reported_by: str = Field(description="The participant itself, or `organizer`.")
    result: Result
    immediate_amount: Money | None = None
    projected_12m_amount: Money | None = None
    products: list[HsCode] = Field(default_factory=list)


class OutcomeRecorded(Event):
    outcome_id: str
    meeting_id: str
    participant_id: str
    result: Result
    immediate_usd: Decimal = Field(ge=0)
    projected_12m_usd: Decimal = Field(ge=0)


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
        "one_sided: only one side reported."
    )
    immediate_usd: Decimal = Field(ge=0, description="Counted immediate amount in US dollars.")
    projected_12m_usd: Decimal = Field(ge=0, description="Counted 12-month projection in USD.")
    closed_at: AwareDatetime


class DealClosed(_DealFacts):
    """Public: a deal came out of a meeting. Keyed by agency; no personal contact data."""


class DealUpdated(_DealFacts):
    """A deal's figures or status changed (second report, follow-up at 3, 6 or 12 months)."""

    version: int = Field(ge=2)
