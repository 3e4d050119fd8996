"""Adapters of the deals service: its MongoDB repository."""

from .mongo import INDEXES, DealsRepository, MeetingRow, ParticipantRow, RoundtableRow, StoredDeal

__all__ = [
    "INDEXES",
    "DealsRepository",
    "MeetingRow",
    "ParticipantRow",
    "RoundtableRow",
    "StoredDeal",
]
