"""The deals service on real Kafka and SecantusDB: registrations, meetings and outcomes in,
deals, rejections and a report out; an agency consumer in its own group; the report exact
against ground truth computed here, and equal to its recomputation from stored outcomes."""

from __future__ import annotations

import asyncio
import csv
import importlib.util
import io
import json
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from fastapi import FastAPI
from tests.support.gateway import gateway, token
from tests.support.kafka import envelopes, eventually, read_all

from rueda.deals.adapters import INDEXES, DealsRepository
from rueda.deals.api import build_router, commands_router
from rueda.deals.app import DealsSettings, wire
from rueda.deals.domain import Tolerance
from rueda.gateway.proxy import ServiceClient
from rueda.shared.contracts import (
    Agency,
    CalendarSettings,
    CommandRejected,
    Company,
    Contact,
    Contract,
    Envelope,
    MatchingRules,
    Money,
    ParticipantProfile,
    topic,
)
from rueda.shared.contracts import registration as reg
from rueda.shared.contracts import scheduling as sch
from rueda.shared.contracts.deals import DealClosed, DealUpdated, OutcomeRecorded, RecordOutcome
from rueda.shared.service import ServiceRuntime

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

REPO = Path(__file__).resolve().parents[2]
D = Decimal
AGENCIES = {"PROCHILE": "CL", "PROCOLOMBIA": "CO", "SE-MX": "MX", "PROMPERU": "PE"}
AGENCY_OF = {country: code for code, country in AGENCIES.items()}
RATES = {"GBP": D("1.25"), "CLP": D("0.00125"), "COP": D("0.00025"), "MXN": D("0.05"),
         "PEN": D("0.28")}  # fmt: skip
START = datetime(2020, 6, 23, 14, 0, tzinfo=UTC)


@dataclass(frozen=True)
class P:
    pid: str
    role: str
    country: str
    sectors: tuple[str, ...]
    status: str  # final: pending | approved | rejected | withdrawn


PEOPLE = [
    P("e-cl-1", "exporter", "CL", ("fresh fruit",), "approved"),
    P("e-cl-2", "exporter", "CL", ("fresh fruit", "honey"), "approved"),
    P("e-cl-3", "exporter", "CL", ("nuts",), "approved"),
    P("e-co-1", "exporter", "CO", ("coffee",), "approved"),
    P("e-co-2", "exporter", "CO", ("coffee", "cocoa"), "approved"),
    P("e-co-3", "exporter", "CO", ("cocoa",), "approved"),
    P("e-mx-1", "exporter", "MX", ("honey",), "approved"),
    P("e-mx-2", "exporter", "MX", ("beverages",), "rejected"),
    P("e-pe-1", "exporter", "PE", ("cocoa", "coffee"), "approved"),
    P("e-pe-2", "exporter", "PE", ("fresh fruit",), "withdrawn"),
    P("i-gb-1", "importer", "GB", ("fresh fruit", "nuts"), "approved"),
    P("i-gb-2", "importer", "GB", ("coffee",), "approved"),
    P("i-gb-3", "importer", "GB", ("cocoa", "honey"), "approved"),
    P("i-gb-4", "importer", "GB", ("beverages",), "pending"),
]
BY_ID = {p.pid: p for p in PEOPLE}

# meeting -> (exporter, importer, final status)
MEETINGS = {
    "m01": ("e-cl-1", "i-gb-1", "scheduled"),
    "m02": ("e-co-1", "i-gb-2", "scheduled"),  # rescheduled
    "m03": ("e-mx-1", "i-gb-3", "cancelled"),
    "m04": ("e-pe-1", "i-gb-2", "no_show"),
    "m05": ("e-cl-1", "i-gb-1", "held"),
    "m06": ("e-cl-2", "i-gb-3", "held"),
    "m07": ("e-cl-3", "i-gb-1", "held"),
    "m08": ("e-co-1", "i-gb-2", "held"),
    "m09": ("e-co-2", "i-gb-2", "held"),
    "m10": ("e-co-3", "i-gb-3", "held"),
    "m11": ("e-co-2", "i-gb-3", "held"),
    "m12": ("e-mx-1", "i-gb-3", "held"),
    "m13": ("e-co-3", "i-gb-2", "held"),
    "m14": ("e-mx-1", "i-gb-1", "held"),
    "m15": ("e-pe-1", "i-gb-3", "held"),
    "m16": ("e-pe-1", "i-gb-2", "held"),
}

