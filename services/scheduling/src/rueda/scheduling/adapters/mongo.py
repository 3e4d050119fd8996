"""MongoDB storage of the scheduling service.

Collections (database `rueda_scheduling` by default):
- `roundtables`: one document per roundtable: calendar settings and a `version` raised on
  every save (optimistic concurrency: a save from a stale copy matches nothing and fails);
- `parties`: one per roundtable participant: role, country, time zone and windows;
- `meetings`: one per meeting: the domain's fields plus the read model (UTC end, local
  times, time zones, countries, join URL, last slot);
- `commands`: the outcome of each command (`accepted` or `rejected` with its reason).

The repository keeps recently used schedules in memory: a roundtable's partition has one
consumer, so the copy is almost always current; it is checked against the stored version in
the same transaction and reloaded when another writer got there first.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from typing import Any

from pymongo import ASCENDING, ReplaceOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from rueda.shared.messaging import TransientError
from rueda.shared.mongo import IndexSpec

from ..domain import Calendar, CalendarSettings, Meeting, Party, Schedule
from ..state import PartyInfo, RoundtableState

__all__ = ["INDEXES", "CommandLog", "MeetingReads", "ScheduleRepository"]

Document = dict[str, Any]
ROUNDTABLES = "roundtables"
PARTIES = "parties"
MEETINGS = "meetings"
COMMANDS = "commands"

INDEXES = (
    IndexSpec(PARTIES, [("roundtable_id", ASCENDING)], name="parties_rt"),
    IndexSpec(MEETINGS, [("roundtable_id", ASCENDING), ("starts_at", ASCENDING)], name="rt_start"),
    IndexSpec(
        MEETINGS, [("roundtable_id", ASCENDING), ("exporter_id", ASCENDING)], name="rt_exporter"
    ),
    IndexSpec(
        MEETINGS, [("roundtable_id", ASCENDING), ("importer_id", ASCENDING)], name="rt_importer"
    ),
    IndexSpec(COMMANDS, [("roundtable_id", ASCENDING), ("at", ASCENDING)], name="commands_rt"),
)


class StaleScheduleError(TransientError):
    """Another writer saved this roundtable since it was loaded: the message comes again."""


class ScheduleRepository:
    """Loads and saves whole roundtable schedules inside the handler's transaction."""

    def __init__(self, db: AsyncDatabase[Document], *, cache_size: int = 32) -> None:
        self._db = db
        self._cache: OrderedDict[str, RoundtableState] = OrderedDict()
        self._cache_size = cache_size
        self.loads = 0  # full reads from the database (observability and tests)

    async def get(self, roundtable_id: str, session: AsyncClientSession) -> RoundtableState | None:
        """The roundtable's current state, or None before its first meeting."""
        head = await self._db[ROUNDTABLES].find_one(
            {"_id": roundtable_id}, {"version": 1}, session=session
        )
        if head is None:
            self._cache.pop(roundtable_id, None)
            return None
        cached = self._cache.get(roundtable_id)
        if cached is not None and cached.version == head["version"]:
            self._cache.move_to_end(roundtable_id)
            return cached
        return await self._load(roundtable_id, session)

    def create(self, roundtable_id: str, settings: CalendarSettings) -> RoundtableState:
        return RoundtableState(roundtable_id, Schedule(Calendar(settings)))

    async def _load(self, roundtable_id: str, session: AsyncClientSession) -> RoundtableState:
        self.loads += 1
        head = await self._db[ROUNDTABLES].find_one({"_id": roundtable_id}, session=session)
        assert head is not None
        party_docs = (
            await self._db[PARTIES]
            .find({"roundtable_id": roundtable_id}, session=session)
            .to_list()
        )
        meeting_docs = (
            await self._db[MEETINGS]
            .find({"roundtable_id": roundtable_id}, session=session)
            .to_list()
        )
        calendar = Calendar(
            CalendarSettings.from_dict(head["settings"]),
            (Party.from_dict(doc["calendar"]) for doc in party_docs),
        )
        schedule = Schedule(calendar, (Meeting.from_dict(doc) for doc in meeting_docs))
        state = RoundtableState(
            roundtable_id,
            schedule,
            parties={
                doc["participant_id"]: PartyInfo(doc["participant_id"], doc["role"], doc["country"])
                for doc in party_docs
            },
            join_urls={d["meeting_id"]: d["join_url"] for d in meeting_docs if d.get("join_url")},
            last_starts={
                d["meeting_id"]: _utc(d["last_starts_at"])
                for d in meeting_docs
                if d.get("last_starts_at") is not None
            },
            version=int(head["version"]),
        )
        return state

    async def save(
        self, state: RoundtableState, session: AsyncClientSession, *, now: dt.datetime
    ) -> None:
        """Write what changed and raise the version; fails if another writer saved first."""
        roundtables = self._db[ROUNDTABLES]
        if state.new:
            try:
                await roundtables.insert_one(
                    {
                        "_id": state.roundtable_id,
                        "version": 1,
                        "settings": state.schedule.calendar.settings.to_dict(),
                        "created_at": now,
                        "updated_at": now,
                    },
                    session=session,
                )
            except DuplicateKeyError as exc:
                raise StaleScheduleError(f"roundtable {state.roundtable_id} created twice") from exc
        else:
            result = await roundtables.update_one(
                {"_id": state.roundtable_id, "version": state.version},
                {"$set": {"version": state.version + 1, "updated_at": now}},
                session=session,
            )
            if result.matched_count != 1:
                raise StaleScheduleError(f"roundtable {state.roundtable_id} changed meanwhile")
        if state.dirty_parties:
            await self._db[PARTIES].bulk_write(
                [
                    ReplaceOne({"_id": doc["_id"]}, doc, upsert=True)
                    for doc in (state.party_document(pid) for pid in sorted(state.dirty_parties))
                ],
                ordered=False,
                session=session,
            )
        if state.dirty_meetings:
            await self._db[MEETINGS].bulk_write(
                [
                    ReplaceOne({"_id": doc["_id"]}, doc, upsert=True)
                    for doc in (
                        state.meeting_document(mid, now=now) for mid in sorted(state.dirty_meetings)
                    )
                ],
                ordered=False,
                session=session,
            )

    def committed(self, state: RoundtableState) -> None:
        """The save committed: keep the state as the current copy."""
        state.saved()
        self._cache[state.roundtable_id] = state
        self._cache.move_to_end(state.roundtable_id)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def forget(self, roundtable_id: str) -> None:
        """The transaction failed: the in-memory copy may hold uncommitted changes."""
        self._cache.pop(roundtable_id, None)


