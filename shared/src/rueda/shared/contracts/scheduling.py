"""Contracts of the scheduling service: `scheduling.commands.v1`, `scheduling.events.v1`."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import AwareDatetime, Field

from ._base import Command, Event
from .common import CountryCode

__all__ = [
    "CancelMeeting",
    "LockMeeting",
    "MeetingCancelled",
    "MeetingHeld",
    "MeetingLockChanged",
    "MeetingNoShow",
    "MeetingRescheduled",
    "MeetingScheduled",
    "MeetingUnschedulable",
    "OptimizeSchedule",
    "RecordAttendance",
    "RescheduleMeeting",
    "ScheduleOptimized",
]


class CancelMeeting(Command):
    """Cancel a meeting that has not taken place yet (a party, the organizer or an admin)."""

    meeting_id: str
    reason: str = Field(default="", max_length=1000)
    requested_by: str = Field(description="participant id, or the role that asked.")


class RescheduleMeeting(Command):
    """Move a meeting to the best other slot, keeping its id."""

    meeting_id: str
    reason: str = Field(default="", max_length=1000)
    requested_by: str


class LockMeeting(Command):
    """A locked meeting is never moved by optimisation."""

    meeting_id: str
    locked: bool = True


class RecordAttendance(Command):
    """Record whether a started meeting was held or a party did not show up."""

    meeting_id: str
    status: Literal["held", "no_show"]


class OptimizeSchedule(Command):
    """Re-plan every meeting that is neither locked nor past (organizer)."""


class _Placed(Event):
    meeting_id: str
    exporter_id: str
    importer_id: str
    exporter_country: CountryCode
    importer_country: CountryCode
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    local_times: dict[str, str] = Field(
        description="Start in each party's own zone, ISO 8601 with offset, by participant id."
    )
    timezones: dict[str, str] = Field(description="IANA zone of each party, by participant id.")
    join_url: str
    sequence: int = Field(ge=0, description="ICS SEQUENCE: raised on every change.")


class MeetingScheduled(_Placed):
    """A meeting got its slot and video room."""


class MeetingRescheduled(_Placed):
    """A meeting moved to another slot (same id, higher sequence)."""

    previous_starts_at: AwareDatetime
    reason: str = ""


class MeetingCancelled(Event):
    """A meeting was cancelled; `starts_at` is its slot if it had one (ICS METHOD:CANCEL)."""

    meeting_id: str
    exporter_id: str
    importer_id: str
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    sequence: int = Field(ge=0)
    reason: str = ""


class MeetingUnschedulable(Event):
    """A meeting that cannot be placed now; it stays waiting.

    Also emitted when a re-optimisation takes a slot away from a meeting to place more
    meetings in total: then `previous_starts_at` is the slot it lost and `sequence` is
    raised, so a calendar entry sent for that slot is withdrawn (METHOD:CANCEL with this
    sequence). A later `MeetingScheduled` with a higher sequence invites again.
    """

    meeting_id: str
    exporter_id: str
    importer_id: str
    reason_code: Literal["no_common_window", "common_slots_taken", "cap_reached"]
    reason: str
    previous_starts_at: AwareDatetime | None = Field(
        default=None, description="The slot the meeting lost (re-optimisation), if any."
    )
    sequence: int = Field(default=0, ge=0, description="ICS SEQUENCE after this change.")


class MeetingLockChanged(Event):
    """A meeting was locked (re-optimisation keeps it in its slot) or unlocked."""

    meeting_id: str
    locked: bool


class MeetingHeld(Event):
    """The meeting took place (attendance recorded): outcomes may now be reported."""

    meeting_id: str
    exporter_id: str
    importer_id: str
    starts_at: AwareDatetime


class MeetingNoShow(Event):
    """A party did not attend the meeting (attendance recorded)."""

    meeting_id: str
    exporter_id: str
    importer_id: str
    starts_at: AwareDatetime


class ScheduleOptimized(Event):
    """Summary of a re-optimisation run."""

    moved: int = Field(ge=0)
    placed: int = Field(ge=0)
    waiting: int = Field(ge=0)
    as_of: dt.datetime