# The deal each meeting must end with: (status, immediate USD, projected USD), written by hand.
EXPECTED_DEALS = {
    "m05": ("agreed", D("48000"), D("190000")),
    "m06": ("disputed", D("60000"), D("0")),
    "m07": ("one_sided", D("10000"), D("50000")),
    "m08": ("one_sided", D("5000"), D("20000")),
    "m11": ("agreed", D("10000"), D("100000")),
    "m13": ("agreed", D("25000"), D("0")),
    "m14": ("agreed", D("50"), D("0")),
    "m16": ("one_sided", D("840"), D("10000")),
}
# every deal that ever closed (m12 closed, then was withdrawn by a follow-up)
CLOSED = {*EXPECTED_DEALS, "m12"}
# DealUpdated: when the second side reports (phase 1) and after the follow-ups (phase 2)
UPDATES = {"m05": ("agreed", 2), "m06": ("disputed", 2), "m13": ("agreed", 2),
           "m14": ("agreed", 2), "m11": ("agreed", 2), "m12": ("withdrawn", 2),
           "m16": ("one_sided", 2)}  # fmt: skip


def outcome(mid: str, side: str, result: str, imm: tuple[str, str] | None = None,
            proj: tuple[str, str] | None = None, *, by: str | None = None,
            pid: str | None = None, oid: str | None = None) -> RecordOutcome:  # fmt: skip
    exporter, importer, _ = MEETINGS.get(mid, ("e-cl-1", "i-gb-1", ""))
    participant = pid or (exporter if side == "exporter" else importer)
    return RecordOutcome(
        outcome_id=oid or f"o-{uuid.uuid4().hex[:10]}",
        meeting_id=mid,
        participant_id=participant,
        reported_by=by or participant,
        result=result,  # type: ignore[arg-type]
        immediate_amount=Money(value=D(imm[0]), currency=imm[1]) if imm else None,
        projected_12m_amount=Money(value=D(proj[0]), currency=proj[1]) if proj else None,
        products=["0810"] if result == "deal" else [],
    )


DUPLICATE_ID = "o-m05-exporter"
PHASE_1: list[tuple[RecordOutcome, str | None]] = [  # (command, expected rejection code)
    (outcome("m05", "exporter", "deal", ("40000", "GBP"), ("200000", "USD"), oid=DUPLICATE_ID),
     None),
    (outcome("m05", "importer", "deal", ("48000", "USD"), ("190000", "USD")), None),
    (outcome("m06", "exporter", "deal", ("100000", "USD")), None),
    (outcome("m06", "importer", "deal", ("60000", "USD")), None),
    (outcome("m07", "exporter", "deal", ("8000000", "CLP"), ("40000000", "CLP")), None),
    (outcome("m08", "importer", "deal", ("5000", "USD"), ("20000", "USD"), by="organizer"), None),
    (outcome("m09", "exporter", "no_interest"), None),
    (outcome("m09", "importer", "no_interest"), None),
    (outcome("m10", "exporter", "negotiating", None, ("30000", "USD")), None),
    (outcome("m10", "importer", "negotiating"), None),
    (outcome("m11", "exporter", "deal", ("10000", "USD"), ("100000", "USD")), None),
    (outcome("m12", "exporter", "deal", ("20000", "USD")), None),
    (outcome("m13", "exporter", "deal", ("100000000", "COP")), None),
    (outcome("m13", "importer", "deal", ("25000", "USD")), None),
    (outcome("m14", "exporter", "deal", ("1000", "MXN")), None),
    (outcome("m14", "importer", "deal", ("120", "USD")), None),
    (outcome("m15", "exporter", "deal", ("100", "EUR")), "unknown_currency"),
    (outcome("m15", "exporter", "no_interest"), None),
    (outcome("m16", "exporter", "deal", ("3000", "PEN")), None),
    (outcome("m01", "exporter", "deal", ("1", "USD")), "meeting_not_held"),
    (outcome("m04", "importer", "deal", ("1", "USD")), "meeting_not_held"),
    (outcome("m05", "exporter", "deal", ("1", "USD"), pid="e-co-1"), "not_a_party"),
    (outcome("m05", "exporter", "deal", ("1", "USD"), by="i-gb-1"), "not_authorized"),
    (outcome("m06", "exporter", "deal", ("-5", "USD")), "negative_amount"),
    (outcome("m06", "exporter", "deal", ("5000000000", "USD")), "absurd_amount"),
    (outcome("m99", "exporter", "deal", ("1", "USD")), "unknown_meeting"),
    (outcome("m05", "exporter", "deal", ("1", "USD"), oid=DUPLICATE_ID), "duplicate_outcome"),
]  # fmt: skip
PHASE_2: list[tuple[RecordOutcome, str | None]] = [  # follow-ups
    (outcome("m11", "importer", "deal", ("10000", "USD"), ("100000", "USD")), None),
    (outcome("m12", "exporter", "no_interest"), None),
    (outcome("m16", "exporter", "deal", ("3000", "PEN"), ("10000", "USD")), None),
]


