"""Auto mode: choose the agreed meetings of a roundtable.

Objective, in order: (1) every exporter gets `min_meetings_per_exporter` meetings where
that is feasible at all, (2) the total score is high, (3) a re-run keeps what was agreed
before. Caps: nobody exceeds `max_meetings_per_participant`.

The algorithm is a b-matching in three phases:

1. Fairness floor. Greedy by score up to the floor, then, for every exporter still below
   it, augmenting paths (Ford-Fulkerson on the network source -> exporter (capacity:
   floor) -> importer (every positive-score pair) -> sink (capacity: cap)), searched
   breadth-first over *all* positive pairs. When no augmenting path remains the floor flow
   is maximum, so the floor is reached for every exporter whenever that is feasible, and
   otherwise for as many meetings as the caps allow.
2. Fill the remaining capacity greedily by score, over a candidate pool (each side's best
   pairs plus the previously agreed ones).
3. Local improvement: a pair not chosen replaces the weakest meeting of a full side when
   that raises the total, never taking an exporter below the floor reached in phase 1.

Stability: a previously agreed pair that is still valid counts `1 + stability_bonus`
times its score while choosing, so it survives unless a clearly better plan needs its
slot. Locked pairs (already held or accepted meetings) are always kept and count
towards the caps. Phases 2-3 are a heuristic (greedy b-matching is a 1/2-approximation
and the swaps only improve on it); phase 1 is exact.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .scoring import ScoreMatrix
from .topk import top_k

__all__ = ["AgreedPair", "Selection", "select_meetings"]


@dataclass(frozen=True, slots=True)
class AgreedPair:
    """An agreed exporter-importer meeting and its match score."""

    exporter_id: str
    importer_id: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form."""
        return {
            "exporter_id": self.exporter_id,
            "importer_id": self.importer_id,
            "score": self.score,
        }


