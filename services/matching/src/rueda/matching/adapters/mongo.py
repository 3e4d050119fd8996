"""MongoDB documents of the matching service and the repository that reads and writes them.

Collections (database `rueda_matching`):

* `roundtables`: one document per roundtable: its calendar and matching rules (from
  `RoundtableOpened`) and, in auto mode, when the next re-plan is due.
* `participants`: one document per approved participant: the domain profile, the
  calendar that travels with agreed meetings, and its current proposals. Approvals and
  withdrawals rewrite only the documents whose proposals changed.
* `agreements`: agreed meetings (auto or request), `status` agreed|withdrawn.
* `meeting_requests`: request mode, one document per request with its status.
* `command_status`: the outcome of each command on `matching.commands.v1`, by command id.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pymongo import ASCENDING, ReplaceOne, UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from rueda.shared.contracts.common import CalendarSettings, MatchingRules
from rueda.shared.contracts.matching import PartyCalendar
from rueda.shared.mongo import IndexSpec

from ..domain import MeetingRequest, Participant, Proposal

__all__ = [
    "AGREEMENTS",
    "COMMAND_STATUS",
    "INDEXES",
    "PARTICIPANTS",
    "REQUESTS",
    "ROUNDTABLES",
    "Agreement",
    "MatchingStore",
    "RoundtableConfig",
    "StoredParticipant",
]

Document = dict[str, Any]

ROUNDTABLES = "roundtables"
PARTICIPANTS = "participants"
AGREEMENTS = "agreements"
REQUESTS = "meeting_requests"
COMMAND_STATUS = "command_status"

INDEXES = (
    IndexSpec(PARTICIPANTS, [("roundtable_id", ASCENDING), ("participant_id", ASCENDING)]),
    IndexSpec(AGREEMENTS, [("roundtable_id", ASCENDING), ("status", ASCENDING)]),
    IndexSpec(
        AGREEMENTS,
        [("roundtable_id", ASCENDING), ("exporter_id", ASCENDING), ("importer_id", ASCENDING)],
        name="agreements_by_pair",
    ),
    IndexSpec(REQUESTS, [("roundtable_id", ASCENDING), ("status", ASCENDING)]),
    IndexSpec(REQUESTS, [("status", ASCENDING), ("expires_at", ASCENDING)], name="requests_due"),
    IndexSpec(ROUNDTABLES, [("plan_due_at", ASCENDING)], name="plans_due"),
    IndexSpec(ROUNDTABLES, [("plan_deadline", ASCENDING)], name="plans_overdue"),
    IndexSpec(ROUNDTABLES, [("proposals_due_at", ASCENDING)], name="proposals_due"),
    IndexSpec(
        PARTICIPANTS, [("roundtable_id", ASCENDING), ("announce", ASCENDING)], name="to_announce"
    ),
    IndexSpec(ROUNDTABLES, [("proposals_deadline", ASCENDING)], name="proposals_overdue"),
)


@dataclass(frozen=True)
class RoundtableConfig:
    """What matching keeps of a roundtable."""

    roundtable_id: str
    calendar: CalendarSettings
    rules: MatchingRules
    plan_due_at: dt.datetime | None = None
    plan_deadline: dt.datetime | None = None
    #: raised by every change of the approved participants, their proposals or the rules
    book_version: int = 0


@dataclass(frozen=True)
class StoredParticipant:
    participant: Participant
    party: PartyCalendar
    proposals: tuple[Proposal, ...] = ()


@dataclass(frozen=True)
class Agreement:
    """An agreed meeting between an exporter and an importer."""

    meeting_id: str
    roundtable_id: str
    exporter_id: str
    importer_id: str
    score: float
    source: Literal["auto", "request"]
    request_id: str | None = None
    status: Literal["agreed", "withdrawn"] = "agreed"
    reason: str = ""
    extra: Document = field(default_factory=dict)

    @property
    def pair(self) -> tuple[str, str]:
        return (self.exporter_id, self.importer_id)


def _pid_key(roundtable_id: str, participant_id: str) -> str:
    return f"{roundtable_id}/{participant_id}"


def _request_key(roundtable_id: str, request_id: str) -> str:
    return f"{roundtable_id}/{request_id}"


def _agreement(doc: Document) -> Agreement:
    return Agreement(
        meeting_id=doc["_id"],
        roundtable_id=doc["roundtable_id"],
        exporter_id=doc["exporter_id"],
        importer_id=doc["importer_id"],
        score=float(doc["score"]),
        source=doc["source"],
        request_id=doc.get("request_id"),
        status=doc["status"],
        reason=doc.get("reason", ""),
    )


def command_document(
    roundtable_id: str,
    command_type: str,
    status: str,
    at: dt.datetime,
    code: str,
    reason: str,
    details: Document | None,
    resource: Document | None,
) -> Document:
    """A command's status as stored (without its `_id`, the command id)."""
    return {
        "roundtable_id": roundtable_id,
        "type": command_type,
        "status": status,
        "code": code,
        "reason": reason,
        "details": details or {},
        "resource": resource or {},
        "at": at,
    }


