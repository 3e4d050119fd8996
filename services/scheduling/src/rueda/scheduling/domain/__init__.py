"""The scheduling domain: calendars, placement, optimisation, validation. No I/O."""

from .calendar import Calendar, CalendarSettings, Party, Window, parse_local_time
from .schedule import Changes, Meeting, MeetingStatus, Move, ReasonCode, Schedule, Unschedulable
from .solver import Request, SolveResult, solve
from .validation import PlacedMeeting, Violation, ViolationCode, upper_bound, validate

__all__ = [
    "Calendar",
    "CalendarSettings",
    "Changes",
    "Meeting",
    "MeetingStatus",
    "Move",
    "Party",
    "PlacedMeeting",
    "ReasonCode",
    "Request",
    "Schedule",
    "SolveResult",
    "Unschedulable",
    "Violation",
    "ViolationCode",
    "Window",
    "parse_local_time",
    "solve",
    "upper_bound",
    "validate",
]
