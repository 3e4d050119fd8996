"""What the gateway's reads answer, as documented schemas.

The reads pass the owning service's JSON through; these models describe it for the OpenAPI
document and the generated client (`responses(..., model=...)`), they do not filter it.
Each allows further properties: a later minor version may add fields (docs/versioning.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from rueda.shared.contracts import (
    Agency,
    CalendarSettings,
    MatchingRules,
    ParticipantProfile,
)

__all__ = [
    "CommandStatusOut",
    "DeliveryOut",
    "MeetingRequestOut",
    "ParticipantOut",
    "ReportBlock",
    "ReportOut",
    "RoundtableOut",
    "SubscriptionOut",
]

RT = "rt-pacific-2020"
EXPORTER = "p-3f9a1c2b7d10"
IMPORTER = "p-8e21b4c6a0f3"


def _example(**values: Any) -> ConfigDict:
    return ConfigDict(extra="allow", json_schema_extra={"examples": [values]})


class RoundtableOut(BaseModel):
    """A roundtable's configuration, as its organizer set it."""

    roundtable_id: str = Field(description="The roundtable's id.", examples=[RT])
    name: str = Field(description="Its name.", examples=["Pacific Alliance - UK importers"])
    registration_open: bool = Field(
        description="Whether it takes registrations now.", examples=[True]
    )
    self_registration: bool = Field(
        description="Whether companies may register themselves without a token.",
        examples=[True],
    )
    calendar: CalendarSettings = Field(description="Days, slot length and daily window.")
    agencies: list[Agency] = Field(description="Co-hosting agencies and their countries.")
    exporter_countries: list[str] = Field(
        description="ISO 3166-1 countries exporters come from.", examples=[["CL", "CO"]]
    )
    importer_countries: list[str] = Field(
        description="ISO 3166-1 countries importers come from.", examples=[["GB"]]
    )
    sectors: list[str] = Field(description="Sectors it covers.", examples=[["coffee", "fruit"]])
    matching: MatchingRules = Field(description="How counterparts become meetings.")
    usd_rates: dict[str, str] = Field(
        description="US-dollar rate of each accepted currency (decimal strings).",
        examples=[{"USD": "1", "GBP": "1.25"}],
    )

    model_config = _example(
        roundtable_id=RT,
        name="Pacific Alliance - UK importers",
        registration_open=True,
        self_registration=True,
        calendar={
            "days": ["2020-06-23", "2020-06-24"],
            "slot_minutes": 30,
            "buffer_minutes": 0,
            "default_window": {"start": "09:00", "end": "18:00"},
            "max_meetings_per_day": None,
        },
        agencies=[{"code": "PROCHILE", "name": "ProChile", "country": "CL"}],
        exporter_countries=["CL", "CO", "MX", "PE"],
        importer_countries=["GB"],
        sectors=["coffee", "fruit"],
        matching={
            "mode": "auto",
            "max_meetings_per_participant": 8,
            "min_meetings_per_exporter": 1,
            "request_ttl_hours": 72,
            "top_k": 10,
        },
        usd_rates={"USD": "1", "GBP": "1.25"},
    )


_PROFILE = {
    "participant_id": EXPORTER,
    "role": "exporter",
    "company": {"name": "Frutas del Sur SpA", "tax_id": "76.123.456-7", "website": None},
    "country": "CL",
    "timezone": "America/Santiago",
    "languages": ["es", "en"],
    "sectors": ["fruit"],
    "products": [{"hs_code": "080810", "description": "Fresh apples"}],
    "certifications": ["GlobalG.A.P."],
    "contact": {"name": "Ana Rojas", "email": "ana@frutasdelsur.cl", "phone": None},
    "availability": [],
    "wants": {"sectors": [], "countries": ["GB"], "certifications_required": []},
}


