"""Registration's subscribers: the routes of `registration.commands.v1`."""

from __future__ import annotations

from faststream.kafka import KafkaBroker

from rueda.shared.contracts import Contract, topic
from rueda.shared.contracts.registration import (
    CreateRoundtable,
    RegisterParticipant,
    ReviewParticipant,
    SetRegistrationOpen,
    WithdrawParticipant,
)
from rueda.shared.messaging import Handler, subscribe
from rueda.shared.settings import RuedaSettings

from .handlers import RegistrationHandlers

__all__ = ["register_consumers"]


def register_consumers(
    broker: KafkaBroker, settings: RuedaSettings, handlers: RegistrationHandlers
) -> None:
    routes: dict[type[Contract], Handler] = {
        CreateRoundtable: handlers.create_roundtable,
        SetRegistrationOpen: handlers.set_registration_open,
        RegisterParticipant: handlers.register_participant,
        ReviewParticipant: handlers.review_participant,
        WithdrawParticipant: handlers.withdraw_participant,
    }
    subscribe(
        broker,
        settings,
        topic=topic("registration.commands.v1"),
        service="registration",
        routes=routes,
        # a round registers and reviews hundreds at once: each poll's run of commands is
        # handled in one transaction (each still answered accepted or rejected on its own)
        batch_routes=dict.fromkeys(routes, handlers.batch(routes)),
    )
