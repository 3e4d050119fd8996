"""The reliability suite's round runner: the 2020 round through the real stack (every
service and the gateway as processes, private Kafka and SecantusDB), with disturbances
injected while each stage of the replay runs, and what was observed at the end."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import json
import random
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from email.message import Message
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar
from tests.support.counters import COUNTS
from tests.support.kafka import eventually, produce, read_all
from tests.support.stack import TEST_ENV

from rueda.cli import scenario
from rueda.cli.demo import _settled_mail
from rueda.cli.infra import Infra, create_topics
from rueda.cli.replay import ReplayResult, RoundReplay
from rueda.cli.stack import SERVICES, Stack, run_stack
from rueda.cli.up import MailSink, mail_sink
from rueda.shared.contracts import TOPICS, Envelope
from rueda.shared.mongo import open_mongo

ROUNDTABLE = "pacific-alliance-uk-2020"
STAGES = ("register", "approve", "wait_for_schedule", "attend", "report_outcomes", "final_report")
INPUT_TOPICS = tuple(spec for spec in TOPICS if spec.readers)
POISON_PRODUCER = "reliability-suite"  # the producer named by the wrong-schema poison


def say(line: str) -> None:
    print(f"[reliability] {line}", flush=True)


# --- what a round leaves behind ------------------------------------------------------


@dataclass
class Observation:
    """The outcome of one round, compared across runs."""

    label: str
    result: ReplayResult
    # (UID, recipient, SEQUENCE, METHOD) -> the distinct e-mails (Message-IDs) that carried it
    invites: dict[tuple[str, str, int, str], set[str]]
    message_ids: Counter[tuple[str, str]]  # (Message-ID, recipient) -> SMTP transactions
    # (Message-ID, recipient) -> what each transmission said: subject and calendar entries
    contents: dict[tuple[str, str], list[tuple[str, tuple[tuple[str, int, str], ...]]]]
    emails: int
    events: dict[str, dict[str, set[str]]]  # topic name -> event_type -> distinct event_ids
    copies: int  # records on the event topics beyond the first copy of an event_id
    dead_letters: dict[str, list[Any]]  # input topic name -> records on its .dlq
    seconds: float
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def report(self) -> dict[str, Any]:
        return self.result.report

    def event_counts(self) -> dict[str, int]:
        return {
            f"{topic}:{kind}": len(ids)
            for topic, kinds in self.events.items()
            for kind, ids in kinds.items()
        }


def invites_of(
    sink: MailSink,
) -> tuple[
    dict[tuple[str, str, int, str], set[str]],
    Counter[tuple[str, str]],
    dict[tuple[str, str], list[tuple[str, tuple[tuple[str, int, str], ...]]]],
]:
    invites: dict[tuple[str, str, int, str], set[str]] = {}
    message_ids: Counter[tuple[str, str]] = Counter()
    contents: dict[tuple[str, str], list[tuple[str, tuple[tuple[str, int, str], ...]]]] = {}
    for recipients, message in sink.messages:
        message_id = str(message["Message-ID"])
        entries = tuple(_calendar_entries(message))
        for rcpt in recipients:
            message_ids[(message_id, rcpt)] += 1
            contents.setdefault((message_id, rcpt), []).append((str(message["Subject"]), entries))
        for uid, seq, method in entries:
            for rcpt in recipients:
                invites.setdefault((uid, rcpt, seq, method), set()).add(message_id)
    return invites, message_ids, contents


def _calendar_entries(message: Message) -> list[tuple[str, int, str]]:
    found = []
    for part in message.walk():
        if part.get_content_type() != "text/calendar":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        calendar = Calendar.from_ical(payload)
        method = str(calendar.get("METHOD", ""))
        for event in calendar.walk("VEVENT"):
            found.append((str(event["UID"]), int(event.get("SEQUENCE", 0)), method))
    return found


async def _topic_contents(
    kafka: str, prefix: str
) -> tuple[dict[str, dict[str, set[str]]], int, dict[str, list[Any]]]:
    events: dict[str, dict[str, set[str]]] = {}
    copies = 0
    for spec in TOPICS:
        records = await read_all(kafka, spec.physical(prefix), within_s=60)
        kinds: dict[str, set[str]] = {}
        for record in records:
            if not _is_envelope(record.value):
                continue  # poison the suite injected: checked on the dead-letter topics
            envelope = Envelope.from_bytes(record.value)
            if envelope.producer == POISON_PRODUCER:
                continue
            ids = kinds.setdefault(envelope.event_type, set())
            if envelope.event_id in ids:
                copies += 1
            ids.add(envelope.event_id)
        events[spec.name] = kinds
    dead: dict[str, list[Any]] = {}
    for spec in INPUT_TOPICS:
        dead[spec.name] = await read_all(kafka, spec.dlq_physical(prefix), within_s=60)
    return events, copies, dead


# --- disturbances ----------------------------------------------------------------------


@dataclass
class Context:
    """What a disturbance may act on while a stage runs."""

    stack: Stack
    infra: Infra
    kafka: str
    prefix: str
    replay: RoundReplay


class Disturbance:
    """Acts while a stage of the replay runs (concurrently with it)."""

    async def during(self, stage: str, ctx: Context) -> None:  # pragma: no cover - interface
        return None


class Disturbances(Disturbance):
    def __init__(self, *parts: Disturbance) -> None:
        self.parts = parts

    async def during(self, stage: str, ctx: Context) -> None:
        for part in self.parts:
            await part.during(stage, ctx)


class ServiceKills(Disturbance):
    """SIGKILL every service `times` times, in `times` different stages at random moments,
    each restarted at once (seeded: the same seed gives the same plan)."""

    def __init__(self, seed: int, times: int = 3) -> None:
        self.rng = random.Random(seed)
        self.plan: dict[str, list[tuple[float, str]]] = {s: [] for s in STAGES}
        for name in SERVICES:  # each service in `times` different stages
            for stage in self.rng.sample(STAGES, times):
                self.plan[stage].append((round(self.rng.uniform(0.0, 2.0), 2), name))
        for kills in self.plan.values():
            self.rng.shuffle(kills)
        self.survived: Counter[str] = Counter()

    async def during(self, stage: str, ctx: Context) -> None:
        for delay, name in self.plan[stage]:
            await asyncio.sleep(delay)  # a random moment inside the stage, not a synchronisation
            t0 = time.monotonic()
            await ctx.stack.restart(name, kill=True)
            self.survived[name] += 1
            COUNTS["reliability: services killed (SIGKILL) and restarted"] += 1
            took = time.monotonic() - t0
            say(f"{stage}: killed {name} after {delay}s, ready again in {took:.1f}s")


class _ServerRestart(Disturbance):
    """Stops a server some way into `stage` and starts it again on the same port and data."""

    server = ""
    counter = ""

    def __init__(self, stage: str, down_s: float = 3.0, into_stage_s: float = 0.5) -> None:
        # how far into the stage the outage starts, and how long it lasts: the fault itself
        self.stage, self.down_s, self.into_stage_s = stage, down_s, into_stage_s

    def stop(self, infra: Infra) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def restart(self, infra: Infra) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    async def during(self, stage: str, ctx: Context) -> None:
        if stage != self.stage:
            return
        await asyncio.sleep(self.into_stage_s)
        await asyncio.to_thread(self.stop, ctx.infra)
        say(f"{stage}: {self.server} stopped")
        await asyncio.sleep(self.down_s)  # the outage itself
        await asyncio.to_thread(self.restart, ctx.infra)
        COUNTS[self.counter] += 1
        say(f"{stage}: {self.server} restarted")


class BrokerRestart(_ServerRestart):
    server, counter = "Kafka broker", "reliability: Kafka broker restarts"

    def stop(self, infra: Infra) -> None:
        infra.stop_kafka()

    def restart(self, infra: Infra) -> None:
        infra.restart_kafka()


class DatabaseRestart(_ServerRestart):
    server, counter = "SecantusDB", "reliability: SecantusDB restarts"

    def stop(self, infra: Infra) -> None:
        infra.stop_mongo()

    def restart(self, infra: Infra) -> None:
        infra.restart_mongo()


def poison_messages(spec_name: str, roundtable_id: str) -> list[tuple[str, bytes]]:
    """An invalid JSON body and an envelope whose data breaks the contract's schema."""
    wrong = {
        "event_id": str(uuid.uuid4()),
        "event_type": _a_contract_of(spec_name),
        "schema_version": 1,
        "occurred_at": dt.datetime.now(dt.UTC).isoformat(),
        "producer": POISON_PRODUCER,
        "correlation_id": "poison",
        "causation_id": None,
        "roundtable_id": roundtable_id,
        "data": {"unexpected": ["not", "this", "contract"]},
    }
    marker = uuid.uuid4().hex
    return [
        ("invalid-json", b'{"not json' + marker.encode()),
        ("wrong-schema", json.dumps({**wrong, "correlation_id": f"poison-{marker}"}).encode()),
    ]


