"""Contracts of the notifications service: commands and events topics."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ._base import Command, Event
from .common import CountryCode

__all__ = [
    "CreateSubscription",
    "DeleteSubscription",
    "NotificationFailed",
    "NotificationSent",
]

Channel = Literal["email", "webhook"]


class CreateSubscription(Command):
    """Signed webhooks for an agency or organizer."""

    subscription_id: str
    url: str = Field(min_length=8, max_length=2000)
    secret: str = Field(min_length=16, max_length=256, description="HMAC-SHA256 key.")
    event_types: list[str] = Field(min_length=1)
    owner_role: Literal["organizer", "agency", "admin"]
    owner_country: CountryCode | None = Field(
        default=None, description="Agencies only receive events of their country's participants."
    )


class DeleteSubscription(Command):
    """Deactivate a webhook subscription; no delivery is queued for it afterwards."""

    subscription_id: str


class NotificationSent(Event):
    """A notification (e-mail or webhook) was delivered."""

    notification_id: str = Field(description="Stable id of (source event, recipient, channel).")
    source_event_id: str
    recipient: str = Field(description="Participant id or subscription id (never an address).")
    channel: Channel
    kind: str = Field(description="Message kind, e.g. `meeting_scheduled`.")


class NotificationFailed(Event):
    """A notification could not be delivered after its retries."""

    notification_id: str
    source_event_id: str
    recipient: str
    channel: Channel
    kind: str
    attempts: int = Field(ge=1)
    error: str
