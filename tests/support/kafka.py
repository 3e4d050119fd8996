"""Reading and writing topics in tests, with bounded polls (never bare sleeps)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from rueda.shared.contracts import Contract, Envelope


async def produce(
    bootstrap: str,
    topic: str,
    value: bytes,
    key: bytes | None = None,
    headers: list[tuple[str, bytes]] | None = None,
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, value, key=key, headers=headers or [])
    finally:
        await producer.stop()


async def send(
    bootstrap: str,
    topic: str,
    payload: Contract,
    *,
    roundtable_id: str,
    correlation_id: str = "test-correlation",
    producer: str = "test",
) -> Envelope:
    envelope = Envelope.wrap(
        payload, producer=producer, roundtable_id=roundtable_id, correlation_id=correlation_id
    )
    await produce(bootstrap, topic, envelope.to_bytes(), key=roundtable_id.encode())
    return envelope


async def read_all(
    bootstrap: str, topic: str, *, at_least: int = 0, within_s: float = 30.0, settle_s: float = 0.0
) -> list[Any]:
    """Every record of `topic` from the start up to its end when called, and at least
    `at_least` records: polls until they arrived (or fails).

    With `settle_s`, keeps reading that long after reaching the count, to catch extras.
    """
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=50,
    )
    await consumer.start()
    try:
        partitions = consumer.partitions_for_topic(topic)
        deadline = time.monotonic() + within_s
        while not partitions:
            if time.monotonic() > deadline:
                raise TimeoutError(f"topic {topic} not found")
            await consumer._client.force_metadata_update()
            partitions = consumer.partitions_for_topic(topic)
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        ends = await consumer.end_offsets(tps)
        records: list[Any] = []
        reached_at: float | None = None
        while True:
            now = time.monotonic()
            at_end = all(await asyncio.gather(*(_at(consumer, tp, ends[tp]) for tp in tps)))
            if len(records) >= at_least and at_end:
                reached_at = reached_at or now
                if now - reached_at >= settle_s:
                    return records
            elif now > deadline:
                raise TimeoutError(f"{topic}: {len(records)} records, expected {at_least}")
            batch = await consumer.getmany(timeout_ms=100)
            for recs in batch.values():
                records.extend(recs)
    finally:
        await consumer.stop()


async def _at(consumer: AIOKafkaConsumer, tp: TopicPartition, end: int) -> bool:
    return await consumer.position(tp) >= end


async def eventually(
    check: Callable[[], Awaitable[bool]],
    *,
    within_s: float = 30.0,
    every_s: float = 0.05,
    what: str = "condition",
) -> None:
    """Poll `check` until it is true; fail after `within_s`."""
    deadline = time.monotonic() + within_s
    while True:
        if await check():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(every_s)


def envelopes(records: list[Any]) -> list[Envelope]:
    return [Envelope.from_bytes(r.value) for r in records]
