"""The gateway in-process with fakes beside its ports: a bus that records commands and a
registration read API served by httpx's MockTransport. For authorization and fuzz tests."""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import jwt
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from rueda.gateway.app import SERVICES, GatewaySettings, create_app, mint_token
from rueda.gateway.auth import Principal
from rueda.gateway.identity import MemoryIdentityStore
from rueda.gateway.mail import MemoryLinkMailer
from rueda.gateway.proxy import ServiceClient
from rueda.gateway.signin import SignIn, SignInPolicy
from rueda.shared.contracts import Command, TopicSpec

RT = "rt-test"
OTHER_RT = "rt-other"


def token(
    role: str,
    *,
    roundtable: str | None = RT,
    country: str | None = None,
    participant: str | None = None,
    secret: str | None = None,
) -> str:
    """A token the development gateway accepts (its EdDSA key, issuer and audience); with
    `secret`, HS256 with that secret instead."""
    claims: dict[str, Any] = {"sub": participant or f"{role}-1", "role": role}
    if roundtable:
        claims["roundtable_id"] = roundtable
    if country:
        claims["country"] = country
    if participant:
        claims["participant_id"] = participant
    settings = GatewaySettings(env="development")
    if secret is not None:
        now = int(time.time())
        full = {"iss": settings.jwt_issuer, "aud": settings.jwt_audience, "iat": now}
        return jwt.encode({**full, "exp": now + 3600, **claims}, secret, algorithm="HS256")
    return mint_token(settings, claims)


@dataclass
class FakeBus:
    """Records what would be published; answers like the real bus."""

    sent: list[tuple[str, Command, str]] = field(default_factory=list)

    async def send(
        self,
        request: Request,
        principal: Principal,
        command: Command,
        *,
        topic: TopicSpec,
        service: str,
        roundtable_id: str,
        body: dict[str, Any],
        idempotency_body: Any,
    ) -> JSONResponse:
        command_id = str(uuid.uuid4())
        self.sent.append((topic.name, command, roundtable_id))
        return JSONResponse(
            {
                **body,
                "command_id": command_id,
                "status_url": f"/v1/commands/{service}/{command_id}",
            },
            status_code=202,
            headers={"X-Request-ID": uuid.uuid4().hex},
        )


