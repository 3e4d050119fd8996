"""Gateway routes of the notifications service: who may subscribe, list, delete and read."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tests.support.gateway import OTHER_RT, RT, gateway, token

from rueda.gateway.app import GatewaySettings
from rueda.gateway.proxy import ServiceClient
from rueda.shared.contracts.notifications import CreateSubscription, DeleteSubscription

pytestmark = pytest.mark.unit

ROLES: dict[str, str | None] = {
    "anonymous": None,
    "organizer": token("organizer"),
    "organizer_other_rt": token("organizer", roundtable=OTHER_RT),
    "agency_cl": token("agency", country="CL"),
    "agency_co": token("agency", country="CO"),
    "participant_cl": token("participant", participant="p-cl"),
    "admin": token("admin", roundtable=None),
}
HOOK = {"url": "https://agency.example/hooks", "secret": "s" * 24, "event_types": ["DealClosed"]}
SUBSCRIPTIONS = {
    "sub-cl": {
        "subscription_id": "sub-cl",
        "roundtable_id": RT,
        "url": HOOK["url"],
        "event_types": ["DealClosed"],
        "owner_role": "agency",
        "owner_country": "CL",
        "active": True,
        "created_at": "2020-06-01T00:00:00Z",
    },
    "sub-org": {
        "subscription_id": "sub-org",
        "roundtable_id": RT,
        "url": HOOK["url"],
        "event_types": ["*"],
        "owner_role": "organizer",
        "owner_country": None,
        "active": True,
        "created_at": "2020-06-01T00:00:00Z",
    },
}


class FakeNotifications:
    """The notifications read API, in memory; records the query strings it was asked."""

    def __init__(self) -> None:
        self.queries: list[dict[str, str]] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/internal/subscriptions":
            self.queries.append(dict(request.url.params))
            return httpx.Response(200, json=list(SUBSCRIPTIONS.values()))
        if path.startswith("/internal/subscriptions/"):
            sub = SUBSCRIPTIONS.get(path.rsplit("/", 1)[1])
            return httpx.Response(200 if sub else 404, json=sub or {"detail": "unknown"})
        if path.endswith("/deliveries"):
            return httpx.Response(
                200, json=[{"notification_id": "n-1", "kind": "meeting_scheduled"}]
            )
        return httpx.Response(404, json={"detail": "no route"})


def app_with_fakes() -> tuple[Any, Any, FakeNotifications]:
    app, bus, _ = gateway()
    fake = FakeNotifications()
    app.state.services["notifications"] = ServiceClient(
        "notifications", "http://notifications", transport=httpx.MockTransport(fake.handler)
    )
    return app, bus, fake


A, D, U = 202, 403, 401
MATRIX: list[tuple[str, str, Any, dict[str, int]]] = [
    (
        "POST",
        "/v1/subscriptions",
        HOOK,
        {
            "anonymous": U,
            "organizer": A,
            "organizer_other_rt": A,
            "agency_cl": A,
            "agency_co": A,
            "participant_cl": D,
            "admin": A,
        },
    ),
    (
        "GET",
        "/v1/subscriptions",
        None,
        {
            "anonymous": U,
            "organizer": 200,
            "organizer_other_rt": 200,
            "agency_cl": 200,
            "agency_co": 200,
            "participant_cl": D,
            "admin": 200,
        },
    ),
    (
        "DELETE",
        "/v1/subscriptions/sub-cl",
        None,
        {
            "anonymous": U,
            "organizer": A,
            "organizer_other_rt": D,
            "agency_cl": A,
            "agency_co": D,
            "participant_cl": D,
            "admin": A,
        },
    ),
    (
        "DELETE",
        "/v1/subscriptions/sub-org",
        None,
        {
            "anonymous": U,
            "organizer": A,
            "organizer_other_rt": D,
            "agency_cl": D,
            "agency_co": D,
            "participant_cl": D,
            "admin": A,
        },
    ),
    (
        "GET",
        f"/v1/roundtables/{RT}/participants/p-cl/notifications",
        None,
        {
            "anonymous": U,
            "organizer": 200,
            "organizer_other_rt": D,
            "agency_cl": 200,
            "agency_co": D,
            "participant_cl": 200,
            "admin": 200,
        },
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX]
)
async def test_notifications_authorization(
    method: str, path: str, body: Any, expected: dict[str, int]
) -> None:
    app, bus, _ = app_with_fakes()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as c:
        for role, jwt_token in ROLES.items():
            headers = {"Authorization": f"Bearer {jwt_token}"} if jwt_token else {}
            before = len(bus.sent)
            response = await c.request(method, path, json=body, headers=headers)
            assert response.status_code == expected[role], (role, response.text)
            if response.status_code >= 400:
                assert set(response.json()["error"]) == {"code", "message", "details"}
                assert len(bus.sent) == before


async def test_subscriptions_carry_the_callers_scope() -> None:
    app, bus, fake = app_with_fakes()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as c:

        def auth(role: str) -> dict[str, str]:
            return {"Authorization": f"Bearer {ROLES[role]}"}

        r = await c.post("/v1/subscriptions", json=HOOK, headers=auth("agency_cl"))
        assert r.status_code == 202
        assert r.json()["subscription_id"].startswith("sub-")
        assert r.json()["status_url"].startswith("/v1/commands/notifications/")
        r = await c.post(
            "/v1/subscriptions", json={**HOOK, "roundtable_id": "rt-x"}, headers=auth("admin")
        )
        assert r.status_code == 202
        r = await c.post(
            "/v1/subscriptions", json={**HOOK, "roundtable_id": OTHER_RT}, headers=auth("organizer")
        )
        assert r.status_code == 403
        r = await c.post(
            "/v1/subscriptions",
            json={**HOOK, "url": "ftp://x.example/h"},
            headers=auth("organizer"),
        )
        assert r.status_code == 422
        r = await c.post(
            "/v1/subscriptions", json={**HOOK, "secret": "short"}, headers=auth("organizer")
        )
        assert r.status_code == 422
        await c.get("/v1/subscriptions", headers=auth("agency_cl"))
        await c.delete("/v1/subscriptions/sub-cl", headers=auth("agency_cl"))
    (t1, agency_cmd, rt1), (_, admin_cmd, rt2), (t3, delete_cmd, rt3) = bus.sent
    assert t1 == t3 == "notifications.commands.v1"
    assert isinstance(agency_cmd, CreateSubscription)
    assert (agency_cmd.owner_role, agency_cmd.owner_country, rt1) == ("agency", "CL", RT)
    # the secret travels sealed (never in plain text on Kafka) and opens to the caller's
    assert agency_cmd.secret != HOOK["secret"]
    opened = (
        GatewaySettings(env="development")
        .sealer()
        .open(agency_cmd.secret, agency_cmd.subscription_id)
    )
    assert opened == HOOK["secret"]
    assert isinstance(admin_cmd, CreateSubscription)
    assert (admin_cmd.owner_role, admin_cmd.owner_country, rt2) == ("admin", None, "rt-x")
    assert isinstance(delete_cmd, DeleteSubscription)
    assert (delete_cmd.subscription_id, rt3) == ("sub-cl", RT)
    assert fake.queries == [
        {
            "include_deleted": "false",
            "limit": "1000",  # the page size (lists are cursor-paged)
            "roundtable_id": RT,
            "owner_role": "agency",
            "owner_country": "CL",
        }
    ]
