"""Report counters: what each participant, meeting and deal contributes, and the report view.

Every entity contributes a set of counters to a set of cells (the roundtable's total, its
countries, sectors, agencies, and country-by-sector for agency views). The stored report is
the sum of the contributions: a handler adds `diff(new, old)` when an entity changes, and a
recomputation sums `contributions` over the stored entities; both must agree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .money import cents, from_cents

__all__ = [
    "CSV_COLUMNS",
    "METRICS",
    "Attribution",
    "Cell",
    "Counters",
    "add",
    "csv_cell",
    "deal_counters",
    "diff",
    "meeting_counters",
    "participant_counters",
    "render",
    "render_csv",
    "spread",
    "total",
]

METRICS = (
    "exporters_registered",
    "exporters_approved",
    "importers_registered",
    "importers_approved",
    "meetings_scheduled",
    "meetings_held",
    "meetings_no_show",
    "meetings_cancelled",
    "deals_count",
    "deals_immediate_usd_cents",
    "deals_projected_12m_usd_cents",
    "deals_agreed",
    "deals_disputed",
    "deals_one_sided",
)

Cell = tuple[str, str]
"""(scope, key): ("total", ""), ("country", "CL"), ("sector", "coffee"), ("agency", "PROCHILE"),
("country_sector", "CL|coffee")."""

Counters = dict[Cell, dict[str, int]]


@dataclass(frozen=True)
class Attribution:
    """Where an entity's numbers are reported: frozen when the entity is first stored, so
    that a later change of a profile never makes the incremental report drift from a
    recomputation."""

    countries: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()

    def cells(self) -> list[Cell]:
        cells: list[Cell] = [("total", "")]
        cells += [("country", c) for c in self.countries]
        cells += [("sector", s) for s in self.sectors]
        cells += [("agency", a) for a in self.agencies]
        cells += [("country_sector", f"{c}|{s}") for c in self.countries for s in self.sectors]
        return cells

    @staticmethod
    def of(
        countries: Iterable[str | None],
        sectors: Iterable[str],
        agencies: Iterable[str | None],
    ) -> Attribution:
        return Attribution(
            countries=tuple(sorted({c for c in countries if c})),
            sectors=tuple(sorted({s for s in sectors if s})),
            agencies=tuple(sorted({a for a in agencies if a})),
        )


def participant_counters(role: str, status: str) -> dict[str, int]:
    """A participant counts as registered once it registered (whatever came next) and as
    approved while approved."""
    if role not in ("exporter", "importer"):
        return {}
    out = {f"{role}s_registered": 1}
    if status == "approved":
        out[f"{role}s_approved"] = 1
    return out


def meeting_counters(status: str) -> dict[str, int]:
    """`scheduled` counts every meeting that got a slot and was not cancelled."""
    if status == "cancelled":
        return {"meetings_cancelled": 1}
    out = {"meetings_scheduled": 1}
    if status == "held":
        out["meetings_held"] = 1
    elif status == "no_show":
        out["meetings_no_show"] = 1
    return out


def deal_counters(
    status: str, immediate_usd: Decimal, projected_12m_usd: Decimal
) -> dict[str, int]:
    if status not in ("agreed", "disputed", "one_sided"):
        return {}
    return {
        "deals_count": 1,
        "deals_immediate_usd_cents": cents(immediate_usd),
        "deals_projected_12m_usd_cents": cents(projected_12m_usd),
        f"deals_{status}": 1,
    }


def spread(attribution: Attribution, counters: Mapping[str, int]) -> Counters:
    """The same counters in every cell of the attribution."""
    return {cell: dict(counters) for cell in attribution.cells() if counters}


def diff(new: Counters, old: Counters) -> Counters:
    """What to add to go from `old` to `new` (zero entries left out)."""
    out: Counters = {}
    for cell in new.keys() | old.keys():
        n, o = new.get(cell, {}), old.get(cell, {})
        delta = {m: n.get(m, 0) - o.get(m, 0) for m in n.keys() | o.keys()}
        delta = {m: v for m, v in delta.items() if v}
        if delta:
            out[cell] = delta
    return out


def add(into: Counters, more: Counters) -> Counters:
    for cell, counters in more.items():
        target = into.setdefault(cell, {})
        for metric, value in counters.items():
            target[metric] = target.get(metric, 0) + value
    return into


def total(contributions: Iterable[Counters]) -> Counters:
    out: Counters = {}
    for contribution in contributions:
        add(out, contribution)
    return out


def _block(counters: Mapping[str, int]) -> dict[str, Any]:
    c = {m: int(counters.get(m, 0)) for m in METRICS}
    return {
        "exporters": {"registered": c["exporters_registered"], "approved": c["exporters_approved"]},
        "importers": {"registered": c["importers_registered"], "approved": c["importers_approved"]},
        "meetings": {
            "scheduled": c["meetings_scheduled"],
            "held": c["meetings_held"],
            "no_show": c["meetings_no_show"],
            "cancelled": c["meetings_cancelled"],
        },
        "deals": {
            "count": c["deals_count"],
            "immediate_usd": str(from_cents(c["deals_immediate_usd_cents"])),
            "projected_12m_usd": str(from_cents(c["deals_projected_12m_usd_cents"])),
            "agreed": c["deals_agreed"],
            "disputed": c["deals_disputed"],
            "one_sided": c["deals_one_sided"],
        },
    }


def render(
    roundtable_id: str,
    counters: Counters,
    *,
    country: str | None = None,
    agency_countries: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The report as JSON: totals and `by_country`, `by_sector`, `by_agency`.

    With `country`, the view of that country's agency: totals are the country's, and each
    breakdown keeps only what concerns the country.
    """
    agency_countries = agency_countries or {}

    def scope(name: str) -> dict[str, Mapping[str, int]]:
        return {key: v for (s, key), v in sorted(counters.items()) if s == name}

    if country is None:
        totals = counters.get(("total", ""), {})
        by_country = scope("country")
        by_sector = scope("sector")
        by_agency = scope("agency")
    else:
        totals = counters.get(("country", country), {})
        by_country = {k: v for k, v in scope("country").items() if k == country}
        by_sector = {
            k.split("|", 1)[1]: v
            for k, v in scope("country_sector").items()
            if k.split("|", 1)[0] == country
        }
        by_agency = {k: v for k, v in scope("agency").items() if agency_countries.get(k) == country}
    return {
        "roundtable_id": roundtable_id,
        "country": country,
        **_block(totals),
        "by_country": {k: _block(v) for k, v in by_country.items()},
        "by_sector": {k: _block(v) for k, v in by_sector.items()},
        "by_agency": {k: _block(v) for k, v in by_agency.items()},
    }