@dataclass
class FakeRegistration:
    """The registration read API, in memory."""

    roundtables: dict[str, dict[str, Any]] = field(default_factory=dict)
    participants: dict[str, dict[str, Any]] = field(default_factory=dict)

    def handler(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.strip("/").split("/")
        if parts[:2] == ["internal", "commands"]:
            return httpx.Response(404, json={"detail": "not processed yet"})
        if parts[:2] != ["internal", "roundtables"] or len(parts) < 3:
            return httpx.Response(404, json={"detail": "no route"})
        rt = self.roundtables.get(parts[2])
        if rt is None:
            return httpx.Response(404, json={"detail": "roundtable not found"})
        if len(parts) == 3:
            return httpx.Response(200, json=rt)
        if len(parts) == 4:
            country = request.url.params.get("country")
            found = [
                p
                for p in self.participants.values()
                if p["roundtable_id"] == parts[2] and (country is None or p["country"] == country)
            ]
            return httpx.Response(200, json=found)
        p = self.participants.get(parts[4])
        if p is None or p["roundtable_id"] != parts[2]:
            return httpx.Response(404, json={"detail": "participant not found"})
        return httpx.Response(200, json=p)


@dataclass
class FakeScheduling:
    """The scheduling read API, in memory: meetings by roundtable and an agenda per party."""

    meetings: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, meeting_id: str, exporter: tuple[str, str], importer: tuple[str, str]) -> None:
        self.meetings[meeting_id] = {
            "roundtable_id": RT,
            "meeting_id": meeting_id,
            "exporter_id": exporter[0],
            "exporter_country": exporter[1],
            "importer_id": importer[0],
            "importer_country": importer[1],
            "starts_at": "2030-06-24T14:00:00Z",
            "ends_at": "2030-06-24T14:30:00Z",
            "local_times": {},
            "timezones": {},
            "join_url": f"https://video.test/{meeting_id}",
            "status": "scheduled",
            "sequence": 0,
            "locked": False,
            "reason_code": None,
            "reason": "",
        }

    def handler(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.strip("/").split("/")
        if parts[:2] == ["internal", "commands"]:
            return httpx.Response(404, json={"detail": "not processed yet"})
        if parts[:2] != ["internal", "roundtables"] or len(parts) < 4:
            return httpx.Response(404, json={"detail": "no route"})
        rt, kind = parts[2], parts[3]
        mine = [m for m in self.meetings.values() if m["roundtable_id"] == rt]
        if kind == "meetings" and len(parts) == 4:
            pid = request.url.params.get("participant_id")
            country = request.url.params.get("country")
            found = [
                m
                for m in mine
                if (pid is None or pid in (m["exporter_id"], m["importer_id"]))
                and (country is None or country in (m["exporter_country"], m["importer_country"]))
            ]
            return httpx.Response(200, json=found)
        if kind == "meetings" and len(parts) == 5:
            meeting = next((m for m in mine if m["meeting_id"] == parts[4]), None)
            if meeting is None:
                return httpx.Response(404, json={"detail": "meeting not found"})
            return httpx.Response(200, json=meeting)
        if kind == "participants" and len(parts) == 6 and parts[5] == "agenda.ics":
            body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
            return httpx.Response(200, text=body, headers={"content-type": "text/calendar"})
        return httpx.Response(404, json={"detail": "no route"})


def default_scheduling() -> FakeScheduling:
    fake = FakeScheduling()
    fake.add("m-clgb", ("p-cl", "CL"), ("p-gb", "GB"))
    fake.add("m-cogb", ("p-co", "CO"), ("p-gb", "GB"))
    return fake


@contextlib.asynccontextmanager
async def _no_lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield


def gateway(
    registration: FakeRegistration | None = None,
    scheduling: FakeScheduling | None = None,
) -> tuple[FastAPI, FakeBus, FakeRegistration]:
    """The gateway with fakes; `app.state.fake_scheduling` is the scheduling fake."""
    registration = registration or default_registration()
    scheduling = scheduling or default_scheduling()
    app = create_app(GatewaySettings(env="development"))
    app.router.lifespan_context = _no_lifespan  # the fakes below replace what it would open
    bus = FakeBus()
    app.state.bus = bus
    transport = httpx.MockTransport(registration.handler)
    transports = {"scheduling": httpx.MockTransport(scheduling.handler)}
    app.state.services = {
        name: ServiceClient(name, f"http://{name}", transport=transports.get(name, transport))
        for name in SERVICES
    }
    app.state.fake_scheduling = scheduling
    settings = GatewaySettings(env="development")
    app.state.signin = SignIn(
        MemoryIdentityStore(),
        registration=app.state.services["registration"],
        mailer=MemoryLinkMailer(),
        keys=settings.signing_keys(),
        policy=SignInPolicy(
            issuer=settings.jwt_issuer, audience=settings.jwt_audience, web_url=settings.web_url
        ),
    )
    return app, bus, registration


def default_registration() -> FakeRegistration:
    reg = FakeRegistration()
    for rt in (RT, OTHER_RT):
        reg.roundtables[rt] = {
            "roundtable_id": rt,
            "registration_open": True,
            "self_registration": True,
            "name": rt,
        }
    for pid, country, role in (
        ("p-cl", "CL", "exporter"),
        ("p-co", "CO", "exporter"),
        ("p-gb", "GB", "importer"),
    ):
        reg.participants[pid] = {
            "participant_id": pid,
            "roundtable_id": RT,
            "country": country,
            "role": role,
            "status": "pending",
        }
    return reg
