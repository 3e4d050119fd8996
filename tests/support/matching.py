"""Builders for matching tests: profiles, roundtables and a clock the test moves by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rueda.shared.contracts.common import (
    Agency,
    CalendarSettings,
    Company,
    Contact,
    MatchingRules,
    ParticipantProfile,
    Product,
    Role,
    Wants,
)
from rueda.shared.contracts.registration import RoundtableOpened

DAYS = [dt.date(2020, 6, 23), dt.date(2020, 6, 24)]


@dataclass
class FakeClock:
    """A clock that only moves when told to."""

    now: dt.datetime = field(default_factory=lambda: dt.datetime(2020, 6, 20, 12, tzinfo=dt.UTC))

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def opened(rules: MatchingRules) -> RoundtableOpened:
    return RoundtableOpened(
        name="Pacific Alliance - UK",
        calendar=CalendarSettings(days=DAYS, slot_minutes=30),
        agencies=[Agency(code="PROCHILE", name="ProChile", country="CL")],
        exporter_countries=["CL", "CO", "MX", "PE"],
        importer_countries=["GB"],
        sectors=["coffee", "fruit", "honey", "steel"],
        matching=rules,
        usd_rates={},
        self_registration=True,
        registration_open=True,
    )


def profile(
    pid: str,
    role: Role,
    *,
    sectors: list[str],
    hs: list[str],
    country: str | None = None,
    timezone: str | None = None,
    certifications: list[str] | None = None,
    wants: Wants | None = None,
) -> ParticipantProfile:
    exporter = role == "exporter"
    return ParticipantProfile(
        participant_id=pid,
        role=role,
        company=Company(name=f"Company {pid}", tax_id=f"TAX-{pid}"),
        country=country or ("CL" if exporter else "GB"),
        timezone=timezone or ("America/Santiago" if exporter else "Europe/London"),
        languages=["en", "es"] if exporter else ["en"],
        sectors=sectors,
        products=[Product(hs_code=code) for code in hs],
        certifications=certifications or [],
        contact=Contact(name=f"Contact {pid}", email=f"{pid.lower()}@example.com"),
        wants=wants or Wants(),
    )