def profile(p: P) -> ParticipantProfile:
    return ParticipantProfile(
        participant_id=p.pid,
        role=p.role,  # type: ignore[arg-type]
        company=Company(name=f"Company {p.pid}", tax_id=p.pid),
        country=p.country,
        timezone="Europe/London" if p.country == "GB" else "America/Santiago",
        sectors=list(p.sectors),
        contact=Contact(name="Ana", email=f"{p.pid}@example.com", phone="+56 9 1234"),
    )


def registration_events() -> list[Contract]:
    out: list[Contract] = [
        reg.RoundtableOpened(
            name="Pacific Alliance e-Business Roundtable with UK importers",
            calendar=CalendarSettings(days=[START.date()]),
            agencies=[Agency(code=c, name=c, country=k) for c, k in AGENCIES.items()],
            exporter_countries=["CL", "CO", "MX", "PE"],
            importer_countries=["GB"],
            sectors=["fresh fruit", "nuts", "coffee", "cocoa", "honey", "beverages"],
            matching=MatchingRules(),
            usd_rates={"USD": D(1), **RATES},
            self_registration=True,
            registration_open=True,
        )
    ]
    for p in PEOPLE:
        out.append(reg.ParticipantRegistered(profile=profile(p)))
    for p in PEOPLE:
        if p.status in ("approved", "withdrawn"):
            out.append(reg.ParticipantApproved(profile=profile(p), reviewed_by="agency"))
        if p.status == "rejected":
            out.append(reg.ParticipantRejected(participant_id=p.pid, reason="no", reviewed_by="x"))
        if p.status == "withdrawn":
            out.append(reg.ParticipantWithdrawn(participant_id=p.pid, role="exporter", reason="x"))
    return out


def scheduling_events() -> list[Contract]:
    out: list[Contract] = []
    for n, (mid, (e, i, status)) in enumerate(MEETINGS.items()):
        starts = START + timedelta(minutes=30 * n)
        placed = {
            "meeting_id": mid,
            "exporter_id": e,
            "importer_id": i,
            "exporter_country": BY_ID[e].country,
            "importer_country": BY_ID[i].country,
            "starts_at": starts,
            "ends_at": starts + timedelta(minutes=30),
            "local_times": {},
            "timezones": {},
            "join_url": f"https://meet.example/{mid}",
            "sequence": 0,
        }
        out.append(sch.MeetingScheduled(**placed))
        ids = {"meeting_id": mid, "exporter_id": e, "importer_id": i}
        if mid == "m02":
            later = starts + timedelta(days=1)
            out.append(sch.MeetingRescheduled(**{**placed, "starts_at": later,
                       "ends_at": later + timedelta(minutes=30), "sequence": 1,
                       "previous_starts_at": starts}))  # fmt: skip
        if status == "cancelled":
            out.append(sch.MeetingCancelled(**ids, sequence=1, reason="x"))
        if status == "no_show":
            out.append(sch.MeetingNoShow(**ids, starts_at=starts))
        if status == "held":
            if mid == "m10":  # attendance corrected: no-show first, then held
                out.append(sch.MeetingNoShow(**ids, starts_at=starts))
            out.append(sch.MeetingHeld(**ids, starts_at=starts))
    # a cancellation of a meeting deals never saw scheduled is not counted
    out.append(sch.MeetingCancelled(meeting_id="m-never", exporter_id="e-cl-1",
                                    importer_id="i-gb-1", sequence=0))  # fmt: skip
    return out