def _a_contract_of(spec_name: str) -> str:
    spec = next(s for s in TOPICS if s.name == spec_name)
    return spec.messages[0].__name__ if spec.messages else "Unknown"


class Poison(Disturbance):
    """Invalid JSON and wrong-schema envelopes on every input topic."""

    def __init__(self, stage: str) -> None:
        self.stage = stage
        self.injected: dict[str, list[tuple[str, bytes]]] = {}

    async def during(self, stage: str, ctx: Context) -> None:
        if stage != self.stage:
            return
        for spec in INPUT_TOPICS:
            messages = poison_messages(spec.name, ROUNDTABLE)
            for _, value in messages:
                await produce(ctx.kafka, spec.physical(ctx.prefix), value, key=ROUNDTABLE.encode())
                COUNTS["reliability: poison messages injected"] += 1
            self.injected[spec.name] = messages
        count = sum(len(m) for m in self.injected.values())
        say(f"{stage}: injected {count} poison messages on {len(self.injected)} topics")


class Duplicates(Disturbance):
    """Re-publishes copies (same key, headers, value: the same event_id) of up to `each`
    real envelopes already on every input topic."""

    def __init__(self, stages: tuple[str, ...], seed: int, each: int = 40) -> None:
        self.stages, self.each = stages, each
        self.rng = random.Random(seed)
        self.copied: Counter[str] = Counter()

    async def during(self, stage: str, ctx: Context) -> None:
        if stage not in self.stages:
            return
        for spec in INPUT_TOPICS:
            records = [
                r
                for r in await read_all(ctx.kafka, spec.physical(ctx.prefix))
                if _is_envelope(r.value)
            ]
            chosen = self.rng.sample(records, min(self.each, len(records)))
            for record in chosen:
                await produce(
                    ctx.kafka,
                    spec.physical(ctx.prefix),
                    record.value,
                    key=record.key,
                    headers=list(record.headers),
                )
            self.copied[spec.name] += len(chosen)
            COUNTS["reliability: duplicate deliveries injected"] += len(chosen)
        say(f"{stage}: re-published copies {dict(self.copied)}")


