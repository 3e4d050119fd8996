"""The deals service's subscriptions: one routes table per topic, nothing else."""

from __future__ import annotations

from faststream.kafka import KafkaBroker

from rueda.shared.contracts import registration as reg
from rueda.shared.contracts import scheduling as sch
from rueda.shared.contracts import topic
from rueda.shared.contracts.deals import RecordOutcome
from rueda.shared.messaging import subscribe
from rueda.shared.settings import RuedaSettings

from .handlers import DealsHandlers

__all__ = ["SERVICE", "register"]

SERVICE = "deals"


def register(broker: KafkaBroker, settings: RuedaSettings, h: DealsHandlers) -> None:
    """Subscribe the `rueda-deals` group to its three topics."""
    subscribe(
        broker,
        settings,
        topic=topic("registration.events.v1"),
        service=SERVICE,
        routes={
            reg.RoundtableOpened: h.roundtable_opened,
            reg.ParticipantRegistered: h.participant_registered,
            reg.ParticipantApproved: h.participant_approved,
            reg.ParticipantRejected: h.participant_rejected,
            reg.ParticipantWithdrawn: h.participant_withdrawn,
        },
    )
    subscribe(
        broker,
        settings,
        topic=topic("scheduling.events.v1"),
        service=SERVICE,
        routes={
            sch.MeetingScheduled: h.meeting_scheduled,
            sch.MeetingRescheduled: h.meeting_scheduled,
            sch.MeetingCancelled: h.meeting_cancelled,
            sch.MeetingHeld: h.meeting_held,
            sch.MeetingNoShow: h.meeting_no_show,
        },
    )
    subscribe(
        broker,
        settings,
        topic=topic("deals.commands.v1"),
        service=SERVICE,
        routes={RecordOutcome: h.record_outcome},
    )
