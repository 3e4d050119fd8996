"""Small calendars for the scheduling domain tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from rueda.scheduling.domain import Calendar, CalendarSettings, Party, Window

JUNE = (dt.date(2020, 6, 23), dt.date(2020, 6, 24), dt.date(2020, 6, 25))
UTC = dt.UTC


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def hhmm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def window(day: dt.date, start: str, end: str) -> Window:
    return Window(day, hhmm(start), hhmm(end))


def calendar(
    parties: Iterable[Party],
    *,
    days: tuple[dt.date, ...] = JUNE,
    slot_minutes: int = 30,
    buffer_minutes: int = 0,
    cap: int | None = None,
    floor: int = 0,
) -> Calendar:
    settings = CalendarSettings(
        days=days,
        slot_minutes=slot_minutes,
        buffer_minutes=buffer_minutes,
        max_meetings_per_day=cap,
        min_meetings_per_exporter=floor,
    )
    return Calendar(settings, parties)
