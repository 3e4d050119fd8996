"""Issue 18, "Input": what a caller sends is checked before it reaches a header, a file, a
query or another route. The gateway runs in-process with the fakes beside its ports."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import ValidationError
from tests.support.gateway import RT, gateway, token
from tests.support.notify import profile

from rueda.deals.domain import render_csv
from rueda.gateway.app import SERVICES, GatewaySettings
from rueda.gateway.proxy import ServiceClient
from rueda.gateway.routes import deals as deals_routes
from rueda.notifications.compose import EmailComposer, HeaderInjectionError
from rueda.notifications.handlers import email_delivery
from rueda.registration.domain import validate_participant
from rueda.shared.contracts import Company, Contact, Envelope, Product
from rueda.shared.contracts.registration import CreateRoundtable, ReviewParticipant
from rueda.shared.contracts.scheduling import CancelMeeting
from rueda.shared.http import PathIdMiddleware

pytestmark = [pytest.mark.security, pytest.mark.timeout(60)]

BAD_TEXT = ["ACME\r\nBcc: victim@example.org", "a\nb", "tab\there", "nul\x00", "c1\x85", "a\u2028b"]


def auth(role: str, **claims: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, **claims)}"}  # type: ignore[arg-type]


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw")


PARTICIPANT: dict[str, Any] = {
    "role": "exporter",
    "company": {"name": "Frutas SpA", "tax_id": "76.123.456-7"},
    "country": "CL",
    "timezone": "America/Santiago",
    "languages": ["es"],
    "sectors": ["fresh fruit"],
    "contact": {"name": "Ana", "email": "ana@frutas.example"},
}


@pytest.mark.parametrize("text", BAD_TEXT)
def test_free_text_fields_of_the_contracts_refuse_control_characters(text: str) -> None:
    builders = [
        lambda: Company(name=text, tax_id="1"),
        lambda: Company(name="ok", tax_id=text),
        lambda: Contact(name=text, email="a@b.example"),
        lambda: Product(hs_code="0806", description=text),
        lambda: ReviewParticipant(
            participant_id="p-1", decision="reject", reason=text, reviewer_role="organizer"
        ),
        lambda: CancelMeeting(meeting_id="m-1", reason=text, requested_by="organizer"),
        lambda: CreateRoundtable.model_validate(
            {
                "name": text,
                "calendar": {"days": ["2030-06-23"]},
                "agencies": [{"code": "PROCHILE", "name": "ProChile", "country": "CL"}],
                "exporter_countries": ["CL"],
                "importer_countries": ["GB"],
                "sectors": ["fruit"],
            }
        ),
    ]
    for build in builders:
        with pytest.raises(ValidationError, match=r"string_pattern_mismatch|should match"):
            build()
    assert Company(name="Café Ñandú 日本 S.A.", tax_id="1").name == "Café Ñandú 日本 S.A."


def test_a_command_with_a_control_character_on_kafka_fails_to_parse_for_the_dlq() -> None:
    good = ReviewParticipant(
        participant_id="p-1", decision="reject", reason="late", reviewer_role="organizer"
    )
    envelope = Envelope.wrap(good, producer="x", roundtable_id=RT, correlation_id="c-123456789")
    raw = json.loads(envelope.to_bytes())
    raw["data"]["reason"] = "late\r\nX-Injected: 1"
    forged = Envelope.model_validate(raw)
    # the consumers' parse step raises, and the DLQ middleware dead-letters the record
    with pytest.raises(ValidationError):
        forged.payload()


async def test_the_gateway_answers_422_never_500_for_control_characters() -> None:
    app, bus, _ = gateway()
    async with client(app) as c:
        for text in BAD_TEXT:
            body = {**PARTICIPANT, "company": {"name": text, "tax_id": "1"}}
            r = await c.post(f"/v1/roundtables/{RT}/participants", json=body)
            assert r.status_code == 422, r.text
            r = await c.post(
                f"/v1/roundtables/{RT}/participants/p-cl/review",
                json={"decision": "reject", "reason": text},
                headers=auth("organizer"),
            )
            assert r.status_code == 422, r.text
            r = await c.post(
                "/v1/subscriptions",
                json={"url": "https://a.example/h", "secret": "s" * 20, "event_types": [text]},
                headers=auth("organizer"),
            )
            assert r.status_code == 422, r.text
    assert bus.sent == []


def test_the_email_pattern_refuses_a_trailing_newline() -> None:
    person = profile("p-1", languages=["es"])
    rules: dict[str, Any] = {
        "days": [],
        "sectors": person.sectors,
        "exporter_countries": ["CL"],
        "importer_countries": ["GB"],
    }
    # the contract refuses the newline already; the domain's pattern is the second fence
    bad = person.model_copy(
        update={"contact": Contact.model_construct(name="Ana", email="ana@frutas.example\n")}
    )
    assert "bad_email" in {p.code for p in validate_participant(bad, **rules)}
    assert "bad_email" not in {p.code for p in validate_participant(person, **rules)}


def test_email_headers_refuse_line_breaks_in_any_value() -> None:
    from datetime import UTC, datetime

    composer = EmailComposer("Rueda <rueda@agencies.example>")
    at = datetime(2030, 6, 23, 14, tzinfo=UTC)
    doc = email_delivery(
        kind="participant_approved",
        participant_id="p-1",
        source_id="ev-1",  # type: ignore[arg-type]
        event_type="ParticipantApproved",
        roundtable_id="rt-1",
        data={"participant_id": "p-1"},
        occurred_at=at,
        now=at,
    )
    people = {
        "p-1": {
            "participant_id": "p-1",
            "company": "Frutas SpA",
            "country": "CL",
            "timezone": "America/Santiago",
            "languages": ["en"],
            "contact_name": "Ana\r\nBcc: victim@example.org",
            "email": "ana@frutas.example",
        }
    }
    with pytest.raises(HeaderInjectionError):
        composer.compose(doc, people=people, roundtable="Rueda")
    people["p-1"]["contact_name"] = "Ana"
    assert composer.compose(doc, people=people, roundtable="Rueda")["To"].startswith("Ana")


def _block() -> dict[str, Any]:
    return {
        "exporters": {"registered": 1, "approved": 1},
        "importers": {"registered": 1, "approved": 1},
        "meetings": {"scheduled": 1, "held": 1, "no_show": 0, "cancelled": 0},
        "deals": {
            "count": 1,
            "immediate_usd": "10",
            "projected_12m_usd": "20",
            "agreed": 1,
            "disputed": 0,
            "one_sided": 0,
        },
    }


def test_report_csv_cells_that_a_spreadsheet_would_run_are_neutralised() -> None:
    evil = ['=HYPERLINK("http://x.example","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx"]
    report = {
        **_block(),
        "country": None,
        "by_country": {},
        "by_sector": {name: _block() for name in evil},
        "by_agency": {"PROCHILE": _block()},
    }
    import csv
    import io

    rows = list(csv.reader(io.StringIO(render_csv(report), newline="")))
    sectors = [row[1] for row in rows if row[0] == "sector"]
    assert sorted(sectors) == sorted(f"'{name}" for name in evil)
    assert next(r for r in rows if r[0] == "agency")[:2] == ["agency", "PROCHILE"]


async def test_a_request_body_over_the_limit_is_413_declared_or_streamed() -> None:
    app, bus, _ = gateway()
    big = b'{"x": "' + b"a" * (2 * 1024 * 1024) + b'"}'
    async with client(app) as c:
        r = await c.post(
            f"/v1/roundtables/{RT}/participants",
            content=big,
            headers={"content-type": "application/json"},
        )
        assert r.status_code == 413
        assert r.json()["error"]["code"] == "payload_too_large"

        async def chunks() -> Any:
            for _ in range(40):
                yield b"a" * 65536

        r = await c.post(
            f"/v1/roundtables/{RT}/participants",
            content=chunks(),
            headers={"content-type": "application/json"},
        )
        assert r.status_code == 413
    assert bus.sent == []


async def test_path_ids_are_validated_in_the_gateway() -> None:
    app, _, _ = gateway()
    async with client(app) as c:
        for path in (
            f"/v1/roundtables/{RT}/participants/%2e%2e/matches",
            f"/v1/roundtables/{RT}/participants/..%2Finternal/matches",
            "/v1/roundtables/%2e%2e/meeting-requests",
        ):
            r = await c.get(path, headers=auth("organizer"))
            assert r.status_code in (404, 422), (path, r.status_code)
            assert r.status_code != 500
    # every path parameter of every gateway route declares its pattern
    for route in app.routes:
        dependant = getattr(route, "dependant", None)
        for param in dependant.path_params if dependant else ():
            patterns = [getattr(m, "pattern", None) for m in param.field_info.metadata]
            assert any(patterns), f"{route.path}: {param.name} has no pattern"  # type: ignore[attr-defined]


async def test_path_ids_are_validated_before_the_services_read_apis() -> None:
    from rueda.registration.app import RegistrationSettings, create_app

    app = create_app(RegistrationSettings(env="test"))  # not started: a route would fail
    async with client(app) as c:
        r = await c.get("/internal/roundtables/rt-1/participants/%2e%2e")
        assert r.status_code == 422
        assert r.json()["error"]["code"] == "invalid_path"
    plain = FastAPI()

    @plain.get("/items/{item_id}")
    async def item(item_id: str) -> dict[str, str]:
        return {"id": item_id}

    plain.add_middleware(PathIdMiddleware)
    async with client(plain) as c:
        assert (await c.get("/items/p-1.a_b")).json() == {"id": "p-1.a_b"}
        assert (await c.get("/items/%2e%2e")).status_code == 422
        assert (await c.get("/items/a%0Ab")).status_code == 422


async def test_an_anonymous_caller_reads_a_generic_reason_in_a_command_status() -> None:
    app, _, _ = gateway()
    status = {
        "command_id": "0" * 32,
        "status": "rejected",
        "code": "duplicate_participant",
        "reason": "this company is already registered as p-secret",
        "details": {"existing_id": "p-secret"},
    }
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=status))
    app.state.services = {
        name: ServiceClient(name, f"http://{name}", transport=transport) for name in SERVICES
    }
    async with client(app) as c:
        anonymous = await c.get(f"/v1/commands/registration/{'0' * 32}")
        organizer = await c.get(f"/v1/commands/registration/{'0' * 32}", headers=auth("organizer"))
    assert anonymous.status_code == 200
    assert "p-secret" not in anonymous.text
    assert anonymous.json()["code"] == "duplicate_participant"
    assert "p-secret" in organizer.text


async def test_rate_limits_per_principal_answer_429_with_retry_after() -> None:
    app, _, _ = gateway()
    from rueda.gateway.ratelimit import RateLimiter

    app.state.rate_limiter = RateLimiter("3/minute")
    async with client(app) as c:
        path = f"/v1/roundtables/{RT}/meetings"
        answers = [(await c.get(path, headers=auth("organizer"))).status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        refused = await c.get(path, headers=auth("organizer"))
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert refused.json()["error"]["code"] == "rate_limited"
        # another principal has its own budget
        other = await c.get(path, headers=auth("agency", country="CL"))
        assert other.status_code == 200


async def test_the_deals_stream_ends_when_its_token_expires(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, _, _ = gateway()
    deals = httpx.MockTransport(lambda request: httpx.Response(200, json=[]))
    app.state.services = {
        **app.state.services,
        "deals": ServiceClient("deals", "http://deals", transport=deals),
    }
    monkeypatch.setattr(deals_routes, "SSE_POLL_S", 0.2)
    # expired but inside the verifier's leeway: valid for about 2 s more
    settings = GatewaySettings(env="development")
    now = int(time.time())
    exp = now - settings.jwt_leeway_s + 2
    claims = {
        "sub": "o",
        "role": "organizer",
        "roundtable_id": RT,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": exp - 60,
        "exp": exp,
    }
    short = settings.signing_keys().sign(claims)
    async with client(app) as c:
        r = await asyncio.wait_for(
            c.get(
                f"/v1/roundtables/{RT}/deals/stream",
                headers={"Authorization": f"Bearer {short}"},
            ),
            timeout=20,
        )
    assert r.status_code == 200
    assert r.text.rstrip().endswith('event: error\ndata: {"code": "token_expired"}')
    assert GatewaySettings(env="development").rate_limit is None


async def test_every_list_is_cursor_paged_with_a_maximum_page_size() -> None:
    from tests.support.gateway import FakeScheduling

    from rueda.shared.http import PAGE_MAX, Page

    fake = FakeScheduling()
    for n in range(5):
        fake.add(f"m-{n}", ("p-cl", "CL"), ("p-gb", "GB"))
    meetings = list(fake.meetings.values())

    def scheduling(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        page = Page(limit=int(params["limit"]), after=params.get("after"))
        return httpx.Response(200, json=page.cut(meetings, lambda m: m["meeting_id"]))

    app, _, _ = gateway()
    app.state.services["scheduling"] = ServiceClient(
        "scheduling", "http://scheduling", transport=httpx.MockTransport(scheduling)
    )
    seen: list[str] = []
    async with client(app) as c:
        path = f"/v1/roundtables/{RT}/meetings?limit=2"
        while path:
            r = await c.get(path, headers=auth("organizer"))
            assert r.status_code == 200
            assert len(r.json()) <= 2
            seen += [m["meeting_id"] for m in r.json()]
            cursor = r.headers.get("x-next-cursor")
            assert (cursor is not None) == (len(r.json()) == 2)
            path = f"/v1/roundtables/{RT}/meetings?limit=2&after={cursor}" if cursor else ""
        assert seen == [m["meeting_id"] for m in meetings]
        for listing in (
            f"/v1/roundtables/{RT}/meetings",
            f"/v1/roundtables/{RT}/meeting-requests",
            f"/v1/roundtables/{RT}/participants/p-cl/notifications",
            "/v1/subscriptions",
        ):
            r = await c.get(f"{listing}?limit={PAGE_MAX + 1}", headers=auth("organizer"))
            assert r.status_code == 422, listing
        r = await c.get(f"/v1/roundtables/{RT}/participants?limit=5001", headers=auth("organizer"))
        assert r.status_code == 422
    with pytest.raises(Exception, match="unknown cursor"):
        Page(limit=2, after="m-404").cut(meetings, lambda m: m["meeting_id"])
