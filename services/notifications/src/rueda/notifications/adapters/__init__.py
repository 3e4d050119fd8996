"""Adapters of the notifications service: MongoDB store, SMTP mailer, webhook HTTP client."""

from .mongo import (
    COLLECTIONS,
    INDEXES,
    DeliveryStatus,
    NotificationsStore,
)
from .smtp import Mailer, MemoryMailer, SmtpMailer
from .webhooks import HttpWebhookClient, MemoryWebhookClient, WebhookClient

__all__ = [
    "COLLECTIONS",
    "INDEXES",
    "DeliveryStatus",
    "HttpWebhookClient",
    "Mailer",
    "MemoryMailer",
    "MemoryWebhookClient",
    "NotificationsStore",
    "SmtpMailer",
    "WebhookClient",
]
