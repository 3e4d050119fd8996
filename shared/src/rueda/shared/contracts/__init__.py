"""Rueda's public contracts: the envelope, the topic registry and every command and event."""

from . import deals, matching, notifications, registration, scheduling
from ._base import (
    Command,
    Contract,
    Envelope,
    Event,
    UnknownMessageTypeError,
    message_type,
    message_types,
    utcnow,
)
from .common import (
    Agency,
    AvailabilityWindow,
    CalendarSettings,
    Company,
    Contact,
    DailyWindow,
    MatchingRules,
    Money,
    ParticipantProfile,
    Product,
    Wants,
)
from .outcomes import CommandRejected
from .topics import TOPICS, TopicSpec, topic, topic_names

__all__ = [
    "TOPICS",
    "Agency",
    "AvailabilityWindow",
    "CalendarSettings",
    "Command",
    "CommandRejected",
    "Company",
    "Contact",
    "Contract",
    "DailyWindow",
    "Envelope",
    "Event",
    "MatchingRules",
    "Money",
    "ParticipantProfile",
    "Product",
    "TopicSpec",
    "UnknownMessageTypeError",
    "Wants",
    "deals",
    "matching",
    "message_type",
    "message_types",
    "notifications",
    "registration",
    "scheduling",
    "topic",
    "topic_names",
    "utcnow",
]
