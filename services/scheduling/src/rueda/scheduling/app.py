"""Composition root of the scheduling service: settings, clients, broker and app."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI, Request
from pydantic import Field, model_validator

from rueda.shared.contracts import utcnow
from rueda.shared.service import ServiceRuntime, service_app
from rueda.shared.settings import DEV_SECRET, RuedaSettings

from .adapters.mongo import INDEXES, CommandLog, MeetingReads, ScheduleRepository
from .adapters.video import JitsiRooms, VideoRooms
from .api import build_router
from .consumers import SERVICE, subscribe_all
from .handlers import Clock, SchedulingHandlers

__all__ = ["SchedulingSettings", "create_app", "main", "make_wire"]


class SchedulingSettings(RuedaSettings):
    """Settings of the scheduling service (environment, prefix `RUEDA_`)."""

    service_name: str = "scheduling"
    video_base_url: str = Field(
        default="https://meet.jit.si",
        description="Base URL of a Jitsi-compatible server; rooms are `<base>/rueda-<hmac>`.",
    )
    video_secret: str = Field(
        default=DEV_SECRET,
        description="Secret the room names are derived from (HMAC of the meeting id).",
    )
    optimize_budget_s: float = Field(
        default=1.0, gt=0, le=60, description="Time budget of one re-optimisation."
    )
    placement_max_moves: int = Field(
        default=0,
        ge=0,
        le=10,
        description="Other meetings a new meeting may move to fit in (0: never moves a "
        "meeting already announced; re-optimisation does that on the organizer's request).",
    )
    schedule_replay: bool = Field(
        default=False,
        description="Replaying a past roundtable (the demo): every slot of the roundtable is "
        "open whatever the clock says, and attendance may be recorded at any time. Refused "
        "in production.",
    )

    @model_validator(mode="after")
    def _safe_in_production(self) -> SchedulingSettings:
        self.refuse_default_secret("video_secret", self.video_secret)
        if self.env == "production" and self.schedule_replay:
            raise ValueError("RUEDA_SCHEDULE_REPLAY is for replays, not production")
        return self


def make_wire(
    settings: SchedulingSettings, *, rooms: VideoRooms | None = None, clock: Clock | None = None
) -> Callable[[ServiceRuntime], None]:
    """The `wire` step: build repositories and handlers on the started runtime, subscribe."""

    def wire(runtime: ServiceRuntime) -> None:
        handlers = SchedulingHandlers(
            runtime.uow,
            ScheduleRepository(runtime.db),
            CommandLog(runtime.db),
            rooms or JitsiRooms(settings.video_base_url, settings.video_secret),
            group=settings.group(SERVICE),
            clock=clock or utcnow,
            replay=settings.schedule_replay,
            optimize_budget_s=settings.optimize_budget_s,
            placement_max_moves=settings.placement_max_moves,
        )
        runtime.handlers = handlers  # type: ignore[attr-defined]
        subscribe_all(runtime.broker, settings, handlers)

    return wire


def _runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


def create_app(
    settings: SchedulingSettings | None = None,
    *,
    rooms: VideoRooms | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """The service's app; `rooms` and `clock` replace the configured ones (tests)."""
    settings = settings or SchedulingSettings()
    runtime = ServiceRuntime(settings, indexes=INDEXES)
    router = build_router(
        reads=lambda request: MeetingReads(_runtime(request).db),
        commands=lambda request: CommandLog(_runtime(request).db),
    )
    return service_app(
        runtime,
        wire=make_wire(settings, rooms=rooms, clock=clock),
        routers=[router],
        title="rueda-scheduling",
        description="Places agreed meetings in slots inside both parties' local windows.",
    )


def main() -> None:
    from rueda.shared.service import run_service

    settings = SchedulingSettings()
    run_service(create_app(settings), settings)
