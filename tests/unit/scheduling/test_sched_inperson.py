"""In-person and hybrid roundtables: tables, lunch break, sessions, compact agendas."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass

import pytest
from pydantic import ValidationError
from tests.unit.scheduling.sched_helpers import hhmm

from rueda.scheduling.domain import (
    Calendar,
    CalendarSettings,
    Meeting,
    Party,
    Request,
    Schedule,
    solve,
    validate,
)
from rueda.scheduling.domain.tables import Seat, assign_tables, table_changes
from rueda.scheduling.domain.validation import idle_gaps
from rueda.shared.contracts import CalendarSettings as CalendarSettingsContract

pytestmark = pytest.mark.unit

DAY = dt.date(2026, 3, 10)
VENUE = "America/Bogota"  # UTC-5, no DST


def at(hour: int, minute: int = 0) -> dt.datetime:
    """A start on DAY at the venue's local time, in UTC."""
    return dt.datetime(2026, 3, 10, hour + 5, minute, tzinfo=dt.UTC)


@dataclass
class _M:
    meeting_id: str
    exporter_id: str
    importer_id: str
    starts_at: dt.datetime | None
    table: int | None = None
    session: str | None = None


def forum(
    exporters: int,
    importers: int,
    *,
    tables: int,
    start: str = "09:00",
    end: str = "12:00",
    lunch: tuple[str, str] | None = None,
    fmt: str = "in_person",
    remote: tuple[str, ...] = (),
    spread: int | None = None,
) -> Calendar:
    settings = CalendarSettings(
        days=(DAY,),
        slot_minutes=30,
        default_window=(hhmm(start), hhmm(end)),
        format=fmt,
        venue_timezone=VENUE,
        tables=tuple(range(1, tables + 1)),
        lunch_break=None if lunch is None else (hhmm(lunch[0]), hhmm(lunch[1])),
        max_idle_gap_spread=spread,
    )
    parties = [
        Party(pid, VENUE, attendance="remote" if pid in remote else None)
        for pid in [f"e{k}" for k in range(exporters)] + [f"i{k}" for k in range(importers)]
    ]
    return Calendar(settings, parties)


def placed(result_requests: list[Request], result: object) -> list[_M]:
    starts = result.starts_at  # type: ignore[attr-defined]
    tables = result.tables  # type: ignore[attr-defined]
    return [
        _M(
            r.request_id,
            r.exporter_id,
            r.importer_id,
            starts[r.request_id],
            tables.get(r.request_id),
            r.session,
        )
        for r in result_requests
        if r.request_id in starts
    ]


def test_tables_cap_simultaneous_meetings_and_every_one_gets_a_number() -> None:
    # 6 slots (09:00-12:00), 2 tables, 4 importers x 3 exporters = 12 meetings: exactly full
    cal = forum(3, 4, tables=2)
    requests = [Request(f"e{e}:i{i}", f"e{e}", f"i{i}") for e in range(3) for i in range(4)]
    result = solve(cal, requests, time_budget=0.3)
    assert result.placed == 12
    meetings = placed(requests, result)
    per_slot = Counter(m.starts_at for m in meetings)
    assert max(per_slot.values()) <= 2
    assert all(m.table in (1, 2) for m in meetings)
    assert len({(m.starts_at, m.table) for m in meetings}) == 12
    assert validate(cal, meetings) == []


def test_a_meeting_that_finds_no_table_says_so() -> None:
    cal = forum(2, 2, tables=1, end="09:30")  # one slot, one table
    requests = [Request("a", "e0", "i0"), Request("b", "e1", "i1")]
    result = solve(cal, requests, time_budget=0.2)
    assert result.placed == 1
    [waiting] = result.waiting
    assert result.reasons[waiting][0] == "no_free_table"


def test_hybrid_remote_parties_meet_by_video_without_a_table() -> None:
    cal = forum(2, 1, tables=1, end="09:30", fmt="hybrid", remote=("e1",))
    requests = [Request("a", "e0", "i0"), Request("b", "e1", "i0")]
    result = solve(cal, requests, time_budget=0.2)
    # the importer can only have one meeting in the one slot; the other waits
    assert result.placed == 1
    cal2 = forum(2, 2, tables=1, end="09:30", fmt="hybrid", remote=("e1",))
    both = [Request("a", "e0", "i0"), Request("b", "e1", "i1")]
    result2 = solve(cal2, both, time_budget=0.2)
    assert result2.placed == 2  # only one of them needs the table
    assert result2.tables == {"a": 1}
    assert validate(cal2, placed(both, result2)) == []


