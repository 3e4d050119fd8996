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


def _create(rt_id: str, correlation_id: str = "c0") -> Envelope:
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
    return Envelope.wrap(
        create, producer="gateway", roundtable_id=rt_id, correlation_id=correlation_id
    )


async def test_a_backlog_of_commands_is_handled_in_batches_each_answered_on_its_own(
    make_settings: Callable[..., RegistrationSettings],
) -> None:
    """Commands waiting on the topic go a batch at a time (one transaction); each is still
    accepted or rejected alone, and a later one sees what an earlier one in its batch did."""
    settings = make_settings("registration", RegistrationSettings)
    rt_id = f"rt-{uuid.uuid4().hex[:6]}"
    profiles = [
        ParticipantProfile.model_validate({**exporter(i), "participant_id": f"b-{i}"})
        for i in range(20)
    ]
    # the same company again under another id, in the same backlog: a duplicate
    again = ParticipantProfile.model_validate({**exporter(3), "participant_id": "b-again"})
    commands = [_create(rt_id)] + [
        Envelope.wrap(
            RegisterParticipant(profile=p),
            producer="gateway",
            roundtable_id=rt_id,
            correlation_id=f"c-{p.participant_id}",
        )
        for p in [*profiles, again]
    ]
    for env in commands:
        await produce(
            settings.kafka_bootstrap, settings.topic(COMMANDS), env.to_bytes(), key=rt_id.encode()
        )
    rt = ServiceRuntime(settings, indexes=INDEXES)
    await rt.start(wire)
    try:
        events = envelopes(
            await read_all(settings.kafka_bootstrap, settings.topic(EVENTS), at_least=22)
        )
        assert [e.event_type for e in events] == [
            "RoundtableOpened",
            *["ParticipantRegistered"] * 20,
            "CommandRejected",
        ]
        assert events[-1].payload().code == "duplicate_participant"  # type: ignore[attr-defined]
        assert [e.causation_id for e in events] == [c.event_id for c in commands]
        inbox = await rt.db["inbox"].find({}).to_list()
        assert len(inbox) == len(commands)
        assert len({doc["at"] for doc in inbox}) < len(commands)  # not one transaction each
        statuses = {d["_id"]: d["status"] async for d in rt.db["commands"].find()}
        assert statuses == {
            **{str(c.event_id): "accepted" for c in commands[:-1]},
            str(commands[-1].event_id): "rejected",
        }
    finally:
        await rt.stop()


async def test_commands_become_state_and_events_once_even_when_redelivered(
    registration: ServiceRuntime,
) -> None:
    s = registration.settings
    rt_id = f"rt-{uuid.uuid4().hex[:6]}"
    profile = ParticipantProfile.model_validate({**exporter(4), "participant_id": "p-7"})
    assert profile.country == "CL"
    commands = [
        _create(rt_id, correlation_id="c1"),
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
