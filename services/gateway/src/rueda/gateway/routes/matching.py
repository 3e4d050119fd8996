"""Match proposals and meeting requests (matching service).

Authorization: a participant only for itself; the organizer of the roundtable; an agency
only for participants of its country; an admin for anything. Which participant a call
acts for: the matches' owner, the requester, or the requested party of a response.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from rueda.shared.contracts import topic
from rueda.shared.contracts.matching import RequestMeeting, RespondToMeetingRequest

from ..auth import CurrentPrincipal, Principal, Role
from ..errors import ApiError
from ..openapi import IDEMPOTENT, READ, WRITE, accepted, responses
from ..views import MeetingRequestOut
from .common import (
    ERRORS,
    ID,
    Accepted,
    Paged,
    ParticipantId,
    RoundtableId,
    bus,
    page_of,
    service,
)

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["matching"], responses=ERRORS)
COMMANDS = topic("matching.commands.v1")
ROLES: tuple[Role, ...] = ("organizer", "agency", "participant", "admin")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MatchOut(BaseModel):
    """A proposed counterpart, with the reasons for its score."""

    counterpart_id: str = Field(
        description="The proposed participant (of the other role).", examples=["p-8e21b4c6a0f3"]
    )
    score: float = Field(description="Higher is better; 0 is never proposed.", examples=[0.82])
    reasons: list[str] = Field(
        description="Readable reasons, strongest first.",
        examples=[["sector fruit", "wants GB", "speaks en"]],
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "counterpart_id": "p-8e21b4c6a0f3",
                    "score": 0.82,
                    "reasons": ["sector fruit", "wants GB", "speaks en"],
                }
            ]
        }
    )


class MeetingRequestIn(_Strict):
    """Request mode: ask a counterpart of the other role for a meeting."""

    from_participant: str = Field(
        pattern=ID, description="The requester.", examples=["p-3f9a1c2b7d10"]
    )
    to_participant: str = Field(
        pattern=ID, description="The counterpart asked.", examples=["p-8e21b4c6a0f3"]
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"from_participant": "p-3f9a1c2b7d10", "to_participant": "p-8e21b4c6a0f3"}]
        },
    )


class MeetingResponseIn(_Strict):
    """The requested participant accepts or declines."""

    accept: bool = Field(description="True accepts, false declines.", examples=[True])

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"accept": True}]})


async def _country_of(request: Request, roundtable_id: str, participant_id: str) -> str:
    doc = await service(request, "registration").get(
        f"/internal/roundtables/{roundtable_id}/participants/{participant_id}"
    )
    return str(doc["country"])


async def _acts_for(
    request: Request,
    principal: Principal,
    roundtable_id: str,
    participant_id: str,
    country: str | None = None,
) -> None:
    """The caller may act for this participant (401/403, or 404 for an unknown one)."""
    principal.require(*ROLES, roundtable_id=roundtable_id)
    principal.require_self(participant_id)
    if principal.role == "agency":
        principal.require_country(
            country or await _country_of(request, roundtable_id, participant_id)
        )


@router.get(
    "/roundtables/{roundtable_id}/participants/{participant_id}/matches",
    response_model=list[MatchOut],
    summary="A participant's proposed counterparts, best first",
    responses=responses(
        *READ,
        example=[{"counterpart_id": "p-8e21b4c6a0f3", "score": 0.82, "reasons": ["sector fruit"]}],
    ),
)
async def participant_matches(
    roundtable_id: RoundtableId,
    participant_id: ParticipantId,
    request: Request,
    principal: CurrentPrincipal,
) -> list[dict[str, Any]]:
    """The counterparts matching proposes to an approved participant, best first, with the
    reasons for each score (sectors, products, countries wanted, languages, certifications).
    Proposals are recomputed as participants are approved or withdraw.

    **Who**: the participant itself, its agency (its own country), the organizer, admins.

    **Errors**: `not_found` for a participant not (yet) approved."""
    principal.require(*ROLES, roundtable_id=roundtable_id)
    principal.require_self(participant_id)
    doc: dict[str, Any] = await service(request, "matching").get(
        f"/internal/roundtables/{roundtable_id}/participants/{participant_id}/matches"
    )
    principal.require_country(doc["country"])
    matches: list[dict[str, Any]] = doc["matches"]
    return matches


@router.get(
    "/roundtables/{roundtable_id}/meeting-requests",
    summary="Meeting requests (organizer; a participant or agency names the participant)",
    response_model=None,
    responses=responses(
        *READ,
        model=list[MeetingRequestOut],
        example=[MeetingRequestOut.model_json_schema()["examples"][0]],
    ),
)
async def list_meeting_requests(
    roundtable_id: RoundtableId,
    request: Request,
    principal: CurrentPrincipal,
    response: Response,
    page: Paged,
    participant_id: str | None = Query(default=None, pattern=ID),
    status: Literal["pending", "accepted", "declined", "expired", "withdrawn"] | None = None,
) -> list[dict[str, Any]]:
    """Meeting requests (request mode), optionally of one participant and in one status.

    **Who**: the organizer and admins see all; a participant sees its own (`participant_id`
    defaults to itself); an agency names a participant of its country (`validation_error`
    without one)."""
    principal.require(*ROLES, roundtable_id=roundtable_id)
    if principal.role == "participant":
        participant_id = participant_id or principal.participant_id
    if principal.role in ("participant", "agency"):
        if participant_id is None:
            raise ApiError(422, "validation_error", "participant_id is required for this role")
        await _acts_for(request, principal, roundtable_id, participant_id)
    result: list[dict[str, Any]] = await service(request, "matching").get(
        f"/internal/roundtables/{roundtable_id}/meeting-requests",
        {"participant_id": participant_id, "status": status, **page.params()},
    )
    return page_of(request, response, result, page, "request_id")


@router.post(
    "/roundtables/{roundtable_id}/meeting-requests",
    status_code=202,
    response_model=Accepted,
    summary="Request a meeting (request mode): the requester, its agency, the organizer",
    responses=responses(
        *WRITE,
        "not_found",
        "service_unavailable",
        status=202,
        example=accepted("matching", request_id="mr-5c0d9e1f2a3b"),
    ),
    openapi_extra=IDEMPOTENT,
)
async def request_meeting(
    roundtable_id: RoundtableId,
    body: MeetingRequestIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    """Asks a counterpart of the other role for a meeting, in a roundtable whose matching
    mode is `request`. The answer names the new `request_id`.

    **Who**: the requester itself, its agency (its own country), the organizer, admins.

    **Then**: matching checks both parties (approved, of opposite roles, within their caps)
    and publishes `MeetingRequested`, or refuses it: follow `status_url`. The counterpart
    is e-mailed and answers with `POST .../meeting-requests/{request_id}/response`; a
    request not answered within `request_ttl_hours` expires."""
    await _acts_for(request, principal, roundtable_id, body.from_participant)
    request_id = f"mr-{uuid.uuid4().hex[:12]}"
    return await bus(request).send(
        request,
        principal,
        RequestMeeting(
            request_id=request_id,
            from_participant=body.from_participant,
            to_participant=body.to_participant,
        ),
        topic=COMMANDS,
        service="matching",
        roundtable_id=roundtable_id,
        body={"request_id": request_id, "status": "pending"},
        idempotency_body=body.model_dump(mode="json"),
    )


@router.post(
    "/roundtables/{roundtable_id}/meeting-requests/{request_id}/response",
    status_code=202,
    response_model=Accepted,
    summary="Accept or decline a meeting request: the requested party, its agency, the organizer",
    responses=responses(
        *WRITE,
        "not_found",
        "service_unavailable",
        status=202,
        example=accepted("matching", request_id="mr-5c0d9e1f2a3b"),
    ),
    openapi_extra=IDEMPOTENT,
)
async def respond_to_meeting_request(
    roundtable_id: RoundtableId,
    body: MeetingResponseIn,
    request: Request,
    principal: CurrentPrincipal,
    request_id: str = Path(pattern=ID),
) -> JSONResponse:
    """Accepts or declines a pending meeting request.

    **Who**: the requested participant, its agency (its own country), the organizer,
    admins.

    **Then**: matching publishes `MeetingAgreed` (scheduling then places the meeting:
    `MeetingScheduled`, or `MeetingUnschedulable` with the reason; see `GET .../meetings`)
    or `MeetingRequestDeclined`. Follow `status_url`; answering a
    request no longer pending is `rejected`."""
    principal.require(*ROLES, roundtable_id=roundtable_id)
    found: dict[str, Any] = await service(request, "matching").get(
        f"/internal/roundtables/{roundtable_id}/meeting-requests/{request_id}"
    )
    answering = str(found["requested_of"])
    await _acts_for(
        request,
        principal,
        roundtable_id,
        answering,
        country=(found.get("countries") or {}).get(answering),
    )
    return await bus(request).send(
        request,
        principal,
        RespondToMeetingRequest(
            request_id=request_id, participant_id=answering, accept=body.accept
        ),
        topic=COMMANDS,
        service="matching",
        roundtable_id=roundtable_id,
        body={"request_id": request_id, "status": "pending"},
        idempotency_body=body.model_dump(mode="json"),
    )
