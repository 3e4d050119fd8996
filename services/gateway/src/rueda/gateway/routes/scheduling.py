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
from ..openapi import IDEMPOTENT, READ, WRITE, accepted, responses
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

    meeting_id: str = Field(description="The meeting's id.", examples=["m-7a8b9c0d1e2f"])
    exporter_id: str = Field(description="The exporter party.", examples=["p-3f9a1c2b7d10"])
    importer_id: str = Field(description="The importer party.", examples=["p-8e21b4c6a0f3"])
    exporter_country: str = Field(description="ISO 3166-1 alpha-2.", examples=["CL"])
    importer_country: str = Field(description="ISO 3166-1 alpha-2.", examples=["GB"])
    starts_at: dt.datetime | None = Field(
        description="UTC; null while waiting for a slot.", examples=["2020-06-23T14:00:00Z"]
    )
    ends_at: dt.datetime | None = Field(
        description="UTC; null while waiting for a slot.", examples=["2020-06-23T14:30:00Z"]
    )
    local_times: dict[str, str] = Field(
        description="Start in each party's zone, by id.",
        examples=[{"p-3f9a1c2b7d10": "2020-06-23T10:00:00-04:00"}],
    )
    timezones: dict[str, str] = Field(
        description="Each party's IANA time zone, by id.",
        examples=[{"p-3f9a1c2b7d10": "America/Santiago", "p-8e21b4c6a0f3": "Europe/London"}],
    )
    join_url: str | None = Field(
        description="The video room, once scheduled.",
        examples=["https://meet.jit.si/rueda-m-7a8b9c0d1e2f"],
    )
    table: int | None = Field(
        default=None, description="Table number (in person), if any.", examples=[None]
    )
    status: Literal["waiting", "scheduled", "cancelled", "held", "no_show"] = Field(
        description="`waiting` has no slot yet (see `reason`).", examples=["scheduled"]
    )
    sequence: int = Field(description="Raised on every change (the ICS SEQUENCE).", examples=[0])
    locked: bool = Field(description="Optimisation never moves a locked meeting.", examples=[False])
    reason_code: str | None = Field(
        default=None, description="Why it waits, machine-readable.", examples=["no_common_window"]
    )
    reason: str = Field(default="", description="Why it waits, for a person.", examples=[""])

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "meeting_id": "m-7a8b9c0d1e2f",
                    "exporter_id": "p-3f9a1c2b7d10",
                    "importer_id": "p-8e21b4c6a0f3",
                    "exporter_country": "CL",
                    "importer_country": "GB",
                    "starts_at": "2020-06-23T14:00:00Z",
                    "ends_at": "2020-06-23T14:30:00Z",
                    "local_times": {
                        "p-3f9a1c2b7d10": "2020-06-23T10:00:00-04:00",
                        "p-8e21b4c6a0f3": "2020-06-23T15:00:00+01:00",
                    },
                    "timezones": {
                        "p-3f9a1c2b7d10": "America/Santiago",
                        "p-8e21b4c6a0f3": "Europe/London",
                    },
                    "join_url": "https://meet.jit.si/rueda-m-7a8b9c0d1e2f",
                    "table": None,
                    "status": "scheduled",
                    "sequence": 0,
                    "locked": False,
                    "reason_code": None,
                    "reason": "",
                }
            ]
        }
    )


class ChangeIn(_Strict):
    """Why a meeting is cancelled or moved (shown to both parties)."""

    reason: FreeText = Field(
        default="",
        max_length=1000,
        description="Shown to both parties.",
        examples=["Importer travelling"],
    )

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "Importer travelling"}]}
    )


class AttendanceIn(_Strict):
    """Whether a meeting took place."""

    status: Literal["held", "no_show"] = Field(
        description="`held` lets both sides report outcomes.", examples=["held"]
    )

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"status": "held"}]})


class LockIn(_Strict):
    """Lock a meeting in its slot, or unlock it."""

    locked: bool = Field(default=True, description="False unlocks.", examples=[True])

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"locked": True}]})


