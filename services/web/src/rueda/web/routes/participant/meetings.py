"""The agenda (per day in the viewer's zone, the counterpart's local time beside it), calendar
files, attendance and the outcome report of a meeting."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from rueda.shared.ics import IcsMeeting, build_calendar

from ...client import GatewayError
from ...i18n import Translator
from ...pages import (
    Participant,
    gateway,
    keep_tokens,
    participant,
    posted,
    redirect,
    render,
    translator,
)
from ...session import Session
from .portal import next_meeting

__all__ = ["router"]

router = APIRouter(prefix="/portal")
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
SEEN_KEEP = 80  # meetings whose last seen version the session remembers
RESULTS = ("deal", "negotiating", "no_interest")


def _counterpart(meeting: dict[str, Any], me: str) -> str:
    return str(meeting["importer_id"] if meeting["exporter_id"] == me else meeting["exporter_id"])


def _days(
    t: Translator, meetings: list[dict[str, Any]], me: str, zone: str, seen: dict[str, int]
) -> list[tuple[str, list[dict[str, Any]]]]:
    """Meetings with a slot, grouped by their day in the viewer's zone, in time order."""
    days: dict[str, list[dict[str, Any]]] = {}
    for meeting in sorted(meetings, key=lambda m: str(m.get("starts_at") or "")):
        starts, ends = t.parse_dt(meeting.get("starts_at")), t.parse_dt(meeting.get("ends_at"))
        if starts is None or ends is None:
            continue
        other = _counterpart(meeting, me)
        other_zone = (meeting.get("timezones") or {}).get(other, "UTC")
        previous = seen.get(str(meeting["meeting_id"]))
        days.setdefault(t.date(starts, zone), []).append(
            {
                **meeting,
                "counterpart": other,
                "country": meeting["importer_country"]
                if other == meeting["importer_id"]
                else meeting["exporter_country"],
                "mine": f"{t.time(starts, zone)} \u2013 {t.time(ends, zone)}",
                "theirs": f"{t.time(starts, other_zone)} \u2013 {t.time(ends, other_zone)}",
                "their_zone": t.zone_name(other_zone),
                "changed": previous is not None and previous != meeting.get("sequence", 0),
                "past": ends <= dt.datetime.now(dt.UTC),
            }
        )
    return list(days.items())


async def _mine(request: Request, who: Participant) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    client = gateway(request)
    me, meetings = await asyncio.gather(
        client.participant(who.tokens, who.roundtable_id, who.participant_id),
        client.meetings(who.tokens, who.roundtable_id, who.participant_id),
    )
    keep_tokens(request, who)
    return me, meetings


@router.get("/agenda")
async def agenda(request: Request) -> Response:
    who = participant(request)
    me, meetings = await _mine(request, who)
    t = translator(request)
    zone = me["profile"]["timezone"]
    session = Session.of(request)
    seen: dict[str, int] = dict(session.get("seen") or {})
    days = _days(t, meetings, who.participant_id, zone, seen)
    now = dt.datetime.now(dt.UTC)
    upcoming = next_meeting(meetings, now)
    countdown = ""
    if upcoming is not None:
        starts = t.parse_dt(upcoming["starts_at"])
        assert starts is not None
        countdown = t.until(starts - now)
    waiting = [m for m in meetings if m.get("status") == "waiting"]
    latest = {str(m["meeting_id"]): int(m.get("sequence", 0)) for m in meetings}
    session.set(seen=dict(list({**seen, **latest}.items())[-SEEN_KEEP:]))
    return render(
        request,
        "participant/agenda.html",
        days=days,
        zone=zone,
        zone_name=t.zone_name(zone),
        upcoming=upcoming,
        countdown=countdown,
        waiting=waiting,
        notice=request.query_params.get("notice", ""),
    )


@router.get("/agenda.ics")
async def agenda_ics(request: Request) -> Response:
    who = participant(request)
    body = await gateway(request).agenda_ics(who.tokens, who.roundtable_id, who.participant_id)
    keep_tokens(request, who)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="rueda-agenda.ics"'},
    )


