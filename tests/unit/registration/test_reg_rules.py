"""Registration rules: validation of roundtables and participants, duplicates, reviews."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from tests.support.rounds import exporter, importer, roundtable

from rueda.registration.domain import (
    ExistingParticipant,
    ReviewerScope,
    find_duplicate,
    may_review,
    normalise_company,
    review_outcome,
    validate_participant,
    validate_roundtable,
)
from rueda.shared.contracts import ParticipantProfile
from rueda.shared.contracts.registration import CreateRoundtable

pytestmark = pytest.mark.unit

DAYS = [dt.date(2020, 6, 23), dt.date(2020, 6, 24)]


def _roundtable(**changes: object) -> CreateRoundtable:
    body = roundtable()
    config = {
        "name": body["name"],
        "agencies": body["agencies"],
        "exporter_countries": body["exporter_countries"],
        "importer_countries": body["importer_countries"],
        "sectors": body["sectors"],
        "matching": body["matching"],
        "usd_rates": body["usd_rates"],
        "calendar": {
            "days": body["days"],
            "slot_minutes": 30,
            "default_window": {"start": "09:00", "end": "18:00"},
        },
    }
    config.update(changes)
    return CreateRoundtable.model_validate(config)


def _codes(problems: list) -> set[str]:
    return {p.code for p in problems}


def test_a_sound_roundtable_has_no_problems() -> None:
    assert validate_roundtable(_roundtable()) == []


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"calendar": {"days": ["2020-06-23", "2020-06-23"]}}, "duplicate_day"),
        (
            {
                "calendar": {
                    "days": ["2020-06-23"],
                    "default_window": {"start": "18:00", "end": "09:00"},
                }
            },
            "empty_window",
        ),
        (
            {
                "calendar": {
                    "days": ["2020-06-23"],
                    "slot_minutes": 60,
                    "default_window": {"start": "09:00", "end": "09:30"},
                }
            },
            "window_too_short",
        ),
        (
            {
                "agencies": [
                    {"code": "AG", "name": "a", "country": "CL"},
                    {"code": "AG", "name": "b", "country": "CO"},
                ]
            },
            "duplicate_agency",
        ),
        (
            {"agencies": [{"code": "UKTI", "name": "x", "country": "GB"}]},
            "agency_country_not_exporting",
        ),
        ({"sectors": ["Honey", "honey"]}, "duplicate_sector"),
        (
            {"matching": {"max_meetings_per_participant": 2, "min_meetings_per_exporter": 3}},
            "floor_above_cap",
        ),
        ({"usd_rates": {"GBP": Decimal(0)}}, "bad_rate"),
        ({"usd_rates": {"gbp": Decimal(1)}}, "bad_currency"),
        ({"usd_rates": {"USD": Decimal(2)}}, "bad_rate"),
    ],
)
def test_roundtable_rules(changes: dict, code: str) -> None:
    assert code in _codes(validate_roundtable(_roundtable(**changes)))


def _profile(body: dict, pid: str = "p-1", **changes: object) -> ParticipantProfile:
    return ParticipantProfile.model_validate({**body, **changes, "participant_id": pid})


def _validate(profile: ParticipantProfile) -> set[str]:
    rt = roundtable()
    return _codes(
        validate_participant(
            profile,
            days=DAYS,
            sectors=rt["sectors"],
            exporter_countries=rt["exporter_countries"],
            importer_countries=rt["importer_countries"],
        )
    )


def test_sound_participants_have_no_problems() -> None:
    assert _validate(_profile(exporter(1))) == set()
    assert _validate(_profile(importer(1))) == set()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"country": "GB"}, "country_not_allowed"),
        ({"timezone": "America/Atlantis"}, "unknown_timezone"),
        ({"timezone": "../etc/passwd"}, "unknown_timezone"),
        ({"languages": ["xx"]}, "unknown_language"),
        ({"languages": []}, "no_language"),
        ({"sectors": ["weapons"]}, "unknown_sector"),
        ({"sectors": []}, "no_sector"),
        ({"wants": {"sectors": ["weapons"]}}, "unknown_sector"),
        ({"contact": {"name": "x", "email": "not-an-email"}}, "bad_email"),
        ({"contact": {"name": "x", "email": "a@b"}}, "bad_email"),
        (
            {"availability": [{"date": "2020-07-15", "start": "09:00", "end": "10:00"}]},
            "not_a_roundtable_day",
        ),
        (
            {"availability": [{"date": "2020-06-23", "start": "11:00", "end": "10:00"}]},
            "empty_window",
        ),
        (
            {
                "availability": [
                    {"date": "2020-06-23", "start": "09:00", "end": "11:00"},
                    {"date": "2020-06-23", "start": "10:30", "end": "12:00"},
                ]
            },
            "overlapping_windows",
        ),
    ],
)
def test_participant_rules(changes: dict, code: str) -> None:
    assert code in _validate(_profile(exporter(1), **changes))


def test_importers_must_come_from_importer_countries() -> None:
    assert "country_not_allowed" in _validate(_profile(importer(1), country="CL"))


def test_sector_names_match_without_case() -> None:
    assert _validate(_profile(exporter(1), sectors=["HONEY"])) == set()


def _existing(pid: str, body: dict, status: str = "pending") -> ExistingParticipant:
    return ExistingParticipant(
        pid,
        status,
        body["company"]["tax_id"],  # type: ignore[arg-type]
        body["contact"]["email"],
        body["company"]["name"],
    )


def test_duplicates_by_tax_id_or_by_domain_and_company_name() -> None:
    first = exporter(1)
    same_tax = {**exporter(2), "company": {**exporter(2)["company"], "tax_id": "co 1001"}}
    assert normalise_company("Exportadora 01 S.A.") == normalise_company("EXPORTADORA 01")
    found = find_duplicate(_profile(same_tax, "p-2"), [_existing("p-1", first)])
    assert found is not None
    assert found.participant_id == "p-1"
    renamed = {
        **exporter(2),
        "company": {"name": "Exportadora 01 Ltda.", "tax_id": "X-9"},
        "contact": {"name": "y", "email": "otra@EXP1.example.com"},
    }
    assert find_duplicate(_profile(renamed, "p-2"), [_existing("p-1", first)]) is not None
    other_company = {**renamed, "company": {"name": "Otra Empresa", "tax_id": "X-9"}}
    assert find_duplicate(_profile(other_company, "p-2"), [_existing("p-1", first)]) is None


def test_withdrawn_or_rejected_companies_may_register_again() -> None:
    first = exporter(1)
    for status in ("withdrawn", "rejected"):
        assert find_duplicate(_profile(first, "p-2"), [_existing("p-1", first, status)]) is None


def test_who_may_review() -> None:
    assert may_review(ReviewerScope("organizer"), "CL")
    assert may_review(ReviewerScope("admin"), "PE")
    assert may_review(ReviewerScope("agency", "CL"), "CL")
    assert not may_review(ReviewerScope("agency", "CL"), "CO")
    assert not may_review(ReviewerScope("agency", None), "CO")


def test_review_transitions() -> None:
    assert review_outcome("pending", "approve") == ("approved", None)
    assert review_outcome("pending", "reject") == ("rejected", None)
    assert review_outcome("approved", "reject") == ("rejected", None)
    target, problem = review_outcome("approved", "approve")
    assert target is None
    assert problem is not None
    assert problem.code == "already_approved"
    target, problem = review_outcome("withdrawn", "approve")
    assert problem is not None
    assert problem.code == "withdrawn"
