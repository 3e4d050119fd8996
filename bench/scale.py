"""Scale benchmark: ``rueda bench scale --json`` (``--size 0.1`` for a quick smaller run).

A Macrorrueda-100-sized roundtable (1,700 exporters, 683 importers, auto mode, enough
agreed meetings for at least 12,000 scheduled) registered through the gateway, approved
(agencies their exporters, the organizer the importers), auto-matched, scheduled and
notified end to end, with every service and the gateway as its own process on the local
Apache Kafka and SecantusDB and an SMTP sink in this process.

Prints one JSON object: seconds per stage (each measured to the moment its last change was
first seen, not including the quiet period that shows it settled) and in total, meetings
scheduled, e-mails sent, invitations, validator violations (the scheduling domain's
`validate` on the schedule read back through the gateway), duplicate e-mails, and the peak
resident memory (VmHWM) of each service process.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import sys
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    TimedSink,
    bench_stack,
    future_days,
    infrastructure,
    invitations,
    peak_rss_kb,
    register_and_approve,
    timed_sink,
)
from rueda.cli import scenario
from rueda.cli.replay import RoundReplay
from rueda.scheduling.domain import Calendar, Party, validate
from rueda.scheduling.handlers import calendar_settings
from rueda.shared.contracts import CalendarSettings

EXPORTERS = 1700
IMPORTERS = 683
SCHEDULED = 12_000
DAYS = 4
WINDOW = {"start": "07:00", "end": "21:00"}
MAX_PER_PARTICIPANT = 24


class _Placed:
    __slots__ = ("exporter_id", "importer_id", "meeting_id", "starts_at")

    def __init__(self, meeting: dict[str, Any]) -> None:
        self.meeting_id = meeting["meeting_id"]
        self.exporter_id = meeting["exporter_id"]
        self.importer_id = meeting["importer_id"]
        self.starts_at = dt.datetime.fromisoformat(meeting["starts_at"])


def _bodies(exporters: int, importers: int) -> list[dict[str, Any]]:
    return [scenario.exporter(i) for i in range(exporters)] + [
        scenario.importer(i) for i in range(importers)
    ]


async def _settle(
    observe: Any,
    *,
    done: Any,
    quiet_s: float,
    give_up_s: float,
    within_s: float,
    every_s: float = 1.0,
) -> tuple[Any, float]:
    """Poll `observe()` every `every_s` until its value is `done` and unchanged for `quiet_s`,
    or unchanged for `give_up_s`, or `within_s` passed. Returns (value, when it was first
    seen)."""
    started = time.monotonic()
    value = await observe()
    since = time.monotonic()
    while time.monotonic() - started < within_s:
        await asyncio.sleep(every_s)
        now_value = await observe()
        if now_value != value:
            value, since = now_value, time.monotonic()
            continue
        still = time.monotonic() - since
        if (done(value) and still >= quiet_s) or still >= give_up_s:
            break
    return value, since


async def run(
    args: argparse.Namespace, kafka: str, mongo: str, idempotence: bool
) -> dict[str, Any]:
    exporters = max(4, round(EXPORTERS * args.size))
    importers = max(2, round(IMPORTERS * args.size))
    target = math.ceil(SCHEDULED * args.size)
    result: dict[str, Any] = {
        "benchmark": "scale",
        "size": args.size,
        "exporters": exporters,
        "importers": importers,
        "target_scheduled": target,
        "fetch_max_wait_ms": args.fetch_ms,
    }
    seconds: dict[str, float] = {}
    with timed_sink() as sink:
        env = {"RUEDA_FETCH_MAX_WAIT_MS": str(args.fetch_ms)}
        async with bench_stack(kafka, mongo, idempotence, sink, env=env) as (stack, _prefix, logs):
            rt = f"scale-{uuid.uuid4().hex[:8]}"
            replay = RoundReplay(stack.gateway, rt, progress=lambda _: None, within_s=args.within)
            roundtable = scenario.roundtable(rt)
            days = [d.isoformat() for d in future_days(DAYS)]
            roundtable.update(days=days, default_window=WINDOW)
            roundtable["matching"] = {
                "mode": "auto",
                "max_meetings_per_participant": MAX_PER_PARTICIPANT,
                "min_meetings_per_exporter": 1,
                "top_k": 30,
            }
            t0 = time.monotonic()
            try:
                participants, seconds["register"], seconds["approve"] = await register_and_approve(
                    replay,
                    roundtable,
                    _bodies(exporters, importers),
                    concurrency=args.concurrency,
                )
                _progress(args, f"registered and approved {len(participants)}", seconds)

                async def scheduled_count() -> int:
                    return len(await _scheduled(replay))

                t1 = time.monotonic()
                count, last_change = await _settle(
                    scheduled_count,
                    done=lambda n: n >= target,
                    quiet_s=5.0,
                    give_up_s=args.give_up,
                    within_s=args.within,
                    # each look lists every meeting (gateway, scheduling, MongoDB): at full
                    # size once a second it would take a good part of the CPU it measures
                    every_s=max(1.0, target / 1000),
                )
                seconds["match_and_schedule"] = last_change - t1
                _progress(args, f"{count} meetings scheduled", seconds)
                meetings = await _scheduled(replay)
            finally:
                await replay.close()

            t2 = time.monotonic()
            wanted = 2 * len(meetings)
            invited_so_far = _Invited(sink, {m["meeting_id"] for m in meetings})

            async def invite_count() -> int:
                return invited_so_far.count()

            invited, last_invite = await _settle(
                invite_count,
                done=lambda n: n >= wanted,
                quiet_s=3.0,
                give_up_s=args.give_up,
                within_s=args.within,
            )
            seconds["notify"] = max(0.0, last_invite - t2)
            seconds["total"] = last_invite - t0
            memory = peak_rss_kb(stack)
            received = sink.snapshot()
            result["logs"] = str(logs)

    invites, emails = invitations(received)
    per_key = Counter((i.meeting_id, i.recipient, i.sequence) for i in invites)
    message_ids = Counter(
        i.message_id for i in invites if i.message_id
    )  # one Message-ID per mail, several recipients share it
    violations = _violations(roundtable, participants, meetings)
    result.update(
        seconds={k: round(v, 1) for k, v in seconds.items()},
        meetings_scheduled=len(meetings),
        emails_sent=emails,
        invitations=invited,
        invitations_expected=wanted,
        validator_violations=len(violations),
        duplicate_emails=sum(n - 1 for n in per_key.values() if n > 1),
        duplicate_message_ids=sum(
            1 for mid, n in message_ids.items() if n > 2
        ),  # an invite goes to one recipient: more than 2 per id is a repeat
        peak_rss_kb=memory,
        targets={
            "total_s_max": 60,
            "total_met": seconds["total"] <= 60,
            "scheduled_met": len(meetings) >= target,
            "no_violations": not violations,
        },
    )
    return result


def _progress(args: argparse.Namespace, text: str, seconds: dict[str, float]) -> None:
    if not args.quiet:
        shown = ", ".join(f"{k} {v:.1f}s" for k, v in seconds.items())
        print(f"{text} ({shown})", file=sys.stderr, flush=True)


async def _scheduled(replay: RoundReplay) -> list[dict[str, Any]]:
    return [m for m in await replay.meetings() if m["status"] == "scheduled"]


class _Invited:
    """(meeting, recipient) pairs invited so far, each mail parsed once as it arrives: the
    stage is polled every second, and parsing every mail received on each poll made the
    benchmark itself take a whole core at full size (30,000 mails)."""

    def __init__(self, sink: TimedSink, meeting_ids: set[str]) -> None:
        self._sink = sink
        self._meeting_ids = meeting_ids
        self._parsed = 0
        self._pairs: set[tuple[str, str]] = set()

    def count(self) -> int:
        received = self._sink.snapshot()
        found, _ = invitations(received[self._parsed :])
        self._parsed = len(received)
        self._pairs.update(
            (i.meeting_id, i.recipient) for i in found if i.meeting_id in self._meeting_ids
        )
        return len(self._pairs)


def _violations(
    roundtable: dict[str, Any],
    participants: dict[str, dict[str, Any]],
    meetings: list[dict[str, Any]],
) -> list[Any]:
    contract = CalendarSettings(
        days=roundtable["days"],
        slot_minutes=roundtable["slot_minutes"],
        buffer_minutes=roundtable["buffer_minutes"],
        default_window=roundtable["default_window"],
    )
    calendar = Calendar(
        calendar_settings(contract, 0),
        [Party(pid, body["timezone"]) for pid, body in participants.items()],
    )
    return validate(calendar, [_Placed(m) for m in meetings])


def main(argv: list[str]) -> int:
    """Entry point shared by ``rueda bench scale`` and ``python bench/scale.py``."""
    parser = argparse.ArgumentParser(prog="rueda bench scale", description=__doc__)
    parser.add_argument("--size", type=float, default=1.0, help="fraction of Macrorrueda 100")
    parser.add_argument("--concurrency", type=int, default=32, help="gateway calls in flight")
    parser.add_argument("--within", type=float, default=1800.0, help="seconds allowed per stage")
    parser.add_argument(
        "--give-up", type=float, default=30.0, help="a stage with no progress for this long ends"
    )
    parser.add_argument(
        "--fetch-ms",
        type=int,
        default=100,
        help="consumers' fetch_max_wait_ms: the services' default (100); a throughput run "
        "gains nothing from the pipeline benchmark's 10, whose idle fetches of six consumers "
        "per service take CPU from the work on two cores",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args(argv)
    with infrastructure() as (kafka, mongo, idempotence):
        result = asyncio.run(run(args, kafka, mongo, idempotence))
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    ok = result["validator_violations"] == 0 and result["duplicate_emails"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
