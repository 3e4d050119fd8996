"""Which notices an event causes, for whom; which participants and countries it concerns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from urllib.parse import urlsplit

from rueda.shared.contracts import Contract
from rueda.shared.contracts import deals as d
from rueda.shared.contracts import matching as m
from rueda.shared.contracts import registration as r
from rueda.shared.contracts import scheduling as s

__all__ = [
    "KINDS",
    "REMINDER_OFFSETS",
    "Kind",
    "Notice",
    "Reminder",
    "countries_in",
    "email_notices",
    "https_on_443",
    "participants_in",
    "plan_reminders",
    "reminder_id",
    "subscription_problem",
    "subscription_wants",
]

Kind = Literal[
    "registration_received",
    "registration_approved",
    "registration_rejected",
    "matches_proposed",
    "meeting_requested",
    "meeting_agreed",
    "meeting_declined",
    "meeting_expired",
    "meeting_scheduled",
    "meeting_rescheduled",
    "meeting_cancelled",
    "reminder_24h",
    "reminder_15m",
    "deal_recorded",
]
KINDS: tuple[Kind, ...] = (
    "registration_received",
    "registration_approved",
    "registration_rejected",
    "matches_proposed",
    "meeting_requested",
    "meeting_agreed",
    "meeting_declined",
    "meeting_expired",
    "meeting_scheduled",
    "meeting_rescheduled",
    "meeting_cancelled",
    "reminder_24h",
    "reminder_15m",
    "deal_recorded",
)

#: reminder kind -> how long before the meeting it is due
REMINDER_OFFSETS: dict[Kind, timedelta] = {
    "reminder_24h": timedelta(hours=24),
    "reminder_15m": timedelta(minutes=15),
}


@dataclass(frozen=True)
class Notice:
    """One e-mail to write: a kind of message for one participant."""

    kind: Kind
    participant_id: str
    coalesce: bool = False
    """One e-mail per participant and day, sent after a delay with the latest data: match
    proposals change with every approval while a roundtable fills up."""


def _both(kind: Kind, exporter_id: str, importer_id: str) -> list[Notice]:
    return [Notice(kind, exporter_id), Notice(kind, importer_id)]


def _other(exporter_id: str, importer_id: str, party: str) -> str:
    return importer_id if party == exporter_id else exporter_id


def email_notices(payload: Contract) -> list[Notice]:
    """The e-mails an event causes (none for events participants are not told about)."""
    match payload:
        case r.ParticipantRegistered(profile=p):
            return [Notice("registration_received", p.participant_id)]
        case r.ParticipantApproved(profile=p):
            return [Notice("registration_approved", p.participant_id)]
        case r.ParticipantRejected(participant_id=pid):
            return [Notice("registration_rejected", pid)]
        case m.MatchesProposed(participant_id=pid, matches=matches) if matches:
            return [Notice("matches_proposed", pid, coalesce=True)]
        case m.MeetingRequested(exporter_id=e, importer_id=i, requested_by=by):
            return [Notice("meeting_requested", _other(e, i, by))]
        case m.MeetingAgreed(exporter=e, importer=i, source="request"):
            # in auto mode the invitation of `MeetingScheduled` follows within seconds
            return _both("meeting_agreed", e.participant_id, i.participant_id)
        case m.MeetingRequestDeclined(exporter_id=e, importer_id=i, declined_by=by):
            return [Notice("meeting_declined", _other(e, i, by))]
        case m.MeetingRequestExpired(exporter_id=e, importer_id=i):
            return _both("meeting_expired", e, i)
        case s.MeetingRescheduled(exporter_id=e, importer_id=i):
            return _both("meeting_rescheduled", e, i)
        case s.MeetingScheduled(exporter_id=e, importer_id=i):
            return _both("meeting_scheduled", e, i)
        case s.MeetingCancelled(exporter_id=e, importer_id=i):
            return _both("meeting_cancelled", e, i)
        case d.DealClosed(exporter_id=e, importer_id=i):
            return _both("deal_recorded", e, i)
    return []


def participants_in(payload: Contract) -> list[str]:
    """Participant ids an event is about (for webhook country filters)."""
    found: list[str] = []
    data = payload.model_dump()
    for key in ("participant_id", "exporter_id", "importer_id"):
        value = data.get(key)
        if isinstance(value, str):
            found.append(value)
    for key in ("profile", "exporter", "importer"):
        nested = data.get(key)
        if isinstance(nested, dict) and isinstance(nested.get("participant_id"), str):
            found.append(nested["participant_id"])
    return list(dict.fromkeys(found))


def countries_in(payload: Contract) -> set[str]:
    """Countries an event names directly (profiles, parties, deal sides)."""
    found: set[str] = set()
    data = payload.model_dump()
    for key in ("exporter_country", "importer_country", "country"):
        value = data.get(key)
        if isinstance(value, str):
            found.add(value)
    for key in ("profile", "exporter", "importer"):
        nested = data.get(key)
        if isinstance(nested, dict) and isinstance(nested.get("country"), str):
            found.add(nested["country"])
    return found


def subscription_wants(
    *,
    event_type: str,
    event_types: Iterable[str],
    owner_role: str,
    owner_country: str | None,
    countries: set[str],
) -> bool:
    """Whether a webhook subscription receives an event.

    `*` subscribes to every event type. An agency only receives events that concern a
    participant of its own country; events about no participant never reach an agency.
    """
    types = set(event_types)
    if "*" not in types and event_type not in types:
        return False
    if owner_role == "agency":
        return owner_country is not None and owner_country in countries
    return True


@dataclass(frozen=True)
class Reminder:
    """A reminder due before one version (`sequence`) of a meeting."""

    reminder_id: str
    kind: Kind
    meeting_id: str
    sequence: int
    starts_at: datetime
    due_at: datetime


def reminder_id(meeting_id: str, sequence: int, kind: Kind) -> str:
    return f"{meeting_id}:{sequence}:{kind}"


def plan_reminders(
    meeting_id: str, sequence: int, starts_at: datetime, now: datetime
) -> list[Reminder]:
    """The reminders of a meeting version that are still ahead (past ones are not sent late)."""
    plan = []
    for kind, before in REMINDER_OFFSETS.items():
        due = starts_at - before
        if due > now:
            plan.append(
                Reminder(
                    reminder_id(meeting_id, sequence, kind),
                    kind,
                    meeting_id,
                    sequence,
                    starts_at,
                    due,
                )
            )
    return plan


def subscription_problem(
    *,
    url: str,
    owner_role: str,
    owner_country: str | None,
    event_types: Iterable[str],
    https_only: bool = False,
) -> tuple[str, str] | None:
    """Why a subscription cannot be created, as (code, reason); None if it can.
    `https_only` (production): https on port 443, nothing else."""
    if not (url.startswith("https://") or url.startswith("http://")):
        return "invalid_url", "the webhook URL must be http:// or https://"
    if https_only and not https_on_443(url):
        return "invalid_url", "the webhook URL must be https:// on port 443"
    if owner_role == "agency" and not owner_country:
        return "missing_country", "an agency subscription needs the agency's country"
    if not [t for t in event_types if t.strip()]:
        return "no_event_types", "name at least one event type, or `*`"
    return None


def https_on_443(url: str) -> bool:
    """Whether `url` is https on the default port (443), with a host and no user info."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme == "https"
        and bool(parts.hostname)
        and port in (None, 443)
        and "@" not in parts.netloc
    )
