"""Sign-in by e-mail link, tokens, sign-out, who am I, staff invitations, the JWKS."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable
from typing import Any, Literal

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ..auth import CurrentPrincipal
from ..errors import ApiError
from ..identity import Grant, normalize_email
from ..openapi import READ, responses
from ..ratelimit import RateLimiter
from ..signin import SignIn, Tokens
from .common import ID, RoundtableId, service

__all__ = ["router", "wellknown"]

router = APIRouter(prefix="/v1", tags=["sign-in"])
wellknown = APIRouter(tags=["sign-in"])

EMAIL = r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{1,63}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


_CODE = "kq3XvB7pT2mN9sLw4yRc8dFh6jZa1eUo"
_REFRESH = "Zt8QpL3vN7xR2mK9sW4yB6cJ1dF5hG0a"
_CHOICE = {
    "choice": "4f1c2a9e0b7d3c55",
    "role": "participant",
    "roundtable_id": "rt-pacific-2020",
    "participant_id": "p-3f9a1c2b7d10",
    "country": "CL",
    "label": "Frutas del Sur SpA (rt-pacific-2020)",
}
_TOKENS = {
    "access_token": "eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIiwidHlwIjoiSldUIn0.eyJyb2xlIjoi...",
    "refresh_token": _REFRESH,
    "token_type": "Bearer",
    "expires_in": 3600,
    "acting_as": _CHOICE,
    "choices": [_CHOICE],
}
_ME = {
    "role": "agency",
    "subject": "officer@prochile.example",
    "roundtable_id": "rt-pacific-2020",
    "country": "CL",
    "email": "officer@prochile.example",
    "issuer": "http://127.0.0.1:8080",
}
_INVITATION = {
    "invitation_id": "9b2e4c1f7a3d5e60",
    "email": "officer@prochile.example",
    "role": "agency",
    "roundtable_id": "rt-pacific-2020",
    "country": "CL",
    "agency": "PROCHILE",
    "expires_at": "2026-12-09T05:00:00+00:00",
}
_JWKS = {
    "keys": [
        {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",
            "kid": "k1",
            "alg": "EdDSA",
            "use": "sig",
        }
    ]
}


def _example(value: dict[str, Any], *, strict: bool = False) -> ConfigDict:
    """A model's config with one example (the OpenAPI document shows it)."""
    if strict:
        return ConfigDict(extra="forbid", json_schema_extra={"examples": [value]})
    return ConfigDict(json_schema_extra={"examples": [value]})


class SignInIn(_Strict):
    """An e-mail address asking for a sign-in link."""

    email: str = Field(
        min_length=3,
        max_length=254,
        pattern=EMAIL,
        description="A participant's contact address, or an invited officer's or organizer's.",
        examples=["ana@frutas.cl"],
    )
    roundtable_id: str | None = Field(
        default=None,
        pattern=ID,
        description="Only this roundtable's identities.",
        examples=["rt-pacific-2020"],
    )

    model_config = _example(
        {"email": "ana@frutas.cl", "roundtable_id": "rt-pacific-2020"}, strict=True
    )


class SignInAccepted(BaseModel):
    """The same answer whether or not the address is known."""

    status: Literal["accepted"] = Field(
        default="accepted", description="Always `accepted`.", examples=["accepted"]
    )
    message: str = Field(
        default="If this address may sign in, a sign-in link is on its way (15 minutes).",
        description="What to tell the person.",
        examples=["If this address may sign in, a sign-in link is on its way (15 minutes)."],
    )

    model_config = _example(
        {
            "status": "accepted",
            "message": "If this address may sign in, a sign-in link is on its way (15 minutes).",
        }
    )


class ExchangeIn(_Strict):
    """A sign-in or invitation code, exchanged once for tokens."""

    code: str = Field(
        min_length=20,
        max_length=200,
        description="From the e-mailed link (its `?code=`).",
        examples=[_CODE],
    )
    choice: str | None = Field(
        default=None,
        max_length=32,
        description="Act as this choice (default: the first).",
        examples=["4f1c2a9e0b7d3c55"],
    )

    model_config = _example({"code": _CODE}, strict=True)


