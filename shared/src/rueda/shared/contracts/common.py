"""Value types shared by several contracts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator

__all__ = [
    "Agency",
    "Attendance",
    "AvailabilityWindow",
    "CalendarSettings",
    "Company",
    "Contact",
    "CountryCode",
    "CurrencyCode",
    "DailyWindow",
    "FreeText",
    "HsCode",
    "MatchingRules",
    "Money",
    "ParticipantProfile",
    "Product",
    "Role",
    "RoundtableFormat",
    "Session",
    "Table",
    "Wants",
]

FreeText = Annotated[
    str,
    Field(
        pattern=r"^[^\x00-\x1F\x7F-\x9F\u2028\u2029]*$",
        description="Free text: no C0/C1 control characters (so no CR, LF or tab) and no "
        "U+2028/U+2029 line or paragraph separators.",
    ),
]
"""Every free-text field of the contracts: one line of printable text. A name with CR/LF
would otherwise end up as a bare line in an e-mail header or a CSV row."""

CountryCode = Annotated[
    str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 country code.")
]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 currency code.")]
HsCode = Annotated[
    str,
    Field(
        pattern=r"^(\d{2}|\d{4}|\d{6})$",
        description="Harmonized System code: 2-digit chapter, 4-digit heading or 6-digit "
        "subheading.",
    ),
]
LocalTime = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$", description="HH:MM")]
Role = Literal["exporter", "importer"]
RoundtableFormat = Literal["virtual", "in_person", "hybrid"]
Attendance = Literal["in_person", "remote"]
Session = Literal["morning", "afternoon"]


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _example(**values: JsonValue) -> ConfigDict:
    """A value type's config with one example (the OpenAPI and AsyncAPI documents show it)."""
    return ConfigDict(extra="forbid", frozen=True, json_schema_extra={"examples": [values]})


class Money(_Value):
    """An amount in a currency. Decimal, never float."""

    value: Decimal = Field(
        description="Amount, as a decimal string on the wire.", examples=["25000.00"]
    )
    currency: CurrencyCode = Field(examples=["USD"])

    model_config = _example(value="25000.00", currency="USD")


class DailyWindow(_Value):
    """A daily window in the participant's local time, e.g. 09:00-18:00."""

    start: LocalTime = Field(default="09:00", examples=["09:00"])
    end: LocalTime = Field(default="18:00", examples=["18:00"])

    model_config = _example(start="09:00", end="18:00")


class AvailabilityWindow(_Value):
    """A window on one roundtable day, in the participant's own local date and time."""

    date: dt.date = Field(description="A roundtable day, local date.", examples=["2020-06-23"])
    start: LocalTime = Field(examples=["08:00"])
    end: LocalTime = Field(examples=["13:00"])

    model_config = _example(date="2020-06-23", start="08:00", end="13:00")


class Agency(_Value):
    """A co-hosting export-promotion agency and the country whose exporters it vets."""

    code: FreeText = Field(
        min_length=2, max_length=32, description="Short code, e.g. PROCHILE.", examples=["PROCHILE"]
    )
    name: FreeText = Field(
        min_length=1, max_length=200, description="Its name.", examples=["ProChile"]
    )
    country: CountryCode = Field(examples=["CL"])

    model_config = _example(code="PROCHILE", name="ProChile", country="CL")


class MatchingRules(_Value):
    """How counterparts are turned into agreed meetings."""

    mode: Literal["auto", "request"] = Field(
        default="auto",
        description="`auto`: the best pairs become meetings; `request`: participants ask and "
        "accept.",
        examples=["auto"],
    )
    max_meetings_per_participant: int = Field(
        default=8, ge=1, le=200, description="Cap per participant.", examples=[8]
    )
    min_meetings_per_exporter: int = Field(
        default=1, ge=0, le=200, description="Fairness floor per exporter.", examples=[1]
    )
    request_ttl_hours: int = Field(
        default=72,
        ge=1,
        le=24 * 60,
        description="A pending meeting request expires after this.",
        examples=[72],
    )
    top_k: int = Field(
        default=10, ge=1, le=100, description="Proposals kept per participant.", examples=[10]
    )

    model_config = _example(
        mode="auto",
        max_meetings_per_participant=8,
        min_meetings_per_exporter=1,
        request_ttl_hours=72,
        top_k=10,
    )


