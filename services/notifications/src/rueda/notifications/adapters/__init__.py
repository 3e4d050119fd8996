"""Adapters of the notifications service: MongoDB store, SMTP mailer, webhook HTTP client."""

from .mongo import (
    COLLECTIONS,
    INDEXES,
    DeliveryStatus,
    NotificationsStore,
)
from .smtp import Mailer, MailSession, MemoryMailer, SmtpMailer
from .webhooks import HttpWebhookClient, MemoryWebhookClient, WebhookClient

__all__ = [
    "COLLECTIONS",
    "INDEXES",
    "DeliveryStatus",
    "HttpWebhookClient",
    "MailSession",
    "Mailer",
    "MemoryMailer",
    "MemoryWebhookClient",
    "NotificationsStore",
    "SmtpMailer",
    "WebhookClient",
]
