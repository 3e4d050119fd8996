"""The notifications domain: ids, languages, backoff, signatures, reminders, who gets what."""

from __future__ import annotations

import ast
import pathlib
from datetime import UTC, datetime, timedelta

import pytest
from tests.support.notify import MEETING_AT, profile, scheduled

import rueda.notifications.domain as domain
from rueda.notifications.domain import (
    ManualClock,
    SignatureError,
    countries_in,
    email_notices,
    local_time,
    notification_id,
    participants_in,
    pick_language,
    plan_reminders,
    retry_delay,
    sign_webhook,
    subscription_problem,
    subscription_wants,
    verify_webhook,
)
from rueda.shared.contracts import deals as d
from rueda.shared.contracts import matching as m
from rueda.shared.contracts import registration as r
from rueda.shared.contracts import scheduling as s

pytestmark = pytest.mark.unit

EXP = profile("exp-1", country="CL", timezone="America/Santiago", languages=["es"])
IMP = profile("imp-1", role="importer", country="GB", timezone="Europe/London", languages=["en"])


def test_domain_imports_no_io() -> None:
    banned = {"faststream", "pymongo", "httpx", "structlog", "aiosmtplib", "jinja2", "aiokafka"}
    for path in pathlib.Path(domain.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not {n.split(".")[0] for n in names} & banned, (path.name, names)


def test_notification_id_is_stable_per_source_recipient_and_channel() -> None:
    a = notification_id("ev-1", "p-1", "email")
    assert a == notification_id("ev-1", "p-1", "email")
    assert (
        len(
            {
                a,
                notification_id("ev-1", "p-2", "email"),
                notification_id("ev-1", "p-1", "webhook"),
                notification_id("ev-2", "p-1", "email"),
            }
        )
        == 4
    )


@pytest.mark.parametrize(
    ("languages", "expected"),
    [(["es"], "es"), (["fr", "pt-BR"], "pt"), (["EN_gb"], "en"), (["fr"], "en"), ([], "en")],
)
def test_language_is_the_first_one_with_templates(languages: list[str], expected: str) -> None:
    assert pick_language(languages) == expected


def test_retry_delay_grows_exponentially_with_jitter_and_a_cap() -> None:
    low = [retry_delay(n, base_s=1, cap_s=30, rand=lambda: 0.0) for n in range(1, 8)]
    high = [retry_delay(n, base_s=1, cap_s=30, rand=lambda: 1.0) for n in range(1, 8)]
    assert [t.total_seconds() for t in high] == [1, 2, 4, 8, 16, 30, 30]
    assert [t.total_seconds() for t in low] == [0.5, 1, 2, 4, 8, 15, 15]


def test_webhook_signature_verifies_and_rejects_tampering_and_replays() -> None:
    body = b'{"event_type":"DealClosed"}'
    sig = sign_webhook("s3cret-s3cret-s3cret", 1_700_000_000, body)
    assert sig.startswith("v1=")
    verify_webhook(
        "s3cret-s3cret-s3cret", timestamp="1700000000", signature=sig, body=body, now=1_700_000_100
    )
    with pytest.raises(SignatureError, match="mismatch"):
        verify_webhook(
            "s3cret-s3cret-s3cret",
            timestamp="1700000000",
            signature=sig,
            body=body + b" ",
            now=1_700_000_000,
        )
    with pytest.raises(SignatureError, match="mismatch"):
        verify_webhook(
            "another-secret-value",
            timestamp="1700000000",
            signature=sig,
            body=body,
            now=1_700_000_000,
        )
    with pytest.raises(SignatureError, match="tolerance"):
        verify_webhook(
            "s3cret-s3cret-s3cret",
            timestamp="1700000000",
            signature=sig,
            body=body,
            now=1_700_000_000 + 301,
        )


def test_reminders_are_planned_24h_and_15m_before_unless_already_past() -> None:
    now = MEETING_AT - timedelta(days=3)
    plan = plan_reminders("m-1", 2, MEETING_AT, now)
    assert [(p.kind, p.due_at) for p in plan] == [
        ("reminder_24h", MEETING_AT - timedelta(hours=24)),
        ("reminder_15m", MEETING_AT - timedelta(minutes=15)),
    ]
    assert plan[0].reminder_id == "m-1:2:reminder_24h"
    late = plan_reminders("m-1", 2, MEETING_AT, MEETING_AT - timedelta(hours=3))
    assert [p.kind for p in late] == ["reminder_15m"]
    assert plan_reminders("m-1", 2, MEETING_AT, MEETING_AT) == []


def test_each_event_notifies_the_right_participants() -> None:
    def kinds(payload: object) -> list[tuple[str, str]]:
        return [(n.kind, n.participant_id) for n in email_notices(payload)]  # type: ignore[arg-type]

    assert kinds(r.ParticipantRegistered(profile=EXP)) == [("registration_received", "exp-1")]
    assert kinds(r.ParticipantApproved(profile=EXP, reviewed_by="PROCHILE")) == [
        ("registration_approved", "exp-1")
    ]
    assert kinds(r.ParticipantRejected(participant_id="exp-1", reason="x", reviewed_by="a")) == [
        ("registration_rejected", "exp-1")
    ]
    proposal = m.MatchProposal(counterpart_id="imp-1", score=0.8, reasons=["sector"])
    assert kinds(
        m.MatchesProposed(participant_id="exp-1", role="exporter", matches=[proposal])
    ) == [("matches_proposed", "exp-1")]
    assert kinds(m.MatchesProposed(participant_id="exp-1", role="exporter", matches=[])) == []
    expires = MEETING_AT
    assert kinds(
        m.MeetingRequested(
            request_id="q",
            exporter_id="exp-1",
            importer_id="imp-1",
            requested_by="exp-1",
            expires_at=expires,
        )
    ) == [("meeting_requested", "imp-1")]
    assert kinds(
        m.MeetingRequestDeclined(
            request_id="q", exporter_id="exp-1", importer_id="imp-1", declined_by="imp-1"
        )
    ) == [("meeting_declined", "exp-1")]
    assert kinds(
        m.MeetingRequestExpired(
            request_id="q", exporter_id="exp-1", importer_id="imp-1", requested_by="exp-1"
        )
    ) == [("meeting_expired", "exp-1"), ("meeting_expired", "imp-1")]
    assert kinds(scheduled("m-1", EXP, IMP)) == [
        ("meeting_scheduled", "exp-1"),
        ("meeting_scheduled", "imp-1"),
    ]
    moved = scheduled(
        "m-1", EXP, IMP, cls=s.MeetingRescheduled, sequence=1, previous_starts_at=MEETING_AT
    )
    assert kinds(moved)[0] == ("meeting_rescheduled", "exp-1")
    assert kinds(
        s.MeetingCancelled(meeting_id="m-1", exporter_id="exp-1", importer_id="imp-1", sequence=2)
    )[1] == ("meeting_cancelled", "imp-1")
    assert (
        kinds(
            s.MeetingHeld(
                meeting_id="m-1", exporter_id="exp-1", importer_id="imp-1", starts_at=MEETING_AT
            )
        )
        == []
    )
    deal = d.DealClosed(
        deal_id="d",
        meeting_id="m-1",
        agency_code="PROCHILE",
        exporter_id="exp-1",
        exporter_country="CL",
        importer_id="imp-1",
        importer_country="GB",
        sectors=["fruit"],
        products=["0810"],
        status="agreed",
        immediate_usd=1000,
        projected_12m_usd=5000,
        closed_at=MEETING_AT,
    )
    assert kinds(deal) == [("deal_recorded", "exp-1"), ("deal_recorded", "imp-1")]
    assert countries_in(deal) == {"CL", "GB"}
    assert participants_in(deal) == ["exp-1", "imp-1"]
    assert countries_in(r.ParticipantApproved(profile=EXP, reviewed_by="x")) == {"CL"}


def test_agency_subscriptions_only_get_their_countrys_events() -> None:
    def wants(role: str, country: str | None, countries: set[str], types: list[str]) -> bool:
        return subscription_wants(
            event_type="DealClosed",
            event_types=types,
            owner_role=role,
            owner_country=country,
            countries=countries,
        )

    assert wants("agency", "CL", {"CL", "GB"}, ["DealClosed"])
    assert not wants("agency", "PE", {"CL", "GB"}, ["DealClosed"])
    assert not wants("agency", "CL", set(), ["*"])
    assert wants("organizer", None, set(), ["*"])
    assert not wants("organizer", None, {"CL"}, ["MeetingScheduled"])
    assert (
        subscription_problem(
            url="ftp://x", owner_role="admin", owner_country=None, event_types=["*"]
        )[0]
        == "invalid_url"
    )  # type: ignore[index]
    assert (
        subscription_problem(
            url="https://x.test", owner_role="agency", owner_country=None, event_types=["*"]
        )[0]
        == "missing_country"
    )  # type: ignore[index]
    assert (
        subscription_problem(
            url="https://x.test", owner_role="agency", owner_country="CL", event_types=["*"]
        )
        is None
    )


def test_local_time_names_the_zone_and_offset_across_dst() -> None:
    assert (
        local_time(MEETING_AT, "America/Santiago")
        == "2020-06-23 10:00 (America/Santiago, UTC-04:00)"
    )
    assert local_time(MEETING_AT, "Europe/London") == "2020-06-23 15:00 (Europe/London, UTC+01:00)"
    # Chile moved to UTC-3 on 6 September 2020
    after = datetime(2020, 9, 7, 14, 0, tzinfo=UTC)
    assert local_time(after, "America/Santiago").endswith("(America/Santiago, UTC-03:00)")
    clock = ManualClock(MEETING_AT)
    clock.advance(timedelta(minutes=5))
    assert clock.now() == MEETING_AT + timedelta(minutes=5)


def test_auto_mode_agreements_wait_for_the_invitation_and_proposals_are_coalesced() -> None:
    from rueda.shared.contracts import CalendarSettings

    calendar = CalendarSettings(days=[MEETING_AT.date()])
    exporter = m.PartyCalendar(
        participant_id="exp-1", role="exporter", country="CL", timezone="America/Santiago"
    )
    importer = m.PartyCalendar(
        participant_id="imp-1", role="importer", country="GB", timezone="Europe/London"
    )

    def agreed(source: str) -> list[tuple[str, str]]:
        payload = m.MeetingAgreed(
            meeting_id="m-1",
            exporter=exporter,
            importer=importer,
            calendar=calendar,
            score=1.0,
            source=source,
        )  # type: ignore[arg-type]
        return [(n.kind, n.participant_id) for n in email_notices(payload)]

    assert agreed("auto") == []
    assert agreed("request") == [("meeting_agreed", "exp-1"), ("meeting_agreed", "imp-1")]
    proposal = m.MatchProposal(counterpart_id="imp-1", score=0.8, reasons=["sector"])
    (notice,) = email_notices(
        m.MatchesProposed(participant_id="exp-1", role="exporter", matches=[proposal])
    )
    assert notice.coalesce
    (scheduled_notice, _) = email_notices(scheduled("m-1", EXP, IMP))
    assert not scheduled_notice.coalesce
