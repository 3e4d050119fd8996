"""Scheduling benchmark: ``python bench/scheduling.py --instance base --json``.

Runs the domain's batch solver and a plain greedy-by-score baseline on a deterministic
instance, validates the result independently and compares it with a valid upper bound.
Timings cover the solver alone (model build included), not instance generation, the
bound or validation.
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
from scheduling_instances import INSTANCES, Instance, build


class _Placed:
    __slots__ = ("exporter_id", "importer_id", "meeting_id", "starts_at")

    def __init__(self, request: Request, starts_at: Any) -> None:
        self.meeting_id = request.request_id
        self.exporter_id = request.exporter_id
        self.importer_id = request.importer_id
        self.starts_at = starts_at


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


def main(argv: list[str]) -> int:
    """Entry point shared by ``rueda bench scheduling`` and ``python bench/scheduling.py``."""
    parser = argparse.ArgumentParser(prog="rueda bench scheduling", description=__doc__)
    parser.add_argument("--instance", default="base", choices=[*INSTANCES, "all"])
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument(
        "--budget", type=float, default=0.8, help="seconds allowed for the repair passes"
    )
    args = parser.parse_args(argv)
    names = list(INSTANCES) if args.instance == "all" else [args.instance]
    results = [run(build(name), args.budget) for name in names]
    document: Any = results if args.instance == "all" else results[0]
    if args.json:
        print(json.dumps(document))
    else:
        for item in results:
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
