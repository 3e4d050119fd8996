"""The matching service's translation from contracts to the domain, and its meeting ids."""

from __future__ import annotations

import pytest
from tests.support.matching import opened, profile

from rueda.matching.domain import score_pair
from rueda.matching.translate import calendar_of, meeting_id, participant_of, party_of
from rueda.shared.contracts.common import MatchingRules, Wants

pytestmark = pytest.mark.unit


def test_meeting_ids_are_stable_per_pair_and_fresh_per_generation() -> None:
    first = meeting_id("rt", "E1", "I1")
    assert first == meeting_id("rt", "E1", "I1")
    assert first.startswith("m-")
    others = {
        meeting_id("rt", "E1", "I2"),
        meeting_id("rt2", "E1", "I1"),
        meeting_id("rt", "I1", "E1"),
    }
    assert first not in others
    assert len(others) == 3
    assert meeting_id("rt", "E1", "I1", 1) not in {first, meeting_id("rt", "E1", "I1", 2)}
    assert meeting_id("rt", "E1", "I1", 0) == first


def test_a_profile_becomes_a_domain_participant_that_scores() -> None:
    exporter = profile(
        "E1", "exporter", sectors=["coffee"], hs=["090111", "090111"], certifications=["Organic"]
    )
    importer = profile(
        "I1",
        "importer",
        sectors=["coffee"],
        hs=["090111"],
        wants=Wants(countries=["CL"], certifications_required=["organic"]),
    )
    e, i = participant_of(exporter), participant_of(importer)
    assert e.hs_codes == ("090111",)  # duplicates dropped, order kept
    assert i.wants.countries == ("CL",)
    calendar = calendar_of(opened(MatchingRules()).calendar)
    assert calendar.days == tuple(opened(MatchingRules()).calendar.days)
    scored = score_pair(e, i, calendar)
    assert scored.score > 0
    assert scored.reasons
    party = party_of(exporter)
    assert (party.participant_id, party.role, party.timezone) == (
        "E1",
        "exporter",
        "America/Santiago",
    )