CSV_COLUMNS = (
    "scope",
    "key",
    "exporters_registered",
    "exporters_approved",
    "importers_registered",
    "importers_approved",
    "meetings_scheduled",
    "meetings_held",
    "meetings_no_show",
    "meetings_cancelled",
    "deals_count",
    "deals_immediate_usd",
    "deals_projected_12m_usd",
    "deals_agreed",
    "deals_disputed",
    "deals_one_sided",
)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one starting with `= + - @`, tab or CR (a formula,
    e.g. `=HYPERLINK(...)` in an organizer's sector name) gets a leading apostrophe (OWASP's
    CSV-injection rule). defusedcsv misses tab and CR, hence these few lines."""
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def render_csv(report: Mapping[str, Any]) -> str:
    """A rendered report as CSV: one row for the total, then one per country, sector, agency.
    Every cell goes through `csv_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def row(scope: str, key: str, block: Mapping[str, Any]) -> list[str]:
        e, i, m, d = block["exporters"], block["importers"], block["meetings"], block["deals"]
        values = [
            e["registered"], e["approved"], i["registered"], i["approved"],
            m["scheduled"], m["held"], m["no_show"], m["cancelled"],
            d["count"], d["immediate_usd"], d["projected_12m_usd"],
            d["agreed"], d["disputed"], d["one_sided"],
        ]  # fmt: skip
        return [csv_cell(cell) for cell in (scope, key, *values)]

    writer.writerow(row("total", report.get("country") or "", report))
    for scope in ("country", "sector", "agency"):
        for key, block in report[f"by_{scope}"].items():
            writer.writerow(row(scope, key, block))
    return out.getvalue()