@dataclass(frozen=True, slots=True)
class Selection:
    """The chosen meetings and how they differ from the previous selection."""

    pairs: tuple[AgreedPair, ...]
    added: tuple[AgreedPair, ...]
    removed: tuple[tuple[str, str], ...]
    total_score: float
    exporters_at_min: int
    exporters: int

    @property
    def share_exporters_at_min(self) -> float:
        """Share of exporters with at least the minimum number of meetings (1.0 if none)."""
        return self.exporters_at_min / self.exporters if self.exporters else 1.0

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form."""
        return {
            "pairs": [p.to_dict() for p in self.pairs],
            "added": [p.to_dict() for p in self.added],
            "removed": [list(pair) for pair in self.removed],
            "total_score": self.total_score,
            "exporters_at_min": self.exporters_at_min,
            "exporters": self.exporters,
        }


class _Plan:
    """Mutable b-matching state over row (exporter) and column (importer) indices."""

    def __init__(self, scores: npt.NDArray[np.float32], cap: int, bonus: float) -> None:
        self.scores = scores
        self.cap = cap
        self.bonus = bonus
        exporters, importers = scores.shape
        self.by_exporter: list[set[int]] = [set() for _ in range(exporters)]
        self.by_importer: list[set[int]] = [set() for _ in range(importers)]
        self.previous: set[tuple[int, int]] = set()
        self.locked: set[tuple[int, int]] = set()
        self._neighbours: dict[int, list[int]] = {}
        self.edge_weight: dict[tuple[int, int], float] = {}
        # The weakest removable (unlocked) meeting at each node, for quick pruning.
        self.weakest_at_exporter = [math.inf] * exporters
        self.weakest_at_importer = [math.inf] * importers

    def weight(self, exporter: int, importer: int) -> float:
        score = float(self.scores[exporter, importer])
        return score * (1.0 + self.bonus) if (exporter, importer) in self.previous else score

    def choose(self, exporter: int, importer: int) -> None:
        self.by_exporter[exporter].add(importer)
        self.by_importer[importer].add(exporter)
        self.edge_weight[exporter, importer] = self.weight(exporter, importer)
        self._refresh(exporter, importer)

    def drop(self, exporter: int, importer: int) -> None:
        self.by_exporter[exporter].discard(importer)
        self.by_importer[importer].discard(exporter)
        self.edge_weight.pop((exporter, importer), None)
        self._refresh(exporter, importer)

    def _refresh(self, exporter: int, importer: int) -> None:
        self.weakest_at_exporter[exporter] = min(
            (
                self.edge_weight[exporter, other]
                for other in self.by_exporter[exporter]
                if (exporter, other) not in self.locked
            ),
            default=math.inf,
        )
        self.weakest_at_importer[importer] = min(
            (
                self.edge_weight[other, importer]
                for other in self.by_importer[importer]
                if (other, importer) not in self.locked
            ),
            default=math.inf,
        )

    def neighbours(self, exporter: int) -> list[int]:
        """Every importer with a positive score for this exporter, best first."""
        cached = self._neighbours.get(exporter)
        if cached is None:
            row = self.scores[exporter]
            cols = np.flatnonzero(row > 0)
            cached = cols[np.argsort(-row[cols], kind="stable")].tolist()
            self._neighbours[exporter] = cached
        return cached

    def augment(self, root: int) -> bool:
        """Give `root` one more meeting along a shortest augmenting path, if one exists."""
        came_from_exporter: dict[int, int] = {}
        came_from_importer: dict[int, int] = {}
        seen_exporters, seen_importers = {root}, set()
        queue = deque([root])
        while queue:
            exporter = queue.popleft()
            for importer in self.neighbours(exporter):
                if importer in seen_importers or importer in self.by_exporter[exporter]:
                    continue
                seen_importers.add(importer)
                came_from_exporter[importer] = exporter
                if len(self.by_importer[importer]) < self.cap:
                    self._flip(root, importer, came_from_exporter, came_from_importer)
                    return True
                for other in sorted(self.by_importer[importer]):
                    if other not in seen_exporters and (other, importer) not in self.locked:
                        seen_exporters.add(other)
                        came_from_importer[other] = importer
                        queue.append(other)
        return False

    def _flip(
        self,
        root: int,
        importer: int,
        came_from_exporter: dict[int, int],
        came_from_importer: dict[int, int],
    ) -> None:
        exporter = came_from_exporter[importer]
        while True:
            self.choose(exporter, importer)
            if exporter == root:
                return
            importer = came_from_importer[exporter]
            self.drop(exporter, importer)
            exporter = came_from_exporter[importer]


def _candidate_pool(
    scores: npt.NDArray[np.float32], per_participant: int, previous: set[tuple[int, int]]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Each exporter's and each importer's best positive pairs, plus the previous ones."""
    exporters, importers = scores.shape
    best_importers, exporter_q = top_k(scores, per_participant)
    best_exporters, importer_q = top_k(scores.T, per_participant)
    rows = [
        np.repeat(np.arange(exporters), best_importers.shape[1])[exporter_q.reshape(-1) > 0],
        best_exporters.reshape(-1)[importer_q.reshape(-1) > 0],
        np.array([e for e, _ in previous], dtype=np.intp),
    ]
    cols = [
        best_importers.reshape(-1)[exporter_q.reshape(-1) > 0],
        np.repeat(np.arange(importers), best_exporters.shape[1])[importer_q.reshape(-1) > 0],
        np.array([i for _, i in previous], dtype=np.intp),
    ]
    codes = np.unique(np.concatenate(rows) * max(importers, 1) + np.concatenate(cols))
    pool_rows, pool_cols = np.divmod(codes, max(importers, 1))
    positive = scores[pool_rows, pool_cols] > 0
    return pool_rows[positive], pool_cols[positive]