class Table(_Value):
    """A numbered table of an in-person venue, optionally named and kept for a sector."""

    number: int = Field(
        ge=1, le=10_000, description="Shown to participants: 'table 12'.", examples=[12]
    )
    name: str = Field(
        default="", max_length=100, description="Its name, if any.", examples=["Fruit corner"]
    )
    sector: str | None = Field(
        default=None, max_length=100, description="The sector it is kept for.", examples=["fruit"]
    )

    model_config = _example(number=12, name="Fruit corner", sector="fruit")


class CalendarSettings(_Value):
    """The roundtable's calendar: its days and slot rules, and where meetings happen.

    A ``virtual`` roundtable meets in video rooms. An ``in_person`` one meets at numbered
    tables of a venue (``venue_timezone``; ``tables`` or ``named_tables``): at most that
    many meetings at once. A ``hybrid`` one has tables for meetings whose two parties
    attend in person and video rooms for the rest.
    """

    days: list[dt.date] = Field(
        min_length=1,
        description="Roundtable days (local dates).",
        examples=[["2020-06-23", "2020-06-24"]],
    )
    slot_minutes: int = Field(
        default=30, ge=5, le=240, description="Length of a meeting.", examples=[30]
    )
    buffer_minutes: int = Field(
        default=0, ge=0, le=120, description="Pause between two meetings.", examples=[0]
    )
    default_window: DailyWindow = Field(
        default_factory=DailyWindow, description="The daily window unless a party states its own."
    )
    max_meetings_per_day: int | None = Field(
        default=None, ge=1, description="Per-participant daily cap, if any.", examples=[6]
    )

    model_config = _example(
        days=["2020-06-23", "2020-06-24"],
        slot_minutes=30,
        buffer_minutes=0,
        default_window={"start": "09:00", "end": "18:00"},
        max_meetings_per_day=6,
    )
    format: RoundtableFormat = Field(
        default="virtual", description="Where meetings happen.", examples=["in_person"]
    )
    venue_timezone: str | None = Field(
        default=None,
        max_length=64,
        description="IANA zone of the venue (in person, hybrid): agendas and sessions use it.",
        examples=["Europe/London"],
    )
    tables: int | None = Field(
        default=None,
        ge=1,
        le=10_000,
        description="Number of tables, numbered from 1.",
        examples=[20],
    )
    named_tables: list[Table] = Field(
        default_factory=list, max_length=10_000, description="Tables by number, name, sector."
    )
    lunch_break: DailyWindow | None = Field(
        default=None,
        description="No meetings in this local window; it splits a day into a morning and "
        "an afternoon session (venue time when there is a venue).",
        examples=[{"start": "13:00", "end": "14:00"}],
    )
    max_idle_gap_spread: int | None = Field(
        default=None,
        ge=0,
        le=100,
        description="Bound, in slots, on the difference of idle gaps between the "
        "participants who wait most and least.",
        examples=[2],
    )

    @model_validator(mode="after")
    def _venue(self) -> CalendarSettings:
        if self.venue_timezone is not None:
            try:
                ZoneInfo(self.venue_timezone)
            except (ZoneInfoNotFoundError, ValueError) as error:
                raise ValueError(f"unknown venue_timezone {self.venue_timezone!r}") from error
        if self.format == "virtual":
            if self.tables is not None or self.named_tables:
                raise ValueError("a virtual roundtable has no tables")
            return self
        if self.venue_timezone is None:
            raise ValueError(f"a {self.format} roundtable needs a venue_timezone")
        if (self.tables is None) == (not self.named_tables):
            raise ValueError(f"a {self.format} roundtable needs tables or named_tables (one)")
        numbers = [table.number for table in self.named_tables]
        if len(set(numbers)) != len(numbers):
            raise ValueError("table numbers must be distinct")
        if self.lunch_break is not None and self.lunch_break.start >= self.lunch_break.end:
            raise ValueError("lunch_break must end after it starts")
        return self

    @property
    def table_numbers(self) -> list[int]:
        """Every table's number, in order (empty for a virtual roundtable)."""
        if self.named_tables:
            return sorted(table.number for table in self.named_tables)
        return list(range(1, (self.tables or 0) + 1))


