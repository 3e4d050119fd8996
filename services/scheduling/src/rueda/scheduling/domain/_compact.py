"""Compact agendas: local search on idle gaps once the number of meetings is settled.

Internal. A party's *idle gaps* are counted per session (a day, or each half of it when
the roundtable has a lunch break): the usable slots between its first and last meeting of
the session that hold no meeting of it. The goal, after the number of meetings and the
fairness floor (which no move here changes, since meetings only change slot), is
lexicographic: (1) the *excess* of the gap spread (most gaps of a party minus fewest,
over parties with a meeting) above ``max_idle_gap_spread``, then (2) the total of idle
gaps over all parties.

Moves, each kept only when it does not worsen the goal:

- *relocate*: a movable meeting goes to another position free for both parties (and with
  a free table when it is in person);
- *swap*: two movable meetings of one party exchange positions (the party's own agenda is
  unchanged; its two counterparts' gaps change).

Equal-goal moves are accepted with a fixed probability so the search walks across
plateaus; the random generator has a fixed seed, so a run is reproducible. Gaps live in
grid-column space (time order), while the engine works in preference positions; the
model's maps translate.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Sequence

from ._engine import Engine, _bits
from ._model import Model

__all__ = ["Gaps", "added_gaps", "compact", "party_gaps"]

_SIDEWAYS = 0.25


class Gaps:
    """Each party's idle gaps under the engine's current placement, kept incrementally."""

    def __init__(self, model: Model, spread: int | None) -> None:
        self.model = model
        engine = model.engine
        calendar = model.calendar
        self.spread = spread
        self.sessions: list[list[int]] = []
        self.usable: list[int] = []
        for pid in model.party_ids:
            self.sessions.append(calendar.sessions(pid))
            self.usable.append(calendar.usable_mask(pid))
        column_of = model.column_of
        self.busy = [0] * len(model.party_ids)
        for party, occ in enumerate(engine.occ):
            mask = 0
            for q in occ:
                mask |= 1 << column_of[q]
            self.busy[party] = mask
        self.gap = [self.of(p) for p in range(len(self.busy))]
        self.counter: Counter[int] = Counter(
            self.gap[p] for p in range(len(self.busy)) if self.busy[p]
        )
        self.total = sum(self.gap)

    def of(self, party: int) -> int:
        """Idle gaps of ``party`` with its current busy columns."""
        return party_gaps(self.sessions[party], self.usable[party], self.busy[party])

    def excess(self) -> int:
        """How far the gap spread is above its bound (0 without a bound)."""
        if self.spread is None or not self.counter:
            return 0
        return max(0, max(self.counter) - min(self.counter) - self.spread)

    def key(self) -> tuple[int, int]:
        return self.excess(), self.total

    def move(self, party: int, old_column: int, new_column: int) -> None:
        """Record that one meeting of ``party`` left ``old_column`` for ``new_column``."""
        self.set(party, (self.busy[party] & ~(1 << old_column)) | (1 << new_column))

    def set(self, party: int, busy: int) -> None:
        """Record ``party``'s busy columns, updating its gaps and the totals."""
        if self.busy[party]:
            self._drop(self.gap[party])
        self.busy[party] = busy
        gap = self.of(party)
        self.total += gap - self.gap[party]
        self.gap[party] = gap
        if busy:
            self.counter[gap] += 1

    def _drop(self, value: int) -> None:
        self.counter[value] -= 1
        if not self.counter[value]:
            del self.counter[value]


def party_gaps(sessions: Sequence[int], usable: int, busy: int) -> int:
    """Idle gaps of a party with ``busy`` columns, ``usable`` columns and ``sessions``."""
    total = 0
    for session in sessions:
        held = busy & session
        if not held:
            continue
        low = (held & -held).bit_length() - 1
        span = ((1 << held.bit_length()) - 1) ^ ((1 << low) - 1)
        total += (span & usable).bit_count() - held.bit_count()
    return total


