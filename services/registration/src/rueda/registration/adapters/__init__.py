"""Registration's adapters: the MongoDB repository and its in-memory twin."""

from .memory import InMemoryRegistrationRepository
from .repository import INDEXES, RegistrationRepository

__all__ = ["INDEXES", "InMemoryRegistrationRepository", "RegistrationRepository"]
