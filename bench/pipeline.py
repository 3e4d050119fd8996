"""Pipeline benchmark: ``rueda bench pipeline --json``.

On the local Apache Kafka and SecantusDB, with every service and the gateway as its own
process (as `rueda demo` runs them) and an SMTP sink in this process:

(a) baseline: a raw aiokafka produce -> consume loop (JSON decoded, offsets committed per
    batch) with the same number and size of messages, at the same rate and as a burst;
(b) pipeline: `MeetingAgreed` envelopes published straight into `matching.events.v1` until
    the scheduling service placed each meeting and the notifications service's invitations
    to both parties were accepted by the SMTP sink (UID and recipient read from the ICS).

Both run twice: paced at `--rate` meetings/s (latency from publish to the second invite,
p50/p99) and as a burst of the same count (throughput, and from it the cost per message).
A few warm-up meetings first are not counted. `fetch_max_wait_ms` is `--fetch-ms` (10).
The participants are registered and approved through the gateway beforehand, in request
mode, so that matching agrees nothing by itself. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from _common import (
    TimedSink,
    bench_stack,
    future_days,
    infrastructure,
    invitations,
    peak_rss_kb,
    percentile,
    quiet,
    register_and_approve,
    timed_sink,
)
from rueda.cli import scenario
from rueda.cli.replay import RoundReplay
from rueda.shared.contracts import CalendarSettings, Envelope, topic
from rueda.shared.contracts.matching import MeetingAgreed, PartyCalendar
from rueda.shared.messaging.kafka import envelope_headers

DAYS = 10
WINDOW = {"start": "07:00", "end": "21:00"}


# --- (a) the raw aiokafka baseline ------------------------------------------------------


async def _baseline_phase(
    producer: AIOKafkaProducer,
    consumer: AIOKafkaConsumer,
    topic_name: str,
    size: int,
    count: int,
    rate: float,
) -> dict[str, float]:
    sent: dict[int, float] = {}
    latencies: list[float] = []
    done = asyncio.Event()
    last = 0.0

    async def consume() -> None:
        nonlocal last
        while len(latencies) < count:
            batches = await consumer.getmany(timeout_ms=200)
            for records in batches.values():
                for record in records:
                    body = json.loads(record.value)
                    at = time.monotonic()
                    if body["i"] in sent:
                        latencies.append(at - sent[body["i"]])
                        last = at
            if batches:
                await consumer.commit()
        done.set()

    task = asyncio.create_task(consume())
    pad = "x" * max(0, size - 40)
    started = time.monotonic()
    pending = []
    for i in range(count):
        if rate > 0:
            delay = started + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        value = json.dumps({"i": i, "run": started, "pad": pad}).encode()
        sent[i] = time.monotonic()
        pending.append(await producer.send(topic_name, value, key=b"baseline"))
    await asyncio.gather(*pending)
    await asyncio.wait_for(task, timeout=120)
    return _figures(latencies, count, started, last)


async def baseline(kafka: str, prefix: str, size: int, count: int, rate: float, fetch_ms: int):  # type: ignore[no-untyped-def]
    topic_name = f"{prefix}bench.baseline"
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic_name, 1, 1)])
        for _ in range(100):
            if topic_name in set(await admin.list_topics()):
                break
            await asyncio.sleep(0.1)
    finally:
        await admin.close()
    producer = AIOKafkaProducer(bootstrap_servers=kafka, linger_ms=0, acks="all")
    consumer = AIOKafkaConsumer(
        topic_name,
        bootstrap_servers=kafka,
        group_id=f"{prefix}baseline",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        fetch_max_wait_ms=fetch_ms,
    )
    await producer.start()
    await consumer.start()
    try:
        while not consumer.assignment():
            await consumer.getmany(timeout_ms=100)
        paced = await _baseline_phase(producer, consumer, topic_name, size, count, rate)
        burst = await _baseline_phase(producer, consumer, topic_name, size, count, 0)
    finally:
        await consumer.stop()
        await producer.stop()
        admin = AIOKafkaAdminClient(bootstrap_servers=kafka)
        await admin.start()
        try:
            await admin.delete_topics([topic_name])
        except Exception:
            pass
        finally:
            await admin.close()
    return {"paced": paced, "burst": burst, "message_bytes": size}


def _figures(latencies: list[float], count: int, started: float, last: float) -> dict[str, float]:
    elapsed = max(last - started, 1e-9)
    return {
        "messages": len(latencies),
        "expected": count,
        "seconds": round(elapsed, 3),
        "per_s": round(len(latencies) / elapsed, 1),
        "us_per_message": round(1e6 * elapsed / max(len(latencies), 1), 1),
        "p50_ms": round(1000 * percentile(latencies, 50), 2),
        "p99_ms": round(1000 * percentile(latencies, 99), 2),
        "max_ms": round(1000 * max(latencies, default=0.0), 2),
    }


# --- (b) the pipeline --------------------------------------------------------------------


class Pipeline:
    """Publishes `MeetingAgreed` and watches the sink for both invitations."""

    def __init__(
        self,
        producer: AIOKafkaProducer,
        sink: TimedSink,
        prefix: str,
        roundtable_id: str,
        exporters: list[tuple[str, dict[str, Any]]],
        importers: list[tuple[str, dict[str, Any]]],
        calendar: CalendarSettings,
    ) -> None:
        self.producer = producer
        self.sink = sink
        self.topic = topic("matching.events.v1").physical(prefix)
        self.rt = roundtable_id
        self.exporters = exporters
        self.importers = importers
        self.calendar = calendar
        self.next_pair = 0
        self.emails = {
            pid: body["contact"]["email"].lower() for pid, body in [*exporters, *importers]
        }
        self.parsed = 0
        self.invited: dict[str, dict[str, float]] = {}  # meeting -> recipient -> first arrival
        self.duplicates = 0
        self.message_bytes = 0

    def _party(self, pid: str, body: dict[str, Any]) -> PartyCalendar:
        return PartyCalendar(
            participant_id=pid,
            role=body["role"],
            country=body["country"],
            timezone=body["timezone"],
        )

    def agreed(self) -> tuple[str, tuple[str, str], bytes, dict[str, str]]:
        k = self.next_pair
        self.next_pair += 1
        n = len(self.exporters)
        exp = self.exporters[k % n]
        imp = self.importers[(k % n + k // n) % len(self.importers)]
        meeting_id = f"m-{uuid.uuid4().hex[:12]}"
        payload = MeetingAgreed(
            meeting_id=meeting_id,
            exporter=self._party(*exp),
            importer=self._party(*imp),
            calendar=self.calendar,
            score=1.0,
            source="auto",
        )
        envelope = Envelope.wrap(
            payload, producer="matching", roundtable_id=self.rt, correlation_id=meeting_id
        )
        value = envelope.to_bytes()
        self.message_bytes = len(value)
        recipients = (self.emails[exp[0]], self.emails[imp[0]])
        return meeting_id, recipients, value, envelope_headers(envelope)

    def _scan(self) -> None:
        received = self.sink.snapshot()
        new = received[self.parsed :]
        self.parsed = len(received)
        found, _ = invitations(new)
        for invite in found:
            seen = self.invited.setdefault(invite.meeting_id, {})
            if invite.recipient in seen:
                self.duplicates += 1
            else:
                seen[invite.recipient] = invite.arrived

    async def phase(self, count: int, rate: float, within_s: float) -> dict[str, Any]:
        published: dict[str, tuple[float, tuple[str, str]]] = {}
        started = time.monotonic()
        pending = []
        for i in range(count):
            if rate > 0:
                delay = started + i / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
            meeting_id, recipients, value, headers = self.agreed()
            published[meeting_id] = (time.monotonic(), recipients)
            pending.append(
                await self.producer.send(
                    self.topic,
                    value,
                    key=self.rt.encode(),
                    headers=[(k, v.encode()) for k, v in headers.items()],
                )
            )
        await asyncio.gather(*pending)
        deadline = time.monotonic() + within_s
        complete: dict[str, float] = {}
        while time.monotonic() < deadline:
            self._scan()
            for mid, (_, recipients) in published.items():
                if mid in complete:
                    continue
                seen = self.invited.get(mid, {})
                if all(r in seen for r in recipients):
                    complete[mid] = max(seen[r] for r in recipients)
            if len(complete) == len(published):
                break
            await asyncio.sleep(0.05)
        latencies = [complete[mid] - published[mid][0] for mid in complete]
        last = max(complete.values(), default=started)
        figures = _figures(latencies, count, started, last)
        figures["incomplete"] = len(published) - len(complete)
        return figures


def _bodies(pairs: int) -> tuple[list[dict[str, Any]], int]:
    side = max(2, math.ceil(math.sqrt(pairs * 1.1)))
    exporters = []
    for i in range(side):
        body = scenario.exporter(i)
        body.update(country="CO", timezone="America/Bogota", languages=["es", "en"])
        body["company"]["tax_id"] = f"CO-{1000 + i}"
        exporters.append(body)
    importers = [scenario.importer(i) for i in range(side)]
    return exporters + importers, side


async def run(
    args: argparse.Namespace, kafka: str, mongo: str, idempotence: bool
) -> dict[str, Any]:
    total = args.meetings * 2 + args.warmup
    with timed_sink() as sink:
        env = {
            "RUEDA_FETCH_MAX_WAIT_MS": str(args.fetch_ms),
            "RUEDA_MATCHES_DIGEST_DELAY_S": "0.5",
        }
        async with bench_stack(kafka, mongo, idempotence, sink, env=env) as (stack, prefix, logs):
            rt = f"bench-{uuid.uuid4().hex[:8]}"
            replay = RoundReplay(stack.gateway, rt, progress=lambda _: None)
            roundtable = scenario.roundtable(rt)
            roundtable.update(
                days=[d.isoformat() for d in future_days(DAYS)],
                default_window=WINDOW,
                exporter_countries=["CO"],
                agencies=[a for a in scenario.AGENCIES if a["country"] == "CO"],
            )
            roundtable["matching"] = {"mode": "request", "max_meetings_per_participant": 200}
            bodies, side = _bodies(total)
            t0 = time.monotonic()
            try:
                participants, _, _ = await register_and_approve(replay, roundtable, bodies)
            finally:
                await replay.close()
            setup_s = time.monotonic() - t0
            await quiet(sink, quiet_s=1.5, within_s=30)
            mails_before = sink.count()
            exporters = [(p, b) for p, b in participants.items() if b["role"] == "exporter"]
            importers = [(p, b) for p, b in participants.items() if b["role"] == "importer"]
            calendar = CalendarSettings(
                days=roundtable["days"], slot_minutes=30, buffer_minutes=0, default_window=WINDOW
            )
            producer = AIOKafkaProducer(bootstrap_servers=kafka, linger_ms=0, acks="all")
            await producer.start()
            try:
                pipe = Pipeline(producer, sink, prefix, rt, exporters, importers, calendar)
                await pipe.phase(args.warmup, args.rate, within_s=60)
                paced = await pipe.phase(args.meetings, args.rate, within_s=args.within)
                burst = await pipe.phase(args.meetings, 0, within_s=args.within)
            finally:
                await producer.stop()
            memory = peak_rss_kb(stack)
            size = pipe.message_bytes
            duplicates = pipe.duplicates
            mails = sink.count() - mails_before
        base = await baseline(kafka, prefix, size, args.meetings, args.rate, args.fetch_ms)
    return {
        "benchmark": "pipeline",
        "meetings": args.meetings,
        "rate_per_s": args.rate,
        "warmup": args.warmup,
        "fetch_max_wait_ms": args.fetch_ms,
        "message_bytes": size,
        "participants": {"exporters": side, "importers": side},
        "setup_seconds": round(setup_s, 1),
        "baseline": base,
        "pipeline": {
            "paced": paced,
            "burst": burst,
            "duplicate_invites": duplicates,
            "emails": mails,
        },
        "ratios": {
            "paced_p50": _ratio(paced["p50_ms"], base["paced"]["p50_ms"]),
            "paced_p99": _ratio(paced["p99_ms"], base["paced"]["p99_ms"]),
            "burst_per_s": _ratio(burst["per_s"], base["burst"]["per_s"]),
            "burst_us_per_message": _ratio(
                burst["us_per_message"], base["burst"]["us_per_message"]
            ),
        },
        "targets": {
            "paced_p99_ms_max": 100,
            "paced_p99_met": paced["p99_ms"] <= 100 and paced["incomplete"] == 0,
        },
        "peak_rss_kb": memory,
        "logs": str(logs),
    }


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def main(argv: list[str]) -> int:
    """Entry point shared by ``rueda bench pipeline`` and ``python bench/pipeline.py``."""
    parser = argparse.ArgumentParser(prog="rueda bench pipeline", description=__doc__)
    parser.add_argument("--meetings", type=int, default=500, help="per phase (paced, burst)")
    parser.add_argument("--rate", type=float, default=50.0, help="meetings/s of the paced phase")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--fetch-ms", type=int, default=10)
    parser.add_argument("--within", type=float, default=300.0, help="seconds allowed per phase")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    with infrastructure() as (kafka, mongo, idempotence):
        result = asyncio.run(run(args, kafka, mongo, idempotence))
    if args.json:
        print(json.dumps(result))
    else:
        print(json.dumps(result, indent=2))
    ok = (
        result["pipeline"]["paced"]["incomplete"] == 0
        and result["pipeline"]["burst"]["incomplete"] == 0
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
