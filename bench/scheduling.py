"""Scheduling benchmark: ``python bench/scheduling.py --instance base --json``.

Runs the domain's batch solver and a plain greedy-by-score baseline on a deterministic
instance, validates the result independently and compares it with a valid upper bound.
Timings cover the solver alone (model build included), not instance generation, the
bound or validation.

Forum instances (``forum-*``, in person and hybrid) are measured instead beside OR-Tools
CP-SAT on the same instance (``scheduling_exact``; ``--exact-seconds`` each): meetings
placed, total idle gaps and their spread, importers' table changes, seconds, validator
violations; and CP-SAT's best placed and best gaps with their bounds.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from rueda.scheduling.domain import (
    Calendar,
    Request,
    solve,
    upper_bound,
    validate,
)
from rueda.scheduling.domain.solver import SolveResult
from rueda.scheduling.domain.validation import idle_gaps
from scheduling_instances import FORUMS, INSTANCES, Instance, build


class _Placed:
    __slots__ = ("exporter_id", "importer_id", "meeting_id", "session", "starts_at", "table")

    def __init__(self, request: Request, starts_at: Any, table: int | None = None) -> None:
        self.meeting_id = request.request_id
        self.exporter_id = request.exporter_id
        self.importer_id = request.importer_id
        self.starts_at = starts_at
        self.table = table
        self.session = request.session


def greedy_by_score(calendar: Calendar, requests: list[Request]) -> dict[str, int]:
    """Baseline: highest score first, each at the earliest free common slot (grid index)."""
    settings = calendar.settings
    if settings.max_meetings_per_day is not None:
        raise ValueError("the baseline ignores daily caps")
    radius = -(-settings.buffer_minutes // settings.slot_minutes)
    spread = (1 << (2 * radius + 1)) - 1
    free: dict[str, int] = {}
    placed: dict[str, int] = {}
    for request in sorted(requests, key=lambda r: -r.score):
        for pid in (request.exporter_id, request.importer_id):
            if pid not in free:
                free[pid] = calendar.usable_mask(pid)
        common = free[request.exporter_id] & free[request.importer_id]
        if not common:
            continue
        slot = (common & -common).bit_length() - 1
        placed[request.request_id] = slot
        blocked = (spread << slot) >> radius
        free[request.exporter_id] &= ~blocked
        free[request.importer_id] &= ~blocked
    return placed


def run(instance: Instance, budget: float) -> dict[str, Any]:
    """Measure one instance; returns the JSON-ready result."""
    calendar, requests = instance.calendar, instance.requests
    gc.collect()
    started = time.perf_counter()
    baseline = greedy_by_score(calendar, requests)
    greedy_seconds = time.perf_counter() - started
    gc.collect()
    started = time.perf_counter()
    result: SolveResult = solve(calendar, requests, time_budget=budget)
    seconds = time.perf_counter() - started
    by_id = {r.request_id: r for r in requests}
    placed = [_Placed(by_id[rid], at) for rid, at in result.starts_at.items()]
    violations = validate(calendar, placed)
    greedy_violations = validate(
        calendar,
        [_Placed(by_id[rid], calendar.slot_start(slot)) for rid, slot in baseline.items()],
    )
    started = time.perf_counter()
    bound = upper_bound(calendar, requests)
    bound_seconds = time.perf_counter() - started
    exporters = {r.exporter_id for r in requests}
    served = {by_id[rid].exporter_id for rid in result.starts_at}
    return {
        "instance": instance.name,
        "requests": len(requests),
        "exporters": len(exporters),
        "importers": len({r.importer_id for r in requests}),
        "upper_bound": bound,
        "scheduled": result.placed,
        "pct_of_upper_bound": round(100.0 * result.placed / bound, 2) if bound else 100.0,
        "seconds": round(seconds, 3),
        "violations": len(violations),
        "exporters_without_meeting": len(exporters - served),
        "total_score": round(result.total_score, 2),
        "greedy_scheduled": len(baseline),
        "greedy_pct_of_upper_bound": round(100.0 * len(baseline) / bound, 2) if bound else 100.0,
        "greedy_seconds": round(greedy_seconds, 3),
        "greedy_violations": len(greedy_violations),
        "upper_bound_seconds": round(bound_seconds, 3),
        "time_budget": budget,
    }


def run_forum(instance: Instance, budget: float, exact_seconds: float) -> dict[str, Any]:
    """Measure one forum instance, ours beside CP-SAT's."""
    from scheduling_exact import exact  # ortools: a dev/bench dependency only

    calendar, requests = instance.calendar, instance.requests
    gc.collect()
    started = time.perf_counter()
    result = solve(calendar, requests, fixed=instance.fixed, time_budget=budget)
    seconds = time.perf_counter() - started
    by_id = {r.request_id: r for r in requests}
    placed = [
        _Placed(by_id[rid], at, result.tables.get(rid)) for rid, at in result.starts_at.items()
    ]
    violations = validate(calendar, placed)
    gaps = idle_gaps(calendar, placed)
    reference = exact(calendar, requests, instance.fixed, seconds=exact_seconds)
    bound = max(reference.idle_gaps_bound, 0)
    return {
        "instance": instance.name,
        "format": calendar.settings.format,
        "days": len(calendar.settings.days),
        "participants": len(calendar.parties),
        "requests": len(requests),
        "tables": len(calendar.settings.tables),
        "fixed": len(instance.fixed),
        "scheduled": result.placed,
        "idle_gaps": sum(gaps.values()),
        "gap_spread": max(gaps.values()) - min(gaps.values()) if gaps else 0,
        "table_changes": result.table_changes,
        "seconds": round(seconds, 3),
        "violations": len(violations),
        "waiting_reasons": sorted({code for code, _ in result.reasons.values()}),
        **reference.as_dict(),
        "all_placed_when_exact_does": result.placed >= reference.placed
        or reference.placed < len(requests),
        "gaps_within_10pct_of_exact_best": sum(gaps.values())
        <= max(reference.idle_gaps, 0) * 1.1 + 1e-9
        if result.placed >= reference.placed
        else None,
        "gaps_vs_bound": f"{sum(gaps.values())}/{bound}",
        "time_budget": budget,
    }


