"""Writing one e-mail: the Jinja2 templates in the participant's language, local times for
both parties, and the shared ICS builder's invitation for meeting messages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import formataddr, parseaddr
from functools import cached_property
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from rueda.shared.ics import IcsAttendee, IcsMeeting, Method, build_calendar

from .domain import Kind, local_time, pick_language

__all__ = ["EmailComposer", "HeaderInjectionError", "participants_needed", "parties_of"]

Document = dict[str, Any]

_MEETING_ICS: dict[str, Method] = {
    "meeting_scheduled": "REQUEST",
    "meeting_rescheduled": "REQUEST",
    "meeting_cancelled": "CANCEL",
}


# Messages are built with the `email.mime` classes (the compat32 policy) rather than
# `EmailMessage`: the latter parses every header it is given through the header registry
# (and again when it is written), which made composing and writing an invitation take about
# 7.7 ms against 0.9 ms, most of the notifications service's time at full size. Non-ASCII
# headers are encoded explicitly (RFC 2047), bodies as quoted-printable UTF-8.
_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP


class HeaderInjectionError(ValueError):
    """A header value holds a line break: written as is, it would start a header or a body."""


def _one_line(value: str) -> str:
    # splitlines() breaks on every line boundary Python knows: CR, LF, VT, FF, FS, GS, RS,
    # NEL, U+2028, U+2029. The contracts refuse them already; this is the last fence.
    if len(value.splitlines()) > 1 or value.endswith(("\r", "\n")):
        raise HeaderInjectionError(f"line break in a header value: {value!r}")
    return value


def _header(value: str) -> str | Header:
    value = _one_line(value)
    return value if value.isascii() else Header(value, _UTF8)


def _set_headers(message: Message, headers: Mapping[str, str]) -> None:
    """Set each header, refusing any value with a line break (the only way headers are set)."""
    for name, value in headers.items():
        message[name] = _header(value)  # type: ignore[assignment]  # compat32 takes a Header


def _text(content: str, subtype: str) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype, charset="utf-8")
    part.set_payload(content, _UTF8)
    return part


def _address(value: str) -> str:
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8") if name else address


def _dt(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def parties_of(data: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(exporter_id, importer_id) of a meeting-like payload or meeting snapshot."""
    exporter = data.get("exporter_id") or (data.get("exporter") or {}).get("participant_id")
    importer = data.get("importer_id") or (data.get("importer") or {}).get("participant_id")
    return exporter, importer


def participants_needed(delivery: Mapping[str, Any], top_matches: int) -> list[str]:
    """Participant ids whose profiles an e-mail needs: its recipient and counterparts."""
    data = delivery["data"]
    ids = [delivery["participant_id"], *(p for p in parties_of(data) if p)]
    ids += [m["counterpart_id"] for m in data.get("matches", [])[:top_matches]]
    return list(dict.fromkeys(ids))