def _is_envelope(value: bytes | None) -> bool:
    try:
        Envelope.from_bytes(value or b"")
    except Exception:
        return False
    return True


# --- the round -------------------------------------------------------------------------

FAST_ENV = {
    **TEST_ENV,
    "RUEDA_SMTP_STARTTLS": "false",
    "RUEDA_SCHEDULE_REPLAY": "true",
    # a delivery claimed by a notifications process that is then SIGKILLed is retaken when
    # its lease ends: short here (the sink is local), so the round settles within the test
    "RUEDA_SMTP_TIMEOUT_S": "5",
    "RUEDA_WEBHOOK_TIMEOUT_S": "5",
    "RUEDA_DELIVERY_LEASE_S": "15",
}


async def deliveries_settled(mongo: str, stack: Stack, within_s: float = 120.0) -> Counter[str]:
    """Wait until no delivery is due or claimed (a claim of a killed process included),
    then answer the deliveries per status."""
    client = open_mongo(mongo)
    try:
        deliveries = client[stack["notifications"].env["RUEDA_DB_NAME"]]["deliveries"]

        async def settled() -> bool:
            # pending and due, or claimed (retaken when a killed claimer's lease ends);
            # deliveries due later (the day's match digest) are not waited for
            due = {"status": "pending", "next_at": {"$lte": dt.datetime.now(dt.UTC)}}
            claimed = {"status": "sending"}
            return not await deliveries.count_documents(
                due
            ) and not await deliveries.count_documents(claimed)

        await eventually(settled, within_s=within_s, every_s=0.5, what="deliveries settled")
        statuses: Counter[str] = Counter()
        async for row in await deliveries.aggregate(
            [{"$group": {"_id": "$status", "n": {"$sum": 1}}}]
        ):
            statuses[str(row["_id"])] = int(row["n"])
        return statuses
    finally:
        await client.close()