# ---- ground truth, computed here without the service's domain code ---------------------------
def _zero() -> dict[str, Any]:
    return {
        "exporters": {"registered": 0, "approved": 0},
        "importers": {"registered": 0, "approved": 0},
        "meetings": {"scheduled": 0, "held": 0, "no_show": 0, "cancelled": 0},
        "deals": {"count": 0, "immediate_usd": D(0), "projected_12m_usd": D(0), "agreed": 0,
                  "disputed": 0, "one_sided": 0},
    }  # fmt: skip


def ground_truth(country: str | None = None) -> dict[str, Any]:
    cells: dict[tuple[str, str], dict[str, Any]] = defaultdict(_zero)

    def bump(keys: list[tuple[str, str]], path: tuple[str, str], by: Any = 1) -> None:
        for key in keys:
            cells[key][path[0]][path[1]] += by

    def keys(countries: set[str], sectors: tuple[str, ...], agencies: set[str]) -> list:
        out = [("total", "")] + [("country", c) for c in countries]
        out += [("sector", s) for s in sectors] + [("agency", a) for a in agencies]
        out += [("cs", f"{c}|{s}") for c in countries for s in sectors]
        return out

    for p in PEOPLE:
        k = keys({p.country}, p.sectors, {AGENCY_OF[p.country]} - {None} if p.country in
                 AGENCY_OF else set())  # fmt: skip
        bump(k, (f"{p.role}s", "registered"))
        if p.status == "approved":
            bump(k, (f"{p.role}s", "approved"))
    for mid, (e, i, status) in MEETINGS.items():
        exp = BY_ID[e]
        k = keys({exp.country, BY_ID[i].country}, exp.sectors, {AGENCY_OF[exp.country]})
        if status == "cancelled":
            bump(k, ("meetings", "cancelled"))
            continue
        bump(k, ("meetings", "scheduled"))
        if status in ("held", "no_show"):
            bump(k, ("meetings", status))
        if mid in EXPECTED_DEALS:
            deal_status, imm, proj = EXPECTED_DEALS[mid]
            bump(k, ("deals", "count"))
            bump(k, ("deals", deal_status))
            bump(k, ("deals", "immediate_usd"), imm)
            bump(k, ("deals", "projected_12m_usd"), proj)

    def fmt(block: dict[str, Any]) -> dict[str, Any]:
        deals = {
            k: (f"{v:.2f}" if isinstance(v, Decimal) else v) for k, v in block["deals"].items()
        }
        return {**block, "deals": deals}

    def scope(name: str) -> dict[str, Any]:
        return {k: fmt(v) for (s, k), v in sorted(cells.items()) if s == name}

    if country is None:
        totals, by_country = cells[("total", "")], scope("country")
        by_sector, by_agency = scope("sector"), scope("agency")
    else:
        totals = cells[("country", country)]
        by_country = {country: fmt(totals)}
        by_sector = {k.split("|")[1]: v for k, v in scope("cs").items()
                     if k.startswith(f"{country}|")}  # fmt: skip
        by_agency = {k: v for k, v in scope("agency").items() if AGENCIES[k] == country}
    return {**fmt(totals), "by_country": by_country, "by_sector": by_sector,
            "by_agency": by_agency}  # fmt: skip


# ---- the test ------------------------------------------------------------------------------
@pytest.fixture
async def deals_runtime(make_settings: Callable[..., Any]) -> AsyncIterator[ServiceRuntime]:
    settings = make_settings("deals", DealsSettings)
    rt = ServiceRuntime(settings, indexes=INDEXES)
    await rt.start(wire)
    yield rt
    await rt.stop()


