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
from ..openapi import IDEMPOTENT, READ, WRITE, accepted, responses
from ..views import ParticipantOut, RoundtableOut
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
        default=None,
        pattern=ID,
        description="Chosen by an admin (else generated); an organizer's is its token's.",
        examples=["rt-pacific-2020"],
    )
    name: FreeText = Field(
        min_length=1,
        max_length=200,
        description="Its name.",
        examples=["Pacific Alliance - UK importers"],
    )
    days: list[dt.date] = Field(
        min_length=1,
        max_length=60,
        description="Its days (local dates).",
        examples=[["2020-06-23", "2020-06-24"]],
    )
    slot_minutes: int = Field(
        default=30, ge=5, le=240, description="Length of a meeting.", examples=[30]
    )
    buffer_minutes: int = Field(
        default=0, ge=0, le=120, description="Pause between two meetings.", examples=[0]
    )
    default_window: DailyWindow = Field(
        default_factory=DailyWindow,
        description="Each participant's daily window unless it states its own.",
    )
    max_meetings_per_day: int | None = Field(
        default=None,
        ge=1,
        le=100,
        description="Per-participant daily cap, if any.",
        examples=[6],
    )
    agencies: list[Agency] = Field(
        min_length=1, max_length=50, description="Co-hosting agencies, one per country vetted."
    )
    exporter_countries: list[str] = Field(
        min_length=1,
        max_length=250,
        description="ISO 3166-1 alpha-2 countries of exporters.",
        examples=[["CL", "CO", "MX", "PE"]],
    )
    importer_countries: list[str] = Field(
        min_length=1,
        max_length=250,
        description="ISO 3166-1 alpha-2 countries of importers.",
        examples=[["GB"]],
    )
    sectors: list[FreeText] = Field(
        min_length=1,
        max_length=200,
        description="Sectors matched on.",
        examples=[["fruit", "coffee", "cocoa"]],
    )
    matching: MatchingRules = Field(
        default_factory=MatchingRules, description="How counterparts become meetings."
    )
    usd_rates: dict[str, Decimal] = Field(
        default_factory=lambda: {"USD": Decimal(1)},
        description="US-dollar rate of each currency outcomes may use, by ISO 4217 code.",
        examples=[{"USD": "1", "GBP": "1.25"}],
    )
    self_registration: bool = Field(
        default=True,
        description="Whether companies may register themselves without a token.",
        examples=[True],
    )
    registration_open: bool = Field(
        default=True, description="Whether registration opens at once.", examples=[True]
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "roundtable_id": "rt-pacific-2020",
                    "name": "Pacific Alliance - UK importers",
                    "days": ["2020-06-23", "2020-06-24", "2020-06-25"],
                    "slot_minutes": 30,
                    "default_window": {"start": "09:00", "end": "18:00"},
                    "agencies": [
                        {"code": "PROCHILE", "name": "ProChile", "country": "CL"},
                        {"code": "PROCOLOMBIA", "name": "ProColombia", "country": "CO"},
                    ],
                    "exporter_countries": ["CL", "CO"],
                    "importer_countries": ["GB"],
                    "sectors": ["fruit", "coffee"],
                    "matching": {"mode": "auto", "max_meetings_per_participant": 8},
                    "usd_rates": {"USD": "1", "GBP": "1.25"},
                }
            ]
        },
    )