class RefreshIn(_Strict):
    """A refresh token to rotate, optionally switching identity."""

    refresh_token: str = Field(
        min_length=20,
        max_length=200,
        description="The session's latest refresh token (single use).",
        examples=[_REFRESH],
    )
    choice: str | None = Field(
        default=None,
        max_length=32,
        description="Switch to another of the session's choices.",
        examples=["4f1c2a9e0b7d3c55"],
    )

    model_config = _example({"refresh_token": _REFRESH, "choice": "4f1c2a9e0b7d3c55"}, strict=True)


class SignOutIn(_Strict):
    """The session to revoke, by its refresh token."""

    refresh_token: str = Field(
        min_length=20,
        max_length=200,
        description="The session's refresh token.",
        examples=[_REFRESH],
    )
    everywhere: bool = Field(
        default=False, description="Every session of this e-mail address.", examples=[True]
    )

    model_config = _example({"refresh_token": _REFRESH, "everywhere": True}, strict=True)


class Choice(BaseModel):
    """One identity the signed-in person may act as."""

    choice: str = Field(
        description="Its id: pass it as `choice` to act as it.", examples=["4f1c2a9e0b7d3c55"]
    )
    role: str = Field(
        description="`participant`, `agency`, `organizer` or `admin`.", examples=["participant"]
    )
    roundtable_id: str | None = Field(
        default=None, description="The roundtable it acts in.", examples=["rt-pacific-2020"]
    )
    participant_id: str | None = Field(
        default=None,
        description="The participant it is (role `participant`).",
        examples=["p-3f9a1c2b7d10"],
    )
    country: str | None = Field(
        default=None,
        description="The country it acts for (participant, agency).",
        examples=["CL"],
    )
    agency: str | None = Field(
        default=None, description="The agency's code (role `agency`).", examples=["PROCHILE"]
    )
    label: str = Field(
        default="",
        description="How to show it to the person.",
        examples=["Frutas del Sur SpA (rt-pacific-2020)"],
    )

    model_config = _example(_CHOICE)


class TokensOut(BaseModel):
    """An access token for one identity and the session's rotating refresh token."""

    access_token: str = Field(
        description="Bearer JWT (EdDSA), about an hour.", examples=[_TOKENS["access_token"]]
    )
    refresh_token: str = Field(
        description="Single use; rotate with /v1/token/refresh.", examples=[_REFRESH]
    )
    token_type: Literal["Bearer"] = Field(
        default="Bearer", description="Always `Bearer`.", examples=["Bearer"]
    )
    expires_in: int = Field(description="Seconds the access token lives.", examples=[3600])
    acting_as: Choice = Field(description="The identity the access token acts as.")
    choices: list[Choice] = Field(description="Every identity this session may act as.")

    model_config = _example(_TOKENS)


class SignedOut(BaseModel):
    """How many sessions a sign-out revoked."""

    status: Literal["signed_out"] = Field(
        default="signed_out", description="Always `signed_out`.", examples=["signed_out"]
    )
    sessions: int = Field(
        description="Sessions revoked by this call (0 if none was open).", examples=[1]
    )

    model_config = _example({"status": "signed_out", "sessions": 1})


class MeOut(BaseModel):
    """The role and scope a bearer token acts with."""

    role: str = Field(
        description="`participant`, `agency`, `organizer` or `admin`.", examples=["agency"]
    )
    subject: str = Field(
        description="Who the token is for (its `sub`).", examples=["officer@prochile.example"]
    )
    roundtable_id: str | None = Field(
        default=None, description="The roundtable it acts in.", examples=["rt-pacific-2020"]
    )
    participant_id: str | None = Field(
        default=None,
        description="The participant it is (role `participant`).",
        examples=["p-3f9a1c2b7d10"],
    )
    country: str | None = Field(
        default=None,
        description="The country it acts for (participant, agency).",
        examples=["CL"],
    )
    email: str | None = Field(
        default=None,
        description="The signed-in e-mail address.",
        examples=["officer@prochile.example"],
    )
    issuer: str | None = Field(
        default=None,
        description="The token's issuer (`iss`).",
        examples=["http://127.0.0.1:8080"],
    )

    model_config = _example(_ME)


