"""Scoring rules, their reasons, hard exclusions, and numpy == pure Python."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from rueda.matching.domain import (
    Calendar,
    Participant,
    ScoreWeights,
    Wants,
    Window,
    score_matrix,
    score_pair,
    slot_mask,
)

pytestmark = pytest.mark.unit

DAYS = (dt.date(2020, 6, 23), dt.date(2020, 6, 24))
CAL = Calendar(days=DAYS, slot_minutes=30)
W = ScoreWeights()


def exporter(pid: str = "exp-1", **kw: object) -> Participant:
    base: dict[str, object] = {
        "participant_id": pid,
        "role": "exporter",
        "country": "CL",
        "timezone": "America/Santiago",
        "languages": ("es",),
        "sectors": ("Fresh fruit",),
        "hs_codes": ("080440",),
    }
    base.update(kw)
    return Participant(**base)  # type: ignore[arg-type]


def importer(pid: str = "imp-1", **kw: object) -> Participant:
    base: dict[str, object] = {
        "participant_id": pid,
        "role": "importer",
        "country": "GB",
        "timezone": "Europe/London",
        "languages": ("en",),
        "sectors": ("Fresh fruit",),
        "hs_codes": ("080440",),
    }
    base.update(kw)
    return Participant(**base)  # type: ignore[arg-type]


def test_hs_subheading_beats_heading_beats_chapter() -> None:
    imp = importer(sectors=(), hs_codes=("080440",))
    six = score_pair(exporter(sectors=(), hs_codes=("080440",)), imp, CAL)
    four = score_pair(exporter(sectors=(), hs_codes=("080450",)), imp, CAL)
    two = score_pair(exporter(sectors=(), hs_codes=("081040",)), imp, CAL)
    none = score_pair(exporter(sectors=(), hs_codes=("090111",)), imp, CAL)
    assert (six.score, four.score, two.score, none.score) == (
        W.hs_subheading,
        W.hs_heading,
        W.hs_chapter,
        0.0,
    )
    # 080450 and 080440 share heading 0804; 081040 only chapter 08. A 4-digit code on
    # one side matches at heading level at best.
    heading = score_pair(exporter(sectors=(), hs_codes=("0804",)), imp, CAL)
    assert heading.score == W.hs_heading
    assert four.reasons[0] == "same HS heading (4-digit): 0804"
    assert six.reasons[0] == "same HS subheading (6-digit): 080440"
    assert two.reasons[0] == "same HS chapter (2-digit): 08"
    assert "no shared sector or product" in none.reasons


def test_four_digit_pair_is_a_heading_match() -> None:
    result = score_pair(
        exporter(sectors=(), hs_codes=("080610",)), importer(sectors=(), hs_codes=("080690",)), CAL
    )
    assert result.score == W.hs_heading


def test_sector_overlap_counts_each_shared_sector_and_importer_wants() -> None:
    exp = exporter(hs_codes=(), sectors=("Honey", "Nuts", "Specialty coffee"))
    imp = importer(hs_codes=(), sectors=("nuts",), wants=Wants(sectors=("HONEY",)))
    result = score_pair(exp, imp, CAL)
    assert result.score == 2 * W.sector
    assert result.reasons[0] == "shared sectors: Honey, Nuts"


def test_sector_points_are_capped() -> None:
    sectors = ("a", "b", "c", "d", "e")
    result = score_pair(
        exporter(hs_codes=(), sectors=sectors), importer(hs_codes=(), sectors=sectors), CAL
    )
    assert result.score == W.sector * W.sector_cap


def test_required_certifications_held_add_points_with_reason() -> None:
    imp = importer(wants=Wants(certifications_required=("GlobalG.A.P.", "organic")))
    exp = exporter(certifications=("GLOBALGAP", "Organic", "HACCP"))
    base = score_pair(exporter(), importer(), CAL).score
    result = score_pair(exp, imp, CAL)
    assert result.score == base + W.certifications_held
    assert "holds the required certifications: GlobalG.A.P., organic" in result.reasons


def test_missing_required_certification_is_a_hard_no() -> None:
    imp = importer(wants=Wants(certifications_required=("Fairtrade", "HACCP")))
    result = score_pair(exporter(certifications=("HACCP",)), imp, CAL)
    assert result.score == 0.0
    assert result.reasons == ("missing required certifications: Fairtrade",)


def test_wanted_country_and_shared_language() -> None:
    base = score_pair(exporter(), importer(), CAL).score
    wanted = score_pair(exporter(), importer(wants=Wants(countries=("CL", "PE"))), CAL)
    not_wanted = score_pair(exporter(), importer(wants=Wants(countries=("MX",))), CAL)
    speaks = score_pair(exporter(languages=("es", "EN")), importer(languages=("en",)), CAL)
    assert wanted.score == base + W.wanted_country
    assert "importer seeks suppliers from CL" in wanted.reasons
    assert not_wanted.score == base
    assert speaks.score == base + W.shared_language
    assert "shared languages: EN" in speaks.reasons


def test_reasons_strongest_first_and_availability_last() -> None:
    result = score_pair(exporter(languages=("en",)), importer(wants=Wants(countries=("CL",))), CAL)
    assert result.reasons[0].startswith("same HS subheading")
    assert result.reasons[1].startswith("shared sectors")
    assert result.reasons[2].startswith("importer seeks")
    assert result.reasons[3].startswith("shared languages")
    # Santiago (UTC-4) and London (UTC+1) share 4 h a day in June: 8 slots x 2 days.
    assert result.reasons[-1] == "16 common 30-minute slots (first 2020-06-23 13:00 UTC)"


def test_no_common_slot_is_a_hard_no() -> None:
    tokyo = importer(timezone="Asia/Tokyo")
    result = score_pair(exporter(), tokyo, CAL)
    assert result.score == 0.0
    assert result.reasons == ("no common availability in the roundtable",)
    # A Tokyo morning window on 24 June local (22:00-24:00 UTC on 23 June) is the evening
    # of 23 June in Santiago: an evening window there meets it.
    early = importer(
        timezone="Asia/Tokyo", availability=(Window(dt.date(2020, 6, 24), "07:00", "09:00"),)
    )
    assert score_pair(exporter(), early, CAL).score == 0.0
    evening = exporter(availability=(Window(dt.date(2020, 6, 23), "17:00", "21:00"),))
    result = score_pair(evening, early, CAL)
    assert result.score > 0
    assert result.reasons[-1] == "4 common 30-minute slots (first 2020-06-23 22:00 UTC)"


def test_windows_outside_the_roundtable_days_do_not_count() -> None:
    off_day = importer(availability=(Window(dt.date(2020, 6, 25), "09:00", "18:00"),))
    assert slot_mask(off_day, CAL) == 0
    assert score_pair(exporter(), off_day, CAL).score == 0.0


def test_daylight_saving_change_inside_the_roundtable_is_honoured() -> None:
    # Chile moved from UTC-4 to UTC-3 on 6 September 2020.
    cal = Calendar(days=(dt.date(2020, 9, 4), dt.date(2020, 9, 7)), slot_minutes=60)
    santiago = exporter(
        availability=(
            Window(dt.date(2020, 9, 4), "09:00", "10:00"),
            Window(dt.date(2020, 9, 7), "09:00", "10:00"),
        )
    )
    mask = slot_mask(santiago, cal)
    hours = [i for i in range(mask.bit_length()) if mask >> i & 1]
    # Grid starts 2020-09-03 00:00 UTC: 4 Sep 13:00 UTC = slot 37; 7 Sep 12:00 UTC = slot 108.
    assert hours == [37, 108]


def test_wrong_roles_are_rejected() -> None:
    with pytest.raises(ValueError, match="exporter and an importer"):
        score_pair(importer(), exporter(), CAL)
    with pytest.raises(ValueError, match="HS code"):
        exporter(hs_codes=("0804401",))


def _random_profiles(
    seed: int, n_exp: int, n_imp: int
) -> tuple[list[Participant], list[Participant]]:
    rng = random.Random(seed)
    zones = ("America/Santiago", "America/Bogota", "Europe/London", "Asia/Tokyo", "Asia/Dubai")
    codes = ("080440", "080450", "0806", "081040", "09", "090111", "180100", "1806", "040900")
    certs = ("organic", "Fairtrade", "HACCP", "GlobalG.A.P.")
    sectors = ("fruit", "coffee", "cocoa", "honey", "nuts")

    def make(n: int, role: str) -> Participant:
        windows: tuple[Window, ...] = ()
        if rng.random() < 0.4:
            start = rng.choice(("06:00", "09:00", "18:00", "20:00"))
            end = rng.choice(("12:00", "18:00", "24:00"))
            windows = tuple(Window(day, start, end) for day in DAYS if rng.random() < 0.8)
        return Participant(
            participant_id=f"{role[0]}{n:03d}",
            role=role,  # type: ignore[arg-type]
            country=rng.choice(("CL", "CO", "GB", "JP")),
            timezone=rng.choice(zones),
            languages=tuple(rng.sample(("es", "en", "ja"), rng.randint(0, 2))),
            sectors=tuple(rng.sample(sectors, rng.randint(0, 2))),
            hs_codes=tuple(rng.sample(codes, rng.randint(0, 3))),
            certifications=tuple(rng.sample(certs, rng.randint(0, 3))),
            availability=windows,
            wants=Wants(
                sectors=tuple(rng.sample(sectors, rng.randint(0, 1))),
                countries=tuple(rng.sample(("CL", "CO", "PE"), rng.randint(0, 2))),
                certifications_required=tuple(rng.sample(certs, rng.choice((0, 0, 1, 2)))),
            )
            if role == "importer"
            else Wants(),
        )

    return [make(n, "exporter") for n in range(n_exp)], [make(n, "importer") for n in range(n_imp)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matrix_equals_pair_by_pair(seed: int) -> None:
    exps, imps = _random_profiles(seed, 40, 25)
    matrix = score_matrix(reversed(exps), imps, CAL)
    assert list(matrix.exporter_ids) == sorted(p.participant_id for p in exps)
    by_id = {p.participant_id: p for p in (*exps, *imps)}
    expected = np.array(
        [
            [score_pair(by_id[e], by_id[i], CAL).score for i in matrix.importer_ids]
            for e in matrix.exporter_ids
        ],
        dtype=np.float32,
    )
    assert (expected > 0).sum() > 20  # the random roundtable has real matches
    assert (expected == 0).sum() > 20  # and real exclusions
    np.testing.assert_array_equal(matrix.scores, expected)
