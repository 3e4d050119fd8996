"""Sign-in by e-mail link, tokens, sign-out, who am I, staff invitations, the JWKS."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ..auth import CurrentPrincipal
from ..errors import ApiError, ErrorResponse
from ..identity import Grant, normalize_email
from ..ratelimit import Limit
from ..signin import SignIn
from .common import ID, RoundtableId, service

__all__ = ["router", "wellknown"]

router = APIRouter(prefix="/v1", tags=["sign-in"])
wellknown = APIRouter(tags=["sign-in"])

EMAIL = r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{1,63}$"


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """400 (an unreadable body) and 422 (an invalid one) can answer every operation."""
    return {code: {"model": ErrorResponse} for code in sorted({400, 422, *codes})}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SignInIn(_Strict):
    email: str = Field(min_length=3, max_length=254, pattern=EMAIL)
    roundtable_id: str | None = Field(
        default=None, pattern=ID, description="Only this roundtable's identities."
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"email": "ventas@andes.example", "roundtable_id": "rt-1"}]
        },
    )


class SignInAccepted(BaseModel):
    """The same answer whether or not the address is known."""

    status: Literal["accepted"] = "accepted"
    message: str = "If this address may sign in, a sign-in link is on its way (15 minutes)."

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "accepted", "message": "If this address ..."}]}
    )


class ExchangeIn(_Strict):
    code: str = Field(min_length=20, max_length=200, description="From the e-mailed link.")
    choice: str | None = Field(
        default=None, max_length=32, description="Act as this choice (default: the first)."
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"code": "kq3X...the code from ?code= in the link"}]},
    )


class RefreshIn(_Strict):
    refresh_token: str = Field(min_length=20, max_length=200)
    choice: str | None = Field(
        default=None, max_length=32, description="Switch to another of the session's choices."
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"refresh_token": "Zt8...", "choice": None}]},
    )


class SignOutIn(_Strict):
    refresh_token: str = Field(min_length=20, max_length=200)
    everywhere: bool = Field(default=False, description="Every session of this e-mail address.")

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"refresh_token": "Zt8...", "everywhere": True}]},
    )


class Choice(BaseModel):
    """One identity the signed-in person may act as."""

    choice: str
    role: str
    roundtable_id: str | None = None
    participant_id: str | None = None
    country: str | None = None
    agency: str | None = None
    label: str = ""


class TokensOut(BaseModel):
    access_token: str = Field(description="Bearer JWT (EdDSA), about an hour.")
    refresh_token: str = Field(description="Single use; rotate with /v1/token/refresh.")
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="Seconds the access token lives.")
    acting_as: Choice
    choices: list[Choice] = Field(description="Every identity this session may act as.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": "eyJhbGciOiJFZERTQSIsImtpZCI6Ii4uLiJ9...",
                    "refresh_token": "Zt8...",
                    "token_type": "Bearer",
                    "expires_in": 3600,
                    "acting_as": {
                        "choice": "4f1c2a9e0b7d3c55",
                        "role": "participant",
                        "roundtable_id": "rt-1",
                        "participant_id": "p-1",
                        "country": "CL",
                        "label": "Andes Fruit (rt-1)",
                    },
                    "choices": [],
                }
            ]
        }
    )


class SignedOut(BaseModel):
    status: Literal["signed_out"] = "signed_out"
    sessions: int = Field(description="Sessions revoked by this call (0 if none was open).")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "signed_out", "sessions": 1}]}
    )


class MeOut(BaseModel):
    role: str
    subject: str
    roundtable_id: str | None = None
    participant_id: str | None = None
    country: str | None = None
    email: str | None = None
    issuer: str | None = None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "role": "agency",
                    "subject": "officer@prochile.example",
                    "roundtable_id": "rt-1",
                    "country": "CL",
                    "email": "officer@prochile.example",
                    "issuer": "http://127.0.0.1:8080",
                }
            ]
        }
    )


class InvitationIn(_Strict):
    email: str = Field(min_length=3, max_length=254, pattern=EMAIL)
    role: Literal["organizer", "agency"]
    agency: str | None = Field(
        default=None, max_length=40, description="The agency's code (role `agency`)."
    )
    language: Literal["es", "en", "pt"] = "en"

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"email": "officer@prochile.example", "role": "agency", "agency": "PCL"}]
        },
    )


class InvitationOut(BaseModel):
    invitation_id: str
    email: str
    role: str
    roundtable_id: str
    country: str | None = None
    agency: str | None = None
    expires_at: str

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "invitation_id": "9b2e...",
                    "email": "officer@prochile.example",
                    "role": "agency",
                    "roundtable_id": "rt-1",
                    "country": "CL",
                    "agency": "PCL",
                    "expires_at": "2026-12-09T05:00:00+00:00",
                }
            ]
        }
    )


def _signin(request: Request) -> SignIn:
    result: SignIn = request.app.state.signin
    return result


def _limit(request: Request, name: str) -> Limit:
    result: Limit = request.app.state.limits[name]
    return result


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post(
    "/sign-in",
    status_code=202,
    response_model=SignInAccepted,
    summary="E-mail a sign-in link (always 202)",
    description="If the address is a participant's contact (or invited staff), e-mails it a "
    "single-use link `{RUEDA_WEB_URL}/auth/callback?code=...`, valid 15 minutes, in the "
    "contact's language. The answer is the same, and as fast, whether or not the address is "
    "known. Limited per address and per client (429 with Retry-After).",
    responses=_errors(422, 429),
)
async def sign_in(body: SignInIn, request: Request, background: BackgroundTasks) -> SignInAccepted:
    await _limit(request, "sign_in_client").hit(_client(request))
    await _limit(request, "sign_in_address").hit(normalize_email(body.email))
    background.add_task(_signin(request).send_link, body.email, body.roundtable_id)
    return SignInAccepted()


@router.post(
    "/sign-in/exchange",
    response_model=TokensOut,
    summary="Exchange a sign-in or invitation code for tokens",
    description="Takes the code once. Answers an access token for one identity (`acting_as`, "
    "the first of `choices` unless `choice` names another) and a rotating refresh token. "
    "Failed exchanges are limited per client (429).",
    responses=_errors(401, 422, 429),
)
async def exchange(body: ExchangeIn, request: Request) -> JSONResponse:
    failures = _limit(request, "exchange_failures")
    await failures.check(_client(request))
    try:
        tokens = await _signin(request).exchange(body.code, body.choice)
    except ApiError as refused:
        if refused.status == 401:
            await failures.count(_client(request))
        raise
    return _no_store(tokens.body())


@router.post(
    "/token/refresh",
    response_model=TokensOut,
    summary="Rotate a refresh token (optionally acting as another choice)",
    description="The refresh token is used up and a new one answered. Presenting a used one "
    "again revokes its whole session (reuse detection).",
    responses=_errors(401, 422, 429),
)
async def refresh(body: RefreshIn, request: Request) -> JSONResponse:
    failures = _limit(request, "exchange_failures")
    await failures.check(_client(request))
    try:
        tokens = await _signin(request).refresh(body.refresh_token, body.choice)
    except ApiError as refused:
        if refused.status == 401:
            await failures.count(_client(request))
        raise
    return _no_store(tokens.body())


@router.post(
    "/sign-out",
    response_model=SignedOut,
    summary="Revoke a session, or every session of its address",
    description="Revokes the refresh token's session (`everywhere`: every session of the same "
    "e-mail address). Access tokens already issued live out their hour.",
    responses=_errors(422),
)
async def sign_out(body: SignOutIn, request: Request) -> SignedOut:
    revoked = await _signin(request).sign_out(body.refresh_token, body.everywhere)
    return SignedOut(sessions=revoked)


@router.get(
    "/me",
    response_model=MeOut,
    summary="Who the bearer token is",
    description="The role and scope this token acts with.",
    responses=_errors(401, 503),
)
async def me(principal: CurrentPrincipal) -> MeOut:
    principal.require("organizer", "agency", "participant", "admin")
    return MeOut(
        role=principal.role,
        subject=principal.subject,
        roundtable_id=principal.roundtable_id,
        participant_id=principal.participant_id,
        country=principal.country,
        email=principal.email,
        issuer=principal.issuer,
    )


@router.post(
    "/roundtables/{roundtable_id}/invitations",
    status_code=201,
    response_model=InvitationOut,
    summary="Invite an agency officer or a co-organizer (organizer, admin)",
    description="E-mails a single-use link (7 days) that signs the person in with this role "
    "in this roundtable; an agency officer gets its agency's country. Accepting it also lets "
    "the person sign in by e-mail link later.",
    responses=_errors(401, 403, 404, 422, 503),
)
async def invite(
    roundtable_id: RoundtableId, body: InvitationIn, request: Request, principal: CurrentPrincipal
) -> JSONResponse:
    principal.require("organizer", "admin", roundtable_id=roundtable_id)
    roundtable = await service(request, "registration").get(
        f"/internal/roundtables/{roundtable_id}"
    )
    name = str(roundtable.get("name", roundtable_id))
    if body.role == "agency":
        agency = next(
            (a for a in roundtable.get("agencies", []) if a.get("code") == body.agency), None
        )
        if agency is None:
            raise ApiError(422, "unknown_agency", "name one of the roundtable's agency codes")
        grant = Grant(
            role="agency",
            roundtable_id=roundtable_id,
            country=str(agency["country"]),
            agency=str(agency["code"]),
            label=f"{agency.get('name', agency['code'])} ({name})",
        )
    else:
        grant = Grant(role="organizer", roundtable_id=roundtable_id, label=f"organizer ({name})")
    doc = await _signin(request).invite(
        email=body.email,
        grant=grant,
        roundtable_name=name,
        language=body.language,
        invited_by=principal.subject,
    )
    out = InvitationOut(
        invitation_id=doc["_id"][:16],
        email=doc["email"],
        role=grant.role,
        roundtable_id=roundtable_id,
        country=grant.country,
        agency=grant.agency,
        expires_at=doc["expires_at"].isoformat(),
    )
    return JSONResponse(out.model_dump(mode="json"), status_code=201)


@wellknown.get(
    "/.well-known/jwks.json",
    summary="The gateway's public signing keys (JWKS)",
    description="Every key that may have signed a live gateway token, by `kid`: during a "
    "rotation, two.",
)
async def jwks(request: Request) -> JSONResponse:
    body: dict[str, Any] = request.app.state.signing_keys.jwks()
    return JSONResponse(body, headers={"Cache-Control": "public, max-age=300"})


def _no_store(body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})
