"""E-mails as written: every kind in es/en/pt, local times of both parties, ICS invitations."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC
from email.message import EmailMessage
from typing import Any

import icalendar
import pytest
from aiosmtplib.email import flatten_message
from tests.support.notify import MEETING_AT, profile, scheduled

from rueda.notifications.compose import EmailComposer
from rueda.notifications.domain import KINDS, LANGUAGES
from rueda.notifications.handlers import email_delivery
from rueda.shared.contracts import scheduling as s

pytestmark = pytest.mark.unit

EXP = profile("exp-1", languages=["es"], company="Frutas del Sur SpA")
IMP = profile(
    "imp-1",
    role="importer",
    country="GB",
    timezone="Europe/London",
    languages=["en"],
    company="London Fine Foods Ltd",
)
COMPOSER = EmailComposer("Rueda <rueda@agencies.example>")


def compose(*args: Any, **kwargs: Any) -> EmailMessage:
    """The e-mail as the recipient's client sees it: written as it goes over SMTP, read back."""
    raw = flatten_message(COMPOSER.compose(*args, **kwargs))
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def person(p: Any) -> dict[str, Any]:
    return {
        "participant_id": p.participant_id,
        "company": p.company.name,
        "country": p.country,
        "timezone": p.timezone,
        "languages": p.languages,
        "contact_name": p.contact.name,
        "email": p.contact.email,
    }


PEOPLE = {"exp-1": person(EXP), "imp-1": person(IMP)}


def delivery(kind: str, payload: Any, to: str = "exp-1", source: str = "ev-1") -> dict[str, Any]:
    doc = email_delivery(
        kind=kind,
        participant_id=to,
        source_id=source,  # type: ignore[arg-type]
        event_type=type(payload).__name__,
        roundtable_id="rt-1",
        data=payload.model_dump(mode="json"),
        occurred_at=MEETING_AT,
        now=MEETING_AT,
    )
    return doc


SAMPLE_DATA = {
    "reason": "incomplete documents",
    "matches": [{"counterpart_id": "imp-1", "score": 0.91, "reasons": ["fresh fruit", "GB"]}],
    "meeting_id": "m-1",
    "exporter_id": "exp-1",
    "importer_id": "imp-1",
    "starts_at": MEETING_AT.isoformat(),
    "ends_at": MEETING_AT.replace(minute=30).isoformat(),
    "timezones": {"exp-1": "America/Santiago", "imp-1": "Europe/London"},
    "join_url": "https://meet.example.test/m-1",
    "sequence": 3,
    "immediate_usd": "150000",
    "projected_12m_usd": "900000",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_in_every_language(kind: str, language: str) -> None:
    context = {
        "name": "Ana",
        "company": "Frutas del Sur SpA",
        "roundtable": "Alianza del Pacífico 2020",
        "reason": "docs",
        "counterpart": "London Fine Foods Ltd",
        "local_start": "2020-06-23 10:00 (America/Santiago, UTC-04:00)",
        "counterpart_start": "2020-06-23 15:00 (Europe/London, UTC+01:00)",
        "join_url": "https://meet.example.test/m-1",
        "matches": [{"name": "London Fine Foods Ltd", "score": 0.9, "reasons": ["fruit"]}],
        "immediate_usd": "1",
        "projected_12m_usd": "2",
    }
    subject, body = COMPOSER.render(kind, language, context)  # type: ignore[arg-type]
    assert subject
    assert "\n" not in subject
    assert "Ana" in body
    assert "Alianza del Pacífico 2020" in body
    if kind.startswith(("meeting_scheduled", "meeting_rescheduled", "reminder")):
        assert "10:00 (America/Santiago, UTC-04:00)" in body
        assert "15:00 (Europe/London, UTC+01:00)" in body


def test_language_subject_and_times_follow_the_recipient() -> None:
    placed = scheduled("m-1", EXP, IMP, sequence=3)
    to_exp = compose(delivery("meeting_scheduled", placed), people=PEOPLE, roundtable="RT")
    to_imp = compose(
        delivery("meeting_scheduled", placed, to="imp-1"), people=PEOPLE, roundtable="RT"
    )
    assert to_exp["To"] == "Contact exp-1 <exp-1@example.test>"
    assert to_exp["Content-Language"] == "es"
    assert to_imp["Content-Language"] == "en"
    assert to_exp["Subject"].startswith("Reunión con London Fine Foods Ltd: 2020-06-23 10:00")
    assert to_imp["Subject"].startswith("Meeting with Frutas del Sur SpA: 2020-06-23 15:00")
    text = to_imp.get_body(preferencelist=("plain",)).get_content()
    assert "When: 2020-06-23 15:00 (Europe/London, UTC+01:00)" in text
    assert "Frutas del Sur SpA (local time): 2020-06-23 10:00 (America/Santiago, UTC-04:00)" in text
    assert (
        to_exp["Message-ID"] == f"<{delivery('meeting_scheduled', placed)['_id']}@agencies.example>"
    )


def ics_of(message: Any) -> icalendar.Calendar:
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return icalendar.Calendar.from_ical(parts[0].get_content())


def test_ics_request_then_cancel_keep_the_uid_and_raise_the_sequence() -> None:
    placed = scheduled("m-1", EXP, IMP, sequence=3)
    invite = ics_of(compose(delivery("meeting_scheduled", placed), people=PEOPLE, roundtable="RT"))
    assert str(invite["METHOD"]) == "REQUEST"
    event = invite.walk("VEVENT")[0]
    assert str(event["UID"]) == "m-1@rueda"
    assert int(event["SEQUENCE"]) == 3
    assert event.decoded("DTSTART") == MEETING_AT
    assert event.decoded("DTSTART").tzinfo is not None
    assert event.decoded("DTSTART").utcoffset().total_seconds() == 0
    attendees = sorted(str(a) for a in event.get("ATTENDEE"))
    assert attendees == ["mailto:exp-1@example.test", "mailto:imp-1@example.test"]

    cancel = s.MeetingCancelled(
        meeting_id="m-1",
        exporter_id="exp-1",
        importer_id="imp-1",
        sequence=4,
        reason="importer travelling",
    )
    meeting = {
        "starts_at": MEETING_AT,
        "ends_at": MEETING_AT.replace(minute=30),
        "timezones": SAMPLE_DATA["timezones"],
    }
    message = compose(
        delivery("meeting_cancelled", cancel, source="ev-2"),
        people=PEOPLE,
        roundtable="RT",
        meeting=meeting,
    )
    cal = ics_of(message)
    assert str(cal["METHOD"]) == "CANCEL"
    event = cal.walk("VEVENT")[0]
    assert (str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])) == (
        "m-1@rueda",
        4,
        "CANCELLED",
    )
    assert event.decoded("DTSTART").astimezone(UTC) == MEETING_AT
    assert "importer travelling" in message.get_body(preferencelist=("plain",)).get_content()


