"""Webhook subscriptions and a participant's notifications (notifications service)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from rueda.shared.contracts import topic
from rueda.shared.contracts.common import FreeText
from rueda.shared.contracts.notifications import CreateSubscription, DeleteSubscription

from ..auth import CurrentPrincipal, Principal
from ..errors import ApiError
from ..openapi import IDEMPOTENT, READ, WRITE, accepted, responses
from ..views import DeliveryOut, SubscriptionOut
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
from .registration import participant_in_scope

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["notifications"], responses=ERRORS)
COMMANDS = topic("notifications.commands.v1")
EVERY_ROUNDTABLE = "*"


class SubscriptionIn(BaseModel):
    """Signed webhooks: Rueda POSTs each event's envelope to `url`, signed with `secret`."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        min_length=8,
        max_length=2000,
        pattern=r"^https?://[^\s\x00-\x1F\x7F-\x9F]+$",
        description="Where each event is POSTed.",
        examples=["https://agency.example/hook"],
    )
    secret: str = Field(
        min_length=16,
        max_length=256,
        description="HMAC-SHA256 key; never shown again.",
        examples=["whsec-3b1f6d0c9a8e7f25"],
    )
    event_types: list[FreeText] = Field(
        min_length=1,
        max_length=100,
        description="Event types to receive, e.g. `DealClosed`, or `*` for all.",
        examples=[["DealClosed", "DealUpdated"]],
    )
    roundtable_id: str | None = Field(
        default=None,
        pattern=ID,
        description="Admins only: the roundtable to watch (default: every roundtable).",
        examples=["rt-pacific-2020"],
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://agency.example/hook",
                    "secret": "whsec-3b1f6d0c9a8e7f25",
                    "event_types": ["DealClosed", "DealUpdated"],
                }
            ]
        },
    )


def _scope(principal: Principal, wanted: str | None) -> str:
    """The roundtable a subscription of this caller is bound to."""
    principal.require("organizer", "agency", "admin")
    if principal.role == "admin":
        return wanted or EVERY_ROUNDTABLE
    if principal.roundtable_id is None:
        raise ApiError(403, "forbidden", "the token names no roundtable")
    if wanted is not None and wanted != principal.roundtable_id:
        raise ApiError(403, "forbidden", "only the token's own roundtable")
    return principal.roundtable_id


@router.post(
    "/subscriptions",
    status_code=202,
    response_model=Accepted,
    summary="Subscribe to signed webhooks (agency: its country's events; organizer; admin)",
    responses=responses(
        *WRITE, status=202, example=accepted("notifications", subscription_id="sub-1a2b3c4d5e6f")
    ),
    openapi_extra=IDEMPOTENT,
)
async def create_subscription(
    body: SubscriptionIn, request: Request, principal: CurrentPrincipal
) -> JSONResponse:
    """Subscribes a URL to signed webhooks: Rueda POSTs each event of the listed types (its
    JSON envelope) to it with `Rueda-Webhook-Id`, `Rueda-Webhook-Timestamp` and
    `Rueda-Webhook-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` (see
    docs/integrate.md to verify it), retrying with backoff until a 2xx.

    **Who**: an agency (events of its country's participants and deals), the organizer
    (its roundtable's), an admin (one roundtable or all).

    **Then**: notifications stores it; follow `status_url` until `accepted` (or `rejected`,
    e.g. a URL it may not call). Events after that are delivered."""
    rt = _scope(principal, body.roundtable_id)
    if principal.role == "agency" and not principal.country:
        raise ApiError(403, "forbidden", "an agency token must name its country")
    types = [t.strip() for t in body.event_types if t.strip()]
    if not types:
        raise ApiError(422, "validation_error", "name at least one event type, or `*`")
    sid = f"sub-{uuid.uuid4().hex[:12]}"
    command = CreateSubscription(
        subscription_id=sid,
        url=body.url,
        secret=request.app.state.sealer.seal(body.secret, sid),
        event_types=types,
        owner_role=principal.role,
        owner_country=principal.country if principal.role == "agency" else None,
    )
    return await bus(request).send(
        request,
        principal,
        command,
        topic=COMMANDS,
        service="notifications",
        roundtable_id=rt,
        body={"subscription_id": sid, "status": "pending"},
        # no secret in the idempotency store: not even a digest of it (the envelope it keeps
        # holds the secret sealed)
        idempotency_body=body.model_dump(mode="json", exclude={"secret"}),
    )


