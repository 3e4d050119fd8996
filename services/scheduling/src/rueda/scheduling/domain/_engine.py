"""The placement engine: slot bitsets per party, greedy placement and ejection chains.

Internal. Parties and requests are small integers; a party's free slots are one Python
integer used as a bitset. Bit positions are *preference positions*, not grid indices: the
grid is permuted once so that the lowest set bit of any candidate set is the slot the
engine prefers (the least contended one). Buffers are handled with a precomputed conflict
mask per position, so adjacency in time never depends on the bit order.

Every change goes through :meth:`Engine.assign` / :meth:`Engine.unassign`, which keep a
journal, so a speculative ejection chain can be rolled back exactly.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["Engine", "Objective", "lowest_bit", "rows_to_masks"]

BoolMatrix = npt.NDArray[np.bool_]
Objective = tuple[int, int, float]


def lowest_bit(mask: int) -> int:
    """Index of the lowest set bit of a non-zero ``mask``."""
    return (mask & -mask).bit_length() - 1


def _bits(mask: int) -> list[int]:
    out: list[int] = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def rows_to_masks(matrix: BoolMatrix) -> list[int]:
    """Each row of a boolean matrix as an integer bitset (column ``k`` is bit ``k``)."""
    if matrix.shape[0] == 0:
        return []
    packed = np.packbits(matrix, axis=1, bitorder="little")
    return [int.from_bytes(row.tobytes(), "little") for row in packed]


class Engine:
    """Mutable placement state over a fixed set of preference-ordered slot positions.

    ``usable[p]`` is party ``p``'s usable positions. ``block[q]`` is the set of positions one
    party cannot use once it meets at ``q`` (``q`` itself and its buffer neighbours).
    ``day_of[p]`` maps a usable position to the party's local day index (needed for caps).
    """

    def __init__(
        self,
        usable: list[int],
        block: list[int],
        *,
        cap: int | None = None,
        day_of: list[dict[int, int]] | None = None,
        floor: int = 0,
    ) -> None:
        self.usable = usable
        self.avail = list(usable)
        self.block = block
        self.simple_block = all(mask == 1 << q for q, mask in enumerate(block))
        self.cap = cap
        self.day_of: list[dict[int, int]] = day_of if day_of is not None else []
        self.day_mask: list[dict[int, int]] = [self._day_masks(p) for p in range(len(usable))]
        self.day_count: list[dict[int, int]] = [{} for _ in usable]
        self.capped = [0] * len(usable)
        self.occ: list[dict[int, int]] = [{} for _ in usable]
        self.busy = [0] * len(usable)
        self.version = [0] * len(usable)
        self.escape_cache: dict[int, tuple[tuple[int, int], int]] = {}
        self.floor = floor
        self.is_exporter: list[bool] = [False] * len(usable)
        # requests
        self.exp: list[int] = []
        self.imp: list[int] = []
        self.allowed: list[int] = []
        self.score: list[float] = []
        self.pos: list[int] = []
        self.fixed: list[bool] = []
        self.active: list[bool] = []
        self.journal: list[tuple[bool, int, int]] = []
        self.budget = 0
        # tables: at most ``capacity`` in-person meetings per position; ``full`` marks the
        # positions where every table is taken
        self.capacity: int | None = None
        self.in_person: list[bool] = []
        self.load: dict[int, int] = {}
        self.full = 0
        self.seated: dict[int, set[int]] = {}  # position -> in-person requests there

    # parties ---------------------------------------------------------------------------
    def _day_masks(self, party: int) -> dict[int, int]:
        if self.cap is None:
            return {}
        masks: dict[int, int] = {}
        for position, day in self.day_of[party].items():
            masks[day] = masks.get(day, 0) | (1 << position)
        return masks

    def add_party(self, usable: int, day_of: dict[int, int] | None = None) -> int:
        """Register a party; returns its index."""
        self.usable.append(usable)
        self.avail.append(usable)
        self.day_of.append(day_of or {})
        self.day_mask.append(self._day_masks(len(self.usable) - 1))
        self.day_count.append({})
        self.capped.append(0)
        self.occ.append({})
        self.busy.append(0)
        self.version.append(0)
        self.is_exporter.append(False)
        return len(self.usable) - 1

    def set_party(self, party: int, usable: int, day_of: dict[int, int] | None = None) -> None:
        """Replace a party's usable positions (its meetings stay where they are)."""
        self.usable[party] = usable
        if self.cap is not None:
            self.day_of[party] = day_of or {}
            self.day_mask[party] = self._day_masks(party)
            counts: dict[int, int] = {}
            for q in self.occ[party]:
                day = self.day_of[party].get(q)
                if day is not None:
                    counts[day] = counts.get(day, 0) + 1
            self.day_count[party] = counts
            self.capped[party] = 0
            for day, count in counts.items():
                if count >= self.cap:
                    self.capped[party] |= self.day_mask[party].get(day, 0)
        self._refresh(party)

    # requests --------------------------------------------------------------------------
    def add_request(self, exporter: int, importer: int, score: float, allowed: int) -> int:
        """Register a request; ``allowed`` is the set of positions it may ever use."""
        self.exp.append(exporter)
        self.imp.append(importer)
        self.is_exporter[exporter] = True
        self.allowed.append(allowed)
        self.score.append(score)
        self.pos.append(-1)
        self.fixed.append(False)
        self.active.append(True)
        self.in_person.append(False)
        return len(self.exp) - 1

    def add_requests(
        self,
        exporters: list[int],
        importers: list[int],
        scores: list[float],
        allowed: list[int],
    ) -> None:
        """Register many requests at once (what :meth:`add_request` does, in bulk)."""
        count = len(exporters)
        self.exp.extend(exporters)
        self.imp.extend(importers)
        for e in set(exporters):
            self.is_exporter[e] = True
        self.allowed.extend(allowed)
        self.score.extend(scores)
        self.pos.extend([-1] * count)
        self.fixed.extend([False] * count)
        self.active.extend([True] * count)
        self.in_person.extend([False] * count)

    def set_in_person(self, request: int, value: bool) -> None:
        """Change whether a request takes a table, keeping the table load right."""
        if self.in_person[request] == value:
            return
        position = self.pos[request]
        if position >= 0:
            if value:
                self.seated.setdefault(position, set()).add(request)
            else:
                self.seated[position].discard(request)
            load = self.load.get(position, 0) + (1 if value else -1)
            self.load[position] = load
            if self.capacity is not None and load >= self.capacity:
                self.full |= 1 << position
            else:
                self.full &= ~(1 << position)
        self.in_person[request] = value

    def table_free(self, request: int) -> int:
        """Positions where ``request`` would find a table (all, unless it is in person)."""
        return ~self.full if self.in_person[request] else -1

    def escape(self, party: int, within: int = -1) -> int:
        """Positions from which ``party`` could make room: free, or freed by a move chain.

        A position is in the set when it is free for the party, or held by a movable
        meeting that could move to a position already in the set (its other party
        ignored). A new meeting of this party can only be placed at one of these.
        Cached until the party's meetings change.
        """
        key = (self.version[party], within)
        cached = self.escape_cache.get(party)
        if cached is not None and cached[0] == key:
            return cached[1]
        allowed = self.allowed
        fixed = self.fixed
        reach = self.usable[party] & ~self.busy[party]
        pending = [(q, allowed[m] & within) for q, m in self.occ[party].items() if not fixed[m]]
        grew = True
        while grew and pending:
            grew = False
            rest = []
            for q, options in pending:
                if options & reach:
                    reach |= 1 << q
                    grew = True
                else:
                    rest.append((q, options))
            pending = rest
        self.escape_cache[party] = (key, reach)
        return reach

    def hopeless(self, request: int, within: int = -1) -> bool:
        """True when no chain of moves can place ``request``.

        Each party must be able to make room on its own (see :meth:`escape`) at a
        position the request may use; if either cannot, nothing can help.
        """
        options = self.allowed[request] & within
        return not (
            options & self.escape(self.exp[request], within)
            and options & self.escape(self.imp[request], within)
        )

    def options(self, request: int, within: int = -1) -> int:
        """Free common positions of a request right now."""
        return (
            self.allowed[request]
            & within
            & self.avail[self.exp[request]]
            & self.avail[self.imp[request]]
            & self.table_free(request)
        )

    # the two primitive moves -----------------------------------------------------------
    def _refresh(self, party: int) -> None:
        if self.simple_block:
            blocked = self.busy[party]
        else:
            blocked = 0
            block = self.block
            for q in self.occ[party]:
                blocked |= block[q]
        self.avail[party] = self.usable[party] & ~blocked & ~self.capped[party]

    def _occupy(self, party: int, request: int, position: int) -> None:
        self.occ[party][position] = request
        self.version[party] += 1
        self.busy[party] |= 1 << position
        self.avail[party] &= ~self.block[position]
        if self.cap is not None:
            day = self.day_of[party].get(position)
            if day is not None:
                count = self.day_count[party].get(day, 0) + 1
                self.day_count[party][day] = count
                if count >= self.cap:
                    self.capped[party] |= self.day_mask[party][day]
                    self.avail[party] &= ~self.capped[party]

    def _vacate(self, party: int, position: int) -> None:
        del self.occ[party][position]
        self.version[party] += 1
        self.busy[party] &= ~(1 << position)
        if self.cap is not None:
            day = self.day_of[party].get(position)
            if day is not None:
                count = self.day_count[party][day] - 1
                self.day_count[party][day] = count
                if count < self.cap:
                    self.capped[party] &= ~self.day_mask[party][day]
        if self.simple_block and self.cap is None:
            self.avail[party] |= (1 << position) & self.usable[party]
        else:
            self._refresh(party)

    def assign(self, request: int, position: int) -> None:
        """Put a request at a position (no feasibility check: callers check)."""
        self._occupy(self.exp[request], request, position)
        self._occupy(self.imp[request], request, position)
        self.pos[request] = position
        if self.in_person[request]:
            self.seated.setdefault(position, set()).add(request)
            load = self.load.get(position, 0) + 1
            self.load[position] = load
            if self.capacity is not None and load >= self.capacity:
                self.full |= 1 << position
        self.journal.append((True, request, position))

    def unassign(self, request: int) -> None:
        """Take a placed request out of its position."""
        position = self.pos[request]
        self._vacate(self.exp[request], position)
        self._vacate(self.imp[request], position)
        self.pos[request] = -1
        if self.in_person[request]:
            self.seated[position].discard(request)
            self.load[position] -= 1
            self.full &= ~(1 << position)
        self.journal.append((False, request, position))

    def rollback(self, mark: int) -> None:
        """Undo every move made after journal length ``mark``."""
        journal = self.journal
        while len(journal) > mark:
            placed, request, position = journal.pop()
            if placed:
                self.unassign(request)
            else:
                self.assign(request, position)
            journal.pop()

    def free_at(self, party: int, position: int) -> bool:
        """Whether a party can take a meeting at ``position`` now."""
        return bool((self.avail[party] >> position) & 1)

    def fits(self, request: int, position: int) -> bool:
        """Whether ``request`` can take ``position`` now: both parties and a table free."""
        return (
            bool((self.avail[self.exp[request]] >> position) & 1)
            and bool((self.avail[self.imp[request]] >> position) & 1)
            and bool((self.table_free(request) >> position) & 1)
        )

    # greedy ----------------------------------------------------------------------------
    def greedy(self, order: Iterable[int], within: int = -1) -> int:
        """Place requests in ``order`` at their most preferred free common position."""
        allowed, exp, imp, avail = self.allowed, self.exp, self.imp, self.avail
        placed = 0
        fast = self.simple_block and self.cap is None and self.capacity is None
        occ, pos, journal, busy = self.occ, self.pos, self.journal, self.busy
        version = self.version
        in_person = self.in_person
        for r in order:
            e = exp[r]
            i = imp[r]
            free = allowed[r] & within & avail[e] & avail[i]
            if in_person[r]:
                free &= ~self.full
            if not free:
                continue
            low = free & -free
            q = low.bit_length() - 1
            if fast:
                avail[e] ^= low
                avail[i] ^= low
                busy[e] |= low
                busy[i] |= low
                version[e] += 1
                version[i] += 1
                occ[e][q] = r
                occ[i][q] = r
                pos[r] = q
                journal.append((True, r, q))
            else:
                self.assign(r, q)
            placed += 1
        return placed

    # ejection chains -------------------------------------------------------------------
    def _blockers(self, party: int, position: int, visited: set[int]) -> list[int] | None:
        """Meetings of ``party`` to move so it can take ``position``; None if impossible."""
        occ = self.occ[party]
        if self.simple_block:
            found = occ.get(position)
            out = [] if found is None else [found]
        else:
            out = []
            for q in _bits(self.block[position]):
                found = occ.get(q)
                if found is not None:
                    out.append(found)
        if self.cap is not None:
            day = self.day_of[party].get(position)
            if day is not None and self.day_count[party].get(day, 0) >= self.cap:
                day_of = self.day_of[party]
                if not any(day_of.get(self.pos[m]) == day for m in out):
                    spare = [
                        m
                        for q, m in occ.items()
                        if day_of.get(q) == day and not self.fixed[m] and m not in visited
                    ]
                    if not spare:
                        return None
                    out.append(max(spare, key=lambda m: self.options(m).bit_count()))
        if not out or len(out) > 2:
            return None
        for m in out:
            if self.fixed[m] or m in visited:
                return None
        return out

    def insert(self, request: int, depth: int, visited: set[int], within: int = -1) -> bool:
        """Place ``request``, moving other movable meetings along a chain if needed.

        Tries a free common position first; otherwise ejects the meeting(s) blocking one
        position, takes it, and re-inserts the ejected ones recursively (``depth`` levels).
        On failure the state is exactly as before.
        """
        e = self.exp[request]
        i = self.imp[request]
        anywhere = self.allowed[request] & within
        allowed = anywhere & self.table_free(request)
        avail_e = self.avail[e]
        avail_i = self.avail[i]
        free = allowed & avail_e & avail_i
        if free:
            self.assign(request, lowest_bit(free))
            return True
        if depth <= 0 or self.budget <= 0:
            return False
        moves: list[tuple[int, int, list[int]]] = []
        if self.in_person[request]:
            # both parties free but every table taken: move one in-person meeting away
            for q in _bits(anywhere & avail_e & avail_i & self.full):
                for m in sorted(self.seated.get(q, ())):
                    if not self.fixed[m] and m not in visited:
                        moves.append((0, q, [m]))
        for blocked_party, other_free in ((i, avail_e), (e, avail_i)):
            for q in _bits(allowed & other_free):
                ejected = self._blockers(blocked_party, q, visited)
                if ejected is not None:
                    moves.append((0, q, ejected))
        if depth >= 2 and len(moves) < 4:
            for q in _bits(allowed & ~avail_e & ~avail_i):
                first = self._blockers(e, q, visited)
                second = self._blockers(i, q, visited) if first is not None else None
                if first is not None and second is not None:
                    moves.append((1, q, first + [m for m in second if m not in first]))
        if not moves:
            return False
        # moves whose ejected meetings have somewhere to go come first
        ranked = []
        for kind, q, ejected in moves:
            slack = min(self.options(m, within).bit_count() for m in ejected)
            ranked.append((kind, -slack, q, ejected))
        ranked.sort(key=lambda item: (item[0], item[1], item[2]))
        for _, _, q, ejected in ranked:
            if any(m in visited for m in ejected):
                continue
            self.budget -= 1
            if self.budget < 0:
                return False
            mark = len(self.journal)
            for m in ejected:
                visited.add(m)
                self.unassign(m)
            if self.fits(request, q):
                self.assign(request, q)
                if all(self.insert(m, depth - 1, visited, within) for m in ejected):
                    return True
            self.rollback(mark)
        return False

    def try_insert(self, request: int, depth: int, budget: int, within: int = -1) -> bool:
        """Iterative deepening of :meth:`insert` up to ``depth`` with a move budget."""
        self.budget = budget
        for level in range(depth + 1):
            if self.insert(request, level, {request}, within):
                return True
            if self.budget <= 0:
                break
        return False

    def try_swap(
        self,
        request: int,
        accept: Callable[[int], bool],
        within: int = -1,
        reinsert_depth: int = 2,
    ) -> int | None:
        """Take a position from one accepted movable meeting that blocks only one side.

        The evicted meeting is re-inserted elsewhere when possible; returns it if it ended
        up waiting, ``-1`` when it found another place, ``None`` when no swap was made.
        """
        e = self.exp[request]
        i = self.imp[request]
        allowed = self.allowed[request] & within
        candidates: list[tuple[float, int, int]] = []
        for blocked_party, other_free in ((i, self.avail[e]), (e, self.avail[i])):
            for q in _bits(allowed & other_free):
                ejected = self._blockers(blocked_party, q, {request})
                if ejected is not None and len(ejected) == 1 and accept(ejected[0]):
                    candidates.append((self.score[ejected[0]], q, ejected[0]))
        for _, q, m in sorted(candidates):
            mark = len(self.journal)
            self.unassign(m)
            if self.fits(request, q):
                self.assign(request, q)
                self.budget = 50
                if self.insert(m, reinsert_depth, {request, m}, within):
                    return -1
                return m
            self.rollback(mark)
        return None

    # objective -------------------------------------------------------------------------
    def exporter_count(self, party: int) -> int:
        """Meetings a party has now."""
        return len(self.occ[party])

    def objective(self, requests: Sequence[int]) -> Objective:
        """(placed, fairness, score) over ``requests``: the lexicographic goal."""
        placed = 0
        score = 0.0
        for r in requests:
            if self.pos[r] >= 0:
                placed += 1
                score += self.score[r]
        fairness = 0
        if self.floor:
            for p, is_exporter in enumerate(self.is_exporter):
                if is_exporter:
                    fairness += min(self.floor, len(self.occ[p]))
        return placed, fairness, round(score, 9)


