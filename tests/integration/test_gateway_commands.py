"""The gateway's command bus on real Kafka and SecantusDB: a command whose publication was
not confirmed (a broker error, or a gateway SIGKILLed between claiming the Idempotency-Key and
answering) is published again, the same command, when the caller retries with its key.

Found by the reliability suite: a gateway killed mid-request left the key pending forever,
every retry got 409 and the command (an outcome report) was lost."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import Request
from tests.support.kafka import envelopes, read_all

from rueda.gateway.auth import Principal
from rueda.gateway.commands import CommandBus
from rueda.gateway.errors import ApiError
from rueda.shared.contracts import topic
from rueda.shared.contracts.registration import ReviewParticipant
from rueda.shared.messaging.broker import make_broker
from rueda.shared.mongo import open_mongo
from rueda.shared.settings import RuedaSettings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

COMMANDS = topic("registration.commands.v1")


def request(key: str) -> Request:
    path = "/v1/roundtables/rt-1/participants/p-1/review"
    return Request(
        {
            "type": "http",
            "method": "POST",
            "scheme": "http",
            "server": ("testserver", 80),
            "path": path,
            "query_string": b"",
            "headers": [(b"idempotency-key", key.encode())],
        }
    )


async def test_a_command_not_confirmed_is_published_again_with_its_key(
    make_settings: Callable[..., RuedaSettings],
) -> None:
    settings = make_settings("gateway")
    client = open_mongo(settings.mongo_uri)
    db = client[settings.db_name]
    command = ReviewParticipant(participant_id="p-1", decision="approve", reviewer_role="organizer")
    principal = Principal(role="organizer", subject="organizer", roundtable_id="rt-1")
    body = {"decision": "approve"}

    async def send(bus: CommandBus) -> object:
        return await bus.send(
            request("review-p-1"),
            principal,
            command,
            topic=COMMANDS,
            service="registration",
            roundtable_id="rt-1",
            body={"participant_id": "p-1"},
            idempotency_body=body,
        )

    # the first attempt claims the key but cannot publish (the broker is not connected)
    unreachable = make_broker(settings.model_copy(update={"kafka_bootstrap": "127.0.0.1:1"}))
    with pytest.raises(ApiError) as refused:
        await send(CommandBus(unreachable, db, settings))
    assert refused.value.status == 503
    pending = await db.idempotency.find_one({})
    assert pending is not None
    assert pending["state"] == "pending"

    broker = make_broker(settings)
    await broker.start()
    try:
        bus = CommandBus(broker, db, settings)
        retried = await send(bus)
        replayed = await send(bus)
    finally:
        await broker.stop()
        await client.close()

    first = retried.body  # type: ignore[attr-defined]
    assert retried.status_code == 202  # type: ignore[attr-defined]
    assert replayed.headers["idempotent-replayed"] == "true"  # type: ignore[attr-defined]
    assert replayed.body == first  # type: ignore[attr-defined]
    records = await read_all(
        settings.kafka_bootstrap, COMMANDS.physical(settings.topic_prefix), at_least=1, settle_s=1
    )
    published = envelopes(records)
    assert [str(e.event_id) for e in published] == [pending["response"]["body"]["command_id"]]
    assert published[0].payload_as(ReviewParticipant) == command
