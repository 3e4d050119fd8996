"""The signed-in participant: its status, matches, requests, profile and notifications."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...client import GatewayError
from ...pages import gateway, keep_tokens, participant, posted, redirect, render, translator

__all__ = ["next_meeting", "router"]

router = APIRouter(prefix="/portal")
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def next_meeting(meetings: list[dict[str, Any]], now: dt.datetime) -> dict[str, Any] | None:
    """The next scheduled meeting that has not ended."""
    ahead = [
        m
        for m in meetings
        if m.get("status") == "scheduled"
        and m.get("ends_at")
        and dt.datetime.fromisoformat(str(m["ends_at"]).replace("Z", "+00:00")) > now
    ]
    return min(ahead, key=lambda m: str(m["starts_at"]), default=None)


@router.get("")
async def status(request: Request) -> Response:
    who = participant(request)
    client = gateway(request)
    me, roundtable = await asyncio.gather(
        client.participant(who.tokens, who.roundtable_id, who.participant_id),
        client.roundtable(who.roundtable_id),
    )
    meetings: list[dict[str, Any]] = []
    if me.get("status") == "approved":
        meetings = await client.meetings(who.tokens, who.roundtable_id, who.participant_id)
    keep_tokens(request, who)
    now = dt.datetime.now(dt.UTC)
    upcoming = next_meeting(meetings, now)
    t = translator(request)
    countdown = ""
    if upcoming is not None:
        starts = t.parse_dt(upcoming["starts_at"])
        assert starts is not None
        countdown = t.until(starts - now)
    return render(
        request,
        "participant/status.html",
        me=me,
        roundtable=roundtable,
        zone=me["profile"]["timezone"],
        upcoming=upcoming,
        countdown=countdown,
    )


@router.get("/matches")
async def matches(request: Request) -> Response:
    who = participant(request)
    client = gateway(request)
    roundtable = await client.roundtable(who.roundtable_id)
    try:
        found = await client.matches(who.tokens, who.roundtable_id, who.participant_id)
    except GatewayError as exc:
        if exc.status != 404:  # not approved yet: matching does not know it
            raise
        found = []
    requested: set[str] = set()
    if (roundtable.get("matching") or {}).get("mode") == "request":
        for r in await client.meeting_requests(who.tokens, who.roundtable_id, who.participant_id):
            if r.get("status") in ("pending", "accepted"):
                requested |= {str(r.get("exporter_id")), str(r.get("importer_id"))}
    keep_tokens(request, who)
    return render(
        request,
        "participant/matches.html",
        matches=found,
        request_mode=(roundtable.get("matching") or {}).get("mode") == "request",
        requested=requested,
    )


@router.get("/requests")
async def requests_page(request: Request) -> Response:
    who = participant(request)
    found = await gateway(request).meeting_requests(
        who.tokens, who.roundtable_id, who.participant_id
    )
    keep_tokens(request, who)
    received = [r for r in found if r.get("requested_of") == who.participant_id]
    sent = [r for r in found if r.get("requested_by") == who.participant_id]
    return render(
        request,
        "participant/requests.html",
        received=received,
        sent=sent,
        me=who.participant_id,
        notice=request.query_params.get("notice", ""),
    )


@router.post("/requests")
async def request_meeting(request: Request) -> Response:
    form = await posted(request)
    who = participant(request)
    other = str(form.get("counterpart", ""))
    if not ID.fullmatch(other):
        raise GatewayError(404, "not_found", "no such counterpart")
    await gateway(request).request_meeting(who.tokens, who.roundtable_id, who.participant_id, other)
    keep_tokens(request, who)
    return redirect("/portal/requests?notice=sent")


@router.post("/requests/{request_id}/response")
async def respond(request: Request, request_id: str) -> Response:
    form = await posted(request)
    who = participant(request)
    if not ID.fullmatch(request_id):
        raise GatewayError(404, "not_found", "no such request")
    accept = form.get("answer") == "accept"
    await gateway(request).respond(who.tokens, who.roundtable_id, request_id, accept)
    keep_tokens(request, who)
    return redirect(f"/portal/requests?notice={'accepted' if accept else 'declined'}")


@router.get("/profile")
async def profile(request: Request) -> Response:
    who = participant(request)
    me = await gateway(request).participant(who.tokens, who.roundtable_id, who.participant_id)
    keep_tokens(request, who)
    return render(request, "participant/profile.html", me=me, profile=me["profile"])


@router.post("/withdraw")
async def withdraw(request: Request) -> Response:
    form = await posted(request)
    who = participant(request)
    t = translator(request)
    if form.get("confirm") != "yes":
        me = await gateway(request).participant(who.tokens, who.roundtable_id, who.participant_id)
        errors = {"confirm": t.gettext("Tick the box to confirm that you withdraw")}
        return render(
            request, "participant/profile.html", 422, me=me, profile=me["profile"], errors=errors
        )
    reason = str(form.get("reason", ""))[:1000]
    await gateway(request).withdraw(who.tokens, who.roundtable_id, who.participant_id, reason)
    keep_tokens(request, who)
    return redirect("/portal")


@router.get("/notifications")
async def notifications(request: Request) -> Response:
    who = participant(request)
    me, found = await asyncio.gather(
        gateway(request).participant(who.tokens, who.roundtable_id, who.participant_id),
        gateway(request).notifications(who.tokens, who.roundtable_id, who.participant_id),
    )
    keep_tokens(request, who)
    found.sort(key=lambda d: str(d.get("created_at", "")), reverse=True)
    return render(
        request,
        "participant/notifications.html",
        notifications=found,
        zone=me["profile"]["timezone"],
    )
