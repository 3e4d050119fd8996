"""Plain value types the matching domain works on.

They mirror `rueda.shared.contracts.common` but carry only what matching needs, are
hashable (tuples, frozen dataclasses) and convert to and from plain dicts so that the
service can keep them in MongoDB.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, cast

__all__ = [
    "Calendar",
    "Participant",
    "Role",
    "ScoreWeights",
    "Wants",
    "Window",
    "normalise",
]

Role = Literal["exporter", "importer"]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=16_384)
def normalise(label: str) -> str:
    """The comparison key of a free-text label: case-folded, letters and digits only.

    "GlobalG.A.P.", "GLOBALG.A.P" and "globalgap" compare equal; so do "Fresh fruit" and
    "fresh-fruit".
    """
    return _NON_ALNUM.sub("", label.casefold())


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(item) for item in cast("list[Any]", value or []))


@dataclass(frozen=True, slots=True)
class Window:
    """A window on one roundtable day, in the participant's own local date and time.

    `start` and `end` are "HH:MM"; `end` may be "24:00" (midnight at the end of the day).
    """

    date: dt.date
    start: str
    end: str

    def to_dict(self) -> dict[str, str]:
        """Plain-dict form (ISO date)."""
        return {"date": self.date.isoformat(), "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Window:
        """Inverse of `to_dict`; accepts a `date` or an ISO string."""
        raw_date = data["date"]
        day = raw_date if isinstance(raw_date, dt.date) else dt.date.fromisoformat(str(raw_date))
        return cls(date=day, start=str(data["start"]), end=str(data["end"]))


@dataclass(frozen=True, slots=True)
class Wants:
    """What a participant looks for in a counterpart."""

    sectors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    certifications_required: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("sectors", "countries", "certifications_required"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))

    def to_dict(self) -> dict[str, list[str]]:
        """Plain-dict form."""
        return {
            "sectors": list(self.sectors),
            "countries": list(self.countries),
            "certifications_required": list(self.certifications_required),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Wants:
        """Inverse of `to_dict`."""
        return cls(
            sectors=_strings(data.get("sectors")),
            countries=_strings(data.get("countries")),
            certifications_required=_strings(data.get("certifications_required")),
        )


@dataclass(frozen=True, slots=True)
class Participant:
    """An approved participant as matching sees it.

    `hs_codes` are the Harmonized System codes of its products (2, 4 or 6 digits): what an
    exporter sells or an importer buys. `availability` empty means the roundtable's
    default daily window on every roundtable day.
    """

    participant_id: str
    role: Role
    country: str
    timezone: str
    languages: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    hs_codes: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    availability: tuple[Window, ...] = ()
    wants: Wants = field(default_factory=Wants)

    def __post_init__(self) -> None:
        # Accept lists from callers but store tuples: participants are hashed and cached.
        for name in ("languages", "sectors", "hs_codes", "certifications", "availability"):
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, tuple(value))
        if self.role not in ("exporter", "importer"):
            raise ValueError(f"unknown role {self.role!r}")
        for code in self.hs_codes:
            if not (code.isdigit() and len(code) in (2, 4, 6)):
                raise ValueError(f"HS code must have 2, 4 or 6 digits: {code!r}")

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form (lists, ISO dates): what the service stores."""
        return {
            "participant_id": self.participant_id,
            "role": self.role,
            "country": self.country,
            "timezone": self.timezone,
            "languages": list(self.languages),
            "sectors": list(self.sectors),
            "hs_codes": list(self.hs_codes),
            "certifications": list(self.certifications),
            "availability": [window.to_dict() for window in self.availability],
            "wants": self.wants.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Participant:
        """Inverse of `to_dict`."""
        role = str(data["role"])
        if role not in ("exporter", "importer"):
            raise ValueError(f"unknown role {role!r}")
        return cls(
            participant_id=str(data["participant_id"]),
            role=cast("Role", role),
            country=str(data["country"]),
            timezone=str(data["timezone"]),
            languages=_strings(data.get("languages")),
            sectors=_strings(data.get("sectors")),
            hs_codes=_strings(data.get("hs_codes")),
            certifications=_strings(data.get("certifications")),
            availability=tuple(
                Window.from_dict(item) for item in cast("list[Any]", data.get("availability") or [])
            ),
            wants=Wants.from_dict(cast("dict[str, Any]", data.get("wants") or {})),
        )


@dataclass(frozen=True, slots=True)
class Calendar:
    """The roundtable's calendar as matching needs it.

    `days` are the roundtable's local dates; a participant's windows count only on these
    dates, in its own time zone. `default_start`/`default_end` ("HH:MM") apply to a
    participant that states no windows.
    """

    days: tuple[dt.date, ...]
    slot_minutes: int = 30
    default_start: str = "09:00"
    default_end: str = "18:00"

    def __post_init__(self) -> None:
        if not self.days:
            raise ValueError("a roundtable has at least one day")
        if not 5 <= self.slot_minutes <= 240:
            raise ValueError("slot_minutes must be between 5 and 240")

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form."""
        return {
            "days": [day.isoformat() for day in self.days],
            "slot_minutes": self.slot_minutes,
            "default_start": self.default_start,
            "default_end": self.default_end,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calendar:
        """Inverse of `to_dict`."""
        return cls(
            days=tuple(
                day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day))
                for day in cast("list[Any]", data["days"])
            ),
            slot_minutes=int(data.get("slot_minutes", 30)),
            default_start=str(data.get("default_start", "09:00")),
            default_end=str(data.get("default_end", "18:00")),
        )


@dataclass(frozen=True, slots=True)
class ScoreWeights:
    """Points each rule adds to a pair's score.

    Products count once, at the best level any two codes share (6-digit subheading >
    4-digit heading > 2-digit chapter). Sectors count per shared sector up to
    `sector_cap`. Weights are kept to binary fractions (0.5, 1.5, ...) so that every
    score is exact in float32 and in Python floats alike.
    """

    hs_subheading: float = 5.0
    hs_heading: float = 3.0
    hs_chapter: float = 1.5
    sector: float = 2.0
    sector_cap: int = 3
    certifications_held: float = 1.0
    wanted_country: float = 2.0
    shared_language: float = 1.0

    def to_dict(self) -> dict[str, float | int]:
        """Plain-dict form."""
        return {
            "hs_subheading": self.hs_subheading,
            "hs_heading": self.hs_heading,
            "hs_chapter": self.hs_chapter,
            "sector": self.sector,
            "sector_cap": self.sector_cap,
            "certifications_held": self.certifications_held,
            "wanted_country": self.wanted_country,
            "shared_language": self.shared_language,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScoreWeights:
        """Inverse of `to_dict`; missing keys take their defaults."""
        defaults = cls()
        return cls(
            hs_subheading=float(data.get("hs_subheading", defaults.hs_subheading)),
            hs_heading=float(data.get("hs_heading", defaults.hs_heading)),
            hs_chapter=float(data.get("hs_chapter", defaults.hs_chapter)),
            sector=float(data.get("sector", defaults.sector)),
            sector_cap=int(data.get("sector_cap", defaults.sector_cap)),
            certifications_held=float(
                data.get("certifications_held", defaults.certifications_held)
            ),
            wanted_country=float(data.get("wanted_country", defaults.wanted_country)),
            shared_language=float(data.get("shared_language", defaults.shared_language)),
        )
