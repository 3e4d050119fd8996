"""Scheduling endpoints of the gateway: the authorization matrix and what reaches the bus."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tests.support.gateway import OTHER_RT, RT, gateway, token

from rueda.shared.contracts.scheduling import (
    CancelMeeting,
    LockMeeting,
    OptimizeSchedule,
    RecordAttendance,
    RescheduleMeeting,
)

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
A, D, U, OK = 202, 403, 401, 200


def _expect(**overrides: int) -> dict[str, int]:
    """Everyone denied (anonymous unauthenticated) unless named."""
    base = {role: D for role in ROLES} | {"anonymous": U}
    return base | overrides


READ_ALL = _expect(
    organizer=OK, agency_cl=OK, agency_co=OK, participant_cl=OK, participant_co=OK, admin=OK
)
PARTIES_WRITE = _expect(organizer=A, participant_cl=A, admin=A)
ORGANIZER_WRITE = _expect(organizer=A, admin=A)
MEETING = f"/v1/roundtables/{RT}/meetings/m-clgb"

MATRIX: list[tuple[str, str, Any, dict[str, int]]] = [
    ("GET", f"/v1/roundtables/{RT}/meetings", None, READ_ALL),
    (
        "GET",
        f"/v1/roundtables/{RT}/meetings?participant_id=p-co",
        None,
        READ_ALL | {"participant_cl": D},
    ),
    (
        "GET",
        f"/v1/roundtables/{RT}/participants/p-cl/agenda.ics",
        None,
        _expect(organizer=OK, agency_cl=OK, participant_cl=OK, admin=OK),
    ),
    ("POST", f"{MEETING}/cancel", {"reason": "travel"}, PARTIES_WRITE),
    ("POST", f"{MEETING}/reschedule", {}, PARTIES_WRITE),
    ("POST", f"{MEETING}/attendance", {"status": "held"}, PARTIES_WRITE),
    ("POST", f"{MEETING}/lock", {"locked": True}, ORGANIZER_WRITE),
    ("POST", f"/v1/roundtables/{RT}/schedule/optimize", None, ORGANIZER_WRITE),
]


def _headers(role: str) -> dict[str, str]:
    jwt_token = ROLES[role]
    return {"Authorization": f"Bearer {jwt_token}"} if jwt_token else {}


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _, _ in MATRIX]
)
async def test_scheduling_authorization_matrix(
    method: str, path: str, body: Any, expected: dict[str, int]
) -> None:
    assert set(expected) == set(ROLES)
    app, bus, _ = gateway()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as client:
        for role in ROLES:
            before = len(bus.sent)
            response = await client.request(method, path, json=body, headers=_headers(role))
            assert response.status_code == expected[role], (role, response.text)
            if response.status_code >= 400:
                assert set(response.json()["error"]) == {"code", "message", "details"}
                assert len(bus.sent) == before, f"{role}: a denied call published a command"
            elif method == "POST":
                assert len(bus.sent) == before + 1
                assert bus.sent[-1][0] == "scheduling.commands.v1"
                assert bus.sent[-1][2] == RT


async def test_each_caller_sees_only_the_meetings_in_its_scope() -> None:
    app, _, _ = gateway()
    seen: dict[str, set[str]] = {}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as client:
        for role in ("organizer", "agency_cl", "agency_co", "participant_cl", "participant_co"):
            response = await client.get(f"/v1/roundtables/{RT}/meetings", headers=_headers(role))
            assert response.status_code == 200
            seen[role] = {m["meeting_id"] for m in response.json()}
        agenda = await client.get(
            f"/v1/roundtables/{RT}/participants/p-cl/agenda.ics",
            headers=_headers("participant_cl"),
        )
    assert seen == {
        "organizer": {"m-clgb", "m-cogb"},
        "agency_cl": {"m-clgb"},
        "agency_co": {"m-cogb"},
        "participant_cl": {"m-clgb"},
        "participant_co": {"m-cogb"},
    }
    assert agenda.headers["content-type"].startswith("text/calendar")
    assert agenda.text.startswith("BEGIN:VCALENDAR")


async def test_commands_carry_who_asked_and_unknown_meetings_are_404() -> None:
    app, bus, _ = gateway()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as client:
        calls = [
            (f"{MEETING}/cancel", {"reason": "travel"}, "participant_cl"),
            (f"{MEETING}/reschedule", {"reason": "clash"}, "organizer"),
            (f"{MEETING}/attendance", {"status": "no_show"}, "participant_cl"),
            (f"{MEETING}/lock", {"locked": False}, "organizer"),
            (f"/v1/roundtables/{RT}/schedule/optimize", None, "organizer"),
        ]
        for path, body, role in calls:
            response = await client.post(path, json=body, headers=_headers(role))
            assert response.status_code == 202, response.text
            answer = response.json()
            assert answer["status_url"].startswith("/v1/commands/scheduling/")
        missing = await client.post(
            f"/v1/roundtables/{RT}/meetings/m-nope/cancel", json={}, headers=_headers("organizer")
        )
        assert missing.status_code == 404
        bad = await client.post(
            f"{MEETING}/attendance", json={"status": "maybe"}, headers=_headers("organizer")
        )
        assert bad.status_code == 422
    commands = [command for _, command, _ in bus.sent]
    assert len(commands) == 5
    cancel, reschedule, attendance, lock, optimize = commands
    assert isinstance(cancel, CancelMeeting)
    assert (cancel.meeting_id, cancel.requested_by, cancel.reason) == ("m-clgb", "p-cl", "travel")
    assert isinstance(reschedule, RescheduleMeeting)
    assert reschedule.requested_by == "organizer"
    assert isinstance(attendance, RecordAttendance)
    assert attendance.status == "no_show"
    assert isinstance(lock, LockMeeting)
    assert lock.locked is False
    assert isinstance(optimize, OptimizeSchedule)
