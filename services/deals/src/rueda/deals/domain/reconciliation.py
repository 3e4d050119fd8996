"""Reconciliation: the latest report of each side becomes one deal per meeting.

- both sides report `deal` with figures within the tolerance: `agreed`;
- both reported, and they differ (figures beyond the tolerance, or one side reports no deal):
  `disputed`, carrying both figures;
- only one side reported, a deal: `one_sided`;
- a deal whose reports no longer say `deal` (a follow-up): `withdrawn`, counted nowhere.

The counted figures are always the lower of the two sides' (for `agreed` they differ by at
most the tolerance), and the only side's for `one_sided`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from .outcomes import OutcomeReport, Result, Side

__all__ = [
    "COUNTED",
    "Change",
    "DealRecord",
    "DealStatus",
    "Figures",
    "Reconciled",
    "Tolerance",
    "deal_id_of",
    "latest_by_side",
    "next_deal",
    "reconcile",
]

DealStatus = Literal["agreed", "disputed", "one_sided", "withdrawn"]
COUNTED: frozenset[str] = frozenset({"agreed", "disputed", "one_sided"})
Change = Literal["closed", "updated", "unchanged"]


@dataclass(frozen=True)
class Tolerance:
    """Two figures agree when they differ by at most `absolute` US dollars or `relative` of
    the larger one, whichever is more lenient."""

    relative: Decimal = Decimal("0.10")
    absolute: Decimal = Decimal("100")

    def agree(self, a: Decimal, b: Decimal) -> bool:
        return abs(a - b) <= max(self.absolute, self.relative * max(a, b))


@dataclass(frozen=True)
class Figures:
    """One side's latest report."""

    result: Result
    immediate_usd: Decimal
    projected_12m_usd: Decimal


@dataclass(frozen=True)
class Reconciled:
    status: DealStatus
    immediate_usd: Decimal
    projected_12m_usd: Decimal
    exporter: Figures | None
    importer: Figures | None
    products: tuple[str, ...]


def latest_by_side(reports: Iterable[OutcomeReport]) -> dict[Side, OutcomeReport]:
    """The last report of each side (highest `seq`)."""
    latest: dict[Side, OutcomeReport] = {}
    for report in reports:
        current = latest.get(report.side)
        if current is None or report.seq > current.seq:
            latest[report.side] = report
    return latest


def _figures(report: OutcomeReport | None) -> Figures | None:
    if report is None:
        return None
    return Figures(report.result, report.immediate_usd, report.projected_12m_usd)


def reconcile(
    reports: Iterable[OutcomeReport], tolerance: Tolerance = Tolerance()
) -> Reconciled | None:
    """The deal the reports of one meeting add up to; None if no side reports a deal."""
    latest = latest_by_side(reports)
    exporter, importer = latest.get("exporter"), latest.get("importer")
    deal_sides = [r for r in (exporter, importer) if r is not None and r.result == "deal"]
    if not deal_sides:
        return None
    products = tuple(sorted({p for r in deal_sides for p in r.products}))
    if exporter is not None and importer is not None:
        agreed = (
            exporter.result == importer.result == "deal"
            and tolerance.agree(exporter.immediate_usd, importer.immediate_usd)
            and tolerance.agree(exporter.projected_12m_usd, importer.projected_12m_usd)
        )
        return Reconciled(
            status="agreed" if agreed else "disputed",
            immediate_usd=min(exporter.immediate_usd, importer.immediate_usd),
            projected_12m_usd=min(exporter.projected_12m_usd, importer.projected_12m_usd),
            exporter=_figures(exporter),
            importer=_figures(importer),
            products=products,
        )
    only = deal_sides[0]
    return Reconciled(
        status="one_sided",
        immediate_usd=only.immediate_usd,
        projected_12m_usd=only.projected_12m_usd,
        exporter=_figures(exporter),
        importer=_figures(importer),
        products=products,
    )


@dataclass(frozen=True)
class DealRecord:
    """The deal of one meeting as last published; `version` 1 is the `DealClosed`."""

    deal_id: str
    meeting_id: str
    version: int
    status: DealStatus
    immediate_usd: Decimal
    projected_12m_usd: Decimal
    exporter: Figures | None
    importer: Figures | None
    products: tuple[str, ...]
    closed_at: dt.datetime

    @property
    def counted(self) -> bool:
        return self.status in COUNTED


def deal_id_of(meeting_id: str) -> str:
    return f"deal-{meeting_id}"


def next_deal(
    previous: DealRecord | None,
    reports: Iterable[OutcomeReport],
    *,
    meeting_id: str,
    now: dt.datetime,
    tolerance: Tolerance = Tolerance(),
) -> tuple[DealRecord | None, Change]:
    """The deal of a meeting after a new report, and whether it closed now or changed."""
    reports = list(reports)
    reconciled = reconcile(reports, tolerance)
    if previous is None:
        if reconciled is None:
            return None, "unchanged"
        return (
            DealRecord(
                deal_id=deal_id_of(meeting_id),
                meeting_id=meeting_id,
                version=1,
                status=reconciled.status,
                immediate_usd=reconciled.immediate_usd,
                projected_12m_usd=reconciled.projected_12m_usd,
                exporter=reconciled.exporter,
                importer=reconciled.importer,
                products=reconciled.products,
                closed_at=now,
            ),
            "closed",
        )
    if reconciled is None:
        latest = latest_by_side(reports)
        zero = Decimal("0.00")
        candidate = replace(
            previous,
            status="withdrawn",
            immediate_usd=zero,
            projected_12m_usd=zero,
            exporter=_figures(latest.get("exporter")),
            importer=_figures(latest.get("importer")),
        )
    else:
        candidate = replace(
            previous,
            status=reconciled.status,
            immediate_usd=reconciled.immediate_usd,
            projected_12m_usd=reconciled.projected_12m_usd,
            exporter=reconciled.exporter,
            importer=reconciled.importer,
            products=reconciled.products,
        )
    if candidate == previous:
        return previous, "unchanged"
    return replace(candidate, version=previous.version + 1), "updated"
