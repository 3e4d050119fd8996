"""Validator catches injected violations; upper bound is valid and tight on tiny cases."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import pytest
from tests.unit.scheduling.sched_helpers import JUNE, calendar, utc, window

from rueda.scheduling.domain import Calendar, Party, Request, solve, upper_bound, validate

pytestmark = pytest.mark.unit


@dataclass
class _M:
    meeting_id: str
    exporter_id: str
    importer_id: str
    starts_at: dt.datetime | None


def _cal(**kwargs: int) -> Calendar:
    parties = [Party(p, "Europe/London") for p in ("e1", "e2", "i1", "i2")]
    parties.append(Party("cl", "America/Santiago"))
    return calendar(parties, **kwargs)


def test_clean_schedule_has_no_violations() -> None:
    meetings = [
        _M("a", "e1", "i1", utc(2020, 6, 23, 9)),
        _M("b", "e1", "i2", utc(2020, 6, 23, 9, 30)),
        _M("c", "e2", "i1", utc(2020, 6, 23, 9, 30)),
        _M("w", "e2", "i2", None),
    ]
    assert validate(_cal(), meetings) == []


def test_double_booking_is_caught() -> None:
    found = validate(
        _cal(), [_M("a", "e1", "i1", utc(2020, 6, 23, 9)), _M("b", "e2", "i1", utc(2020, 6, 23, 9))]
    )
    assert [(v.code, v.participant_id, v.meeting_ids) for v in found] == [
        ("double_booked", "i1", ("a", "b"))
    ]


def test_short_buffer_is_caught() -> None:
    meetings = [
        _M("a", "e1", "i1", utc(2020, 6, 23, 9)),
        _M("b", "e1", "i2", utc(2020, 6, 23, 9, 30)),
    ]
    assert validate(_cal(buffer_minutes=0), meetings) == []
    found = validate(_cal(buffer_minutes=10), meetings)
    assert [v.code for v in found] == ["buffer_too_short"]


def test_outside_window_and_off_day_are_caught() -> None:
    # 07:30 UTC is 08:30 in London: before the window
    early = _M("a", "e1", "i1", utc(2020, 6, 23, 7, 30))
    # a Saturday, not a roundtable day
    weekend = _M("b", "e2", "i2", utc(2020, 6, 27, 10))
    # 12:00 UTC is fine in London but 08:00 in Santiago
    santiago = _M("c", "cl", "i2", utc(2020, 6, 24, 12))
    found = validate(_cal(), [early, weekend, santiago])
    assert sorted((v.code, v.meeting_ids[0], v.participant_id) for v in found) == [
        ("outside_window", "a", "e1"),
        ("outside_window", "a", "i1"),
        ("outside_window", "b", "e2"),
        ("outside_window", "b", "i2"),
        ("outside_window", "c", "cl"),
    ]


def test_meeting_running_past_the_window_end_is_caught() -> None:
    late = _M("a", "e1", "i1", utc(2020, 6, 23, 16, 45))  # 17:45-18:15 local
    assert {v.code for v in validate(_cal(), [late])} == {"outside_window"}


def test_cap_is_caught_per_local_day() -> None:
    meetings = [_M("a", "e1", "i1", utc(2020, 6, 23, 9)), _M("b", "e1", "i2", utc(2020, 6, 23, 11))]
    assert validate(_cal(cap=2), meetings) == []
    found = validate(_cal(cap=1), meetings)
    assert [(v.code, v.participant_id) for v in found] == [("cap_exceeded", "e1")]


def test_unknown_participant_is_caught() -> None:
    found = validate(_cal(), [_M("a", "ghost", "i1", utc(2020, 6, 23, 9))])
    assert [v.code for v in found] == ["unknown_participant"]


def _random_instance(
    rng: random.Random, n_exp: int, n_imp: int, n_req: int, one_each: bool = False
) -> tuple[Calendar, list[Request]]:
    """Tiny instances: a one-hour to two-hour window on one or two days per party."""
    days = JUNE[:2]
    parties = []
    for pid in [f"e{k}" for k in range(n_exp)] + [f"i{k}" for k in range(n_imp)]:
        chosen = rng.sample(days, rng.randint(1, 2))
        start = rng.choice(["09:00", "09:30", "10:00"])
        end = rng.choice(["10:30", "11:00"])
        parties.append(Party(pid, "Europe/London", tuple(window(d, start, end) for d in chosen)))
    pairs = [(f"e{a}", f"i{b}") for a in range(n_exp) for b in range(n_imp)]
    if one_each:
        pairs = [(f"e{a}", f"i{rng.randrange(n_imp)}") for a in range(n_exp)]
    chosen_pairs = rng.sample(pairs, min(n_req, len(pairs)))
    requests = [Request(f"{e}:{i}", e, i, rng.random()) for e, i in chosen_pairs]
    return calendar(parties, days=days), requests


def _brute_force(cal: Calendar, requests: list[Request]) -> int:
    masks = {p.participant_id: cal.usable_mask(p.participant_id) for p in cal.parties}
    options = []
    for r in requests:
        common = masks[r.exporter_id] & masks[r.importer_id]
        options.append([None] + [k for k in range(cal.n_slots) if (common >> k) & 1])
    best = 0

    def search(index: int, busy: set[tuple[str, int]], placed: int) -> None:
        nonlocal best
        if placed + (len(requests) - index) <= best:
            return
        if index == len(requests):
            best = max(best, placed)
            return
        r = requests[index]
        for slot in options[index][1:]:
            if (r.exporter_id, slot) in busy or (r.importer_id, slot) in busy:
                continue
            busy |= {(r.exporter_id, slot), (r.importer_id, slot)}
            search(index + 1, busy, placed + 1)
            busy -= {(r.exporter_id, slot), (r.importer_id, slot)}
        search(index + 1, busy, placed)

    search(0, set(), 0)
    return best


@pytest.mark.parametrize("seed", range(25))
def test_bound_is_at_least_the_optimum_and_the_solver_is_valid(seed: int) -> None:
    rng = random.Random(seed)
    cal, requests = _random_instance(rng, 4, 3, 9)
    optimum = _brute_force(cal, requests)
    result = solve(cal, requests, time_budget=5)
    assert upper_bound(cal, requests) >= optimum >= result.placed
    placed = [
        _M(r.request_id, r.exporter_id, r.importer_id, result.starts_at.get(r.request_id))
        for r in requests
    ]
    assert validate(cal, placed) == []


def test_solver_is_near_optimal_on_tiny_instances() -> None:
    # chains are not a complete search: tiny, very tight instances may miss one meeting
    optimum = placed = exact = 0
    for seed in range(60):
        cal, requests = _random_instance(random.Random(seed), 4, 3, 9)
        best = _brute_force(cal, requests)
        got = solve(cal, requests, time_budget=5).placed
        optimum += best
        placed += got
        exact += got == best
    assert placed >= 0.97 * optimum
    assert exact >= 0.8 * 60


@pytest.mark.parametrize("seed", range(15))
def test_bound_equals_the_optimum_when_one_side_is_not_binding(seed: int) -> None:
    # one request per exporter: the importer-side relaxation is exact
    cal, requests = _random_instance(random.Random(1000 + seed), 7, 2, 7, one_each=True)
    assert upper_bound(cal, requests) == _brute_force(cal, requests)


def test_bound_counts_caps() -> None:
    parties = [Party("e", "Europe/London")] + [Party(f"i{k}", "Europe/London") for k in range(5)]
    requests = [Request(f"r{k}", "e", f"i{k}") for k in range(5)]
    assert upper_bound(calendar(parties), requests) == 5
    assert upper_bound(calendar(parties, cap=1), requests) == 3  # three days, one a day
