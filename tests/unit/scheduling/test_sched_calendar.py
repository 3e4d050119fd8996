"""Calendar: windows in each party's own zone, DST inside the roundtable, the day rule."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from tests.unit.scheduling.sched_helpers import calendar, utc, window

from rueda.scheduling.domain import Calendar, CalendarSettings, Party, Schedule

SEPTEMBER = tuple(dt.date(2020, 9, d) for d in (2, 3, 4, 7, 8))

pytestmark = pytest.mark.unit


def _usable_starts(cal: Calendar, pid: str) -> list[dt.datetime]:
    mask = cal.usable_mask(pid)
    return [cal.slot_start(k) for k in range(cal.n_slots) if (mask >> k) & 1]


def test_default_window_is_local_to_each_party() -> None:
    cal = calendar([Party("london", "Europe/London"), Party("santiago", "America/Santiago")])
    london = _usable_starts(cal, "london")
    santiago = _usable_starts(cal, "santiago")
    # 09:00-18:00 local on three days: 18 half-hour slots a day
    assert len(london) == len(santiago) == 3 * 18
    assert london[0] == utc(2020, 6, 23, 8)  # BST, UTC+1
    assert santiago[0] == utc(2020, 6, 23, 13)  # UTC-4 in June
    assert len(set(london) & set(santiago)) == 3 * 8  # four hours of overlap a day


def test_dst_change_inside_the_roundtable_moves_utc_windows() -> None:
    zone = ZoneInfo("America/Santiago")
    cal = calendar([Party("cl", "America/Santiago")], days=SEPTEMBER)
    starts = _usable_starts(cal, "cl")
    firsts = sorted({s.astimezone(zone).date(): s for s in reversed(starts)}.items())
    for day, first in firsts:
        expected = dt.datetime.combine(day, dt.time(9), tzinfo=zone).astimezone(dt.UTC)
        assert first == expected
        assert first.astimezone(zone).time() == dt.time(9)
    by_day = dict(firsts)
    assert by_day[dt.date(2020, 9, 4)] == utc(2020, 9, 4, 13)  # UTC-4 before 6 September
    assert by_day[dt.date(2020, 9, 7)] == utc(2020, 9, 7, 12)  # UTC-3 after


def test_meeting_at_2330_utc_is_evening_in_santiago_and_morning_in_tokyo() -> None:
    santiago = Party(
        "cl", "America/Santiago", tuple(window(d, "07:00", "22:00") for d in SEPTEMBER)
    )
    tokyo = Party("jp", "Asia/Tokyo", tuple(window(d, "08:00", "19:00") for d in SEPTEMBER))
    cal = calendar([santiago, tokyo], days=SEPTEMBER)
    common = cal.usable_mask("cl") & cal.usable_mask("jp")
    starts = [cal.slot_start(k) for k in range(cal.n_slots) if (common >> k) & 1]
    assert utc(2020, 9, 2, 23, 30) in starts
    assert cal.local_date("cl", utc(2020, 9, 2, 23, 30)) == dt.date(2020, 9, 2)
    assert cal.local_date("jp", utc(2020, 9, 2, 23, 30)) == dt.date(2020, 9, 3)
    for start in starts:
        # both local dates are roundtable days, each in its own calendar
        assert cal.local_date("cl", start) in SEPTEMBER
        assert cal.local_date("jp", start) in SEPTEMBER
    # Friday 4 Sep evening in Santiago is Saturday 5 Sep morning in Tokyo: not a day
    assert not any(cal.local_date("cl", s) == dt.date(2020, 9, 4) for s in starts)
    # after Chile's change, 19:00-22:00 local is 22:00-01:00 UTC: 2 h of overlap, not 3
    per_day: dict[dt.date, int] = {}
    for start in starts:
        day = cal.local_date("cl", start)
        per_day[day] = per_day.get(day, 0) + 1
    assert per_day[dt.date(2020, 9, 2)] == 6
    assert per_day[dt.date(2020, 9, 7)] == 4


def test_windows_outside_roundtable_days_are_ignored() -> None:
    party = Party("p", "Europe/London", (window(dt.date(2020, 6, 1), "09:00", "18:00"),))
    cal = calendar([party])
    assert cal.usable_mask("p") == 0


def test_settings_and_calendar_round_trip_through_plain_dicts() -> None:
    settings = CalendarSettings.from_dict(
        {
            "days": ["2020-06-23", "2020-06-24"],
            "slot_minutes": 20,
            "buffer_minutes": 10,
            "default_window": {"start": "08:30", "end": "17:00"},
            "max_meetings_per_day": 4,
        }
    )
    cal = Calendar(
        settings, [Party("p", "America/Lima", (window(settings.days[0], "10:00", "24:00"),))]
    )
    again = Calendar.from_dict(cal.to_dict())
    assert again.to_dict() == cal.to_dict()
    assert again.usable_mask("p") == cal.usable_mask("p")
    assert settings.default_window == (510, 1020)
    with pytest.raises(ValueError, match="HH:MM"):
        CalendarSettings.from_dict({"days": ["2020-06-23"], "default_window": ["9", "18:00"]})


def test_schedule_rebuilds_from_its_plain_state() -> None:
    cal = calendar([Party("e", "America/Bogota"), Party("i", "Europe/London")])
    schedule = Schedule(cal)
    schedule.place("m1", "e", "i", 0.5)
    schedule.lock("m1")
    state = schedule.to_dict()
    again = Schedule.from_dict(state)
    assert again.meeting("m1") == schedule.meeting("m1")
    assert again.meeting("m1").locked
    assert again.to_dict() == state
