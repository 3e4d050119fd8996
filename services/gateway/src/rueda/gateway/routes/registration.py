"""Roundtables, participants and their review (registration service)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from rueda.shared.contracts import (
    Agency,
    AvailabilityWindow,
    CalendarSettings,
    Command,
    Company,
    Contact,
    DailyWindow,
    MatchingRules,
    ParticipantProfile,
    Product,
    Wants,
    topic,
)
from rueda.shared.contracts.common import FreeText
from rueda.shared.contracts.registration import (
    CreateRoundtable,
    RegisterParticipant,
    ReviewParticipant,
    SetRegistrationOpen,
    WithdrawParticipant,
)

from ..auth import CurrentPrincipal, Principal
from ..errors import ApiError
from .common import ERRORS, ID, Accepted, ParticipantId, RoundtableId, bus, service

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["registration"], responses=ERRORS)
COMMANDS = topic("registration.commands.v1")

Country = Field(pattern=r"^[A-Z]{2}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RoundtableIn(_Strict):
    """A roundtable's configuration."""

    roundtable_id: str | None = Field(
        default=None, pattern=ID, description="Chosen by an admin; else from the token."
    )
    name: FreeText = Field(min_length=1, max_length=200)
    days: list[dt.date] = Field(min_length=1, max_length=60)
    slot_minutes: int = Field(default=30, ge=5, le=240)
    buffer_minutes: int = Field(default=0, ge=0, le=120)
    default_window: DailyWindow = Field(default_factory=DailyWindow)
    max_meetings_per_day: int | None = Field(default=None, ge=1, le=100)
    agencies: list[Agency] = Field(min_length=1, max_length=50)
    exporter_countries: list[str] = Field(min_length=1, max_length=250)
    importer_countries: list[str] = Field(min_length=1, max_length=250)
    sectors: list[FreeText] = Field(min_length=1, max_length=200)
    matching: MatchingRules = Field(default_factory=MatchingRules)
    usd_rates: dict[str, Decimal] = Field(default_factory=lambda: {"USD": Decimal(1)})
    self_registration: bool = True
    registration_open: bool = True


class ParticipantIn(_Strict):
    """A company registering into a roundtable."""

    role: Literal["exporter", "importer"]
    company: Company
    country: str = Country
    timezone: FreeText = Field(min_length=1, max_length=64, description="IANA, e.g. America/Lima")
    languages: list[FreeText] = Field(min_length=1, max_length=20, description="ISO 639-1")
    sectors: list[FreeText] = Field(min_length=1, max_length=50)
    products: list[Product] = Field(default_factory=list, max_length=200)
    certifications: list[FreeText] = Field(default_factory=list, max_length=50)
    contact: Contact
    availability: list[AvailabilityWindow] = Field(default_factory=list, max_length=200)
    wants: Wants = Field(default_factory=Wants)


class ReviewIn(_Strict):
    decision: Literal["approve", "reject"]
    reason: FreeText = Field(default="", max_length=1000)


class WithdrawIn(_Strict):
    reason: FreeText = Field(default="", max_length=1000)


class RegistrationOpenIn(_Strict):
    open: bool


async def _send(
    request: Request,
    principal: Principal,
    command: Command,
    rt: str,
    body: BaseModel,
    /,
    **ids: str,
) -> JSONResponse:
    """Publish a registration command; the answer names the resource it concerns."""
    return await bus(request).send(
        request,
        principal,
        command,
        topic=COMMANDS,
        service="registration",
        roundtable_id=rt,
        body={**ids, "status": "pending"},
        idempotency_body=body.model_dump(mode="json"),
    )


def _country_lists_ok(body: RoundtableIn) -> None:
    import re

    for name in ("exporter_countries", "importer_countries"):
        for code in getattr(body, name):
            if not re.fullmatch(r"[A-Z]{2}", code):
                raise ApiError(422, "validation_error", f"{name}: {code!r} is not ISO 3166-1")


@router.post(
    "/roundtables",
    status_code=202,
    response_model=Accepted,
    summary="Create a roundtable (organizer of it, or admin)",
)
async def create_roundtable(
    body: RoundtableIn, request: Request, principal: CurrentPrincipal
) -> JSONResponse:
    principal.require("organizer", "admin")
    if principal.role == "organizer":
        if body.roundtable_id and body.roundtable_id != principal.roundtable_id:
            raise ApiError(403, "forbidden", "an organizer creates only its own roundtable")
        rt = str(principal.roundtable_id)
    else:
        rt = body.roundtable_id or f"rt-{uuid.uuid4().hex[:12]}"
    _country_lists_ok(body)
    try:
        command = CreateRoundtable(
            name=body.name,
            calendar=CalendarSettings(
                days=body.days,
                slot_minutes=body.slot_minutes,
                buffer_minutes=body.buffer_minutes,
                default_window=body.default_window,
                max_meetings_per_day=body.max_meetings_per_day,
            ),
            agencies=body.agencies,
            exporter_countries=body.exporter_countries,
            importer_countries=body.importer_countries,
            sectors=body.sectors,
            matching=body.matching,
            usd_rates=body.usd_rates,
            self_registration=body.self_registration,
            registration_open=body.registration_open,
        )
    except ValueError as exc:
        raise ApiError(422, "validation_error", str(exc)) from None
    return await _send(request, principal, command, rt, body, roundtable_id=rt)


@router.get("/roundtables/{roundtable_id}", summary="A roundtable's configuration (public)")
async def get_roundtable(
    roundtable_id: RoundtableId, request: Request, principal: CurrentPrincipal
) -> dict[str, Any]:
    del principal  # public: companies read it before they register
    result: dict[str, Any] = await service(request, "registration").get(
        f"/internal/roundtables/{roundtable_id}"
    )
    return result