class ParticipantIn(_Strict):
    """A company registering into a roundtable."""

    role: Literal["exporter", "importer"] = Field(
        description="Which side it is on.", examples=["exporter"]
    )
    company: Company = Field(description="The company.")
    country: str = Field(
        pattern=r"^[A-Z]{2}$",
        description="ISO 3166-1 alpha-2; its agency vets it.",
        examples=["CL"],
    )
    timezone: FreeText = Field(
        min_length=1,
        max_length=64,
        description="IANA, e.g. America/Lima",
        examples=["America/Santiago"],
    )
    languages: list[FreeText] = Field(
        min_length=1, max_length=20, description="ISO 639-1", examples=[["es", "en"]]
    )
    sectors: list[FreeText] = Field(
        min_length=1,
        max_length=50,
        description="Its sectors (of the roundtable's).",
        examples=[["fruit"]],
    )
    products: list[Product] = Field(
        default_factory=list, max_length=200, description="What it sells or buys."
    )
    certifications: list[FreeText] = Field(
        default_factory=list,
        max_length=50,
        description="Certifications it holds.",
        examples=[["GlobalG.A.P."]],
    )
    contact: Contact = Field(description="Who receives the e-mails and invitations.")
    availability: list[AvailabilityWindow] = Field(
        default_factory=list,
        max_length=200,
        description="Its own windows in local time; empty: the default daily window.",
    )
    wants: Wants = Field(default_factory=Wants, description="What it looks for.")

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "role": "exporter",
                    "company": {"name": "Frutas del Sur SpA", "tax_id": "76.123.456-7"},
                    "country": "CL",
                    "timezone": "America/Santiago",
                    "languages": ["es", "en"],
                    "sectors": ["fruit"],
                    "products": [{"hs_code": "080810", "description": "Fresh apples"}],
                    "contact": {"name": "Ana Rojas", "email": "ana@frutasdelsur.cl"},
                    "availability": [{"date": "2020-06-23", "start": "08:00", "end": "13:00"}],
                    "wants": {"countries": ["GB"]},
                }
            ]
        },
    )


class ReviewIn(_Strict):
    """An agency's (or the organizer's) decision on a registration."""

    decision: Literal["approve", "reject"] = Field(
        description="Approved participants are matched.", examples=["approve"]
    )
    reason: FreeText = Field(
        default="",
        max_length=1000,
        description="Shown to the company.",
        examples=["Export licence verified"],
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"decision": "approve", "reason": "Licence verified"}]},
    )


class WithdrawIn(_Strict):
    """A participant leaving the roundtable."""

    reason: FreeText = Field(
        default="",
        max_length=1000,
        description="Why it withdraws.",
        examples=["Harvest delayed"],
    )

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "Harvest delayed"}]}
    )


class RegistrationOpenIn(_Strict):
    """Whether the roundtable takes registrations."""

    open: bool = Field(description="True opens registration, false closes it.", examples=[False])

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"open": False}]})


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
    responses=responses(
        *WRITE, example=accepted("registration", roundtable_id="rt-pacific-2020"), status=202
    ),
    openapi_extra=IDEMPOTENT,
)
async def create_roundtable(
    body: RoundtableIn, request: Request, principal: CurrentPrincipal
) -> JSONResponse:
    """Creates and configures a roundtable: its days, slot rules, agencies, countries,
    sectors, matching rules and the US-dollar rates of the currencies deals may use.

    **Who**: an organizer, for the roundtable its token names (`roundtable_id` in the body
    must be absent or equal); an admin, for any id (generated when absent).

    **Then**: the registration service creates it and publishes `RoundtableOpened` on
    `registration.events.v1`. Follow `status_url` until `status` is `accepted` (or
    `rejected` with a `code`, e.g. the id exists); `GET /v1/roundtables/{roundtable_id}`
    then answers."""
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


