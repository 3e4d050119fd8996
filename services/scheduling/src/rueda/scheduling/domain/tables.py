"""Tables of an in-person venue: which numbered table each in-person meeting takes.

Once every meeting has its slot, tables are a per-slot assignment: the engine has already
kept at most as many in-person meetings per slot as there are tables, so any slot can be
seated. What is left to optimise is walking: importers sit, exporters walk, so an importer
should keep one table through the day. The method:

1. every importer gets a *home* table: importers with most in-person meetings first, one
   table each while tables last; then the rest share, each joining the home table whose
   owners meet least (so with no more importers than tables, nobody ever changes table);
2. slots are seated in time order: a meeting keeps its current table when told to
   (``keep``: re-planning must not move unmoved meetings), else takes its importer's
   table of the previous meeting, else its home table, else the free table whose owners
   meet least.

A table change is two consecutive in-person meetings of an importer on the same day at
different tables; :func:`table_changes` counts them.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Seat", "assign_tables", "table_changes"]


@dataclass(frozen=True, slots=True)
class Seat:
    """An in-person meeting to seat: its id, slot (grid index), day and importer."""

    meeting_id: str
    column: int
    day: int
    importer_id: str


def assign_tables(
    seats: Sequence[Seat],
    tables: Sequence[int],
    *,
    keep: Mapping[str, int] | None = None,
) -> dict[str, int]:
    """A table number for every seat; ``ValueError`` if a slot has more seats than tables."""
    keep = keep or {}
    valid = set(tables)
    count: dict[str, int] = defaultdict(int)
    for seat in seats:
        count[seat.importer_id] += 1
    importers = sorted(count, key=lambda pid: (-count[pid], pid))
    owners_load = dict.fromkeys(tables, 0)
    home: dict[str, int] = {}
    for index, pid in enumerate(importers):
        if index < len(tables):
            table = tables[index]
        else:
            table = min(tables, key=lambda t: (owners_load[t], t))
        home[pid] = table
        owners_load[table] += count[pid]
    by_column: dict[int, list[Seat]] = defaultdict(list)
    for seat in seats:
        by_column[seat.column].append(seat)
    result: dict[str, int] = {}
    last: dict[str, tuple[int, int]] = {}  # importer -> (day, table) of its last meeting
    for column in sorted(by_column):
        group = sorted(by_column[column], key=lambda s: (-count[s.importer_id], s.meeting_id))
        if len(group) > len(tables):
            raise ValueError(
                f"slot {column} has {len(group)} in-person meetings for {len(tables)} tables"
            )
        taken: set[int] = set()
        for seat in group:
            kept = keep.get(seat.meeting_id)
            if kept in valid and kept not in taken:
                result[seat.meeting_id] = kept
                taken.add(kept)
        for seat in group:
            if seat.meeting_id in result:
                continue
            previous = last.get(seat.importer_id)
            for candidate in (
                previous[1] if previous and previous[0] == seat.day else None,
                home[seat.importer_id],
            ):
                if candidate is not None and candidate not in taken:
                    result[seat.meeting_id] = candidate
                    taken.add(candidate)
                    break
        for seat in group:
            if seat.meeting_id in result:
                continue
            table = min((t for t in tables if t not in taken), key=lambda t: (owners_load[t], t))
            result[seat.meeting_id] = table
            taken.add(table)
        for seat in group:
            last[seat.importer_id] = (seat.day, result[seat.meeting_id])
    return result


def table_changes(seats: Sequence[Seat], table_of: Mapping[str, int]) -> int:
    """How often an importer moves table between consecutive meetings of one day."""
    by_importer: dict[str, list[Seat]] = defaultdict(list)
    for seat in seats:
        if seat.meeting_id in table_of:
            by_importer[seat.importer_id].append(seat)
    changes = 0
    for items in by_importer.values():
        items.sort(key=lambda s: s.column)
        for first, second in itertools.pairwise(items):
            if (
                first.day == second.day
                and table_of[first.meeting_id] != table_of[second.meeting_id]
            ):
                changes += 1
    return changes
