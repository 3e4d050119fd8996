"""The participants' portal in Debian's Chromium against the real stack (every service as its
own process, Apache Kafka, SecantusDB, a real SMTP server): an exporter registers from the
public page, both sides sign in with the link from the e-mail they received, a meeting is
requested and accepted between two browser sessions (the importer's with JavaScript off),
it is scheduled and shown in each side's own time zone, the calendar files open, both report
the outcome and the deal is in the roundtable's report. axe-core checks every page at
390x844 and 1440x900."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import Page, expect
from tests.support.browser import audit, chromium, participant_context
from tests.support.kafka import eventually
from tests.support.notify import SmtpSink
from tests.support.rounds import importer, roundtable
from tests.support.servers import Servers
from tests.support.stack import Stack, stack

from rueda.gateway.app import GatewaySettings, mint_token

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

WAIT_MS = 30_000


def organizer(rt: str) -> dict[str, str]:
    token = mint_token(
        GatewaySettings(env="development"), {"sub": "organizer", "role": "organizer",
                                              "roundtable_id": rt}
    )  # fmt: skip
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def mail() -> AsyncIterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
async def portal(
    servers: Servers, prefix: str, workdir: Path, mail: SmtpSink
) -> AsyncIterator[Stack]:
    async with stack(
        ["registration", "matching", "scheduling", "notifications", "deals", "web"],
        kafka=servers.kafka_bootstrap,
        mongo=servers.mongo_uri,
        prefix=prefix,
        logs=workdir,
        idempotence=servers.idempotence,
        extra_env={
            "RUEDA_SMTP_HOST": "127.0.0.1",
            "RUEDA_SMTP_PORT": str(mail.port),
            "RUEDA_SMTP_STARTTLS": "false",
            # the 2020 round's days: every slot open, attendance recordable (as in the demo)
            "RUEDA_SCHEDULE_REPLAY": "true",
        },
    ) as running:
        yield running


async def _settled(gw: httpx.AsyncClient, answer: httpx.Response) -> None:
    assert answer.status_code == 202, answer.text

    last: list[Any] = []

    async def done() -> bool:
        status = (await gw.get(answer.json()["status_url"])).json()
        assert status["status"] != "rejected", status
        last[:] = [status]
        return bool(status["status"] == "accepted")

    # the first command waits for the consumers to join their groups on a shared broker
    await eventually(done, within_s=120, what=f"{answer.json()['status_url']} accepted: {last}")


async def _sign_in(page: Page, web: str, mail: SmtpSink, email: str) -> None:
    """Ask for the link on the sign-in page, open it from the e-mail, press the button."""
    already = len([m for m in mail.received if email in m.rcpt_tos])
    await page.goto(f"{web}/sign-in")
    await page.get_by_label("E-mail address").fill(email)
    await page.get_by_role("button", name="Send me a sign-in link").click()
    await expect(page.get_by_role("heading", level=1, name="Check your e-mail")).to_be_visible()
    link: list[str] = []

    async def arrived() -> bool:
        for received in [m for m in mail.received if email in m.rcpt_tos][already:]:
            found = re.search(r"https?://\S+/auth/callback\?code=[\w\-]+", received.text())
            if found:
                link.append(found.group(0))
        return bool(link)

    await eventually(arrived, within_s=30, what=f"sign-in e-mail to {email}")
    await page.goto(link[0])
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", level=1, name="Your participation")).to_be_visible()


async def _reload_until(page: Page, url: str, visible: Any, what: str) -> None:
    """Reload `url` until the locator `visible(page)` shows (a bounded poll)."""

    async def shown() -> bool:
        await page.goto(url)
        return await visible(page).count() > 0

    await eventually(shown, within_s=90, what=what)


def _clock(moment: dt.datetime, zone: str) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    return f"{local.hour % 12 or 12}:{local.minute:02d}\u202f{'AM' if local.hour < 12 else 'PM'}"


async def test_a_round_in_the_portal_from_registration_to_the_report(
    portal: Stack, mail: SmtpSink
) -> None:
    rt = f"rt-{uuid.uuid4().hex[:8]}"
    web = portal.web
    run = uuid.uuid4().hex[:6]
    exporter_email, importer_email = f"ventas-{run}@cacao.example.pe", f"buyer-{run}@imp.example"
    findings: dict[str, list[str]] = {}
    async with httpx.AsyncClient(base_url=portal.gateway, timeout=20) as gw:
        body = {
            **roundtable(rt),
            "matching": {"mode": "request", "max_meetings_per_participant": 4},
        }
        await _settled(gw, await gw.post("/v1/roundtables", json=body, headers=organizer(rt)))
        buyer = {**importer(3), "contact": {"name": "Buyer", "email": importer_email}}
        registered = await gw.post(f"/v1/roundtables/{rt}/participants", json=buyer)
        await _settled(gw, registered)
        importer_id = registered.json()["participant_id"]

        async with chromium() as browser:
            seller = await (await participant_context(browser)).new_page()
            # registration from the public page: the server's errors beside the fields
            await seller.goto(f"{web}/r/{rt}/register")
            await expect(
                seller.get_by_role("heading", level=1, name="Register your company")
            ).to_be_visible()
            await audit(seller, "register", findings)
            await seller.get_by_role("button", name="Register").click()
            summary = seller.get_by_role("alert")
            await expect(summary).to_contain_text("Company name: This field is required")
            await audit(seller, "register-errors", findings)
            await seller.get_by_label("Exporter", exact=True).check()
            await seller.get_by_label("Company name").fill(f"Cacao del Sur {run}")
            await seller.get_by_label("Tax identification number").fill(f"PE-20{run}")
            await seller.get_by_label("Country").select_option(label="Peru")
            # htmx proposes the country's zone
            await expect(seller.get_by_label("Time zone")).to_have_value("America/Lima")
            await seller.get_by_label("Spanish").check()
            await seller.get_by_label("English").check()
            await seller.get_by_label("cocoa").check()
            await seller.get_by_label("HS code 1").fill("1806.90")
            await seller.get_by_label("Description 1").fill("chocolate")
            await seller.get_by_label("Contact name").fill("Ana Quispe")
            await seller.get_by_label("Contact e-mail").fill(exporter_email)
            await seller.get_by_role("button", name="Register").click()
            await expect(
                seller.get_by_role("heading", level=1, name="Registration received")
            ).to_be_visible(timeout=WAIT_MS)
            await audit(seller, "registered", findings)

            listed = (
                await gw.get(f"/v1/roundtables/{rt}/participants", headers=organizer(rt))
            ).json()
            listed = listed["items"] if isinstance(listed, dict) else listed
            [exporter_id] = [p["participant_id"] for p in listed if p["role"] == "exporter"]
            for pid in (exporter_id, importer_id):
                review = await gw.post(
                    f"/v1/roundtables/{rt}/participants/{pid}/review",
                    json={"decision": "approve", "reason": ""},
                    headers=organizer(rt),
                )
                await _settled(gw, review)

            # both sides sign in with the link from their e-mail; the buyer without JavaScript
            await _sign_in(seller, web, mail, exporter_email)
            await expect(seller.get_by_text("Approved")).to_be_visible()
            await audit(seller, "status", findings)
            buyer_page = await (await participant_context(browser, javascript=False)).new_page()
            await _sign_in(buyer_page, web, mail, importer_email)

            # the page's language: the browser's by default, switchable
            await seller.get_by_label("Language").select_option("es")
            await (
                seller.get_by_role("button", name="Cambiar")
                .or_(seller.get_by_role("button", name="Change"))
                .click()
            )
            await expect(
                seller.get_by_role("heading", level=1, name="Su participación")
            ).to_be_visible()
            await seller.get_by_label("Idioma").select_option("en")
            await seller.get_by_role("button", name="Cambiar").click()

            # matches, then a request from the exporter, accepted by the importer
            request = seller.get_by_role("button", name=f"Request a meeting with {importer_id}")
            await _reload_until(
                seller, f"{web}/portal/matches", lambda p: request, "the importer proposed"
            )
            await expect(seller.get_by_role("listitem").filter(has=request)).to_contain_text(
                "cocoa"
            )
            await audit(seller, "matches", findings)
            await request.click()
            await expect(seller.get_by_role("status")).to_have_text("Your request was sent.")
            await audit(seller, "requests", findings)

            accept = f"Accept the request from {exporter_id}"
            await _reload_until(
                buyer_page,
                f"{web}/portal/requests",
                lambda p: p.get_by_role("button", name=accept),
                "the request received",
            )
            await buyer_page.get_by_role("button", name=accept).click()
            await expect(buyer_page.get_by_role("status")).to_contain_text(
                "You accepted the meeting"
            )

            # scheduled: each side sees it in its own zone, the other side's time beside it
            meetings: list[dict[str, Any]] = []

            async def scheduled() -> bool:
                meetings[:] = (
                    await gw.get(f"/v1/roundtables/{rt}/meetings", headers=organizer(rt))
                ).json()
                return any(m["status"] == "scheduled" for m in meetings)

            try:
                await eventually(scheduled, within_s=90, what="the meeting scheduled")
            except AssertionError:
                raise AssertionError(f"not scheduled: {meetings}") from None
            await _reload_until(
                seller,
                f"{web}/portal/agenda",
                lambda p: p.get_by_role("heading", level=3, name=re.compile(importer_id)),
                "the meeting in the exporter's agenda",
            )
            [meeting] = meetings
            starts = dt.datetime.fromisoformat(meeting["starts_at"].replace("Z", "+00:00"))
            lima, london = _clock(starts, "America/Lima"), _clock(starts, "Europe/London")
            assert lima != london
            card = seller.get_by_role("listitem").filter(
                has=seller.get_by_role("heading", level=3, name=re.compile(importer_id))
            )
            await expect(card.get_by_role("heading", level=3)).to_contain_text(lima)
            await expect(card).to_contain_text(f"Their local time: {london}")
            await expect(seller.get_by_text("Times are in your time zone: Lima.")).to_be_visible()
            await audit(seller, "agenda", findings)
            await buyer_page.goto(f"{web}/portal/agenda")
            await expect(
                buyer_page.get_by_role("heading", level=3, name=re.compile(exporter_id))
            ).to_contain_text(london)
            await expect(buyer_page.get_by_text(f"Their local time: {lima}")).to_be_visible()

            # calendar files: the meeting's own, and the whole agenda
            async with seller.expect_download() as download:
                await card.get_by_role("link", name="Add to my calendar (.ics)").click()
            ics = Path(await (await download.value).path()).read_text()
            assert f"DTSTART:{starts:%Y%m%dT%H%M%S}Z" in ics
            assert f"UID:{meeting['meeting_id']}@" in ics
            async with seller.expect_download() as download:
                await seller.get_by_role("link", name="Download the whole agenda (.ics)").click()
            feed = Path(await (await download.value).path()).read_text()
            assert f"UID:{meeting['meeting_id']}@" in feed

            # held, then both sides report the outcome
            await card.get_by_role("button", name="The meeting took place").click()
            await expect(seller.get_by_role("status")).to_have_text("Attendance recorded.")
            report = seller.get_by_role("link", name="Report the outcome")
            await _reload_until(seller, f"{web}/portal/agenda", lambda p: report, "held")
            await report.click()
            await seller.get_by_role("button", name="Send the report").click()
            await expect(seller.get_by_role("alert")).to_contain_text("Choose how the meeting went")
            await audit(seller, "outcome", findings)
            await seller.get_by_label("We closed a deal").check()
            await seller.get_by_label("Amount agreed now").fill("50000")
            await seller.get_by_label("Amount expected in the next 12 months").fill("200000")
            await seller.get_by_role("button", name="Send the report").click()
            await expect(seller.get_by_role("status")).to_have_text(
                "Thank you: your report was received."
            )
            await buyer_page.goto(f"{web}/portal/meetings/{meeting['meeting_id']}/outcome")
            await buyer_page.get_by_label("We closed a deal").check()
            await buyer_page.get_by_label("Amount agreed now").fill("50000")
            await buyer_page.get_by_label("Amount expected in the next 12 months").fill("200000")
            await buyer_page.get_by_role("button", name="Send the report").click()
            await expect(buyer_page.get_by_role("status")).to_have_text(
                "Thank you: your report was received."
            )

            async def in_the_report() -> bool:
                got = (await gw.get(f"/v1/roundtables/{rt}/report", headers=organizer(rt))).json()
                return bool(got["deals"]["count"] == 1)

            await eventually(in_the_report, within_s=60, what="the deal in the report")

            for name, path in (("profile", "/portal/profile"),
                               ("notifications", "/portal/notifications")):  # fmt: skip
                await seller.goto(f"{web}{path}")
                await expect(seller.get_by_role("heading", level=1)).to_have_count(1)
                await audit(seller, name, findings)
            await expect(seller.get_by_role("table")).to_be_visible()
            await seller.goto(f"{web}/sign-in")
            await audit(seller, "sign-in", findings)

    assert len(findings) >= 22
    assert {page: found for page, found in findings.items() if found} == {}