class ParticipantOut(BaseModel):
    """A registered company and where its registration stands."""

    participant_id: str = Field(description="The participant's id.", examples=[EXPORTER])
    roundtable_id: str = Field(description="Its roundtable.", examples=[RT])
    status: Literal["pending", "approved", "rejected", "withdrawn"] = Field(
        description="`pending` until its agency (or the organizer) reviews it.",
        examples=["approved"],
    )
    role: Literal["exporter", "importer"] = Field(description="Its role.", examples=["exporter"])
    country: str = Field(description="ISO 3166-1 alpha-2.", examples=["CL"])
    reason: str = Field(description="The reviewer's or withdrawal's reason.", examples=[""])
    reviewed_by: str = Field(description="Role that reviewed it, if any.", examples=["agency"])
    registered_at: dt.datetime = Field(
        description="When registration recorded it (UTC).", examples=["2020-06-01T14:03:00Z"]
    )
    profile: ParticipantProfile = Field(description="Everything it registered with.")

    model_config = _example(
        participant_id=EXPORTER,
        roundtable_id=RT,
        status="approved",
        role="exporter",
        country="CL",
        reason="",
        reviewed_by="agency",
        registered_at="2020-06-01T14:03:00+00:00",
        profile=_PROFILE,
    )


class MeetingRequestOut(BaseModel):
    """A meeting request (request mode) and where it stands."""

    request_id: str = Field(description="The request's id.", examples=["mr-5c0d9e1f2a3b"])
    exporter_id: str = Field(description="The exporter party.", examples=[EXPORTER])
    importer_id: str = Field(description="The importer party.", examples=[IMPORTER])
    requested_by: str = Field(description="The participant who asked.", examples=[EXPORTER])
    requested_of: str = Field(description="The participant who must answer.", examples=[IMPORTER])
    status: Literal["pending", "accepted", "declined", "expired", "withdrawn"] = Field(
        description="An accepted request becomes an agreed meeting.", examples=["pending"]
    )
    created_at: dt.datetime = Field(description="UTC.", examples=["2020-06-20T10:00:00Z"])
    expires_at: dt.datetime = Field(
        description="UTC; a pending request expires then.", examples=["2020-06-23T10:00:00Z"]
    )
    countries: dict[str, str | None] = Field(
        description="Country of each party (null once a party has withdrawn).",
        examples=[{EXPORTER: "CL", IMPORTER: "GB"}],
    )

    model_config = _example(
        request_id="mr-5c0d9e1f2a3b",
        exporter_id=EXPORTER,
        importer_id=IMPORTER,
        requested_by=EXPORTER,
        requested_of=IMPORTER,
        status="pending",
        created_at="2020-06-20T10:00:00Z",
        expires_at="2020-06-23T10:00:00Z",
        countries={EXPORTER: "CL", IMPORTER: "GB"},
    )


class SubscriptionOut(BaseModel):
    """A webhook subscription, without its secret."""

    subscription_id: str = Field(
        description="The subscription's id.", examples=["sub-1a2b3c4d5e6f"]
    )
    roundtable_id: str = Field(description="Its roundtable, or `*` for all.", examples=[RT])
    url: str = Field(
        description="Where events are POSTed.", examples=["https://agency.example/hook"]
    )
    event_types: list[str] = Field(description="Event types sent.", examples=[["DealClosed"]])
    owner_role: str = Field(description="Role that created it.", examples=["agency"])
    owner_country: str | None = Field(description="An agency's country.", examples=["CL"])
    active: bool = Field(description="False once deleted.", examples=[True])
    created_at: dt.datetime = Field(description="UTC.", examples=["2020-06-10T09:00:00Z"])

    model_config = _example(
        subscription_id="sub-1a2b3c4d5e6f",
        roundtable_id=RT,
        url="https://agency.example/hook",
        event_types=["DealClosed"],
        owner_role="agency",
        owner_country="CL",
        active=True,
        created_at="2020-06-10T09:00:00Z",
    )


class DeliveryOut(BaseModel):
    """One notification to a participant and where it stands."""

    notification_id: str = Field(description="The delivery's id.", examples=["n-4d5e6f7a8b9c"])
    channel: Literal["email", "webhook"] = Field(description="How it is sent.", examples=["email"])
    kind: str = Field(description="What it tells.", examples=["meeting_scheduled"])
    source_id: str = Field(
        description="Source event id, or reminder id for reminders.",
        examples=["6c1f0a52-93d1-4d4e-8f0b-2a1c3e4d5f60"],
    )
    status: Literal["pending", "sending", "sent", "failed", "cancelled"] = Field(
        description="Where it stands.", examples=["sent"]
    )
    attempts: int = Field(description="Send attempts so far.", examples=[1])
    created_at: dt.datetime = Field(description="UTC.", examples=["2020-06-22T18:00:00Z"])
    sent_at: dt.datetime | None = Field(
        default=None, description="UTC, once sent.", examples=["2020-06-22T18:00:02Z"]
    )
    last_error: str | None = Field(
        default=None, description="The last failure, if any.", examples=[None]
    )

    model_config = _example(
        notification_id="n-4d5e6f7a8b9c",
        channel="email",
        kind="meeting_scheduled",
        source_id="6c1f0a52-93d1-4d4e-8f0b-2a1c3e4d5f60",
        status="sent",
        attempts=1,
        created_at="2020-06-22T18:00:00Z",
        sent_at="2020-06-22T18:00:02Z",
        last_error=None,
    )


