"""Deals domain: currency conversion, outcome validation, reconciliation, report counters."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from decimal import Decimal
from pathlib import Path

import pytest

import rueda.deals.domain as domain
from rueda.deals.domain import (
    MAX_USD,
    Attribution,
    Meeting,
    OutcomeRefusedError,
    OutcomeReport,
    OutcomeRequest,
    Tolerance,
    accept_outcome,
    deal_counters,
    diff,
    meeting_counters,
    next_deal,
    participant_counters,
    reconcile,
    render,
    render_csv,
    spread,
    to_usd,
    total,
)

pytestmark = pytest.mark.unit

RATES = {
    "USD": Decimal(1),
    "CLP": Decimal("0.00125"),
    "GBP": Decimal("1.25"),
    "PEN": Decimal("0.28"),
}
NOW = dt.datetime(2020, 6, 25, 15, 0, tzinfo=dt.UTC)
HELD = Meeting("m1", "exp", "imp", "held", "CL", "GB")
D = Decimal


# currency -----------------------------------------------------------------------------------
def test_conversion_uses_the_roundtables_rates_and_rounds_to_the_cent() -> None:
    assert to_usd(D("1000000"), "CLP", RATES) == D("1250.00")
    assert to_usd(D("100.005"), "USD", RATES) == D("100.00")  # half-even
    assert to_usd(D("100.015"), "USD", RATES) == D("100.02")
    assert to_usd(D("333.33"), "PEN", RATES) == D("93.33")
    assert to_usd(D("10"), "USD", {}) == D("10.00")  # USD always accepted at 1


@pytest.mark.parametrize(
    ("value", "currency", "code"),
    [
        (D("10"), "EUR", "unknown_currency"),
        (D("-1"), "USD", "negative_amount"),
        (D("NaN"), "USD", "invalid_amount"),
        (D("Infinity"), "USD", "invalid_amount"),
        (D("1000000000.01"), "USD", "absurd_amount"),
        (D("1E+400"), "CLP", "absurd_amount"),
        (D("900000000"), "GBP", "absurd_amount"),  # 1.125e9 USD after conversion
    ],
)
def test_conversion_refuses_with_a_clear_code(value: Decimal, currency: str, code: str) -> None:
    with pytest.raises(OutcomeRefusedError) as refused:
        to_usd(value, currency, RATES, field="immediate_amount")
    assert refused.value.code == code
    assert refused.value.details["field"] == "immediate_amount"
    if code == "unknown_currency":
        assert refused.value.details["accepted"] == ["CLP", "GBP", "PEN", "USD"]


def test_the_largest_accepted_amount_is_the_limit_itself() -> None:
    assert to_usd(MAX_USD, "USD", RATES) == MAX_USD


# outcome validation ---------------------------------------------------------------------------
def request(**kw: object) -> OutcomeRequest:
    values: dict[str, object] = {
        "outcome_id": "o1",
        "meeting_id": "m1",
        "participant_id": "exp",
        "reported_by": "exp",
        "result": "deal",
        "immediate": (D("40000"), "GBP"),
        "projected_12m": (D("200000"), "USD"),
        "products": ("080810", "0808", "080810"),
    }
    values.update(kw)
    return OutcomeRequest(**values)  # type: ignore[arg-type]


def test_a_party_of_a_held_meeting_reports_in_usd() -> None:
    report = accept_outcome(request(), HELD, RATES, seq=3)
    assert report.side == "exporter"
    assert report.immediate_usd == D("50000.00")
    assert report.projected_12m_usd == D("200000.00")
    assert report.products == ("0808", "080810")
    assert report.seq == 3
    by_organizer = accept_outcome(
        request(participant_id="imp", reported_by="organizer"), HELD, RATES, seq=1
    )
    assert by_organizer.side == "importer"


@pytest.mark.parametrize(
    ("meeting", "kw", "code"),
    [
        (None, {}, "unknown_meeting"),
        (HELD, {"participant_id": "other", "reported_by": "other"}, "not_a_party"),
        (HELD, {"reported_by": "imp"}, "not_authorized"),
        (Meeting("m1", "exp", "imp", "scheduled"), {}, "meeting_not_held"),
        (Meeting("m1", "exp", "imp", "no_show"), {}, "meeting_not_held"),
        (Meeting("m1", "exp", "imp", "cancelled"), {}, "meeting_not_held"),
        (HELD, {"immediate": None, "projected_12m": None}, "amount_required"),
        (HELD, {"immediate": (D("0"), "USD"), "projected_12m": None}, "amount_required"),
        (HELD, {"result": "negotiating"}, "amount_without_deal"),
        (HELD, {"result": "no_interest", "immediate": None}, "amount_without_deal"),
        (HELD, {"immediate": (D("5"), "XAU")}, "unknown_currency"),
        (HELD, {"projected_12m": (D("-5"), "USD")}, "negative_amount"),
        (HELD, {"immediate": (D("2E+9"), "USD")}, "absurd_amount"),
    ],
)
def test_outcomes_that_are_refused(
    meeting: Meeting | None, kw: dict[str, object], code: str
) -> None:
    with pytest.raises(OutcomeRefusedError) as refused:
        accept_outcome(request(**kw), meeting, RATES, seq=1)
    assert refused.value.code == code
    assert refused.value.message


def test_negotiating_may_carry_a_projection_and_no_interest_nothing() -> None:
    r = accept_outcome(request(result="negotiating", immediate=None), HELD, RATES, seq=1)
    assert (r.immediate_usd, r.projected_12m_usd) == (D("0.00"), D("200000.00"))
    r = accept_outcome(
        request(result="no_interest", immediate=None, projected_12m=None), HELD, RATES, seq=1
    )
    assert (r.result, r.immediate_usd, r.projected_12m_usd) == ("no_interest", 0, 0)


# reconciliation -------------------------------------------------------------------------------
def rep(side: str, result: str = "deal", imm: str = "0", proj: str = "0", seq: int = 1,
        products: tuple[str, ...] = ()) -> OutcomeReport:  # fmt: skip
    pid = "exp" if side == "exporter" else "imp"
    return OutcomeReport(f"o-{side}-{seq}", "m1", pid, side, result, D(imm), D(proj), pid, seq,
                         products)  # type: ignore[arg-type]  # fmt: skip


def test_both_sides_within_tolerance_make_one_agreed_deal_counting_the_lower() -> None:
    deal = reconcile([rep("exporter", imm="10000", proj="50000"),
                      rep("importer", imm="9500", proj="52000", seq=2)])  # fmt: skip
    assert deal is not None
    assert deal.status == "agreed"
    assert (deal.immediate_usd, deal.projected_12m_usd) == (D("9500"), D("50000"))


def test_tolerance_has_a_relative_and_an_absolute_part() -> None:
    t = Tolerance(D("0.10"), D("100"))
    assert t.agree(D("1000"), D("900"))  # 10 % of the larger
    assert not t.agree(D("1000"), D("899"))
    assert t.agree(D("50"), D("140"))  # 90 apart: within the absolute 100
    assert not t.agree(D("0"), D("101"))
    strict = Tolerance(D("0"), D("0"))
    assert reconcile([rep("exporter", imm="10"), rep("importer", imm="11", seq=2)],
                     strict).status == "disputed"  # type: ignore[union-attr]  # fmt: skip


def test_disagreement_is_disputed_carries_both_figures_and_counts_the_lower() -> None:
    deal = reconcile([rep("exporter", imm="45000", proj="300000"),
                      rep("importer", imm="40000", proj="250000", seq=2)])  # fmt: skip
    assert deal is not None
    assert deal.status == "disputed"
    assert (deal.immediate_usd, deal.projected_12m_usd) == (D("40000"), D("250000"))
    assert deal.exporter is not None
    assert deal.exporter.immediate_usd == D("45000")
    assert deal.importer is not None
    assert deal.importer.projected_12m_usd == D("250000")


def test_one_side_says_deal_and_the_other_not_is_disputed_with_the_lower_figures() -> None:
    deal = reconcile([rep("exporter", imm="1000", proj="5000"),
                      rep("importer", "negotiating", proj="3000", seq=2)])  # fmt: skip
    assert deal is not None
    assert deal.status == "disputed"
    assert (deal.immediate_usd, deal.projected_12m_usd) == (D("0"), D("3000"))


def test_a_one_sided_report_counts_and_says_so() -> None:
    deal = reconcile([rep("importer", imm="700", proj="0", products=("0901",))])
    assert deal is not None
    assert deal.status == "one_sided"
    assert deal.immediate_usd == D("700")
    assert deal.products == ("0901",)
    assert deal.exporter is None


def test_no_deal_without_a_deal_report() -> None:
    assert reconcile([]) is None
    assert reconcile([rep("exporter", "negotiating", proj="100"), rep("importer", "no_interest",
                                                                      seq=2)]) is None  # fmt: skip


def test_the_latest_report_of_each_side_wins() -> None:
    deal = reconcile([rep("exporter", imm="100", seq=1), rep("exporter", imm="5000", seq=3),
                      rep("importer", imm="5000", seq=2)])  # fmt: skip
    assert deal is not None
    assert deal.status == "agreed"
    assert deal.immediate_usd == D("5000")


def test_deal_lifecycle_closed_then_updated_then_withdrawn() -> None:
    r1 = rep("exporter", imm="1000", proj="9000", seq=1)
    deal, change = next_deal(None, [r1], meeting_id="m1", now=NOW)
    assert change == "closed"
    assert deal is not None
    assert (deal.version, deal.status, deal.deal_id) == (1, "one_sided", "deal-m1")
    same, change = next_deal(deal, [r1], meeting_id="m1", now=NOW)
    assert change == "unchanged"
    assert same == deal
    r2 = rep("importer", imm="1050", proj="9100", seq=2)
    deal2, change = next_deal(deal, [r1, r2], meeting_id="m1", now=NOW)
    assert change == "updated"
    assert deal2 is not None
    assert (deal2.version, deal2.status, deal2.immediate_usd) == (2, "agreed", D("1000"))
    assert deal2.closed_at == NOW
    follow_up = rep("exporter", imm="1000", proj="30000", seq=3)  # 3-month follow-up
    deal3, change = next_deal(deal2, [r1, r2, follow_up], meeting_id="m1", now=NOW)
    assert change == "updated"
    assert deal3 is not None
    assert (deal3.version, deal3.status, deal3.projected_12m_usd) == (3, "disputed", D("9100"))
    fell = [r1, r2, follow_up, rep("exporter", "no_interest", seq=4),
            rep("importer", "no_interest", seq=5)]  # fmt: skip
    deal4, change = next_deal(deal3, fell, meeting_id="m1", now=NOW)
    assert change == "updated"
    assert deal4 is not None
    assert (deal4.version, deal4.status, deal4.immediate_usd) == (4, "withdrawn", D("0"))
    assert not deal4.counted
    assert next_deal(None, [rep("exporter", "no_interest")], meeting_id="m1", now=NOW) == (
        None,
        "unchanged",
    )


# report counters ------------------------------------------------------------------------------
def test_counters_per_entity() -> None:
    assert participant_counters("exporter", "registered") == {"exporters_registered": 1}
    assert participant_counters("importer", "approved") == {
        "importers_registered": 1,
        "importers_approved": 1,
    }
    assert participant_counters("exporter", "withdrawn") == {"exporters_registered": 1}
    assert meeting_counters("held") == {"meetings_scheduled": 1, "meetings_held": 1}
    assert meeting_counters("cancelled") == {"meetings_cancelled": 1}
    assert deal_counters("disputed", D("10.5"), D("100")) == {
        "deals_count": 1,
        "deals_immediate_usd_cents": 1050,
        "deals_projected_12m_usd_cents": 10000,
        "deals_disputed": 1,
    }
    assert deal_counters("withdrawn", D("0"), D("0")) == {}


def test_incremental_diffs_add_up_to_the_final_state() -> None:
    attr = Attribution.of(["CL", "GB"], ["coffee", "fruit"], ["PROCHILE", None])
    states = ["scheduled", "held", "no_show", "held"]
    running: dict = {}
    previous: dict = {}
    for status in states:
        now = spread(attr, meeting_counters(status))
        running = total([running, diff(now, previous)])
        previous = now
    running = {c: {m: v for m, v in cs.items() if v} for c, cs in running.items()}
    assert running == spread(attr, meeting_counters("held"))
    assert ("country_sector", "CL|coffee") in running
    assert len(running) == 1 + 2 + 2 + 1 + 4


def test_render_whole_report_and_agency_view_and_csv() -> None:
    cl = Attribution.of(["CL", "GB"], ["coffee"], ["PROCHILE"])
    pe = Attribution.of(["PE", "GB"], ["cocoa"], ["PROMPERU"])
    counters = total([
        spread(Attribution.of(["CL"], ["coffee"], ["PROCHILE"]),
               participant_counters("exporter", "approved")),
        spread(cl, meeting_counters("held")),
        spread(cl, deal_counters("agreed", D("1500.25"), D("17000"))),
        spread(pe, meeting_counters("no_show")),
    ])  # fmt: skip
    whole = render("rt", counters, agency_countries={"PROCHILE": "CL", "PROMPERU": "PE"})
    assert whole["meetings"] == {"scheduled": 2, "held": 1, "no_show": 1, "cancelled": 0}
    assert whole["deals"]["immediate_usd"] == "1500.25"
    assert set(whole["by_country"]) == {"CL", "GB", "PE"}
    assert whole["by_country"]["GB"]["meetings"]["scheduled"] == 2
    assert set(whole["by_agency"]) == {"PROCHILE", "PROMPERU"}
    chile = render("rt", counters, country="CL", agency_countries={"PROCHILE": "CL",
                                                                    "PROMPERU": "PE"})  # fmt: skip
    assert chile["country"] == "CL"
    assert chile["meetings"]["scheduled"] == 1
    assert chile["exporters"] == {"registered": 1, "approved": 1}
    assert set(chile["by_country"]) == {"CL"}
    assert set(chile["by_sector"]) == {"coffee"}
    assert set(chile["by_agency"]) == {"PROCHILE"}
    rows = render_csv(whole).splitlines()
    assert rows[0].startswith("scope,key,exporters_registered")
    assert rows[1].split(",")[:2] == ["total", ""]
    assert "1500.25" in rows[1]
    assert len(rows) == 1 + 1 + 3 + 2 + 2


def test_the_domain_imports_no_io() -> None:
    banned = ("faststream", "pymongo", "httpx", "structlog", "aiokafka")
    for info in pkgutil.iter_modules(domain.__path__):
        module = importlib.import_module(f"rueda.deals.domain.{info.name}")
        source = Path(module.__file__ or "").read_text()
        for name in banned:
            assert f"import {name}" not in source, info.name
            assert f"from {name}" not in source, info.name
    for name in domain.__all__:
        assert hasattr(domain, name), name
