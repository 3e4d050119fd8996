"""A fake of the gateway's public API for the web app's unit tests (an httpx MockTransport):
a roundtable, one signed-in participant, its matches, requests and meetings. Registration
bodies are validated with the gateway's own model, so the 422 details are the real ones."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import ValidationError

from rueda.gateway.routes.registration import ParticipantIn

__all__ = ["FakeGatewayApi"]

RT = "rt-web"
ME = "p-exporter1"
OTHER = "p-importer1"


def _meeting(mid: str, starts: str, ends: str, **extra: Any) -> dict[str, Any]:
    return {
        "meeting_id": mid,
        "exporter_id": ME,
        "importer_id": OTHER,
        "exporter_country": "PE",
        "importer_country": "GB",
        "starts_at": starts,
        "ends_at": ends,
        "local_times": {},
        "timezones": {ME: "America/Lima", OTHER: "Europe/London"},
        "join_url": f"https://meet.example/{mid}",
        "status": "scheduled",
        "sequence": 0,
        "locked": False,
        **extra,
    }


@dataclass
class FakeGatewayApi:
    """What the fake gateway holds and what it was sent."""

    mode: str = "request"
    registration_open: bool = True
    status: str = "approved"
    reason: str = ""
    registered: list[dict[str, Any]] = field(default_factory=list)
    posted: list[tuple[str, Any]] = field(default_factory=list)
    meetings: list[dict[str, Any]] = field(
        default_factory=lambda: [
            _meeting("m-1", "2030-06-23T14:00:00Z", "2030-06-23T14:30:00Z"),
            _meeting("m-2", "2030-06-24T15:00:00Z", "2030-06-24T15:30:00Z", status="held"),
        ]
    )
    requests: list[dict[str, Any]] = field(
        default_factory=lambda: [
            {
                "request_id": "mr-1",
                "exporter_id": ME,
                "importer_id": OTHER,
                "requested_by": OTHER,
                "requested_of": ME,
                "status": "pending",
            }
        ]
    )

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def roundtable(self) -> dict[str, Any]:
        return {
            "roundtable_id": RT,
            "name": "Pacific Alliance roundtable",
            "days": ["2030-06-23", "2030-06-24"],
            "exporter_countries": ["PE", "CL"],
            "importer_countries": ["GB"],
            "sectors": ["cocoa", "specialty coffee"],
            "matching": {"mode": self.mode},
            "usd_rates": {"USD": "1", "GBP": "1.25"},
            "self_registration": True,
            "registration_open": self.registration_open,
        }

    def participant(self) -> dict[str, Any]:
        return {
            "participant_id": ME,
            "roundtable_id": RT,
            "status": self.status,
            "reason": self.reason,
            "role": "exporter",
            "country": "PE",
            "profile": {
                "company": {"name": "Cacao del Sur"},
                "country": "PE",
                "timezone": "America/Lima",
                "languages": ["es", "en"],
                "contact": {"name": "Ana", "email": "ana@example.pe", "phone": None},
                "products": [{"hs_code": "180690", "description": "chocolate"}],
            },
        }

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        body = json.loads(request.content) if request.content else None
        if request.method == "POST":
            self.posted.append((path, body))
        if path == "/healthz":
            return httpx.Response(200, json={"status": "ok"})
        if path == f"/v1/roundtables/{RT}":
            return httpx.Response(200, json=self.roundtable())
        if path.startswith("/v1/roundtables/") and path.count("/") == 3:
            return _error(404, "not_found", "no such roundtable")
        if path == f"/v1/roundtables/{RT}/participants" and request.method == "POST":
            try:
                ParticipantIn.model_validate(body)
            except ValidationError as exc:
                details = [
                    {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]}
                    for e in exc.errors()
                ]
                return _error(422, "validation_error", "the request is not valid", details)
            self.registered.append(body)
            command = uuid.uuid4().hex
            return httpx.Response(
                202,
                json={
                    "participant_id": "p-new",
                    "status": "pending",
                    "status_url": f"/v1/commands/registration/{command}",
                },
            )
        if path.startswith("/v1/commands/registration/"):
            return httpx.Response(200, json={"status": "accepted"})
        if "authorization" not in request.headers:
            return _error(401, "unauthenticated", "a bearer token is required")
        if path == f"/v1/roundtables/{RT}/participants/{ME}":
            return httpx.Response(200, json=self.participant())
        if path == f"/v1/roundtables/{RT}/participants/{ME}/matches":
            return httpx.Response(
                200,
                json=[
                    {
                        "counterpart_id": OTHER,
                        "score": 0.82,
                        "reasons": ["buys cocoa (1806)", "speaks en"],
                    }
                ],
            )
        if path == f"/v1/roundtables/{RT}/meeting-requests":
            if request.method == "POST":
                return httpx.Response(202, json={"request_id": "mr-2", "status": "pending"})
            return httpx.Response(200, json={"items": self.requests})  # a paged answer
        if path.endswith("/response") or path.endswith("/attendance"):
            return httpx.Response(202, json={"status": "pending"})
        if path == f"/v1/roundtables/{RT}/meetings":
            return httpx.Response(200, json=self.meetings)
        if path.endswith("/outcome"):
            amount = (body or {}).get("immediate_amount")
            if amount and amount["currency"] not in self.roundtable()["usd_rates"]:
                return _error(
                    422,
                    "unknown_currency",
                    "the roundtable has no US-dollar rate for it",
                    {"field": "immediate_amount"},
                )
            return httpx.Response(202, json={"outcome_id": "o-1", "status": "pending"})
        if path.endswith("/notifications"):
            return httpx.Response(
                200,
                json=[
                    {
                        "notification_id": "n-1",
                        "channel": "email",
                        "kind": "ParticipantApproved",
                        "status": "sent",
                        "created_at": "2030-06-01T12:00:00Z",
                    }
                ],
            )
        if path.endswith("/withdraw"):
            return httpx.Response(202, json={"status": "pending"})
        if path.endswith("/agenda.ics"):
            return httpx.Response(200, text="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        return _error(404, "not_found", f"fake gateway has no {request.method} {path}")


def _error(status: int, code: str, message: str, details: Any = None) -> httpx.Response:
    return httpx.Response(
        status, json={"error": {"code": code, "message": message, "details": details}}
    )