_BLOCK = {
    "exporters": {"registered": 50, "approved": 50},
    "importers": {"registered": 24, "approved": 24},
    "meetings": {"scheduled": 125, "held": 125, "no_show": 0, "cancelled": 0},
    "deals": {
        "count": 40,
        "immediate_usd": "1500000.00",
        "projected_12m_usd": "17000000.00",
        "agreed": 38,
        "disputed": 1,
        "one_sided": 1,
    },
}


class ReportBlock(BaseModel):
    """Counts for a scope: registrations, meetings and deals (amounts in US dollars)."""

    exporters: dict[str, int] = Field(
        description="`registered` and `approved` exporters.",
        examples=[_BLOCK["exporters"]],
    )
    importers: dict[str, int] = Field(
        description="`registered` and `approved` importers.",
        examples=[_BLOCK["importers"]],
    )
    meetings: dict[str, int] = Field(
        description="`scheduled`, `held`, `no_show` and `cancelled` meetings.",
        examples=[_BLOCK["meetings"]],
    )
    deals: dict[str, int | str] = Field(
        description="`count`, `agreed`, `disputed`, `one_sided`; `immediate_usd` and "
        "`projected_12m_usd` as decimal strings.",
        examples=[_BLOCK["deals"]],
    )

    model_config = _example(**_BLOCK)


class ReportOut(ReportBlock):
    """The roundtable's report: totals, then by country, sector and agency."""

    roundtable_id: str = Field(description="The roundtable.", examples=[RT])
    country: str | None = Field(
        default=None,
        description="The country an agency's view is restricted to, else null.",
        examples=["CL"],
    )
    by_country: dict[str, ReportBlock] = Field(
        description="By ISO 3166-1 country.", examples=[{"CL": _BLOCK}]
    )
    by_sector: dict[str, ReportBlock] = Field(
        description="By sector.", examples=[{"fruit": _BLOCK}]
    )
    by_agency: dict[str, ReportBlock] = Field(
        description="By agency code.", examples=[{"PROCHILE": _BLOCK}]
    )

    model_config = _example(
        roundtable_id=RT,
        country=None,
        **_BLOCK,
        by_country={"CL": _BLOCK},
        by_sector={"fruit": _BLOCK},
        by_agency={"PROCHILE": _BLOCK},
    )


class CommandStatusOut(BaseModel):
    """Whether a command was carried out (`accepted`), refused (`rejected`, with the reason)
    or not processed yet (`pending`)."""

    command_id: str = Field(
        description="The command's id.", examples=["0b7e4c1e-6d2f-4a51-9a0e-3f1f2c9d8e77"]
    )
    status: Literal["pending", "accepted", "rejected"] = Field(
        description="`pending` until the owning service has handled the command.",
        examples=["rejected"],
    )
    roundtable_id: str | None = Field(default=None, description="Its roundtable.", examples=[RT])
    type: str | None = Field(
        default=None, description="The command's type.", examples=["RegisterParticipant"]
    )
    code: str | None = Field(
        default=None,
        description="Why it was refused, machine-readable.",
        examples=["registration_closed"],
    )
    reason: str | None = Field(
        default=None,
        description="Why it was refused, for a person.",
        examples=["registration is closed"],
    )
    details: dict[str, Any] | None = Field(
        default=None, description="Structured details of a refusal.", examples=[{}]
    )
    resource: dict[str, Any] | None = Field(
        default=None,
        description="Ids of what it created or concerns.",
        examples=[{"participant_id": EXPORTER}],
    )

    model_config = _example(
        command_id="0b7e4c1e-6d2f-4a51-9a0e-3f1f2c9d8e77",
        status="rejected",
        roundtable_id=RT,
        type="RegisterParticipant",
        code="registration_closed",
        reason="registration is closed",
        details={},
        resource={"participant_id": EXPORTER},
    )