class InvitationIn(_Strict):
    """Whom to invite, as what."""

    email: str = Field(
        min_length=3,
        max_length=254,
        pattern=EMAIL,
        description="The person's e-mail address.",
        examples=["officer@prochile.example"],
    )
    role: Literal["organizer", "agency"] = Field(
        description="An agency officer or a co-organizer.", examples=["agency"]
    )
    agency: str | None = Field(
        default=None,
        max_length=40,
        description="The agency's code (role `agency`).",
        examples=["PROCHILE"],
    )
    language: Literal["es", "en", "pt"] = Field(
        default="en", description="The invitation e-mail's language.", examples=["es"]
    )

    model_config = _example(
        {"email": "officer@prochile.example", "role": "agency", "agency": "PROCHILE"},
        strict=True,
    )


class InvitationOut(BaseModel):
    """An invitation e-mailed."""

    invitation_id: str = Field(description="Its id.", examples=["9b2e4c1f7a3d5e60"])
    email: str = Field(description="Whom it was sent to.", examples=["officer@prochile.example"])
    role: str = Field(description="`agency` or `organizer`.", examples=["agency"])
    roundtable_id: str = Field(description="The roundtable.", examples=["rt-pacific-2020"])
    country: str | None = Field(
        default=None, description="The agency's country (role `agency`).", examples=["CL"]
    )
    agency: str | None = Field(
        default=None, description="The agency's code (role `agency`).", examples=["PROCHILE"]
    )
    expires_at: str = Field(
        description="When the link stops working (7 days).",
        examples=["2026-12-09T05:00:00+00:00"],
    )

    model_config = _example(_INVITATION)


def _signin(request: Request) -> SignIn:
    result: SignIn = request.app.state.signin
    return result


def _limit(request: Request, name: str) -> RateLimiter:
    result: RateLimiter = request.app.state.limits[name]
    return result


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post(
    "/sign-in",
    status_code=202,
    response_model=SignInAccepted,
    summary="E-mail a sign-in link (always 202)",
    responses=responses("bad_request", example=SignInAccepted().model_dump(), status=202),
)
async def sign_in(body: SignInIn, request: Request, background: BackgroundTasks) -> SignInAccepted:
    """If the address is a participant's contact (or invited staff), e-mails it a
    single-use link `{RUEDA_WEB_URL}/auth/callback?code=...`, valid 15 minutes, in the
    contact's language. The answer is the same, and as fast, whether or not the address is
    known.

    **Who**: anyone, without a token; limited per address and per client (`rate_limited`,
    with `Retry-After`).

    **Then**: the link is e-mailed after the answer (or not at all, for an unknown
    address). There is no `status_url` to follow: exchange the link's code with
    `POST /v1/sign-in/exchange`."""
    await _limit(request, "sign_in_client").hit(_client(request))
    await _limit(request, "sign_in_address").hit(normalize_email(body.email))
    background.add_task(_signin(request).send_link, body.email, body.roundtable_id)
    return SignInAccepted()


@router.post(
    "/sign-in/exchange",
    response_model=TokensOut,
    summary="Exchange a sign-in or invitation code for tokens",
    responses=responses(
        "bad_request", "invalid_code", "unknown_choice", "database_unavailable", example=_TOKENS
    ),
)
async def exchange(body: ExchangeIn, request: Request) -> JSONResponse:
    """Takes the code once. Answers an access token for one identity (`acting_as`, the
    first of `choices` unless `choice` names another) and a rotating refresh token.

    **Who**: anyone holding an unused code from a sign-in or invitation link, without a
    token. Failed exchanges are limited per client (`rate_limited`)."""
    return await _counting_failures(request, _signin(request).exchange(body.code, body.choice))


