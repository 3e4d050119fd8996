"""Translation between the wire contracts and the matching domain's value types."""

from __future__ import annotations

import uuid

from rueda.shared.contracts.common import CalendarSettings, ParticipantProfile
from rueda.shared.contracts.matching import MatchProposal, PartyCalendar

from .domain import Calendar, Participant, Proposal, Wants, Window

__all__ = ["calendar_of", "match_proposals", "meeting_id", "participant_of", "party_of"]

_MEETINGS = uuid.UUID("6f1d8a52-4b0e-5c1a-9a57-52756564610d")


def calendar_of(settings: CalendarSettings) -> Calendar:
    """The roundtable calendar as the domain scores availability on it."""
    return Calendar(
        days=tuple(settings.days),
        slot_minutes=settings.slot_minutes,
        default_start=settings.default_window.start,
        default_end=settings.default_window.end,
    )


def participant_of(profile: ParticipantProfile) -> Participant:
    """What matching needs of an approved participant's profile."""
    return Participant(
        participant_id=profile.participant_id,
        role=profile.role,
        country=profile.country,
        timezone=profile.timezone,
        languages=tuple(profile.languages),
        sectors=tuple(profile.sectors),
        hs_codes=tuple(dict.fromkeys(p.hs_code for p in profile.products)),
        certifications=tuple(profile.certifications),
        availability=tuple(Window(w.date, w.start, w.end) for w in profile.availability),
        wants=Wants(
            sectors=tuple(profile.wants.sectors),
            countries=tuple(profile.wants.countries),
            certifications_required=tuple(profile.wants.certifications_required),
        ),
    )


def party_of(profile: ParticipantProfile) -> PartyCalendar:
    """The calendar part of a profile that travels with every agreed meeting."""
    return PartyCalendar(
        participant_id=profile.participant_id,
        role=profile.role,
        country=profile.country,
        timezone=profile.timezone,
        availability=list(profile.availability),
        attendance=profile.attendance,
    )


def match_proposals(proposals: tuple[Proposal, ...]) -> list[MatchProposal]:
    """Domain proposals as the `MatchesProposed` contract carries them (order kept)."""
    return [
        MatchProposal(counterpart_id=p.counterpart_id, score=p.score, reasons=list(p.reasons))
        for p in proposals
    ]


def meeting_id(roundtable_id: str, exporter_id: str, importer_id: str, generation: int = 0) -> str:
    """A stable meeting id for an agreed pair: the same inputs always give the same id.

    `generation` counts earlier agreements of the same pair that were withdrawn, so a pair
    that is agreed again after a withdrawal gets a fresh id (scheduling never sees an id it
    already cancelled come back).
    """
    name = f"{roundtable_id}\x1f{exporter_id}\x1f{importer_id}"
    if generation:
        name += f"\x1f{generation}"
    return f"m-{uuid.uuid5(_MEETINGS, name).hex}"