async def play_round(
    infra: Infra,
    label: str,
    logs: Path,
    *,
    disturbance: Disturbance | None = None,
    after: Callable[[Stack, ReplayResult], Awaitable[dict[str, Any]]] | None = None,
    within_s: float = 420.0,
) -> Observation:
    """The 2020 round on fresh topics and databases, with `disturbance` acting during
    each stage; `after` runs against the still-running stack once the round is observed."""
    state = infra.state()
    kafka, mongo = state.kafka_bootstrap, state.mongo_uri
    prefix = f"rel{uuid.uuid4().hex[:8]}."
    await create_topics(kafka, prefix=prefix, partitions=3)
    t0 = time.monotonic()
    await asyncio.to_thread(logs.mkdir, parents=True, exist_ok=True)
    with mail_sink() as sink:
        env = {**FAST_ENV, "RUEDA_SMTP_HOST": sink.host, "RUEDA_SMTP_PORT": str(sink.port)}
        async with run_stack(kafka=kafka, mongo=mongo, prefix=prefix, logs=logs, env=env) as stack:
            say(f"{label}: stack up on {stack.gateway} (logs in {logs})")
            replay = RoundReplay(
                stack.gateway,
                ROUNDTABLE,
                progress=lambda line: say(f"{label}: {line}"),
                within_s=within_s,
            )
            ctx = Context(stack, infra, kafka, prefix, replay)
            try:
                for stage in STAGES:
                    step = asyncio.create_task(getattr(replay, stage)())
                    if disturbance is not None:
                        chaos = asyncio.create_task(disturbance.during(stage, ctx))
                        try:
                            await asyncio.gather(step, chaos)
                        finally:
                            for task in (step, chaos):
                                if not task.done():
                                    task.cancel()
                                    with contextlib.suppress(BaseException):
                                        await task
                    else:
                        await step
                result = replay.result
                statuses = await deliveries_settled(infra.state().mongo_uri, stack)
                emails = await _settled_mail(sink, quiet_s=2.0, within_s=60.0)
                # every service ran to the end: the last of its outbox is on the topics
                dead_processes = [n for n, p in stack.processes.items() if not p.alive()]
                assert not dead_processes, f"processes died: {dead_processes}"
                events, copies, dead_letters = await _topic_contents(kafka, prefix)
                invites, message_ids, contents = invites_of(sink)
                observation = Observation(
                    label=label,
                    result=result,
                    invites=invites,
                    message_ids=message_ids,
                    contents=contents,
                    emails=emails,
                    events=events,
                    copies=copies,
                    dead_letters=dead_letters,
                    seconds=time.monotonic() - t0,
                )
                observation.extras["deliveries"] = dict(statuses)
                if after is not None:
                    observation.extras.update(await after(stack, result))
            finally:
                await replay.close()
    say(f"{label}: round done in {observation.seconds:.1f}s, {observation.emails} e-mails")
    return observation