def improve(
    engine: Engine,
    requests: Sequence[int],
    *,
    within: int = -1,
    deadline: float,
    max_depth: int = 6,
) -> None:
    """Repair passes after greedy: ejection chains for count, then fairness, then score."""
    score = engine.score
    exp = engine.exp
    floor = engine.floor
    occ = engine.occ

    def waiting() -> list[int]:
        out = [r for r in requests if engine.pos[r] < 0 and engine.active[r]]
        out.sort(key=lambda r: -score[r])
        return out

    def chains(depth: int, budget: int) -> bool:
        """One pass over waiting requests; False when the deadline passed."""
        for index, r in enumerate(waiting()):
            if index % 16 == 0 and time.perf_counter() > deadline:
                engine.journal.clear()
                return False
            if not engine.allowed[r] & within or engine.hopeless(r, within):
                continue
            engine.try_insert(r, depth, budget, within)
        engine.journal.clear()
        return True

    # (a) count: short chains first; longer ones after the fairness pass
    for depth, budget in ((1, 10), (2, 40)):
        if not chains(depth, budget):
            return

    # (b) fairness floor: exporters under it take slots from exporters above it
    if floor:
        for r in waiting():
            if time.perf_counter() > deadline:
                return
            if len(occ[exp[r]]) >= floor:
                continue
            engine.try_swap(r, lambda m: len(occ[exp[m]]) > floor, within)
        engine.journal.clear()

    for depth, budget in ((3, 150), (5, 1000), (8, 5000)):
        if not chains(depth, budget):
            return

    # (c) score: a better request takes the place of a worse one, fairness unharmed
    for r in waiting():
        if time.perf_counter() > deadline:
            return
        own = exp[r]

        def accept(m: int, r: int = r, own: int = own) -> bool:
            if score[m] >= score[r]:
                return False
            other = exp[m]
            if other == own or not floor:
                return True
            return len(occ[other]) > floor or len(occ[own]) < floor

        engine.try_swap(r, accept, within)
    engine.journal.clear()