def _agency_example() -> Any:
    spec = importlib.util.spec_from_file_location("agency_consumer", REPO / "examples" /
                                                  "agency_consumer.py")  # fmt: skip
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_outcomes_become_deals_reports_and_agency_streams(
    deals_runtime: ServiceRuntime,
) -> None:
    rt = deals_runtime
    s = rt.settings
    rt_id = f"rt-{uuid.uuid4().hex[:8]}"
    boot = s.kafka_bootstrap
    app = FastAPI()
    app.include_router(build_router(lambda: DealsRepository(rt.db), Tolerance()))
    app.include_router(commands_router(lambda: DealsRepository(rt.db)))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://deals")
    producer = AIOKafkaProducer(bootstrap_servers=boot, acks="all")
    await producer.start()
    agency = _agency_example()
    received: list[dict[str, Any]] = []
    stop = asyncio.Event()
    agency_task = asyncio.create_task(
        agency.consume(
            boot,
            "PROCHILE",
            received.append,
            topic=s.topic(topic("deals.closed.v1")),
            group=f"{s.topic_prefix}agency-prochile",
            stop=stop,
        )
    )
    sent: dict[str, Envelope] = {}

    async def send(spec_name: str, payloads: list[Contract]) -> None:
        for payload in payloads:
            env = Envelope.wrap(payload, producer="test", roundtable_id=rt_id,
                                correlation_id="it")  # fmt: skip
            if isinstance(payload, RecordOutcome):
                sent[str(env.event_id)] = env
            await producer.send(s.topic(topic(spec_name)), env.to_bytes(), key=rt_id.encode())
        await producer.flush()

    async def report(path: str = "report", **params: str) -> dict[str, Any]:
        r = await client.get(f"/internal/roundtables/{rt_id}/{path}", params=params)
        assert r.status_code == 200, r.text
        return r.json()

    async def commands_done(n: int) -> bool:
        return await rt.db["commands"].count_documents({"roundtable_id": rt_id}) >= n

    try:
        truth = ground_truth()
        await send("registration.events.v1", registration_events())

        async def participants_in() -> bool:
            got = await report()
            return (got["exporters"], got["importers"]) == (truth["exporters"], truth["importers"])

        await eventually(participants_in, within_s=60, what="participants counted")
        await send("scheduling.events.v1", scheduling_events())

        async def meetings_in() -> bool:
            return (await report())["meetings"] == truth["meetings"]

        await eventually(meetings_in, within_s=60, what="meetings counted")
        meeting = (await client.get(f"/internal/roundtables/{rt_id}/meetings/m05")).json()
        assert meeting["status"] == "held"
        assert meeting["accepted_currencies"] == ["CLP", "COP", "GBP", "MXN", "PEN", "USD"]
        await send("deals.commands.v1", [c for c, _ in PHASE_1])
        await eventually(lambda: commands_done(len(PHASE_1)), within_s=60, what="phase 1")
        await send("deals.commands.v1", [c for c, _ in PHASE_2])
        await eventually(lambda: commands_done(len(PHASE_1) + len(PHASE_2)), within_s=60,
                         what="phase 2")  # fmt: skip

        # every command has its status: accepted, or rejected with the expected code
        for command_id, env in sent.items():
            r = await client.get(f"/internal/commands/{command_id}")
            assert r.status_code == 200
            status = r.json()
            assert status["resource"]["outcome_id"] == env.payload_as(RecordOutcome).outcome_id
            cmd = env.payload_as(RecordOutcome)
            expected = next(code for c, code in PHASE_1 + PHASE_2 if c == cmd)
            if expected is None:
                assert status["status"] == "accepted", status
            else:
                assert (status["status"], status["code"]) == ("rejected", expected), status

        # the report: exact against the ground truth, whole and as Chile's agency sees it
        whole = await report()
        assert {k: v for k, v in whole.items() if k not in ("roundtable_id", "country")} == truth
        chile = await report(country="CL")
        assert {k: v for k, v in chile.items() if k not in ("roundtable_id", "country")} == (
            ground_truth("CL")
        )
        assert whole["deals"]["count"] == 8
        assert whole["deals"]["disputed"] == 1
        assert whole["deals"]["one_sided"] == 3
        # ... and equal to the recomputation from stored outcomes
        assert await report("report/recomputed") == whole
        assert await report("report/recomputed", country="CL") == chile
        for country in ("CO", "MX", "PE", "GB"):
            assert await report("report", country=country) == await report(
                "report/recomputed", country=country
            )
        r = await client.get(f"/internal/roundtables/{rt_id}/report",
                             headers={"Accept": "text/csv"})  # fmt: skip
        assert r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert rows[0]["scope"] == "total"
        assert rows[0]["deals_immediate_usd"] == truth["deals"]["immediate_usd"]
        assert {row["key"] for row in rows if row["scope"] == "agency"} == set(AGENCIES)

        # deals.closed.v1: one DealClosed per deal that ever closed, then its DealUpdated ones,
        # keyed and headed by the exporter's agency
        closed_records = await read_all(boot, s.topic(topic("deals.closed.v1")),
                                        at_least=len(CLOSED) + len(UPDATES))  # fmt: skip
        assert len(closed_records) == len(CLOSED) + len(UPDATES)
        closed, public_updates = {}, {}
        for record in closed_records:
            env = Envelope.from_bytes(record.value)
            model = DealClosed if env.event_type == "DealClosed" else DealUpdated
            deal = env.payload_as(model)
            headers = {k: v.decode() for k, v in record.headers}
            exporter = BY_ID[deal.exporter_id]
            assert record.key.decode() == headers["agency"] == deal.agency_code
            assert deal.agency_code == AGENCY_OF[exporter.country]
            assert "@" not in record.value.decode()  # no contact data
            assert "Company" not in record.value.decode()
            if isinstance(deal, DealUpdated):
                public_updates[deal.meeting_id] = deal
            else:
                closed[deal.meeting_id] = deal
        assert set(closed) == CLOSED
        assert {m: (u.status, u.version) for m, u in public_updates.items()} == UPDATES
        # each deal closed with its first `deal` report: one-sided until the other side reports
        assert {m: d.status for m, d in closed.items()} == dict.fromkeys(CLOSED, "one_sided")
        m06 = public_updates["m06"]
        assert m06.status == "disputed"
        assert m06.exporter_report is not None
        assert m06.exporter_report.immediate_usd == D("100000")
        assert m06.importer_report is not None
        assert m06.importer_report.immediate_usd == D("60000")
        assert m06.immediate_usd == D("60000")
        deals_api = await report("deals")
        assert {d["meeting_id"]: d["status"] for d in deals_api} == {
            **{m: v[0] for m, v in EXPECTED_DEALS.items()}, "m12": "withdrawn"}  # fmt: skip

        # deals.events.v1: outcomes, follow-up updates and rejections
        n_events = len(PHASE_1) + len(PHASE_2) + len(UPDATES)
        events = envelopes(
            await read_all(boot, s.topic(topic("deals.events.v1")), at_least=n_events)
        )
        updates = {e.payload_as(DealUpdated).meeting_id: e.payload_as(DealUpdated)
                   for e in events if e.event_type == "DealUpdated"}  # fmt: skip
        assert {m: (u.status, u.version) for m, u in updates.items()} == UPDATES
        assert updates["m16"].projected_12m_usd == D("10000")
        rejected = [e.payload_as(CommandRejected) for e in events
                    if e.event_type == "CommandRejected"]  # fmt: skip
        assert sorted(r.code for r in rejected) == sorted(
            code for _, code in PHASE_1 + PHASE_2 if code)  # fmt: skip
        assert all(str(r.command_id) in sent for r in rejected)
        recorded = [e for e in events if e.event_type == "OutcomeRecorded"]
        assert len(recorded) == sum(1 for _, code in PHASE_1 + PHASE_2 if code is None)
        assert all(e.causation_id is not None and str(e.causation_id) in sent for e in recorded)
        assert recorded[0].payload_as(OutcomeRecorded).immediate_usd == D("50000")

        # the agency consumer, in its own group, got exactly the deals of Chile's exporters,
        # each at its latest version
        chile_deals = {m for m in CLOSED if BY_ID[MEETINGS[m][0]].country == "CL"}
        chile_messages = sum(1 for r in closed_records if dict(r.headers)["agency"] == b"PROCHILE")

        async def agency_got_all() -> bool:
            return len(received) >= chile_messages

        await eventually(agency_got_all, within_s=30, what="agency deals")
        assert len(received) == chile_messages
        latest: dict[str, dict[str, Any]] = {}
        for e in received:
            data = e["data"]
            if (
                data["deal_id"] not in latest
                or data["version"] > latest[data["deal_id"]]["version"]
            ):
                latest[data["deal_id"]] = data
        assert {d["meeting_id"] for d in latest.values()} == chile_deals
        assert {d["meeting_id"]: d["status"] for d in latest.values()} == {
            m: EXPECTED_DEALS[m][0] for m in chile_deals}  # fmt: skip
        # the gateway in front of this deals API: the SSE stream of an agency, and an outcome
        gw, bus, _ = gateway()
        gw.state.services["deals"] = ServiceClient(
            "deals", "http://deals", transport=httpx.ASGITransport(app=app)
        )
        feed = await report("deals")
        assert [d["seq"] for d in feed] == sorted(d["seq"] for d in feed)
        chile_feed = [d for d in feed if "CL" in (d["exporter_country"], d["importer_country"])]
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=gw),
                                     base_url="http://gw") as gw_client:  # fmt: skip
            agency_token = token("agency", roundtable=rt_id, country="CL")
            r = await gw_client.get(
                f"/v1/roundtables/{rt_id}/deals/stream?limit={len(chile_feed)}",
                headers={"Authorization": f"Bearer {agency_token}"},
            )
            assert r.status_code == 200
            streamed = [json.loads(line[6:]) for line in r.text.splitlines()
                        if line.startswith("data: {")]  # fmt: skip
            assert {d["meeting_id"] for d in streamed} == {"m05", "m06", "m07"}
            assert {d["meeting_id"]: d["status"] for d in streamed} == {
                m: EXPECTED_DEALS[m][0] for m in ("m05", "m06", "m07")}  # fmt: skip
            r = await gw_client.get(
                f"/v1/roundtables/{rt_id}/report",
                headers={"Authorization": f"Bearer {agency_token}", "Accept": "text/csv"},
            )
            assert r.status_code == 200
            assert r.text.splitlines()[1].startswith("total,CL,")
            organizer = token("organizer", roundtable=rt_id)
            r = await gw_client.post(
                f"/v1/roundtables/{rt_id}/meetings/m01/outcome",
                json={"participant_id": "e-cl-1", "result": "no_interest"},
                headers={"Authorization": f"Bearer {organizer}"},
            )
            assert (r.status_code, r.json()["error"]["code"]) == (409, "meeting_not_held")
            r = await gw_client.post(
                f"/v1/roundtables/{rt_id}/meetings/m09/outcome",
                json={"participant_id": "e-co-2", "result": "deal",
                      "immediate_amount": {"value": "10", "currency": "COP"}},
                headers={"Authorization": f"Bearer {organizer}"},
            )  # fmt: skip
            assert r.status_code == 202
            assert len(bus.sent) == 1
    finally:
        stop.set()
        await asyncio.wait_for(agency_task, timeout=30)
        await producer.stop()
        await client.aclose()