def select_meetings(
    matrix: ScoreMatrix,
    *,
    max_meetings: int,
    min_meetings_per_exporter: int = 0,
    previous: Iterable[tuple[str, str]] = (),
    locked: Iterable[tuple[str, str]] = (),
    stability_bonus: float = 0.1,
    candidates_per_participant: int | None = None,
) -> Selection:
    """Choose agreed meetings for auto mode (see the module docstring for the method).

    `previous` and `locked` are (exporter_id, importer_id) pairs. Previous pairs whose
    participants are gone or whose score dropped to 0 are removed; locked pairs are kept
    while both participants remain. Deterministic for the same input.
    """
    if max_meetings < 1:
        raise ValueError("max_meetings must be at least 1")
    scores = matrix.scores
    exporter_index = {pid: n for n, pid in enumerate(matrix.exporter_ids)}
    importer_index = {pid: n for n, pid in enumerate(matrix.importer_ids)}
    floor = min(min_meetings_per_exporter, max_meetings)
    plan = _Plan(scores, max_meetings, stability_bonus)

    def indices(pairs: Iterable[tuple[str, str]]) -> set[tuple[int, int]]:
        return {
            (exporter_index[e], importer_index[i])
            for e, i in pairs
            if e in exporter_index and i in importer_index
        }

    previous_ids = sorted(set(previous))
    plan.previous = {(e, i) for e, i in indices(previous_ids) if scores[e, i] > 0}
    plan.locked = indices(locked)
    for exporter, importer in sorted(plan.locked):
        plan.choose(exporter, importer)

    per_participant = candidates_per_participant or max(3 * max_meetings, 10)
    pool_rows, pool_cols = _candidate_pool(scores, per_participant, plan.previous)
    is_previous = np.array(
        [(int(e), int(i)) in plan.previous for e, i in zip(pool_rows, pool_cols, strict=True)],
        dtype=np.bool_,
    )
    weights = scores[pool_rows, pool_cols].astype(np.float64) * np.where(
        is_previous, 1.0 + stability_bonus, 1.0
    )
    order = np.lexsort((pool_cols, pool_rows, -weights))
    edges = list(zip(pool_rows[order].tolist(), pool_cols[order].tolist(), strict=True))
    edge_weights = weights[order].tolist()

    # Phase 1: the fairness floor, greedy first, then exact augmenting-path repair.
    for exporter, importer in edges:
        if (
            len(plan.by_exporter[exporter]) < floor
            and len(plan.by_importer[importer]) < max_meetings
            and importer not in plan.by_exporter[exporter]
        ):
            plan.choose(exporter, importer)
    for exporter in range(len(matrix.exporter_ids)):
        while len(plan.by_exporter[exporter]) < floor and plan.augment(exporter):
            pass
    protected = [min(len(chosen), floor) for chosen in plan.by_exporter]

    # Phase 2: fill by score.
    for exporter, importer in edges:
        if (
            importer not in plan.by_exporter[exporter]
            and len(plan.by_exporter[exporter]) < max_meetings
            and len(plan.by_importer[importer]) < max_meetings
        ):
            plan.choose(exporter, importer)

    # Phase 3: swaps that raise the total without breaking caps or the floor.
    for _ in range(3):
        improved = False
        for (exporter, importer), gain in zip(edges, edge_weights, strict=True):
            if importer in plan.by_exporter[exporter]:
                continue
            exporter_full = len(plan.by_exporter[exporter]) >= max_meetings
            importer_full = len(plan.by_importer[importer]) >= max_meetings
            # Each drop costs at least the weakest removable meeting at that node.
            bound = (plan.weakest_at_exporter[exporter] if exporter_full else 0.0) + (
                plan.weakest_at_importer[importer] if importer_full else 0.0
            )
            if gain <= bound + 1e-9:
                continue
            drops: list[tuple[int, int]] = []
            if exporter_full:
                options = [
                    (plan.edge_weight[exporter, other], other)
                    for other in plan.by_exporter[exporter]
                    if (exporter, other) not in plan.locked
                ]
                if not options:
                    continue
                worst, other = min(options)
                drops.append((exporter, other))
                gain -= worst
            if importer_full:
                options = [
                    (plan.edge_weight[other, importer], other)
                    for other in plan.by_importer[importer]
                    if (other, importer) not in plan.locked
                    and len(plan.by_exporter[other]) - 1 >= protected[other]
                ]
                if not options:
                    continue
                worst, other = min(options)
                drops.append((other, importer))
                gain -= worst
            if gain > 1e-9:
                for pair in drops:
                    plan.drop(*pair)
                plan.choose(exporter, importer)
                improved = True
        if not improved:
            break

    chosen = sorted(
        (matrix.exporter_ids[e], matrix.importer_ids[i], float(scores[e, i]))
        for e, importers in enumerate(plan.by_exporter)
        for i in importers
    )
    pairs = tuple(AgreedPair(e, i, s) for e, i, s in chosen)
    chosen_ids = {(p.exporter_id, p.importer_id) for p in pairs}
    previous_set = set(previous_ids)
    return Selection(
        pairs=pairs,
        added=tuple(p for p in pairs if (p.exporter_id, p.importer_id) not in previous_set),
        removed=tuple(pair for pair in previous_ids if pair not in chosen_ids),
        total_score=float(sum(p.score for p in pairs)),
        exporters_at_min=sum(1 for chosen in plan.by_exporter if len(chosen) >= floor),
        exporters=len(matrix.exporter_ids),
    )