async def _meeting(request: Request, who: Participant, meeting_id: str) -> dict[str, Any]:
    if not ID.fullmatch(meeting_id):
        raise GatewayError(404, "not_found", "no such meeting")
    _, meetings = await _mine(request, who)
    for meeting in meetings:
        if meeting["meeting_id"] == meeting_id:
            return meeting
    raise GatewayError(404, "not_found", "no such meeting")


@router.get("/meetings/{meeting_id}.ics")
async def meeting_ics(request: Request, meeting_id: str) -> Response:
    who = participant(request)
    meeting = await _meeting(request, who, meeting_id)
    t = translator(request)
    starts, ends = t.parse_dt(meeting.get("starts_at")), t.parse_dt(meeting.get("ends_at"))
    if starts is None or ends is None:
        raise GatewayError(409, "not_scheduled", "this meeting has no slot yet")
    calendar = build_calendar(
        [
            IcsMeeting(
                meeting_id=meeting_id,
                starts_at=starts,
                ends_at=ends,
                sequence=int(meeting.get("sequence", 0)),
                counterpart=_counterpart(meeting, who.participant_id),
                join_url=meeting.get("join_url"),
                cancelled=meeting.get("status") == "cancelled",
            )
        ],
        method="PUBLISH",
    )
    return Response(
        calendar,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{meeting_id}.ics"'},
    )


@router.post("/meetings/{meeting_id}/attendance")
async def attendance(request: Request, meeting_id: str) -> Response:
    form = await posted(request)
    who = participant(request)
    if not ID.fullmatch(meeting_id):
        raise GatewayError(404, "not_found", "no such meeting")
    status = "held" if form.get("status") == "held" else "no_show"
    await gateway(request).attendance(who.tokens, who.roundtable_id, meeting_id, status)
    keep_tokens(request, who)
    return redirect("/portal/agenda?notice=attendance")


def _outcome_page(
    request: Request,
    meeting: dict[str, Any],
    roundtable: dict[str, Any],
    values: FormData | None,
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "participant/outcome.html",
        status_code,
        meeting=meeting,
        currencies=sorted((roundtable.get("usd_rates") or {"USD": "1"}).keys()),
        v=values or {},
        errors=errors,
        results=RESULTS,
    )


@router.get("/meetings/{meeting_id}/outcome")
async def outcome_page(request: Request, meeting_id: str) -> Response:
    who = participant(request)
    meeting = await _meeting(request, who, meeting_id)
    roundtable = await gateway(request).roundtable(who.roundtable_id)
    return _outcome_page(request, meeting, roundtable, None, {})


def _amount(form: FormData, name: str) -> dict[str, str] | None:
    value = str(form.get(f"{name}.value", "")).strip().replace(" ", "")
    if not value:
        return None
    return {"value": value, "currency": str(form.get(f"{name}.currency", "USD"))}


@router.post("/meetings/{meeting_id}/outcome")
async def report_outcome(request: Request, meeting_id: str) -> Response:
    form = await posted(request)
    who = participant(request)
    meeting = await _meeting(request, who, meeting_id)
    client = gateway(request)
    t = translator(request)
    result = str(form.get("result", ""))
    products = [p.strip() for p in str(form.get("products", "")).split(",") if p.strip()]
    body = {
        "participant_id": who.participant_id,
        "result": result,
        "immediate_amount": _amount(form, "immediate_amount"),
        "projected_12m_amount": _amount(form, "projected_12m_amount"),
        "products": products,
    }
    errors: dict[str, str] = {}
    if result not in RESULTS:
        errors["result"] = t.gettext("Choose how the meeting went")
    else:
        try:
            await client.report_outcome(who.tokens, who.roundtable_id, meeting_id, body)
        except GatewayError as exc:
            if exc.status not in (409, 422):
                raise
            fields = exc.field_errors()
            for path, message in fields.items():
                top = path.split(".")[0]
                field = f"{top}.value" if top.endswith("_amount") else top
                errors.setdefault(field if field != "participant_id" else "form", message)
            if not errors:
                errors["form"] = exc.message
    keep_tokens(request, who)
    if errors:
        roundtable = await client.roundtable(who.roundtable_id)
        return _outcome_page(request, meeting, roundtable, form, errors, 422)
    return redirect("/portal/agenda?notice=outcome")
