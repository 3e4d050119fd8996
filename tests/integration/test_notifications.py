"""The notifications service on real Kafka and SecantusDB, with a real SMTP server (aiosmtpd)
and a real HTTP webhook receiver."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import icalendar
import pytest
from fastapi import FastAPI
from tests.support.kafka import envelopes, eventually, produce, read_all, send
from tests.support.notify import (
    MEETING_AT,
    SmtpSink,
    WebhookReceiver,
    profile,
    scheduled,
)

from rueda.notifications.api import router
from rueda.notifications.app import NotificationsRuntime, NotificationsSettings
from rueda.notifications.domain import Clock, ManualClock, notification_id
from rueda.shared.contracts import Agency, CalendarSettings, Contract, Envelope, topic
from rueda.shared.contracts import deals as d
from rueda.shared.contracts import notifications as n
from rueda.shared.contracts import registration as r
from rueda.shared.contracts import scheduling as s
from rueda.shared.contracts.outcomes import CommandRejected

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]

REG = topic("registration.events.v1")
SCHED = topic("scheduling.events.v1")
CLOSED = topic("deals.closed.v1")
COMMANDS = topic("notifications.commands.v1")
EVENTS = topic("notifications.events.v1")

EXP = profile(
    "exp-cl",
    country="CL",
    timezone="America/Santiago",
    languages=["es"],
    company="Frutas del Sur SpA",
)
IMP = profile(
    "imp-gb",
    role="importer",
    country="GB",
    timezone="Europe/London",
    languages=["en-GB"],
    company="London Fine Foods Ltd",
)
BRA = profile(
    "exp-br",
    country="BR",
    timezone="America/Sao_Paulo",
    languages=["pt"],
    company="Café do Vale Ltda",
)


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    hooks = WebhookReceiver().start()
    yield hooks
    hooks.stop()


@pytest.fixture
def settings(
    make_settings: Callable[..., NotificationsSettings], smtp: SmtpSink
) -> NotificationsSettings:
    return make_settings(
        "notifications",
        NotificationsSettings,
        smtp_port=smtp.port,
        mail_from="Rueda <rueda@agencies.example>",
        retry_base_s=0.05,
        retry_max_s=0.3,
        worker_poll_s=0.1,
        smtp_timeout_s=5,
        webhook_timeout_s=2,
        delivery_lease_s=30,
        email_max_attempts=12,
        webhook_max_attempts=3,
        graceful_timeout_s=10,
    )


class Service:
    """Starts notifications replicas in-process and stops every one at the end."""

    def __init__(self, settings: NotificationsSettings) -> None:
        self.settings = settings
        self.running: list[NotificationsRuntime] = []

    async def start(self, clock: Clock | None = None) -> NotificationsRuntime:
        rt = NotificationsRuntime(self.settings, clock=clock)
        await rt.start()
        self.running.append(rt)
        return rt

    async def stop(self, rt: NotificationsRuntime) -> None:
        self.running.remove(rt)
        await rt.stop()

    async def send(self, spec: Any, payload: Contract, rt_id: str = "rt-pa-2020") -> Envelope:
        return await send(
            self.settings.kafka_bootstrap, self.settings.topic(spec), payload, roundtable_id=rt_id
        )


@pytest.fixture
async def service(settings: NotificationsSettings) -> AsyncIterator[Service]:
    svc = Service(settings)
    yield svc
    for rt in list(svc.running):
        await rt.stop()


def opened() -> r.RoundtableOpened:
    return r.RoundtableOpened(
        name="Pacific Alliance e-Business Roundtable 2020",
        calendar=CalendarSettings(days=[dt.date(2020, 6, 23)]),
        agencies=[Agency(code="PROCHILE", name="ProChile", country="CL")],
        exporter_countries=["CL", "BR"],
        importer_countries=["GB"],
        sectors=["fruit"],
        matching={"mode": "auto"},
        usd_rates={"USD": 1},
        self_registration=True,
        registration_open=True,
    )


async def until(what: str, check: Callable[[], bool], within_s: float = 60) -> None:
    async def probe() -> bool:
        return check()

    await eventually(probe, within_s=within_s, every_s=0.05, what=what)


async def test_emails_reach_the_right_people_in_their_language_with_local_times_and_ics(
    service: Service, smtp: SmtpSink
) -> None:
    rt = await service.start()
    await service.send(REG, opened())
    for p in (EXP, IMP, BRA):
        await service.send(REG, r.ParticipantRegistered(profile=p))
    await until("registration e-mails", lambda: smtp.count() == 3)
    await service.send(REG, r.ParticipantApproved(profile=EXP, reviewed_by="PROCHILE"))
    await service.send(
        REG,
        r.ParticipantRejected(
            participant_id="exp-br", reason="CNPJ inválido", reviewed_by="organizer"
        ),
    )
    placed = await service.send(SCHED, scheduled("m-1", EXP, IMP))
    moved_at = MEETING_AT + timedelta(hours=2)
    await service.send(
        SCHED,
        scheduled(
            "m-1",
            EXP,
            IMP,
            starts_at=moved_at,
            sequence=1,
            cls=s.MeetingRescheduled,
            previous_starts_at=MEETING_AT,
            reason="clash",
        ),
    )
    await service.send(
        SCHED,
        s.MeetingCancelled(
            meeting_id="m-1",
            exporter_id="exp-cl",
            importer_id="imp-gb",
            sequence=2,
            reason="importer travelling",
        ),
    )
    await service.send(
        CLOSED,
        d.DealClosed(
            deal_id="deal-1",
            meeting_id="m-1",
            agency_code="PROCHILE",
            exporter_id="exp-cl",
            exporter_country="CL",
            importer_id="imp-gb",
            importer_country="GB",
            sectors=["fruit"],
            products=["0810"],
            status="agreed",
            immediate_usd=150000,
            projected_12m_usd=900000,
            closed_at=MEETING_AT,
        ),
    )
    await until("every e-mail", lambda: smtp.count() == 13)

    # a redelivered event (same event_id) sends nothing; a later event on its partition shows
    # that it has been consumed
    await produce(
        service.settings.kafka_bootstrap,
        service.settings.topic(SCHED),
        placed.to_bytes(),
        key=b"rt-pa-2020",
    )
    await service.send(
        SCHED,
        s.MeetingCancelled(
            meeting_id="m-9", exporter_id="exp-cl", importer_id="imp-gb", sequence=0
        ),
    )
    await until("sentinel e-mails", lambda: smtp.count() == 15)

    exp, imp, bra = (
        smtp.to(EXP.contact.email),
        smtp.to(IMP.contact.email),
        smtp.to(BRA.contact.email),
    )
    meeting_kinds = ["meeting_scheduled", "meeting_rescheduled", "meeting_cancelled"]
    assert Counter(m.kind for m in exp) == Counter(
        [
            "registration_received",
            "registration_approved",
            *meeting_kinds,
            "deal_recorded",
            "meeting_cancelled",
        ]
    )
    assert Counter(m.kind for m in imp) == Counter(
        ["registration_received", *meeting_kinds, "deal_recorded", "meeting_cancelled"]
    )
    assert [m.kind for m in bra] == ["registration_received", "registration_rejected"]
    assert all(len(m.rcpt_tos) == 1 for m in smtp.received)
    assert len({m.message_id for m in smtp.received}) == 15

    assert {m.message["Content-Language"] for m in exp} == {"es"}
    assert {m.message["Content-Language"] for m in imp} == {"en"}
    assert {m.message["Content-Language"] for m in bra} == {"pt"}
    assert bra[1].message["Subject"].startswith("Sua inscrição em Pacific Alliance")
    assert "Motivo: CNPJ inválido" in bra[1].text()

    def pick(mails: list[Any], kind: str) -> Any:
        found = [m for m in mails if m.kind == kind and (kind != "meeting_cancelled" or m.ics())]
        assert len(found) == 1, kind
        return found[0]

    assert pick(exp, "meeting_scheduled").message["Subject"] == (
        "Reunión con London Fine Foods Ltd: 2020-06-23 10:00 (America/Santiago, UTC-04:00)"
    )
    assert "London Fine Foods Ltd (hora local): 2020-06-23 15:00 (Europe/London, UTC+01:00)" in (
        pick(exp, "meeting_scheduled").text()
    )
    assert "When: 2020-06-23 17:00 (Europe/London, UTC+01:00)" in (
        pick(imp, "meeting_rescheduled").text()
    )
    assert "US$ 150000" in pick(imp, "deal_recorded").text()

    def event_of(message: Any) -> tuple[str, Any]:
        cal = icalendar.Calendar.from_ical(message.ics())
        return str(cal["METHOD"]), cal.walk("VEVENT")[0]

    for mails in (exp, imp):
        (m1, e1), (m2, e2), (m3, e3) = (
            event_of(x) for x in (pick(mails, k) for k in meeting_kinds)
        )
        assert (m1, m2, m3) == ("REQUEST", "REQUEST", "CANCEL")
        assert {str(e["UID"]) for e in (e1, e2, e3)} == {"m-1@rueda"}
        assert [int(e["SEQUENCE"]) for e in (e1, e2, e3)] == [0, 1, 2]
        assert e1.decoded("DTSTART") == MEETING_AT
        assert e1.decoded("DTSTART").utcoffset() == (timedelta(0))
        assert e2.decoded("DTSTART") == moved_at
        assert e3.decoded("DTSTART") == moved_at
        assert str(e3["STATUS"]) == "CANCELLED"
    # a cancellation of a meeting never seen has no times, so no ICS
    assert [m.ics() for m in exp if m.kind == "meeting_cancelled"].count(None) == 1

    sent = envelopes(
        await read_all(
            service.settings.kafka_bootstrap, service.settings.topic(EVENTS), at_least=15
        )
    )
    events = [e.payload_as(n.NotificationSent) for e in sent]
    assert len({e.notification_id for e in events}) == 15 == len(events)
    assert {e.recipient for e in events} == {"exp-cl", "imp-gb", "exp-br"}
    assert notification_id(str(placed.event_id), "exp-cl", "email") in {
        e.notification_id for e in events
    }
    caused = [
        e for e in sent if e.payload_as(n.NotificationSent).source_event_id == str(placed.event_id)
    ]
    assert caused
    assert {(e.correlation_id, e.causation_id) for e in caused} == {
        (placed.correlation_id, placed.event_id)
    }

    app = FastAPI()
    app.include_router(router)
    app.state.runtime = rt
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://notifications"
    ) as client:
        listed = (await client.get("/roundtables/rt-pa-2020/participants/exp-cl/deliveries")).json()
    assert sorted(x["kind"] for x in listed) == sorted(m.kind for m in exp)
    assert {x["status"] for x in listed} == {"sent"}


async def test_reminders_fire_once_at_their_time_survive_a_restart_and_skip_changed_meetings(
    service: Service, smtp: SmtpSink
) -> None:
    clock = ManualClock(datetime(2020, 6, 20, tzinfo=UTC))
    rt = await service.start(clock)
    for p in (EXP, IMP):
        await service.send(REG, r.ParticipantRegistered(profile=p))
    await until("registrations", lambda: smtp.count() == 2)
    moved_at = MEETING_AT + timedelta(hours=2)
    await service.send(SCHED, scheduled("m-1", EXP, IMP))
    await service.send(SCHED, scheduled("m-2", EXP, IMP))
    await service.send(SCHED, scheduled("m-3", EXP, IMP))
    await service.send(
        SCHED,
        s.MeetingCancelled(
            meeting_id="m-2", exporter_id="exp-cl", importer_id="imp-gb", sequence=1
        ),
    )
    await service.send(
        SCHED,
        scheduled(
            "m-3",
            EXP,
            IMP,
            starts_at=moved_at,
            sequence=1,
            cls=s.MeetingRescheduled,
            previous_starts_at=MEETING_AT,
        ),
    )
    await until("meeting e-mails", lambda: smtp.count() == 2 + 6 + 2 + 2)
    queue = {d["_id"]: d["status"] async for d in rt.db["reminders"].find({})}
    assert queue == {
        "m-1:0:reminder_24h": "pending",
        "m-1:0:reminder_15m": "pending",
        "m-2:0:reminder_24h": "skipped",
        "m-2:0:reminder_15m": "skipped",
        "m-3:0:reminder_24h": "skipped",
        "m-3:0:reminder_15m": "skipped",
        "m-3:1:reminder_24h": "pending",
        "m-3:1:reminder_15m": "pending",
    }

    # the due-queue lives in MongoDB: a new process picks it up
    await service.stop(rt)
    rt = await service.start(clock)

    def reminders() -> list[tuple[str, str, str]]:
        return [
            (m.kind, m.rcpt_tos[0].split("@")[0], m.message["Subject"])
            for m in smtp.received
            if m.kind.startswith("reminder")
        ]

    clock.set(MEETING_AT - timedelta(hours=24, seconds=1))
    assert await rt.reminders.step() is False  # nothing due one second early
    clock.set(MEETING_AT - timedelta(hours=24))
    rt.reminders.wake()
    await until("24 h reminders of m-1", lambda: len(reminders()) == 2)
    assert sorted(x[:2] for x in reminders()) == [
        ("reminder_24h", "exp-cl"),
        ("reminder_24h", "imp-gb"),
    ]

    clock.set(MEETING_AT - timedelta(minutes=15))
    rt.reminders.wake()
    await until("15 min of m-1 and 24 h of moved m-3", lambda: len(reminders()) == 6)
    clock.set(moved_at - timedelta(minutes=15))
    rt.reminders.wake()
    await until("15 min of m-3", lambda: len(reminders()) == 8)
    clock.advance(timedelta(days=2))
    assert await rt.reminders.step() is False
    assert await rt.sender.step() is False

    got = reminders()
    assert Counter(k for k, _, _ in got) == {"reminder_24h": 4, "reminder_15m": 4}
    to_exp = [subj for k, who, subj in got if who == "exp-cl"]
    assert sorted(to_exp) == sorted(
        [
            "Mañana: reunión con London Fine Foods Ltd a las 2020-06-23 10:00 "
            "(America/Santiago, UTC-04:00)",
            "En 15 minutos: reunión con London Fine Foods Ltd",
            "Mañana: reunión con London Fine Foods Ltd a las 2020-06-23 12:00 "
            "(America/Santiago, UTC-04:00)",
            "En 15 minutos: reunión con London Fine Foods Ltd",
        ]
    )
    statuses = Counter([d["status"] async for d in rt.db["reminders"].find({})])
    assert statuses == {"done": 4, "skipped": 4}


async def test_webhooks_are_signed_retried_filtered_by_country_and_dead_lettered(
    service: Service, receiver: WebhookReceiver, smtp: SmtpSink
) -> None:
    rt = await service.start()
    secrets = {
        "/cl": "cl-secret-0123456789",
        "/pe": "pe-secret-0123456789",
        "/org": "org-secret-0123456789",
    }
    receiver.secrets.update(secrets)
    receiver.scripts["/cl"] = [500, 500]
    receiver.scripts["/org"] = [500, 500, 500]
    commands = [
        n.CreateSubscription(
            subscription_id="sub-cl",
            url=receiver.url("/cl"),
            secret=secrets["/cl"],
            event_types=["MeetingScheduled", "DealClosed"],
            owner_role="agency",
            owner_country="CL",
        ),
        n.CreateSubscription(
            subscription_id="sub-pe",
            url=receiver.url("/pe"),
            secret=secrets["/pe"],
            event_types=["*"],
            owner_role="agency",
            owner_country="PE",
        ),
        n.CreateSubscription(
            subscription_id="sub-org",
            url=receiver.url("/org"),
            secret=secrets["/org"],
            event_types=["DealClosed"],
            owner_role="organizer",
        ),
        n.CreateSubscription(
            subscription_id="sub-bad",
            url=receiver.url("/bad"),
            secret="x" * 16,
            event_types=["*"],
            owner_role="agency",
        ),
    ]
    sent_commands = [await service.send(COMMANDS, c) for c in commands]

    async def handled() -> bool:
        return all([await rt.store.command(str(e.event_id)) for e in sent_commands])

    await eventually(handled, within_s=60, what="subscription commands")
    statuses = [(await rt.store.command(str(e.event_id)))["status"] for e in sent_commands]
    assert statuses == ["accepted", "accepted", "accepted", "rejected"]

    for p in (EXP, IMP):
        await service.send(REG, r.ParticipantRegistered(profile=p))
    placed = await service.send(SCHED, scheduled("m-1", EXP, IMP))
    deal = await service.send(
        CLOSED,
        d.DealClosed(
            deal_id="deal-1",
            meeting_id="m-1",
            agency_code="PROCHILE",
            exporter_id="exp-cl",
            exporter_country="CL",
            importer_id="imp-gb",
            importer_country="GB",
            sectors=["fruit"],
            products=["0810"],
            status="agreed",
            immediate_usd=1,
            projected_12m_usd=2,
            closed_at=MEETING_AT,
        ),
    )

    async def settled() -> bool:
        docs = await rt.db["deliveries"].find({"channel": "webhook"}).to_list()
        return len(docs) == 3 and all(x["status"] in ("sent", "failed") for x in docs)

    await eventually(settled, within_s=60, what="webhook deliveries settled")
    assert all(h.verified for h in receiver.hits)
    assert receiver.at("/pe") == []
    assert await rt.db["deliveries"].count_documents({"recipient": "sub-pe"}) == 0

    cl = receiver.at("/cl")
    assert [h.status for h in cl].count(500) == 2
    assert len(cl) == 4
    assert set(receiver.ids("/cl")) == {
        notification_id(str(placed.event_id), "sub-cl", "webhook"),
        notification_id(str(deal.event_id), "sub-cl", "webhook"),
    }
    bodies = {json.loads(h.body)["event_type"] for h in cl if h.status == 200}
    assert bodies == {"MeetingScheduled", "DealClosed"}
    assert {h.headers["Rueda-Event-Type"] for h in cl} == bodies

    org = receiver.at("/org")
    assert [h.status for h in org] == [500, 500, 500]
    assert len(set(receiver.ids("/org"))) == 1

    boot = service.settings.kafka_bootstrap
    dlq = await read_all(boot, service.settings.topic(EVENTS) + ".dlq", at_least=1)
    assert len(dlq) == 1
    headers = {k: v.decode() for k, v in dlq[0].headers}
    assert headers["x-subscription-id"] == "sub-org"
    assert headers["x-attempts"] == "3"
    assert "HTTP 500" in headers["x-error-message"]
    assert Envelope.from_bytes(dlq[0].value).event_id == deal.event_id

    out = envelopes(await read_all(boot, service.settings.topic(EVENTS), at_least=5))
    failed = [
        e.payload_as(n.NotificationFailed) for e in out if e.event_type == "NotificationFailed"
    ]
    assert [(f.recipient, f.channel, f.attempts) for f in failed] == [("sub-org", "webhook", 3)]
    rejected = [e.payload_as(CommandRejected) for e in out if e.event_type == "CommandRejected"]
    assert [x.code for x in rejected] == ["missing_country"]
    webhook_sent = [
        e.payload_as(n.NotificationSent) for e in out if e.event_type == "NotificationSent"
    ]
    assert sorted(x.recipient for x in webhook_sent if x.channel == "webhook") == [
        "sub-cl",
        "sub-cl",
    ]

    # a deleted subscription receives nothing more
    await service.send(COMMANDS, n.DeleteSubscription(subscription_id="sub-cl"))

    async def deleted() -> bool:
        sub = await rt.store.subscription("sub-cl")
        return sub is not None and not sub["active"]

    await eventually(deleted, within_s=30, what="subscription deleted")


async def test_a_restart_mid_burst_with_two_replicas_and_a_flaky_smtp_sends_each_once(
    service: Service, smtp: SmtpSink
) -> None:
    burst = 40
    people = [profile(f"p{i:02d}", languages=["en"]) for i in range(burst)]
    smtp.refuse_next = 3  # the server fails at first: retries, then success
    smtp.delay_s = 0.1  # the server paces the burst: about 4 s, so the restart falls inside
    a = await service.start()
    await service.start()  # replica b

    # a worker that died after claiming a delivery (before sending): its lease has run out
    first = Envelope.wrap(
        r.ParticipantRegistered(profile=people[0]),
        producer="test",
        roundtable_id="rt-a",
        correlation_id="burst",
    )
    crashed_id = notification_id(str(first.event_id), "p00", "email")
    now = datetime.now(UTC)
    await a.db["deliveries"].insert_one(
        {
            "_id": crashed_id,
            "channel": "email",
            "recipient": "p00",
            "participant_id": "p00",
            "kind": "registration_received",
            "source_id": str(first.event_id),
            "event_type": "ParticipantRegistered",
            "roundtable_id": "rt-a",
            "data": first.data,
            "occurred_at": first.occurred_at,
            "status": "sending",
            "owner": "dead-process",
            "lease_until": now - timedelta(seconds=1),
            "attempts": 1,
            "next_at": now,
            "created_at": now,
        }
    )

    boot, reg = service.settings.kafka_bootstrap, service.settings.topic(REG)
    await produce(boot, reg, first.to_bytes(), key=b"rt-a")
    for i, p in enumerate(people[1:], start=1):
        await service.send(
            REG, r.ParticipantRegistered(profile=p), rt_id="rt-a" if i % 2 else "rt-b"
        )
    await until("a third of the burst", lambda: smtp.count() >= burst // 3)
    await service.stop(a)  # SIGTERM-like: in-flight sends finish, the rest waits in MongoDB
    at_restart = smtp.count()
    await service.start()
    await until("the whole burst", lambda: smtp.count() >= burst, within_s=90)

    async def all_sent() -> bool:
        db = service.running[0].db
        return await db["deliveries"].count_documents({"status": "sent"}) == burst

    await eventually(all_sent, within_s=30, what="every delivery marked sent")
    assert at_restart < burst
    assert smtp.refused == 3
    recipients = Counter(m.rcpt_tos[0] for m in smtp.received)
    assert recipients == Counter({p.contact.email: 1 for p in people})
    assert len({m.message_id for m in smtp.received}) == burst
    db = service.running[0].db
    assert await db["deliveries"].count_documents({}) == burst
    assert (await db["deliveries"].find_one({"_id": crashed_id}))["attempts"] >= 2

    sent = envelopes(await read_all(boot, service.settings.topic(EVENTS), at_least=burst))
    ids = [e.payload_as(n.NotificationSent).notification_id for e in sent]
    assert len(ids) == len(set(ids)) == burst


async def test_a_backlog_goes_out_in_one_batch_over_one_smtp_connection(
    service: Service, smtp: SmtpSink
) -> None:
    backlog = 30
    rt = await service.start()
    assert rt.sender is not None
    await rt.sender.stop()  # the deliveries queue up while no worker runs
    people = [profile(f"b{i:02d}", languages=["en"]) for i in range(backlog)]
    for p in people:
        await service.send(REG, r.ParticipantRegistered(profile=p), rt_id="rt-backlog")

    async def queued() -> bool:
        return await rt.db["deliveries"].count_documents({"status": "pending"}) == backlog

    await eventually(queued, within_s=60, what="the backlog queued")
    rt.sender.start()
    await until("the backlog sent", lambda: smtp.count() >= backlog)

    async def marked() -> bool:
        return await rt.db["deliveries"].count_documents({"status": "sent"}) == backlog

    await eventually(marked, within_s=30, what="every delivery marked sent")
    assert sorted(m.rcpt_tos[0] for m in smtp.received) == sorted(p.contact.email for p in people)
    assert len(smtp.connections) == 1  # one claim of the whole backlog, one SMTP session
    claims = {d["claim"] async for d in rt.db["deliveries"].find({}, {"claim": 1})}
    assert len(claims) == 1


async def test_a_meeting_read_before_its_parties_waits_for_them_instead_of_failing(
    service: Service, smtp: SmtpSink
) -> None:
    """Topics have no order between them: after a restart the meeting can come first. Its
    invitations must not fail for want of a contact (and then wait out a growing backoff)."""
    rt = await service.start()
    exporter, importer = profile("early-exp"), profile("early-imp", role="importer", country="GB",
                                                       timezone="Europe/London")  # fmt: skip
    await service.send(REG, opened(), rt_id="rt-early")
    await service.send(SCHED, scheduled("m-early", exporter, importer), rt_id="rt-early")
    for p in (exporter, importer):
        await service.send(REG, r.ParticipantRegistered(profile=p), rt_id="rt-early")

    async def invited() -> bool:
        query = {"kind": "meeting_scheduled", "status": "sent"}
        return await rt.db["deliveries"].count_documents(query) == 2

    await eventually(invited, within_s=60, what="both invitations sent")
    invites = await rt.db["deliveries"].find({"kind": "meeting_scheduled"}).to_list()
    assert [(d["attempts"], d.get("last_error")) for d in invites] == [(1, None), (1, None)]
    assert sorted(m.rcpt_tos[0] for m in smtp.received if m.kind == "meeting_scheduled") == [
        "early-exp@example.test",
        "early-imp@example.test",
    ]


async def test_a_backlog_of_events_is_queued_in_batches_and_a_repeat_in_a_batch_changes_nothing(
    service: Service, smtp: SmtpSink
) -> None:
    """Events waiting on a topic are handled a batch at a time (one transaction, one inbox
    write for the run); a copy of an event already handled, inside a batch, adds nothing."""
    rt_id, meetings = "rt-batch", 20
    exporter = profile("batch-exp")
    importer = profile("batch-imp", role="importer", country="GB", timezone="Europe/London")
    await service.send(REG, opened(), rt_id=rt_id)
    for p in (exporter, importer):
        await service.send(REG, r.ParticipantRegistered(profile=p), rt_id=rt_id)
    wrapped = [
        Envelope.wrap(
            scheduled(
                f"m-batch-{i:02d}", exporter, importer, starts_at=MEETING_AT + timedelta(hours=i)
            ),
            producer="scheduling",
            roundtable_id=rt_id,
            correlation_id=f"c-{i}",
        )
        for i in range(meetings)
    ]
    topic_name = service.settings.topic(SCHED)
    for envelope in wrapped:  # on the topic before the service starts
        await produce(
            service.settings.kafka_bootstrap, topic_name, envelope.to_bytes(), key=rt_id.encode()
        )
    rt = await service.start()

    async def queued(count: int) -> bool:
        query = {"kind": "meeting_scheduled", "roundtable_id": rt_id}
        return await rt.db["deliveries"].count_documents(query) == count

    await eventually(lambda: queued(2 * meetings), within_s=60, what="every invitation queued")
    group = service.settings.group("notifications")
    handled = (
        await rt.db["inbox"]
        .find({"_id": {"$in": [f"{group}:{e.event_id}" for e in wrapped]}})
        .to_list()
    )
    assert len(handled) == meetings
    # one transaction per event would write each inbox record at its own time
    assert len({doc["at"] for doc in handled}) < meetings

    # copies of handled events inside a batch of new ones
    fresh = [
        Envelope.wrap(
            scheduled(
                f"m-again-{i:02d}",
                exporter,
                importer,
                starts_at=MEETING_AT + timedelta(days=1, hours=i),
            ),
            producer="scheduling",
            roundtable_id=rt_id,
            correlation_id=f"c-again-{i}",
        )
        for i in range(5)
    ]
    for copy, new in zip(wrapped[:5], fresh, strict=True):
        for envelope in (copy, new):
            await produce(
                service.settings.kafka_bootstrap,
                topic_name,
                envelope.to_bytes(),
                key=rt_id.encode(),
            )
    await eventually(lambda: queued(2 * (meetings + 5)), within_s=60, what="the new invitations")
    # the two registration e-mails are received too: count the invitations alone
    await until(
        "every invitation sent",
        lambda: sum(m.kind == "meeting_scheduled" for m in smtp.received) >= 2 * (meetings + 5),
    )

    def uid(message: Any) -> str:
        calendar: Any = icalendar.Calendar.from_ical(message.ics())
        return str(next(c for c in calendar.walk() if c.name == "VEVENT")["UID"])

    invitations = Counter(
        (m.rcpt_tos[0], uid(m)) for m in smtp.received if m.kind == "meeting_scheduled"
    )
    assert len(invitations) == 2 * (meetings + 5)
    assert set(invitations.values()) == {1}
