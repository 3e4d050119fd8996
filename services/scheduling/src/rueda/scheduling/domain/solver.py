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
3. count-neutral swaps that raise the fairness floor, then ones that raise total score;
4. with the time left, compact agendas (``_compact``): relocations and swaps that lower
   the gap-spread excess, then the total of idle gaps, never the number placed;
5. tables (``tables``): the engine already keeps at most one in-person meeting per table
   and slot; each in-person meeting then gets a number, importers keeping theirs.

Requests are taken in a canonical order (by id) before anything else, so the result does
not depend on the order they are given in. Fixed requests that cannot be where they are
pinned (a party already busy there, outside a window, no table left) are refused with a
reason instead of being double-booked.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ._compact import compact
from ._engine import improve
from ._model import Model
from .calendar import Calendar
from .tables import Seat, assign_tables, table_changes

__all__ = ["Request", "SolveResult", "solve"]


@dataclass(frozen=True, slots=True)
class Request:
    """An agreed meeting to place: its id, both parties, its match score and, optionally,
    the session (``morning``/``afternoon``) it must be in."""

    request_id: str
    exporter_id: str
    importer_id: str
    score: float = 0.0
    session: str | None = None


@dataclass(slots=True)
class SolveResult:
    """Where each request starts (UTC), which stay waiting and why, and the goal reached.

    ``tables``: the table of every in-person meeting. ``reasons``: for every waiting
    request, ``(reason_code, sentence)``; refused fixed requests have ``fixed_clash``.
    ``idle_gaps``: total over parties; ``gap_spread``: most minus fewest gaps of a party
    with a meeting; ``table_changes``: see :func:`tables.table_changes`.
    """

    starts_at: dict[str, dt.datetime] = field(default_factory=dict)
    waiting: list[str] = field(default_factory=list)
    placed: int = 0
    fairness: int = 0
    total_score: float = 0.0
    seconds: float = 0.0
    tables: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, tuple[str, str]] = field(default_factory=dict)
    idle_gaps: int = 0
    gap_spread: int = 0
    table_changes: int = 0


def plan(
    model: Model,
    movable: Sequence[int],
    within: int,
    deadline: float,
    *,
    min_search: float = 0.0,
) -> None:
    """Place the ``movable`` requests of a model (already-placed ones stay as they are).

    The repair passes get at least ``min_search`` seconds after the greedy pass, even when
    building the model and the greedy pass took the budget (a loaded machine)."""
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
    deadline = max(deadline, time.perf_counter() + min_search)
    improve(engine, movable, within=within, deadline=deadline)


def _pin(model: Model, r: int, starts_at: dt.datetime) -> str | None:
    """Put fixed request ``r`` at its start; the reason it cannot be there, if any."""
    engine = model.engine
    calendar = model.calendar
    try:
        column = calendar.slot_index(starts_at)
    except ValueError as error:
        return str(error)
    q = model.position_of[column]
    e, i = engine.exp[r], engine.imp[r]
    for party in (e, i):
        pid = model.party_ids[party]
        if not (engine.usable[party] >> q) & 1:
            return f"{starts_at.isoformat()} is outside the windows of {pid}."
        clash = next((m for p, m in engine.occ[party].items() if engine.block[q] >> p & 1), None)
        if clash is not None:
            return f"{pid} already has fixed meeting {model.request_ids[clash]} then."
        if not engine.free_at(party, q):
            return f"{pid} already has its daily maximum of meetings that day."
    if engine.in_person[r] and (engine.full >> q) & 1:
        return f"Every one of the {engine.capacity} tables is taken by fixed meetings then."
    engine.fixed[r] = True
    engine.assign(r, q)
    return None


def seats(model: Model) -> list[Seat]:
    """The placed in-person requests of a model, as seats to give tables to."""
    engine = model.engine
    calendar = model.calendar
    out = []
    for r, request_id in enumerate(model.request_ids):
        q = engine.pos[r]
        if q >= 0 and engine.in_person[r]:
            column = model.column_of[q]
            importer = model.party_ids[engine.imp[r]]
            day = calendar.local_date(importer, calendar.slot_start(column)).toordinal()
            out.append(Seat(request_id, column, day, importer))
    return out


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
    never moved, or refused (left waiting, ``fixed_clash``) when they cannot be there.
    ``not_before`` forbids slots starting before it for the others. The search stops at
    ``time_budget`` seconds (the greedy pass always completes, and the repair passes get at
    least 40% of the budget after it, so a slow model build overruns rather than starves).
    """
    from .schedule import explain  # schedule imports this module

    started = time.perf_counter()
    deadline = started + time_budget
    request_list = sorted(requests, key=lambda r: r.request_id)
    model = Model(
        calendar,
        [(r.request_id, r.exporter_id, r.importer_id, r.score) for r in request_list],
        sessions={r.request_id: r.session for r in request_list if r.session is not None},
    )
    engine = model.engine
    refused: dict[str, str] = {}
    for request_id, starts_at in sorted((fixed or {}).items(), key=lambda item: item[1]):
        r = model.request_index[request_id]
        why = _pin(model, r, starts_at)
        if why is not None:
            engine.fixed[r] = True
            engine.active[r] = False
            refused[request_id] = why
    engine.journal.clear()
    within = -1
    if not_before is not None:
        within = model.positions_from(calendar.first_slot_at_or_after(not_before))
    movable = [r for r in range(len(request_list)) if not engine.fixed[r]]
    # the number placed comes first: placement may use 90% of the budget (its passes
    # usually end sooner); compaction takes what is left (it stops when stuck)
    plan(model, movable, within, started + 0.9 * time_budget, min_search=0.4 * time_budget)
    gaps = compact(
        model,
        movable,
        within=within,
        deadline=deadline,
        spread=calendar.settings.max_idle_gap_spread,
    )
    result = SolveResult()
    result.placed, result.fairness, result.total_score = engine.objective(range(len(request_list)))
    for r, request_id in enumerate(model.request_ids):
        position = engine.pos[r]
        if position >= 0:
            result.starts_at[request_id] = calendar.slot_start(model.column_of[position])
            continue
        result.waiting.append(request_id)
        if request_id in refused:
            result.reasons[request_id] = ("fixed_clash", refused[request_id])
        else:
            result.reasons[request_id] = explain(model, r, within)
    result.idle_gaps = gaps.total
    result.gap_spread = max(gaps.counter) - min(gaps.counter) if gaps.counter else 0
    if calendar.settings.tables:
        placed_seats = seats(model)
        result.tables = assign_tables(placed_seats, calendar.settings.tables)
        result.table_changes = table_changes(placed_seats, result.tables)
    result.seconds = time.perf_counter() - started
    return result
