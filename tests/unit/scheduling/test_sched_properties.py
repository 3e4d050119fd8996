"""Property: whatever the order of arrivals and cancellations, nobody is double booked."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.scheduling.sched_helpers import JUNE, calendar, window

from rueda.scheduling.domain import Party, Schedule

pytestmark = pytest.mark.unit

ZONES = ("Europe/London", "America/Santiago", "America/Bogota", "America/Mexico_City")
EXPORTERS = [f"e{k}" for k in range(5)]
IMPORTERS = [f"i{k}" for k in range(3)]
PAIRS = [(e, i) for e in EXPORTERS for i in IMPORTERS]


def _parties() -> list[Party]:
    parties = [
        Party(pid, ZONES[1 + k % 3], (window(JUNE[k % 2], "09:00", "18:00"),))
        for k, pid in enumerate(EXPORTERS)
    ]
    parties += [Party(pid, ZONES[0]) for pid in IMPORTERS]
    return parties


operations = st.lists(
    st.tuples(st.sampled_from(["place", "cancel", "reschedule"]), st.integers(0, len(PAIRS) - 1)),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(
    ops=operations,
    buffer=st.sampled_from([0, 15, 30]),
    cap=st.sampled_from([None, 1, 2]),
    optimize_at_end=st.booleans(),
)
def test_no_double_booking_under_any_order(
    ops: list[tuple[str, int]], buffer: int, cap: int | None, optimize_at_end: bool
) -> None:
    schedule = Schedule(calendar(_parties(), buffer_minutes=buffer, cap=cap))
    for op, k in ops:
        meeting_id = f"m{k}"
        exporter, importer = PAIRS[k]
        if op == "place":
            schedule.place(meeting_id, exporter, importer, score=k / 100)
        elif meeting_id in schedule.meetings and schedule.meeting(meeting_id).status == "scheduled":
            if op == "cancel":
                schedule.cancel(meeting_id)
            else:
                schedule.reschedule(meeting_id)
        assert schedule.violations() == []
    if optimize_at_end:
        before = sum(m.status == "scheduled" for m in schedule.meetings.values())
        schedule.optimize(dt.datetime(2020, 6, 1, tzinfo=dt.UTC))
        after = sum(m.status == "scheduled" for m in schedule.meetings.values())
        assert after >= before
        assert schedule.violations() == []
    # the state survives a round trip through plain data
    again = Schedule.from_dict(schedule.to_dict())
    assert again.violations() == []
    assert {m.meeting_id: m.starts_at for m in again.meetings.values()} == {
        m.meeting_id: m.starts_at for m in schedule.meetings.values()
    }