@router.get(
    "/subscriptions",
    summary="Webhook subscriptions in the caller's scope (secrets are never returned)",
    response_model=None,
    responses=responses(
        *READ,
        model=list[SubscriptionOut],
        example=[SubscriptionOut.model_json_schema()["examples"][0]],
    ),
)
async def list_subscriptions(
    request: Request,
    principal: CurrentPrincipal,
    response: Response,
    page: Paged,
    roundtable_id: str | None = Query(default=None, pattern=ID),
    include_deleted: bool = False,
) -> list[dict[str, Any]]:
    """Webhook subscriptions in the caller's scope, without their secrets; deleted ones
    too with `include_deleted`.

    **Who**: an agency sees its own; the organizer its roundtable's; an admin all (or one
    roundtable's)."""
    rt = _scope(principal, roundtable_id)
    params: dict[str, Any] = {"include_deleted": include_deleted, **page.params()}
    if rt != EVERY_ROUNDTABLE or roundtable_id is not None:
        params["roundtable_id"] = rt
    if principal.role == "agency":
        params.update(owner_role="agency", owner_country=principal.country)
    result: list[dict[str, Any]] = await service(request, "notifications").get(
        "/internal/subscriptions", params
    )
    return page_of(request, response, result, page, "subscription_id")


@router.delete(
    "/subscriptions/{subscription_id}",
    status_code=202,
    response_model=Accepted,
    summary="Delete a webhook subscription (its owner's scope)",
    responses=responses(
        *WRITE,
        "not_found",
        "service_unavailable",
        status=202,
        example=accepted("notifications", subscription_id="sub-1a2b3c4d5e6f"),
    ),
    openapi_extra=IDEMPOTENT,
)
async def delete_subscription(
    request: Request,
    principal: CurrentPrincipal,
    subscription_id: str = Path(pattern=ID),
) -> JSONResponse:
    """Deletes a webhook subscription: no further events are sent to it.

    **Who**: an agency its own; the organizer its roundtable's; an admin any.

    **Then**: notifications deactivates it; follow `status_url`."""
    principal.require("organizer", "agency", "admin")
    sub: dict[str, Any] = await service(request, "notifications").get(
        f"/internal/subscriptions/{subscription_id}"
    )
    if principal.role != "admin":
        if sub["roundtable_id"] != principal.roundtable_id:
            raise ApiError(403, "forbidden", "not a subscription of your roundtable")
        if principal.role == "agency" and (
            sub["owner_role"] != "agency" or sub.get("owner_country") != principal.country
        ):
            raise ApiError(403, "forbidden", "an agency deletes only its own subscriptions")
    return await bus(request).send(
        request,
        principal,
        DeleteSubscription(subscription_id=subscription_id),
        topic=COMMANDS,
        service="notifications",
        roundtable_id=sub["roundtable_id"],
        body={"subscription_id": subscription_id, "status": "pending"},
        idempotency_body={"delete": subscription_id},
    )


@router.get(
    "/roundtables/{roundtable_id}/participants/{participant_id}/notifications",
    summary="E-mails sent to a participant and their status (itself, its agency, organizer)",
    response_model=None,
    responses=responses(
        *READ, model=list[DeliveryOut], example=[DeliveryOut.model_json_schema()["examples"][0]]
    ),
)
async def participant_notifications(
    roundtable_id: RoundtableId,
    participant_id: ParticipantId,
    request: Request,
    principal: CurrentPrincipal,
    response: Response,
    page: Paged,
) -> list[dict[str, Any]]:
    """The notifications sent (or to be sent) to a participant: registration, review,
    meeting invitations and changes, reminders, with their delivery status and attempts.

    **Who**: the participant itself, its agency, the organizer, admins."""
    await participant_in_scope(request, principal, roundtable_id, participant_id)
    result: list[dict[str, Any]] = await service(request, "notifications").get(
        f"/roundtables/{roundtable_id}/participants/{participant_id}/deliveries", page.params()
    )
    return page_of(request, response, result, page, "notification_id")
