"""Subscribers of the matching service: which message goes to which use case. Nothing else."""

from __future__ import annotations

from faststream.kafka import KafkaBroker

from rueda.shared.contracts import topic
from rueda.shared.contracts.matching import RequestMeeting, RespondToMeetingRequest
from rueda.shared.contracts.registration import (
    ParticipantApproved,
    ParticipantWithdrawn,
    RoundtableOpened,
)
from rueda.shared.messaging import subscribe
from rueda.shared.settings import RuedaSettings

from .handlers import Matching

__all__ = ["SERVICE", "subscribe_matching"]

SERVICE = "matching"


def subscribe_matching(broker: KafkaBroker, settings: RuedaSettings, matching: Matching) -> None:
    """Group `rueda-matching` on `registration.events.v1` and `matching.commands.v1`."""
    subscribe(
        broker,
        settings,
        topic=topic("registration.events.v1"),
        service=SERVICE,
        routes={
            RoundtableOpened: matching.on_roundtable_opened,
            ParticipantApproved: matching.on_participant_approved,
            ParticipantWithdrawn: matching.on_participant_withdrawn,
        },
        # a round's approvals come in runs: each poll's run goes into the book at once
        batch_routes={ParticipantApproved: matching.on_participants_approved},
    )
    subscribe(
        broker,
        settings,
        topic=topic("matching.commands.v1"),
        service=SERVICE,
        routes={
            RequestMeeting: matching.on_request_meeting,
            RespondToMeetingRequest: matching.on_respond,
        },
    )
