"""The notifications service's use cases on the fake unit of work and the in-memory store:
projections, the deliveries and reminders each event queues, webhook subscriptions."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.support.handlers import deliver, envelope, profile, roundtable_opened

from rueda.notifications.adapters.memory import InMemoryNotificationsStore
from rueda.notifications.domain import ManualClock
from rueda.notifications.handlers import NotificationHandlers
from rueda.shared.contracts import Contract
from rueda.shared.contracts.matching import MatchesProposed
from rueda.shared.contracts.notifications import CreateSubscription, DeleteSubscription
from rueda.shared.contracts.registration import (
    ParticipantApproved,
    ParticipantRegistered,
    ParticipantRejected,
)
from rueda.shared.contracts.scheduling import MeetingCancelled, MeetingRescheduled, MeetingScheduled
from rueda.shared.messaging import TransientError
from rueda.shared.messaging.fakes import FakeUnitOfWork
from rueda.shared.settings import RuedaSettings

pytestmark = pytest.mark.unit

NOW = dt.datetime(2030, 6, 1, 12, 0, tzinfo=dt.UTC)
START = dt.datetime(2030, 6, 24, 13, 0, tzinfo=dt.UTC)
EXPORTER, IMPORTER = profile(0, "e1"), profile(0, "i1", role="importer")


class World:
    def __init__(self) -> None:
        self.uow = FakeUnitOfWork(producer="notifications")
        self.store = InMemoryNotificationsStore()
        self.clock = ManualClock(NOW)
        self.queued = 0
        self.handlers = NotificationHandlers(
            uow=self.uow,
            store=self.store,
            clock=self.clock,
            consumer_group="notifications",
            on_queued=self._on_queued,
            sealer=RuedaSettings().sealer(),
        )

    def _on_queued(self) -> None:
        self.queued += 1

    async def event(self, payload: Contract) -> None:
        await deliver(self.handlers.on_event, envelope(payload))

    async def command(self, handler: str, payload: Contract) -> dict:
        env = envelope(payload)
        await deliver(getattr(self.handlers, handler), env)
        return self.store.commands[str(env.event_id)]

    def kinds(self, pid: str) -> list[str]:
        return sorted(d["kind"] for d in self.store.deliveries.values() if d["recipient"] == pid)


def scheduled(sequence: int = 0, start: dt.datetime = START) -> MeetingScheduled:
    return MeetingScheduled(
        meeting_id="m1",
        exporter_id="e1",
        importer_id="i1",
        exporter_country="CL",
        importer_country="GB",
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        local_times={},
        timezones={"e1": "America/Santiago", "i1": "Europe/London"},
        join_url="https://video.test/m1",
        sequence=sequence,
    )


@pytest.fixture
async def world() -> World:
    w = World()
    await w.event(roundtable_opened())
    for p in (EXPORTER, IMPORTER):
        await w.event(ParticipantRegistered(profile=p))
    return w


async def test_registrations_are_projected_and_each_queues_its_e_mail(world: World) -> None:
    assert world.store.roundtables == {"rt-1": roundtable_opened().name}
    exporter = world.store.participants_by_key["rt-1/e1"]
    assert (exporter["status"], exporter["email"], exporter["country"]) == (
        "pending",
        EXPORTER.contact.email,
        "CL",
    )
    assert world.kinds("e1") == ["registration_received"]
    assert world.queued == 2
    await world.event(ParticipantApproved(profile=EXPORTER, reviewed_by="CL"))
    assert world.store.participants_by_key["rt-1/e1"]["status"] == "approved"
    await world.event(ParticipantRejected(participant_id="i1", reason="x", reviewed_by="admin"))
    assert world.store.participants_by_key["rt-1/i1"]["status"] == "rejected"
    assert world.kinds("e1") == ["registration_approved", "registration_received"]
    assert world.kinds("i1") == ["registration_received", "registration_rejected"]
    assert world.uow.emitted == []  # nothing is published while queueing


async def test_a_redelivered_event_queues_nothing_twice(world: World) -> None:
    env = envelope(ParticipantApproved(profile=EXPORTER, reviewed_by="CL"))
    await deliver(world.handlers.on_event, env)
    await deliver(world.handlers.on_event, env)
    assert world.kinds("e1") == ["registration_approved", "registration_received"]
    assert world.uow.duplicates == 1


async def test_a_scheduled_meeting_invites_both_and_plans_two_reminders(world: World) -> None:
    await world.event(scheduled())
    assert world.store.meetings_by_key["rt-1/m1"]["status"] == "scheduled"
    assert world.kinds("e1") == ["meeting_scheduled", "registration_received"]
    assert world.kinds("i1") == ["meeting_scheduled", "registration_received"]
    due = sorted((r["kind"], r["due_at"]) for r in world.store.reminders.values())
    assert due == [
        ("reminder_15m", START - dt.timedelta(minutes=15)),
        ("reminder_24h", START - dt.timedelta(hours=24)),
    ]


async def test_a_move_skips_the_old_reminders_and_a_stale_version_is_ignored(
    world: World,
) -> None:
    await world.event(scheduled())
    later = START + dt.timedelta(hours=1)
    moved = MeetingRescheduled(
        **scheduled(1, later).model_dump(exclude={"sequence", "starts_at", "ends_at"}),
        starts_at=later,
        ends_at=later + dt.timedelta(minutes=30),
        sequence=1,
        previous_starts_at=START,
    )
    await world.event(moved)
    statuses = sorted((r["sequence"], r["status"]) for r in world.store.reminders.values())
    assert statuses == [(0, "skipped"), (0, "skipped"), (1, "pending"), (1, "pending")]
    await world.event(scheduled(0))  # an older version arriving late
    assert world.store.meetings_by_key["rt-1/m1"]["starts_at"] == later


async def test_a_cancellation_skips_every_reminder(world: World) -> None:
    await world.event(scheduled())
    await world.event(
        MeetingCancelled(
            meeting_id="m1", exporter_id="e1", importer_id="i1", starts_at=START, sequence=1
        )
    )
    assert world.store.meetings_by_key["rt-1/m1"]["status"] == "cancelled"
    assert {r["status"] for r in world.store.reminders.values()} == {"skipped"}
    assert "meeting_cancelled" in world.kinds("e1")


async def test_an_e_mail_to_an_unknown_participant_waits_for_its_registration() -> None:
    w = World()
    with pytest.raises(TransientError):
        await w.event(scheduled())
    assert (w.uow.commits, w.store.deliveries) == (0, {})


async def test_proposals_of_a_day_coalesce_into_one_digest(world: World) -> None:
    for score in (0.5, 0.9):
        await world.event(
            MatchesProposed.model_validate(
                {
                    "participant_id": "e1",
                    "role": "exporter",
                    "matches": [{"counterpart_id": "i1", "score": score, "reasons": []}],
                }
            )
        )
    digests = [d for d in world.store.deliveries.values() if d["kind"] == "matches_proposed"]
    assert len(digests) == 1
    assert digests[0]["data"]["matches"][0]["score"] == 0.9
    assert digests[0]["next_at"] == NOW + dt.timedelta(minutes=5)


def subscription(**changes: object) -> CreateSubscription:
    body = {
        "subscription_id": "s1",
        "url": "https://agency.example/hook",
        "secret": "s" * 32,
        "event_types": ["MeetingScheduled"],
        "owner_role": "agency",
        "owner_country": "CL",
    }
    return CreateSubscription.model_validate(body | changes)


async def test_a_subscription_gets_the_events_of_its_country(world: World) -> None:
    status = await world.command("on_create_subscription", subscription())
    assert (status["status"], status["subject_id"]) == ("accepted", "s1")
    await world.event(scheduled())
    hooks = [d for d in world.store.deliveries.values() if d["channel"] == "webhook"]
    assert [(h["recipient"], h["event_type"]) for h in hooks] == [("s1", "MeetingScheduled")]
    status = await world.command("on_delete_subscription", DeleteSubscription(subscription_id="s1"))
    assert status["status"] == "accepted"
    assert world.store.subscriptions["s1"]["active"] is False


async def test_another_country_s_agency_gets_nothing(world: World) -> None:
    await world.command("on_create_subscription", subscription(owner_country="PE"))
    await world.event(scheduled())
    assert [d for d in world.store.deliveries.values() if d["channel"] == "webhook"] == []


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"url": "ftp://agency.example"}, "invalid_url"),
        ({"owner_country": None}, "missing_country"),
        ({"event_types": [" "]}, "no_event_types"),
    ],
)
async def test_refused_subscriptions(world: World, changes: dict, code: str) -> None:
    status = await world.command("on_create_subscription", subscription(**changes))
    assert (status["status"], status["code"]) == ("rejected", code)
    rejected = world.uow.emitted[-1]
    assert (rejected.key, rejected.envelope.payload().code) == ("s1", code)
    assert rejected.topic == "notifications.events.v1"


async def test_duplicate_and_unknown_subscriptions_are_rejected(world: World) -> None:
    await world.command("on_create_subscription", subscription())
    again = await world.command("on_create_subscription", subscription())
    assert again["code"] == "duplicate_subscription"
    unknown = await world.command(
        "on_delete_subscription", DeleteSubscription(subscription_id="s9")
    )
    assert unknown["code"] == "unknown_subscription"
