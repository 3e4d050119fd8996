"""Independent checks of a schedule, and a valid upper bound on what can be scheduled.

The validator works in wall-clock terms (UTC instants, each party's windows and local
dates), not on the engine's bitsets, so it also catches bugs in the engine.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

from .calendar import Calendar
from .solver import Request

__all__ = [
    "PlacedMeeting",
    "Violation",
    "ViolationCode",
    "idle_gaps",
    "upper_bound",
    "validate",
]

ViolationCode = Literal[
    "unknown_participant",
    "naive_datetime",
    "outside_window",
    "double_booked",
    "buffer_too_short",
    "cap_exceeded",
    "table_missing",
    "table_unexpected",
    "unknown_table",
    "table_double_booked",
    "wrong_session",
    "gap_spread_exceeded",
]


class PlacedMeeting(Protocol):
    """Anything with a meeting's id, parties and UTC start (``None``: not placed)."""

    @property
    def meeting_id(self) -> str: ...
    @property
    def exporter_id(self) -> str: ...
    @property
    def importer_id(self) -> str: ...
    @property
    def starts_at(self) -> dt.datetime | None: ...


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule: a code, a sentence, the meetings and the party concerned."""

    code: ViolationCode
    message: str
    meeting_ids: tuple[str, ...]
    participant_id: str | None = None


def validate(calendar: Calendar, meetings: Iterable[PlacedMeeting]) -> list[Violation]:
    """Every rule a placed meeting must keep, checked independently of the engine.

    No party double booked and at least ``buffer_minutes`` between its meetings; every
    meeting inside a window of both parties (windows exist only on roundtable days of
    each party's own calendar); at most ``max_meetings_per_day`` per party and local day.
    With tables: every in-person meeting (both parties attend in person) has a table of
    the venue, no table holds two meetings at once, video meetings have none. A meeting
    with a ``session`` starts in that session for both parties. With
    ``max_idle_gap_spread``: the idle gaps (:func:`idle_gaps`) of the parties that wait
    most and least differ by at most that. Meetings whose ``starts_at`` is ``None`` are
    ignored; ``table`` and ``session`` are read when the meeting has them.
    """
    meetings = list(meetings)
    settings = calendar.settings
    length = calendar.slot
    buffer = dt.timedelta(minutes=settings.buffer_minutes)
    violations: list[Violation] = []
    by_party: dict[str, list[tuple[dt.datetime, str]]] = defaultdict(list)
    windows: dict[str, tuple[list[dt.datetime], list[dt.datetime]]] = {}
    for meeting in meetings:
        start = meeting.starts_at
        if start is None:
            continue
        if start.tzinfo is None:
            violations.append(
                Violation("naive_datetime", "start has no time zone", (meeting.meeting_id,))
            )
            continue
        end = start + length
        for pid in (meeting.exporter_id, meeting.importer_id):
            if pid not in calendar:
                violations.append(
                    Violation(
                        "unknown_participant",
                        f"participant {pid} is not in the calendar",
                        (meeting.meeting_id,),
                        pid,
                    )
                )
                continue
            by_party[pid].append((start, meeting.meeting_id))
            if pid not in windows:
                spans = calendar.windows_utc(pid)
                windows[pid] = ([s for s, _ in spans], [e for _, e in spans])
            starts, ends = windows[pid]
            k = bisect.bisect_right(starts, start) - 1
            if k < 0 or ends[k] < end:
                # windows may touch: accept a meeting spanning two adjacent windows
                inside = False
                if k >= 0 and ends[k] > start:
                    reach = ends[k]
                    j = k + 1
                    while j < len(starts) and starts[j] <= reach and reach < end:
                        reach = max(reach, ends[j])
                        j += 1
                    inside = reach >= end
                if not inside:
                    local = calendar.local_time(pid, start)
                    violations.append(
                        Violation(
                            "outside_window",
                            f"meeting {meeting.meeting_id} at {local.isoformat()} is outside "
                            f"the windows of {pid}",
                            (meeting.meeting_id,),
                            pid,
                        )
                    )
    violations.extend(_table_and_session_violations(calendar, meetings))
    cap = settings.max_meetings_per_day
    for pid, items in by_party.items():
        items.sort()
        for (first, first_id), (second, second_id) in itertools.pairwise(items):
            gap = second - (first + length)
            if gap < dt.timedelta(0):
                violations.append(
                    Violation(
                        "double_booked",
                        f"{pid} has meetings {first_id} and {second_id} at the same time",
                        (first_id, second_id),
                        pid,
                    )
                )
            elif gap < buffer:
                violations.append(
                    Violation(
                        "buffer_too_short",
                        f"{pid} has only {gap} between {first_id} and {second_id}",
                        (first_id, second_id),
                        pid,
                    )
                )
        if cap is not None:
            per_day: dict[dt.date, list[str]] = defaultdict(list)
            for start, meeting_id in items:
                per_day[calendar.local_date(pid, start)].append(meeting_id)
            for day, ids in per_day.items():
                if len(ids) > cap:
                    violations.append(
                        Violation(
                            "cap_exceeded",
                            f"{pid} has {len(ids)} meetings on {day.isoformat()}, cap {cap}",
                            tuple(ids),
                            pid,
                        )
                    )
    spread = settings.max_idle_gap_spread
    if spread is not None:
        gaps = idle_gaps(calendar, meetings)
        if gaps and max(gaps.values()) - min(gaps.values()) > spread:
            most = max(gaps, key=lambda pid: gaps[pid])
            least = min(gaps, key=lambda pid: gaps[pid])
            violations.append(
                Violation(
                    "gap_spread_exceeded",
                    f"{most} waits {gaps[most]} slot(s) and {least} {gaps[least]}: spread "
                    f"above {spread}",
                    (),
                    most,
                )
            )
    return violations


def _table_and_session_violations(
    calendar: Calendar, meetings: list[PlacedMeeting]
) -> list[Violation]:
    settings = calendar.settings
    tables = set(settings.tables)
    out: list[Violation] = []
    seated: dict[tuple[dt.datetime, int], str] = {}
    for meeting in meetings:
        start = meeting.starts_at
        if start is None or start.tzinfo is None:
            continue
        ids = (meeting.meeting_id,)
        parties = (meeting.exporter_id, meeting.importer_id)
        if any(pid not in calendar for pid in parties):
            continue
        table = getattr(meeting, "table", None)
        in_person = calendar.meets_in_person(*parties)
        if in_person and table is None:
            out.append(Violation("table_missing", f"{meeting.meeting_id} has no table", ids))
        elif not in_person and table is not None:
            out.append(
                Violation(
                    "table_unexpected", f"video meeting {meeting.meeting_id} has a table", ids
                )
            )
        elif table is not None and table not in tables:
            out.append(Violation("unknown_table", f"{meeting.meeting_id}: no table {table}", ids))
        elif table is not None:
            other = seated.setdefault((start, table), meeting.meeting_id)
            if other != meeting.meeting_id:
                out.append(
                    Violation(
                        "table_double_booked",
                        f"table {table} holds {other} and {meeting.meeting_id} at once",
                        (other, meeting.meeting_id),
                    )
                )
        session = getattr(meeting, "session", None)
        if session is not None:
            wanted = 0 if session == "morning" else 1
            for pid in parties:
                local = start.astimezone(calendar.session_zone(pid))
                half = 0 if local.hour * 60 + local.minute < calendar.midday() else 1
                if half != wanted:
                    out.append(
                        Violation(
                            "wrong_session",
                            f"{meeting.meeting_id} asked for the {session} but starts "
                            f"{local.strftime('%H:%M')} for {pid}",
                            ids,
                            pid,
                        )
                    )
    return out


def idle_gaps(calendar: Calendar, meetings: Iterable[PlacedMeeting]) -> dict[str, int]:
    """Idle gaps of every party with a meeting, from wall-clock starts.

    Within each session of a party (a local day, each half when there is a lunch break),
    the slots of its windows between its first and last meeting that hold no meeting.
    """
    starts: dict[str, set[dt.datetime]] = defaultdict(set)
    for meeting in meetings:
        if meeting.starts_at is not None:
            for pid in (meeting.exporter_id, meeting.importer_id):
                if pid in calendar:
                    starts[pid].add(meeting.starts_at)
    length = calendar.slot
    out: dict[str, int] = {}
    for pid, held in starts.items():
        spans: dict[tuple[dt.date, int], list[dt.datetime]] = defaultdict(list)
        split = calendar.settings.lunch_break is not None
        for start in held:
            local = start.astimezone(calendar.session_zone(pid))
            half = int(split and local.hour * 60 + local.minute >= calendar.midday())
            spans[(calendar.local_date(pid, start), half)].append(start)
        windows = calendar.windows_utc(pid)
        total = 0
        for items in spans.values():
            first, last = min(items), max(items)
            moment = first
            while moment < last:
                inside = any(a <= moment and moment + length <= b for a, b in windows)
                if inside and moment not in held:
                    total += 1
                moment += length
        out[pid] = total
    return out


def _max_matching(options: list[int]) -> int:
    """Maximum matching of items to slots, each item's slots given as a bitset."""
    owner: dict[int, int] = {}
    size = 0
    # cheap greedy start, scarce items first
    order = sorted(range(len(options)), key=lambda k: options[k].bit_count())
    unmatched: list[int] = []
    taken = 0
    for k in order:
        free = options[k] & ~taken
        if free:
            q = (free & -free).bit_length() - 1
            owner[q] = k
            taken |= 1 << q
            size += 1
        else:
            unmatched.append(k)
    for k in unmatched:
        seen = 0

        def augment(item: int) -> bool:
            nonlocal seen
            candidates = options[item] & ~seen
            while candidates:
                low = candidates & -candidates
                candidates ^= low
                seen |= low
                q = low.bit_length() - 1
                holder = owner.get(q)
                if holder is None or augment(holder):
                    owner[q] = item
                    return True
            return False

        if augment(k):
            size += 1
    return size


def _max_flow_with_caps(options: list[int], day_of_slot: dict[int, int], cap: int) -> int:
    """Items to slots (one each) to days (``cap`` each): maximum flow, augmenting paths.

    Nodes: source 0, items, slots, days, sink; residual capacities in a dict of dicts.
    """
    slots = sorted({q for mask in options for q in _bits(mask)})
    days = sorted({day_of_slot[q] for q in slots})
    item_node = {k: 1 + k for k in range(len(options))}
    slot_node = {q: 1 + len(options) + n for n, q in enumerate(slots)}
    day_node = {d: 1 + len(options) + len(slots) + n for n, d in enumerate(days)}
    sink = 1 + len(options) + len(slots) + len(days)
    residual: dict[int, dict[int, int]] = defaultdict(dict)

    def edge(a: int, b: int, capacity: int) -> None:
        residual[a][b] = residual[a].get(b, 0) + capacity
        residual[b].setdefault(a, 0)

    for k, mask in enumerate(options):
        edge(0, item_node[k], 1)
        for q in _bits(mask):
            edge(item_node[k], slot_node[q], 1)
    for q in slots:
        edge(slot_node[q], day_node[day_of_slot[q]], 1)
    for d in days:
        edge(day_node[d], sink, cap)
    flow = 0
    while True:
        parent = {0: 0}
        frontier = [0]
        while frontier and sink not in parent:
            following = []
            for a in frontier:
                for b, capacity in residual[a].items():
                    if capacity > 0 and b not in parent:
                        parent[b] = a
                        following.append(b)
            frontier = following
        if sink not in parent:
            return flow
        node = sink
        while node != 0:
            previous = parent[node]
            residual[previous][node] -= 1
            residual[node][previous] += 1
            node = previous
        flow += 1


def _bits(mask: int) -> list[int]:
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


def upper_bound(calendar: Calendar, requests: Iterable[Request]) -> int:
    """A valid upper bound on how many ``requests`` can be scheduled together.

    Relax one side at a time: with importers' conflicts ignored, each exporter alone can
    hold at most a maximum matching of its requests to its slots (respecting its daily cap
    if any); the sum over exporters bounds the whole, and symmetrically for importers.
    Returns the smaller of the two sums.
    """
    masks: dict[str, int] = {}

    def mask_of(pid: str) -> int:
        found = masks.get(pid)
        if found is None:
            found = masks[pid] = calendar.usable_mask(pid)
        return found

    by_exporter: dict[str, list[int]] = defaultdict(list)
    by_importer: dict[str, list[int]] = defaultdict(list)
    for request in requests:
        common = mask_of(request.exporter_id) & mask_of(request.importer_id)
        if common:
            by_exporter[request.exporter_id].append(common)
            by_importer[request.importer_id].append(common)
    cap = calendar.settings.max_meetings_per_day

    def side(groups: dict[str, list[int]]) -> int:
        total = 0
        for pid, options in groups.items():
            if cap is None:
                total += _max_matching(options)
            else:
                day_of_slot = {
                    column: day
                    for first, stop, day in calendar.usable_ranges(pid)
                    for column in range(first, stop)
                }
                total += _max_flow_with_caps(options, day_of_slot, cap)
        return total

    return min(side(by_exporter), side(by_importer))
