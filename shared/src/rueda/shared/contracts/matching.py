"""Contracts of the matching service: `matching.commands.v1`, `matching.events.v1`."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from ._base import Command, Event
from .common import AvailabilityWindow, CalendarSettings, CountryCode, Role

__all__ = [
    "MatchProposal",
    "MatchesProposed",
    "MeetingAgreed",
    "MeetingAgreementWithdrawn",
    "MeetingRequestDeclined",
    "MeetingRequestExpired",
    "MeetingRequested",
    "PartyCalendar",
    "RequestMeeting",
    "RespondToMeetingRequest",
]

from pydantic import BaseModel, ConfigDict


class MatchProposal(BaseModel):
    """One scored counterpart, with the reasons for its score."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    counterpart_id: str
    score: float = Field(ge=0, description="Higher is better; 0 is never proposed.")
    reasons: list[str] = Field(description="Readable reasons, strongest first.")


class PartyCalendar(BaseModel):
    """A party's time zone and availability, so scheduling needs no other source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    participant_id: str
    role: Role
    country: CountryCode
    timezone: str
    availability: list[AvailabilityWindow] = Field(
        default_factory=list, description="Own windows; empty means the roundtable default."
    )


class RequestMeeting(Command):
    """Request mode: one participant asks to meet a counterpart of the other role."""

    request_id: str
    from_participant: str
    to_participant: str


class RespondToMeetingRequest(Command):
    """The requested participant accepts or declines."""

    request_id: str
    participant_id: str = Field(description="Who answers: must be the requested participant.")
    accept: bool


class MatchesProposed(Event):
    """The current top counterparts of a participant, in stable order."""

    participant_id: str
    role: Role
    matches: list[MatchProposal]


class MeetingRequested(Event):
    """Request mode: a participant asked to meet a counterpart, who may accept until
    `expires_at`."""

    request_id: str
    exporter_id: str
    importer_id: str
    requested_by: str
    expires_at: dt.datetime


class MeetingAgreed(Event):
    """Both parties (or auto mode) agreed to meet; scheduling places it in a slot."""

    meeting_id: str
    exporter: PartyCalendar
    importer: PartyCalendar
    calendar: CalendarSettings
    score: float = Field(ge=0)
    source: Literal["auto", "request"]
    request_id: str | None = None
    min_meetings_per_exporter: int = Field(default=0, ge=0)


class MeetingAgreementWithdrawn(Event):
    """An agreed meeting is no longer wanted (a party withdrew, or auto mode re-planned)."""

    meeting_id: str
    reason: str


class MeetingRequestDeclined(Event):
    """Request mode: the requested party declined (or withdrew, which declines its requests)."""

    request_id: str
    exporter_id: str
    importer_id: str
    declined_by: str
    reason: str = ""


class MeetingRequestExpired(Event):
    """Request mode: a request went unanswered until it expired."""

    request_id: str
    exporter_id: str
    importer_id: str
    requested_by: str
