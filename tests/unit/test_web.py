"""The web app against a fake of the gateway's API: security headers, the session cookie,
CSRF, languages, the registration form's errors, and the signed-in pages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.support.production import PRODUCTION
from tests.support.web import ME, RT, FakeGatewayApi

from rueda.web import assets
from rueda.web.app import CSP, WebSettings, create_app
from rueda.web.i18n import CATALOGUES, negotiate, zones_of_country
from rueda.web.session import COOKIE, SessionCodec

pytestmark = pytest.mark.unit

SECRET = "Jr1u0n9d3mXk2sV8qZ4wLx7bT5yHc6pAe0fGiNo_QhM"


@pytest.fixture
def api() -> FakeGatewayApi:
    return FakeGatewayApi()


@pytest.fixture
def web(api: FakeGatewayApi) -> Iterator[TestClient]:
    settings = WebSettings(env="test", session_secret=SECRET, gateway_url="http://gw")
    app = create_app(settings, transport=api.transport())
    with TestClient(app, base_url="https://testserver") as client:
        yield client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def sign_in(web: TestClient) -> None:
    page = web.get("/sign-in")
    session = SessionCodec(SECRET).load(web.cookies.get(COOKIE))
    assert csrf_of(page.text) == session["csrf"]
    session.update(access="token-a", refresh="refresh-a", role="participant", rt=RT, pid=ME)
    web.cookies.set(COOKIE, SessionCodec(SECRET).dump(session))


def one_h1(html: str) -> str:
    found = re.findall(r"<h1>(.*?)</h1>", html, re.S)
    assert len(found) == 1, found
    return found[0]


def test_every_page_sends_a_strict_csp_and_a_hardened_session_cookie(web: TestClient) -> None:
    page = web.get("/sign-in")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP
    assert "default-src 'none'" in CSP
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "secure" in cookie
    assert "samesite=lax" in cookie
    assert "<script" not in page.text.replace(f'<script src="{assets.htmx_path()}"', "")


def test_a_post_without_this_sessions_csrf_token_is_refused(
    web: TestClient, api: FakeGatewayApi
) -> None:
    web.get("/sign-in")
    refused = web.post("/sign-in", data={"email": "ana@example.pe", "csrf_token": "forged"})
    assert refused.status_code == 403
    assert not [p for p, _ in api.posted if p == "/v1/sign-in"]


def test_a_tampered_session_cookie_is_a_new_anonymous_session(web: TestClient) -> None:
    web.cookies.set(COOKIE, SessionCodec("another-secret").dump({"access": "x"}))
    assert web.get("/portal", follow_redirects=False).headers["location"] == "/sign-in"


def test_the_browser_language_is_the_default_and_can_be_switched(web: TestClient) -> None:
    spanish = web.get("/sign-in", headers={"Accept-Language": "es-PE,es;q=0.9,en;q=0.5"})
    assert one_h1(spanish.text) == "Iniciar sesión"
    assert '<html lang="es">' in spanish.text
    switched = web.post(
        "/language",
        data={"lang": "pt", "next": "/sign-in", "csrf_token": csrf_of(spanish.text)},
        headers={"Accept-Language": "es"},
    )
    assert one_h1(switched.text) == "Entrar"
    assert negotiate("fr-FR, pt-BR;q=0.8, en;q=0.5") == "pt"
    assert negotiate(None) == "en"


def test_the_language_switch_never_redirects_off_site(web: TestClient) -> None:
    csrf = csrf_of(web.get("/sign-in").text)
    answer = web.post(
        "/language",
        data={"lang": "es", "next": "//evil.example/x", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/"


def test_every_message_is_translated_into_spanish_and_portuguese() -> None:
    from babel.messages.pofile import read_po

    template = {m.id for m in read_po((CATALOGUES / "messages.pot").open("rb")) if m.id}
    assert len(template) > 100
    for lang in ("es", "pt"):
        catalogue = read_po((CATALOGUES / lang / "LC_MESSAGES" / "messages.po").open("rb"))
        translated = {m.id for m in catalogue if m.id and m.string}
        assert template - translated == set(), lang


def test_registration_shows_the_servers_errors_beside_the_fields(
    web: TestClient, api: FakeGatewayApi
) -> None:
    form = web.get(f"/r/{RT}/register")
    assert one_h1(form.text) == "Register your company"
    for field in ("f-company-name", "f-contact-email", "f-products-0-hs_code", "f-timezone"):
        assert f'<label for="{field}">' in form.text, field
    sent = web.post(
        f"/r/{RT}/register",
        data={
            "csrf_token": csrf_of(form.text),
            "role": "exporter",
            "company.name": "",
            "company.tax_id": "PE-1",
            "country": "PE",
            "languages": "es",
            "sectors": "cocoa",
            "products.0.hs_code": "18069",
            "contact.name": "Ana",
            "contact.email": "ana@example.pe",
        },
    )
    assert sent.status_code == 422
    summary = sent.text.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#f-company-name"' in summary
    assert 'href="#f-products-0-hs_code"' in summary
    assert 'id="e-company-name"' in sent.text
    assert 'aria-describedby="e-company-name" aria-invalid="true"' in sent.text
    assert 'value="PE-1"' in sent.text  # what was typed stays
    assert api.registered == []


def test_registration_proposes_the_countrys_zone_and_sends_local_availability(
    web: TestClient, api: FakeGatewayApi
) -> None:
    form = web.get(f"/r/{RT}/register")
    zones = web.get(f"/r/{RT}/register/zones", params={"country": "CL"})
    assert '<option value="America/Santiago" selected>' in zones.text
    assert zones_of_country("PE") == ["America/Lima"]
    sent = web.post(
        f"/r/{RT}/register",
        data={
            "csrf_token": csrf_of(form.text),
            "role": "exporter",
            "company.name": "Cacao del Sur",
            "company.tax_id": "PE-1",
            "country": "PE",
            "timezone": "",
            "languages": ["es", "en"],
            "sectors": "cocoa",
            "products.0.hs_code": "1806.90",
            "products.0.description": "chocolate",
            "contact.name": "Ana",
            "contact.email": "ana@example.pe",
            "availability.1.start": "09:00",
            "availability.1.end": "13:00",
        },
    )
    assert sent.status_code == 200
    assert one_h1(sent.text) == "Registration received"
    [body] = api.registered
    assert body["timezone"] == "America/Lima"
    assert body["products"] == [{"hs_code": "180690", "description": "chocolate"}]
    assert body["availability"] == [{"date": "2030-06-24", "start": "09:00", "end": "13:00"}]
    assert body["languages"] == ["es", "en"]


def test_pages_need_a_signed_in_participant(web: TestClient) -> None:
    for page in ("/portal", "/portal/agenda", "/portal/matches", "/portal/requests"):
        assert web.get(page, follow_redirects=False).headers["location"] == "/sign-in"


def test_the_agenda_shows_both_local_times_and_the_zone(web: TestClient) -> None:
    sign_in(web)
    page = web.get("/portal/agenda")
    assert page.status_code == 200
    assert one_h1(page.text) == "Your agenda"
    assert "Lima" in page.text
    # 14:00 UTC is 09:00 in Lima and 15:00 in London (BST)
    assert "9:00\u202fAM \u2013 9:30\u202fAM" in page.text
    assert "3:00\u202fPM \u2013 3:30\u202fPM (London)" in page.text
    assert "/portal/meetings/m-2/outcome" in page.text  # held: its outcome can be reported
    assert "https://meet.example/m-1" in page.text
    spanish = web.get("/portal/agenda", headers={"Accept-Language": "es"})
    assert "9:00 \u2013 9:30" in spanish.text
    assert "lunes, 24 de junio de 2030" in spanish.text


def test_a_meeting_ics_is_one_event_in_utc(web: TestClient) -> None:
    sign_in(web)
    ics = web.get("/portal/meetings/m-1.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    assert ics.text.count("BEGIN:VEVENT") == 1
    assert "DTSTART:20300623T140000Z" in ics.text
    assert "UID:m-1@" in ics.text
    assert web.get("/portal/meetings/m-9.ics").status_code == 404


def test_a_received_request_is_accepted_with_a_plain_post(
    web: TestClient, api: FakeGatewayApi
) -> None:
    sign_in(web)
    page = web.get("/portal/requests")
    assert "Accept the request from p-importer1" in page.text
    done = web.post(
        "/portal/requests/mr-1/response",
        data={"csrf_token": csrf_of(page.text), "answer": "accept"},
    )
    assert "You accepted the meeting" in done.text
    assert (f"/v1/roundtables/{RT}/meeting-requests/mr-1/response", {"accept": True}) in (
        api.posted
    )


def test_matches_show_scores_and_reasons_and_can_be_requested(
    web: TestClient, api: FakeGatewayApi
) -> None:
    sign_in(web)
    page = web.get("/portal/matches")
    assert "buys cocoa (1806)" in page.text
    assert "0.82" in page.text
    web.post(
        "/portal/requests", data={"csrf_token": csrf_of(page.text), "counterpart": "p-importer1"}
    )
    assert (
        f"/v1/roundtables/{RT}/meeting-requests",
        {"from_participant": ME, "to_participant": "p-importer1"},
    ) in api.posted


def test_an_outcome_in_a_currency_the_roundtable_refuses_is_shown_beside_the_amount(
    web: TestClient,
) -> None:
    sign_in(web)
    page = web.get("/portal/meetings/m-2/outcome")
    answer = web.post(
        "/portal/meetings/m-2/outcome",
        data={
            "csrf_token": csrf_of(page.text),
            "result": "deal",
            "immediate_amount.value": "1000",
            "immediate_amount.currency": "JPY",
        },
    )
    assert answer.status_code == 422
    assert 'href="#f-immediate_amount-value"' in answer.text


def test_the_status_page_shows_a_rejection_reason(web: TestClient, api: FakeGatewayApi) -> None:
    api.status, api.reason = "rejected", "tax id not found in SUNAT"
    sign_in(web)
    page = web.get("/portal")
    assert "Not accepted" in page.text
    assert "tax id not found in SUNAT" in page.text


def test_profile_and_notifications(web: TestClient, api: FakeGatewayApi) -> None:
    sign_in(web)
    profile = web.get("/portal/profile")
    assert "ana@example.pe" in profile.text
    assert "Spanish, English" in profile.text
    refused = web.post("/portal/withdraw", data={"csrf_token": csrf_of(profile.text)})
    assert refused.status_code == 422
    assert 'href="#f-confirm"' in refused.text
    notes = web.get("/portal/notifications")
    assert "ParticipantApproved" in notes.text


def test_a_weak_session_secret_is_refused_in_production() -> None:
    with pytest.raises(ValueError, match="RUEDA_SESSION_SECRET"):
        WebSettings(**PRODUCTION)
    with pytest.raises(ValueError, match="too weak"):
        WebSettings(**PRODUCTION, session_secret="short")
    assert WebSettings(**PRODUCTION, session_secret=SECRET).session_secret == SECRET


def test_the_vendored_htmx_is_the_pinned_version() -> None:
    pinned = assets.pinned()["htmx.org"]
    lock = json.loads((assets.PACKAGE_DIR / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/htmx.org"]["version"] == pinned
    vendored = assets.VENDOR / assets.vendored_name("htmx.org", pinned)
    assert assets.htmx_path() == f"/static/vendor/{vendored.name}"
    installed = assets.PACKAGE_DIR / "node_modules/htmx.org/dist/htmx.min.js"
    if installed.exists():  # after `npm ci` (CI runs it): byte for byte the package's file
        assert Path(vendored).read_bytes() == installed.read_bytes()
