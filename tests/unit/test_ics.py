"""The shared ICS builder: parsed back with `icalendar`, checked against RFC 5545 rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

import rueda.shared.ics as ics
from rueda.shared.ics import (
    IcsAttendee,
    IcsMeeting,
    build_calendar,
    escape_text,
    fold_line,
    meeting_uid,
)

pytestmark = pytest.mark.unit

STAMP = datetime(2020, 6, 20, 12, 0, tzinfo=UTC)
SANTIAGO = ZoneInfo("America/Santiago")


def _meeting(**overrides: object) -> IcsMeeting:
    values: dict[str, object] = {
        "meeting_id": "m-1",
        # 10:00 in Santiago (UTC-4 in June) is 14:00 UTC
        "starts_at": datetime(2020, 6, 23, 10, 0, tzinfo=SANTIAGO),
        "ends_at": datetime(2020, 6, 23, 10, 30, tzinfo=SANTIAGO),
        "sequence": 2,
        "counterpart": "Fruit Importers Ltd (GB)",
        "join_url": "https://meet.example.org/rueda-abc123",
        "organizer": IcsAttendee("organizer@rueda.example", "Rueda; Pacific Alliance"),
        "attendees": (
            IcsAttendee("ana@exporter.cl", "Ana Pérez"),
            IcsAttendee("john@importer.co.uk", "John Smith"),
        ),
    }
    values.update(overrides)
    return IcsMeeting(**values)  # type: ignore[arg-type]


def _events(text: str) -> list[Any]:
    """The VEVENTs, untyped: icalendar's property values are a wide union."""
    calendar = icalendar.Calendar.from_ical(text)
    return [c for c in calendar.walk() if c.name == "VEVENT"]


def test_exported_names() -> None:
    assert set(ics.__all__) == {
        "IcsAttendee",
        "IcsMeeting",
        "Method",
        "build_calendar",
        "escape_text",
        "fold_line",
        "format_utc",
        "meeting_uid",
    }


def test_request_parses_back_with_uid_sequence_method_and_utc_times() -> None:
    text = build_calendar([_meeting()], method="REQUEST", dtstamp=STAMP)
    calendar: Any = icalendar.Calendar.from_ical(text)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(calendar["VERSION"]) == "2.0"
    [event] = _events(text)
    assert str(event["UID"]) == "m-1@rueda" == meeting_uid("m-1")
    assert int(event["SEQUENCE"]) == 2
    start = event.decoded("DTSTART")
    end = event.decoded("DTEND")
    assert start == datetime(2020, 6, 23, 14, 0, tzinfo=UTC)
    assert start.utcoffset() == timedelta(0)
    assert end - start == timedelta(minutes=30)
    assert "DTSTART:20200623T140000Z\r\n" in text
    assert "DTEND:20200623T143000Z\r\n" in text
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Fruit Importers Ltd (GB)" in str(event["SUMMARY"])
    description = str(event["DESCRIPTION"])
    assert "Fruit Importers Ltd (GB)" in description
    assert "https://meet.example.org/rueda-abc123" in description
    assert str(event["LOCATION"]) == "https://meet.example.org/rueda-abc123"
    assert str(event["ORGANIZER"]) == "mailto:organizer@rueda.example"
    assert event["ORGANIZER"].params["CN"] == "Rueda; Pacific Alliance"
    attendees = [str(a) for a in event["ATTENDEE"]]
    assert attendees == ["mailto:ana@exporter.cl", "mailto:john@importer.co.uk"]
    assert event["ATTENDEE"][0].params["CN"] == "Ana Pérez"
    assert event["ATTENDEE"][0].params["RSVP"] == "TRUE"


def test_every_line_ends_with_crlf_and_no_bare_newline() -> None:
    text = build_calendar([_meeting(description="line one\nline two")], dtstamp=STAMP)
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "\r" not in text.replace("\r\n", "")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")


