"""Registration rules: what a valid roundtable and participant are, duplicates, who may review."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from rueda.shared.contracts.common import AvailabilityWindow, ParticipantProfile
from rueda.shared.contracts.registration import CreateRoundtable

from .languages import ISO_639_1

__all__ = [
    "ExistingParticipant",
    "Problem",
    "ReviewerScope",
    "Status",
    "find_duplicate",
    "may_review",
    "normalise_company",
    "normalise_tax_id",
    "review_outcome",
    "validate_participant",
    "validate_roundtable",
]

Status = Literal["pending", "approved", "rejected", "withdrawn"]

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\Z"
)
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_COMPANY_SUFFIXES = re.compile(
    r"\b(s\.?a\.?s?|s\.?r\.?l|s\.?p\.?a|ltda|ltd|limited|llc|inc|corp|gmbh|plc|s\.?a\.?c|"
    r"e\.?i\.?r\.?l|spa|sac|cia|y|and|&)\b"
)


@dataclass(frozen=True)
class Problem:
    """One broken rule, with the field it concerns."""

    field: str
    code: str
    message: str


@dataclass(frozen=True)
class ExistingParticipant:
    participant_id: str
    status: Status
    tax_id: str
    email: str
    company_name: str


@dataclass(frozen=True)
class ReviewerScope:
    role: Literal["organizer", "agency", "admin"]
    country: str | None = None


@dataclass
class _Problems:
    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, code: str, message: str) -> None:
        self.items.append(Problem(path, code, message))


def validate_roundtable(cmd: CreateRoundtable) -> list[Problem]:
    """Everything wrong with a roundtable's configuration (empty when valid)."""
    p = _Problems()
    cal = cmd.calendar
    if len(set(cal.days)) != len(cal.days):
        p.add("days", "duplicate_day", "each roundtable day may appear once")
    if _minutes(cal.default_window.start) >= _minutes(cal.default_window.end):
        p.add("default_window", "empty_window", "the default window must end after it starts")
    elif _minutes(cal.default_window.end) - _minutes(cal.default_window.start) < cal.slot_minutes:
        p.add("default_window", "window_too_short", "the default window is shorter than a slot")
    codes = [a.code for a in cmd.agencies]
    if len(set(codes)) != len(codes):
        p.add("agencies", "duplicate_agency", "agency codes must be unique")
    for i, agency in enumerate(cmd.agencies):
        if agency.country not in cmd.exporter_countries:
            p.add(
                f"agencies.{i}.country",
                "agency_country_not_exporting",
                f"agency {agency.code} vets {agency.country}, which is not an exporter country",
            )
    if len({s.casefold() for s in cmd.sectors}) != len(cmd.sectors):
        p.add("sectors", "duplicate_sector", "sectors must be unique")
    rules = cmd.matching
    if rules.min_meetings_per_exporter > rules.max_meetings_per_participant:
        p.add(
            "matching.min_meetings_per_exporter",
            "floor_above_cap",
            "the minimum per exporter exceeds the maximum per participant",
        )
    for currency, rate in cmd.usd_rates.items():
        if not _CURRENCY.match(currency):
            p.add(f"usd_rates.{currency}", "bad_currency", "currencies are ISO 4217 codes")
        if not rate > 0:
            p.add(f"usd_rates.{currency}", "bad_rate", "conversion rates must be positive")
    if "USD" in cmd.usd_rates and cmd.usd_rates["USD"] != 1:
        p.add("usd_rates.USD", "bad_rate", "USD converts to USD at 1")
    return p.items


