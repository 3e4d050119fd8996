"""A schedule can start empty and grow party by party (as the service builds it)."""

from __future__ import annotations

import datetime as dt

import pytest

from rueda.scheduling.domain import Calendar, CalendarSettings, Party, Schedule, Window

pytestmark = pytest.mark.unit

DAYS = (dt.date(2030, 6, 24), dt.date(2030, 6, 25))


def test_empty_calendar_then_parties_then_place() -> None:
    schedule = Schedule(Calendar(CalendarSettings(days=DAYS)))
    schedule.upsert_party(Party("exp", "America/Santiago"))
    schedule.upsert_party(Party("imp", "Europe/London"))
    changes = schedule.place("m1", "exp", "imp", 1.0)
    assert [move.meeting_id for move in changes.placed] == ["m1"]
    assert schedule.violations() == []


def test_no_party_has_a_usable_window() -> None:
    off_days = (Window(dt.date(2030, 1, 1), 9 * 60, 10 * 60),)
    calendar = Calendar(
        CalendarSettings(days=DAYS),
        [Party("exp", "America/Lima", off_days), Party("imp", "Asia/Tokyo", off_days)],
    )
    changes = Schedule(calendar).place("m1", "exp", "imp")
    assert [(w.meeting_id, w.reason_code) for w in changes.waiting] == [("m1", "no_common_window")]


def test_rebuilt_schedule_with_a_cancelled_meeting_still_places() -> None:
    calendar = Calendar(
        CalendarSettings(days=DAYS),
        [Party("exp", "America/Santiago"), Party("imp", "Europe/London")],
    )
    schedule = Schedule(calendar)
    schedule.place("m1", "exp", "imp")
    schedule.cancel("m1")
    rebuilt = Schedule.from_dict(schedule.to_dict())  # as the service reloads it
    changes = rebuilt.place("m2", "exp", "imp")
    assert [move.meeting_id for move in changes.placed] == ["m2"]
    assert rebuilt.meeting("m1").status == "cancelled"
    assert rebuilt.violations() == []
