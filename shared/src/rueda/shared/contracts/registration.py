"""Contracts of the registration service: `registration.commands.v1`, `registration.events.v1`."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from ._base import Command, Event
from .common import (
    Agency,
    CalendarSettings,
    CountryCode,
    MatchingRules,
    ParticipantProfile,
)

__all__ = [
    "CreateRoundtable",
    "ParticipantApproved",
    "ParticipantRegistered",
    "ParticipantRejected",
    "ParticipantWithdrawn",
    "RegisterParticipant",
    "RegistrationStatusChanged",
    "ReviewParticipant",
    "RoundtableOpened",
    "SetRegistrationOpen",
    "WithdrawParticipant",
]


class _RoundtableConfig(Command):
    name: str = Field(min_length=1, max_length=200)
    calendar: CalendarSettings
    agencies: list[Agency] = Field(min_length=1)
    exporter_countries: list[CountryCode] = Field(min_length=1)
    importer_countries: list[CountryCode] = Field(min_length=1)
    sectors: list[str] = Field(min_length=1)
    matching: MatchingRules = Field(default_factory=MatchingRules)
    usd_rates: dict[str, Decimal] = Field(
        default_factory=lambda: {"USD": Decimal(1)},
        description="Organizer's conversion rates to US dollars, by ISO 4217 code.",
    )
    self_registration: bool = Field(
        default=True, description="Whether companies may register themselves without a token."
    )
    registration_open: bool = True


class CreateRoundtable(_RoundtableConfig):
    """Create and configure a roundtable (organizer)."""


class RoundtableOpened(Event):
    """A roundtable was created with this configuration."""

    name: str
    calendar: CalendarSettings
    agencies: list[Agency]
    exporter_countries: list[CountryCode]
    importer_countries: list[CountryCode]
    sectors: list[str]
    matching: MatchingRules
    usd_rates: dict[str, Decimal]
    self_registration: bool
    registration_open: bool


class SetRegistrationOpen(Command):
    """Open or close registration of a roundtable (organizer)."""

    open: bool


class RegistrationStatusChanged(Event):
    """Registration of a roundtable was opened or closed."""

    open: bool


class RegisterParticipant(Command):
    """Register a company into a roundtable; it stays pending until its agency reviews it."""

    profile: ParticipantProfile
    requested_by_role: Literal["anonymous", "organizer", "agency", "admin"] = Field(
        default="anonymous",
        description="Who registered it: only the organizer or an admin may when registration "
        "is closed.",
    )


class ParticipantRegistered(Event):
    """A participant registered and awaits review."""

    profile: ParticipantProfile
    status: Literal["pending"] = "pending"


class ReviewParticipant(Command):
    """An agency (for its country) or the organizer approves or rejects a participant."""

    participant_id: str
    decision: Literal["approve", "reject"]
    reason: str = Field(default="", max_length=1000)
    reviewer_role: Literal["organizer", "agency", "admin"]
    reviewer_country: CountryCode | None = None


class ParticipantApproved(Event):
    """A participant was approved; carries the full profile for projections."""

    profile: ParticipantProfile
    reviewed_by: str


class ParticipantRejected(Event):
    """Its agency (or the organizer) did not approve a participant."""

    participant_id: str
    reason: str
    reviewed_by: str


class WithdrawParticipant(Command):
    """A participant leaves the roundtable (itself, its agency or the organizer)."""

    participant_id: str
    reason: str = Field(default="", max_length=1000)
    requested_by: str = Field(default="", description="participant id or role that asked")


class ParticipantWithdrawn(Event):
    """A participant left the roundtable: its proposals and meetings are withdrawn."""

    participant_id: str
    role: Literal["exporter", "importer"]
    reason: str
