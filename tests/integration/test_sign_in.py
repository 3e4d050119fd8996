"""Sign-in on the real stack: the gateway and registration on real sockets, real Kafka and
SecantusDB, and a real SMTP server (aiosmtpd) that the links are read from. The clock of
codes and sessions is the gateway's `now` port: an expired code is a code whose clock moved
on, not a test that sleeps."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from tests.support.apps import serve
from tests.support.kafka import eventually
from tests.support.notify import Received, SmtpSink
from tests.support.rounds import exporter, roundtable

from rueda.gateway.app import GatewaySettings, create_app, mint_token, sign_in_for_admin
from rueda.registration.app import RegistrationSettings
from rueda.registration.app import create_app as registration_app
from rueda.shared.settings import RuedaSettings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

WEB = "http://web.test"
LINK = re.compile(re.escape(WEB) + r"/auth/callback\?code=([A-Za-z0-9_\-]+)")


class Clock:
    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@dataclass
class SignInStack:
    gateway: httpx.AsyncClient
    sink: SmtpSink
    clock: Clock
    settings: GatewaySettings
    rt: str
    other_rt: str

    def bearer(self, **claims: Any) -> dict[str, str]:
        body = {"sub": claims.get("participant_id", claims["role"]), **claims}
        return {"Authorization": f"Bearer {mint_token(self.settings, body)}"}

    async def mail_to(self, address: str, count: int = 1) -> Received:
        async def arrived() -> bool:
            return len(self.sink.to(address)) >= count

        await eventually(arrived, within_s=30, what=f"e-mail {count} to {address}")
        return self.sink.to(address)[count - 1]

    async def sign_in(self, email: str, count: int, **extra: Any) -> str:
        """Ask for a link and return the code read from the e-mail received."""
        answer = await self.gateway.post("/v1/sign-in", json={"email": email, **extra})
        assert answer.status_code == 202, answer.text
        found = LINK.search((await self.mail_to(email, count)).text())
        assert found is not None
        return found.group(1)

    async def exchange(self, code: str, **extra: Any) -> httpx.Response:
        return await self.gateway.post("/v1/sign-in/exchange", json={"code": code, **extra})

    async def me(self, access_token: str) -> dict[str, Any]:
        answer = await self.gateway.get(
            "/v1/me", headers={"Authorization": f"Bearer {access_token}"}
        )
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result


@pytest.fixture
async def stack(make_settings: Callable[..., RuedaSettings]) -> AsyncIterator[SignInStack]:
    sink = SmtpSink().start()
    clock = Clock()
    registration = registration_app(make_settings("registration", RegistrationSettings))
    try:
        async with serve(registration) as registration_url:
            settings = make_settings(
                "gateway",
                GatewaySettings,
                registration_url=registration_url,
                smtp_port=sink.port,
                web_url=WEB,
                sign_in_limit_address="4/15 minutes",
                sign_in_limit_client="100/15 minutes",
                exchange_failure_limit="8/15 minutes",
            )
            assert isinstance(settings, GatewaySettings)
            async with (
                serve(create_app(settings, now=clock)) as url,
                httpx.AsyncClient(base_url=url, timeout=20) as client,
            ):
                yield SignInStack(
                    client, sink, clock, settings, f"rt-{uuid.uuid4().hex[:8]}", "rt-o"
                )
    finally:
        sink.stop()


async def _roundtable_with_contact(stack: SignInStack, email: str) -> list[str]:
    """Two roundtables; the contact `email` represents a company in each. Returns the ids."""
    ids = []
    for rt in (stack.rt, stack.other_rt + stack.rt):
        organizer = stack.bearer(role="organizer", roundtable_id=rt)
        created = await stack.gateway.post("/v1/roundtables", json=roundtable(), headers=organizer)
        assert created.status_code == 202, created.text

        async def exists(rt: str = rt) -> bool:
            return (await stack.gateway.get(f"/v1/roundtables/{rt}")).status_code == 200

        await eventually(exists, within_s=30, what="roundtable created")
        body = exporter(len(ids))
        body["contact"] = {"name": "María Pérez", "email": email}
        body["languages"] = ["es", "en"]
        registered = await stack.gateway.post(
            f"/v1/roundtables/{rt}/participants", json=body, headers=organizer
        )
        assert registered.status_code == 202, registered.text
        pid = registered.json()["participant_id"]

        async def listed(rt: str = rt, pid: str = pid, headers: Any = organizer) -> bool:
            found = await stack.gateway.get(
                f"/v1/roundtables/{rt}/participants/{pid}", headers=headers
            )
            return found.status_code == 200

        await eventually(listed, within_s=30, what="participant registered")
        ids.append(pid)
    return ids


async def test_a_contact_signs_in_with_the_link_it_receives(stack: SignInStack) -> None:
    email = f"maria.{uuid.uuid4().hex[:6]}@andes.example"
    first, second = await _roundtable_with_contact(stack, email)

    # unknown and known addresses get the same answer; only the known one gets an e-mail
    unknown = await stack.gateway.post("/v1/sign-in", json={"email": "nobody@nowhere.example"})
    known = await stack.gateway.post("/v1/sign-in", json={"email": email.upper()})
    assert (unknown.status_code, unknown.json()) == (known.status_code, known.json())
    assert unknown.status_code == 202
    assert sorted(unknown.headers.keys()) == sorted(known.headers.keys())
    received = await stack.mail_to(email)
    assert stack.sink.to("nobody@nowhere.example") == []
    assert received.message["Subject"] == "Su enlace para entrar en Rueda"  # the contact's es
    print("\n--- sign-in e-mail as received ---\n" + received.message.as_string())
    code = LINK.search(received.text())
    assert code is not None

    tokens = await stack.exchange(code.group(1))
    assert tokens.status_code == 200, tokens.text
    body = tokens.json()
    assert body["token_type"] == "Bearer"
    assert 3000 <= body["expires_in"] <= 3600
    assert {c["participant_id"] for c in body["choices"]} == {first, second}
    me = await stack.me(body["access_token"])
    assert (me["role"], me["email"]) == ("participant", email)
    assert me["participant_id"] == body["acting_as"]["participant_id"]

    # the person acts as its other company: a refresh naming that choice
    other = next(c for c in body["choices"] if c["participant_id"] != me["participant_id"])
    switched = await stack.gateway.post(
        "/v1/token/refresh",
        json={"refresh_token": body["refresh_token"], "choice": other["choice"]},
    )
    assert switched.status_code == 200, switched.text
    assert (await stack.me(switched.json()["access_token"]))["participant_id"] == other[
        "participant_id"
    ]
    # a participant's token reads its own registration, not the other company's roundtable
    own = stack.gateway.get(
        f"/v1/roundtables/{other['roundtable_id']}/participants/{other['participant_id']}",
        headers={"Authorization": f"Bearer {switched.json()['access_token']}"},
    )
    assert (await own).status_code == 200

    # a used code is refused
    again = await stack.exchange(code.group(1))
    assert (again.status_code, again.json()["error"]["code"]) == (401, "invalid_code")

    # a code whose 15 minutes are over is refused
    late = await stack.sign_in(email, 2, roundtable_id=stack.rt)
    stack.clock.offset = timedelta(minutes=16)
    expired = await stack.exchange(late)
    assert (expired.status_code, expired.json()["error"]["code"]) == (401, "invalid_code")


async def test_refresh_tokens_rotate_and_a_reused_one_revokes_its_session(
    stack: SignInStack,
) -> None:
    email = f"ana.{uuid.uuid4().hex[:6]}@andes.example"
    await _roundtable_with_contact(stack, email)
    first = (await stack.exchange(await stack.sign_in(email, 1))).json()
    r1 = first["refresh_token"]
    rotated = await stack.gateway.post("/v1/token/refresh", json={"refresh_token": r1})
    assert rotated.status_code == 200
    r2 = rotated.json()["refresh_token"]
    assert r2 != r1
    # r1 presented again: reuse, the whole family is revoked, r2 with it
    reused = await stack.gateway.post("/v1/token/refresh", json={"refresh_token": r1})
    assert (reused.status_code, reused.json()["error"]["message"]) == (
        401,
        "this refresh token is reused",
    )
    after = await stack.gateway.post("/v1/token/refresh", json={"refresh_token": r2})
    assert (after.status_code, after.json()["error"]["message"]) == (
        401,
        "this refresh token is revoked",
    )

    # sign out everywhere: two sessions of the address end at once
    a = (await stack.exchange(await stack.sign_in(email, 2))).json()["refresh_token"]
    b = (await stack.exchange(await stack.sign_in(email, 3))).json()["refresh_token"]
    out = await stack.gateway.post("/v1/sign-out", json={"refresh_token": a, "everywhere": True})
    assert out.json() == {"status": "signed_out", "sessions": 2}
    for token in (a, b):
        refused = await stack.gateway.post("/v1/token/refresh", json={"refresh_token": token})
        assert refused.status_code == 401

    # the refresh token's 14 days run on the same clock
    c = (await stack.exchange(await stack.sign_in(email, 4))).json()["refresh_token"]
    stack.clock.offset = timedelta(days=15)
    stale = await stack.gateway.post("/v1/token/refresh", json={"refresh_token": c})
    assert (stale.status_code, stale.json()["error"]["message"]) == (
        401,
        "this refresh token is expired",
    )


async def test_sign_in_and_failed_exchanges_are_rate_limited(stack: SignInStack) -> None:
    address = f"flood.{uuid.uuid4().hex[:6]}@nowhere.example"
    answers = [await stack.gateway.post("/v1/sign-in", json={"email": address}) for _ in range(5)]
    assert [a.status_code for a in answers] == [202, 202, 202, 202, 429]
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 15 * 60
    # another address from the same client is not limited by the first one's count
    other = await stack.gateway.post("/v1/sign-in", json={"email": "x" + address})
    assert other.status_code == 202

    statuses = []
    for _ in range(10):
        guess = await stack.exchange("g" * 43)
        statuses.append(guess.status_code)
    assert statuses == [401] * 8 + [429, 429]
    assert guess.headers["Retry-After"]


async def test_staff_are_invited_and_admins_created_by_command(stack: SignInStack) -> None:
    await _roundtable_with_contact(stack, f"p.{uuid.uuid4().hex[:6]}@andes.example")
    organizer = stack.bearer(role="organizer", roundtable_id=stack.rt)
    officer, co_organizer = (f"{n}.{uuid.uuid4().hex[:6]}@staff.example" for n in ("o", "c"))

    refused = await stack.gateway.post(
        f"/v1/roundtables/{stack.rt}/invitations",
        json={"email": officer, "role": "agency", "agency": "PROCHILE"},
        headers=stack.bearer(role="organizer", roundtable_id="another"),
    )
    assert refused.status_code == 403
    unknown = await stack.gateway.post(
        f"/v1/roundtables/{stack.rt}/invitations",
        json={"email": officer, "role": "agency", "agency": "NOPE"},
        headers=organizer,
    )
    assert unknown.status_code == 422

    staff: dict[str, dict[str, str]] = {}
    for email, body, expected in (
        (officer, {"role": "agency", "agency": "PROCHILE", "language": "es"}, ("agency", "CL")),
        (co_organizer, {"role": "organizer"}, ("organizer", None)),
    ):
        invited = await stack.gateway.post(
            f"/v1/roundtables/{stack.rt}/invitations",
            json={"email": email, **body},
            headers=organizer,
        )
        assert invited.status_code == 201, invited.text
        link = LINK.search((await stack.mail_to(email)).text())
        assert link is not None
        tokens = (await stack.exchange(link.group(1))).json()
        me = await stack.me(tokens["access_token"])
        assert (me["role"], me["country"], me["roundtable_id"]) == (*expected, stack.rt)
        # accepted once, the invitation lets the person sign in by e-mail link later
        later = (await stack.exchange(await stack.sign_in(email, 2))).json()
        assert (await stack.me(later["access_token"]))["role"] == expected[0]
        staff[expected[0]] = {"Authorization": f"Bearer {later['access_token']}"}

    # each works in its own scope only: the officer on its country, both on their roundtable
    for role, headers in staff.items():
        own = await stack.gateway.get(f"/v1/roundtables/{stack.rt}/participants", headers=headers)
        assert own.status_code == 200, (role, own.text)
        elsewhere = await stack.gateway.get(
            f"/v1/roundtables/{stack.other_rt + stack.rt}/participants", headers=headers
        )
        assert elsewhere.status_code == 403, role
    assert {p["country"] for p in own.json()} <= {"CL"} or role != "agency"

    admin = f"admin.{uuid.uuid4().hex[:6]}@rueda.example"
    link = LINK.search(await sign_in_for_admin(stack.settings, admin))
    assert link is not None
    tokens = (await stack.exchange(link.group(1))).json()
    assert (await stack.me(tokens["access_token"]))["role"] == "admin"
