"""Command outcomes every service reports, so that a rejected command is never silently lost."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import Field

from ._base import Event

__all__ = ["CommandRejected"]


class CommandRejected(Event):
    """A command could not be carried out (validation, duplicate, wrong scope, ...).

    The gateway's status URL shows it with its reason.
    """

    command_id: uuid.UUID = Field(description="`event_id` of the rejected command.")
    command_type: str
    code: str = Field(description="Machine-readable reason, e.g. `duplicate_participant`.")
    reason: str = Field(description="What went wrong, for a person.")
    details: dict[str, Any] = Field(default_factory=dict)
