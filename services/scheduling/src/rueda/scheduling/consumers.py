"""Subscribers of the scheduling service: a routes table per topic, nothing else."""

from __future__ import annotations

from faststream.kafka import KafkaBroker

from rueda.shared.contracts import topic
from rueda.shared.contracts.matching import MeetingAgreed, MeetingAgreementWithdrawn
from rueda.shared.contracts.scheduling import (
    CancelMeeting,
    LockMeeting,
    OptimizeSchedule,
    RecordAttendance,
    RescheduleMeeting,
)
from rueda.shared.messaging import subscribe
from rueda.shared.settings import RuedaSettings

from .handlers import SchedulingHandlers

__all__ = ["SERVICE", "subscribe_all"]

SERVICE = "scheduling"


def subscribe_all(
    broker: KafkaBroker, settings: RuedaSettings, handlers: SchedulingHandlers
) -> None:
    """Agreed and withdrawn meetings from matching; the service's own commands."""
    subscribe(
        broker,
        settings,
        topic=topic("matching.events.v1"),
        service=SERVICE,
        routes={
            MeetingAgreed: handlers.meeting_agreed,
            MeetingAgreementWithdrawn: handlers.meeting_agreement_withdrawn,
        },
        # agreements come in bursts (an approval makes many): one transaction per run
        batch_routes={MeetingAgreed: handlers.meetings_agreed},
    )
    subscribe(
        broker,
        settings,
        topic=topic("scheduling.commands.v1"),
        service=SERVICE,
        routes={
            CancelMeeting: handlers.cancel_meeting,
            RescheduleMeeting: handlers.reschedule_meeting,
            LockMeeting: handlers.lock_meeting,
            RecordAttendance: handlers.record_attendance,
            OptimizeSchedule: handlers.optimize_schedule,
        },
    )
