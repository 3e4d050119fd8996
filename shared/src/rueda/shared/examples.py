"""One example of every contract, for the AsyncAPI document: the Pacific Alliance round of
June 2020 (a Chilean fruit exporter meets a UK importer).

The examples are built as the contracts themselves, so each one is valid by construction;
tests/contract/test_asyncapi_docs.py also validates them against the published schemas and
fails for a contract of the registry that has none here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from .contracts import (
    Agency,
    AvailabilityWindow,
    CalendarSettings,
    Company,
    Contact,
    Contract,
    Envelope,
    MatchingRules,
    Money,
    ParticipantProfile,
    Product,
    Wants,
)
from .contracts import deals as d
from .contracts import matching as m
from .contracts import notifications as n
from .contracts import outcomes as o
from .contracts import registration as r
from .contracts import scheduling as s

__all__ = ["ROUNDTABLE", "envelope_example", "payload_examples"]

ROUNDTABLE = "rt-pacific-2020"
EXPORTER = "p-3f9a1c2b7d10"
IMPORTER = "p-8e21b4c6a0f3"
MEETING = "m-7a8b9c0d1e2f"
REQUEST = "mr-5c0d9e1f2a3b"
COMMAND = uuid.UUID("0b7e4c1e-6d2f-4a51-9a0e-3f1f2c9d8e77")
STARTS = dt.datetime(2020, 6, 23, 14, 0, tzinfo=dt.UTC)
ENDS = STARTS + dt.timedelta(minutes=30)


def _profile() -> ParticipantProfile:
    return ParticipantProfile(
        participant_id=EXPORTER,
        role="exporter",
        company=Company(name="Frutas del Sur SpA", tax_id="76.123.456-7"),
        country="CL",
        timezone="America/Santiago",
        languages=["es", "en"],
        sectors=["fruit"],
        products=[Product(hs_code="080810", description="Fresh apples")],
        certifications=["GlobalG.A.P."],
        contact=Contact(name="Ana Rojas", email="ana@frutas.cl"),
        availability=[AvailabilityWindow(date=dt.date(2020, 6, 23), start="08:00", end="13:00")],
        wants=Wants(countries=["GB"]),
    )


def _roundtable() -> dict[str, object]:
    return {
        "name": "Pacific Alliance - UK importers",
        "calendar": CalendarSettings(
            days=[dt.date(2020, 6, 23), dt.date(2020, 6, 24)], slot_minutes=30
        ),
        "agencies": [Agency(code="PROCHILE", name="ProChile", country="CL")],
        "exporter_countries": ["CL", "CO", "MX", "PE"],
        "importer_countries": ["GB"],
        "sectors": ["fruit", "coffee"],
        "matching": MatchingRules(mode="auto", max_meetings_per_participant=8),
        "usd_rates": {"USD": Decimal(1), "GBP": Decimal("1.25")},
        "self_registration": True,
        "registration_open": True,
    }


def _placed() -> dict[str, object]:
    return {
        "meeting_id": MEETING,
        "exporter_id": EXPORTER,
        "importer_id": IMPORTER,
        "exporter_country": "CL",
        "importer_country": "GB",
        "starts_at": STARTS,
        "ends_at": ENDS,
        "local_times": {
            EXPORTER: "2020-06-23T10:00:00-04:00",
            IMPORTER: "2020-06-23T15:00:00+01:00",
        },
        "timezones": {EXPORTER: "America/Santiago", IMPORTER: "Europe/London"},
        "join_url": f"https://meet.jit.si/rueda-{MEETING}",
        "sequence": 0,
    }


def _party(pid: str, role: str, country: str, zone: str) -> m.PartyCalendar:
    return m.PartyCalendar.model_validate(
        {"participant_id": pid, "role": role, "country": country, "timezone": zone}
    )


def payload_examples() -> dict[str, Contract]:
    """An example payload of every contract, by event type."""
    figures = d.ReportedFigures(
        result="deal", immediate_usd=Decimal("25000.00"), projected_12m_usd=Decimal("180000.00")
    )
    deal: dict[str, object] = {
        "deal_id": f"deal-{MEETING}",
        "meeting_id": MEETING,
        "agency_code": "PROCHILE",
        "exporter_id": EXPORTER,
        "exporter_country": "CL",
        "importer_id": IMPORTER,
        "importer_country": "GB",
        "sectors": ["fruit"],
        "products": ["080810"],
        "status": "agreed",
        "immediate_usd": Decimal("25000.00"),
        "projected_12m_usd": Decimal("180000.00"),
        "closed_at": dt.datetime(2020, 6, 25, 15, 42, tzinfo=dt.UTC),
        "exporter_report": figures,
        "importer_report": figures,
    }
    found: list[Contract] = [
        r.CreateRoundtable.model_validate(_roundtable()),
        r.RoundtableOpened.model_validate(_roundtable()),
        r.SetRegistrationOpen(open=False),
        r.RegistrationStatusChanged(open=False),
        r.RegisterParticipant(profile=_profile(), requested_by_role="anonymous"),
        r.ParticipantRegistered(profile=_profile()),
        r.ReviewParticipant(
            participant_id=EXPORTER,
            decision="approve",
            reason="Export licence verified",
            reviewer_role="agency",
            reviewer_country="CL",
        ),
        r.ParticipantApproved(profile=_profile(), reviewed_by="agency"),
        r.ParticipantRejected(
            participant_id=EXPORTER, reason="No export licence", reviewed_by="agency"
        ),
        r.WithdrawParticipant(
            participant_id=EXPORTER, reason="Harvest delayed", requested_by=EXPORTER
        ),
        r.ParticipantWithdrawn(participant_id=EXPORTER, role="exporter", reason="Harvest delayed"),
        o.CommandRejected(
            command_id=COMMAND,
            command_type="RegisterParticipant",
            code="duplicate_participant",
            reason="a participant with this tax id is registered",
            details={"tax_id": "76.123.456-7"},
        ),
        m.RequestMeeting(request_id=REQUEST, from_participant=EXPORTER, to_participant=IMPORTER),
        m.RespondToMeetingRequest(request_id=REQUEST, participant_id=IMPORTER, accept=True),
        m.MatchesProposed(
            participant_id=EXPORTER,
            role="exporter",
            matches=[
                m.MatchProposal(
                    counterpart_id=IMPORTER, score=0.82, reasons=["sector fruit", "wants GB"]
                )
            ],
        ),
        m.MeetingRequested(
            request_id=REQUEST,
            exporter_id=EXPORTER,
            importer_id=IMPORTER,
            requested_by=EXPORTER,
            expires_at=dt.datetime(2020, 6, 23, 10, 0, tzinfo=dt.UTC),
        ),
        m.MeetingAgreed(
            meeting_id=MEETING,
            exporter=_party(EXPORTER, "exporter", "CL", "America/Santiago"),
            importer=_party(IMPORTER, "importer", "GB", "Europe/London"),
            calendar=CalendarSettings(days=[dt.date(2020, 6, 23)], slot_minutes=30),
            score=0.82,
            source="auto",
            min_meetings_per_exporter=1,
        ),
        m.MeetingAgreementWithdrawn(meeting_id=MEETING, reason="participant withdrew"),
        m.MeetingRequestDeclined(
            request_id=REQUEST,
            exporter_id=EXPORTER,
            importer_id=IMPORTER,
            declined_by=IMPORTER,
            reason="Not our sector",
        ),
        m.MeetingRequestExpired(
            request_id=REQUEST, exporter_id=EXPORTER, importer_id=IMPORTER, requested_by=EXPORTER
        ),
        s.CancelMeeting(meeting_id=MEETING, reason="Importer travelling", requested_by=IMPORTER),
        s.RescheduleMeeting(meeting_id=MEETING, reason="Clash", requested_by="organizer"),
        s.LockMeeting(meeting_id=MEETING, locked=True),
        s.RecordAttendance(meeting_id=MEETING, status="held"),
        s.OptimizeSchedule(),
        s.MeetingScheduled.model_validate(_placed()),
        s.MeetingRescheduled.model_validate(
            {
                **_placed(),
                "sequence": 1,
                "previous_starts_at": STARTS - dt.timedelta(hours=1),
                "reason": "Clash",
            }
        ),
        s.MeetingCancelled(
            meeting_id=MEETING,
            exporter_id=EXPORTER,
            importer_id=IMPORTER,
            starts_at=STARTS,
            ends_at=ENDS,
            sequence=2,
            reason="Importer travelling",
        ),
        s.MeetingUnschedulable(
            meeting_id=MEETING,
            exporter_id=EXPORTER,
            importer_id=IMPORTER,
            reason_code="no_common_window",
            reason="the parties' windows never overlap on a roundtable day",
        ),
        s.MeetingLockChanged(meeting_id=MEETING, locked=True),
        s.MeetingHeld(
            meeting_id=MEETING, exporter_id=EXPORTER, importer_id=IMPORTER, starts_at=STARTS
        ),
        s.MeetingNoShow(
            meeting_id=MEETING, exporter_id=EXPORTER, importer_id=IMPORTER, starts_at=STARTS
        ),
        s.ScheduleOptimized(
            moved=12, placed=3, waiting=1, as_of=dt.datetime(2020, 6, 22, 12, 0, tzinfo=dt.UTC)
        ),
        n.CreateSubscription(
            subscription_id="sub-1a2b3c4d5e6f",
            url="https://agency.example/hook",
            secret="whsec-3b1f6d0c9a8e7f25",
            event_types=["DealClosed", "DealUpdated"],
            owner_role="agency",
            owner_country="CL",
        ),
        n.DeleteSubscription(subscription_id="sub-1a2b3c4d5e6f"),
        n.NotificationSent(
            notification_id="n-4d5e6f7a8b9c",
            source_event_id="6c1f0a52-93d1-4d4e-8f0b-2a1c3e4d5f60",
            recipient=EXPORTER,
            channel="email",
            kind="meeting_scheduled",
        ),
        n.NotificationFailed(
            notification_id="n-4d5e6f7a8b9c",
            source_event_id="6c1f0a52-93d1-4d4e-8f0b-2a1c3e4d5f60",
            recipient="sub-1a2b3c4d5e6f",
            channel="webhook",
            kind="DealClosed",
            attempts=8,
            error="HTTP 500 from the receiver",
        ),
        d.RecordOutcome(
            outcome_id="o-9f8e7d6c5b4a3210",
            meeting_id=MEETING,
            participant_id=EXPORTER,
            reported_by=EXPORTER,
            result="deal",
            immediate_amount=Money(value=Decimal("20000.00"), currency="GBP"),
            projected_12m_amount=Money(value=Decimal("144000.00"), currency="GBP"),
            products=["080810"],
        ),
        d.OutcomeRecorded(
            outcome_id="o-9f8e7d6c5b4a3210",
            meeting_id=MEETING,
            participant_id=EXPORTER,
            result="deal",
            immediate_usd=Decimal("25000.00"),
            projected_12m_usd=Decimal("180000.00"),
            side="exporter",
            products=["080810"],
        ),
        d.DealClosed.model_validate(deal),
        d.DealUpdated.model_validate({**deal, "version": 2}),
    ]
    return {example.event_type(): example for example in found}


def envelope_example(payload: Contract) -> Envelope:
    """`payload` in an envelope with fixed ids and time, as it travels on its topic."""
    module = payload.__module__.split(".")[-1]
    producer = {"outcomes": "registration"}.get(module, module)
    if payload.message_kind == "command":
        producer = "gateway"
    return Envelope.wrap(
        payload,
        producer=producer,
        roundtable_id=ROUNDTABLE,
        correlation_id="req-2020-06-01-0001",
        event_id=uuid.UUID("6c1f0a52-93d1-4d4e-8f0b-2a1c3e4d5f60"),
        occurred_at=dt.datetime(2020, 6, 23, 14, 31, tzinfo=dt.UTC),
    )