@router.get(
    "/roundtables/{roundtable_id}/meetings",
    response_model=list[MeetingOut],
    summary="Meetings (organizer; an agency its country's; a participant its own)",
    responses=responses(*READ, example=MeetingOut.model_json_schema()["examples"]),
)
async def list_meetings(
    roundtable_id: RoundtableId,
    request: Request,
    principal: CurrentPrincipal,
    response: Response,
    page: Paged,
    participant_id: str | None = Query(default=None, pattern=ID),
) -> list[dict[str, Any]]:
    """The roundtable's meetings: UTC start and end, each party's local start, the video room
    and status. A `waiting` meeting was agreed but has no slot yet; `reason_code` and
    `reason` say why (e.g. the parties' windows never overlap).

    **Who**: the organizer and admins see all (optionally one participant's); an agency
    sees those with a party of its country; a participant sees its own."""
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
    responses={
        **responses(*READ, example=None),
        200: {
            "content": {
                "text/calendar": {
                    "schema": {"type": "string"},
                    "example": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\n...",
                }
            },
            "description": "iCalendar",
        },
    },
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
    """A participant's meetings as an iCalendar file: one VEVENT per meeting with a stable
    UID and a SEQUENCE raised on every change, the video room as its location. Calendar
    apps can subscribe to it.

    **Who**: the participant itself, its agency, the organizer, admins."""
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
    responses=responses(
        *WRITE,
        "not_found",
        "service_unavailable",
        status=202,
        example=accepted(
            "scheduling", roundtable_id="rt-pacific-2020", meeting_id="m-7a8b9c0d1e2f"
        ),
    ),
    openapi_extra=IDEMPOTENT,
)
async def cancel_meeting(
    roundtable_id: RoundtableId,
    meeting_id: MeetingId,
    body: ChangeIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    """Cancels a meeting.

    **Who**: one of its two parties, the organizer, admins.

    **Then**: scheduling frees the slot and publishes `MeetingCancelled`; both parties get
    an ICS cancellation (METHOD:CANCEL). Follow `status_url`; cancelling a meeting already
    held is `rejected`."""
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
    responses=responses(
        *WRITE,
        "not_found",
        "service_unavailable",
        status=202,
        example=accepted(
            "scheduling", roundtable_id="rt-pacific-2020", meeting_id="m-7a8b9c0d1e2f"
        ),
    ),
    openapi_extra=IDEMPOTENT,
)
async def reschedule_meeting(
    roundtable_id: RoundtableId,
    meeting_id: MeetingId,
    body: ChangeIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    """Moves a meeting to the best other slot inside both parties' windows.

    **Who**: one of its two parties, the organizer, admins.

    **Then**: scheduling publishes `MeetingRescheduled` (both parties get the updated
    invitation, SEQUENCE raised) or, with no other slot, leaves it and reports why. Follow
    `status_url`."""
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
    responses=responses(
        *WRITE,
        "not_found",
        "service_unavailable",
        status=202,
        example=accepted(
            "scheduling", roundtable_id="rt-pacific-2020", meeting_id="m-7a8b9c0d1e2f"
        ),
    ),
    openapi_extra=IDEMPOTENT,
)
async def record_attendance(
    roundtable_id: RoundtableId,
    meeting_id: MeetingId,
    body: AttendanceIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    """Records that a meeting was held, or that a party did not show up.

    **Who**: one of its two parties, the organizer, admins.

    **Then**: scheduling publishes `MeetingHeld` or `MeetingNoShow`; once held, both sides
    may report outcomes (`POST .../meetings/{meeting_id}/outcome`). Follow `status_url`."""
    await _meeting_in_scope(request, principal, roundtable_id, meeting_id, parties_may=True)
    command = RecordAttendance(meeting_id=meeting_id, status=body.status)
    return await _send(request, principal, command, roundtable_id, meeting_id, body)


@router.post(
    "/roundtables/{roundtable_id}/meetings/{meeting_id}/lock",
    status_code=202,
    response_model=Accepted,
    summary="Lock (or unlock) a meeting: optimisation never moves it (organizer)",
    responses=responses(
        *WRITE,
        "not_found",
        "service_unavailable",
        status=202,
        example=accepted(
            "scheduling", roundtable_id="rt-pacific-2020", meeting_id="m-7a8b9c0d1e2f"
        ),
    ),
    openapi_extra=IDEMPOTENT,
)
async def lock_meeting(
    roundtable_id: RoundtableId,
    meeting_id: MeetingId,
    body: LockIn,
    request: Request,
    principal: CurrentPrincipal,
) -> JSONResponse:
    """Locks a meeting in its slot (or unlocks it): re-optimisation never moves a locked
    meeting.

    **Who**: the organizer, admins.

    **Then**: scheduling publishes `MeetingLockChanged`; follow `status_url`."""
    await _meeting_in_scope(request, principal, roundtable_id, meeting_id, parties_may=False)
    command = LockMeeting(meeting_id=meeting_id, locked=body.locked)
    return await _send(request, principal, command, roundtable_id, meeting_id, body)


@router.post(
    "/roundtables/{roundtable_id}/schedule/optimize",
    status_code=202,
    response_model=Accepted,
    summary="Re-plan every meeting neither locked nor past (organizer)",
    responses=responses(
        *WRITE, status=202, example=accepted("scheduling", roundtable_id="rt-pacific-2020")
    ),
    openapi_extra=IDEMPOTENT,
)
async def optimize_schedule(
    roundtable_id: RoundtableId, request: Request, principal: CurrentPrincipal
) -> JSONResponse:
    """Re-plans the roundtable's schedule: every meeting neither locked nor past may move, to
    place waiting meetings and even out each participant's day.

    **Who**: the organizer, admins.

    **Then**: scheduling publishes `MeetingRescheduled` for each meeting moved and
    `ScheduleOptimized` (parties get updated invitations). Follow `status_url`, then
    `GET .../meetings`."""
    principal.require("organizer", "admin", roundtable_id=roundtable_id)
    return await _send(request, principal, OptimizeSchedule(), roundtable_id, None, None)
