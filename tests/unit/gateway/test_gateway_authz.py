"""The authorization matrix: every endpoint x every role, allowed or denied as specified."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tests.support.gateway import OTHER_RT, RT, gateway, token
from tests.support.rounds import exporter, roundtable

from rueda.shared.contracts.registration import RegisterParticipant, ReviewParticipant

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

CL_EXPORTER = {**exporter(0), "country": "CL", "timezone": "America/Santiago"}
A, D, U = 202, 403, 401  # accepted, denied, unauthenticated

# (method, path, body): expected status per role
MATRIX: list[tuple[str, str, Any, dict[str, int]]] = [
    (
        "POST",
        "/v1/roundtables",
        roundtable(),
        {
            "anonymous": U,
            "organizer": A,
            "organizer_other_rt": A,
            "agency_cl": D,
            "agency_co": D,
            "participant_cl": D,
            "participant_co": D,
            "admin": A,
        },
    ),
    ("GET", f"/v1/roundtables/{RT}", None, {r: 200 for r in ROLES}),
    (
        "PUT",
        f"/v1/roundtables/{RT}/registration",
        {"open": False},
        {
            "anonymous": U,
            "organizer": A,
            "organizer_other_rt": D,
            "agency_cl": D,
            "agency_co": D,
            "participant_cl": D,
            "participant_co": D,
            "admin": A,
        },
    ),
    (
        "POST",
        f"/v1/roundtables/{RT}/participants",
        CL_EXPORTER,
        {
            "anonymous": A,
            "organizer": A,
            "organizer_other_rt": D,
            "agency_cl": A,
            "agency_co": D,
            "participant_cl": D,
            "participant_co": D,
            "admin": A,
        },
    ),
    (
        "GET",
        f"/v1/roundtables/{RT}/participants",
        None,
        {
            "anonymous": U,
            "organizer": 200,
            "organizer_other_rt": D,
            "agency_cl": 200,
            "agency_co": 200,
            "participant_cl": D,
            "participant_co": D,
            "admin": 200,
        },
    ),
    (
        "GET",
        f"/v1/roundtables/{RT}/participants?country=CO",
        None,
        {
            "anonymous": U,
            "organizer": 200,
            "organizer_other_rt": D,
            "agency_cl": D,
            "agency_co": 200,
            "participant_cl": D,
            "participant_co": D,
            "admin": 200,
        },
    ),
    (
        "GET",
        f"/v1/roundtables/{RT}/participants/p-cl",
        None,
        {
            "anonymous": U,
            "organizer": 200,
            "organizer_other_rt": D,
            "agency_cl": 200,
            "agency_co": D,
            "participant_cl": 200,
            "participant_co": D,
            "admin": 200,
        },
    ),
    (
        "POST",
        f"/v1/roundtables/{RT}/participants/p-cl/review",
        {"decision": "approve"},
        {
            "anonymous": U,
            "organizer": A,
            "organizer_other_rt": D,
            "agency_cl": A,
            "agency_co": D,
            "participant_cl": D,
            "participant_co": D,
            "admin": A,
        },
    ),
    (
        "POST",
        f"/v1/roundtables/{RT}/participants/p-cl/withdraw",
        {"reason": "x"},
        {
            "anonymous": U,
            "organizer": A,
            "organizer_other_rt": D,
            "agency_cl": A,
            "agency_co": D,
            "participant_cl": A,
            "participant_co": D,
            "admin": A,
        },
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX]
)
async def test_authorization_matrix(
    method: str, path: str, body: Any, expected: dict[str, int]
) -> None:
    assert set(expected) == set(ROLES)
    app, bus, _ = gateway()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        for role, jwt_token in ROLES.items():
            headers = {"Authorization": f"Bearer {jwt_token}"} if jwt_token else {}
            before = len(bus.sent)
            response = await client.request(method, path, json=body, headers=headers)
            assert response.status_code == expected[role], (role, response.text)
            if response.status_code >= 400:
                assert set(response.json()["error"]) == {"code", "message", "details"}
                assert len(bus.sent) == before, f"{role}: a denied call published a command"


async def test_an_agency_review_carries_its_country_and_anonymous_registration_its_role() -> None:
    app, bus, _ = gateway()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as client:
        r = await client.post(
            f"/v1/roundtables/{RT}/participants/p-cl/review",
            json={"decision": "reject", "reason": "no export licence"},
            headers={"Authorization": f"Bearer {ROLES['agency_cl']}"},
        )
        assert r.status_code == 202
        r = await client.post(f"/v1/roundtables/{RT}/participants", json=CL_EXPORTER)
        assert r.status_code == 202
        assert r.json()["participant_id"].startswith("p-")
    review, registration = bus.sent[0][1], bus.sent[1][1]
    assert isinstance(review, ReviewParticipant)
    assert (review.reviewer_role, review.reviewer_country, review.reason) == (
        "agency",
        "CL",
        "no export licence",
    )
    assert isinstance(registration, RegisterParticipant)
    assert registration.requested_by_role == "anonymous"
    assert registration.profile.country == "CL"


@pytest.mark.parametrize(
    "bad",
    [
        "Bearer nonsense",
        "Basic abc",
        "Bearer " + token("organizer", secret="another-secret-entirely-not-ours"),
    ],
)
async def test_bad_tokens_are_401(bad: str) -> None:
    app, _, _ = gateway()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as client:
        r = await client.get(f"/v1/roundtables/{RT}/participants", headers={"Authorization": bad})
    assert r.status_code == 401
    assert r.json()["error"]["code"] in {"invalid_token", "unauthenticated"}


async def test_closed_registration_and_agency_only_roundtables_refuse_anonymous() -> None:
    app, bus, reg = gateway()
    reg.roundtables[RT]["registration_open"] = False
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as client:
        r = await client.post(f"/v1/roundtables/{RT}/participants", json=CL_EXPORTER)
        assert (r.status_code, r.json()["error"]["code"]) == (409, "registration_closed")
        reg.roundtables[RT]["self_registration"] = False
        r = await client.post(f"/v1/roundtables/{RT}/participants", json=CL_EXPORTER)
        assert r.status_code == 403
    assert bus.sent == []


async def test_an_absent_service_is_a_503_with_retry_after() -> None:
    app, _, _ = gateway()

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    from rueda.gateway.proxy import ServiceClient

    app.state.services["registration"] = ServiceClient(
        "registration", "http://registration", transport=httpx.MockTransport(down)
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as client:
        r = await client.get(f"/v1/roundtables/{RT}")
    assert r.status_code == 503
    assert r.headers["retry-after"] == "2"
    assert r.json()["error"]["code"] == "service_unavailable"
