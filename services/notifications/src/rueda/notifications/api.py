"""Read endpoints the gateway calls: subscriptions, a participant's deliveries, command status."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field

from rueda.shared.http import Page

from .adapters.mongo import NotificationsStore

__all__ = ["CommandStatusView", "DeliveryView", "SubscriptionView", "router"]

router = APIRouter(tags=["notifications"])


class SubscriptionView(BaseModel):
    """A webhook subscription, without its secret."""

    subscription_id: str
    roundtable_id: str
    url: str
    event_types: list[str]
    owner_role: str
    owner_country: str | None
    active: bool
    created_at: datetime


class DeliveryView(BaseModel):
    """One notification to a participant and where it stands."""

    notification_id: str
    channel: Literal["email", "webhook"]
    kind: str
    source_id: str = Field(description="Source event id, or reminder id for reminders.")
    status: Literal["pending", "sending", "sent", "failed", "cancelled"]
    attempts: int
    created_at: datetime
    sent_at: datetime | None = None
    last_error: str | None = None


class CommandStatusView(BaseModel):
    command_id: str
    command_type: str
    status: Literal["accepted", "rejected"]
    subject_id: str
    code: str | None = None
    reason: str | None = None


def _store(request: Request) -> NotificationsStore:
    store: NotificationsStore = request.app.state.runtime.store
    return store


@router.get("/internal/subscriptions", response_model=list[SubscriptionView])
async def list_subscriptions(
    request: Request,
    roundtable_id: str | None = None,
    owner_role: str | None = None,
    owner_country: str | None = Query(default=None, pattern=r"^[A-Z]{2}$"),
    include_deleted: bool = False,
    page: Page = Depends(),
) -> list[SubscriptionView]:
    query: dict[str, Any] = {}
    if roundtable_id is not None:
        query["roundtable_id"] = roundtable_id
    if owner_role is not None:
        query["owner_role"] = owner_role
    if owner_country is not None:
        query["owner_country"] = owner_country
    if not include_deleted:
        query["active"] = True
    docs = await _store(request).list_subscriptions(query)
    views = [SubscriptionView(subscription_id=d.pop("_id"), **d) for d in docs]
    return page.cut(views, lambda view: view.subscription_id)


@router.get("/internal/subscriptions/{subscription_id}", response_model=SubscriptionView)
async def get_subscription(request: Request, subscription_id: str) -> SubscriptionView:
    doc = await _store(request).subscription(subscription_id)
    if doc is None:
        raise HTTPException(status_code=404, detail="unknown subscription")
    doc.pop("secret", None)
    return SubscriptionView(subscription_id=doc.pop("_id"), **doc)


@router.get(
    "/roundtables/{roundtable_id}/participants/{participant_id}/deliveries",
    response_model=list[DeliveryView],
)
async def participant_deliveries(
    request: Request, roundtable_id: str, participant_id: str, page: Page = Depends()
) -> list[DeliveryView]:
    docs = await _store(request).deliveries_of(roundtable_id, participant_id)
    views = [
        DeliveryView(
            notification_id=d["_id"],
            channel=d["channel"],
            kind=d["kind"],
            source_id=d["source_id"],
            status=d["status"],
            attempts=d["attempts"],
            created_at=d["created_at"],
            sent_at=d.get("sent_at"),
            last_error=d.get("last_error"),
        )
        for d in docs
    ]
    return page.cut(views, lambda view: view.notification_id)


@router.get("/internal/commands/{command_id}", response_model=CommandStatusView)
async def command_status(request: Request, command_id: str) -> CommandStatusView:
    doc = await _store(request).command(command_id)
    if doc is None:
        raise HTTPException(status_code=404, detail="unknown command (not handled yet?)")
    return CommandStatusView(
        command_id=doc["_id"],
        command_type=doc["command_type"],
        status=doc["status"],
        subject_id=doc["subject_id"],
        code=doc.get("code"),
        reason=doc.get("reason"),
    )
