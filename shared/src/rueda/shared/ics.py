"""iCalendar (RFC 5545) invitations for scheduled meetings: one builder every service shares.

Pure: no I/O, no clock unless the caller leaves `dtstamp` out. Scheduling serves agendas
with it and notifications attaches the same bytes to its e-mails, so a calendar client sees
one event per meeting whichever way it arrived:

- the UID is stable per meeting (`<meeting_id>@rueda`), so a later message updates the
  same entry instead of adding a second one;
- SEQUENCE is the meeting's own `sequence` (raised by scheduling on every change), so a
  client applies a reschedule or cancellation only if it is newer than what it holds;
- DTSTART/DTEND are always written in UTC (`...Z`): no VTIMEZONE is needed and a client
  shows the meeting in its user's own zone;
- METHOD:REQUEST invites (or updates), METHOD:CANCEL cancels (each VEVENT then carries
  STATUS:CANCELLED), METHOD:PUBLISH is a plain read-only feed.

Text is escaped (backslash, semicolon, comma, newline) and content lines are folded at 75
octets without splitting a UTF-8 character; every line ends with CRLF.

RFC 5546 (iTIP) expects one UID per REQUEST/CANCEL message; `build_calendar` accepts many
meetings for agenda exports, and an e-mail invitation should carry one meeting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

__all__ = [
    "IcsAttendee",
    "IcsMeeting",
    "Method",
    "build_calendar",
    "escape_text",
    "fold_line",
    "format_utc",
    "meeting_uid",
]

Method = Literal["REQUEST", "CANCEL", "PUBLISH"]

PRODID = "-//Rueda//Rueda roundtables//EN"
UID_DOMAIN = "rueda"
_FOLD_AT = 75  # octets per physical line, CRLF excluded (RFC 5545 section 3.1)


@dataclass(frozen=True, slots=True)
class IcsAttendee:
    """A person on the invitation: written as `mailto:` with an optional common name."""

    email: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class IcsMeeting:
    """One meeting as a calendar entry.

    `summary` defaults to "Meeting with <counterpart>" (or "Rueda meeting"); the
    description gets the counterpart and the join URL appended, and the join URL is also
    written as LOCATION and URL so every client shows it somewhere. An in-person meeting's
    ``location`` (its table, "Table 12") is the LOCATION instead.
    """

    meeting_id: str
    starts_at: datetime
    ends_at: datetime
    sequence: int = 0
    counterpart: str | None = None
    join_url: str | None = None
    summary: str | None = None
    description: str = ""
    organizer: IcsAttendee | None = None
    attendees: Sequence[IcsAttendee] = field(default_factory=tuple)
    cancelled: bool = False
    location: str | None = None


def meeting_uid(meeting_id: str) -> str:
    """The stable UID of a meeting's calendar entry."""
    return f"{meeting_id}@{UID_DOMAIN}"


def format_utc(moment: datetime) -> str:
    """An aware datetime as an RFC 5545 UTC DATE-TIME (`20200623T140000Z`)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: a time zone is required")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 section 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def _param_value(value: str) -> str:
    """A parameter value: DQUOTE is not allowed at all, and `:;,` force quoting."""
    cleaned = "".join(ch for ch in value if ch not in '"\r\n' and (ch >= " " or ch == "\t"))
    if any(ch in cleaned for ch in ":;,"):
        return f'"{cleaned}"'
    return cleaned


def fold_line(line: str) -> str:
    """Fold one content line at 75 octets; continuation lines start with one space.

    Never splits a multi-byte UTF-8 character. Returns the folded line without the final
    CRLF.
    """
    encoded = line.encode("utf-8")
    if len(encoded) <= _FOLD_AT:
        return line
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    limit = _FOLD_AT
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size = [], 0
            limit = _FOLD_AT - 1  # the leading space of a continuation line counts
        current.append(ch)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _person(prop: str, person: IcsAttendee, extra: str = "") -> str:
    params = extra
    if person.name:
        params += f";CN={_param_value(person.name)}"
    return f"{prop}{params}:mailto:{person.email.strip()}"


def _event_lines(meeting: IcsMeeting, method: Method, dtstamp: str) -> list[str]:
    start, end = format_utc(meeting.starts_at), format_utc(meeting.ends_at)
    if meeting.ends_at <= meeting.starts_at:
        raise ValueError(f"meeting {meeting.meeting_id} ends before it starts")
    if meeting.sequence < 0:
        raise ValueError(f"meeting {meeting.meeting_id} has a negative sequence")
    cancelled = meeting.cancelled or method == "CANCEL"
    summary = meeting.summary or (
        f"Meeting with {meeting.counterpart}" if meeting.counterpart else "Rueda meeting"
    )
    description_parts = [meeting.description] if meeting.description else []
    if meeting.counterpart:
        description_parts.append(f"Counterpart: {meeting.counterpart}")
    if meeting.location:
        description_parts.append(f"Where: {meeting.location}")
    if meeting.join_url:
        description_parts.append(f"Join: {meeting.join_url}")
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(meeting_uid(meeting.meeting_id))}",
        f"SEQUENCE:{meeting.sequence}",
        f"DTSTAMP:{dtstamp}",
        f"DTSTART:{start}",
        f"DTEND:{end}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if description_parts:
        lines.append(f"DESCRIPTION:{escape_text(chr(10).join(description_parts))}")
    if meeting.location:
        lines.append(f"LOCATION:{escape_text(meeting.location)}")
    elif meeting.join_url:
        lines.append(f"LOCATION:{escape_text(meeting.join_url)}")
        # URL is a URI value, not TEXT: it is not escaped.
        lines.append(f"URL:{meeting.join_url}")
    if meeting.organizer is not None:
        lines.append(_person("ORGANIZER", meeting.organizer))
    for attendee in meeting.attendees:
        rsvp = ";RSVP=TRUE" if method == "REQUEST" and not cancelled else ""
        lines.append(
            _person(
                "ATTENDEE",
                attendee,
                f";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION{rsvp}",
            )
        )
    lines.append("STATUS:CANCELLED" if cancelled else "STATUS:CONFIRMED")
    lines.append("TRANSP:OPAQUE")
    lines.append("END:VEVENT")
    return lines


def build_calendar(
    meetings: Iterable[IcsMeeting],
    *,
    method: Method = "REQUEST",
    dtstamp: datetime | None = None,
    calendar_name: str | None = None,
) -> str:
    """A complete VCALENDAR for the meetings, with CRLF line ends and folded lines.

    `dtstamp` is when the message was created (UTC); it defaults to now. Raises
    `ValueError` for a naive datetime, a meeting that ends before it starts or a negative
    sequence.
    """
    stamp = format_utc(dtstamp if dtstamp is not None else datetime.now(UTC))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
    ]
    if calendar_name:
        lines.append(f"X-WR-CALNAME:{escape_text(calendar_name)}")
    for meeting in meetings:
        lines.extend(_event_lines(meeting, method, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) + "\r\n" for line in lines)