def test_validator_checks_tables() -> None:
    cal = forum(2, 2, tables=2)
    double = [_M("a", "e0", "i0", at(9), 1), _M("b", "e1", "i1", at(9), 1)]
    assert [v.code for v in validate(cal, double)] == ["table_double_booked"]
    missing = [_M("a", "e0", "i0", at(9), None)]
    assert [v.code for v in validate(cal, missing)] == ["table_missing"]
    unknown = [_M("a", "e0", "i0", at(9), 7)]
    assert [v.code for v in validate(cal, unknown)] == ["unknown_table"]
    hybrid = forum(2, 2, tables=2, fmt="hybrid", remote=("e0",))
    assert [v.code for v in validate(hybrid, [_M("a", "e0", "i0", at(9), 1)])] == [
        "table_unexpected"
    ]


def test_lunch_break_is_never_used_and_splits_sessions() -> None:
    cal = forum(1, 1, tables=1, start="11:00", end="15:00", lunch=("12:00", "13:00"))
    # the meeting in the lunch hour is outside the windows
    codes = [v.code for v in validate(cal, [_M("a", "e0", "i0", at(12), 1)])]
    assert "outside_window" in codes
    # 11:00 and 14:30 are in different sessions: no idle gap counted between them
    gaps = idle_gaps(cal, [_M("a", "e0", "i0", at(11), 1), _M("b", "e0", "i0", at(14, 30), 1)])
    assert gaps == {"e0": 0, "i0": 0}
    gaps = idle_gaps(cal, [_M("a", "e0", "i0", at(13), 1), _M("b", "e0", "i0", at(14, 30), 1)])
    assert gaps == {"e0": 2, "i0": 2}


def test_session_preference_is_kept_or_explained() -> None:
    cal = forum(3, 1, tables=3, start="09:00", end="17:00", lunch=("12:00", "13:00"))
    requests = [
        Request("a", "e0", "i0", session="afternoon"),
        Request("b", "e1", "i0", session="morning"),
        Request("c", "e2", "i0", session="afternoon"),
    ]
    result = solve(cal, requests, time_budget=0.2)
    assert result.placed == 3
    meetings = placed(requests, result)
    for meeting in meetings:
        local_hour = meeting.starts_at.hour - 5 if meeting.starts_at else -1
        assert (local_hour < 12) == (meeting.session == "morning")
    assert validate(cal, meetings) == []
    wrong = [_M("a", "e0", "i0", at(9), 1, "afternoon")]
    assert {v.code for v in validate(cal, wrong)} == {"wrong_session"}
    morning_only = forum(1, 1, tables=1, start="13:00", end="17:00")
    result = solve(morning_only, [Request("a", "e0", "i0", session="morning")])
    assert result.reasons["a"][0] == "no_slot_in_session"


def test_agendas_come_out_compact() -> None:
    # each importer meets 3 exporters in a 09:00-17:00 day: no waiting in between
    cal = forum(6, 3, tables=3, start="09:00", end="17:00")
    requests = [
        Request(f"e{e}:i{i}", f"e{e}", f"i{i}", score=random.Random(e * 7 + i).random())
        for i in range(3)
        for e in range(6)
        if (e + i) % 2 == 0
    ]
    result = solve(cal, requests, time_budget=0.5)
    assert result.placed == len(requests)
    meetings = placed(requests, result)
    assert validate(cal, meetings) == []
    gaps = idle_gaps(cal, meetings)
    assert sum(gaps.values()) == result.idle_gaps == 0
    assert result.table_changes == 0  # three importers, three tables: everyone sits


def test_gap_spread_bound_is_validated() -> None:
    cal = forum(2, 1, tables=2, start="09:00", end="12:00", spread=1)
    spread_out = [_M("a", "e0", "i0", at(9), 1), _M("b", "e1", "i0", at(11), 1)]
    # i0 waits 3 slots; e0 and e1 none
    assert [v.code for v in validate(cal, spread_out)] == ["gap_spread_exceeded"]


def test_fixed_meetings_that_clash_are_refused_with_a_reason() -> None:
    cal = forum(2, 1, tables=2)
    requests = [Request("a", "e0", "i0"), Request("b", "e1", "i0")]
    result = solve(cal, requests, fixed={"a": at(9), "b": at(9)}, time_budget=0.2)
    assert result.starts_at == {"a": at(9)}
    assert result.reasons["b"][0] == "fixed_clash"
    assert "i0" in result.reasons["b"][1]


def test_result_does_not_depend_on_request_order() -> None:
    cal = forum(8, 5, tables=4, start="09:00", end="13:00")
    rng = random.Random(3)
    requests = [
        Request(f"e{e}:i{i}", f"e{e}", f"i{i}", round(rng.random(), 3))
        for e in range(8)
        for i in range(5)
        if rng.random() < 0.6
    ]
    first = solve(cal, requests, time_budget=0.3)
    shuffled = list(requests)
    random.Random(9).shuffle(shuffled)
    second = solve(cal, shuffled, time_budget=0.3)
    assert first.placed == second.placed
    assert first.idle_gaps == second.idle_gaps
    assert validate(cal, placed(requests, first)) == []


