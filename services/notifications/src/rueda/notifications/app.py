"""Composition root of the notifications service: settings, clients, broker and app."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import structlog
from fastapi import FastAPI
from pydantic import Field, SecretStr, model_validator

from rueda.shared.messaging import publishing
from rueda.shared.service import ServiceRuntime, service_app
from rueda.shared.settings import RuedaSettings

from .adapters import (
    INDEXES,
    HttpWebhookClient,
    Mailer,
    NotificationsStore,
    SmtpMailer,
    WebhookClient,
)
from .api import router
from .compose import EmailComposer
from .consumers import wire_consumers
from .domain import Clock, SystemClock
from .handlers import EVENTS, NotificationHandlers
from .outbound import DeliveryWorker, ReminderWorker, RetryPolicy

__all__ = ["NotificationsRuntime", "NotificationsSettings", "create_app", "main"]

log = structlog.get_logger("rueda.notifications")

Document = dict[str, Any]


class NotificationsSettings(RuedaSettings):
    """Settings of the notifications service (environment, prefix `RUEDA_`)."""

    service_name: str = "notifications"
    smtp_host: str = Field(default="127.0.0.1", description="RUEDA_SMTP_HOST")
    smtp_port: int = Field(default=25, ge=1, le=65535, description="RUEDA_SMTP_PORT")
    smtp_username: str | None = Field(default=None, description="RUEDA_SMTP_USERNAME")
    smtp_password: SecretStr | None = Field(default=None, description="RUEDA_SMTP_PASSWORD")
    smtp_starttls: bool = Field(default=False, description="Upgrade with STARTTLS (port 587).")
    smtp_tls: bool = Field(default=False, description="Implicit TLS (port 465).")
    smtp_timeout_s: float = Field(default=20.0, gt=0)
    mail_from: str = Field(default="Rueda <no-reply@rueda.localhost>", description="From header.")
    email_max_attempts: int = Field(default=8, ge=1)
    webhook_max_attempts: int = Field(default=6, ge=1)
    retry_base_s: float = Field(default=2.0, gt=0, description="First retry after about this.")
    retry_max_s: float = Field(default=900.0, gt=0, description="Longest wait between tries.")
    webhook_timeout_s: float = Field(default=10.0, gt=0)
    webhook_private_addresses: bool | None = Field(
        default=None,
        description="RUEDA_WEBHOOK_PRIVATE_ADDRESSES: may webhooks reach loopback/private "
        "addresses? Default: only outside production (local receivers in development).",
    )
    delivery_lease_s: float = Field(
        default=120.0, gt=0, description="A claimed delivery is retaken after this (crash)."
    )
    delivery_concurrency: int = Field(default=4, ge=1, le=64)
    delivery_batch: int = Field(
        default=50, ge=1, le=1000, description="Deliveries a worker task claims and sends at once."
    )
    worker_poll_s: float = Field(default=1.0, gt=0)
    matches_in_email: int = Field(default=3, ge=1, le=10)
    matches_digest_delay_s: float = Field(
        default=300.0,
        ge=0,
        description="Match proposals change with every approval: one e-mail per participant "
        "and day, sent this long after the first proposals, with the latest ones.",
    )

    @property
    def webhooks_https_only(self) -> bool:
        """Production: webhooks go to https on port 443 only."""
        return self.env == "production"

    @property
    def webhooks_reach_private(self) -> bool:
        if self.webhook_private_addresses is not None:
            return self.webhook_private_addresses
        return self.env != "production"

    @model_validator(mode="after")
    def _safe(self) -> NotificationsSettings:
        if self.smtp_starttls and self.smtp_tls:
            raise ValueError("RUEDA_SMTP_STARTTLS and RUEDA_SMTP_TLS exclude each other")
        if self.delivery_lease_s <= 2 * max(self.smtp_timeout_s, self.webhook_timeout_s):
            raise ValueError("delivery_lease_s must exceed twice the SMTP and webhook timeouts")
        if self.env == "production":
            if not (self.smtp_starttls or self.smtp_tls):
                raise ValueError(
                    "production sends e-mail over TLS: set RUEDA_SMTP_STARTTLS or RUEDA_SMTP_TLS"
                )
            password = self.smtp_password.get_secret_value() if self.smtp_password else ""
            if self.smtp_username and not password:
                raise ValueError("RUEDA_SMTP_PASSWORD must be set with RUEDA_SMTP_USERNAME")
            if "rueda.localhost" in self.mail_from:
                raise ValueError("RUEDA_MAIL_FROM must be set outside development")
        return self


class NotificationsRuntime(ServiceRuntime):
    """The shared runtime plus the delivery and reminder workers.

    `clock`, `mailer` and `webhooks` are ports: tests pass a manual clock or fakes.
    """

    settings: NotificationsSettings

    def __init__(
        self,
        settings: NotificationsSettings,
        *,
        clock: Clock | None = None,
        mailer: Mailer | None = None,
        webhooks: WebhookClient | None = None,
    ) -> None:
        super().__init__(settings, indexes=INDEXES)
        self.clock: Clock = clock or SystemClock()
        self.mailer: Mailer = mailer or SmtpMailer(
            settings.smtp_host,
            settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            start_tls=settings.smtp_starttls,
            use_tls=settings.smtp_tls,
            timeout_s=settings.smtp_timeout_s,
        )
        self._webhooks = webhooks
        self._store: NotificationsStore | None = None
        self.sender: DeliveryWorker | None = None
        self.reminders: ReminderWorker | None = None

    @property
    def store(self) -> NotificationsStore:
        if self._store is None:
            raise RuntimeError("the runtime is not started")
        return self._store

    def wire(self) -> None:
        """Build the handlers and workers over the opened database; register subscribers."""
        s = self.settings
        self._store = NotificationsStore(self.db)
        webhooks = self._webhooks or HttpWebhookClient(
            s.webhook_timeout_s,
            allow_private=s.webhooks_reach_private,
            https_only=s.webhooks_https_only,
        )
        sealer = s.sealer()
        self._webhooks = webhooks
        lease = timedelta(seconds=s.delivery_lease_s)
        self.sender = DeliveryWorker(
            store=self.store,
            uow=self.uow,
            clock=self.clock,
            mailer=self.mailer,
            webhooks=webhooks,
            composer=EmailComposer(s.mail_from, top_matches=s.matches_in_email),
            dead_letter=self.dead_letter_webhook,
            email_policy=RetryPolicy(
                max_attempts=s.email_max_attempts, base_s=s.retry_base_s, cap_s=s.retry_max_s
            ),
            webhook_policy=RetryPolicy(
                max_attempts=s.webhook_max_attempts, base_s=s.retry_base_s, cap_s=s.retry_max_s
            ),
            lease=lease,
            sealer=sealer,
            poll_s=s.worker_poll_s,
            concurrency=s.delivery_concurrency,
            batch=s.delivery_batch,
        )
        self.reminders = ReminderWorker(
            store=self.store,
            uow=self.uow,
            clock=self.clock,
            lease=lease,
            on_queued=self.sender.wake,
            poll_s=s.worker_poll_s,
        )
        handlers = NotificationHandlers(
            uow=self.uow,
            store=self.store,
            clock=self.clock,
            consumer_group=s.group("notifications"),
            sealer=sealer,
            on_queued=self.sender.wake,
            digest_delay=timedelta(seconds=s.matches_digest_delay_s),
            https_only=s.webhooks_https_only,
        )
        wire_consumers(self.broker, s, handlers)

    async def dead_letter_webhook(self, delivery: Document, error: str) -> None:
        """A webhook that failed for good: its body, unchanged, to `notifications.events.v1.dlq`."""
        headers = {
            "content-type": "application/json",
            "event_type": delivery["event_type"],
            "event_id": delivery["source_id"],
            "x-error-stage": "webhook-delivery",
            "x-error-message": error[:4000],
            "x-attempts": str(delivery["attempts"]),
            "x-notification-id": delivery["_id"],
            "x-subscription-id": delivery["recipient"],
            "x-consumer-group": self.settings.group("notifications"),
        }
        await publishing(
            self.broker,
            lambda: self.broker.publish(
                delivery["body"].encode(),
                topic=EVENTS.dlq_physical(self.settings.topic_prefix),
                key=delivery["recipient"].encode(),
                headers=headers,
            ),
        )

    async def start(
        self, wire: Callable[[ServiceRuntime], Awaitable[None] | None] | None = None
    ) -> None:
        async def wire_all(rt: ServiceRuntime) -> None:
            self.wire()
            if wire is not None:
                extra = wire(rt)
                if extra is not None:
                    await extra

        await super().start(wire_all)
        # every stored webhook secret sealed under the current key (legacy plain ones too)
        resealed = await self.store.reseal_secrets(self.settings.sealer())
        if resealed:
            log.info("webhook secrets resealed", count=resealed)
        assert self.sender is not None
        assert self.reminders is not None
        self.sender.start()
        self.reminders.start()

    async def stop(self) -> None:
        """Finish in-flight sends first (a restart must not leave one half-done)."""
        for worker in (self.reminders, self.sender):
            if worker is not None:
                await worker.stop(drain_s=self.settings.graceful_timeout_s)
        if self._webhooks is not None:
            await self._webhooks.aclose()
        await super().stop()


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    settings = settings or NotificationsSettings()
    runtime = NotificationsRuntime(settings)
    return service_app(
        runtime,
        wire=lambda rt: None,
        routers=[router],
        title="rueda-notifications",
        description="E-mail with calendar invites, reminders and signed webhooks.",
    )


def main() -> None:
    from rueda.shared.service import run_service

    settings = NotificationsSettings()
    run_service(create_app(settings), settings)
