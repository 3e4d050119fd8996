"""Adapters of the deals service: its MongoDB repository and its in-memory twin."""

from .memory import InMemoryDealsRepository
from .mongo import INDEXES, DealsRepository, MeetingRow, ParticipantRow, RoundtableRow, StoredDeal

__all__ = [
    "INDEXES",
    "DealsRepository",
    "InMemoryDealsRepository",
    "MeetingRow",
    "ParticipantRow",
    "RoundtableRow",
    "StoredDeal",
]
