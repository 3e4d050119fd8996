"""The schedule of one roundtable: meetings, their slots, and every change to them.

:class:`Schedule` is the aggregate the service's handlers use. Each command returns a
:class:`Changes` record listing what happened (placed, moved, unscheduled, waiting), so the
handler can publish exactly the events it implies: ``MeetingScheduled`` for
``placed``, ``MeetingRescheduled`` for ``moved``, ``MeetingUnschedulable`` for ``waiting``.

State is plain data: the calendar and the meetings (:meth:`Schedule.to_dict`), so it can be
stored in MongoDB and rebuilt with :meth:`Schedule.from_dict` or ``Schedule(calendar,
meetings)``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ._compact import added_gaps, compact
from ._engine import improve
from ._model import Model
from .calendar import Calendar, Party
from .solver import plan
from .tables import Seat, assign_tables, table_changes
from .validation import Violation, validate

__all__ = [
    "Changes",
    "Meeting",
    "MeetingStatus",
    "Move",
    "ReasonCode",
    "Schedule",
    "Unschedulable",
]

MeetingStatus = Literal["waiting", "scheduled", "cancelled", "held", "no_show"]
ReasonCode = Literal[
    "no_common_window",
    "common_slots_taken",
    "cap_reached",
    "no_free_table",
    "no_slot_in_session",
    "fixed_clash",
]
_REASON_CODES: frozenset[str] = frozenset(ReasonCode.__args__)  # type: ignore[attr-defined]
_OCCUPYING: frozenset[str] = frozenset({"scheduled", "held", "no_show"})
_STATUSES: frozenset[str] = frozenset({"waiting", "scheduled", "cancelled", "held", "no_show"})


def _parse_instant(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if moment.tzinfo is None:  # MongoDB returns naive UTC datetimes
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _session(value: Any) -> str | None:
    if value not in (None, "morning", "afternoon"):
        raise ValueError(f"unknown session {value!r}")
    return None if value is None else str(value)


def explain(model: Model, r: int, within: int) -> tuple[ReasonCode, str]:
    """Why request ``r`` has no free common slot now: the first constraint that stops it."""
    engine = model.engine
    calendar = model.calendar
    e, i = engine.exp[r], engine.imp[r]
    exporter, importer = model.party_ids[e], model.party_ids[i]
    zones = (calendar.party(exporter).timezone, calendar.party(importer).timezone)
    common = engine.allowed[r] & within
    both = engine.usable[e] & engine.usable[i] & within
    session = model.sessions.get(model.request_ids[r])
    if not common and session is not None and both:
        return (
            "no_slot_in_session",
            f"Exporter {exporter} and importer {importer} share no slot in the {session} "
            "session that was asked for.",
        )
    if not common:
        later = " from now on" if engine.allowed[r] else ""
        return (
            "no_common_window",
            f"Exporter {exporter} ({zones[0]}) and importer {importer} ({zones[1]}) have "
            f"no common slot inside both their windows on the roundtable's days{later}.",
        )
    if engine.cap is not None:
        uncapped = [engine.avail[p] | engine.capped[p] for p in (e, i)]
        blocked_by_cap = common & uncapped[0] & uncapped[1]
        if blocked_by_cap:
            capped = [
                model.party_ids[p]
                for p in (e, i)
                if blocked_by_cap & engine.capped[p] and blocked_by_cap & ~engine.avail[p]
            ]
            who = " and ".join(capped) or f"{exporter} or {importer}"
            return (
                "cap_reached",
                f"{who} already has {engine.cap} meetings on every day where the two "
                "parties still share a free slot.",
            )
    if engine.in_person[r] and common & engine.avail[e] & engine.avail[i]:
        free = (common & engine.avail[e] & engine.avail[i]).bit_count()
        return (
            "no_free_table",
            f"Exporter {exporter} and importer {importer} are both free in {free} slot(s), "
            f"but every one of the {engine.capacity} tables is taken in each of them.",
        )
    count = common.bit_count()
    return (
        "common_slots_taken",
        f"Every one of the {count} slots shared by exporter {exporter} and importer "
        f"{importer} is already taken by another meeting of one of them.",
    )


@dataclass(slots=True)
class Meeting:
    """An agreed meeting and where it stands.

    ``starts_at`` is the UTC start when the meeting occupies a slot (status ``scheduled``,
    ``held`` or ``no_show``), else ``None``. A ``locked`` meeting is never moved by
    optimisation. ``reason_code``/``reason`` say why a ``waiting`` meeting has no slot.
    ``sequence`` rises on every change of slot or status (the ICS SEQUENCE).
    ``session`` (``morning``/``afternoon``) restricts it to that session of a day;
    ``table`` is the table number of an in-person meeting while it occupies a slot.
    """

    meeting_id: str
    exporter_id: str
    importer_id: str
    score: float = 0.0
    starts_at: dt.datetime | None = None
    locked: bool = False
    status: MeetingStatus = "waiting"
    reason_code: ReasonCode | None = None
    reason: str = ""
    sequence: int = 0
    session: str | None = None
    table: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for storage (``starts_at`` stays a datetime, which BSON keeps)."""
        return {
            "meeting_id": self.meeting_id,
            "exporter_id": self.exporter_id,
            "importer_id": self.importer_id,
            "score": self.score,
            "starts_at": self.starts_at,
            "locked": self.locked,
            "status": self.status,
            "reason_code": self.reason_code,
            "reason": self.reason,
            "sequence": self.sequence,
            "session": self.session,
            "table": self.table,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Meeting:
        """Inverse of :meth:`to_dict`; accepts ISO strings and naive UTC datetimes."""
        status = str(data.get("status", "waiting"))
        if status not in _STATUSES:
            raise ValueError(f"unknown meeting status {status!r}")
        code = data.get("reason_code")
        if code is not None and code not in _REASON_CODES:
            raise ValueError(f"unknown reason code {code!r}")
        return cls(
            meeting_id=str(data["meeting_id"]),
            exporter_id=str(data["exporter_id"]),
            importer_id=str(data["importer_id"]),
            score=float(data.get("score", 0.0)),
            starts_at=_parse_instant(data.get("starts_at")),
            locked=bool(data.get("locked", False)),
            status=status,  # type: ignore[arg-type]  # checked against _STATUSES above
            reason_code=code,
            reason=str(data.get("reason", "")),
            sequence=int(data.get("sequence", 0)),
            session=_session(data.get("session")),
            table=None if data.get("table") is None else int(data["table"]),
        )


@dataclass(frozen=True, slots=True)
class Move:
    """A meeting that got a slot (``previous_starts_at`` None) or changed slot."""

    meeting_id: str
    previous_starts_at: dt.datetime | None
    starts_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Unschedulable:
    """A meeting left waiting, with a reason code and a sentence a person understands."""

    meeting_id: str
    reason_code: ReasonCode
    reason: str


@dataclass(slots=True)
class Changes:
    """What one command changed.

    ``placed``: waiting meetings that got a slot. ``moved``: scheduled meetings that
    changed slot. ``unscheduled``: meetings that lost their slot and wait again (only an
    optimisation that places more meetings in total does this). ``waiting``: meetings the
    command tried and could not place, with the reason.
    """

    placed: list[Move] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)
    unscheduled: list[Unschedulable] = field(default_factory=list)
    waiting: list[Unschedulable] = field(default_factory=list)


