"""The broker factory: safe producer defaults and subscribers that must state their group."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import structlog
from aiokafka import AIOKafkaProducer
from aiokafka.errors import (
    InvalidProducerEpoch,
    OutOfOrderSequenceNumber,
    ProducerFenced,
    UnknownProducerId,
)
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.publisher.state import RealProducer

from ..settings import RuedaSettings

__all__ = [
    "PRODUCER_STATE_ERRORS",
    "current_producer",
    "make_broker",
    "publishing",
    "renew_producer",
]

log = structlog.get_logger(__name__)
T = TypeVar("T")


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


# The broker no longer accepts this producer's sequence numbers: aiokafka fails every later
# batch of the partition the same way and never asks for a new producer id (the Java client
# bumps the epoch). Seen after a broker restart under load. A new producer gets a new id.
PRODUCER_STATE_ERRORS: tuple[type[BaseException], ...] = (
    OutOfOrderSequenceNumber,
    UnknownProducerId,
    InvalidProducerEpoch,
    ProducerFenced,
)

_renewal_locks: weakref.WeakKeyDictionary[KafkaBroker, asyncio.Lock] = weakref.WeakKeyDictionary()


def current_producer(broker: KafkaBroker) -> AIOKafkaProducer | None:
    """The aiokafka producer the broker publishes with now (None when not connected, or
    under FastStream's in-memory test broker)."""
    state = getattr(broker.config.broker_config.producer, "_producer", None)
    producer = getattr(state, "producer", None) if state else None
    return producer if isinstance(producer, AIOKafkaProducer) else None


async def renew_producer(broker: KafkaBroker, failed: AIOKafkaProducer | None) -> bool:
    """Replace `failed` by a new producer with the same settings (so a new producer id and
    sequence numbers from zero); False if another task has already replaced it."""
    if failed is None:
        return False
    stop_failed = failed.stop
    lock = _renewal_locks.setdefault(broker, asyncio.Lock())
    async with lock:
        holder = broker.config.broker_config.producer
        if current_producer(broker) is not failed:
            return False
        fresh = AIOKafkaProducer(**broker._connection_kwargs)
        await fresh.start()
        holder._producer = RealProducer(fresh)  # type: ignore[attr-defined]
    log.warning("kafka_producer_renewed")
    with contextlib.suppress(Exception):
        await stop_failed()
    return True


async def publishing(broker: KafkaBroker, attempt: Callable[[], Awaitable[T]]) -> T:
    """Run `attempt` (which publishes through `broker`); if the broker refused the producer's
    sequence, renew the producer and run it once more. Messages a failed attempt did get
    through are published again: consumers deduplicate on event_id."""
    producer = current_producer(broker)
    try:
        return await attempt()
    except PRODUCER_STATE_ERRORS as exc:
        log.warning("kafka_producer_refused", error=type(exc).__name__)
        await renew_producer(broker, producer)
        return await attempt()