class Company(_Value):
    """The company a participant registers for."""

    name: FreeText = Field(
        min_length=1, max_length=200, description="Legal name.", examples=["Frutas del Sur SpA"]
    )
    tax_id: FreeText = Field(
        min_length=1,
        max_length=64,
        description="National tax id (duplicates are refused).",
        examples=["76.123.456-7"],
    )
    website: FreeText | None = Field(
        default=None, max_length=300, description="Web site.", examples=["https://frutas.cl"]
    )

    model_config = _example(
        name="Frutas del Sur SpA", tax_id="76.123.456-7", website="https://frutas.cl"
    )


class Contact(_Value):
    """Who receives a participant's e-mails and invitations."""

    name: FreeText = Field(
        min_length=1, max_length=200, description="Full name.", examples=["Ana Rojas"]
    )
    email: FreeText = Field(
        min_length=3, max_length=254, description="E-mail address.", examples=["ana@frutas.cl"]
    )
    phone: FreeText | None = Field(
        default=None,
        max_length=40,
        description="Phone, international.",
        examples=["+56 2 2345 6789"],
    )

    model_config = _example(name="Ana Rojas", email="ana@frutas.cl", phone="+56 2 2345 6789")


class Product(_Value):
    """A product a participant sells or buys."""

    hs_code: HsCode = Field(examples=["080810"])
    description: FreeText = Field(
        default="", max_length=300, description="In plain words.", examples=["Fresh apples"]
    )

    model_config = _example(hs_code="080810", description="Fresh apples")


class Wants(_Value):
    """What a participant looks for in a counterpart."""

    sectors: list[FreeText] = Field(
        default_factory=list, description="Sectors wanted (empty: any).", examples=[["fruit"]]
    )
    countries: list[CountryCode] = Field(
        default_factory=list, description="Countries wanted (empty: any).", examples=[["GB"]]
    )
    certifications_required: list[FreeText] = Field(
        default_factory=list,
        description="Certifications a counterpart must hold.",
        examples=[["GlobalG.A.P."]],
    )

    model_config = _example(
        sectors=["fruit"], countries=["GB"], certifications_required=["GlobalG.A.P."]
    )


class ParticipantProfile(_Value):
    """Everything the pipeline knows about a participant."""

    participant_id: str = Field(description="The participant's id.", examples=["p-3f9a1c2b7d10"])
    role: Role = Field(description="Which side it is on.", examples=["exporter"])
    company: Company = Field(description="The company.")
    country: CountryCode = Field(examples=["CL"])
    timezone: FreeText = Field(
        description="IANA time zone, e.g. America/Santiago.", examples=["America/Santiago"]
    )
    languages: list[FreeText] = Field(
        default_factory=list, description="ISO 639-1 codes.", examples=[["es", "en"]]
    )
    sectors: list[FreeText] = Field(
        default_factory=list, description="Its sectors.", examples=[["fruit"]]
    )
    products: list[Product] = Field(default_factory=list, description="What it sells or buys.")
    certifications: list[FreeText] = Field(
        default_factory=list, description="Certifications it holds.", examples=[["GlobalG.A.P."]]
    )
    contact: Contact = Field(description="Who receives its e-mails.")
    availability: list[AvailabilityWindow] = Field(
        default_factory=list, description="Own windows; empty means the default daily window."
    )
    wants: Wants = Field(default_factory=Wants, description="What it looks for.")

    attendance: Attendance | None = Field(
        default=None,
        description="Hybrid roundtables: whether the participant comes to the venue or "
        "meets remotely; unset means in person (in person, hybrid) or remote (virtual).",
        examples=["remote"],
    )

    model_config = _example(
        participant_id="p-3f9a1c2b7d10",
        role="exporter",
        company={"name": "Frutas del Sur SpA", "tax_id": "76.123.456-7"},
        country="CL",
        timezone="America/Santiago",
        languages=["es", "en"],
        sectors=["fruit"],
        products=[{"hs_code": "080810", "description": "Fresh apples"}],
        certifications=["GlobalG.A.P."],
        contact={"name": "Ana Rojas", "email": "ana@frutas.cl"},
        availability=[{"date": "2020-06-23", "start": "08:00", "end": "13:00"}],
        wants={"countries": ["GB"]},
    )
