"""Meetings, agendas and schedule changes (scheduling service).

Who may do what:
- read meetings: the organizer of the roundtable and admins see all; an agency sees the
  meetings where a party is of its country; a participant sees only its own;
- agenda.ics of a participant: itself, its agency, the organizer, admins;
- cancel or reschedule a meeting: one of its two parties, the organizer, admins;
- record attendance: one of its two parties, the organizer, admins;
- lock or unlock a meeting, re-optimise the schedule: the organizer and admins.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from rueda.shared.contracts import Command, topic
from rueda.shared.contracts.common import FreeText
from rueda.shared.contracts.scheduling import (
    CancelMeeting,
    LockMeeting,
    OptimizeSchedule,
    RecordAttendance,
    RescheduleMeeting,
)

from ..auth import CurrentPrincipal, Principal
from ..errors import ApiError
from .common import (
    ERRORS,
    ID,
    Accepted,
    Paged,
    ParticipantId,
    RoundtableId,
    bus,
    page_of,
    service,
)
from .registration import participant_in_scope

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["scheduling"], responses=ERRORS)
COMMANDS = topic("scheduling.commands.v1")
MeetingId = Annotated[str, Path(pattern=ID, description="Meeting id")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MeetingOut(BaseModel):
    """A meeting: UTC times, each party's local start, the video room."""

    meeting_id: str
    exporter_id: str
    importer_id: str
    exporter_country: str
    importer_country: str
    starts_at: dt.datetime | None = Field(description="UTC; null while waiting for a slot.")
    ends_at: dt.datetime | None
    local_times: dict[str, str] = Field(description="Start in each party's zone, by id.")
    timezones: dict[str, str]
    join_url: str | None
    table: int | None = Field(default=None, description="Table number (in person), if any.")
    status: Literal["waiting", "scheduled", "cancelled", "held", "no_show"]
    sequence: int
    locked: bool
    reason_code: str | None = None
    reason: str = ""


class ChangeIn(_Strict):
    reason: FreeText = Field(default="", max_length=1000)


class AttendanceIn(_Strict):
    status: Literal["held", "no_show"]


class LockIn(_Strict):
    locked: bool = True


@router.get(
    "/roundtables/{roundtable_id}/meetings",
    response_model=list[MeetingOut],
    summary="Meetings (organizer; an agency its country's; a participant its own)",
)
async def list_meetings(
    roundtable_id: RoundtableId,
    request: Request,
    principal: CurrentPrincipal,
    response: Response,
    page: Paged,
    participant_id: str | None = Query(default=None, pattern=ID),
) -> list[dict[str, Any]]:
    principal.require("organizer", "agency", "participant", "admin", roundtable_id=roundtable_id)
    if principal.role == "participant":
        if participant_id is not None:
            principal.require_self(participant_id)
        participant_id = principal.participant_id
    country = principal.country if principal.role == "agency" else None
    result: list[dict[str, Any]] = await service(request, "scheduling").get(
        f"/internal/roundtables/{roundtable_id}/meetings",
        {"participant_id": participant_id, "country": country, **page.params()},
    )
    return page_of(request, response, result, page, "meeting_id")


@router.get(
    "/roundtables/{roundtable_id}/participants/{participant_id}/agenda.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}, "description": "iCalendar"}},
    summary="A participant's agenda as iCalendar (itself, its agency, the organizer)",
)
async def agenda(
    roundtable_id: RoundtableId,
    participant_id: ParticipantId,
    request: Request,
    principal: CurrentPrincipal,
    cancelled: bool = Query(
        default=False,
        description="false: METHOD:REQUEST with the meetings that hold a slot; true: "
        "METHOD:CANCEL with the meetings that lost theirs.",
    ),
) -> Response:
    await participant_in_scope(request, principal, roundtable_id, participant_id)
    upstream = await service(request, "scheduling").get_text(
        f"/internal/roundtables/{roundtable_id}/participants/{participant_id}/agenda.ics",
        {"cancelled": "true" if cancelled else "false"},
        accept="text/calendar",
    )
    return Response(
        upstream.content,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{participant_id}-agenda.ics"'},
    )


