"""Subscriptions of the notifications service: which topics, which messages, which handler."""

from __future__ import annotations

from faststream.kafka import KafkaBroker

from rueda.shared.contracts import TopicSpec, topic
from rueda.shared.contracts.notifications import CreateSubscription, DeleteSubscription
from rueda.shared.messaging import Handler, subscribe
from rueda.shared.settings import RuedaSettings

from .handlers import NotificationHandlers

__all__ = ["COMMANDS", "SOURCES", "wire_consumers"]

SERVICE = "notifications"
#: every events topic but our own (no loops), and the public deals topic
SOURCES: tuple[TopicSpec, ...] = tuple(
    topic(name)
    for name in (
        "registration.events.v1",
        "matching.events.v1",
        "scheduling.events.v1",
        "deals.events.v1",
        "deals.closed.v1",
    )
)
COMMANDS = topic("notifications.commands.v1")


def wire_consumers(
    broker: KafkaBroker, settings: RuedaSettings, handlers: NotificationHandlers
) -> None:
    for spec in SOURCES:
        routes: dict[type, Handler] = {
            cls: handlers.on_event for cls in spec.messages if cls.message_kind == "event"
        }
        # one transaction for each run of events a poll brings (a schedule is thousands)
        subscribe(
            broker,
            settings,
            topic=spec,
            service=SERVICE,
            routes=routes,
            batch_routes=dict.fromkeys(routes, handlers.on_events),
        )
    subscribe(
        broker,
        settings,
        topic=COMMANDS,
        service=SERVICE,
        routes={
            CreateSubscription: handlers.on_create_subscription,
            DeleteSubscription: handlers.on_delete_subscription,
        },
    )
