"""One roundtable's schedule as the service holds it: the domain aggregate plus what the
service adds around it (countries and roles of the parties, video rooms, the last slot of
each meeting) and which parts changed since it was loaded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .domain import Changes, Meeting, Party, Schedule

__all__ = ["PartyInfo", "RoundtableState"]


@dataclass(frozen=True, slots=True)
class PartyInfo:
    """What scheduling keeps of a participant besides its calendar."""

    participant_id: str
    role: str
    country: str


@dataclass
class RoundtableState:
    """The schedule of one roundtable and its stored version (optimistic concurrency).

    `dirty_meetings` / `dirty_parties` name what must be written back; `new` is true until
    the roundtable's first save.
    """

    roundtable_id: str
    schedule: Schedule
    parties: dict[str, PartyInfo] = field(default_factory=dict)
    join_urls: dict[str, str] = field(default_factory=dict)
    last_starts: dict[str, dt.datetime] = field(default_factory=dict)
    version: int = 0
    dirty_meetings: set[str] = field(default_factory=set)
    dirty_parties: set[str] = field(default_factory=set)

    @property
    def new(self) -> bool:
        return self.version == 0

    # changes ---------------------------------------------------------------------------
    def upsert_party(self, party: Party, info: PartyInfo) -> None:
        """Add or update a party; a no-op when nothing about it changed."""
        calendar = self.schedule.calendar
        known = calendar.party(party.participant_id) if party.participant_id in calendar else None
        if known != party:
            self.schedule.upsert_party(party)
            self.dirty_parties.add(party.participant_id)
        if self.parties.get(party.participant_id) != info:
            self.parties[party.participant_id] = info
            self.dirty_parties.add(party.participant_id)

    def touch(self, changes: Changes | None = None, *meeting_ids: str) -> None:
        """Mark meetings as changed: those named and every one in `changes`."""
        self.dirty_meetings.update(meeting_ids)
        if changes is not None:
            for move in (*changes.placed, *changes.moved):
                self.dirty_meetings.add(move.meeting_id)
            for item in (*changes.unscheduled, *changes.waiting):
                self.dirty_meetings.add(item.meeting_id)
        for meeting_id in self.dirty_meetings:
            start = self.schedule.meeting(meeting_id).starts_at
            if start is not None:
                self.last_starts[meeting_id] = start

    def saved(self) -> None:
        self.version += 1
        self.dirty_meetings.clear()
        self.dirty_parties.clear()

    # views -----------------------------------------------------------------------------
    def ends_at(self, starts_at: dt.datetime) -> dt.datetime:
        return starts_at + self.schedule.calendar.slot

    def timezones(self, meeting: Meeting) -> dict[str, str]:
        calendar = self.schedule.calendar
        return {pid: calendar.party(pid).timezone for pid in _parties(meeting)}

    def local_times(self, meeting: Meeting, starts_at: dt.datetime) -> dict[str, str]:
        """The start in each party's own zone, ISO 8601 with offset."""
        calendar = self.schedule.calendar
        return {pid: calendar.local_time(pid, starts_at).isoformat() for pid in _parties(meeting)}

    def country(self, participant_id: str) -> str:
        return self.parties[participant_id].country

    def meeting_document(self, meeting_id: str, *, now: dt.datetime) -> dict[str, Any]:
        """The stored form of a meeting: the domain's fields and the read model's."""
        meeting = self.schedule.meeting(meeting_id)
        doc = meeting.to_dict()
        start = meeting.starts_at
        doc.update(
            _id=meeting_key(self.roundtable_id, meeting_id),
            roundtable_id=self.roundtable_id,
            exporter_country=self.country(meeting.exporter_id),
            importer_country=self.country(meeting.importer_id),
            ends_at=None if start is None else self.ends_at(start),
            local_times={} if start is None else self.local_times(meeting, start),
            timezones=self.timezones(meeting),
            join_url=self.join_urls.get(meeting_id),
            last_starts_at=self.last_starts.get(meeting_id),
            slot_minutes=self.schedule.calendar.settings.slot_minutes,
            updated_at=now,
        )
        return doc

    def party_document(self, participant_id: str) -> dict[str, Any]:
        info = self.parties[participant_id]
        return {
            "_id": party_key(self.roundtable_id, participant_id),
            "roundtable_id": self.roundtable_id,
            "participant_id": participant_id,
            "role": info.role,
            "country": info.country,
            "calendar": self.schedule.calendar.party(participant_id).to_dict(),
        }

    def occupying(self) -> Iterable[Meeting]:
        return (
            m
            for m in self.schedule.meetings.values()
            if m.status in ("scheduled", "held", "no_show")
        )


def meeting_key(roundtable_id: str, meeting_id: str) -> str:
    return f"{roundtable_id}|{meeting_id}"


def party_key(roundtable_id: str, participant_id: str) -> str:
    return f"{roundtable_id}|{participant_id}"


def _parties(meeting: Meeting) -> tuple[str, str]:
    return (meeting.exporter_id, meeting.importer_id)
