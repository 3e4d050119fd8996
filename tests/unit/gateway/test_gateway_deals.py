"""Gateway routes of the deals service: who may report outcomes and read reports and the deal
stream, the 422/409 answers before anything is published, CSV and server-sent events."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from tests.support.gateway import OTHER_RT, RT, FakeBus, gateway, token

from rueda.gateway.proxy import ServiceClient
from rueda.gateway.routes import deals as deals_routes
from rueda.shared.contracts.deals import RecordOutcome

pytestmark = pytest.mark.unit

ROLES: dict[str, str | None] = {
    "anonymous": None,
    "organizer": token("organizer"),
    "organizer_other_rt": token("organizer", roundtable=OTHER_RT),
    "agency_cl": token("agency", country="CL"),
    "agency_co": token("agency", country="CO"),
    "participant_cl": token("participant", participant="p-cl"),
    "participant_co": token("participant", participant="p-co"),
    "admin": token("admin", roundtable=None),
}
A, D, U = 202, 403, 401

DEALS = [
    {"seq": 1, "deal_id": "deal-m1", "meeting_id": "m1", "exporter_country": "CL",
     "importer_country": "GB", "status": "one_sided", "roundtable_id": RT},
    {"seq": 2, "deal_id": "deal-m2", "meeting_id": "m2", "exporter_country": "CO",
     "importer_country": "GB", "status": "agreed", "roundtable_id": RT},
    {"seq": 4, "deal_id": "deal-m1", "meeting_id": "m1", "exporter_country": "CL",
     "importer_country": "GB", "status": "agreed", "roundtable_id": RT},
]  # fmt: skip


class FakeDeals:
    """The deals read API, in memory; records the query parameters it was asked for."""

    def __init__(self) -> None:
        self.queries: list[dict[str, str]] = []
        self.meetings = {
            "m-held": {"exporter_id": "p-cl", "importer_id": "p-gb", "status": "held"},
            "m-sched": {"exporter_id": "p-cl", "importer_id": "p-gb", "status": "scheduled"},
        }

    def handler(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.strip("/").split("/")
        params = dict(request.url.params)
        self.queries.append(params)
        if parts[:2] != ["internal", "roundtables"] or parts[2] != RT:
            return httpx.Response(404, json={"detail": "no route"})
        if parts[3] == "meetings":
            m = self.meetings.get(parts[4])
            if m is None:
                return httpx.Response(404, json={"detail": "unknown meeting"})
            rates = {"USD": "1", "CLP": "0.00125"}
            return httpx.Response(200, json={"meeting_id": parts[4], **m, "usd_rates": rates,
                                              "accepted_currencies": sorted(rates)})  # fmt: skip
        if parts[3] == "report":
            if params.get("format") == "csv":
                return httpx.Response(200, text="scope,key\ntotal,\n",
                                      headers={"content-type": "text/csv"})  # fmt: skip
            return httpx.Response(200, json={"roundtable_id": RT, "country": params.get("country")})
        if parts[3] == "deals":
            after, country = int(params.get("after", 0)), params.get("country")
            found = [d for d in DEALS if d["seq"] > after and (country is None or country in (
                d["exporter_country"], d["importer_country"]))]  # fmt: skip
            return httpx.Response(200, json=[dict(d) for d in found])
        return httpx.Response(404, json={"detail": "no route"})


def app_with_fakes() -> tuple[FastAPI, FakeBus, FakeDeals]:
    app, bus, _ = gateway()
    fake = FakeDeals()
    app.state.services["deals"] = ServiceClient(
        "deals", "http://deals", transport=httpx.MockTransport(fake.handler)
    )
    return app, bus, fake


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")


def auth(role: str) -> dict[str, str]:
    t = ROLES[role]
    return {"Authorization": f"Bearer {t}"} if t else {}


DEAL = {
    "participant_id": "p-cl",
    "result": "deal",
    "immediate_amount": {"value": "40000000", "currency": "CLP"},
    "projected_12m_amount": {"value": "250000", "currency": "USD"},
    "products": ["080810"],
}
MATRIX: list[tuple[str, str, Any, dict[str, int]]] = [
    ("POST", f"/v1/roundtables/{RT}/meetings/m-held/outcome", DEAL, {
        "anonymous": U, "organizer": A, "organizer_other_rt": D, "agency_cl": D,
        "agency_co": D, "participant_cl": A, "participant_co": D, "admin": A}),
    ("GET", f"/v1/roundtables/{RT}/report", None, {
        "anonymous": U, "organizer": 200, "organizer_other_rt": D, "agency_cl": 200,
        "agency_co": 200, "participant_cl": D, "participant_co": D, "admin": 200}),
    ("GET", f"/v1/roundtables/{RT}/report?country=CO", None, {
        "anonymous": U, "organizer": 200, "organizer_other_rt": D, "agency_cl": D,
        "agency_co": 200, "participant_cl": D, "participant_co": D, "admin": 200}),
    ("GET", f"/v1/roundtables/{RT}/deals/stream?limit=1", None, {
        "anonymous": U, "organizer": 200, "organizer_other_rt": D, "agency_cl": 200,
        "agency_co": 200, "participant_cl": D, "participant_co": D, "admin": 200}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX]
)
async def test_authorization_matrix(
    method: str, path: str, body: Any, expected: dict[str, int]
) -> None:
    assert set(expected) == set(ROLES)
    app, bus, _ = app_with_fakes()
    async with client(app) as c:
        for role in ROLES:
            before = len(bus.sent)
            r = await c.request(method, path, json=body, headers=auth(role))
            assert r.status_code == expected[role], (role, r.text)
            if r.status_code >= 400:
                assert set(r.json()["error"]) == {"code", "message", "details"}
                assert len(bus.sent) == before


async def test_an_accepted_outcome_publishes_record_outcome_with_who_reported() -> None:
    app, bus, _ = app_with_fakes()
    async with client(app) as c:
        r = await c.post(f"/v1/roundtables/{RT}/meetings/m-held/outcome", json=DEAL,
                         headers=auth("participant_cl"))  # fmt: skip
        assert r.status_code == 202
        assert r.json()["status_url"].startswith("/v1/commands/deals/")
        outcome_id = r.json()["outcome_id"]
        on_behalf = {**DEAL, "participant_id": "p-gb"}
        r = await c.post(f"/v1/roundtables/{RT}/meetings/m-held/outcome", json=on_behalf,
                         headers=auth("organizer"))  # fmt: skip
        assert r.status_code == 202
    (topic1, first, rt1), (_, second, _) = bus.sent
    assert (topic1, rt1) == ("deals.commands.v1", RT)
    assert isinstance(first, RecordOutcome)
    assert isinstance(second, RecordOutcome)
    assert (first.outcome_id, first.meeting_id, first.reported_by) == (outcome_id, "m-held", "p-cl")
    assert str(first.immediate_amount.value) == "40000000"  # type: ignore[union-attr]
    assert first.products == ["080810"]
    assert (second.participant_id, second.reported_by) == ("p-gb", "organizer")


@pytest.mark.parametrize(
    ("meeting", "change", "status", "code"),
    [
        ("m-sched", {}, 409, "meeting_not_held"),
        ("m-nope", {}, 404, "not_found"),
        ("m-held", {"participant_id": "p-xx"}, 422, "not_a_party"),
        ("m-held", {"immediate_amount": {"value": "5", "currency": "EUR"}}, 422,
         "unknown_currency"),
        ("m-held", {"immediate_amount": {"value": "-5", "currency": "USD"}}, 422,
         "negative_amount"),
        ("m-held", {"immediate_amount": {"value": "2000000000", "currency": "USD"}}, 422,
         "absurd_amount"),
        ("m-held", {"immediate_amount": {"value": "1e400", "currency": "CLP"}}, 422,
         "absurd_amount"),
        ("m-held", {"immediate_amount": None, "projected_12m_amount": None}, 422,
         "amount_required"),
        ("m-held", {"result": "no_interest"}, 422, "amount_without_deal"),
        ("m-held", {"result": "negotiating"}, 422, "amount_without_deal"),
        ("m-held", {"products": ["12345"]}, 422, "validation_error"),
        ("m-held", {"immediate_amount": {"value": "5", "currency": "usd"}}, 422,
         "validation_error"),
    ],
)  # fmt: skip
async def test_bad_outcomes_are_answered_before_anything_is_published(
    meeting: str, change: dict[str, Any], status: int, code: str
) -> None:
    app, bus, _ = app_with_fakes()
    async with client(app) as c:
        r = await c.post(f"/v1/roundtables/{RT}/meetings/{meeting}/outcome",
                         json={**DEAL, **change}, headers=auth("organizer"))  # fmt: skip
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code
    assert bus.sent == []


async def test_a_participant_reporting_on_anothers_meeting_is_forbidden() -> None:
    app, bus, _ = app_with_fakes()
    async with client(app) as c:
        r = await c.post(f"/v1/roundtables/{RT}/meetings/m-held/outcome",
                         json={**DEAL, "participant_id": "p-co"},
                         headers=auth("participant_co"))  # fmt: skip
    assert r.status_code == 403
    assert bus.sent == []


async def test_the_report_is_scoped_to_the_agencys_country_and_served_as_csv() -> None:
    app, _, fake = app_with_fakes()
    async with client(app) as c:
        r = await c.get(f"/v1/roundtables/{RT}/report", headers=auth("agency_cl"))
        assert r.json() == {"roundtable_id": RT, "country": "CL"}
        r = await c.get(f"/v1/roundtables/{RT}/report", headers=auth("organizer"))
        assert r.json()["country"] is None
        r = await c.get(f"/v1/roundtables/{RT}/report",
                        headers={**auth("agency_co"), "Accept": "text/csv"})  # fmt: skip
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/csv")
        assert r.text.startswith("scope,key")
    assert fake.queries[-1] == {"country": "CO", "format": "csv"}


def sse(text: str) -> list[dict[str, str]]:
    events = []
    for block in text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line
                      and not line.startswith(":"))  # fmt: skip
        if fields.get("event") == "deal":
            events.append(fields)
    return events


async def test_the_stream_sends_deals_as_server_sent_events_scoped_and_resumable() -> None:
    app, _, _ = app_with_fakes()
    async with client(app) as c:
        r = await c.get(f"/v1/roundtables/{RT}/deals/stream?limit=3", headers=auth("organizer"))
        assert r.headers["content-type"].startswith("text/event-stream")
        events = sse(r.text)
        assert [e["id"] for e in events] == ["1", "2", "4"]
        assert json.loads(events[1]["data"])["meeting_id"] == "m2"
        assert "seq" not in json.loads(events[0]["data"])
        r = await c.get(f"/v1/roundtables/{RT}/deals/stream?limit=2", headers=auth("agency_cl"))
        chile = sse(r.text)
        assert [(e["id"], json.loads(e["data"])["status"]) for e in chile] == [
            ("1", "one_sided"), ("4", "agreed")]  # fmt: skip
        r = await c.get(f"/v1/roundtables/{RT}/deals/stream?limit=1",
                        headers={**auth("organizer"), "Last-Event-ID": "2"})  # fmt: skip
        assert [e["id"] for e in sse(r.text)] == ["4"]
        r = await c.get(f"/v1/roundtables/{RT}/deals/stream?limit=1",
                        headers={**auth("organizer"), "Last-Event-ID": "x"})  # fmt: skip
        assert r.status_code == 400


def test_the_stream_polls_at_a_modest_rate() -> None:
    assert 0.1 <= deals_routes.SSE_POLL_S <= 5


async def test_the_stream_ends_with_an_error_event_when_the_service_refuses() -> None:
    app, _, _ = app_with_fakes()
    async with client(app) as c:
        r = await c.get(f"/v1/roundtables/{OTHER_RT}/deals/stream", headers=auth("admin"))
    assert r.status_code == 200
    assert "event: error" in r.text
    assert '"not_found"' in r.text
