"""The roundtable calendar: days, slot grid and each party's windows in its own time zone.

Availability lives in each participant's own calendar: windows on roundtable days given as
local dates and local times, converted to UTC with :mod:`zoneinfo` so that a daylight-saving
change inside the roundtable (Chile moved from UTC-4 to UTC-3 on 6 September 2020) is right.

Slots form one global grid in UTC: slot ``k`` starts at ``origin + k * slot_minutes`` where
``origin`` is UTC midnight of the first roundtable day minus fourteen hours (the earliest
local midnight on Earth), rounded down to whole slots. The grid therefore depends only on the
roundtable's settings, never on who has registered, so stored meetings map to the same slot
for ever. Because the anchor is a UTC midnight, whole-hour and half-hour zones fall on the
grid for any slot length dividing 30 minutes; a window edge off the grid simply loses the
partial slot. A slot is usable by a party when ``[start, end)`` lies entirely inside one of
its windows, and every window lies on a roundtable day of that party's own calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["Calendar", "CalendarSettings", "Party", "Window", "parse_local_time"]

_UTC = dt.UTC
_EARLIEST_OFFSET = dt.timedelta(hours=14)  # UTC+14, Kiribati: the first local midnight
_LATEST_OFFSET = dt.timedelta(hours=12)  # UTC-12: the last local midnight


def parse_local_time(text: str) -> int:
    """Minutes since local midnight of ``"HH:MM"``; ``"24:00"`` is the end of the day."""
    hours, sep, minutes = text.partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        raise ValueError(f"not a local time HH:MM: {text!r}")
    value = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or value > 24 * 60:
        raise ValueError(f"not a local time HH:MM: {text!r}")
    return value


def _format_local_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


@dataclass(frozen=True, slots=True)
class Window:
    """A window on one local date, in local minutes since midnight: ``[start, end)``."""

    date: dt.date
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= 24 * 60:
            raise ValueError(f"window must satisfy 00:00 <= start < end <= 24:00: {self}")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Window:
        """Build from ``{date, start: "HH:MM", end: "HH:MM"}`` (date or ISO string)."""
        return cls(
            date=_as_date(data["date"]),
            start=parse_local_time(str(data["start"])),
            end=parse_local_time(str(data["end"])),
        )

    def to_dict(self) -> dict[str, str]:
        """Plain dict: ISO date and ``"HH:MM"`` times."""
        return {
            "date": self.date.isoformat(),
            "start": _format_local_time(self.start),
            "end": _format_local_time(self.end),
        }

    def utc_bounds(self, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """The window in UTC, as seen from ``zone`` on its own date (DST-correct)."""
        midnight = dt.datetime.combine(self.date, dt.time(0))
        start = (midnight + dt.timedelta(minutes=self.start)).replace(tzinfo=zone)
        end = (midnight + dt.timedelta(minutes=self.end)).replace(tzinfo=zone)
        return start.astimezone(_UTC), end.astimezone(_UTC)


@dataclass(frozen=True, slots=True)
class CalendarSettings:
    """A roundtable's calendar rules.

    ``days`` are local dates: every party meets only on these dates of its own calendar.
    ``buffer_minutes`` is the least gap between two meetings of one party.
    ``max_meetings_per_day`` caps one party's meetings per local day (``None``: no cap).
    ``min_meetings_per_exporter`` is the fairness floor the optimiser tries to reach.
    ``format``: ``virtual`` (video rooms), ``in_person`` (numbered ``tables`` at a venue in
    ``venue_timezone``) or ``hybrid`` (tables for meetings whose two parties attend in
    person). ``lunch_break`` (local minutes, venue time when there is a venue, else each
    party's) is never used and splits each day into a morning and an afternoon session.
    ``max_idle_gap_spread`` bounds, in slots, the difference of idle gaps between the
    participants who wait most and least.
    """

    days: tuple[dt.date, ...]
    slot_minutes: int = 30
    buffer_minutes: int = 0
    default_window: tuple[int, int] = (9 * 60, 18 * 60)
    max_meetings_per_day: int | None = None
    min_meetings_per_exporter: int = 0
    format: str = "virtual"
    venue_timezone: str | None = None
    tables: tuple[int, ...] = ()
    lunch_break: tuple[int, int] | None = None
    max_idle_gap_spread: int | None = None

    def __post_init__(self) -> None:
        if not self.days:
            raise ValueError("a roundtable needs at least one day")
        if len(set(self.days)) != len(self.days):
            raise ValueError("roundtable days must be distinct")
        if not 5 <= self.slot_minutes <= 24 * 60:
            raise ValueError("slot_minutes must be between 5 and 1440")
        if self.buffer_minutes < 0:
            raise ValueError("buffer_minutes must not be negative")
        start, end = self.default_window
        if not 0 <= start < end <= 24 * 60:
            raise ValueError("default_window must satisfy start < end")
        if self.max_meetings_per_day is not None and self.max_meetings_per_day < 1:
            raise ValueError("max_meetings_per_day must be at least 1")
        if self.min_meetings_per_exporter < 0:
            raise ValueError("min_meetings_per_exporter must not be negative")
        if self.format not in ("virtual", "in_person", "hybrid"):
            raise ValueError(f"unknown format {self.format!r}")
        if self.format == "virtual" and self.tables:
            raise ValueError("a virtual roundtable has no tables")
        if self.format != "virtual" and not self.tables:
            raise ValueError(f"a {self.format} roundtable needs tables")
        if len(set(self.tables)) != len(self.tables) or any(t < 1 for t in self.tables):
            raise ValueError("table numbers must be distinct and positive")
        if self.venue_timezone is not None:
            ZoneInfo(self.venue_timezone)
        if self.lunch_break is not None and not 0 <= self.lunch_break[0] < self.lunch_break[1]:
            raise ValueError("lunch_break must satisfy start < end")
        if self.max_idle_gap_spread is not None and self.max_idle_gap_spread < 0:
            raise ValueError("max_idle_gap_spread must not be negative")

    @property
    def has_tables(self) -> bool:
        """Whether some meetings happen at tables (in person or hybrid)."""
        return bool(self.tables)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CalendarSettings:
        """Build from roundtable settings as plain data.

        Keys: ``days`` (dates or ISO strings), ``slot_minutes``, ``buffer_minutes``,
        ``default_window`` (``{"start": "HH:MM", "end": "HH:MM"}`` or a pair),
        ``max_meetings_per_day`` and ``min_meetings_per_exporter`` (optional).
        """
        window = data.get("default_window") or {"start": "09:00", "end": "18:00"}
        if isinstance(window, Mapping):
            start_text, end_text = str(window["start"]), str(window["end"])
        else:
            start_text, end_text = (str(part) for part in window)
        cap = data.get("max_meetings_per_day")
        lunch = data.get("lunch_break")
        spread = data.get("max_idle_gap_spread")
        return cls(
            days=tuple(sorted(_as_date(day) for day in data["days"])),
            slot_minutes=int(data.get("slot_minutes", 30)),
            buffer_minutes=int(data.get("buffer_minutes", 0)),
            default_window=(parse_local_time(start_text), parse_local_time(end_text)),
            max_meetings_per_day=None if cap is None else int(cap),
            min_meetings_per_exporter=int(data.get("min_meetings_per_exporter", 0)),
            format=str(data.get("format", "virtual")),
            venue_timezone=data.get("venue_timezone"),
            tables=tuple(int(t) for t in data.get("tables") or ()),
            lunch_break=None
            if lunch is None
            else (parse_local_time(str(lunch["start"])), parse_local_time(str(lunch["end"]))),
            max_idle_gap_spread=None if spread is None else int(spread),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain dict, the inverse of :meth:`from_dict`."""
        return {
            "days": [day.isoformat() for day in self.days],
            "slot_minutes": self.slot_minutes,
            "buffer_minutes": self.buffer_minutes,
            "default_window": {
                "start": _format_local_time(self.default_window[0]),
                "end": _format_local_time(self.default_window[1]),
            },
            "max_meetings_per_day": self.max_meetings_per_day,
            "min_meetings_per_exporter": self.min_meetings_per_exporter,
            "format": self.format,
            "venue_timezone": self.venue_timezone,
            "tables": list(self.tables),
            "lunch_break": None
            if self.lunch_break is None
            else {
                "start": _format_local_time(self.lunch_break[0]),
                "end": _format_local_time(self.lunch_break[1]),
            },
            "max_idle_gap_spread": self.max_idle_gap_spread,
        }


@dataclass(frozen=True, slots=True)
class Party:
    """A participant as the calendar sees it.

    ``availability`` lists the party's own windows per local date; empty means the
    roundtable's default window on every roundtable day. Windows on dates that are not
    roundtable days are ignored. ``attendance`` (hybrid roundtables): ``in_person`` or
    ``remote``; ``None`` follows the format (in person unless virtual).
    """

    participant_id: str
    timezone: str
    availability: tuple[Window, ...] = ()
    attendance: str | None = None

    def __post_init__(self) -> None:
        ZoneInfo(self.timezone)  # raises for an unknown zone
        if self.attendance not in (None, "in_person", "remote"):
            raise ValueError(f"unknown attendance {self.attendance!r}")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Party:
        """Build from ``{participant_id, timezone, availability: [{date, start, end}]}``."""
        return cls(
            participant_id=str(data["participant_id"]),
            timezone=str(data["timezone"]),
            availability=tuple(Window.from_dict(w) for w in data.get("availability") or ()),
            attendance=data.get("attendance"),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain dict, the inverse of :meth:`from_dict`."""
        return {
            "participant_id": self.participant_id,
            "timezone": self.timezone,
            "availability": [window.to_dict() for window in self.availability],
            "attendance": self.attendance,
        }


@dataclass(slots=True)
class _PartyGrid:
    """A party's usable slots as grid ranges ``[first, stop)``, each with its day index."""

    ranges: list[tuple[int, int, int]] = field(default_factory=list)
    windows_utc: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)


class Calendar:
    """The roundtable's slot grid and every party's usable slots.

    Parties may be added or updated at any time; the grid never changes.
    """

    def __init__(self, settings: CalendarSettings, parties: Iterable[Party] = ()) -> None:
        self.settings = settings
        self.slot = dt.timedelta(minutes=settings.slot_minutes)
        first_midnight = dt.datetime.combine(settings.days[0], dt.time(0), tzinfo=_UTC)
        last_midnight = dt.datetime.combine(settings.days[-1], dt.time(0), tzinfo=_UTC)
        lead = -(-_EARLIEST_OFFSET // self.slot)  # whole slots, rounded up
        self.origin = first_midnight - lead * self.slot
        horizon = last_midnight + dt.timedelta(days=1) + _LATEST_OFFSET
        self.n_slots = -(-(horizon - self.origin) // self.slot)
        self._day_index = {day: index for index, day in enumerate(settings.days)}
        self._parties: dict[str, Party] = {}
        self._grids: dict[str, _PartyGrid] = {}
        self.version = 0
        for party in parties:
            self.add_party(party)

    # parties ---------------------------------------------------------------------------
    def add_party(self, party: Party) -> None:
        """Add a party, or replace its time zone and availability."""
        self._parties[party.participant_id] = party
        self._grids[party.participant_id] = self._build_grid(party)
        self.version += 1

    def party(self, participant_id: str) -> Party:
        """The party with this id (``KeyError`` if unknown)."""
        return self._parties[participant_id]

    def __contains__(self, participant_id: object) -> bool:
        return participant_id in self._parties

    @property
    def parties(self) -> Sequence[Party]:
        """Every party, in insertion order."""
        return list(self._parties.values())

    def _build_grid(self, party: Party) -> _PartyGrid:
        zone = ZoneInfo(party.timezone)
        windows = party.availability or tuple(
            Window(day, *self.settings.default_window) for day in self.settings.days
        )
        grid = _PartyGrid()
        for window in sorted(windows, key=lambda w: (w.date, w.start)):
            day = self._day_index.get(window.date)
            if day is None:
                continue
            for start, end in self._without_lunch(*window.utc_bounds(zone), party):
                grid.windows_utc.append((start, end))
                first = max(0, -(-(start - self.origin) // self.slot))
                stop = min(self.n_slots, (end - self.origin) // self.slot)
                if stop > first:
                    grid.ranges.append((first, stop, day))
        return grid

    def session_zone(self, participant_id: str) -> ZoneInfo:
        """The zone a party's sessions and lunch break are read in: the venue's, if any."""
        venue = self.settings.venue_timezone
        return ZoneInfo(venue or self._parties[participant_id].timezone)

    def _lunches(self, zone: ZoneInfo) -> list[tuple[dt.datetime, dt.datetime]]:
        lunch = self.settings.lunch_break
        if lunch is None:
            return []
        out = []
        for day in self.settings.days:
            midnight = dt.datetime.combine(day, dt.time(0))
            start = (midnight + dt.timedelta(minutes=lunch[0])).replace(tzinfo=zone)
            end = (midnight + dt.timedelta(minutes=lunch[1])).replace(tzinfo=zone)
            out.append((start.astimezone(_UTC), end.astimezone(_UTC)))
        return out

    def _without_lunch(
        self, start: dt.datetime, end: dt.datetime, party: Party
    ) -> list[tuple[dt.datetime, dt.datetime]]:
        pieces = [(start, end)]
        venue = self.settings.venue_timezone
        for lunch_start, lunch_end in self._lunches(ZoneInfo(venue or party.timezone)):
            cut = []
            for a, b in pieces:
                if lunch_end <= a or b <= lunch_start:
                    cut.append((a, b))
                    continue
                if a < lunch_start:
                    cut.append((a, lunch_start))
                if lunch_end < b:
                    cut.append((lunch_end, b))
            pieces = cut
        return pieces

    def in_person(self, participant_id: str) -> bool:
        """Whether the party meets at a table (in person, or hybrid and not remote)."""
        if not self.settings.has_tables:
            return False
        if self.settings.format == "in_person":
            return True
        return self._parties[participant_id].attendance != "remote"

    def meets_in_person(self, exporter_id: str, importer_id: str) -> bool:
        """A meeting takes a table when both its parties attend in person."""
        return self.in_person(exporter_id) and self.in_person(importer_id)

    def midday(self) -> int:
        """Local minutes where the afternoon begins: the lunch break's start, else noon."""
        lunch = self.settings.lunch_break
        return lunch[0] if lunch is not None else 12 * 60

    def half_of(self, participant_id: str, index: int) -> int:
        """0 when grid slot ``index`` starts in the party's morning, 1 in its afternoon.

        Read in the session zone: a slot starting before the midday boundary (the lunch
        break's start, or noon) is in the morning.
        """
        local = self.slot_start(index).astimezone(self.session_zone(participant_id))
        return 0 if local.hour * 60 + local.minute < self.midday() else 1

    def sessions(self, participant_id: str) -> list[int]:
        """The party's usable slots split into sessions (a day; halves with a lunch break).

        Each session is a bitset over grid indices; gaps are counted within one session.
        """
        by_key: dict[tuple[int, int], int] = {}
        split = self.settings.lunch_break is not None
        for first, stop, day in self._grids[participant_id].ranges:
            half = self.half_of(participant_id, first) if split else 0
            key = (day, half)
            by_key[key] = by_key.get(key, 0) | (((1 << (stop - first)) - 1) << first)
        return [by_key[key] for key in sorted(by_key)]

    def session_mask(self, participant_id: str, session: str) -> int:
        """Grid slots usable by the party in the ``morning`` or ``afternoon`` session."""
        wanted = 0 if session == "morning" else 1
        mask = 0
        for first, stop, _ in self._grids[participant_id].ranges:
            for index in range(first, stop):
                if self.half_of(participant_id, index) == wanted:
                    mask |= 1 << index
        return mask

    # the grid --------------------------------------------------------------------------
    def slot_start(self, index: int) -> dt.datetime:
        """UTC start of grid slot ``index``."""
        return self.origin + index * self.slot

    def slot_index(self, starts_at: dt.datetime) -> int:
        """Grid index of a UTC start; ``ValueError`` when it is off the grid."""
        if starts_at.tzinfo is None:
            raise ValueError("starts_at must be timezone-aware")
        offset = starts_at - self.origin
        index, remainder = divmod(offset, self.slot)
        if remainder or not 0 <= index < self.n_slots:
            raise ValueError(f"{starts_at.isoformat()} is not on this roundtable's slot grid")
        return int(index)

    def first_slot_at_or_after(self, moment: dt.datetime) -> int:
        """Index of the first grid slot starting at or after ``moment``."""
        return max(0, min(self.n_slots, -(-(moment - self.origin) // self.slot)))

    def usable_ranges(self, participant_id: str) -> list[tuple[int, int, int]]:
        """The party's usable slots as ``(first, stop, day_index)`` grid ranges."""
        return list(self._grids[participant_id].ranges)

    def usable_mask(self, participant_id: str) -> int:
        """The party's usable slots as an integer bitset over grid indices."""
        mask = 0
        for first, stop, _ in self._grids[participant_id].ranges:
            mask |= ((1 << (stop - first)) - 1) << first
        return mask

    def windows_utc(self, participant_id: str) -> list[tuple[dt.datetime, dt.datetime]]:
        """The party's windows on roundtable days, in UTC, sorted."""
        return list(self._grids[participant_id].windows_utc)

    def local_time(self, participant_id: str, moment: dt.datetime) -> dt.datetime:
        """``moment`` in the party's own zone."""
        return moment.astimezone(ZoneInfo(self._parties[participant_id].timezone))

    def local_date(self, participant_id: str, moment: dt.datetime) -> dt.date:
        """The party's local date at ``moment``."""
        return self.local_time(participant_id, moment).date()

    # persistence -----------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Calendar:
        """Rebuild from :meth:`to_dict` output: ``{settings: {...}, parties: [...]}``."""
        return cls(
            CalendarSettings.from_dict(data["settings"]),
            (Party.from_dict(party) for party in data.get("parties") or ()),
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for storage."""
        return {
            "settings": self.settings.to_dict(),
            "parties": [party.to_dict() for party in self._parties.values()],
        }
