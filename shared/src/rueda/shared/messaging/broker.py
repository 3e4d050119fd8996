"""The broker factory: safe producer defaults and subscribers that must state their group."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from faststream import AckPolicy
from faststream.kafka import KafkaBroker

from ..settings import RuedaSettings

__all__ = ["make_broker"]


def make_broker(
    settings: RuedaSettings,
    *,
    middlewares: Sequence[Any] = (),
    description: str | None = None,
) -> KafkaBroker:
    """A FastStream Kafka broker with acks=all and the idempotent producer (unless disabled).

    Topics are never auto-created: they come from the registry (`rueda infra up`, Strimzi).
    Subscribers must be registered through `rueda.shared.messaging.subscribe`, which sets an
    explicit group and ack policy; the broker's default policy is NACK_ON_ERROR so that even a
    subscriber registered otherwise never acks before its handler finished.
    """
    idempotent = settings.kafka_idempotence
    return KafkaBroker(
        settings.kafka_bootstrap,
        acks="all" if idempotent else 1,
        enable_idempotence=idempotent,
        allow_auto_create_topics=False,
        client_id=f"rueda-{settings.service_name}",
        graceful_timeout=settings.graceful_timeout_s,
        ack_policy=AckPolicy.NACK_ON_ERROR,
        middlewares=tuple(middlewares),
        description=description,
        request_timeout_ms=15000,
        log_level=logging.DEBUG,
    )
