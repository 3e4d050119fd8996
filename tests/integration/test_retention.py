"""Nothing grows for ever: the outbox relay's loop purges inbox records and sent outbox
records past their retention (longer than any topic's), on SecantusDB, under a test clock."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from tests.support.kafka import eventually
from tests.support.servers import Servers

from rueda.shared.contracts import TOPICS
from rueda.shared.messaging import OutboxMessage, OutboxRelay
from rueda.shared.messaging.outbox import RETENTION, purge_handled
from rueda.shared.mongo import open_mongo

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]

T0 = dt.datetime(2031, 1, 1, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
async def db(servers: Servers) -> AsyncIterator[Any]:
    client = open_mongo(servers.mongo_uri)
    name = f"t{uuid.uuid4().hex[:10]}_retention"
    try:
        yield client[name]
    finally:
        await client.drop_database(name)
        await client.close()


async def _fill(db: Any) -> None:
    old, recent = T0 - RETENTION - dt.timedelta(hours=1), T0 - dt.timedelta(days=1)
    await db["inbox"].insert_many([{"_id": "old", "at": old}, {"_id": "recent", "at": recent}])
    await db["outbox"].insert_many(
        [
            {"_id": "sent-old", "seq": 1, "sent": True, "sent_at": old},
            {"_id": "sent-recent", "seq": 2, "sent": True, "sent_at": recent},
            # never published (it would be, by the relay): kept however old
            {"_id": "unsent-old", "seq": 3, "sent": False, "created_at": old},
        ]
    )


async def _ids(db: Any, collection: str) -> list[str]:
    return sorted(d["_id"] for d in await db[collection].find({}, {"_id": 1}).to_list())


def test_the_retention_outlasts_every_topic() -> None:
    longest = max(spec.retention_ms for spec in TOPICS)
    assert dt.timedelta(milliseconds=longest) < RETENTION


async def test_purge_deletes_only_what_is_past_its_retention(db: Any) -> None:
    await _fill(db)
    assert await purge_handled(db, now=T0) == (1, 1)
    assert await _ids(db, "inbox") == ["recent"]
    assert await _ids(db, "outbox") == ["sent-recent", "unsent-old"]
    assert await purge_handled(db, now=T0) == (0, 0)


async def test_the_relay_purges_once_per_interval_by_its_clock(db: Any) -> None:
    async def publish(messages: Sequence[OutboxMessage]) -> None:
        raise AssertionError("nothing is due to publish")

    clock = Clock()
    relay = OutboxRelay(db, publish, clock=clock, purge_every=dt.timedelta(hours=1))
    await _fill(db)
    assert await relay.purge_due() == (1, 1)
    await db["inbox"].insert_one({"_id": "old-2", "at": T0 - RETENTION - dt.timedelta(hours=1)})
    clock.now = T0 + dt.timedelta(minutes=59)
    assert await relay.purge_due() is None  # not due yet: nothing read
    clock.now = T0 + dt.timedelta(hours=1)
    assert await relay.purge_due() == (1, 0)
    assert await _ids(db, "inbox") == ["recent"]


async def test_the_relay_loop_runs_the_purge(db: Any) -> None:
    async def publish(messages: Sequence[OutboxMessage]) -> None:
        return None

    await db["outbox"].delete_many({})
    await db["inbox"].insert_one({"_id": "old", "at": T0 - RETENTION - dt.timedelta(hours=1)})
    relay = OutboxRelay(db, publish, poll_s=0.05, clock=Clock())
    relay.start()
    try:

        async def purged() -> bool:
            return await _ids(db, "inbox") == []

        await eventually(purged, within_s=10, what="the old inbox record purged")
    finally:
        await relay.stop()