@router.post(
    "/token/refresh",
    response_model=TokensOut,
    summary="Rotate a refresh token (optionally acting as another choice)",
    responses=responses(
        "bad_request",
        "invalid_refresh_token",
        "unknown_choice",
        "database_unavailable",
        example=_TOKENS,
    ),
)
async def refresh(body: RefreshIn, request: Request) -> JSONResponse:
    """The refresh token is used up and a new one answered, with an access token for
    `choice` (default: the identity it acted as). Presenting a used one again revokes its
    whole session (reuse detection).

    **Who**: the holder of the session's latest refresh token, without a bearer token.
    Failed refreshes are limited per client (`rate_limited`)."""
    return await _counting_failures(
        request, _signin(request).refresh(body.refresh_token, body.choice)
    )


@router.post(
    "/sign-out",
    response_model=SignedOut,
    summary="Revoke a session, or every session of its address",
    responses=responses(
        "bad_request", "database_unavailable", example={"status": "signed_out", "sessions": 1}
    ),
)
async def sign_out(body: SignOutIn, request: Request) -> SignedOut:
    """Revokes the refresh token's session (`everywhere`: every session of the same e-mail
    address). Access tokens already issued live out their hour.

    **Who**: the holder of the refresh token, without a bearer token; an unknown or used
    one revokes nothing (`sessions`: 0)."""
    revoked = await _signin(request).sign_out(body.refresh_token, body.everywhere)
    return SignedOut(sessions=revoked)


@router.get(
    "/me",
    response_model=MeOut,
    summary="Who the bearer token is",
    responses=responses(
        "unauthenticated", "forbidden", "identity_provider_unavailable", example=_ME
    ),
)
async def me(principal: CurrentPrincipal) -> MeOut:
    """The role and scope this bearer token acts with: its role, roundtable, participant,
    country, e-mail address and issuer.

    **Who**: any signed-in caller (participant, agency, organizer, admin), with a gateway
    token or a trusted identity provider's."""
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
    responses=responses(
        *READ,
        "bad_request",
        "rejected_by_service",
        "unknown_agency",
        "mail_unavailable",
        "database_unavailable",
        "identity_provider_unavailable",
        example=_INVITATION,
        status=201,
    ),
)
async def invite(
    roundtable_id: RoundtableId, body: InvitationIn, request: Request, principal: CurrentPrincipal
) -> JSONResponse:
    """E-mails a single-use link (7 days) that signs the person in with this role in this
    roundtable; an agency officer gets its agency's country (`agency` names one of the
    roundtable's agency codes, else `unknown_agency`). Accepting it also lets the person
    sign in by e-mail link later.

    **Who**: the roundtable's organizer, an admin. Not retry-safe by `Idempotency-Key`:
    a retry e-mails another link."""
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
    responses=responses(example=_JWKS),
)
async def jwks(request: Request) -> JSONResponse:
    """Every public key that may have signed a live gateway token, by `kid`: during a key
    rotation, two. Cacheable for five minutes.

    **Who**: anyone, without a token (services and integrators verifying gateway tokens)."""
    body: dict[str, Any] = request.app.state.signing_keys.jwks()
    return JSONResponse(body, headers={"Cache-Control": "public, max-age=300"})


async def _counting_failures(request: Request, attempt: Awaitable[Tokens]) -> JSONResponse:
    """Answer the tokens; a refused code or refresh token counts against the client's limit
    of failures (429 once it is reached, before the attempt is even looked at)."""
    failures = _limit(request, "exchange_failures")
    try:
        await failures.check(_client(request))
        tokens = await attempt
    except ApiError as refused:
        if refused.status == 401:
            await failures.count(_client(request))
        raise
    finally:
        if inspect.iscoroutine(attempt):
            attempt.close()  # not awaited when the limit refused first
    return _no_store(tokens.body())


def _no_store(body: dict[str, Any]) -> JSONResponse:
    return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})
