"""Registration's adapters: the MongoDB repository."""

from .repository import INDEXES, RegistrationRepository

__all__ = ["INDEXES", "RegistrationRepository"]
