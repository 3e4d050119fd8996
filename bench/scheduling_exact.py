"""The exact reference for the scheduling benchmark: the same instance in OR-Tools CP-SAT.

A dev/bench tool, never a service dependency. One boolean per meeting and usable slot;
at most one slot per meeting, one meeting per party and slot (the forum instances have no
buffer and no daily cap), at most ``tables`` in-person meetings per slot, fixed meetings
pinned, session-restricted meetings only in their session. Lexicographic in two solves:

1. maximise the meetings placed (time limit ``seconds / 2``);
2. with at least that many placed, minimise the total idle gaps (the rest of the time).
   ``before[p, k]`` / ``after[p, k]`` say party ``p`` has a meeting at or before / at or
   after the ``k``-th usable slot of a session; ``idle >= before + after - 1 - busy``.

Not modelled: the fairness floor and the gap-spread bound (so the gap optimum here is a
lower bound for a schedule that keeps them) and table numbers (capacity only).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from rueda.scheduling.domain import Calendar, Request

__all__ = ["Exact", "exact"]


@dataclass(frozen=True, slots=True)
class Exact:
    """CP-SAT's results: best placed and its bound, best gaps and their bound, statuses."""

    placed: int
    placed_bound: int
    placed_status: str
    idle_gaps: int
    idle_gaps_bound: int
    gaps_status: str
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "exact_placed": self.placed,
            "exact_placed_bound": self.placed_bound,
            "exact_placed_status": self.placed_status,
            "exact_idle_gaps": self.idle_gaps,
            "exact_idle_gaps_bound": self.idle_gaps_bound,
            "exact_gaps_status": self.gaps_status,
            "exact_seconds": round(self.seconds, 2),
        }


def _columns(mask: int) -> list[int]:
    return [c for c in range(mask.bit_length()) if mask >> c & 1]


def exact(
    calendar: Calendar,
    requests: list[Request],
    fixed: dict[str, dt.datetime],
    *,
    seconds: float,
    workers: int = 2,
) -> Exact:
    """Solve the instance with CP-SAT within ``seconds`` (split between the two goals)."""
    settings = calendar.settings
    capacity = len(settings.tables) or None
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    at_party: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    at_column: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    placed_terms = []
    for k, request in enumerate(requests):
        common = calendar.usable_mask(request.exporter_id) & calendar.usable_mask(
            request.importer_id
        )
        if request.session is not None:
            common &= calendar.session_mask(request.exporter_id, request.session)
            common &= calendar.session_mask(request.importer_id, request.session)
        pinned = fixed.get(request.request_id)
        columns = _columns(common)
        if pinned is not None:
            columns = [calendar.slot_index(pinned)]
        variables = []
        for column in columns:
            var = model.new_bool_var(f"x{k}_{column}")
            x[k, column] = var
            variables.append(var)
            at_party[request.exporter_id, column].append(var)
            at_party[request.importer_id, column].append(var)
            if calendar.meets_in_person(request.exporter_id, request.importer_id):
                at_column[column].append(var)
        if pinned is not None:
            model.add(sum(variables) == 1)
        else:
            model.add(sum(variables) <= 1)
        placed_terms.extend(variables)
    for variables in at_party.values():
        if len(variables) > 1:
            model.add_at_most_one(variables)
    if capacity is not None:
        for variables in at_column.values():
            if len(variables) > capacity:
                model.add(sum(variables) <= capacity)
    # idle gaps
    idle_terms = []
    parties = {r.exporter_id for r in requests} | {r.importer_id for r in requests}
    for pid in sorted(parties):
        for session in calendar.sessions(pid):
            columns = _columns(session)
            busy = []
            for column in columns:
                terms = at_party.get((pid, column), [])
                var = model.new_bool_var("")
                model.add(var == sum(terms)) if terms else model.add(var == 0)
                busy.append(var)
            if len(columns) < 3:
                continue
            before = [model.new_bool_var("") for _ in columns]
            after = [model.new_bool_var("") for _ in columns]
            for k in range(len(columns)):
                model.add(before[k] >= busy[k])
                model.add(after[k] >= busy[k])
                if k:
                    model.add(before[k] >= before[k - 1])
                    model.add(after[k - 1] >= after[k])
            for k in range(1, len(columns) - 1):
                idle = model.new_bool_var("")
                model.add(idle >= before[k - 1] + after[k + 1] - 1 - busy[k])
                idle_terms.append(idle)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = seconds / 2
    model.maximize(sum(placed_terms))
    status = solver.solve(model)
    total = solver.wall_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Exact(
            0, int(solver.best_objective_bound), solver.status_name(status), 0, 0, "not run", total
        )
    placed = round(solver.objective_value)
    placed_bound = round(solver.best_objective_bound)
    placed_status = solver.status_name(status)
    for var in x.values():
        model.add_hint(var, bool(solver.value(var)))
    model.add(sum(placed_terms) >= placed)
    model.minimize(sum(idle_terms))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = seconds / 2
    status = solver.solve(model)
    total += solver.wall_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Exact(placed, placed_bound, placed_status, -1, 0, solver.status_name(status), total)
    return Exact(
        placed,
        placed_bound,
        placed_status,
        round(solver.objective_value),
        round(solver.best_objective_bound),
        solver.status_name(status),
        total,
    )