def main(argv: list[str]) -> int:
    """Entry point shared by ``rueda bench scheduling`` and ``python bench/scheduling.py``."""
    parser = argparse.ArgumentParser(prog="rueda bench scheduling", description=__doc__)
    parser.add_argument("--instance", default="base", choices=[*INSTANCES, "all"])
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument(
        "--budget", type=float, default=0.8, help="seconds allowed for the repair passes"
    )
    parser.add_argument(
        "--exact-seconds", type=float, default=20.0, help="CP-SAT's limit per forum instance"
    )
    args = parser.parse_args(argv)
    names = list(INSTANCES) if args.instance == "all" else [args.instance]
    results = [
        run_forum(build(name), args.budget, args.exact_seconds)
        if name in FORUMS
        else run(build(name), args.budget)
        for name in names
    ]
    document: Any = results if args.instance == "all" else results[0]
    if args.json:
        print(json.dumps(document))
    else:
        forums = [item for item in results if item["instance"] in FORUMS]
        if forums:
            print(
                f"{'instance':>8} {'fmt':>9} {'req':>4} {'tab':>3} | {'placed':>6} {'gaps':>4} "
                f"{'sprd':>4} {'tchg':>4} {'sec':>5} {'viol':>4} | {'cp-sat placed':>13} "
                f"{'gaps (bound)':>12} {'sec':>5}"
            )
        for item in forums:
            print(
                f"{item['instance']:>8} {item['format']:>9} {item['requests']:>4} "
                f"{item['tables']:>3} | {item['scheduled']:>6} {item['idle_gaps']:>4} "
                f"{item['gap_spread']:>4} {item['table_changes']:>4} {item['seconds']:>5} "
                f"{item['violations']:>4} | "
                f"{item['exact_placed']:>4} ({item['exact_placed_bound']}) "
                f"{item['exact_placed_status']:>8} "
                f"{item['exact_idle_gaps']:>4} ({item['exact_idle_gaps_bound']}) "
                f"{item['exact_seconds']:>5}"
            )
        for item in results:
            if item["instance"] in FORUMS:
                continue
            print(
                f"{item['instance']:>6}: {item['scheduled']}/{item['upper_bound']} "
                f"({item['pct_of_upper_bound']}%) in {item['seconds']} s, "
                f"{item['violations']} violations; greedy {item['greedy_scheduled']} "
                f"({item['greedy_pct_of_upper_bound']}%)"
            )
    bad = [item for item in results if item["violations"]]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