def test_cancel_carries_status_cancelled_and_the_raised_sequence() -> None:
    text = build_calendar([_meeting(sequence=3)], method="CANCEL", dtstamp=STAMP)
    calendar: Any = icalendar.Calendar.from_ical(text)
    assert str(calendar["METHOD"]) == "CANCEL"
    [event] = _events(text)
    assert str(event["UID"]) == "m-1@rueda"
    assert int(event["SEQUENCE"]) == 3
    assert str(event["STATUS"]) == "CANCELLED"
    assert "RSVP" not in event["ATTENDEE"][0].params


def test_many_meetings_keep_their_own_uids_and_sequences() -> None:
    meetings = [
        _meeting(
            meeting_id=f"m-{i}",
            sequence=i,
            starts_at=STAMP + timedelta(hours=i),
            ends_at=STAMP + timedelta(hours=i, minutes=30),
        )
        for i in range(5)
    ]
    meetings.append(_meeting(meeting_id="gone", cancelled=True))
    text = build_calendar(meetings, method="PUBLISH", dtstamp=STAMP, calendar_name="Agenda, Ana")
    calendar: Any = icalendar.Calendar.from_ical(text)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert "X-WR-CALNAME:Agenda\\, Ana\r\n" in text  # an X- property stays raw TEXT
    events = _events(text)
    assert [str(e["UID"]) for e in events] == [f"m-{i}@rueda" for i in range(5)] + ["gone@rueda"]
    assert [int(e["SEQUENCE"]) for e in events[:5]] == list(range(5))
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED"] * 5 + ["CANCELLED"]
    assert all(e.decoded("DTSTAMP") == STAMP for e in events)


def test_long_lines_are_folded_at_75_octets_and_unfold_to_the_original() -> None:
    long_description = "Specialty coffee, cocoa; honey \\ nuts. " * 12 + "ñandú café 日本語 " * 10
    text = build_calendar([_meeting(description=long_description)], dtstamp=STAMP)
    physical = text.split("\r\n")
    assert any(line.startswith(" ") for line in physical)
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, line
        line.encode("utf-8").decode("utf-8")  # never a split multi-byte character
    [event] = _events(text)
    assert str(event["DESCRIPTION"]).startswith(long_description)


def test_fold_line_rules() -> None:
    assert fold_line("SHORT:x") == "SHORT:x"
    exact = "X" * 75
    assert fold_line(exact) == exact
    folded = fold_line("Y" * 200)
    parts = folded.split("\r\n")
    assert len(parts[0]) == 75
    assert all(p.startswith(" ") and len(p) <= 75 for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == "Y" * 200
    emoji = fold_line("A" * 73 + "€€")  # € is three octets: must move whole to line two
    first, second = emoji.split("\r\n")
    assert first == "A" * 73
    assert second == " €€"


def test_escape_text() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    text = build_calendar([_meeting(counterpart="Smith, Jones; & Co\\Ltd")], dtstamp=STAMP)
    [event] = _events(text)
    assert str(event["SUMMARY"]) == "Meeting with Smith, Jones; & Co\\Ltd"


def test_refuses_naive_times_and_inverted_meetings() -> None:
    with pytest.raises(ValueError, match="naive"):
        build_calendar([_meeting(starts_at=datetime(2020, 6, 23, 14, 0))], dtstamp=STAMP)
    with pytest.raises(ValueError, match="ends before"):
        build_calendar(
            [_meeting(ends_at=datetime(2020, 6, 23, 9, 0, tzinfo=SANTIAGO))], dtstamp=STAMP
        )


def test_other_offsets_are_converted_to_utc() -> None:
    tokyo = timezone(timedelta(hours=9))
    meeting = _meeting(
        starts_at=datetime(2020, 9, 3, 8, 30, tzinfo=tokyo),
        ends_at=datetime(2020, 9, 3, 9, 0, tzinfo=tokyo),
    )
    text = build_calendar([meeting], dtstamp=STAMP)
    assert "DTSTART:20200902T233000Z" in text
    [event] = _events(text)
    assert event.decoded("DTSTART") == datetime(2020, 9, 2, 23, 30, tzinfo=UTC)
