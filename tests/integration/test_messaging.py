"""Reliable messaging on real Apache Kafka and SecantusDB."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import TopicPartition
from tests.support import pingpong
from tests.support.kafka import envelopes, eventually, produce, read_all, send
from tests.support.pingpong import COMMANDS, EVENTS, SEEN, Ping, Pong, PongSeen

from rueda.shared.contracts import Envelope
from rueda.shared.messaging import (
    PRODUCER_STATE_ERRORS,
    OutboxMessage,
    make_broker,
    publish_messages,
    renew_producer,
)
from rueda.shared.messaging.broker import current_producer
from rueda.shared.mongo import open_mongo
from rueda.shared.service import ServiceRuntime
from rueda.shared.settings import RuedaSettings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
async def runtimes() -> AsyncIterator[list[ServiceRuntime]]:
    started: list[ServiceRuntime] = []
    yield started
    for rt in started:
        await rt.stop()


async def _start(rts: list[ServiceRuntime], settings: RuedaSettings, wire) -> ServiceRuntime:
    rt = ServiceRuntime(settings)
    await rt.start(wire)
    rts.append(rt)
    return rt


async def test_correlation_propagates_across_two_hops(
    make_settings: Callable[..., RuedaSettings], runtimes: list[ServiceRuntime], prefix: str
) -> None:
    alpha = make_settings("alpha")
    await _start(runtimes, alpha, pingpong.wire_alpha)
    await _start(runtimes, make_settings("beta"), pingpong.wire_beta)

    sent = await send(
        alpha.kafka_bootstrap,
        alpha.topic(COMMANDS),
        Ping(n=7),
        roundtable_id="rt-1",
        correlation_id="req-abc",
    )

    pong = envelopes(await read_all(alpha.kafka_bootstrap, alpha.topic(EVENTS), at_least=1))
    seen = envelopes(await read_all(alpha.kafka_bootstrap, alpha.topic(SEEN), at_least=1))
    assert [e.payload_as(Pong).n for e in pong] == [7]
    assert [e.payload_as(PongSeen).n for e in seen] == [7]
    assert pong[0].correlation_id == seen[0].correlation_id == "req-abc"
    assert pong[0].causation_id == sent.event_id
    assert seen[0].causation_id == pong[0].event_id
    assert pong[0].producer == "alpha"
    assert seen[0].producer == "beta"
    assert pong[0].roundtable_id == "rt-1"


async def test_poison_messages_go_to_the_dead_letter_topic(
    make_settings: Callable[..., RuedaSettings], runtimes: list[ServiceRuntime]
) -> None:
    settings = make_settings("alpha", handler_max_attempts=3)
    await _start(runtimes, settings, pingpong.wire_alpha)
    boot, commands = settings.kafka_bootstrap, settings.topic(COMMANDS)
    key = b"rt-poison"  # one key: one partition, so later messages must get past the poison

    await produce(boot, commands, b"{not json", key=key)
    bad = Envelope.wrap(Ping(n=1), producer="t", roundtable_id="rt-poison", correlation_id="c")
    wrong_schema = bad.model_copy(update={"data": {"n": "not a number"}})
    await produce(boot, commands, wrong_schema.to_bytes(), key=key)
    await send(boot, commands, Ping(n=2, fail="always"), roundtable_id="rt-poison")
    await send(boot, commands, Ping(n=3), roundtable_id="rt-poison")

    dead = await read_all(boot, settings.topic(COMMANDS) + ".dlq", at_least=3)
    events = envelopes(await read_all(boot, settings.topic(EVENTS), at_least=1))
    assert [e.payload_as(Pong).n for e in events] == [3]
    assert len(dead) == 3
    headers = [dict((k, v.decode()) for k, v in r.headers) for r in dead]
    assert [h["x-error-stage"] for h in headers] == ["parse", "parse", "handler"]
    assert headers[0]["x-error-type"] == "ValidationError"
    assert headers[2]["x-error-type"] == "RuntimeError"
    assert "always fails" in headers[2]["x-error-message"]
    assert headers[2]["x-attempts"] == "3"
    assert {h["x-original-topic"] for h in headers} == {commands}
    assert len({(h["x-original-partition"], h["x-original-offset"]) for h in headers}) == 3
    assert dead[0].value == b"{not json"
    assert dead[0].key == key


def _worker(settings: RuedaSettings, crash: str | None, flag: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        {
            "RUEDA_KAFKA_BOOTSTRAP": settings.kafka_bootstrap,
            "RUEDA_MONGO_URI": settings.mongo_uri,
            "RUEDA_TOPIC_PREFIX": settings.topic_prefix,
            "RUEDA_DB_NAME": settings.database,
            "RUEDA_KAFKA_IDEMPOTENCE": str(settings.kafka_idempotence).lower(),
            "RUEDA_FETCH_MAX_WAIT_MS": "50",
            "RUEDA_KAFKA_SESSION_TIMEOUT_MS": "3000",
            "RUEDA_KAFKA_HEARTBEAT_INTERVAL_MS": "500",
            "RUEDA_OUTBOX_POLL_S": "0.2",
            "RUEDA_LOG_FORMAT": "json",
            "PINGPONG_CRASH": crash or "",
            "PINGPONG_CRASH_FLAG": str(flag),
        }
    )
    return subprocess.Popen([sys.executable, "-m", "tests.support.pingpong"], cwd=REPO, env=env)


async def _wait_exit(proc: subprocess.Popen[bytes], within_s: float = 60) -> int:
    async def exited() -> bool:
        return proc.poll() is not None

    await eventually(exited, within_s=within_s, what="worker exit")
    assert proc.returncode is not None
    return proc.returncode


async def _group_caught_up(settings: RuedaSettings) -> bool:
    """The alpha group committed every offset of the commands topic."""
    from aiokafka import AIOKafkaConsumer

    admin = AIOKafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap)
    await admin.start()
    await consumer.start()
    try:
        committed = await admin.list_consumer_group_offsets(settings.group("alpha"))
        topic = settings.topic(COMMANDS)
        tps = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        ends = await consumer.end_offsets(tps)
        return all(
            committed.get(tp) is not None and committed[tp].offset >= ends[tp]
            for tp in tps
            if ends[tp] > 0
        )
    finally:
        await consumer.stop()
        await admin.close()


async def _outbox_drained(settings: RuedaSettings) -> bool:
    client = open_mongo(settings.mongo_uri)
    try:
        return await client[settings.database]["outbox"].count_documents({"sent": False}) == 0
    finally:
        await client.close()


async def _effects(settings: RuedaSettings, roundtable_id: str) -> int:
    client = open_mongo(settings.mongo_uri)
    try:
        doc = await client[settings.database]["effects"].find_one({"_id": roundtable_id})
        return int(doc["n"]) if doc else 0
    finally:
        await client.close()


@pytest.mark.parametrize("crash", ["after_effect", "before_publish"])
async def test_sigkill_mid_message_loses_nothing_and_duplicates_nothing(
    make_settings: Callable[..., RuedaSettings], workdir: Path, crash: str
) -> None:
    """after_effect: killed after the transaction committed, before the Kafka commit: the
    redelivered message has no second effect. before_publish: killed between the state write
    and the publish: the event is published once after restart."""
    settings = make_settings("alpha")
    flag = workdir / "crashed"
    rt_id = f"rt-{uuid.uuid4().hex[:6]}"
    first = _worker(settings, crash, flag)
    try:
        await send(
            settings.kafka_bootstrap, settings.topic(COMMANDS), Ping(n=1), roundtable_id=rt_id
        )
        assert await _wait_exit(first) == -signal.SIGKILL
        assert flag.read_text() == crash
        assert await _effects(settings, rt_id) == 1
        if crash == "before_publish":
            assert not await _outbox_drained(settings)
    finally:
        if first.poll() is None:
            first.kill()
    second = _worker(settings, None, flag)
    try:
        await eventually(lambda: _group_caught_up(settings), within_s=90, what="redelivery")
        await eventually(lambda: _outbox_drained(settings), within_s=30, what="outbox drained")
        events = envelopes(await read_all(settings.kafka_bootstrap, settings.topic(EVENTS)))
        assert [e.payload_as(Pong).n for e in events] == [1]
        assert await _effects(settings, rt_id) == 1
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.to_thread(second.wait, 30)


async def test_a_producer_the_broker_no_longer_accepts_is_renewed(
    make_settings: Callable[..., RuedaSettings],
) -> None:
    """After a broker restart under load the broker can refuse an idempotent producer's
    sequence for good (OutOfOrderSequenceNumber on every later batch: aiokafka never asks for
    a new producer id). Here the producer's sequence is put out of step with the broker's on
    purpose: publishing refuses once, then goes through on a renewed producer, once."""
    settings = make_settings("alpha")
    broker = make_broker(settings)
    topic = settings.topic(EVENTS)
    key = "rt-sequence"

    def message(n: int) -> OutboxMessage:
        envelope = Envelope.wrap(
            Pong(n=n), producer="alpha", roundtable_id=key, correlation_id=f"seq-{n}"
        )
        return OutboxMessage(topic=topic, key=key, envelope=envelope)

    await broker.connect()
    try:
        await publish_messages(broker, [message(1)])
        first = current_producer(broker)
        assert first is not None
        sequences = first._txn_manager._sequence_numbers
        assert sequences, "the idempotent producer numbered its first batch"
        for tp in list(sequences):
            first._txn_manager.increment_sequence_number(tp, 7)  # a gap the broker refuses

        with pytest.raises(PRODUCER_STATE_ERRORS):  # the failure, as aiokafka reports it
            await first.send_and_wait(topic, b"refused", key=key.encode())
        await publish_messages(broker, [message(2)])

        renewed = current_producer(broker)
        assert renewed is not None
        assert renewed is not first
        assert await renew_producer(broker, first) is False  # already replaced: a no-op
        await publish_messages(broker, [message(3)])
    finally:
        await broker.stop()

    values = [
        e.payload_as(Pong).n
        for e in envelopes(await read_all(settings.kafka_bootstrap, topic, at_least=3))
    ]
    assert values == [1, 2, 3]
