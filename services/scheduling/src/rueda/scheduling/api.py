"""Read endpoints of the scheduling service, for the gateway (never public on their own).

- `GET /internal/roundtables/{rt}/meetings[?participant_id=&country=&status=]`
- `GET /internal/roundtables/{rt}/meetings/{mid}`
- `GET /internal/roundtables/{rt}/participants/{pid}/agenda.ics[?cancelled=true]`
- `GET /internal/roundtables/{rt}/commands/{command_id}` and `GET /internal/commands/{id}`

The agenda is one calendar per participant built with `rueda.shared.ics`: by default
METHOD:REQUEST with every meeting that holds a slot (scheduled, held, no-show); with
`?cancelled=true` a separate METHOD:CANCEL calendar of the meetings that lost their slot
(cancelled, or unscheduled by a re-optimisation), each with its raised SEQUENCE, so that
importing it removes them from a calendar that imported the first. One METHOD per calendar
is what RFC 5546 allows, hence two calendars.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field

from rueda.shared.contracts import utcnow
from rueda.shared.http import Page
from rueda.shared.ics import IcsMeeting, build_calendar

from .adapters.mongo import CommandLog, MeetingReads

__all__ = ["CommandStatusView", "MeetingView", "build_router"]

Document = dict[str, Any]


class MeetingView(BaseModel):
    """A meeting as the gateway shows it."""

    meeting_id: str
    exporter_id: str
    importer_id: str
    exporter_country: str
    importer_country: str
    starts_at: dt.datetime | None = Field(
        description="UTC start (a cancelled meeting keeps the slot it had); null while waiting."
    )
    ends_at: dt.datetime | None
    local_times: dict[str, str] = Field(description="Start in each party's zone, by id.")
    timezones: dict[str, str]
    join_url: str | None
    table: int | None = Field(default=None, description="Table number (in person), if any.")
    status: Literal["waiting", "scheduled", "cancelled", "held", "no_show"]
    sequence: int
    locked: bool
    reason_code: str | None = Field(default=None, description="Why a waiting meeting waits.")
    reason: str = ""

    @classmethod
    def of(cls, doc: Document) -> MeetingView:
        return cls(
            meeting_id=doc["meeting_id"],
            exporter_id=doc["exporter_id"],
            importer_id=doc["importer_id"],
            exporter_country=doc["exporter_country"],
            importer_country=doc["importer_country"],
            starts_at=_utc(doc.get("starts_at")),
            ends_at=_utc(doc.get("ends_at")),
            local_times=doc.get("local_times") or {},
            timezones=doc.get("timezones") or {},
            join_url=doc.get("join_url"),
            table=doc.get("table"),
            status=doc["status"],
            sequence=doc["sequence"],
            locked=doc["locked"],
            reason_code=doc.get("reason_code"),
            reason=doc.get("reason") or "",
        )


class CommandStatusView(BaseModel):
    """What became of a command (the same shape as every service's command status)."""

    command_id: str
    roundtable_id: str
    type: str
    status: Literal["accepted", "rejected"]
    code: str | None = None
    reason: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    resource: dict[str, str] = Field(default_factory=dict, description="e.g. {meeting_id}")
    at: dt.datetime

    @classmethod
    def of(cls, doc: Document) -> CommandStatusView:
        meeting_id = doc.get("meeting_id")
        return cls(
            command_id=doc["_id"],
            roundtable_id=doc["roundtable_id"],
            type=doc["command_type"],
            status=doc["status"],
            code=doc.get("code"),
            reason=doc.get("reason"),
            details=doc.get("details") or {},
            resource={"meeting_id": meeting_id} if meeting_id else {},
            at=_utc(doc["at"]) or utcnow(),
        )


def build_router(
    reads: Callable[[Request], MeetingReads], commands: Callable[[Request], CommandLog]
) -> APIRouter:
    """The read API; `reads`/`commands` give the stores of the running app."""
    plain = APIRouter(prefix="/internal", tags=["scheduling"])
    router = APIRouter(prefix="/internal/roundtables/{roundtable_id}", tags=["scheduling"])

    @router.get("/meetings", response_model=list[MeetingView])
    async def list_meetings(
        request: Request,
        roundtable_id: str,
        participant_id: str | None = None,
        country: str | None = Query(default=None, pattern=r"^[A-Z]{2}$"),
        status: list[str] | None = Query(default=None),
        page: Page = Depends(),
    ) -> list[MeetingView]:
        docs = await reads(request).meetings(
            roundtable_id, participant_id=participant_id, country=country, statuses=status
        )
        views = [MeetingView.of(doc) for doc in docs]
        return page.cut(views, lambda view: view.meeting_id)

    @router.get("/meetings/{meeting_id}", response_model=MeetingView)
    async def get_meeting(request: Request, roundtable_id: str, meeting_id: str) -> MeetingView:
        doc = await reads(request).meeting(roundtable_id, meeting_id)
        if doc is None:
            raise HTTPException(404, f"no meeting {meeting_id} in roundtable {roundtable_id}")
        return MeetingView.of(doc)

    @router.get(
        "/participants/{participant_id}/agenda.ics",
        response_class=Response,
        responses={200: {"content": {"text/calendar": {}}}},
    )
    async def agenda(
        request: Request, roundtable_id: str, participant_id: str, cancelled: bool = False
    ) -> Response:
        docs = await reads(request).meetings(roundtable_id, participant_id=participant_id)
        if cancelled:
            entries = [_ics(doc, participant_id, gone=True) for doc in docs if _lost_slot(doc)]
            method: Literal["REQUEST", "CANCEL"] = "CANCEL"
        else:
            entries = [
                _ics(doc, participant_id, gone=False)
                for doc in docs
                if doc["status"] in ("scheduled", "held", "no_show")
            ]
            method = "REQUEST"
        body = build_calendar(
            entries,
            method=method,
            dtstamp=utcnow(),
            calendar_name=f"Rueda {roundtable_id}: {participant_id}",
        )
        return Response(
            body,
            media_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": f'inline; filename="{participant_id}-agenda.ics"'},
        )

    @router.get("/commands/{command_id}", response_model=CommandStatusView)
    async def command_status(
        request: Request, roundtable_id: str, command_id: str
    ) -> CommandStatusView:
        doc = await commands(request).find(command_id, roundtable_id=roundtable_id)
        if doc is None:
            raise HTTPException(404, f"command {command_id} not handled (yet)")
        return CommandStatusView.of(doc)

    @plain.get("/commands/{command_id}", response_model=CommandStatusView)
    async def any_command_status(request: Request, command_id: str) -> CommandStatusView:
        """The gateway's status URL asks by command id alone."""
        doc = await commands(request).find(command_id)
        if doc is None:
            raise HTTPException(404, f"command {command_id} not handled (yet)")
        return CommandStatusView.of(doc)

    root = APIRouter()
    root.include_router(router)
    root.include_router(plain)
    return root


def _lost_slot(doc: Document) -> bool:
    """A meeting that had a slot and lost it: cancelled, or waiting again after optimising."""
    if doc["status"] == "cancelled":
        return doc.get("starts_at") is not None or doc.get("last_starts_at") is not None
    return doc["status"] == "waiting" and doc.get("last_starts_at") is not None


def _ics(doc: Document, participant_id: str, *, gone: bool) -> IcsMeeting:
    start = _utc(doc.get("starts_at") or doc.get("last_starts_at"))
    assert start is not None
    end = start + dt.timedelta(minutes=int(doc.get("slot_minutes") or 30))
    if participant_id == doc["exporter_id"]:
        counterpart = f"importer {doc['importer_id']} ({doc['importer_country']})"
    else:
        counterpart = f"exporter {doc['exporter_id']} ({doc['exporter_country']})"
    return IcsMeeting(
        meeting_id=doc["meeting_id"],
        starts_at=start,
        ends_at=end,
        sequence=int(doc["sequence"]),
        counterpart=counterpart,
        join_url=doc.get("join_url"),
        location=None if doc.get("table") is None else f"Table {doc['table']}",
        cancelled=gone,
        description=f"Rueda roundtable {doc['roundtable_id']}",
    )


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
