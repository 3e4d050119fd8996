"""Read endpoints of the matching service, for the gateway (JSON under `/internal/...`).

Not found is 404 with the error format of the public API, so the gateway can pass it on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from rueda.shared.contracts.matching import MatchProposal
from rueda.shared.http import Page

from .adapters.mongo import MatchingStore
from .domain import MeetingRequest

__all__ = ["router"]

router = APIRouter(prefix="/internal", tags=["matching"])


class ParticipantMatches(BaseModel):
    """An approved participant's current proposals, best first."""

    participant_id: str
    role: Literal["exporter", "importer"]
    country: str = Field(description="For the gateway's agency scope check.")
    matches: list[MatchProposal]


class MeetingRequestView(BaseModel):
    request_id: str
    exporter_id: str
    importer_id: str
    requested_by: str
    requested_of: str = Field(description="The participant who must answer.")
    status: Literal["pending", "accepted", "declined", "expired", "withdrawn"]
    created_at: dt.datetime
    expires_at: dt.datetime
    countries: dict[str, str | None] = Field(
        description="Country of each party (null once a party has withdrawn)."
    )


class AgreedMeetingView(BaseModel):
    meeting_id: str
    exporter_id: str
    importer_id: str
    score: float
    source: Literal["auto", "request"]
    request_id: str | None
    status: Literal["agreed", "withdrawn"]
    reason: str = ""


class CommandStatusView(BaseModel):
    """Whether a command was carried out, or why it was refused (registration's shape)."""

    command_id: str
    roundtable_id: str
    type: str = Field(description="The command's event_type.")
    status: Literal["accepted", "rejected"]
    code: str = ""
    reason: str = ""
    details: dict[str, Any] = Field(default_factory=dict)
    resource: dict[str, Any] = Field(
        default_factory=dict, description="Ids it created: request_id, meeting_id."
    )


def _store(request: Request) -> MatchingStore:
    return MatchingStore(request.app.state.runtime.db)


def _not_found(what: str, **details: str) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": "not_found", "message": f"{what} not found", "details": details}},
        status_code=404,
    )


@router.get(
    "/roundtables/{roundtable_id}/participants/{participant_id}/matches",
    response_model=ParticipantMatches,
    responses={404: {"description": "Not an approved participant of this roundtable."}},
)
async def participant_matches(
    roundtable_id: str, participant_id: str, request: Request
) -> ParticipantMatches | JSONResponse:
    doc = await _store(request).participant(roundtable_id, participant_id)
    if doc is None:
        return _not_found("participant", participant_id=participant_id)
    return ParticipantMatches(
        participant_id=participant_id,
        role=doc["role"],
        country=doc["country"],
        matches=[MatchProposal.model_validate(p) for p in doc.get("proposals", [])],
    )


@router.get(
    "/roundtables/{roundtable_id}/meeting-requests", response_model=list[MeetingRequestView]
)
async def meeting_requests(
    roundtable_id: str,
    request: Request,
    participant_id: str | None = Query(default=None),
    status: str | None = Query(default=None),
    page: Page = Depends(),
) -> list[MeetingRequestView]:
    store = _store(request)
    found = await store.requests(roundtable_id, status=status, participant_id=participant_id)
    countries = await _countries(
        store, roundtable_id, {p for r in found for p in (r.exporter_id, r.importer_id)}
    )
    return page.cut([_request_view(r, countries) for r in found], lambda v: v.request_id)


@router.get(
    "/roundtables/{roundtable_id}/meeting-requests/{request_id}",
    response_model=MeetingRequestView,
    responses={404: {"description": "No such request."}},
)
async def meeting_request(
    roundtable_id: str, request_id: str, request: Request
) -> MeetingRequestView | JSONResponse:
    store = _store(request)
    found = await store.request(roundtable_id, request_id)
    if found is None:
        return _not_found("meeting request", request_id=request_id)
    return _request_view(
        found, await _countries(store, roundtable_id, {found.exporter_id, found.importer_id})
    )


@router.get("/roundtables/{roundtable_id}/agreements", response_model=list[AgreedMeetingView])
async def agreements(
    roundtable_id: str,
    request: Request,
    participant_id: str | None = Query(default=None),
    include_withdrawn: bool = Query(default=False),
) -> list[AgreedMeetingView]:
    found = await _store(request).agreements(
        roundtable_id, participant_id=participant_id, active=not include_withdrawn
    )
    return [
        AgreedMeetingView(
            meeting_id=a.meeting_id,
            exporter_id=a.exporter_id,
            importer_id=a.importer_id,
            score=a.score,
            source=a.source,
            request_id=a.request_id,
            status=a.status,
            reason=a.reason,
        )
        for a in found
    ]


@router.get(
    "/commands/{command_id}",
    response_model=CommandStatusView,
    responses={404: {"description": "Not handled (yet)."}},
)
async def command_status(command_id: str, request: Request) -> CommandStatusView | JSONResponse:
    doc = await _store(request).command(command_id)
    if doc is None:
        return _not_found("command", command_id=command_id)
    return CommandStatusView(
        command_id=doc.pop("_id"), **{k: v for k, v in doc.items() if k != "at"}
    )


async def _countries(
    store: MatchingStore, roundtable_id: str, participant_ids: set[str]
) -> dict[str, str]:
    countries = {}
    for pid in sorted(participant_ids):
        doc = await store.participant(roundtable_id, pid)
        if doc is not None:
            countries[pid] = doc["country"]
    return countries


def _request_view(found: MeetingRequest, countries: dict[str, str]) -> MeetingRequestView:
    return MeetingRequestView(
        request_id=found.request_id,
        exporter_id=found.exporter_id,
        importer_id=found.importer_id,
        requested_by=found.requested_by,
        requested_of=found.requested_of,
        status=found.status,
        created_at=found.created_at,
        expires_at=found.expires_at,
        countries={pid: countries.get(pid) for pid in (found.exporter_id, found.importer_id)},
    )
