"""`rueda demo`: the 2020 Pacific Alliance round with UK importers, through the real pipeline.

Starts the local infrastructure (if not running), an SMTP sink, every service and the gateway
as processes on fresh topics and databases, replays the round through the public HTTP API and
prints its report, the e-mails sent and the time taken.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import scenario
from .infra import Infra, create_topics, delete_topics
from .replay import ReplayResult, RoundReplay
from .stack import run_stack
from .up import MailSink, mail_sink

__all__ = ["demo", "format_report"]

DEMO_ENV = {
    "RUEDA_FETCH_MAX_WAIT_MS": "50",
    "RUEDA_OUTBOX_POLL_S": "1.0",
    "RUEDA_LOG_FORMAT": "json",
    "RUEDA_SMTP_STARTTLS": "false",
    # the 2020 round is in the past: scheduling must not refuse its slots or its attendance
    "RUEDA_SCHEDULE_REPLAY": "true",
}


def _usd(value: Any) -> str:
    return f"{Decimal(str(value)):,.0f}"


def format_report(report: dict[str, Any]) -> str:
    header = (
        f"{'':<28}{'exp':>5}{'imp':>5}{'sched':>7}{'held':>6}{'no-sh':>7}{'canc':>6}"
        f"{'deals':>7}{'immediate US$':>16}{'projected US$':>16}"
    )

    def row(name: str, block: dict[str, Any]) -> str:
        m, d = block["meetings"], block["deals"]
        return (
            f"{name:<28}{block['exporters']['approved']:>5}"
            f"{block['importers']['approved']:>5}{m['scheduled']:>7}{m['held']:>6}"
            f"{m['no_show']:>7}{m['cancelled']:>6}{d['count']:>7}"
            f"{_usd(d['immediate_usd']):>16}{_usd(d['projected_12m_usd']):>16}"
        )

    lines = [header, row("roundtable", report), ""]
    for scope in ("country", "sector", "agency"):
        lines.append(f"by {scope}")
        for key, block in report[f"by_{scope}"].items():
            lines.append(row(f"  {key}", block))
        lines.append("")
    d = report["deals"]
    lines.append(
        f"deals: {d['agreed']} agreed by both sides, {d['disputed']} disputed, "
        f"{d['one_sided']} one-sided"
    )
    return "\n".join(lines)


def matches_published(report: dict[str, Any]) -> list[str]:
    """Differences between the report and the published 2020 figures (empty when equal)."""
    wrong = []
    if report["meetings"]["held"] != scenario.HELD:
        wrong.append(f"held {report['meetings']['held']} != {scenario.HELD}")
    if Decimal(report["deals"]["immediate_usd"]) != scenario.IMMEDIATE_USD:
        wrong.append(f"immediate {report['deals']['immediate_usd']}")
    if Decimal(report["deals"]["projected_12m_usd"]) != scenario.PROJECTED_USD:
        wrong.append(f"projected {report['deals']['projected_12m_usd']}")
    if report["exporters"]["approved"] != scenario.EXPORTERS:
        wrong.append(f"exporters {report['exporters']['approved']}")
    if report["importers"]["approved"] != scenario.IMPORTERS:
        wrong.append(f"importers {report['importers']['approved']}")
    return wrong


async def _settled_mail(sink: MailSink, quiet_s: float = 3.0, within_s: float = 60.0) -> int:
    """E-mails keep arriving for a moment after the report: wait until they stop."""
    deadline = time.monotonic() + within_s
    count, since = len(sink.messages), time.monotonic()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        if len(sink.messages) != count:
            count, since = len(sink.messages), time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            break
    return count


async def replay_round(
    kafka: str, mongo: str, idempotence: bool, sink: MailSink, logs: Path
) -> tuple[ReplayResult, int]:
    prefix = f"demo{uuid.uuid4().hex[:8]}."
    await create_topics(kafka, prefix=prefix, partitions=3)
    env = {**DEMO_ENV, "RUEDA_SMTP_HOST": sink.host, "RUEDA_SMTP_PORT": str(sink.port)}
    try:
        async with run_stack(
            kafka=kafka, mongo=mongo, prefix=prefix, logs=logs, idempotence=idempotence, env=env
        ) as stack:
            print(f"services up (logs in {logs})", flush=True)
            replay = RoundReplay(
                stack.gateway,
                "pacific-alliance-uk-2020",
                progress=lambda line: print(line, flush=True),
            )
            try:
                result = await replay.run()
            finally:
                await replay.close()
            emails = await _settled_mail(sink)
            return result, emails
    finally:
        await delete_topics(kafka, prefix)


def demo() -> int:
    started = time.monotonic()
    print(
        "Rueda demo: Pacific Alliance e-Business Roundtable with UK importers, "
        "23 June - 2 July 2020",
        flush=True,
    )
    logs = Path(tempfile.mkdtemp(prefix="rueda-demo-"))
    with Infra().started() as state, mail_sink() as sink:
        env = state.env()
        result, emails = asyncio.run(
            replay_round(
                env["RUEDA_KAFKA_BOOTSTRAP"],
                env["RUEDA_MONGO_URI"],
                env.get("RUEDA_KAFKA_IDEMPOTENCE", "true") != "false",
                sink,
                logs,
            )
        )
    print()
    print(format_report(result.report))
    print()
    print(f"e-mails sent: {emails}")
    print(f"time taken:   {time.monotonic() - started:.1f}s")
    wrong = matches_published(result.report)
    if wrong:
        print(f"the report differs from the published figures: {'; '.join(wrong)}")
        return 1
    print(
        f"matches the published figures: {scenario.HELD} meetings held, "
        f"US${scenario.IMMEDIATE_USD:,} immediate, US${scenario.PROJECTED_USD:,} projected"
    )
    return 0
