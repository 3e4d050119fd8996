"""Schedule commands: placement, reasons, buffers, caps, cancel, reschedule, optimise."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.unit.scheduling.sched_helpers import JUNE, calendar, utc, window

from rueda.scheduling.domain import Party, Schedule

pytestmark = pytest.mark.unit

DAY = JUNE[0]


def _one_day(pid: str, zone: str, start: str, end: str) -> Party:
    return Party(pid, zone, (window(DAY, start, end),))


def test_place_puts_meeting_inside_both_windows() -> None:
    cal = calendar([Party("cl", "America/Santiago"), Party("uk", "Europe/London")])
    schedule = Schedule(cal)
    changes = schedule.place("m", "cl", "uk", 0.9)
    meeting = schedule.meeting("m")
    assert meeting.status == "scheduled"
    assert [move.meeting_id for move in changes.placed] == ["m"]
    assert meeting.starts_at is not None
    # London 09:00-18:00 BST and Santiago 09:00-18:00 (UTC-4) overlap 13:00-17:00 UTC
    assert utc(2020, 6, 23, 13) <= meeting.starts_at <= utc(2020, 6, 25, 16, 30)
    assert 13 <= meeting.starts_at.hour < 17
    assert schedule.violations() == []


def test_scarcity_aware_choice_keeps_the_narrow_overlap_free() -> None:
    # London importer, Santiago exporter (13-17 UTC overlap) and Mexico City (14-17 UTC in
    # June 2020, CDT): the Santiago meeting should not take the only hours Mexico shares.
    uk = _one_day("uk", "Europe/London", "09:00", "18:00")
    cl = _one_day("cl", "America/Santiago", "09:00", "18:00")
    mx = _one_day("mx", "America/Mexico_City", "09:00", "18:00")
    cal = calendar([uk, cl, mx])
    schedule = Schedule(cal)
    schedule.place("a", "cl", "uk")
    start = schedule.meeting("a").starts_at
    assert start is not None
    assert start < utc(2020, 6, 23, 14)
    schedule.place("b", "mx", "uk")
    assert schedule.meeting("b").status == "scheduled"


def test_no_common_window_reason() -> None:
    cal = calendar(
        [
            _one_day("e", "America/Lima", "09:00", "12:00"),
            _one_day("i", "Asia/Tokyo", "09:00", "12:00"),
        ]
    )
    schedule = Schedule(cal)
    changes = schedule.place("m", "e", "i")
    assert [w.reason_code for w in changes.waiting] == ["no_common_window"]
    assert "no common slot" in changes.waiting[0].reason
    assert schedule.meeting("m").status == "waiting"
    assert schedule.meeting("m").reason_code == "no_common_window"


def test_common_slots_taken_reason_then_cancel_backfills() -> None:
    cal = calendar(
        [
            _one_day("e1", "Europe/London", "10:00", "11:00"),
            _one_day("e2", "Europe/London", "10:00", "11:00"),
            _one_day("i", "Europe/London", "10:00", "11:00"),
        ]
    )
    schedule = Schedule(cal)
    schedule.place("a", "e1", "i")
    schedule.place("b", "e1", "i")
    changes = schedule.place("c", "e2", "i")
    assert [w.reason_code for w in changes.waiting] == ["common_slots_taken"]
    assert schedule.meeting("c").status == "waiting"
    freed = schedule.meeting("a").starts_at
    backfill = schedule.cancel("a")
    assert schedule.meeting("a").status == "cancelled"
    assert [move.meeting_id for move in backfill.placed] == ["c"]
    assert schedule.meeting("c").starts_at == freed
    assert schedule.violations() == []


def test_cap_reached_reason_and_caps_spread_meetings_over_days() -> None:
    cal = calendar([Party("e", "Europe/London"), Party("i", "Europe/London")], cap=1)
    schedule = Schedule(cal)
    for k in range(3):
        schedule.place(f"m{k}", "e", "i")
    days = {cal.local_date("e", m.starts_at) for m in schedule.meetings.values() if m.starts_at}
    assert len(days) == 3
    changes = schedule.place("m3", "e", "i")
    assert [w.reason_code for w in changes.waiting] == ["cap_reached"]
    assert schedule.violations() == []


def test_buffer_keeps_meetings_of_one_party_apart() -> None:
    parties = [_one_day("e", "Europe/London", "09:00", "11:00")]
    parties += [_one_day(f"i{k}", "Europe/London", "09:00", "11:00") for k in range(4)]
    cal = calendar(parties, buffer_minutes=15)
    schedule = Schedule(cal)
    for k in range(4):
        schedule.place(f"m{k}", "e", f"i{k}")
    starts = sorted(m.starts_at for m in schedule.meetings.values() if m.starts_at)
    # four half-hour slots, each meeting needs the next slot free: two fit
    assert len(starts) == 2
    assert starts[1] - starts[0] >= dt.timedelta(minutes=45)
    waiting = [m for m in schedule.meetings.values() if m.status == "waiting"]
    assert {m.reason_code for m in waiting} == {"common_slots_taken"}
    assert schedule.violations() == []


def test_reschedule_moves_to_another_slot_and_keeps_the_id() -> None:
    cal = calendar([Party("e", "Europe/London"), Party("i", "Europe/London")])
    schedule = Schedule(cal)
    schedule.place("m", "e", "i")
    before = schedule.meeting("m").starts_at
    changes = schedule.reschedule("m")
    assert [move.meeting_id for move in changes.moved] == ["m"]
    assert changes.moved[0].previous_starts_at == before
    assert schedule.meeting("m").starts_at not in (None, before)
    assert schedule.meeting("m").sequence == 1


def test_reschedule_without_another_slot_keeps_the_meeting() -> None:
    cal = calendar(
        [
            _one_day("e", "Europe/London", "10:00", "10:30"),
            _one_day("i", "Europe/London", "10:00", "10:30"),
        ]
    )
    schedule = Schedule(cal)
    schedule.place("m", "e", "i")
    before = schedule.meeting("m").starts_at
    changes = schedule.reschedule("m")
    assert changes.moved == []
    assert [w.meeting_id for w in changes.waiting] == ["m"]
    assert schedule.meeting("m").starts_at == before


def _crowded() -> Schedule:
    """Three importers in one two-hour window, six exporters each wanting two of them."""
    parties = [_one_day(f"i{k}", "Europe/London", "09:00", "11:00") for k in range(3)]
    parties += [_one_day(f"e{k}", "Europe/London", "09:00", "11:00") for k in range(6)]
    schedule = Schedule(calendar(parties))
    for k in range(6):
        for j in (k % 3, (k + 1) % 3):
            schedule.place(f"e{k}-i{j}", f"e{k}", f"i{j}", score=k / 10)
    return schedule


def test_optimize_keeps_locked_and_past_meetings_and_reports_only_moves() -> None:
    schedule = _crowded()
    scheduled = [m for m in schedule.meetings.values() if m.status == "scheduled"]
    locked = scheduled[0]
    schedule.lock(locked.meeting_id)
    first_slot = min(m.starts_at for m in scheduled if m.starts_at)
    now = first_slot + dt.timedelta(minutes=1)
    past = [m for m in scheduled if m.starts_at == first_slot and m is not locked]
    frozen = {m.meeting_id: m.starts_at for m in [locked, *past]}
    before = {m.meeting_id: m.starts_at for m in schedule.meetings.values()}
    changes = schedule.optimize(now)
    for meeting_id, start in frozen.items():
        assert schedule.meeting(meeting_id).starts_at == start
    reported = {move.meeting_id for move in changes.moved}
    actually_moved = {
        mid
        for mid, start in before.items()
        if start is not None and schedule.meeting(mid).starts_at != start
    }
    assert reported == actually_moved
    assert not reported & set(frozen)
    for move in changes.placed:
        assert move.starts_at >= now
        assert before[move.meeting_id] is None
    assert schedule.violations() == []


def test_optimize_places_what_incremental_placement_left_waiting() -> None:
    schedule = _crowded()
    placed_before = sum(m.status == "scheduled" for m in schedule.meetings.values())
    schedule.optimize(utc(2020, 6, 1, 0))
    placed_after = sum(m.status == "scheduled" for m in schedule.meetings.values())
    # 3 importers x 4 slots = 12 = all requests: the optimum places every one
    assert placed_after == 12 >= placed_before
    assert schedule.violations() == []
    again = schedule.optimize(utc(2020, 6, 1, 0))
    assert again.moved == []
    assert again.placed == []


def test_attendance_freezes_and_cancel_of_held_meeting_is_refused() -> None:
    cal = calendar([Party("e", "Europe/London"), Party("i", "Europe/London")])
    schedule = Schedule(cal)
    schedule.place("m", "e", "i")
    schedule.record_attendance("m", "held")
    assert schedule.meeting("m").status == "held"
    with pytest.raises(ValueError, match="held"):
        schedule.cancel("m")
    with pytest.raises(ValueError, match="not scheduled"):
        schedule.reschedule("m")


def test_place_is_idempotent_and_unknown_parties_are_refused() -> None:
    cal = calendar([Party("e", "Europe/London"), Party("i", "Europe/London")])
    schedule = Schedule(cal)
    schedule.place("m", "e", "i")
    start = schedule.meeting("m").starts_at
    assert schedule.place("m", "e", "i").placed == []
    assert schedule.meeting("m").starts_at == start
    with pytest.raises(KeyError):
        schedule.place("n", "e", "ghost")


def test_place_never_uses_a_slot_before_now() -> None:
    cal = calendar([Party("e", "Europe/London"), Party("i", "Europe/London")])
    schedule = Schedule(cal)
    now = utc(2020, 6, 24, 12, 10)
    schedule.place("m", "e", "i", now=now)
    start = schedule.meeting("m").starts_at
    assert start is not None
    assert start >= now


def test_rebuilding_overlapping_stored_meetings_is_refused() -> None:
    cal = calendar(
        [Party("e", "Europe/London"), Party("i1", "Europe/London"), Party("i2", "Europe/London")]
    )
    schedule = Schedule(cal)
    schedule.place("a", "e", "i1")
    state = schedule.to_dict()
    clash = dict(state["meetings"][0], meeting_id="b", importer_id="i2")
    state["meetings"].append(clash)
    with pytest.raises(ValueError, match="overlaps"):
        Schedule.from_dict(state)