class Schedule:
    """One roundtable's meetings on its calendar, kept free of double booking.

    Every party of a meeting must be in the calendar first (:meth:`upsert_party`).
    Operations taking ``now`` never put a meeting in a slot starting before ``now``.
    """

    def __init__(self, calendar: Calendar, meetings: Iterable[Meeting] = ()) -> None:
        self.calendar = calendar
        self._meetings: dict[str, Meeting] = {}
        for meeting in meetings:
            if meeting.meeting_id in self._meetings:
                raise ValueError(f"duplicate meeting {meeting.meeting_id}")
            self._meetings[meeting.meeting_id] = meeting
        self._by_party: dict[str, list[str]] = {}
        for meeting in self._meetings.values():
            self._index_parties(meeting)
        self._rebuild()

    def _index_parties(self, meeting: Meeting) -> None:
        for pid in (meeting.exporter_id, meeting.importer_id):
            self._by_party.setdefault(pid, []).append(meeting.meeting_id)

    # state -----------------------------------------------------------------------------
    def _rebuild(self) -> None:
        """Build a fresh engine (and slot preference order) from the meetings."""
        live = [m for m in self._meetings.values() if m.status != "cancelled"]
        model = self._new_model(live)
        engine = model.engine
        for meeting in live:
            r = model.request_index[meeting.meeting_id]
            engine.fixed[r] = meeting.locked or meeting.status in ("held", "no_show")
            if meeting.status not in _OCCUPYING:
                continue
            if meeting.starts_at is None:
                raise ValueError(
                    f"meeting {meeting.meeting_id} is {meeting.status} without a start"
                )
            position = model.position_of[self.calendar.slot_index(meeting.starts_at)]
            for party in (engine.exp[r], engine.imp[r]):
                if engine.block[position] & engine.busy[party]:
                    raise ValueError(
                        f"stored meeting {meeting.meeting_id} overlaps another meeting of "
                        f"{model.party_ids[party]}"
                    )
            engine.assign(r, position)
        engine.journal.clear()
        self._model = model
        self._built_with = max(16, len(live))
        self._within_cache: dict[int, int] = {}
        self._seated: dict[int, dict[int, str]] = {}
        for meeting in live:
            if meeting.status in _OCCUPYING and meeting.table is not None:
                assert meeting.starts_at is not None
                column = self.calendar.slot_index(meeting.starts_at)
                self._seated.setdefault(column, {})[meeting.table] = meeting.meeting_id

    def _new_model(self, live: Iterable[Meeting]) -> Model:
        live = list(live)
        return Model(
            self.calendar,
            [(m.meeting_id, m.exporter_id, m.importer_id, m.score) for m in live],
            sessions={m.meeting_id: m.session for m in live if m.session is not None},
        )

    # tables ----------------------------------------------------------------------------
    def _unseat(self, meeting: Meeting) -> None:
        if meeting.table is not None and meeting.starts_at is not None:
            seated = self._seated.get(self.calendar.slot_index(meeting.starts_at), {})
            if seated.get(meeting.table) == meeting.meeting_id:
                del seated[meeting.table]
        meeting.table = None

    def _seat(self, meeting: Meeting) -> None:
        """Give an in-person meeting a free table at its slot: its importer's usual one
        when free (importers sit, exporters walk), else a table no other importer uses
        that day, else any free one. The engine guarantees one is free."""
        assert meeting.starts_at is not None
        if not self.calendar.meets_in_person(meeting.exporter_id, meeting.importer_id):
            meeting.table = None
            return
        column = self.calendar.slot_index(meeting.starts_at)
        taken = self._seated.setdefault(column, {})
        day = self.calendar.local_date(meeting.importer_id, meeting.starts_at)
        own: dict[int, int] = {}
        for other_id in self._by_party.get(meeting.importer_id, ()):
            other = self._meetings[other_id]
            if other.table is not None and other.status in _OCCUPYING and other is not meeting:
                assert other.starts_at is not None
                if self.calendar.local_date(meeting.importer_id, other.starts_at) == day:
                    own[other.table] = own.get(other.table, 0) + 1
        others: set[int] = set()
        for seated in self._seated.values():
            for table, other_id in seated.items():
                other = self._meetings[other_id]
                if (
                    other.importer_id != meeting.importer_id
                    and other.starts_at is not None
                    and self.calendar.local_date(other.importer_id, other.starts_at) == day
                ):
                    others.add(table)
        free = [t for t in self.calendar.settings.tables if t not in taken]
        if not free:
            raise ValueError(f"no free table for {meeting.meeting_id}: the engine overbooked")
        table = min(free, key=lambda t: (-own.get(t, 0), t in others, t))
        taken[table] = meeting.meeting_id
        meeting.table = table

    def _reseat_all(self, keep_ids: set[str]) -> None:
        """Tables for every in-person meeting at once (after a re-plan), keeping the table
        of the meetings in ``keep_ids`` (their slot did not change)."""
        if not self.calendar.settings.tables:
            return
        placed = [
            m
            for m in self._meetings.values()
            if m.status in _OCCUPYING
            and m.starts_at is not None
            and self.calendar.meets_in_person(m.exporter_id, m.importer_id)
        ]
        seats = []
        for m in placed:
            assert m.starts_at is not None
            day = self.calendar.local_date(m.importer_id, m.starts_at).toordinal()
            seats.append(
                Seat(m.meeting_id, self.calendar.slot_index(m.starts_at), day, m.importer_id)
            )
        keep = {
            m.meeting_id: m.table
            for m in placed
            if m.table is not None and (m.meeting_id in keep_ids or m.status != "scheduled")
        }
        table_of = assign_tables(seats, self.calendar.settings.tables, keep=keep)
        self._seated = {}
        for seat in seats:
            meeting = self._meetings[seat.meeting_id]
            meeting.table = table_of[seat.meeting_id]
            self._seated.setdefault(seat.column, {})[meeting.table] = meeting.meeting_id

    def table_changes(self) -> int:
        """How often an importer changes table between consecutive meetings of a day."""
        seats = []
        for m in self._meetings.values():
            if m.status in _OCCUPYING and m.starts_at is not None and m.table is not None:
                day = self.calendar.local_date(m.importer_id, m.starts_at).toordinal()
                seats.append(
                    Seat(m.meeting_id, self.calendar.slot_index(m.starts_at), day, m.importer_id)
                )
        return table_changes(
            seats, {s.meeting_id: self._meetings[s.meeting_id].table or 0 for s in seats}
        )

    @property
    def meetings(self) -> Mapping[str, Meeting]:
        """Every meeting by id (cancelled ones included)."""
        return self._meetings

    def meeting(self, meeting_id: str) -> Meeting:
        """The meeting with this id (``KeyError`` if unknown)."""
        return self._meetings[meeting_id]

    def to_dict(self) -> dict[str, Any]:
        """Plain data: ``{"calendar": ..., "meetings": [...]}``."""
        return {
            "calendar": self.calendar.to_dict(),
            "meetings": [meeting.to_dict() for meeting in self._meetings.values()],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Schedule:
        """Rebuild from :meth:`to_dict` output (or the same data read back from storage)."""
        return cls(
            Calendar.from_dict(data["calendar"]),
            (Meeting.from_dict(item) for item in data.get("meetings") or ()),
        )

    def violations(self) -> list[Violation]:
        """The validator's findings on the current schedule (empty when all is well)."""
        return validate(
            self.calendar,
            (m for m in self._meetings.values() if m.status in _OCCUPYING),
        )

    # helpers ---------------------------------------------------------------------------
    def _within(self, now: dt.datetime | None) -> int:
        if now is None:
            return -1
        column = self.calendar.first_slot_at_or_after(now)
        mask = self._within_cache.get(column)
        if mask is None:
            mask = self._within_cache[column] = self._model.positions_from(column)
        return mask

    def _index(self, meeting_id: str) -> int:
        return self._model.request_index[meeting_id]

    def _is_past(self, meeting: Meeting, now: dt.datetime | None) -> bool:
        if meeting.status in ("held", "no_show"):
            return True
        return now is not None and meeting.starts_at is not None and meeting.starts_at < now

    def _sync_meetings(self, before: Mapping[str, int], *, seat: bool = True) -> Changes:
        """Write engine positions back to meetings; report what changed since ``before``.

        Tables: every meeting that changed slot leaves its table first, then those with a
        slot take one (the engine kept the count per slot within the tables). With
        ``seat=False`` the caller seats them (:meth:`_reseat_all`)."""
        changes = Changes()
        changed = [mid for mid, old in before.items() if self._column(mid) != old]
        for meeting_id in changed:
            self._unseat(self._meetings[meeting_id])
        for meeting_id, old in before.items():
            r = self._index(meeting_id)
            new = self._column(meeting_id)
            if new == old:
                continue
            meeting = self._meetings[meeting_id]
            previous = meeting.starts_at
            if old >= 0 or meeting.sequence:  # a first placement is the invite's SEQUENCE 0
                meeting.sequence += 1
            if new < 0:
                meeting.status = "waiting"
                meeting.starts_at = None
                code, reason = self._explain(r, -1)
                meeting.reason_code, meeting.reason = code, reason
                changes.unscheduled.append(Unschedulable(meeting_id, code, reason))
                continue
            meeting.status = "scheduled"
            meeting.starts_at = self.calendar.slot_start(new)
            meeting.reason_code, meeting.reason = None, ""
            move = Move(meeting_id, previous if old >= 0 else None, meeting.starts_at)
            (changes.moved if old >= 0 else changes.placed).append(move)
        if seat and self.calendar.settings.tables:
            for move in (*changes.placed, *changes.moved):
                self._seat(self._meetings[move.meeting_id])
        return changes

    def _snapshot(self, meeting_ids: Iterable[str]) -> dict[str, int]:
        """Grid slot of each meeting (-1: none), comparable across engine rebuilds."""
        return {mid: self._column(mid) for mid in meeting_ids}

    def _column(self, meeting_id: str) -> int:
        position = self._model.engine.pos[self._index(meeting_id)]
        return -1 if position < 0 else self._model.column_of[position]

    def _best_position(self, r: int, options: int, within: int) -> int:
        """Scarcity-aware choice among free common positions.

        Positions are ranked by the roundtable-wide preference order (least contended
        first); before that, a position costs the share of it that the two parties' other
        waiting meetings would need.
        """
        engine = self._model.engine
        candidates = []
        mask = options
        while mask:
            low = mask & -mask
            candidates.append(low.bit_length() - 1)
            mask ^= low
        if len(candidates) == 1:
            return candidates[0]
        cost = dict.fromkeys(candidates, 0.0)
        for party in (engine.exp[r], engine.imp[r]):
            for other in self._waiting_of(party):
                if other == r:
                    continue
                theirs = engine.options(other, within)
                size = theirs.bit_count()
                if not size:
                    continue
                for q in candidates:
                    if (theirs >> q) & 1:
                        cost[q] += 1.0 / size
        # compact agendas: a slot that adds idle gaps to either party costs a quarter of a
        # contested slot per gap slot (a slot that closes a gap earns as much)
        for party in (engine.exp[r], engine.imp[r]):
            for q, delta in added_gaps(self._model, party, candidates).items():
                cost[q] += 0.25 * delta
        return min(candidates, key=lambda q: (cost[q], q))

    def _waiting_of(self, party: int) -> list[int]:
        engine = self._model.engine
        out = []
        for meeting_id in self._by_party.get(self._model.party_ids[party], ()):
            r = self._model.request_index.get(meeting_id)
            # a cancelled meeting is not in an engine built after its cancellation
            if r is not None and engine.pos[r] < 0 and engine.active[r]:
                out.append(r)
        return out

    def _explain(self, r: int, within: int) -> tuple[ReasonCode, str]:
        return explain(self._model, r, within)

    def _maybe_rebuild(self) -> None:
        """Re-rank slots once the number of meetings has doubled since the last build."""
        if len(self._meetings) > 2 * self._built_with:
            self._rebuild()

    # commands --------------------------------------------------------------------------
    def upsert_party(self, party: Party) -> None:
        """Add a party to the calendar, or update its time zone and availability.

        Meetings already placed stay where they are (the validator reports any that now
        fall outside the party's windows); waiting ones can be retried with
        :meth:`place_waiting`.
        """
        self.calendar.add_party(party)
        self._model.sync_party(party.participant_id)

    def place(
        self,
        meeting_id: str,
        exporter_id: str,
        importer_id: str,
        score: float = 0.0,
        *,
        now: dt.datetime | None = None,
        max_moves: int = 0,
        session: str | None = None,
    ) -> Changes:
        """Place a newly agreed meeting in the best free common slot, or leave it waiting.

        ``session`` (``morning``/``afternoon``) keeps it to that session of a day.

        With ``max_moves`` > 0 the placement may move up to that many other movable
        meetings along a chain (each reported in ``moved``). Placing an id that already
        exists is idempotent: it returns no changes.
        """
        if meeting_id in self._meetings:
            return Changes()
        for pid in (exporter_id, importer_id):
            if pid not in self.calendar:
                raise KeyError(f"participant {pid} is not in the calendar")
        meeting = Meeting(meeting_id, exporter_id, importer_id, score, session=_session(session))
        self._meetings[meeting_id] = meeting
        self._index_parties(meeting)
        self._model.add_request(meeting_id, exporter_id, importer_id, score, session)
        changes = self._place_waiting_ids([meeting_id], now=now, max_moves=max_moves)
        self._maybe_rebuild()
        return changes

    def _place_waiting_ids(
        self, meeting_ids: list[str], *, now: dt.datetime | None, max_moves: int = 0
    ) -> Changes:
        engine = self._model.engine
        within = self._within(now)
        requests = [self._index(mid) for mid in meeting_ids]
        requests.sort(key=lambda r: (engine.options(r, within).bit_count(), -engine.score[r]))
        movable_snapshot: dict[str, int] = {}
        if max_moves:
            self._mark_past_fixed(now)
            movable_snapshot = self._snapshot(
                m.meeting_id for m in self._meetings.values() if m.status == "scheduled"
            )
        before = self._snapshot(meeting_ids)
        failed: list[int] = []
        for r in requests:
            options = engine.options(r, within)
            if options:
                engine.assign(r, self._best_position(r, options, within))
            elif max_moves and engine.try_insert(r, max_moves, 50 * max_moves, within):
                pass
            else:
                failed.append(r)
        engine.journal.clear()
        if max_moves:
            self._restore_fixed()
        changes = self._sync_meetings({**movable_snapshot, **before})
        for r in failed:
            meeting = self._meetings[self._model.request_ids[r]]
            code, reason = self._explain(r, within)
            meeting.reason_code, meeting.reason = code, reason
            changes.waiting.append(Unschedulable(meeting.meeting_id, code, reason))
        return changes

    def place_waiting(self, *, now: dt.datetime | None = None) -> Changes:
        """Try every waiting meeting again (after a cancellation or a calendar change)."""
        waiting = [m.meeting_id for m in self._meetings.values() if m.status == "waiting"]
        return self._place_waiting_ids(waiting, now=now)

    def cancel(self, meeting_id: str, *, now: dt.datetime | None = None) -> Changes:
        """Cancel a meeting, free its slot for both parties, then place waiting meetings.

        Raises ``ValueError`` for a meeting already held or reported as a no-show.
        """
        meeting = self._meetings[meeting_id]
        if meeting.status == "cancelled":
            return Changes()
        if meeting.status in ("held", "no_show"):
            raise ValueError(f"meeting {meeting_id} is already {meeting.status}")
        engine = self._model.engine
        r = self._index(meeting_id)
        if engine.pos[r] >= 0:
            engine.unassign(r)
        engine.active[r] = False
        engine.journal.clear()
        self._unseat(meeting)
        meeting.status = "cancelled"
        meeting.sequence += 1
        return self.place_waiting(now=now)

    def reschedule(self, meeting_id: str, *, now: dt.datetime | None = None) -> Changes:
        """Move a scheduled meeting (same id) to the best other free common slot.

        If there is none, the meeting keeps its slot and ``waiting`` explains why.
        Raises ``ValueError`` for a meeting that is not scheduled or already started.
        """
        meeting = self._meetings[meeting_id]
        if meeting.status != "scheduled":
            raise ValueError(f"meeting {meeting_id} is {meeting.status}, not scheduled")
        if self._is_past(meeting, now):
            raise ValueError(f"meeting {meeting_id} has already started")
        engine = self._model.engine
        r = self._index(meeting_id)
        before = self._snapshot([meeting_id])
        current = engine.pos[r]
        within = self._within(now)
        engine.unassign(r)
        options = engine.options(r, within) & ~(1 << current)
        if options:
            engine.assign(r, self._best_position(r, options, within))
            engine.journal.clear()
            return self._sync_meetings(before)
        engine.assign(r, current)
        engine.journal.clear()
        code, reason = self._explain(r, within & ~(1 << current))
        if code == "common_slots_taken":
            reason = f"No other slot is free for both parties: {reason}"
        return Changes(waiting=[Unschedulable(meeting_id, code, reason)])

    def lock(self, meeting_id: str, locked: bool = True) -> None:
        """Lock (or unlock) a meeting: a locked meeting is never moved by optimisation."""
        meeting = self._meetings[meeting_id]
        meeting.locked = locked
        if meeting.status != "cancelled":
            self._model.engine.fixed[self._index(meeting_id)] = locked or meeting.status in (
                "held",
                "no_show",
            )

    def record_attendance(self, meeting_id: str, status: Literal["held", "no_show"]) -> Meeting:
        """Mark a scheduled meeting as held or as a no-show; it is never moved again."""
        meeting = self._meetings[meeting_id]
        if meeting.status not in ("scheduled", "held", "no_show"):
            raise ValueError(f"meeting {meeting_id} is {meeting.status}, not scheduled")
        if meeting.status != status:
            meeting.status = status
            meeting.sequence += 1
        self._model.engine.fixed[self._index(meeting_id)] = True
        return meeting

    # optimisation ----------------------------------------------------------------------
    def _mark_past_fixed(self, now: dt.datetime | None) -> None:
        engine = self._model.engine
        self._fixed_before = list(engine.fixed)
        for meeting in self._meetings.values():
            if meeting.status != "cancelled" and self._is_past(meeting, now):
                engine.fixed[self._index(meeting.meeting_id)] = True

    def _restore_fixed(self) -> None:
        self._model.engine.fixed = self._fixed_before

    def optimize(self, now: dt.datetime, *, time_budget: float = 1.0) -> Changes:
        """Re-plan every meeting neither locked nor past, and place waiting ones.

        Maximises, in order, the number of meetings placed, the fairness floor and the
        total match score. Two plans are compared: the current one improved in place
        (nothing moves unless a chain needs it) and one built from scratch; the scratch
        plan is taken only when strictly better, after moving back every meeting whose old
        slot is still free. Only meetings whose slot changed are reported in ``moved``.
        """
        started = time.perf_counter()
        live = [m for m in self._meetings.values() if m.status != "cancelled"]
        before = self._snapshot(m.meeting_id for m in live)
        fixed_ids = {
            m.meeting_id
            for m in live
            if (m.locked and m.status in _OCCUPYING) or self._is_past(m, now)
        }
        # (1) improve the current plan in place
        self._mark_past_fixed(now)
        warm = self._model
        engine = warm.engine
        within = self._within(now)
        movable = [self._index(m.meeting_id) for m in live if m.meeting_id not in fixed_ids]
        deadline = started + 0.3 * time_budget
        order = sorted(
            (r for r in movable if engine.pos[r] < 0),
            key=lambda r: ((engine.allowed[r] & within).bit_count(), -engine.score[r]),
        )
        engine.greedy(order, within)
        engine.journal.clear()
        improve(engine, movable, within=within, deadline=deadline)
        warm_objective = engine.objective([self._index(m.meeting_id) for m in live])
        # (2) a plan from scratch, fixed meetings pinned
        cold = self._new_model(live)
        cold_engine = cold.engine
        for meeting in live:
            if meeting.meeting_id in fixed_ids and meeting.starts_at is not None:
                r = cold.request_index[meeting.meeting_id]
                cold_engine.fixed[r] = True
                cold_engine.assign(r, cold.position_of[self.calendar.slot_index(meeting.starts_at)])
            elif meeting.meeting_id in fixed_ids:
                cold_engine.fixed[cold.request_index[meeting.meeting_id]] = True
        cold_within = cold.positions_from(self.calendar.first_slot_at_or_after(now))
        cold_movable = [
            cold.request_index[m.meeting_id] for m in live if m.meeting_id not in fixed_ids
        ]
        plan(cold, cold_movable, cold_within, started + 0.6 * time_budget)
        cold_objective = cold_engine.objective(range(len(cold.request_ids)))
        if cold_objective > warm_objective:
            self._restore_fixed()
            self._adopt(cold, live, fixed_ids, cold_within)
            movable, within = cold_movable, cold_within
            self._mark_past_fixed(now)
        # (3) compact agendas with the time left (counts and floor unchanged)
        compact(
            self._model,
            movable,
            within=within,
            deadline=started + time_budget,
            spread=self.calendar.settings.max_idle_gap_spread,
        )
        self._restore_fixed()
        changes = self._sync_meetings(before, seat=False)
        moved = {move.meeting_id for move in (*changes.placed, *changes.moved)}
        self._reseat_all({mid for mid in before if mid not in moved})
        return changes

    def _adopt(self, cold: Model, live: list[Meeting], fixed_ids: set[str], within: int) -> None:
        """Take the scratch plan, moving meetings back to their old slots where free."""
        engine = cold.engine
        for _ in range(3):
            moved_back = 0
            for meeting in live:
                if meeting.meeting_id in fixed_ids or meeting.starts_at is None:
                    continue
                r = cold.request_index[meeting.meeting_id]
                old = cold.position_of[self.calendar.slot_index(meeting.starts_at)]
                current = engine.pos[r]
                if current < 0 or current == old or not ((engine.allowed[r] & within) >> old) & 1:
                    continue
                engine.unassign(r)
                if engine.free_at(engine.exp[r], old) and engine.free_at(engine.imp[r], old):
                    engine.assign(r, old)
                    moved_back += 1
                else:
                    engine.assign(r, current)
            if not moved_back:
                break
        engine.journal.clear()
        self._model = cold
        self._built_with = max(16, len(live))
        self._within_cache = {}
