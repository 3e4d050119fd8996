"""Meeting outcomes, the roundtable report and the closed-deals stream (deals service)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from rueda.shared.contracts import Money, topic
from rueda.shared.contracts.common import HsCode
from rueda.shared.contracts.deals import RecordOutcome

from ..auth import Authenticator, CurrentPrincipal, Principal
from ..errors import ApiError
from ..openapi import IDEMPOTENT, READ, WRITE, accepted, responses
from ..views import ReportOut
from .common import ERRORS, ID, Accepted, RoundtableId, bus, service

__all__ = ["MAX_USD", "SSE_POLL_S", "router"]

router = APIRouter(prefix="/v1", tags=["deals"], responses=ERRORS)
COMMANDS = topic("deals.commands.v1")
MAX_USD = Decimal("1000000000")
SSE_POLL_S = 1.0
"""How often the stream asks the deals service for changes."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AmountIn(_Strict):
    """An amount in one of the roundtable's currencies."""

    value: Decimal = Field(
        description="Decimal amount (a JSON string keeps every digit).", examples=["25000.00"]
    )
    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code", examples=["USD"])

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"value": "25000.00", "currency": "USD"}]}
    )


class OutcomeIn(_Strict):
    """What one side of a held meeting reports."""

    participant_id: str = Field(
        pattern=ID,
        description="The side reporting (a party of the meeting).",
        examples=["p-3f9a1c2b7d10"],
    )
    result: Literal["deal", "negotiating", "no_interest"] = Field(
        description="`deal` needs an amount; `no_interest` carries none.", examples=["deal"]
    )
    immediate_amount: AmountIn | None = Field(
        default=None, description="Agreed at or right after the meeting."
    )
    projected_12m_amount: AmountIn | None = Field(
        default=None, description="Expected over the next 12 months."
    )
    products: list[HsCode] = Field(
        default_factory=list,
        max_length=50,
        description="HS codes the deal covers.",
        examples=[["080810"]],
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "participant_id": "p-3f9a1c2b7d10",
                    "result": "deal",
                    "immediate_amount": {"value": "25000.00", "currency": "USD"},
                    "projected_12m_amount": {"value": "180000.00", "currency": "USD"},
                    "products": ["080810"],
                }
            ]
        },
    )


def _check_amount(name: str, amount: AmountIn | None, rates: dict[str, str]) -> Decimal:
    """The amount in USD, or a 422 with the deals service's refusal code."""
    if amount is None:
        return Decimal(0)
    value = amount.value
    if not value.is_finite():
        raise ApiError(422, "invalid_amount", f"{name} is not a finite decimal", {"field": name})
    if value < 0:
        raise ApiError(422, "negative_amount", f"{name} must not be negative", {"field": name})
    if amount.currency not in rates:
        raise ApiError(
            422,
            "unknown_currency",
            f"{name}: the roundtable has no US-dollar rate for {amount.currency}",
            {"field": name, "currency": amount.currency, "accepted": sorted(rates)},
        )
    try:
        usd = value * Decimal(rates[amount.currency]) if value.adjusted() <= 15 else MAX_USD + 1
    except InvalidOperation:
        usd = MAX_USD + 1
    if usd > MAX_USD:
        raise ApiError(
            422,
            "absurd_amount",
            f"{name} exceeds {MAX_USD} US dollars for one meeting",
            {"field": name, "max_usd": str(MAX_USD)},
        )
    return usd