def test_matches_email_lists_the_top_few_with_reasons() -> None:
    from rueda.shared.contracts import matching as m

    proposals = [
        m.MatchProposal(counterpart_id=f"imp-{i}", score=1 - i / 10, reasons=[f"reason {i}"])
        for i in range(1, 6)
    ]
    payload = m.MatchesProposed(participant_id="exp-1", role="exporter", matches=proposals)
    message = compose(delivery("matches_proposed", payload), people=PEOPLE, roundtable="RT")
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "1. London Fine Foods Ltd (puntaje 0.90): reason 1" in text
    assert "3. imp-3" in text
    assert "imp-4" not in text
    assert message.get_content_type() == "text/plain"


def test_an_invitation_is_text_and_calendar_alternatives_plus_an_ics_file_in_7_bit() -> None:
    placed = scheduled("m-1", EXP, IMP, sequence=2)
    raw = flatten_message(
        COMPOSER.compose(delivery("meeting_scheduled", placed), people=PEOPLE, roundtable="RT")
    )
    assert raw.isascii()  # accents travel encoded (RFC 2047 headers, quoted-printable bodies)
    assert max(len(line.rstrip(b"\r")) for line in raw.split(b"\n")) <= 998
    message = compose(delivery("meeting_scheduled", placed), people=PEOPLE, roundtable="RT")
    assert [p.get_content_type() for p in message.walk()] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/calendar",
        "application/ics",
    ]
    subject, _ = COMPOSER.render(
        "meeting_scheduled",
        "es",
        {
            "name": "Contact exp-1",
            "company": "Frutas del Sur SpA",
            "roundtable": "RT",
            "reason": "",
            "counterpart": "London Fine Foods Ltd",
            "local_start": "2020-06-23 10:00 (America/Santiago, UTC-04:00)",
            "counterpart_start": "2020-06-23 15:00 (Europe/London, UTC+01:00)",
            "join_url": "https://meet.example.test/m-1",
            "matches": [],
            "immediate_usd": "",
            "projected_12m_usd": "",
        },
    )
    assert message["Subject"] == subject
    calendar = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content().decode().replace("\r\n", "\n") == (
        calendar.get_content().replace("\r\n", "\n")
    )
    assert "Cuándo: 2020-06-23 10:00" in message.get_body(preferencelist=("plain",)).get_content()