@router.put(
    "/roundtables/{roundtable_id}/registration",
    status_code=202,
    response_model=Accepted,
    summary="Open or close registration (organizer)",
)
async def set_registration(
    roundtable_id: RoundtableId,
    body: RegistrationOpenIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    principal.require("organizer", "admin", roundtable_id=roundtable_id)
    return await _send(
        request,
        principal,
        SetRegistrationOpen(open=body.open),
        roundtable_id,
        body,
        roundtable_id=roundtable_id,
    )


@router.post(
    "/roundtables/{roundtable_id}/participants",
    status_code=202,
    response_model=Accepted,
    summary="Register a company",
)
async def register_participant(
    roundtable_id: RoundtableId,
    body: ParticipantIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    principal.require("anonymous", "organizer", "agency", "admin", roundtable_id=roundtable_id)
    principal.require_country(body.country)
    if principal.anonymous:
        roundtable = await service(request, "registration").get(
            f"/internal/roundtables/{roundtable_id}"
        )
        if not roundtable.get("self_registration"):
            raise ApiError(403, "forbidden", "companies are registered by the agencies here")
        if not roundtable.get("registration_open"):
            raise ApiError(409, "registration_closed", "registration is closed")
    pid = f"p-{uuid.uuid4().hex[:12]}"
    try:
        profile = ParticipantProfile(participant_id=pid, **body.model_dump())
    except ValueError as exc:
        raise ApiError(422, "validation_error", str(exc)) from None
    role = "anonymous" if principal.anonymous else principal.role
    command = RegisterParticipant(profile=profile, requested_by_role=role)
    return await _send(request, principal, command, roundtable_id, body, participant_id=pid)


@router.get(
    "/roundtables/{roundtable_id}/participants",
    summary="Participants (organizer; an agency sees its own country)",
)
async def list_participants(
    roundtable_id: RoundtableId,
    request: Request,
    principal: CurrentPrincipal,
    response: Response,
    role: Literal["exporter", "importer"] | None = None,
    country: str | None = Query(default=None, pattern=r"^[A-Z]{2}$"),
    status: Literal["pending", "approved", "rejected", "withdrawn"] | None = None,
    limit: int = Query(default=500, ge=1, le=5000),
    offset: int = Query(default=0, ge=0, le=1_000_000),
    after: str | None = Query(
        default=None, pattern=ID, description="Cursor: `X-Next-Cursor` of the previous page."
    ),
) -> list[dict[str, Any]]:
    principal.require("organizer", "agency", "admin", roundtable_id=roundtable_id)
    if principal.role == "agency":
        if country is not None:
            principal.require_country(country)
        country = principal.country
    result: list[dict[str, Any]] = await service(request, "registration").get(
        f"/internal/roundtables/{roundtable_id}/participants",
        {
            "role": role,
            "country": country,
            "status": status,
            "limit": limit,
            "offset": offset,
            "after": after,
        },
    )
    if len(result) == limit:
        cursor = result[-1]["participant_id"]
        response.headers["X-Next-Cursor"] = cursor
        next_url = request.url.remove_query_params("offset").include_query_params(after=cursor)
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return result


async def participant_in_scope(
    request: Request, principal: Principal, roundtable_id: str, participant_id: str
) -> dict[str, Any]:
    """The participant, if the caller may see it (else 401/403/404)."""
    principal.require("organizer", "agency", "participant", "admin", roundtable_id=roundtable_id)
    principal.require_self(participant_id)
    doc: dict[str, Any] = await service(request, "registration").get(
        f"/internal/roundtables/{roundtable_id}/participants/{participant_id}"
    )
    principal.require_country(doc["country"])
    return doc


@router.get(
    "/roundtables/{roundtable_id}/participants/{participant_id}",
    summary="One participant (itself, its agency, the organizer)",
)
async def get_participant(
    roundtable_id: RoundtableId,
    participant_id: ParticipantId,
    request: Request,
    principal: CurrentPrincipal,
) -> dict[str, Any]:
    return await participant_in_scope(request, principal, roundtable_id, participant_id)


@router.post(
    "/roundtables/{roundtable_id}/participants/{participant_id}/review",
    status_code=202,
    response_model=Accepted,
    summary="Approve or reject (its agency, the organizer)",
)
async def review_participant(
    roundtable_id: RoundtableId,
    participant_id: ParticipantId,
    body: ReviewIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    principal.require("organizer", "agency", "admin", roundtable_id=roundtable_id)
    await participant_in_scope(request, principal, roundtable_id, participant_id)
    command = ReviewParticipant(
        participant_id=participant_id,
        decision=body.decision,
        reason=body.reason,
        reviewer_role=principal.role,
        reviewer_country=principal.country if principal.role == "agency" else None,
    )
    return await _send(
        request, principal, command, roundtable_id, body, participant_id=participant_id
    )


@router.post(
    "/roundtables/{roundtable_id}/participants/{participant_id}/withdraw",
    status_code=202,
    response_model=Accepted,
    summary="Withdraw (itself, its agency, the organizer)",
)
async def withdraw_participant(
    roundtable_id: RoundtableId,
    participant_id: ParticipantId,
    body: WithdrawIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    await participant_in_scope(request, principal, roundtable_id, participant_id)
    command = WithdrawParticipant(
        participant_id=participant_id,
        reason=body.reason,
        requested_by=principal.participant_id or principal.role,
    )
    return await _send(
        request, principal, command, roundtable_id, body, participant_id=participant_id
    )
