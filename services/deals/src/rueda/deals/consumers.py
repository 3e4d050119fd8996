"""The deals service's subscriptions: one routes table per topic, nothing else."""

from __future__ import annotations

from faststream.kafka import KafkaBroker

from rueda.shared.contracts import Contract, topic
from rueda.shared.contracts import registration as reg
from rueda.shared.contracts import scheduling as sch
from rueda.shared.contracts.deals import RecordOutcome
from rueda.shared.messaging import Handler, subscribe
from rueda.shared.settings import RuedaSettings

from .handlers import DealsHandlers

__all__ = ["SERVICE", "register"]

SERVICE = "deals"


def register(broker: KafkaBroker, settings: RuedaSettings, h: DealsHandlers) -> None:
    """Subscribe the `rueda-deals` group to its three topics."""
    # events come in runs (a round's registrations, a schedule): each poll's run of them
    # is handled in one transaction
    registration: dict[type[Contract], Handler] = {
        reg.RoundtableOpened: h.roundtable_opened,
        reg.ParticipantRegistered: h.participant_registered,
        reg.ParticipantApproved: h.participant_approved,
        reg.ParticipantRejected: h.participant_rejected,
        reg.ParticipantWithdrawn: h.participant_withdrawn,
    }
    scheduling: dict[type[Contract], Handler] = {
        sch.MeetingScheduled: h.meeting_scheduled,
        sch.MeetingRescheduled: h.meeting_scheduled,
        sch.MeetingCancelled: h.meeting_cancelled,
        sch.MeetingHeld: h.meeting_held,
        sch.MeetingNoShow: h.meeting_no_show,
    }
    for name, routes in (
        ("registration.events.v1", registration),
        ("scheduling.events.v1", scheduling),
    ):
        subscribe(
            broker,
            settings,
            topic=topic(name),
            service=SERVICE,
            routes=routes,
            batch_routes=dict.fromkeys(routes, h.batch_of(routes)),
        )
    subscribe(
        broker,
        settings,
        topic=topic("deals.commands.v1"),
        service=SERVICE,
        routes={RecordOutcome: h.record_outcome},
    )
