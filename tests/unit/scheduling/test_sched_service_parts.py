"""The service's small parts: video rooms, settings, contract translation."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from rueda.scheduling.adapters.video import FakeVideoRooms, JitsiRooms
from rueda.scheduling.app import SchedulingSettings
from rueda.scheduling.handlers import calendar_settings, party
from rueda.shared.contracts import AvailabilityWindow, CalendarSettings, DailyWindow
from rueda.shared.contracts.matching import PartyCalendar

pytestmark = pytest.mark.unit


def test_jitsi_rooms_are_stable_unguessable_and_secret_bound() -> None:
    rooms = JitsiRooms("https://meet.example.org/", "s3cret")
    url = rooms.join_url("rt-1", "m-1")
    assert url == rooms.join_url("rt-9", "m-1")  # derived from the meeting id alone
    assert url.startswith("https://meet.example.org/rueda-")
    room = url.rsplit("/", 1)[1].removeprefix("rueda-")
    assert len(room) == 32
    assert room.isalnum()
    assert room.islower()
    assert "m-1" not in url
    assert rooms.join_url("rt-1", "m-2") != url
    assert JitsiRooms("https://meet.example.org", "other").join_url("rt-1", "m-1") != url
    with pytest.raises(ValueError, match="secret"):
        JitsiRooms("https://meet.example.org", "")
    fake = FakeVideoRooms()
    assert fake.join_url("rt", "m") == "https://video.test/rt/m"
    assert fake.requested == [("rt", "m")]


def test_settings_refuse_development_secret_and_replay_mode_in_production() -> None:
    with pytest.raises(ValidationError, match="VIDEO_SECRET"):
        SchedulingSettings(env="production")
    with pytest.raises(ValidationError, match="SCHEDULE_REPLAY"):
        SchedulingSettings(
            env="production",
            video_secret="kq3Xv9-Lr0pZtW2mB7yHc4NsE1uJfGd8aQiOe5TlR6w",
            schedule_replay=True,
        )
    assert (
        SchedulingSettings(
            env="production", video_secret="kq3Xv9-Lr0pZtW2mB7yHc4NsE1uJfGd8aQiOe5TlR6w"
        ).env
        == "production"
    )


def test_contract_calendars_translate_to_the_domain() -> None:
    contract = CalendarSettings(
        days=[dt.date(2020, 6, 24), dt.date(2020, 6, 23)],
        slot_minutes=20,
        buffer_minutes=10,
        default_window=DailyWindow(start="08:30", end="17:00"),
        max_meetings_per_day=6,
    )
    settings = calendar_settings(contract, 2)
    assert settings.days == (dt.date(2020, 6, 23), dt.date(2020, 6, 24))
    assert (settings.slot_minutes, settings.buffer_minutes) == (20, 10)
    assert settings.default_window == (8 * 60 + 30, 17 * 60)
    assert (settings.max_meetings_per_day, settings.min_meetings_per_exporter) == (6, 2)
    calendar = PartyCalendar(
        participant_id="p",
        role="exporter",
        country="CL",
        timezone="America/Santiago",
        availability=[AvailabilityWindow(date=dt.date(2020, 6, 23), start="07:00", end="24:00")],
    )
    converted = party(calendar)
    assert converted.timezone == "America/Santiago"
    [window] = converted.availability
    assert (window.date, window.start, window.end) == (dt.date(2020, 6, 23), 420, 1440)
