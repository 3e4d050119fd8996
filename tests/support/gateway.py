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

from rueda.gateway.app import SERVICES, GatewaySettings, create_app
from rueda.gateway.auth import Principal
from rueda.gateway.proxy import ServiceClient
from rueda.shared.contracts import Command, TopicSpec
from rueda.shared.settings import DEV_SECRET

RT = "rt-test"
OTHER_RT = "rt-other"


def token(
    role: str,
    *,
    roundtable: str | None = RT,
    country: str | None = None,
    participant: str | None = None,
    secret: str = DEV_SECRET,
) -> str:
    claims: dict[str, Any] = {
        "sub": participant or f"{role}-1",
        "role": role,
        "exp": int(time.time()) + 3600,
    }
    if roundtable:
        claims["roundtable_id"] = roundtable
    if country:
        claims["country"] = country
    if participant:
        claims["participant_id"] = participant
    return jwt.encode(claims, secret, algorithm="HS256")


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


@contextlib.asynccontextmanager
async def _no_lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield


def gateway(
    registration: FakeRegistration | None = None,
) -> tuple[FastAPI, FakeBus, FakeRegistration]:
    registration = registration or default_registration()
    app = create_app(GatewaySettings(env="test"))
    app.router.lifespan_context = _no_lifespan  # the fakes below replace what it would open
    bus = FakeBus()
    app.state.bus = bus
    transport = httpx.MockTransport(registration.handler)
    app.state.services = {
        name: ServiceClient(name, f"http://{name}", transport=transport) for name in SERVICES
    }
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
