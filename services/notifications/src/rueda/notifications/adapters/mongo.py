"""The service's own MongoDB collections: projections, deliveries, reminders, subscriptions.

Documents here are storage shapes, not wire contracts: handlers translate.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from typing import Any, Literal

from pymongo import ASCENDING, DESCENDING, ReturnDocument, UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from rueda.shared.mongo import IndexSpec
from rueda.shared.sealing import Sealer, is_sealed

__all__ = ["COLLECTIONS", "INDEXES", "DeliveryStatus", "NotificationsStore"]

Document = dict[str, Any]
DeliveryStatus = Literal["pending", "sending", "sent", "failed", "cancelled"]
Session = AsyncClientSession | None

PARTICIPANTS = "participants"
ROUNDTABLES = "roundtables"
MEETINGS = "meetings"
DELIVERIES = "deliveries"
REMINDERS = "reminders"
SUBSCRIPTIONS = "subscriptions"
COMMANDS = "commands"
COLLECTIONS = (PARTICIPANTS, ROUNDTABLES, MEETINGS, DELIVERIES, REMINDERS, SUBSCRIPTIONS, COMMANDS)

INDEXES = (
    IndexSpec(DELIVERIES, [("status", ASCENDING), ("next_at", ASCENDING)], name="due"),
    IndexSpec(DELIVERIES, [("status", ASCENDING), ("lease_until", ASCENDING)], name="leased"),
    IndexSpec(
        DELIVERIES,
        [("roundtable_id", ASCENDING), ("participant_id", ASCENDING), ("created_at", ASCENDING)],
        name="by_participant",
    ),
    IndexSpec(REMINDERS, [("status", ASCENDING), ("due_at", ASCENDING)], name="due"),
    IndexSpec(REMINDERS, [("status", ASCENDING), ("lease_until", ASCENDING)], name="leased"),
    IndexSpec(REMINDERS, [("roundtable_id", ASCENDING), ("meeting_id", ASCENDING)], name="meeting"),
    IndexSpec(SUBSCRIPTIONS, [("roundtable_id", ASCENDING), ("active", ASCENDING)], name="rt"),
)


def key(roundtable_id: str, entity_id: str) -> str:
    return f"{roundtable_id}/{entity_id}"


class NotificationsStore:
    """Reads and writes of the notifications database. Writes take the handler's session."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.db = db

    # -- projections ---------------------------------------------------------------------
    async def upsert_participant(self, doc: Document, *, session: Session) -> None:
        _id = key(doc["roundtable_id"], doc["participant_id"])
        await self.db[PARTICIPANTS].update_one(
            {"_id": _id}, {"$set": doc}, upsert=True, session=session
        )

    async def set_participant_status(
        self, roundtable_id: str, participant_id: str, status: str, *, session: Session
    ) -> None:
        await self.db[PARTICIPANTS].update_one(
            {"_id": key(roundtable_id, participant_id)},
            {"$set": {"status": status}},
            session=session,
        )

    async def participants(
        self, roundtable_id: str, ids: Iterable[str], *, session: Session = None
    ) -> dict[str, Document]:
        wanted = [key(roundtable_id, pid) for pid in dict.fromkeys(ids)]
        if not wanted:
            return {}
        docs = await self.db[PARTICIPANTS].find({"_id": {"$in": wanted}}, session=session).to_list()
        return {d["participant_id"]: d for d in docs}

    async def upsert_roundtable(self, roundtable_id: str, name: str, *, session: Session) -> None:
        await self.db[ROUNDTABLES].update_one(
            {"_id": roundtable_id}, {"$set": {"name": name}}, upsert=True, session=session
        )

    async def roundtable_names(self, roundtable_ids: Iterable[str]) -> dict[str, str]:
        """Names of the roundtables (an unknown one is named by its id)."""
        wanted = list(dict.fromkeys(roundtable_ids))
        docs = await self.db[ROUNDTABLES].find({"_id": {"$in": wanted}}).to_list()
        names = {d["_id"]: str(d["name"]) for d in docs}
        return {rt: names.get(rt, rt) for rt in wanted}

    async def meeting(
        self, roundtable_id: str, meeting_id: str, *, session: Session = None
    ) -> Document | None:
        return await self.db[MEETINGS].find_one(
            {"_id": key(roundtable_id, meeting_id)}, session=session
        )

    async def meetings(self, roundtable_id: str, meeting_ids: Iterable[str]) -> dict[str, Document]:
        """Meeting projections by meeting id (those known)."""
        wanted = [key(roundtable_id, mid) for mid in dict.fromkeys(meeting_ids)]
        if not wanted:
            return {}
        docs = await self.db[MEETINGS].find({"_id": {"$in": wanted}}).to_list()
        return {d["meeting_id"]: d for d in docs}

    async def put_meeting(self, doc: Document, *, session: Session) -> None:
        await self.db[MEETINGS].replace_one(
            {"_id": key(doc["roundtable_id"], doc["meeting_id"])},
            doc,
            upsert=True,
            session=session,
        )

    # -- deliveries ----------------------------------------------------------------------
    async def add_deliveries(
        self, docs: Iterable[Document], *, refresh: Collection[str] = (), session: Session
    ) -> None:
        """Record deliveries once each (a second write of the same id changes nothing), in one
        bulk write. Those whose id is in `refresh` and are not sent yet take the new `data`:
        a coalesced e-mail carries the latest data of its kind."""
        ops: list[UpdateOne] = []
        for doc in docs:
            ops.append(UpdateOne({"_id": doc["_id"]}, {"$setOnInsert": doc}, upsert=True))
            if doc["_id"] in refresh:
                ops.append(
                    UpdateOne(
                        {"_id": doc["_id"], "status": "pending"}, {"$set": {"data": doc["data"]}}
                    )
                )
        if ops:
            await self.db[DELIVERIES].bulk_write(ops, ordered=True, session=session)

    async def claim_deliveries(
        self, owner: str, now: datetime, lease: timedelta, *, limit: int
    ) -> list[Document]:
        """Take up to `limit` deliveries whose sender's lease ran out (crashed), then due ones.

        Each claimed document carries a fresh `claim` token: only that claim can finish it.
        Three statements for the whole batch: a read of due ids on the `leased` / `due`
        indexes, an update of those ids that re-asserts the due condition (so a delivery
        another worker took meanwhile is not taken again: each document's update is atomic),
        and a read back of what this claim got. No `findAndModify`: SecantusDB re-checks its
        write filter (`_id` plus `$and` of the query) by scanning the whole collection, and
        one `$or` query scans too; an `_id`-first filter is a primary-key lookup.
        """
        claim = uuid.uuid4().hex
        update = {
            "$set": {
                "status": "sending",
                "owner": owner,
                "claim": claim,
                "lease_until": now + lease,
            },
            "$inc": {"attempts": 1},
        }
        tried: list[str] = []
        for query in (
            {"status": "sending", "lease_until": {"$lt": now}},
            {"status": "pending", "next_at": {"$lte": now}},
        ):
            wanted = limit - len(tried)
            if wanted <= 0:
                break
            found = (
                await self.db[DELIVERIES]
                .find(query, {"_id": 1})
                .sort("next_at", ASCENDING)
                .limit(wanted)
                .to_list()
            )
            ids = [d["_id"] for d in found]
            if ids:
                await self.db[DELIVERIES].update_many({"_id": {"$in": ids}, **query}, update)
                tried += ids
        if not tried:
            return []
        return (
            await self.db[DELIVERIES]
            .find({"_id": {"$in": tried}, "claim": claim})
            .sort("next_at", ASCENDING)
            .to_list()
        )

    async def finish_delivery(
        self, delivery: Document, changes: Document, *, session: Session
    ) -> bool:
        """Move a delivery out of `sending`, only if its claim still holds it."""
        return await self.finish_deliveries([delivery], changes, session=session) == 1

    async def finish_deliveries(
        self, deliveries: Iterable[Document], changes: Document, *, session: Session
    ) -> int:
        """Apply the same change to claimed deliveries that are still held; returns how many.

        The claim token is per batch, so one statement covers the batch.
        """
        by_claim: dict[str, list[str]] = {}
        for d in deliveries:
            by_claim.setdefault(d["claim"], []).append(d["_id"])
        modified = 0
        for claim, ids in by_claim.items():
            result = await self.db[DELIVERIES].update_many(
                {"_id": {"$in": ids}, "claim": claim, "status": "sending"},
                {"$set": changes, "$unset": {"lease_until": ""}},
                session=session,
            )
            modified += result.modified_count
        return modified

    async def retry_deliveries(self, retries: Iterable[tuple[Document, Document]]) -> None:
        """Put failed attempts back to `pending`, each with its own changes (one bulk write)."""
        ops = [
            UpdateOne(
                {"_id": d["_id"], "claim": d["claim"], "status": "sending"},
                {"$set": {"status": "pending", **changes}, "$unset": {"lease_until": ""}},
            )
            for d, changes in retries
        ]
        if ops:
            await self.db[DELIVERIES].bulk_write(ops, ordered=False)

    async def release_deliveries(self, deliveries: Iterable[Document], now: datetime) -> None:
        """Give back claimed deliveries that were not tried (a stop, a batch out of time)."""
        by_claim: dict[str, list[str]] = {}
        for d in deliveries:
            by_claim.setdefault(d["claim"], []).append(d["_id"])
        for claim, ids in by_claim.items():
            await self.db[DELIVERIES].update_many(
                {"_id": {"$in": ids}, "claim": claim, "status": "sending"},
                {
                    "$set": {"status": "pending", "next_at": now},
                    "$unset": {"lease_until": ""},
                    "$inc": {"attempts": -1},
                },
            )

    async def deliveries_of(self, roundtable_id: str, participant_id: str) -> list[Document]:
        return (
            await self.db[DELIVERIES]
            .find({"roundtable_id": roundtable_id, "participant_id": participant_id})
            .sort("created_at", ASCENDING)
            .to_list()
        )

    # -- reminders -----------------------------------------------------------------------
    async def add_reminders(self, docs: Iterable[Document], *, session: Session) -> None:
        """Record reminders once each, in one bulk write."""
        ops = [UpdateOne({"_id": d["_id"]}, {"$setOnInsert": d}, upsert=True) for d in docs]
        if ops:
            await self.db[REMINDERS].bulk_write(ops, ordered=False, session=session)

    async def skip_reminders(
        self, roundtable_id: str, meeting_id: str, below_sequence: int | None, *, session: Session
    ) -> int:
        """Skip the pending reminders of a meeting (all, or those of older versions).

        The meeting's reminders are read by the `meeting` index (equality on both its fields),
        then updated by `_id`: SecantusDB served the one-statement filter (status and a
        sequence range beside the two ids) from `roundtable_id` alone, i.e. it read every
        reminder of the roundtable for each meeting placed.
        """
        mine = (
            await self.db[REMINDERS]
            .find(
                {"roundtable_id": roundtable_id, "meeting_id": meeting_id},
                {"status": 1, "sequence": 1},
                session=session,
            )
            .to_list()
        )
        ids = [
            d["_id"]
            for d in mine
            if d["status"] == "pending"
            and (below_sequence is None or d["sequence"] < below_sequence)
        ]
        if not ids:
            return 0
        result = await self.db[REMINDERS].update_many(
            {"_id": {"$in": ids}, "status": "pending"},
            {"$set": {"status": "skipped"}},
            session=session,
        )
        return result.modified_count

    async def claim_reminder(self, owner: str, now: datetime, lease: timedelta) -> Document | None:
        # as claim_delivery: two indexed single-clause queries instead of a scanning `$or`
        update = {"$set": {"status": "firing", "owner": owner, "lease_until": now + lease}}
        for query in (
            {"status": "firing", "lease_until": {"$lt": now}},
            {"status": "pending", "due_at": {"$lte": now}},
        ):
            claimed: Document | None = await self.db[REMINDERS].find_one_and_update(
                query, update, sort=[("due_at", ASCENDING)], return_document=ReturnDocument.AFTER
            )
            if claimed is not None:
                return claimed
        return None

    async def close_reminder(
        self, reminder_id: str, owner: str, status: str, *, session: Session
    ) -> bool:
        result = await self.db[REMINDERS].update_one(
            {"_id": reminder_id, "owner": owner, "status": "firing"},
            {"$set": {"status": status}, "$unset": {"lease_until": ""}},
            session=session,
        )
        return result.modified_count == 1

    async def next_reminder_due(self) -> datetime | None:
        doc = await self.db[REMINDERS].find_one({"status": "pending"}, sort=[("due_at", ASCENDING)])
        return doc["due_at"] if doc else None

    # -- subscriptions and command status ------------------------------------------------
    async def subscription(
        self, subscription_id: str, *, session: Session = None
    ) -> Document | None:
        return await self.db[SUBSCRIPTIONS].find_one({"_id": subscription_id}, session=session)

    async def insert_subscription(self, doc: Document, *, session: Session) -> None:
        await self.db[SUBSCRIPTIONS].insert_one(doc, session=session)

    async def deactivate_subscription(
        self, subscription_id: str, at: datetime, *, session: Session
    ) -> None:
        await self.db[SUBSCRIPTIONS].update_one(
            {"_id": subscription_id},
            {"$set": {"active": False, "deleted_at": at}},
            session=session,
        )

    async def active_subscriptions(self, roundtable_id: str, *, session: Session) -> list[Document]:
        return (
            await self.db[SUBSCRIPTIONS]
            .find({"roundtable_id": {"$in": [roundtable_id, "*"]}, "active": True}, session=session)
            .to_list()
        )

    async def reseal_secrets(self, sealer: Sealer) -> int:
        """Seal every subscription's secret under the sealer's current key: a plain one (from
        before sealing) is sealed, one under an older key rewrapped. Returns how many changed."""
        changed = 0
        async for doc in self.db[SUBSCRIPTIONS].find({}, projection={"secret": True}):
            secret = doc.get("secret")
            if not isinstance(secret, str):
                continue
            if is_sealed(secret):
                if sealer.key_id(secret) == sealer.current:
                    continue
                new = sealer.rewrap(secret)
            else:
                new = sealer.seal(secret, doc["_id"])
            result = await self.db[SUBSCRIPTIONS].update_one(
                {"_id": doc["_id"], "secret": secret}, {"$set": {"secret": new}}
            )
            changed += result.modified_count
        return changed

    async def list_subscriptions(self, query: Document) -> list[Document]:
        return (
            await self.db[SUBSCRIPTIONS]
            .find(query, projection={"secret": False})
            .sort("created_at", DESCENDING)
            .to_list()
        )

    async def record_command(self, doc: Document, *, session: Session) -> None:
        await self.db[COMMANDS].replace_one({"_id": doc["_id"]}, doc, upsert=True, session=session)

    async def command(self, command_id: str) -> Document | None:
        return await self.db[COMMANDS].find_one({"_id": command_id})
