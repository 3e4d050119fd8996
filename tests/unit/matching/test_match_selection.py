"""Auto-mode selection: caps, fairness floor, score, stability."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

from rueda.matching.domain import ScoreMatrix, select_meetings

pytestmark = pytest.mark.unit


def matrix(scores: list[list[float]]) -> ScoreMatrix:
    array = np.array(scores, dtype=np.float32)
    return ScoreMatrix(
        exporter_ids=tuple(f"e{n}" for n in range(array.shape[0])),
        importer_ids=tuple(f"i{n}" for n in range(array.shape[1])),
        scores=array,
    )


def greedy_by_score(m: ScoreMatrix, cap: int) -> set[tuple[str, str]]:
    """The naive plan: best pairs first while both sides have room."""
    order = sorted(
        (-float(m.scores[e, i]), e, i)
        for e in range(m.scores.shape[0])
        for i in range(m.scores.shape[1])
    )
    count_e: Counter[int] = Counter()
    count_i: Counter[int] = Counter()
    chosen = set()
    for negative, e, i in order:
        if negative < 0 and count_e[e] < cap and count_i[i] < cap:
            chosen.add((m.exporter_ids[e], m.importer_ids[i]))
            count_e[e] += 1
            count_i[i] += 1
    return chosen


def assert_caps(pairs: list[tuple[str, str]], cap: int) -> None:
    assert len(set(pairs)) == len(pairs)
    for counts in (Counter(e for e, _ in pairs), Counter(i for _, i in pairs)):
        assert max(counts.values(), default=0) <= cap


def test_floor_reached_where_greedy_by_score_fails() -> None:
    # e0 likes both importers best; e1 can only meet i0. Everyone has a cap of 1.
    m = matrix([[10.0, 9.0], [8.0, 0.0]])
    greedy = greedy_by_score(m, cap=1)
    assert greedy == {("e0", "i0")}  # e1 gets nothing
    selection = select_meetings(m, max_meetings=1, min_meetings_per_exporter=1)
    pairs = {(p.exporter_id, p.importer_id) for p in selection.pairs}
    assert pairs == {("e0", "i1"), ("e1", "i0")}
    assert selection.exporters_at_min == 2
    assert selection.share_exporters_at_min == 1.0
    assert selection.total_score == 17.0


def test_floor_needs_a_long_augmenting_path() -> None:
    # A chain: greedy gives e0-i0, e1-i1, e2-i2; e3 can only meet i0, so the repair
    # must shift e0 -> i1, e1 -> i2, e2 -> i3.
    m = matrix(
        [
            [9.0, 1.0, 0.0, 0.0],
            [0.0, 9.0, 1.0, 0.0],
            [0.0, 0.0, 9.0, 1.0],
            [1.0, 0.0, 0.0, 0.0],
        ]
    )
    assert greedy_by_score(m, cap=1) == {("e0", "i0"), ("e1", "i1"), ("e2", "i2")}
    selection = select_meetings(m, max_meetings=1, min_meetings_per_exporter=1)
    assert selection.exporters_at_min == 4
    assert {(p.exporter_id, p.importer_id) for p in selection.pairs} == {
        ("e0", "i1"),
        ("e1", "i2"),
        ("e2", "i3"),
        ("e3", "i0"),
    }


def test_infeasible_floor_is_met_for_as_many_as_possible() -> None:
    # Three exporters can only meet i0, whose cap is 2.
    m = matrix([[5.0, 0.0], [4.0, 0.0], [3.0, 0.0], [0.0, 0.0]])
    selection = select_meetings(m, max_meetings=2, min_meetings_per_exporter=1)
    assert selection.exporters_at_min == 2
    assert [(p.exporter_id, p.importer_id) for p in selection.pairs] == [("e0", "i0"), ("e1", "i0")]


@pytest.mark.parametrize("seed", range(5))
def test_random_roundtables_respect_caps_and_floor(seed: int) -> None:
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 12, size=(60, 20)).astype(np.float32)
    scores[rng.random(scores.shape) < 0.6] = 0
    m = matrix(scores.tolist())
    cap, floor = 4, 2
    selection = select_meetings(m, max_meetings=cap, min_meetings_per_exporter=floor)
    pairs = [(p.exporter_id, p.importer_id) for p in selection.pairs]
    assert_caps(pairs, cap)
    assert all(p.score > 0 for p in selection.pairs)
    # 20 importers x 4 = 80 meetings < 60 exporters x floor 2: the floor is capacity-bound,
    # and the plan should still reach at least as many floor units as greedy does.
    per_exporter = Counter(e for e, _ in pairs)
    floor_units = sum(min(per_exporter[e], floor) for e in m.exporter_ids)
    greedy_units = sum(
        min(c, floor) for c in Counter(e for e, _ in greedy_by_score(m, cap)).values()
    )
    assert floor_units >= greedy_units
    assert selection.total_score == pytest.approx(sum(p.score for p in selection.pairs))


def test_floor_is_exact_on_small_cases_by_brute_force() -> None:
    rng = random.Random(4)
    for _ in range(30):
        rows, cols = rng.randint(2, 4), rng.randint(1, 3)
        scores = [[float(rng.choice((0, 0, 1, 2, 3))) for _ in range(cols)] for _ in range(rows)]
        m = matrix(scores)
        cap = rng.randint(1, 2)
        edges = [(e, i) for e in range(rows) for i in range(cols) if scores[e][i] > 0]
        best = 0
        for mask in range(1 << len(edges)):
            subset = [edges[b] for b in range(len(edges)) if mask >> b & 1]
            ce = Counter(e for e, _ in subset)
            ci = Counter(i for _, i in subset)
            if max(ce.values(), default=0) <= cap and max(ci.values(), default=0) <= cap:
                best = max(best, sum(1 for e in range(rows) if ce[e] >= 1))
        selection = select_meetings(m, max_meetings=cap, min_meetings_per_exporter=1)
        assert selection.exporters_at_min == best


def test_rerun_keeps_previous_pairs_and_reports_changes() -> None:
    rng = np.random.default_rng(9)
    scores = rng.integers(1, 10, size=(30, 12)).astype(np.float32)
    first = select_meetings(matrix(scores.tolist()), max_meetings=3, min_meetings_per_exporter=1)
    previous = [(p.exporter_id, p.importer_id) for p in first.pairs]
    assert first.removed == ()
    assert len(first.added) == len(first.pairs)

    # Small score drift: the stability bonus keeps the plan.
    drifted = scores + rng.choice([0.0, 0.5], size=scores.shape).astype(np.float32)
    again = select_meetings(
        matrix(drifted.tolist()), max_meetings=3, min_meetings_per_exporter=1, previous=previous
    )
    fresh = select_meetings(matrix(drifted.tolist()), max_meetings=3, min_meetings_per_exporter=1)
    kept = set(previous) & {(p.exporter_id, p.importer_id) for p in again.pairs}
    fresh_kept = set(previous) & {(p.exporter_id, p.importer_id) for p in fresh.pairs}
    assert len(kept) > len(fresh_kept)
    assert len(again.removed) + len(again.added) < len(fresh.added) + (
        len(previous) - len(fresh_kept)
    )

    # An importer withdraws: its meetings are removed, the others mostly stay.
    withdrawn = matrix(drifted[:, 1:].tolist())
    renamed = ScoreMatrix(
        withdrawn.exporter_ids, tuple(f"i{n}" for n in range(1, 12)), withdrawn.scores
    )
    after = select_meetings(renamed, max_meetings=3, min_meetings_per_exporter=1, previous=previous)
    lost = {pair for pair in previous if pair[1] == "i0"}
    assert lost <= set(after.removed)
    # Room for the three exporters who lost their only meeting must be made, so a few
    # more previous pairs go; a fresh plan would change far more.
    from_scratch = select_meetings(renamed, max_meetings=3, min_meetings_per_exporter=1)
    scratch_removed = set(previous) - {(p.exporter_id, p.importer_id) for p in from_scratch.pairs}
    assert len(set(after.removed) - lost) <= 2 * len(lost)
    assert len(after.removed) < len(scratch_removed)
    assert {(p.exporter_id, p.importer_id) for p in after.added}.isdisjoint(previous)
    assert after.exporters_at_min == 30


def test_locked_pairs_are_kept_and_count_towards_caps() -> None:
    m = matrix([[1.0, 9.0], [9.0, 1.0]])
    selection = select_meetings(
        m, max_meetings=1, min_meetings_per_exporter=1, locked=[("e0", "i0")]
    )
    assert {(p.exporter_id, p.importer_id) for p in selection.pairs} == {("e0", "i0"), ("e1", "i1")}


def test_selection_is_deterministic_and_serialisable() -> None:
    rng = np.random.default_rng(1)
    m = matrix(rng.integers(0, 5, size=(25, 10)).astype(np.float32).tolist())
    a = select_meetings(m, max_meetings=3, min_meetings_per_exporter=1)
    b = select_meetings(m, max_meetings=3, min_meetings_per_exporter=1)
    assert a == b
    assert a.to_dict()["pairs"][0].keys() == {"exporter_id", "importer_id", "score"}