def added_gaps(model: Model, party: int, positions: Sequence[int]) -> dict[int, int]:
    """For each candidate position, the idle gaps a new meeting there adds to ``party``."""
    pid = model.party_ids[party]
    sessions = model.calendar.sessions(pid)
    usable = model.calendar.usable_mask(pid)
    column_of = model.column_of
    busy = 0
    for q in model.engine.occ[party]:
        busy |= 1 << column_of[q]
    now = party_gaps(sessions, usable, busy)
    return {q: party_gaps(sessions, usable, busy | 1 << column_of[q]) - now for q in positions}


def _relocate(engine: Engine, gaps: Gaps, r: int, target: int) -> None:
    column_of = gaps.model.column_of
    source = engine.pos[r]
    old, new = column_of[source], column_of[target]
    engine.unassign(r)
    engine.assign(r, target)
    gaps.move(engine.exp[r], old, new)
    gaps.move(engine.imp[r], old, new)


def compact(
    model: Model,
    movable: Sequence[int],
    *,
    within: int,
    deadline: float,
    spread: int | None,
    seed: int = 20,
) -> Gaps:
    """Improve idle gaps (and their spread) by relocations and swaps until ``deadline``
    or until a whole pass changes nothing."""
    engine = model.engine
    gaps = Gaps(model, spread)
    rng = random.Random(seed)
    fixed = engine.fixed
    placed = [r for r in movable if engine.pos[r] >= 0 and not fixed[r]]
    by_party: dict[int, list[int]] = {}
    for r in placed:
        by_party.setdefault(engine.exp[r], []).append(r)
        by_party.setdefault(engine.imp[r], []).append(r)
    stale = 0
    while stale < 2:
        improved = False
        rng.shuffle(placed)
        for index, r in enumerate(placed):
            if index % 32 == 0 and time.perf_counter() > deadline:
                engine.journal.clear()
                return gaps
            engine.journal.clear()
            e, i = engine.exp[r], engine.imp[r]
            if not (gaps.gap[e] or gaps.gap[i]) and gaps.spread is None:
                continue
            before = gaps.key()
            source = engine.pos[r]
            engine.unassign(r)
            options = engine.options(r, within) & ~(1 << source)
            engine.assign(r, source)
            best: tuple[tuple[int, int], float, int] | None = None
            for q in _bits(options):
                _relocate(engine, gaps, r, q)
                candidate = (gaps.key(), rng.random(), q)
                _relocate(engine, gaps, r, source)
                if candidate[0] <= before and (best is None or candidate < best):
                    best = candidate
            if best is not None and (best[0] < before or rng.random() < _SIDEWAYS):
                _relocate(engine, gaps, r, best[2])
                improved = improved or best[0] < before
                continue
            if _swap(engine, gaps, r, by_party, within):
                improved = True
        engine.journal.clear()
        stale = 0 if improved else stale + 1
    return gaps


def _swap(engine: Engine, gaps: Gaps, r: int, by_party: dict[int, list[int]], within: int) -> bool:
    """Exchange ``r``'s position with another movable meeting of one of its parties,
    when that lowers the goal."""
    before = gaps.key()
    column_of = gaps.model.column_of
    q1 = engine.pos[r]
    for party in (engine.exp[r], engine.imp[r]):
        for other in by_party.get(party, ()):
            q2 = engine.pos[other]
            if other == r or q2 < 0 or engine.fixed[other]:
                continue
            if not ((engine.allowed[r] & within) >> q2) & 1:
                continue
            if not ((engine.allowed[other] & within) >> q1) & 1:
                continue
            mark = len(engine.journal)
            engine.unassign(r)
            engine.unassign(other)
            if engine.fits(r, q2):
                engine.assign(r, q2)
                if engine.fits(other, q1):
                    engine.assign(other, q1)
                    c1, c2 = 1 << column_of[q1], 1 << column_of[q2]
                    mine = (engine.exp[r], engine.imp[r])
                    theirs = (engine.exp[other], engine.imp[other])
                    old = {p: gaps.busy[p] for p in (*mine, *theirs)}
                    for p, busy in old.items():
                        if p in mine:
                            busy &= ~c1
                        if p in theirs:
                            busy &= ~c2
                        if p in mine:
                            busy |= c2
                        if p in theirs:
                            busy |= c1
                        gaps.set(p, busy)
                    if gaps.key() < before:
                        return True
                    for p, busy in old.items():
                        gaps.set(p, busy)
            engine.rollback(mark)
    return False