@router.get(
    "/roundtables/{roundtable_id}",
    summary="A roundtable's configuration (public)",
    response_model=None,
    responses=responses(
        "not_found",
        "service_unavailable",
        model=RoundtableOut,
        example=RoundtableOut.model_json_schema()["examples"][0],
    ),
)
async def get_roundtable(
    roundtable_id: RoundtableId, request: Request, principal: CurrentPrincipal
) -> dict[str, Any]:
    """A roundtable's configuration, as its organizer set it, and whether it takes
    registrations.

    **Who**: anyone, without a token: companies read it before they register.

    **Errors**: `not_found` until the roundtable's creation has been processed."""
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
    responses=responses(
        *WRITE, example=accepted("registration", roundtable_id="rt-pacific-2020"), status=202
    ),
    openapi_extra=IDEMPOTENT,
)
async def set_registration(
    roundtable_id: RoundtableId,
    body: RegistrationOpenIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    """Opens or closes registration: a closed roundtable refuses self-registration with
    `registration_closed`.

    **Who**: the roundtable's organizer; an admin.

    **Then**: the registration service applies it and publishes
    `RegistrationStatusChanged`; follow `status_url`, then `GET /v1/roundtables/{roundtable_id}`
    shows `registration_open`."""
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
    responses=responses(
        *WRITE,
        "not_found",
        "registration_closed",
        "service_unavailable",
        example=accepted("registration", participant_id="p-3f9a1c2b7d10"),
        status=202,
    ),
    openapi_extra=IDEMPOTENT,
)
async def register_participant(
    roundtable_id: RoundtableId,
    body: ParticipantIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    """Registers a company as an exporter or importer of the roundtable. The answer names
    its new `participant_id`, with status `pending` until its agency reviews it.

    **Who**: the company itself without a token, when the roundtable allows
    self-registration and registration is open (`forbidden`, `registration_closed`
    otherwise); its agency (for its own country only), the organizer, an admin.

    **Then**: the registration service checks it against the roundtable (countries,
    sectors, duplicates by tax id) and publishes `ParticipantRegistered`, or refuses it:
    follow `status_url` for `accepted` or `rejected` with the `code`. The agency is then to
    review it (`POST .../participants/{participant_id}/review`)."""
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
    response_model=None,
    responses=responses(
        *READ,
        model=list[ParticipantOut],
        example=[ParticipantOut.model_json_schema()["examples"][0]],
    ),
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
    """The roundtable's participants, filtered by role, country and status, `limit` at a
    time from `offset`, in registration order.

    **Who**: the organizer and admins see all; an agency sees its own country's (asking for
    another country is `forbidden`)."""
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
    response_model=None,
    responses=responses(
        *READ, model=ParticipantOut, example=ParticipantOut.model_json_schema()["examples"][0]
    ),
)
async def get_participant(
    roundtable_id: RoundtableId,
    participant_id: ParticipantId,
    request: Request,
    principal: CurrentPrincipal,
) -> dict[str, Any]:
    """A participant's registration: status (`pending`, `approved`, `rejected`,
    `withdrawn`), the review's reason and the full profile.

    **Who**: the participant itself, its agency, the organizer, admins."""
    return await participant_in_scope(request, principal, roundtable_id, participant_id)


@router.post(
    "/roundtables/{roundtable_id}/participants/{participant_id}/review",
    status_code=202,
    response_model=Accepted,
    summary="Approve or reject (its agency, the organizer)",
    responses=responses(
        *WRITE,
        "not_found",
        "service_unavailable",
        example=accepted("registration", participant_id="p-3f9a1c2b7d10"),
        status=202,
    ),
    openapi_extra=IDEMPOTENT,
)
async def review_participant(
    roundtable_id: RoundtableId,
    participant_id: ParticipantId,
    body: ReviewIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    """Approves or rejects a registration, with a reason shown to the company.

    **Who**: the participant's agency (its own country only), the organizer, admins.

    **Then**: the registration service publishes `ParticipantApproved` (matching then
    proposes counterparts: `GET .../participants/{participant_id}/matches`, and in `auto`
    mode agrees meetings that scheduling places) or `ParticipantRejected`; the company is
    e-mailed. Follow `status_url`; a review of a withdrawn participant is `rejected`."""
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
    responses=responses(
        *WRITE,
        "not_found",
        "service_unavailable",
        example=accepted("registration", participant_id="p-3f9a1c2b7d10"),
        status=202,
    ),
    openapi_extra=IDEMPOTENT,
)
async def withdraw_participant(
    roundtable_id: RoundtableId,
    participant_id: ParticipantId,
    body: WithdrawIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    """Withdraws a participant from the roundtable.

    **Who**: the participant itself, its agency, the organizer, admins.

    **Then**: the registration service publishes `ParticipantWithdrawn`; matching drops its
    proposals and pending requests, scheduling cancels its meetings (both parties get an ICS
    cancellation). Follow `status_url`."""
    await participant_in_scope(request, principal, roundtable_id, participant_id)
    command = WithdrawParticipant(
        participant_id=participant_id,
        reason=body.reason,
        requested_by=principal.participant_id or principal.role,
    )
    return await _send(
        request, principal, command, roundtable_id, body, participant_id=participant_id
    )