@router.post(
    "/roundtables/{roundtable_id}/meetings/{meeting_id}/outcome",
    status_code=202,
    response_model=Accepted,
    summary="Report a held meeting's outcome (a party, or the organizer on its behalf)",
    responses=responses(
        *WRITE,
        "not_found",
        "meeting_not_held",
        "not_a_party",
        "invalid_amount",
        "negative_amount",
        "unknown_currency",
        "absurd_amount",
        "amount_required",
        "amount_without_deal",
        "service_unavailable",
        status=202,
        example=accepted("deals", outcome_id="o-9f8e7d6c5b4a3210", meeting_id="m-7a8b9c0d1e2f"),
    ),
    openapi_extra=IDEMPOTENT,
)
async def record_outcome(
    roundtable_id: RoundtableId,
    meeting_id: Annotated[str, Path(pattern=ID, description="Meeting id")],
    body: OutcomeIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    """Reports what one side of a held meeting got out of it: a deal (immediate and
    12-month projected amounts, in a currency the roundtable has a US-dollar rate for),
    still negotiating, or no interest. Reporting again replaces the side's report.

    **Who**: the reporting participant itself; the organizer or an admin on its behalf.

    **Then**: deals reconciles both sides' reports into a deal and publishes `DealClosed`
    (or `DealUpdated` when it changes) on `deals.closed.v1`, which agencies and webhooks
    see, and updates the report. Follow `status_url`."""
    principal.require("participant", "organizer", "admin", roundtable_id=roundtable_id)
    principal.require_self(body.participant_id)
    meeting: dict[str, Any] = await service(request, "deals").get(
        f"/internal/roundtables/{roundtable_id}/meetings/{meeting_id}"
    )
    if body.participant_id not in (meeting["exporter_id"], meeting["importer_id"]):
        if principal.role == "participant":
            raise ApiError(403, "forbidden", "a participant reports only on its own meetings")
        raise ApiError(
            422, "not_a_party", "the participant is not a party of this meeting",
            {"participant_id": body.participant_id},
        )  # fmt: skip
    if meeting["status"] != "held":
        raise ApiError(
            409,
            "meeting_not_held",
            f"outcomes are recorded only for held meetings; this one is {meeting['status']}",
            {"status": meeting["status"]},
        )
    rates: dict[str, str] = meeting.get("usd_rates") or {"USD": "1"}
    immediate = _check_amount("immediate_amount", body.immediate_amount, rates)
    projected = _check_amount("projected_12m_amount", body.projected_12m_amount, rates)
    if body.result == "deal" and immediate == 0 and projected == 0:
        raise ApiError(
            422, "amount_required", "a deal needs an immediate or a 12-month projected amount"
        )
    if body.result == "negotiating" and immediate > 0:
        raise ApiError(422, "amount_without_deal", "an immediate amount needs result `deal`")
    if body.result == "no_interest" and (immediate > 0 or projected > 0):
        raise ApiError(422, "amount_without_deal", "`no_interest` carries no amount")
    outcome_id = f"o-{uuid.uuid4().hex[:16]}"
    command = RecordOutcome(
        outcome_id=outcome_id,
        meeting_id=meeting_id,
        participant_id=body.participant_id,
        reported_by=body.participant_id if principal.role == "participant" else principal.role,
        result=body.result,
        immediate_amount=_money(body.immediate_amount),
        projected_12m_amount=_money(body.projected_12m_amount),
        products=body.products,
    )
    return await bus(request).send(
        request,
        principal,
        command,
        topic=COMMANDS,
        service="deals",
        roundtable_id=roundtable_id,
        body={"outcome_id": outcome_id, "meeting_id": meeting_id, "status": "pending"},
        idempotency_body={"meeting_id": meeting_id, **body.model_dump(mode="json")},
    )


def _token_check(request: Request) -> Callable[[], Awaitable[bool]]:
    """Whether the bearer token of this request still verifies (expiry included), asked
    again before every poll of a stream."""
    header = request.headers.get("authorization", "")
    token = header.partition(" ")[2].strip()
    authenticator: Authenticator = request.app.state.authenticator

    async def valid() -> bool:
        try:
            await authenticator.principal(token)
        except ApiError:
            return False
        return True

    return valid


def _money(amount: AmountIn | None) -> Money | None:
    return None if amount is None else Money(value=amount.value, currency=amount.currency)


def _scope(principal: Principal, roundtable_id: str, country: str | None) -> str | None:
    """Organizer and admin see the whole roundtable (or a country they ask for); an agency
    sees its own country only."""
    principal.require("organizer", "agency", "admin", roundtable_id=roundtable_id)
    if principal.role == "agency":
        if country is not None:
            principal.require_country(country)
        return principal.country
    return country


@router.get(
    "/roundtables/{roundtable_id}/report",
    summary="The roundtable's report: JSON, or CSV with `Accept: text/csv` (an agency sees "
    "its own country)",
    response_model=None,
    responses={
        **responses(
            *READ,
            model=ReportOut,
            example=ReportOut.model_json_schema()["examples"][0],
        ),
        200: {
            "model": ReportOut,
            "content": {
                "application/json": {"example": ReportOut.model_json_schema()["examples"][0]},
                "text/csv": {
                    "schema": {"type": "string"},
                    "example": "scope,key,exporters_registered,...\r\ntotal,,50,...\r\n",
                },
            },
        },
    },
)
async def report(
    roundtable_id: RoundtableId,
    request: Request,
    principal: CurrentPrincipal,
    country: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$")] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Any:
    """The roundtable's report: exporters and importers registered and approved; meetings
    scheduled, held, no-show and cancelled; deals (count, immediate and 12-month projected
    US dollars, agreed/disputed/one-sided); the same by country, sector and agency. CSV
    with `Accept: text/csv`. Figures follow the events, a moment behind the latest command.

    **Who**: the organizer and admins (optionally one `country`); an agency sees its own
    country only."""
    scope = _scope(principal, roundtable_id, country)
    path = f"/internal/roundtables/{roundtable_id}/report"
    if accept and "text/csv" in accept:
        response = await service(request, "deals").get_text(
            path, {"country": scope, "format": "csv"}, accept="text/csv"
        )
        return Response(response.text, media_type="text/csv; charset=utf-8")
    return await service(request, "deals").get(path, {"country": scope})


@router.get(
    "/roundtables/{roundtable_id}/deals/stream",
    summary="Server-sent events of closed and updated deals (an agency sees its own country); "
    "resume with `Last-Event-ID`",
    response_class=StreamingResponse,
    responses={
        **responses("bad_request", "unauthenticated", "forbidden", example=None),
        200: {
            "content": {
                "text/event-stream": {
                    "example": 'retry: 2000\n\nid: 17\nevent: deal\ndata: {"deal_id": ...}\n\n',
                }
            },
            "description": "Server-sent events: `deal` (a deal's JSON, `id` its cursor), "
            '`error` (`{"code"}`, the stream then ends) and keep-alive comments.',
        },
    },
)
async def deals_stream(
    roundtable_id: RoundtableId,
    request: Request,
    principal: CurrentPrincipal,
    country: Annotated[str | None, Query(pattern=r"^[A-Z]{2}$")] = None,
    last_event_id: Annotated[str | None, Header()] = None,
    limit: Annotated[
        int | None, Query(ge=1, le=100_000, description="Close the stream after this many deals.")
    ] = None,
) -> StreamingResponse:
    """Closed and updated deals as server-sent events, oldest change first, then live: each
    `deal` event carries the deal (parties, countries, sectors, products, status, US-dollar
    amounts, both sides' reports) with its change cursor as the event `id`. Reconnect with
    `Last-Event-ID` to resume after the last one seen; `limit` closes the stream after so
    many deals.

    **Who**: the organizer and admins (optionally one `country`); an agency sees the deals
    with a party of its country."""
    scope = _scope(principal, roundtable_id, country)
    try:
        cursor = int(last_event_id or 0)
    except ValueError:
        raise ApiError(400, "bad_request", "Last-Event-ID must be an integer") from None
    deals_service = service(request, "deals")
    path = f"/internal/roundtables/{roundtable_id}/deals"
    token_still_valid = _token_check(request)

    async def events() -> AsyncIterator[str]:
        nonlocal cursor
        sent = 0
        yield "retry: 2000\n\n"
        while True:
            if not await token_still_valid():
                # the token expired (or no longer verifies): the stream ends with it; the
                # client reconnects with a fresh token and Last-Event-ID
                yield f"event: error\ndata: {json.dumps({'code': 'token_expired'})}\n\n"
                return
            try:
                batch: list[dict[str, Any]] = await deals_service.get(
                    path, {"country": scope, "after": cursor, "limit": 500}
                )
            except ApiError as exc:
                yield f"event: error\ndata: {json.dumps({'code': exc.code})}\n\n"
                if exc.status != 503:
                    return  # refused for good: the client should not retry blindly
                batch = []  # the service is away for now: keep the stream open
            for deal in batch:
                cursor = int(deal.pop("seq"))
                deal.pop("roundtable_id", None)
                yield f"id: {cursor}\nevent: deal\ndata: {json.dumps(deal, default=str)}\n\n"
                sent += 1
                if limit is not None and sent >= limit:
                    return
            if not batch:
                if await request.is_disconnected():
                    return
                yield ": keep-alive\n\n"
                await asyncio.sleep(SSE_POLL_S)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
