"""FastStream glue: subscriptions with explicit group and ack policy, publishing, dead letters."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Any

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage

from ..contracts import Contract, Envelope, TopicSpec
from ..settings import RuedaSettings
from .broker import publishing
from .dispatch import BatchHandler, Dispatcher, Handler, RawRecord, error_headers
from .outbox import OutboxMessage

__all__ = ["KafkaDeadLetters", "envelope_headers", "publish_messages", "subscribe"]


def envelope_headers(envelope: Envelope, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Headers every message carries beside its JSON envelope, for routing and tracing."""
    headers = {
        "content-type": "application/json",
        "event_type": envelope.event_type,
        "event_id": str(envelope.event_id),
        "correlation_id": envelope.correlation_id,
        "roundtable_id": envelope.roundtable_id,
    }
    headers.update(extra or {})
    return headers


async def publish_messages(broker: KafkaBroker, messages: Sequence[OutboxMessage]) -> None:
    """Publish in order and wait until the broker acknowledged every one (renewing the
    producer once if the broker refused its sequence)."""

    async def attempt() -> None:
        pending = []
        for message in messages:
            pending.append(
                await broker.publish(
                    message.envelope.to_bytes(),
                    topic=message.topic,
                    key=message.key.encode(),
                    headers=envelope_headers(message.envelope, message.headers),
                    correlation_id=message.envelope.correlation_id,
                    no_confirm=True,
                )
            )
        if pending:
            await asyncio.gather(*pending)

    await publishing(broker, attempt)


class KafkaDeadLetters:
    """Writes a message it could not handle to `<topic>.dlq`, unchanged, with the error."""

    def __init__(self, broker: KafkaBroker) -> None:
        self._broker = broker

    async def send(
        self, record: RawRecord, *, error: BaseException, stage: str, attempts: int, group: str
    ) -> None:
        headers = {k: v.decode(errors="replace") for k, v in record.headers}
        headers.update(
            error_headers(record, error=error, stage=stage, attempts=attempts, group=group)
        )
        await publishing(
            self._broker,
            lambda: self._broker.publish(
                record.value or b"",
                topic=f"{record.topic}.dlq",
                key=record.key,
                headers=headers,
            ),
        )


def subscribe(
    broker: KafkaBroker,
    settings: RuedaSettings,
    *,
    topic: TopicSpec,
    service: str,
    routes: Mapping[type[Contract], Handler],
    batch_routes: Mapping[type[Contract], BatchHandler] | None = None,
) -> Dispatcher:
    """Subscribe `service`'s consumer group to `topic` and route its messages.

    The subscriber commits an offset only after the dispatcher returned (handled or
    dead-lettered): AckPolicy.NACK_ON_ERROR, never FastStream's ACK_FIRST default, and no
    auto-commit. With `batch_routes` it is a batch subscriber: it takes what the broker has
    (up to `consumer_batch` records) and the dispatcher hands consecutive messages of a
    batch-routed type to their batch handler together; a NACK rewinds to the first record.
    """
    group = settings.group(service)
    dispatcher = Dispatcher(
        routes,
        batch_routes=batch_routes,
        group=group,
        dead_letters=KafkaDeadLetters(broker),
        max_attempts=settings.handler_max_attempts,
        retry_backoff_s=settings.retry_backoff_s,
    )
    batched = bool(dispatcher.batch_routes)
    subscriber = broker.subscriber(
        settings.topic(topic),
        batch=batched,
        max_records=settings.consumer_batch if batched else None,
        # an empty poll of a batch subscriber waits this long again: keep it at the fetch wait
        batch_timeout_ms=settings.fetch_max_wait_ms,
        group_id=group,
        ack_policy=AckPolicy.NACK_ON_ERROR,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=settings.fetch_max_wait_ms,
        session_timeout_ms=settings.kafka_session_timeout_ms,
        heartbeat_interval_ms=settings.kafka_heartbeat_interval_ms,
        title=f"{group}:{settings.topic(topic)}",
        description=f"{service} consumes {topic.name}: {topic.description}",
    )

    @subscriber  # type: ignore[untyped-decorator]  # FastStream types `batch: bool` as a union
    async def consume(message: KafkaMessage) -> None:
        raw = message.raw_message
        if isinstance(raw, tuple):
            await dispatcher.dispatch_batch([_record(r) for r in raw])
        else:
            await dispatcher.dispatch(_record(raw))

    return dispatcher


def _record(raw: ConsumerRecord[Any, Any]) -> RawRecord:
    return RawRecord(
        topic=raw.topic,
        partition=raw.partition,
        offset=raw.offset,
        key=raw.key,
        value=raw.value,
        headers=tuple(raw.headers or ()),
    )
