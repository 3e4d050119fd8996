"""Batch scheduling: place many agreed meetings at once, as well as possible, fast.

The goal is lexicographic: (a) as many meetings placed as possible, (b) the fairness floor
(every exporter at least ``min_meetings_per_exporter`` where possible), (c) total match
score. The method:

1. most-constrained-first greedy: requests with the fewest common usable slots go first
   (the fairness floor's share of each exporter ahead of the rest), each to its least
   contended free common slot;
2. ejection chains for every request left waiting: take a slot where only one party is
   busy, move that party's meeting along a chain of free slots (depth and budget grow in
   rounds), roll back exactly when the chain fails;
3. count-neutral swaps that raise the fairness floor, then ones that raise total score.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ._engine import improve
from ._model import Model
from .calendar import Calendar

__all__ = ["Request", "SolveResult", "solve"]


@dataclass(frozen=True, slots=True)
class Request:
    """An agreed meeting to place: its id, both parties and its match score."""

    request_id: str
    exporter_id: str
    importer_id: str
    score: float = 0.0


@dataclass(slots=True)
class SolveResult:
    """Where each request starts (UTC), which stay waiting, and the objective reached."""

    starts_at: dict[str, dt.datetime] = field(default_factory=dict)
    waiting: list[str] = field(default_factory=list)
    placed: int = 0
    fairness: int = 0
    total_score: float = 0.0
    seconds: float = 0.0


def plan(model: Model, movable: Sequence[int], within: int, deadline: float) -> None:
    """Place the ``movable`` requests of a model (already-placed ones stay as they are)."""
    engine = model.engine
    allowed = engine.allowed
    score = engine.score
    exp = engine.exp
    floor = engine.floor
    priority: set[int] = set()
    if floor:
        by_exporter: dict[int, list[int]] = {}
        for r in movable:
            by_exporter.setdefault(exp[r], []).append(r)
        for rs in by_exporter.values():
            rs.sort(key=lambda r: (-(allowed[r] & within).bit_count(), -score[r]))
            priority.update(rs[:floor])
    order = sorted(
        (r for r in movable if engine.pos[r] < 0 and engine.active[r]),
        key=lambda r: (r not in priority, (allowed[r] & within).bit_count(), -score[r]),
    )
    engine.greedy(order, within)
    engine.journal.clear()
    improve(engine, movable, within=within, deadline=deadline)


def solve(
    calendar: Calendar,
    requests: Iterable[Request],
    *,
    fixed: Mapping[str, dt.datetime] | None = None,
    not_before: dt.datetime | None = None,
    time_budget: float = 1.0,
) -> SolveResult:
    """Schedule ``requests`` on ``calendar`` from scratch.

    ``fixed`` pins some requests (by id) to their UTC start: they are kept as they are and
    never moved. ``not_before`` forbids slots starting before it for the others. The
    repair passes stop at ``time_budget`` seconds (the greedy pass always completes).
    """
    started = time.perf_counter()
    deadline = started + time_budget
    request_list = list(requests)
    model = Model(
        calendar,
        [(r.request_id, r.exporter_id, r.importer_id, r.score) for r in request_list],
    )
    engine = model.engine
    fixed = fixed or {}
    for request_id, starts_at in fixed.items():
        r = model.request_index[request_id]
        engine.fixed[r] = True
        engine.assign(r, model.position_of[calendar.slot_index(starts_at)])
    within = -1
    if not_before is not None:
        within = model.positions_from(calendar.first_slot_at_or_after(not_before))
    movable = [r for r in range(len(request_list)) if not engine.fixed[r]]
    plan(model, movable, within, deadline)
    result = SolveResult()
    result.placed, result.fairness, result.total_score = engine.objective(range(len(request_list)))
    for r, request_id in enumerate(model.request_ids):
        position = engine.pos[r]
        if position < 0:
            result.waiting.append(request_id)
        else:
            result.starts_at[request_id] = calendar.slot_start(model.column_of[position])
    result.seconds = time.perf_counter() - started
    return result