def test_importers_keep_their_table() -> None:
    seats = [Seat(f"m{k}{i}", k, 0, f"i{i}") for k in range(4) for i in range(3)]
    table_of = assign_tables(seats, [1, 2, 3])
    assert table_changes(seats, table_of) == 0
    assert {table_of[f"m{k}0"] for k in range(4)} == {table_of["m00"]}
    # four importers on three tables: the one that shares moves as little as possible
    crowded = [Seat(f"x{k}{i}", 2 * k + i // 3, 0, f"i{i}") for k in range(2) for i in range(4)]
    crowded_tables = assign_tables(crowded, [1, 2, 3])
    for column in {s.column for s in crowded}:
        used = [crowded_tables[s.meeting_id] for s in crowded if s.column == column]
        assert len(used) == len(set(used))


def test_schedule_seats_places_and_frees_tables() -> None:
    cal = forum(3, 2, tables=1, end="10:00")  # two slots, one table
    schedule = Schedule(cal)
    schedule.place("a", "e0", "i0")
    schedule.place("b", "e1", "i1")
    changes = schedule.place("c", "e2", "i0")
    assert [w.reason_code for w in changes.waiting] == ["no_free_table"]
    assert {schedule.meeting("a").table, schedule.meeting("b").table} == {1}
    assert schedule.violations() == []
    schedule.cancel("b")
    assert schedule.meeting("c").status == "scheduled"
    assert schedule.meeting("c").table == 1
    assert schedule.meeting("b").table is None
    again = Schedule.from_dict(schedule.to_dict())
    assert again.meeting("c").table == 1
    assert again.violations() == []


def test_optimize_keeps_locked_meetings_and_reseats() -> None:
    cal = forum(4, 2, tables=2, start="09:00", end="12:00")
    schedule = Schedule(cal)
    for e in range(4):
        for i in range(2):
            schedule.place(f"e{e}:i{i}", f"e{e}", f"i{i}")
    schedule.lock("e0:i0")
    locked_at = schedule.meeting("e0:i0").starts_at
    schedule.optimize(at(0), time_budget=0.3)
    assert schedule.meeting("e0:i0").starts_at == locked_at
    assert all(m.status == "scheduled" for m in schedule.meetings.values())
    assert schedule.violations() == []


def test_meeting_round_trips_session_and_table() -> None:
    meeting = Meeting("m", "e", "i", session="morning", table=4, status="waiting")
    assert Meeting.from_dict(meeting.to_dict()) == meeting


def test_contract_validates_formats() -> None:
    CalendarSettingsContract(days=[DAY])  # virtual, as before
    with pytest.raises(ValidationError):
        CalendarSettingsContract(days=[DAY], format="in_person", tables=10)  # no venue
    with pytest.raises(ValidationError):
        CalendarSettingsContract(days=[DAY], tables=10)  # virtual with tables
    with pytest.raises(ValidationError):
        CalendarSettingsContract(
            days=[DAY], format="in_person", venue_timezone="Mars/Olympus", tables=3
        )
    named = CalendarSettingsContract(
        days=[DAY],
        format="hybrid",
        venue_timezone=VENUE,
        named_tables=[{"number": 4, "name": "Agro", "sector": "agro"}, {"number": 2}],
    )
    assert named.table_numbers == [2, 4]


def test_table_is_the_ics_location_and_in_the_e_mail() -> None:
    from rueda.notifications.compose import EmailComposer
    from rueda.shared.ics import IcsMeeting, build_calendar

    composer = EmailComposer("Rueda <rueda@agencies.example>")

    ics = build_calendar(
        [
            IcsMeeting(
                "m", at(9), at(9, 30), join_url="https://meet.example.test/m", location="Table 12"
            )
        ]
    )
    assert "LOCATION:Table 12" in ics
    context = {
        "name": "Ana",
        "company": "Frutas del Sur SpA",
        "roundtable": "Macrorrueda",
        "reason": "",
        "counterpart": "London Fine Foods Ltd",
        "local_start": "2026-03-10 09:00",
        "counterpart_start": "2026-03-10 09:00",
        "join_url": None,
        "location": "Table 12",
        "matches": [],
        "immediate_usd": "",
        "projected_12m_usd": "",
    }
    for language, word in (("en", "Where"), ("es", "Lugar"), ("pt", "Local")):
        _, body = composer.render("meeting_scheduled", language, context)  # type: ignore[arg-type]
        assert f"{word}: Table 12" in body