# --- invariants --------------------------------------------------------------------------


def schedule_problems(result: ReplayResult) -> list[str]:
    """Double bookings and meetings outside a party's local window or the roundtable's days,
    checked independently with zoneinfo."""
    rt = scenario.roundtable()
    days = {dt.date.fromisoformat(d) for d in rt["days"]}
    start = dt.time.fromisoformat(rt["default_window"]["start"])
    end = dt.time.fromisoformat(rt["default_window"]["end"])
    problems: list[str] = []
    busy: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}
    for meeting in result.meetings:
        begins = dt.datetime.fromisoformat(meeting["starts_at"].replace("Z", "+00:00"))
        ends = dt.datetime.fromisoformat(meeting["ends_at"].replace("Z", "+00:00"))
        for pid in (meeting["exporter_id"], meeting["importer_id"]):
            zone = ZoneInfo(result.participants[pid]["timezone"])
            local_start, local_end = begins.astimezone(zone), ends.astimezone(zone)
            if local_start.date() not in days or local_end.date() != local_start.date():
                problems.append(f"{meeting['meeting_id']} not on a roundtable day for {pid}")
            if local_start.time() < start or local_end.time() > end:
                problems.append(f"{meeting['meeting_id']} outside {pid}'s window")
            busy.setdefault(pid, []).append((begins, ends))
    for pid, slots in busy.items():
        slots.sort()
        for (_, e1), (s2, _) in itertools.pairwise(slots):
            if s2 < e1:
                problems.append(f"{pid} double booked at {s2.isoformat()}")
    return problems


def report_figures(report: dict[str, Any]) -> dict[str, Any]:
    """The roundtable's totals: participants, meetings, deals and amounts.

    The breakdowns by country, sector and agency are left out: which pairs meet depends on
    the order in which approvals reach matching, so the same totals split differently
    between two runs (and the replay marks the earliest meetings held)."""
    figures = {key: report[key] for key in ("exporters", "importers", "meetings")}
    deals = report["deals"]
    figures["deals"] = {
        "count": deals["count"],
        "immediate_usd": Decimal(str(deals["immediate_usd"])),
        "projected_12m_usd": Decimal(str(deals["projected_12m_usd"])),
        "agreed": deals["agreed"],
        "disputed": deals["disputed"],
        "one_sided": deals["one_sided"],
    }
    for scope in ("country", "sector", "agency"):  # each breakdown still adds up
        blocks = report[f"by_{scope}"].values()
        figures[f"{scope} deals"] = sum(b["deals"]["count"] for b in blocks)
    return figures


def duplicate_effects(observation: Observation) -> list[str]:
    """What a recipient would see twice: an invitation carried by two different e-mails, or
    one e-mail (Message-ID) transmitted again with other content."""
    twice = [
        f"invite {k} in {len(ids)} different e-mails"
        for k, ids in observation.invites.items()
        if len(ids) > 1
    ]
    twice += [
        f"e-mail {k} re-sent with other content: {sorted(set(said))}"
        for k, said in observation.contents.items()
        if len(set(said)) > 1
    ]
    return twice


def identical_resends(observation: Observation) -> int:
    """SMTP transactions beyond the first of the same e-mail (Message-ID and recipient): the
    at-least-once window of SMTP (a sender killed after the server accepted a message and
    before it recorded that) - the same message, which mailboxes and calendars keep once."""
    return sum(n - 1 for n in observation.message_ids.values() if n > 1)
