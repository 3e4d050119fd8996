"""Registration on real Kafka and SecantusDB: command -> state -> event, idempotent redelivery."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from tests.support.kafka import envelopes, produce, read_all
from tests.support.rounds import exporter, roundtable

from rueda.registration.adapters import INDEXES
from rueda.registration.app import RegistrationSettings, wire
from rueda.shared.contracts import Envelope, ParticipantProfile, topic
from rueda.shared.contracts.registration import (
    CreateRoundtable,
    RegisterParticipant,
    ReviewParticipant,
)
from rueda.shared.mongo import open_mongo
from rueda.shared.service import ServiceRuntime

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

COMMANDS, EVENTS = topic("registration.commands.v1"), topic("registration.events.v1")


@pytest.fixture
async def registration(
    make_settings: Callable[..., RegistrationSettings],
) -> AsyncIterator[ServiceRuntime]:
    rt = ServiceRuntime(make_settings("registration", RegistrationSettings), indexes=INDEXES)
    await rt.start(wire)
    yield rt
    await rt.stop()


async def test_commands_become_state_and_events_once_even_when_redelivered(
    registration: ServiceRuntime,
) -> None:
    s = registration.settings
    rt_id = f"rt-{uuid.uuid4().hex[:6]}"
    body = roundtable()
    create = CreateRoundtable.model_validate(
        {
            **{
                k: body[k]
                for k in (
                    "name",
                    "agencies",
                    "exporter_countries",
                    "importer_countries",
                    "sectors",
                    "matching",
                    "usd_rates",
                )
            },
            "calendar": {"days": body["days"]},
        }
    )
    profile = ParticipantProfile.model_validate({**exporter(4), "participant_id": "p-7"})
    assert profile.country == "CL"
    commands = [
        Envelope.wrap(create, producer="gateway", roundtable_id=rt_id, correlation_id="c1"),
        Envelope.wrap(
            RegisterParticipant(profile=profile),
            producer="gateway",
            roundtable_id=rt_id,
            correlation_id="c2",
        ),
        Envelope.wrap(
            ReviewParticipant(
                participant_id="p-7",
                decision="approve",
                reviewer_role="agency",
                reviewer_country="MX",
            ),
            producer="gateway",
            roundtable_id=rt_id,
            correlation_id="c3",
        ),
        Envelope.wrap(
            ReviewParticipant(
                participant_id="p-7",
                decision="approve",
                reviewer_role="agency",
                reviewer_country="CL",
            ),
            producer="gateway",
            roundtable_id=rt_id,
            correlation_id="c4",
        ),
    ]
    for env in commands + commands:  # every command delivered twice
        await produce(s.kafka_bootstrap, s.topic(COMMANDS), env.to_bytes(), key=rt_id.encode())

    events = envelopes(await read_all(s.kafka_bootstrap, s.topic(EVENTS), at_least=4))
    assert [e.event_type for e in events] == [
        "RoundtableOpened",
        "ParticipantRegistered",
        "CommandRejected",
        "ParticipantApproved",
    ]
    assert [e.correlation_id for e in events] == ["c1", "c2", "c3", "c4"]
    assert [e.causation_id for e in events] == [c.event_id for c in commands]
    rejected = events[2].payload()
    assert rejected.code == "forbidden"  # type: ignore[attr-defined]

    client = open_mongo(s.mongo_uri)
    try:
        db = client[s.database]
        doc = await db.participants.find_one({"_id": "p-7"})
        assert doc is not None
        assert (doc["status"], doc["reviewed_by"]) == ("approved", "CL")
        assert await db.participants.count_documents({}) == 1
        statuses = {d["_id"]: d["status"] async for d in db.commands.find()}
        assert statuses == {
            str(commands[0].event_id): "accepted",
            str(commands[1].event_id): "accepted",
            str(commands[2].event_id): "rejected",
            str(commands[3].event_id): "accepted",
        }
    finally:
        await client.close()
