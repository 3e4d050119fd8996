"""Gateway endpoints of matching: every endpoint x every role, and what the commands carry."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from tests.support.gateway import OTHER_RT, RT, FakeBus, default_registration, gateway, token

from rueda.gateway.proxy import ServiceClient
from rueda.shared.contracts.matching import RequestMeeting, RespondToMeetingRequest

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
COUNTRIES = {"p-cl": "CL", "p-co": "CO", "p-gb": "GB"}
MATCHES = [{"counterpart_id": "p-gb", "score": 8.0, "reasons": ["same HS subheading 090111"]}]
# mr-1: p-gb asked p-cl, so p-cl (CL) answers.
REQUEST = {
    "request_id": "mr-1",
    "exporter_id": "p-cl",
    "importer_id": "p-gb",
    "requested_by": "p-gb",
    "requested_of": "p-cl",
    "status": "pending",
    "created_at": "2020-06-20T12:00:00Z",
    "expires_at": "2020-06-23T12:00:00Z",
    "countries": {"p-cl": "CL", "p-gb": "GB"},
}


def fake_matching(request: httpx.Request) -> httpx.Response:
    parts = request.url.path.strip("/").split("/")
    if parts[:3] != ["internal", "roundtables", RT]:
        return httpx.Response(404, json={"error": {"code": "not_found", "message": "nothing"}})
    rest = parts[3:]
    if len(rest) == 3 and rest[0] == "participants" and rest[2] == "matches":
        if rest[1] not in COUNTRIES:
            return httpx.Response(404, json={"error": {"code": "not_found", "message": "no"}})
        role = "importer" if rest[1] == "p-gb" else "exporter"
        body = {"participant_id": rest[1], "role": role, "country": COUNTRIES[rest[1]]}
        return httpx.Response(200, json={**body, "matches": MATCHES})
    if rest == ["meeting-requests"]:
        return httpx.Response(200, json=[REQUEST])
    if rest == ["meeting-requests", "mr-1"]:
        return httpx.Response(200, json=REQUEST)
    return httpx.Response(404, json={"error": {"code": "not_found", "message": "no request"}})


def app_with_matching() -> tuple[FastAPI, FakeBus]:
    app, bus, registration = gateway(default_registration())

    def route(request: httpx.Request) -> httpx.Response:
        if request.url.host == "matching":
            return fake_matching(request)
        return registration.handler(request)

    transport = httpx.MockTransport(route)
    app.state.services = {
        name: ServiceClient(name, f"http://{name}", transport=transport)
        for name in app.state.services
    }
    return app, bus


A, D, U = 202, 403, 401
SCOPED = {
    "anonymous": U,
    "organizer": 200,
    "organizer_other_rt": D,
    "agency_cl": 200,
    "agency_co": D,
    "participant_cl": 200,
    "participant_co": D,
    "admin": 200,
}
SCOPED_WRITE = {role: A if code == 200 else code for role, code in SCOPED.items()}

MATRIX: list[tuple[str, str, Any, dict[str, int]]] = [
    ("GET", f"/v1/roundtables/{RT}/participants/p-cl/matches", None, SCOPED),
    ("GET", f"/v1/roundtables/{RT}/meeting-requests?participant_id=p-cl", None, SCOPED),
    (
        "POST",
        f"/v1/roundtables/{RT}/meeting-requests",
        {"from_participant": "p-cl", "to_participant": "p-gb"},
        SCOPED_WRITE,
    ),
    (
        "POST",
        f"/v1/roundtables/{RT}/meeting-requests/mr-1/response",
        {"accept": True},
        SCOPED_WRITE,
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX]
)
async def test_matching_authorization_matrix(
    method: str, path: str, body: Any, expected: dict[str, int]
) -> None:
    assert set(expected) == set(ROLES)
    app, bus = app_with_matching()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as c:
        for role, jwt_token in ROLES.items():
            headers = {"Authorization": f"Bearer {jwt_token}"} if jwt_token else {}
            before = len(bus.sent)
            response = await c.request(method, path, json=body, headers=headers)
            assert response.status_code == expected[role], (role, response.text)
            if response.status_code >= 400:
                assert set(response.json()["error"]) == {"code", "message", "details"}
                assert len(bus.sent) == before, f"{role}: a denied call published a command"


async def test_commands_carry_the_acting_participant_and_reads_pass_through() -> None:
    app, bus = app_with_matching()
    organizer = {"Authorization": f"Bearer {ROLES['organizer']}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as c:
        asked = await c.post(
            f"/v1/roundtables/{RT}/meeting-requests",
            json={"from_participant": "p-cl", "to_participant": "p-gb"},
            headers=organizer,
        )
        answered = await c.post(
            f"/v1/roundtables/{RT}/meeting-requests/mr-1/response",
            json={"accept": False},
            headers=organizer,
        )
        matches = await c.get(f"/v1/roundtables/{RT}/participants/p-cl/matches", headers=organizer)
        unknown = await c.post(
            f"/v1/roundtables/{RT}/meeting-requests/mr-404/response",
            json={"accept": True},
            headers=organizer,
        )
        extra = await c.post(
            f"/v1/roundtables/{RT}/meeting-requests",
            json={"from_participant": "p-cl", "to_participant": "p-gb", "x": 1},
            headers=organizer,
        )
        mine = await c.get(
            f"/v1/roundtables/{RT}/meeting-requests",
            headers={"Authorization": f"Bearer {ROLES['participant_cl']}"},
        )
    assert asked.status_code == answered.status_code == 202
    request_cmd, response_cmd = bus.sent[0][1], bus.sent[1][1]
    assert isinstance(request_cmd, RequestMeeting)
    assert request_cmd.request_id == asked.json()["request_id"]
    assert request_cmd.request_id.startswith("mr-")
    assert (request_cmd.from_participant, request_cmd.to_participant) == ("p-cl", "p-gb")
    assert asked.json()["status_url"].startswith("/v1/commands/matching/")
    assert bus.sent[0][0] == "matching.commands.v1"
    assert isinstance(response_cmd, RespondToMeetingRequest)
    assert (response_cmd.request_id, response_cmd.participant_id) == ("mr-1", "p-cl")
    assert response_cmd.accept is False
    assert matches.json() == MATCHES
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"
    assert extra.status_code == 422
    assert mine.status_code == 200
    assert len(bus.sent) == 2
