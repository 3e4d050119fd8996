"""Scheduling's repositories in memory, beside the MongoDB ones (`mongo.py`): the same
methods, for handler tests that take milliseconds."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from ..domain import Calendar, CalendarSettings, Schedule
from ..state import RoundtableState
from .mongo import Document, StaleScheduleError, command_document

__all__ = ["InMemoryCommandLog", "InMemoryScheduleRepository"]


class InMemoryScheduleRepository:
    """`ScheduleRepository` over a dictionary of committed states (sessions are ignored).

    `get` hands out a copy, so a refused or failed message leaves the committed state as it
    was, as an aborted transaction does; `meetings` holds each meeting's stored document.
    """

    def __init__(self) -> None:
        self.states: dict[str, RoundtableState] = {}
        self.meetings: dict[str, Document] = {}
        self.saves = 0

    async def get(self, roundtable_id: str, session: Any) -> RoundtableState | None:
        state = self.states.get(roundtable_id)
        return copy.deepcopy(state) if state is not None else None

    def create(self, roundtable_id: str, settings: CalendarSettings) -> RoundtableState:
        return RoundtableState(roundtable_id, Schedule(Calendar(settings)))

    async def save(self, state: RoundtableState, session: Any, *, now: dt.datetime) -> None:
        stored = self.states.get(state.roundtable_id)
        if (stored.version if stored is not None else 0) != state.version:
            raise StaleScheduleError(f"roundtable {state.roundtable_id} changed meanwhile")
        for mid in sorted(state.dirty_meetings):
            self.meetings[mid] = state.meeting_document(mid, now=now)
        self.saves += 1

    def committed(self, state: RoundtableState) -> None:
        state.saved()
        self.states[state.roundtable_id] = copy.deepcopy(state)

    def forget(self, roundtable_id: str) -> None:
        """Nothing is cached beyond what committed."""


class InMemoryCommandLog:
    """`CommandLog` over a dictionary."""

    def __init__(self) -> None:
        self.commands: dict[str, Document] = {}

    async def record(
        self,
        session: Any,
        *,
        command_id: str,
        roundtable_id: str,
        command_type: str,
        status: str,
        now: dt.datetime,
        meeting_id: str | None = None,
        code: str | None = None,
        reason: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.commands[command_id] = command_document(
            command_id, roundtable_id, command_type, status, now, meeting_id, code, reason, details
        )

    async def find(self, command_id: str, *, roundtable_id: str | None = None) -> Document | None:
        doc = self.commands.get(command_id)
        if doc is None or roundtable_id not in (None, doc["roundtable_id"]):
            return None
        return doc
