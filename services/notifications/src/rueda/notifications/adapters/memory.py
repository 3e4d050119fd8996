"""The notifications store in memory, beside the MongoDB one (`mongo.py`): what the
handlers and the read API use (projections, queued deliveries, reminders, subscriptions,
command statuses), over dictionaries of the same documents. The delivery worker's leases
(`claim_*`, `finish_*`, `retry_*`, `release_*`) are tested on SecantusDB and not here."""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable
from datetime import datetime
from typing import Any

from .mongo import Document, key

__all__ = ["InMemoryNotificationsStore"]


class InMemoryNotificationsStore:
    """`NotificationsStore`'s handler-side methods over dictionaries (sessions are ignored)."""

    def __init__(self) -> None:
        self.participants_by_key: dict[str, Document] = {}
        self.roundtables: dict[str, str] = {}
        self.meetings_by_key: dict[str, Document] = {}
        self.deliveries: dict[str, Document] = {}
        self.reminders: dict[str, Document] = {}
        self.subscriptions: dict[str, Document] = {}
        self.commands: dict[str, Document] = {}

    # -- projections ---------------------------------------------------------------------
    async def upsert_participant(self, doc: Document, *, session: Any) -> None:
        _id = key(doc["roundtable_id"], doc["participant_id"])
        self.participants_by_key.setdefault(_id, {"_id": _id}).update(copy.deepcopy(doc))

    async def set_participant_status(
        self, roundtable_id: str, participant_id: str, status: str, *, session: Any
    ) -> None:
        doc = self.participants_by_key.get(key(roundtable_id, participant_id))
        if doc is not None:
            doc["status"] = status

    async def participants(
        self, roundtable_id: str, ids: Iterable[str], *, session: Any = None
    ) -> dict[str, Document]:
        found = (self.participants_by_key.get(key(roundtable_id, pid)) for pid in ids)
        return {d["participant_id"]: d for d in found if d is not None}

    async def upsert_roundtable(self, roundtable_id: str, name: str, *, session: Any) -> None:
        self.roundtables[roundtable_id] = name

    async def roundtable_names(self, roundtable_ids: Iterable[str]) -> dict[str, str]:
        return {rt: self.roundtables.get(rt, rt) for rt in dict.fromkeys(roundtable_ids)}

    async def meeting(
        self, roundtable_id: str, meeting_id: str, *, session: Any = None
    ) -> Document | None:
        return self.meetings_by_key.get(key(roundtable_id, meeting_id))

    async def meetings(self, roundtable_id: str, meeting_ids: Iterable[str]) -> dict[str, Document]:
        found = (self.meetings_by_key.get(key(roundtable_id, mid)) for mid in meeting_ids)
        return {d["meeting_id"]: d for d in found if d is not None}

    async def put_meeting(self, doc: Document, *, session: Any) -> None:
        _id = key(doc["roundtable_id"], doc["meeting_id"])
        self.meetings_by_key[_id] = {"_id": _id, **copy.deepcopy(doc)}

    # -- deliveries ----------------------------------------------------------------------
    async def add_deliveries(
        self, docs: Iterable[Document], *, refresh: Collection[str] = (), session: Any
    ) -> None:
        for doc in docs:
            stored = self.deliveries.setdefault(doc["_id"], copy.deepcopy(doc))
            if doc["_id"] in refresh and stored["status"] == "pending":
                stored["data"] = copy.deepcopy(doc["data"])

    async def deliveries_of(self, roundtable_id: str, participant_id: str) -> list[Document]:
        mine = [
            d
            for d in self.deliveries.values()
            if (d["roundtable_id"], d["participant_id"]) == (roundtable_id, participant_id)
        ]
        return sorted(mine, key=lambda d: d["created_at"])

    # -- reminders -----------------------------------------------------------------------
    async def add_reminders(self, docs: Iterable[Document], *, session: Any) -> None:
        for doc in docs:
            self.reminders.setdefault(doc["_id"], dict(doc))

    async def skip_reminders(
        self, roundtable_id: str, meeting_id: str, below_sequence: int | None, *, session: Any
    ) -> int:
        skipped = 0
        for doc in self.reminders.values():
            if (
                (doc["roundtable_id"], doc["meeting_id"]) == (roundtable_id, meeting_id)
                and doc["status"] == "pending"
                and (below_sequence is None or doc["sequence"] < below_sequence)
            ):
                doc["status"] = "skipped"
                skipped += 1
        return skipped

    async def next_reminder_due(self) -> datetime | None:
        due = [d["due_at"] for d in self.reminders.values() if d["status"] == "pending"]
        return min(due, default=None)

    # -- subscriptions and command status ------------------------------------------------
    async def subscription(self, subscription_id: str, *, session: Any = None) -> Document | None:
        return self.subscriptions.get(subscription_id)

    async def insert_subscription(self, doc: Document, *, session: Any) -> None:
        if doc["_id"] in self.subscriptions:
            raise KeyError(f"subscription {doc['_id']} exists")
        self.subscriptions[doc["_id"]] = dict(doc)

    async def deactivate_subscription(
        self, subscription_id: str, at: datetime, *, session: Any
    ) -> None:
        if subscription_id in self.subscriptions:
            self.subscriptions[subscription_id].update(active=False, deleted_at=at)

    async def active_subscriptions(self, roundtable_id: str, *, session: Any) -> list[Document]:
        return [
            d
            for d in self.subscriptions.values()
            if d["roundtable_id"] in (roundtable_id, "*") and d["active"]
        ]

    async def record_command(self, doc: Document, *, session: Any) -> None:
        self.commands[doc["_id"]] = dict(doc)

    async def command(self, command_id: str) -> Document | None:
        return self.commands.get(command_id)