class EmailComposer:
    """Renders deliveries into e-mails. Same delivery, same bytes (but for the Date header)."""

    def __init__(self, mail_from: str, *, top_matches: int = 3) -> None:
        self.mail_from = mail_from
        self.top_matches = top_matches
        self._env = Environment(
            loader=PackageLoader("rueda.notifications", "templates"),
            undefined=StrictUndefined,
            autoescape=False,
            trim_blocks=False,
            keep_trailing_newline=False,
        )

    @cached_property
    def _domain(self) -> str:
        address = parseaddr(self.mail_from)[1]
        return address.rpartition("@")[2] or "rueda.localhost"

    def message_id(self, notification_id: str) -> str:
        """Stable per notification: a copy sent twice carries the same Message-ID."""
        return f"<{notification_id}@{self._domain}>"

    def render(self, kind: Kind, language: str, context: Mapping[str, Any]) -> tuple[str, str]:
        module = self._env.get_template(f"{language}.txt.j2").module
        subject = str(module.subject(kind, context)).strip()  # type: ignore[attr-defined]
        body = str(module.body(kind, context)).strip() + "\n"  # type: ignore[attr-defined]
        return subject, body

    def compose(
        self,
        delivery: Mapping[str, Any],
        *,
        people: Mapping[str, Document],
        roundtable: str,
        meeting: Mapping[str, Any] | None = None,
    ) -> Message[Any, Any]:
        """The e-mail of one delivery. `people` maps participant ids to projection documents
        and must hold the recipient; `meeting` is the meeting projection, for times a
        cancellation does not carry."""
        kind: Kind = delivery["kind"]
        data: Mapping[str, Any] = delivery["data"]
        me = people[delivery["participant_id"]]
        language = pick_language(me.get("languages", []))
        exporter_id, importer_id = parties_of(data)
        counterpart_id = importer_id if me["participant_id"] == exporter_id else exporter_id
        other = people.get(counterpart_id or "", {})
        zones: Mapping[str, str] = data.get("timezones") or (meeting or {}).get("timezones") or {}
        my_zone = zones.get(me["participant_id"]) or me.get("timezone") or "UTC"
        other_zone = zones.get(counterpart_id or "") or other.get("timezone") or "UTC"
        starts_at = _dt(data.get("starts_at")) or _dt((meeting or {}).get("starts_at"))
        ends_at = _dt(data.get("ends_at")) or _dt((meeting or {}).get("ends_at"))
        context: dict[str, Any] = {
            "name": me.get("contact_name") or me.get("company", ""),
            "company": me.get("company", ""),
            "roundtable": roundtable,
            "reason": data.get("reason", ""),
            "counterpart": other.get("company") or counterpart_id or "",
            "local_start": local_time(starts_at, my_zone) if starts_at else None,
            "counterpart_start": local_time(starts_at, other_zone) if starts_at else None,
            "join_url": data.get("join_url") or (meeting or {}).get("join_url"),
            "location": data.get("location") or (meeting or {}).get("location") or "",
            "matches": [
                {
                    "name": people.get(m["counterpart_id"], {}).get("company")
                    or m["counterpart_id"],
                    "score": float(m["score"]),
                    "reasons": m.get("reasons", [])[:3],
                }
                for m in data.get("matches", [])[: self.top_matches]
            ],
            "immediate_usd": data.get("immediate_usd", ""),
            "projected_12m_usd": data.get("projected_12m_usd", ""),
        }
        subject, body = self.render(kind, language, context)

        text = _text(body, "plain")
        message: Message[Any, Any] = text
        method = _MEETING_ICS.get(kind)
        if method and starts_at and ends_at and data.get("meeting_id"):
            ics = build_calendar(
                [
                    IcsMeeting(
                        meeting_id=data["meeting_id"],
                        starts_at=starts_at,
                        ends_at=ends_at,
                        sequence=int(data.get("sequence", 0)),
                        counterpart=other.get("company") or counterpart_id,
                        join_url=context["join_url"],
                        location=context["location"] or None,
                        summary=subject,
                        organizer=IcsAttendee(parseaddr(self.mail_from)[1], "Rueda"),
                        attendees=[
                            IcsAttendee(p["email"], p.get("contact_name"))
                            for p in (me, other)
                            if p.get("email")
                        ],
                    )
                ],
                method=method,
                dtstamp=_dt(delivery["occurred_at"]),
            )
            # what calendar clients expect: the text and the invitation as alternatives,
            # and the invitation again as an .ics attachment
            calendar = _text(ics, "calendar")
            calendar.set_param("method", method)
            alternative = MIMEMultipart("alternative")
            alternative.attach(text)
            alternative.attach(calendar)
            attachment = MIMEApplication(ics.encode(), "ics")
            attachment.add_header("Content-Disposition", "attachment", filename="invite.ics")
            message = MIMEMultipart("mixed")
            message.attach(alternative)
            message.attach(attachment)
        _set_headers(
            message,
            {
                "From": _address(self.mail_from),
                "To": formataddr(
                    (_one_line(me.get("contact_name") or ""), _one_line(me["email"])),
                    charset="utf-8",
                ),
                "Subject": subject,
                "Message-ID": self.message_id(delivery["_id"]),
                "X-Rueda-Notification-Id": delivery["_id"],
                "X-Rueda-Kind": kind,
                "Content-Language": language,
            },
        )
        return message