async def test_meetings_that_overtake_their_exporters_are_counted_by_sector_and_agency(
    deals_runtime: ServiceRuntime,
) -> None:
    """Topics have no order between them: after a restart the deals service can read a
    meeting before its exporter's registration. The meeting waits (redelivered, never
    dead-lettered) instead of being counted without sector and agency for good."""
    rt = deals_runtime
    s = rt.settings
    rt_id = f"rt-{uuid.uuid4().hex[:8]}"
    app = FastAPI()
    app.include_router(build_router(lambda: DealsRepository(rt.db), Tolerance()))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://deals")
    producer = AIOKafkaProducer(bootstrap_servers=s.kafka_bootstrap, acks="all")
    await producer.start()

    async def send(spec_name: str, payloads: list[Contract]) -> list[Envelope]:
        sent = []
        for payload in payloads:
            env = Envelope.wrap(payload, producer="test", roundtable_id=rt_id,
                                correlation_id="overtaken")  # fmt: skip
            await producer.send(s.topic(topic(spec_name)), env.to_bytes(), key=rt_id.encode())
            sent.append(env)
        await producer.flush()
        return sent

    def meetings_by(report: dict[str, Any], scope: str) -> dict[str, Any]:
        return {k: v["meetings"] for k, v in report[f"by_{scope}"].items()}

    truth = ground_truth()
    try:
        meetings = await send("scheduling.events.v1", scheduling_events())  # before registration
        await send("registration.events.v1", registration_events())

        async def attributed() -> bool:
            r = await client.get(f"/internal/roundtables/{rt_id}/report")
            if r.status_code != 200:
                return False
            got = r.json()
            return got["meetings"] == truth["meetings"] and all(
                meetings_by(got, scope) == meetings_by(truth, scope)
                for scope in ("sector", "agency", "country")
            )

        await eventually(attributed, within_s=90, what="meetings counted by sector and agency")
        dead = await read_all(s.kafka_bootstrap, s.topic(topic("scheduling.events.v1")) + ".dlq")
        assert [d for d in dead if d.key == rt_id.encode()] == []
        # the waiting meetings went in batches: one transaction (one inbox time) per message
        # would give each its own
        group = s.group("deals")
        handled = (
            await rt.db["inbox"]
            .find({"_id": {"$in": [f"{group}:{e.event_id}" for e in meetings]}})
            .to_list()
        )
        assert len(handled) == len(meetings)
        assert len({doc["at"] for doc in handled}) < len(meetings)
    finally:
        await producer.stop()
        await client.aclose()