class MatchingStore:
    """The matching repository over one database, optionally inside a transaction's session.

    Every method reads and writes with the session it was built with, so a handler's state
    commits together with its inbox record and outbox.
    """

    def __init__(
        self, db: AsyncDatabase[Document], session: AsyncClientSession | None = None
    ) -> None:
        self._db = db
        self._session = session

    # -- roundtables -------------------------------------------------------------------

    async def roundtable(self, roundtable_id: str) -> RoundtableConfig | None:
        doc = await self._db[ROUNDTABLES].find_one({"_id": roundtable_id}, session=self._session)
        if doc is None:
            return None
        return RoundtableConfig(
            roundtable_id=roundtable_id,
            calendar=CalendarSettings.model_validate(doc["calendar"]),
            rules=MatchingRules.model_validate(doc["rules"]),
            plan_due_at=doc.get("plan_due_at"),
            plan_deadline=doc.get("plan_deadline"),
            book_version=int(doc.get("book_version", 0)),
        )

    async def save_roundtable(self, config: RoundtableConfig) -> None:
        await self._db[ROUNDTABLES].update_one(
            {"_id": config.roundtable_id},
            {
                "$set": {
                    "calendar": config.calendar.model_dump(mode="json"),
                    "rules": config.rules.model_dump(mode="json"),
                },
                "$inc": {"book_version": 1},
            },
            upsert=True,
            session=self._session,
        )

    async def bump_book(self, roundtable_id: str) -> None:
        """Record that the participants or their proposals changed (cached books go stale).

        In the handler's transaction: two writers of one roundtable conflict here, so a
        replica never commits a change made on a book older than the stored one.
        """
        await self._db[ROUNDTABLES].update_one(
            {"_id": roundtable_id}, {"$inc": {"book_version": 1}}, session=self._session
        )

    async def mark_plan_due(
        self, roundtable_id: str, due_at: dt.datetime, deadline: dt.datetime
    ) -> None:
        """Debounce: the re-plan waits until `due_at`, but never beyond the first deadline."""
        await self._db[ROUNDTABLES].update_one(
            {"_id": roundtable_id},
            {"$set": {"plan_due_at": due_at}, "$min": {"plan_deadline": deadline}},
            session=self._session,
        )

    async def due_plans(self, now: dt.datetime, limit: int = 100) -> list[str]:
        """Roundtables whose re-plan is due at `now` (read outside any transaction).

        Two single-clause queries on the `plans_due` / `plans_overdue` indexes: SecantusDB
        serves a top-level `$or` by scanning the collection, on every tick.
        """
        return await self._due(("plan_due_at", "plan_deadline"), now, limit)

    async def mark_proposals_due(
        self, roundtable_id: str, due_at: dt.datetime, deadline: dt.datetime
    ) -> None:
        """Debounce the announcement of new proposals (those saved with `announce`), like
        the plan."""
        await self._db[ROUNDTABLES].update_one(
            {"_id": roundtable_id},
            {"$set": {"proposals_due_at": due_at}, "$min": {"proposals_deadline": deadline}},
            session=self._session,
        )

    async def due_proposals(self, now: dt.datetime, limit: int = 100) -> list[str]:
        """Roundtables with proposals to announce at `now` (read outside any transaction)."""
        return await self._due(("proposals_due_at", "proposals_deadline"), now, limit)

    async def claim_proposals(self, roundtable_id: str) -> list[str]:
        """Take the participants whose new proposals wait to be announced (in the announcing
        transaction); empty if none are due or another replica took them.

        The marks are cleared only if they are still those read, and each participant's
        flag by its id: a change committed meanwhile conflicts with one of these writes."""
        doc = await self._db[ROUNDTABLES].find_one(
            {"_id": roundtable_id},
            {"proposals_due_at": 1, "proposals_deadline": 1},
            session=self._session,
        )
        if doc is None or (
            doc.get("proposals_due_at") is None and doc.get("proposals_deadline") is None
        ):
            return []
        result = await self._db[ROUNDTABLES].update_one(
            {
                "_id": roundtable_id,
                "proposals_due_at": doc.get("proposals_due_at"),
                "proposals_deadline": doc.get("proposals_deadline"),
            },
            {"$unset": {"proposals_due_at": "", "proposals_deadline": ""}},
            session=self._session,
        )
        if result.modified_count != 1:
            return []
        flagged = (
            await self._db[PARTICIPANTS]
            .find(
                {"roundtable_id": roundtable_id, "announce": True},
                {"participant_id": 1},
                session=self._session,
            )
            .to_list()
        )
        if flagged:
            await self._db[PARTICIPANTS].bulk_write(
                [UpdateOne({"_id": d["_id"]}, {"$unset": {"announce": ""}}) for d in flagged],
                ordered=False,
                session=self._session,
            )
        return sorted(d["participant_id"] for d in flagged)

    async def _due(self, marks: tuple[str, str], now: dt.datetime, limit: int) -> list[str]:
        due: dict[str, None] = {}
        for mark in marks:
            cursor = self._db[ROUNDTABLES].find(
                {mark: {"$lte": now}}, {"_id": 1}, session=self._session
            )
            for doc in await cursor.limit(limit).to_list():
                due.setdefault(doc["_id"])
        return list(due)[:limit]

    async def claim_plan(self, config: RoundtableConfig) -> bool:
        """Clear the due marks if they are still those read; False if someone else moved them."""
        result = await self._db[ROUNDTABLES].update_one(
            {
                "_id": config.roundtable_id,
                "plan_due_at": config.plan_due_at,
                "plan_deadline": config.plan_deadline,
            },
            {"$unset": {"plan_due_at": "", "plan_deadline": ""}, "$inc": {"plans": 1}},
            session=self._session,
        )
        return result.modified_count == 1

    # -- participants ------------------------------------------------------------------

    async def participants(self, roundtable_id: str) -> list[StoredParticipant]:
        cursor = self._db[PARTICIPANTS].find(
            {"roundtable_id": roundtable_id}, session=self._session
        )
        return [
            StoredParticipant(
                participant=Participant.from_dict(doc["participant"]),
                party=PartyCalendar.model_validate(doc["party"]),
                proposals=tuple(Proposal.from_dict(p) for p in doc.get("proposals", [])),
            )
            for doc in await cursor.to_list()
        ]

    async def participant(self, roundtable_id: str, participant_id: str) -> Document | None:
        """The raw document of one participant (read API)."""
        return await self._db[PARTICIPANTS].find_one(
            {"_id": _pid_key(roundtable_id, participant_id)}, session=self._session
        )

    async def save_participants(
        self, roundtable_id: str, stored: Sequence[StoredParticipant], *, announce: bool = False
    ) -> None:
        """Write participants with their proposals, in one bulk write; `announce`: their
        proposals wait to be announced."""
        if not stored:
            return
        await self._db[PARTICIPANTS].bulk_write(
            [
                ReplaceOne(
                    {"_id": _pid_key(roundtable_id, one.participant.participant_id)},
                    {
                        "roundtable_id": roundtable_id,
                        "participant_id": one.participant.participant_id,
                        "role": one.participant.role,
                        "country": one.participant.country,
                        "participant": one.participant.to_dict(),
                        "party": one.party.model_dump(mode="json"),
                        "proposals": [p.to_dict() for p in one.proposals],
                        **({"announce": True} if announce else {}),
                    },
                    upsert=True,
                )
                for one in stored
            ],
            ordered=True,
            session=self._session,
        )

    async def save_proposals(
        self,
        roundtable_id: str,
        proposals: dict[str, tuple[Proposal, ...]],
        *,
        announce: bool = False,
    ) -> None:
        """Rewrite the proposals of these participants only; `announce`: flag them as
        waiting to be announced (in the same write)."""
        if not proposals:
            return
        await self._db[PARTICIPANTS].bulk_write(
            [
                UpdateOne(
                    {"_id": _pid_key(roundtable_id, pid)},
                    {
                        "$set": {
                            "proposals": [p.to_dict() for p in items],
                            **({"announce": True} if announce else {}),
                        }
                    },
                )
                for pid, items in sorted(proposals.items())
            ],
            ordered=True,
            session=self._session,
        )

    async def delete_participant(self, roundtable_id: str, participant_id: str) -> None:
        await self._db[PARTICIPANTS].delete_one(
            {"_id": _pid_key(roundtable_id, participant_id)}, session=self._session
        )

    # -- agreements --------------------------------------------------------------------

    async def agreements(
        self, roundtable_id: str, *, participant_id: str | None = None, active: bool = True
    ) -> list[Agreement]:
        query: Document = {"roundtable_id": roundtable_id}
        if active:
            query["status"] = "agreed"
        if participant_id is not None:
            query["$or"] = [{"exporter_id": participant_id}, {"importer_id": participant_id}]
        cursor = self._db[AGREEMENTS].find(query, session=self._session).sort("_id", ASCENDING)
        return [_agreement(doc) for doc in await cursor.to_list()]

    async def pair_generations(self, roundtable_id: str, exporter_id: str, importer_id: str) -> int:
        """How many agreements this pair had before (for fresh meeting ids)."""
        return await self._db[AGREEMENTS].count_documents(
            {
                "roundtable_id": roundtable_id,
                "exporter_id": exporter_id,
                "importer_id": importer_id,
            },
            session=self._session,
        )

    async def pair_generations_of(self, roundtable_id: str) -> Counter[tuple[str, str]]:
        """How many agreements each pair of the roundtable had so far (one read for a plan)."""
        cursor = self._db[AGREEMENTS].find(
            {"roundtable_id": roundtable_id},
            {"exporter_id": 1, "importer_id": 1},
            session=self._session,
        )
        return Counter((d["exporter_id"], d["importer_id"]) for d in await cursor.to_list())

    async def add_agreements(self, agreements: Iterable[Agreement], at: dt.datetime) -> None:
        docs = [
            {
                "_id": agreement.meeting_id,
                "roundtable_id": agreement.roundtable_id,
                "exporter_id": agreement.exporter_id,
                "importer_id": agreement.importer_id,
                "score": agreement.score,
                "source": agreement.source,
                "request_id": agreement.request_id,
                "status": "agreed",
                "agreed_at": at,
            }
            for agreement in agreements
        ]
        if docs:
            await self._db[AGREEMENTS].insert_many(docs, session=self._session)

    async def withdraw_agreement(self, meeting_id: str, reason: str, at: dt.datetime) -> None:
        await self._db[AGREEMENTS].update_one(
            {"_id": meeting_id},
            {"$set": {"status": "withdrawn", "reason": reason, "withdrawn_at": at}},
            session=self._session,
        )

    # -- meeting requests --------------------------------------------------------------

    async def requests(
        self,
        roundtable_id: str,
        *,
        status: str | None = None,
        participant_id: str | None = None,
    ) -> list[MeetingRequest]:
        query: Document = {"roundtable_id": roundtable_id}
        if status is not None:
            query["status"] = status
        if participant_id is not None:
            query["$or"] = [{"exporter_id": participant_id}, {"importer_id": participant_id}]
        cursor = self._db[REQUESTS].find(query, session=self._session).sort("created_at", 1)
        return [MeetingRequest.from_dict(doc) for doc in await cursor.to_list()]

    async def request(self, roundtable_id: str, request_id: str) -> MeetingRequest | None:
        doc = await self._db[REQUESTS].find_one(
            {"_id": _request_key(roundtable_id, request_id)}, session=self._session
        )
        return None if doc is None else MeetingRequest.from_dict(doc)

    async def save_request(self, roundtable_id: str, request: MeetingRequest) -> None:
        await self._db[REQUESTS].replace_one(
            {"_id": _request_key(roundtable_id, request.request_id)},
            {"roundtable_id": roundtable_id, **request.to_dict()},
            upsert=True,
            session=self._session,
        )

    async def due_requests(self, now: dt.datetime, limit: int = 500) -> list[Document]:
        """Pending requests whose time is up (read outside any transaction)."""
        cursor = self._db[REQUESTS].find(
            {"status": "pending", "expires_at": {"$lte": now}},
            {"roundtable_id": 1, "request_id": 1},
            session=self._session,
        )
        return await cursor.sort("expires_at", ASCENDING).limit(limit).to_list()

    async def expire_request(self, roundtable_id: str, request_id: str) -> MeetingRequest | None:
        """Mark one request expired if it is still pending; None if another replica did."""
        result = await self._db[REQUESTS].update_one(
            {"_id": _request_key(roundtable_id, request_id), "status": "pending"},
            {"$set": {"status": "expired"}},
            session=self._session,
        )
        if result.modified_count != 1:
            return None
        return await self.request(roundtable_id, request_id)

    # -- command status ----------------------------------------------------------------

    async def record_command(
        self,
        command_id: str,
        *,
        roundtable_id: str,
        command_type: str,
        status: Literal["accepted", "rejected"],
        at: dt.datetime,
        code: str = "",
        reason: str = "",
        details: Document | None = None,
        resource: Document | None = None,
    ) -> None:
        """Same shape as registration's command statuses, for the gateway's status URL."""
        doc = command_document(
            roundtable_id, command_type, status, at, code, reason, details, resource
        )
        await self._db[COMMAND_STATUS].replace_one(
            {"_id": command_id}, doc, upsert=True, session=self._session
        )

    async def command(self, command_id: str) -> Document | None:
        return await self._db[COMMAND_STATUS].find_one({"_id": command_id}, session=self._session)