async def _meeting_in_scope(
    request: Request,
    principal: Principal,
    roundtable_id: str,
    meeting_id: str,
    *,
    parties_may: bool,
) -> dict[str, Any]:
    """The meeting, if the caller may change it (else 401/403/404)."""
    roles: tuple[Any, ...] = ("organizer", "admin") + (("participant",) if parties_may else ())
    principal.require(*roles, roundtable_id=roundtable_id)
    meeting: dict[str, Any] = await service(request, "scheduling").get(
        f"/internal/roundtables/{roundtable_id}/meetings/{meeting_id}"
    )
    if principal.role == "participant" and principal.participant_id not in (
        meeting["exporter_id"],
        meeting["importer_id"],
    ):
        raise ApiError(403, "forbidden", "a participant acts only on its own meetings")
    return meeting


async def _send(
    request: Request,
    principal: Principal,
    command: Command,
    roundtable_id: str,
    meeting_id: str | None,
    body: BaseModel | None,
) -> JSONResponse:
    answer: dict[str, Any] = {"roundtable_id": roundtable_id, "status": "pending"}
    if meeting_id is not None:
        answer["meeting_id"] = meeting_id
    return await bus(request).send(
        request,
        principal,
        command,
        topic=COMMANDS,
        service="scheduling",
        roundtable_id=roundtable_id,
        body=answer,
        idempotency_body=body.model_dump(mode="json") if body is not None else {},
    )


@router.post(
    "/roundtables/{roundtable_id}/meetings/{meeting_id}/cancel",
    status_code=202,
    response_model=Accepted,
    summary="Cancel a meeting (a party of it, the organizer)",
)
async def cancel_meeting(
    roundtable_id: RoundtableId,
    meeting_id: MeetingId,
    body: ChangeIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    await _meeting_in_scope(request, principal, roundtable_id, meeting_id, parties_may=True)
    command = CancelMeeting(
        meeting_id=meeting_id,
        reason=body.reason,
        requested_by=principal.participant_id or principal.role,
    )
    return await _send(request, principal, command, roundtable_id, meeting_id, body)


@router.post(
    "/roundtables/{roundtable_id}/meetings/{meeting_id}/reschedule",
    status_code=202,
    response_model=Accepted,
    summary="Move a meeting to the best other slot (a party of it, the organizer)",
)
async def reschedule_meeting(
    roundtable_id: RoundtableId,
    meeting_id: MeetingId,
    body: ChangeIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    await _meeting_in_scope(request, principal, roundtable_id, meeting_id, parties_may=True)
    command = RescheduleMeeting(
        meeting_id=meeting_id,
        reason=body.reason,
        requested_by=principal.participant_id or principal.role,
    )
    return await _send(request, principal, command, roundtable_id, meeting_id, body)


@router.post(
    "/roundtables/{roundtable_id}/meetings/{meeting_id}/attendance",
    status_code=202,
    response_model=Accepted,
    summary="Record that a meeting was held or a no-show (a party of it, the organizer)",
)
async def record_attendance(
    roundtable_id: RoundtableId,
    meeting_id: MeetingId,
    body: AttendanceIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    await _meeting_in_scope(request, principal, roundtable_id, meeting_id, parties_may=True)
    command = RecordAttendance(meeting_id=meeting_id, status=body.status)
    return await _send(request, principal, command, roundtable_id, meeting_id, body)


@router.post(
    "/roundtables/{roundtable_id}/meetings/{meeting_id}/lock",
    status_code=202,
    response_model=Accepted,
    summary="Lock (or unlock) a meeting: optimisation never moves it (organizer)",
)
async def lock_meeting(
    roundtable_id: RoundtableId,
    meeting_id: MeetingId,
    body: LockIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    await _meeting_in_scope(request, principal, roundtable_id, meeting_id, parties_may=False)
    command = LockMeeting(meeting_id=meeting_id, locked=body.locked)
    return await _send(request, principal, command, roundtable_id, meeting_id, body)


@router.post(
    "/roundtables/{roundtable_id}/schedule/optimize",
    status_code=202,
    response_model=Accepted,
    summary="Re-plan every meeting neither locked nor past (organizer)",
)
async def optimize_schedule(
    roundtable_id: RoundtableId, request: Request, principal: CurrentPrincipal
) -> JSONResponse:
    principal.require("organizer", "admin", roundtable_id=roundtable_id)
    return await _send(request, principal, OptimizeSchedule(), roundtable_id, None, None)