def command_document(
    command_id: str,
    roundtable_id: str,
    command_type: str,
    status: str,
    now: dt.datetime,
    meeting_id: str | None,
    code: str | None,
    reason: str | None,
    details: dict[str, Any] | None,
) -> Document:
    """A command's outcome as stored."""
    return {
        "_id": command_id,
        "roundtable_id": roundtable_id,
        "command_type": command_type,
        "status": status,
        "meeting_id": meeting_id,
        "code": code,
        "reason": reason,
        "details": details or {},
        "at": now,
    }


class CommandLog:
    """The outcome of each command, for the gateway's status URL."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._db = db

    async def record(
        self,
        session: AsyncClientSession,
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
        doc = command_document(
            command_id, roundtable_id, command_type, status, now, meeting_id, code, reason, details
        )
        await self._db[COMMANDS].replace_one({"_id": command_id}, doc, upsert=True, session=session)

    async def find(self, command_id: str, *, roundtable_id: str | None = None) -> Document | None:
        query: Document = {"_id": command_id}
        if roundtable_id is not None:
            query["roundtable_id"] = roundtable_id
        return await self._db[COMMANDS].find_one(query)


class MeetingReads:
    """Queries of the read API (never the writers' cache: always what is committed)."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._db = db

    async def meetings(
        self,
        roundtable_id: str,
        *,
        participant_id: str | None = None,
        country: str | None = None,
        statuses: list[str] | None = None,
    ) -> list[Document]:
        query: Document = {"roundtable_id": roundtable_id}
        ors: list[Document] = []
        if participant_id is not None:
            ors.append({"$or": [{"exporter_id": participant_id}, {"importer_id": participant_id}]})
        if country is not None:
            ors.append({"$or": [{"exporter_country": country}, {"importer_country": country}]})
        if ors:
            query["$and"] = ors
        if statuses:
            query["status"] = {"$in": statuses}
        docs = await self._db[MEETINGS].find(query).to_list()
        far = dt.datetime.max.replace(tzinfo=dt.UTC)
        docs.sort(
            key=lambda d: (
                _utc(d.get("starts_at") or d.get("last_starts_at") or far),
                d["meeting_id"],
            )
        )
        return docs

    async def meeting(self, roundtable_id: str, meeting_id: str) -> Document | None:
        return await self._db[MEETINGS].find_one(
            {"roundtable_id": roundtable_id, "meeting_id": meeting_id}
        )

    async def roundtable_exists(self, roundtable_id: str) -> bool:
        return await self._db[ROUNDTABLES].count_documents({"_id": roundtable_id}, limit=1) > 0


def _utc(value: dt.datetime) -> dt.datetime:
    """MongoDB gives naive UTC datetimes unless the client is tz-aware."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
