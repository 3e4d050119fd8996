"""Top-k proposals: stable order, incremental updates equal to a full rebuild."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import numpy as np
import pytest

from rueda.matching.domain import (
    Calendar,
    MatchBook,
    Participant,
    Wants,
    Window,
    score_matrix,
    top_k,
)

pytestmark = pytest.mark.unit

DAYS = (dt.date(2020, 6, 23), dt.date(2020, 6, 24))
CAL = Calendar(days=DAYS)


def roundtable(seed: int, n_exp: int = 30, n_imp: int = 15) -> list[Participant]:
    rng = random.Random(seed)
    codes = ("080440", "080450", "0806", "081040", "09", "090111", "180100")
    sectors = ("fruit", "coffee", "cocoa")

    def make(n: int, role: str) -> Participant:
        tz = rng.choice(("America/Lima", "Europe/London", "Asia/Tokyo"))
        windows = tuple(Window(day, "06:00", "23:00") for day in DAYS) if rng.random() < 0.3 else ()
        return Participant(
            participant_id=f"{role[0]}{n:02d}",
            role=role,  # type: ignore[arg-type]
            country=rng.choice(("PE", "CL", "GB")),
            timezone=tz,
            languages=tuple(rng.sample(("es", "en"), rng.randint(0, 2))),
            sectors=tuple(rng.sample(sectors, rng.randint(0, 2))),
            hs_codes=tuple(rng.sample(codes, rng.randint(1, 2))),
            certifications=tuple(rng.sample(("organic", "HACCP"), rng.randint(0, 2))),
            availability=windows,
            wants=Wants(certifications_required=("HACCP",))
            if role == "importer" and rng.random() < 0.2
            else Wants(),
        )

    people = [make(n, "exporter") for n in range(n_exp)] + [
        make(n, "importer") for n in range(n_imp)
    ]
    rng.shuffle(people)
    return people


def test_top_k_breaks_ties_by_counterpart_id_and_skips_zeros() -> None:
    scores = np.array([[1.0, 3.0, 3.0, 0.0, 3.0, 2.0]], dtype=np.float32)
    columns, thousandths = top_k(scores, 4)
    assert columns.tolist() == [[1, 2, 4, 5]]
    assert thousandths.tolist() == [[3000, 3000, 3000, 2000]]
    columns, thousandths = top_k(scores, 6)
    assert thousandths.tolist()[0][-1] == 0  # padding for the zero


def test_proposals_are_in_stable_order_with_reasons() -> None:
    book = MatchBook(CAL, top_k=5, participants=roundtable(1))
    book.rebuild()
    matrix = score_matrix(book.by_role("exporter"), book.by_role("importer"), CAL)
    nonempty = 0
    for pid, proposals in book.all_proposals().items():
        keys = [(-p.score, p.counterpart_id) for p in proposals]
        assert keys == sorted(keys)
        assert all(p.score > 0 and p.reasons for p in proposals)
        assert len(proposals) <= 5
        nonempty += bool(proposals)
        if pid in matrix.exporter_ids:
            row = matrix.scores[matrix.exporter_ids.index(pid)]
            expected = sorted(
                ((-float(s), matrix.importer_ids[j]) for j, s in enumerate(row) if s > 0)
            )[:5]
            assert keys == expected
    assert nonempty > 20


def test_incremental_updates_equal_full_recompute() -> None:
    people = roundtable(7)
    book = MatchBook(CAL, top_k=4)
    changed_ids: set[str] = set()
    for participant in people:
        before = book.all_proposals()
        changed = book.approve(participant)
        after = book.all_proposals()
        assert participant.participant_id in changed
        # Exactly the lists that differ are reported (besides the new one).
        differing = {pid for pid in after if before.get(pid, ()) != after[pid]}
        assert differing <= set(changed)
        assert set(changed) - differing <= {participant.participant_id}
        changed_ids.update(changed)
    full = MatchBook(CAL, top_k=4, participants=people)
    full.rebuild()
    assert book.all_proposals() == full.all_proposals()

    rng = random.Random(3)
    for participant in rng.sample(people, 12):
        before = book.all_proposals()
        changed = book.withdraw(participant.participant_id)
        after = book.all_proposals()
        assert participant.participant_id not in after
        differing = {pid for pid in after if before.get(pid, ()) != after[pid]}
        assert differing == set(changed)
        reference = MatchBook(CAL, top_k=4, participants=book.participants.values())
        reference.rebuild()
        assert after == reference.all_proposals()


def test_withdrawing_a_listed_counterpart_changes_only_the_lists_it_was_in() -> None:
    book = MatchBook(CAL, top_k=3, participants=roundtable(11))
    book.rebuild()
    victim = next(
        pid for pid, proposals in book.all_proposals().items() if pid.startswith("e") and proposals
    )
    holders = {
        pid
        for pid, proposals in book.all_proposals().items()
        if any(p.counterpart_id == victim for p in proposals)
    }
    assert holders
    changed = book.withdraw(victim)
    assert set(changed) == holders
    assert book.withdraw("nobody") == ()


def test_reapproval_with_a_new_profile_updates_scores() -> None:
    book = MatchBook(CAL, top_k=3, participants=roundtable(5))
    book.rebuild()
    importer = book.by_role("importer")[0]
    stricter = replace(importer, wants=Wants(certifications_required=("Kosher",)))
    changed = book.approve(stricter)
    assert stricter.participant_id in changed
    assert book.proposals(stricter.participant_id) == ()
    full = MatchBook(CAL, top_k=3, participants=book.participants.values())
    full.rebuild()
    assert book.all_proposals() == full.all_proposals()


def test_state_round_trips_through_plain_dicts() -> None:
    book = MatchBook(CAL, top_k=3, participants=roundtable(2))
    book.rebuild()
    state = book.to_dict()
    assert isinstance(state["proposals"], dict)
    restored = MatchBook.from_dict(state)
    assert restored.all_proposals() == book.all_proposals()
    assert restored.participants == book.participants
    assert restored.to_dict() == state


def test_a_bad_profile_leaves_the_book_unchanged() -> None:
    book = MatchBook(CAL, top_k=3, participants=roundtable(4))
    book.rebuild()
    before = book.to_dict()
    existing = book.by_role("exporter")[0]
    with pytest.raises(Exception, match="Mars"):
        book.approve(replace(existing, timezone="Mars/Olympus_Mons"))
    assert book.to_dict() == before


def test_a_participant_may_change_role_on_reapproval() -> None:
    book = MatchBook(CAL, top_k=3, participants=roundtable(6))
    book.rebuild()
    turncoat = book.by_role("exporter")[0]
    book.approve(replace(turncoat, role="importer"))
    full = MatchBook(CAL, top_k=3, participants=book.participants.values())
    full.rebuild()
    assert book.all_proposals() == full.all_proposals()
    assert turncoat.participant_id in {p.participant_id for p in book.by_role("importer")}
