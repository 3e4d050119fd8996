"""The matching repository in memory, beside the MongoDB one (`mongo.py`): the same
methods over dictionaries of the same documents, for handler tests that take milliseconds.
One instance serves every "session": give `Matching` `stores=lambda session: store`."""

from __future__ import annotations

import copy
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Literal

from rueda.shared.contracts.common import CalendarSettings, MatchingRules
from rueda.shared.contracts.matching import PartyCalendar

from ..domain import MeetingRequest, Participant, Proposal
from .mongo import (
    Agreement,
    Document,
    RoundtableConfig,
    StoredParticipant,
    _agreement,
    _pid_key,
    _request_key,
    command_document,
)

__all__ = ["InMemoryMatchingStore"]


class InMemoryMatchingStore:
    """`MatchingStore` over dictionaries: roundtables, participants, agreements, requests,
    command statuses (each a dictionary of documents by `_id`)."""

    def __init__(self) -> None:
        self.roundtables: dict[str, Document] = {}
        self.participants_by_key: dict[str, Document] = {}
        self.agreements_by_id: dict[str, Document] = {}
        self.requests_by_key: dict[str, Document] = {}
        self.commands: dict[str, Document] = {}

    # -- roundtables -------------------------------------------------------------------
    async def roundtable(self, roundtable_id: str) -> RoundtableConfig | None:
        doc = self.roundtables.get(roundtable_id)
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
        doc = self.roundtables.setdefault(config.roundtable_id, {"_id": config.roundtable_id})
        doc["calendar"] = config.calendar.model_dump(mode="json")
        doc["rules"] = config.rules.model_dump(mode="json")
        doc["book_version"] = doc.get("book_version", 0) + 1

    async def bump_book(self, roundtable_id: str) -> None:
        if roundtable_id in self.roundtables:
            doc = self.roundtables[roundtable_id]
            doc["book_version"] = doc.get("book_version", 0) + 1

    async def mark_plan_due(
        self, roundtable_id: str, due_at: dt.datetime, deadline: dt.datetime
    ) -> None:
        self._mark(roundtable_id, ("plan_due_at", "plan_deadline"), due_at, deadline)

    async def due_plans(self, now: dt.datetime, limit: int = 100) -> list[str]:
        return self._due(("plan_due_at", "plan_deadline"), now, limit)

    async def mark_proposals_due(
        self, roundtable_id: str, due_at: dt.datetime, deadline: dt.datetime
    ) -> None:
        self._mark(roundtable_id, ("proposals_due_at", "proposals_deadline"), due_at, deadline)

    async def due_proposals(self, now: dt.datetime, limit: int = 100) -> list[str]:
        return self._due(("proposals_due_at", "proposals_deadline"), now, limit)

    async def claim_proposals(self, roundtable_id: str) -> list[str]:
        doc = self.roundtables.get(roundtable_id)
        if doc is None or (
            doc.get("proposals_due_at") is None and doc.get("proposals_deadline") is None
        ):
            return []
        doc.pop("proposals_due_at", None)
        doc.pop("proposals_deadline", None)
        flagged = []
        for one in self.participants_by_key.values():
            if one["roundtable_id"] == roundtable_id and one.pop("announce", False):
                flagged.append(one["participant_id"])
        return sorted(flagged)

    async def claim_plan(self, config: RoundtableConfig) -> bool:
        doc = self.roundtables.get(config.roundtable_id)
        if doc is None or (doc.get("plan_due_at"), doc.get("plan_deadline")) != (
            config.plan_due_at,
            config.plan_deadline,
        ):
            return False
        doc.pop("plan_due_at", None)
        doc.pop("plan_deadline", None)
        doc["plans"] = doc.get("plans", 0) + 1
        return True

    def _mark(
        self, roundtable_id: str, marks: tuple[str, str], due_at: dt.datetime, deadline: dt.datetime
    ) -> None:
        doc = self.roundtables.get(roundtable_id)
        if doc is None:
            return
        due_mark, deadline_mark = marks
        doc[due_mark] = due_at
        if doc.get(deadline_mark) is None or deadline < doc[deadline_mark]:
            doc[deadline_mark] = deadline

    def _due(self, marks: tuple[str, str], now: dt.datetime, limit: int) -> list[str]:
        due: dict[str, None] = {}
        for mark in marks:
            for rt, doc in self.roundtables.items():
                if doc.get(mark) is not None and doc[mark] <= now:
                    due.setdefault(rt)
        return list(due)[:limit]

    # -- participants ------------------------------------------------------------------
    async def participants(self, roundtable_id: str) -> list[StoredParticipant]:
        return [
            StoredParticipant(
                participant=Participant.from_dict(doc["participant"]),
                party=PartyCalendar.model_validate(doc["party"]),
                proposals=tuple(Proposal.from_dict(p) for p in doc.get("proposals", [])),
            )
            for doc in self.participants_by_key.values()
            if doc["roundtable_id"] == roundtable_id
        ]

    async def participant(self, roundtable_id: str, participant_id: str) -> Document | None:
        return self.participants_by_key.get(_pid_key(roundtable_id, participant_id))

    async def save_participants(
        self, roundtable_id: str, stored: Sequence[StoredParticipant], *, announce: bool = False
    ) -> None:
        for one in stored:
            pid = one.participant.participant_id
            self.participants_by_key[_pid_key(roundtable_id, pid)] = {
                "_id": _pid_key(roundtable_id, pid),
                "roundtable_id": roundtable_id,
                "participant_id": pid,
                "role": one.participant.role,
                "country": one.participant.country,
                "participant": copy.deepcopy(one.participant.to_dict()),
                "party": one.party.model_dump(mode="json"),
                "proposals": [p.to_dict() for p in one.proposals],
                **({"announce": True} if announce else {}),
            }

    async def save_proposals(
        self,
        roundtable_id: str,
        proposals: dict[str, tuple[Proposal, ...]],
        *,
        announce: bool = False,
    ) -> None:
        for pid, items in proposals.items():
            doc = self.participants_by_key.get(_pid_key(roundtable_id, pid))
            if doc is not None:
                doc["proposals"] = [p.to_dict() for p in items]
                if announce:
                    doc["announce"] = True

    async def delete_participant(self, roundtable_id: str, participant_id: str) -> None:
        self.participants_by_key.pop(_pid_key(roundtable_id, participant_id), None)

    # -- agreements --------------------------------------------------------------------
    async def agreements(
        self, roundtable_id: str, *, participant_id: str | None = None, active: bool = True
    ) -> list[Agreement]:
        return [
            _agreement(doc)
            for _, doc in sorted(self.agreements_by_id.items())
            if doc["roundtable_id"] == roundtable_id
            and (not active or doc["status"] == "agreed")
            and participant_id in (None, doc["exporter_id"], doc["importer_id"])
        ]

    async def pair_generations(self, roundtable_id: str, exporter_id: str, importer_id: str) -> int:
        return (await self.pair_generations_of(roundtable_id))[(exporter_id, importer_id)]

    async def pair_generations_of(self, roundtable_id: str) -> Counter[tuple[str, str]]:
        return Counter(
            (d["exporter_id"], d["importer_id"])
            for d in self.agreements_by_id.values()
            if d["roundtable_id"] == roundtable_id
        )

    async def add_agreements(self, agreements: Iterable[Agreement], at: dt.datetime) -> None:
        for agreement in agreements:
            if agreement.meeting_id in self.agreements_by_id:
                raise KeyError(f"agreement {agreement.meeting_id} exists")
            self.agreements_by_id[agreement.meeting_id] = {
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

    async def withdraw_agreement(self, meeting_id: str, reason: str, at: dt.datetime) -> None:
        if meeting_id in self.agreements_by_id:
            self.agreements_by_id[meeting_id].update(
                status="withdrawn", reason=reason, withdrawn_at=at
            )

    # -- meeting requests --------------------------------------------------------------
    async def requests(
        self,
        roundtable_id: str,
        *,
        status: str | None = None,
        participant_id: str | None = None,
    ) -> list[MeetingRequest]:
        found = [
            doc
            for doc in self.requests_by_key.values()
            if doc["roundtable_id"] == roundtable_id
            and status in (None, doc["status"])
            and participant_id in (None, doc["exporter_id"], doc["importer_id"])
        ]
        return [MeetingRequest.from_dict(d) for d in sorted(found, key=lambda d: d["created_at"])]

    async def request(self, roundtable_id: str, request_id: str) -> MeetingRequest | None:
        doc = self.requests_by_key.get(_request_key(roundtable_id, request_id))
        return None if doc is None else MeetingRequest.from_dict(doc)

    async def save_request(self, roundtable_id: str, request: MeetingRequest) -> None:
        self.requests_by_key[_request_key(roundtable_id, request.request_id)] = {
            "roundtable_id": roundtable_id,
            **request.to_dict(),
        }

    async def due_requests(self, now: dt.datetime, limit: int = 500) -> list[Document]:
        due = [
            d
            for d in self.requests_by_key.values()
            if d["status"] == "pending" and d["expires_at"] <= now
        ]
        due.sort(key=lambda d: d["expires_at"])
        return [{"roundtable_id": d["roundtable_id"], "request_id": d["request_id"]} for d in due][
            :limit
        ]

    async def expire_request(self, roundtable_id: str, request_id: str) -> MeetingRequest | None:
        doc = self.requests_by_key.get(_request_key(roundtable_id, request_id))
        if doc is None or doc["status"] != "pending":
            return None
        doc["status"] = "expired"
        return MeetingRequest.from_dict(doc)

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
        self.commands[command_id] = {
            "_id": command_id,
            **command_document(
                roundtable_id, command_type, status, at, code, reason, details, resource
            ),
        }

    async def command(self, command_id: str) -> Document | None:
        return self.commands.get(command_id)