def validate_participant(
    profile: ParticipantProfile,
    *,
    days: Iterable[object],
    sectors: Iterable[str],
    exporter_countries: Iterable[str],
    importer_countries: Iterable[str],
) -> list[Problem]:
    """Everything wrong with a participant for this roundtable (empty when valid)."""
    p = _Problems()
    allowed = set(exporter_countries if profile.role == "exporter" else importer_countries)
    if profile.country not in allowed:
        p.add(
            "country",
            "country_not_allowed",
            f"{profile.role}s of this roundtable come from {', '.join(sorted(allowed))}",
        )
    if not _valid_timezone(profile.timezone):
        p.add("timezone", "unknown_timezone", f"{profile.timezone!r} is not an IANA time zone")
    for i, lang in enumerate(profile.languages):
        if lang not in ISO_639_1:
            p.add(f"languages.{i}", "unknown_language", f"{lang!r} is not an ISO 639-1 code")
    if not profile.languages:
        p.add("languages", "no_language", "at least one language is needed")
    known = {s.casefold() for s in sectors}
    for i, sector in enumerate(profile.sectors):
        if sector.casefold() not in known:
            p.add(
                f"sectors.{i}", "unknown_sector", f"{sector!r} is not a sector of this roundtable"
            )
    for i, sector in enumerate(profile.wants.sectors):
        if sector.casefold() not in known:
            p.add(
                f"wants.sectors.{i}",
                "unknown_sector",
                f"{sector!r} is not a sector of this roundtable",
            )
    if not profile.sectors:
        p.add("sectors", "no_sector", "at least one sector is needed")
    if not _EMAIL.match(profile.contact.email):
        p.add("contact.email", "bad_email", f"{profile.contact.email!r} is not an e-mail address")
    p.items += _window_problems(profile.availability, set(days))
    return p.items


def _window_problems(windows: list[AvailabilityWindow], days: set[object]) -> list[Problem]:
    p = _Problems()
    by_day: dict[object, list[tuple[int, int]]] = {}
    for i, w in enumerate(windows):
        start, end = _minutes(w.start), _minutes(w.end)
        if w.date not in days:
            p.add(
                f"availability.{i}.date",
                "not_a_roundtable_day",
                f"{w.date.isoformat()} is not a day of this roundtable",
            )
        if start >= end:
            p.add(f"availability.{i}", "empty_window", "a window must end after it starts")
            continue
        for other_start, other_end in by_day.get(w.date, []):
            if start < other_end and other_start < end:
                p.add(
                    f"availability.{i}",
                    "overlapping_windows",
                    f"windows on {w.date.isoformat()} overlap",
                )
        by_day.setdefault(w.date, []).append((start, end))
    return p.items


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


_ZONES: frozenset[str] | None = None


def _valid_timezone(name: str) -> bool:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    if name not in _ZONES:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def normalise_tax_id(tax_id: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", tax_id).upper()


def normalise_company(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    text = _COMPANY_SUFFIXES.sub(" ", text)
    return re.sub(r"[^0-9a-z]+", "", text)


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].casefold()


def find_duplicate(
    profile: ParticipantProfile, existing: Iterable[ExistingParticipant]
) -> ExistingParticipant | None:
    """An earlier registration of the same company in this roundtable: the same tax id, or the
    same e-mail domain and company name. Withdrawn and rejected ones may register again."""
    tax = normalise_tax_id(profile.company.tax_id)
    domain = _domain(profile.contact.email)
    company = normalise_company(profile.company.name)
    for other in existing:
        if (
            other.status in ("withdrawn", "rejected")
            or other.participant_id == profile.participant_id
        ):
            continue
        if normalise_tax_id(other.tax_id) == tax:
            return other
        if _domain(other.email) == domain and normalise_company(other.company_name) == company:
            return other
    return None


def may_review(reviewer: ReviewerScope, participant_country: str) -> bool:
    """The organizer and admins review anyone; an agency only its own country's companies."""
    if reviewer.role in ("organizer", "admin"):
        return True
    return reviewer.country is not None and reviewer.country == participant_country


def review_outcome(
    current: Status, decision: Literal["approve", "reject"]
) -> tuple[Status | None, Problem | None]:
    """The status a review leads to, or why it cannot happen."""
    if current == "withdrawn":
        return None, Problem("participant_id", "withdrawn", "the participant has withdrawn")
    target: Status = "approved" if decision == "approve" else "rejected"
    if current == target:
        return None, Problem(
            "decision", "already_" + target, f"the participant is already {target}"
        )
    if current == "approved" and decision == "reject":
        return target, None
    if current == "rejected" and decision == "approve":
        return target, None
    return target, None
