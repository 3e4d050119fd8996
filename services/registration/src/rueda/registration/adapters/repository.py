"""MongoDB documents of registration: roundtables, participants, command statuses."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from rueda.shared.contracts import ParticipantProfile, utcnow
from rueda.shared.contracts.registration import CreateRoundtable
from rueda.shared.mongo import IndexSpec

from ..domain import ExistingParticipant, Status, normalise_tax_id

__all__ = ["INDEXES", "RegistrationRepository"]

Document = dict[str, Any]

INDEXES = (
    IndexSpec("participants", [("roundtable_id", ASCENDING), ("status", ASCENDING)]),
    IndexSpec("participants", [("roundtable_id", ASCENDING), ("tax_id_norm", ASCENDING)]),
    IndexSpec("participants", [("roundtable_id", ASCENDING), ("email_domain", ASCENDING)]),
    IndexSpec("commands", [("roundtable_id", ASCENDING)]),
    IndexSpec("participants", [("profile.contact.email", ASCENDING)], name="contact_email"),
)


class RegistrationRepository:
    """Reads and writes registration's own collections (never another service's)."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._db = db

    async def roundtable(
        self, roundtable_id: str, session: AsyncClientSession | None = None
    ) -> Document | None:
        return await self._db.roundtables.find_one({"_id": roundtable_id}, session=session)

    async def add_roundtable(
        self, roundtable_id: str, config: CreateRoundtable, session: AsyncClientSession
    ) -> None:
        await self._db.roundtables.insert_one(
            {
                "_id": roundtable_id,
                "config": config.model_dump(mode="json"),
                "registration_open": config.registration_open,
                "created_at": utcnow(),
            },
            session=session,
        )

    async def set_registration_open(
        self, roundtable_id: str, is_open: bool, session: AsyncClientSession
    ) -> None:
        await self._db.roundtables.update_one(
            {"_id": roundtable_id}, {"$set": {"registration_open": is_open}}, session=session
        )

    async def participant(
        self, roundtable_id: str, participant_id: str, session: AsyncClientSession | None = None
    ) -> Document | None:
        return await self._db.participants.find_one(
            {"_id": participant_id, "roundtable_id": roundtable_id}, session=session
        )

    async def possible_duplicates(
        self, roundtable_id: str, profile: ParticipantProfile, session: AsyncClientSession
    ) -> list[ExistingParticipant]:
        domain = profile.contact.email.rsplit("@", 1)[-1].casefold()
        # Two single-clause queries, each on its compound index, rather than one `$or`:
        # SecantusDB served the `$or` from the `roundtable_id` clause alone, i.e. it read every
        # participant of the roundtable for each registration.
        found: dict[str, Document] = {}
        for clause in (
            {"tax_id_norm": normalise_tax_id(profile.company.tax_id)},
            {"email_domain": domain},
        ):
            cursor = self._db.participants.find(
                {"roundtable_id": roundtable_id, **clause}, session=session
            )
            async for d in cursor:
                found.setdefault(d["_id"], d)
        return [
            ExistingParticipant(
                participant_id=d["_id"],
                status=d["status"],
                tax_id=d["profile"]["company"]["tax_id"],
                email=d["profile"]["contact"]["email"],
                company_name=d["profile"]["company"]["name"],
            )
            for d in found.values()
        ]

    async def add_participant(
        self, roundtable_id: str, profile: ParticipantProfile, session: AsyncClientSession
    ) -> None:
        now = utcnow()
        await self._db.participants.insert_one(
            {
                "_id": profile.participant_id,
                "roundtable_id": roundtable_id,
                "role": profile.role,
                "country": profile.country,
                "status": "pending",
                "profile": profile.model_dump(mode="json"),
                "tax_id_norm": normalise_tax_id(profile.company.tax_id),
                "email_domain": profile.contact.email.rsplit("@", 1)[-1].casefold(),
                "registered_at": now,
                "updated_at": now,
            },
            session=session,
        )

    async def set_status(
        self,
        participant_id: str,
        status: Status,
        session: AsyncClientSession,
        *,
        reason: str = "",
        by: str = "",
    ) -> None:
        await self._db.participants.update_one(
            {"_id": participant_id},
            {
                "$set": {
                    "status": status,
                    "reason": reason,
                    "reviewed_by": by,
                    "updated_at": utcnow(),
                }
            },
            session=session,
        )

    async def record_command(
        self,
        command_id: str,
        *,
        roundtable_id: str,
        command_type: str,
        status: str,
        session: AsyncClientSession,
        code: str = "",
        reason: str = "",
        details: dict[str, Any] | None = None,
        resource: dict[str, str] | None = None,
    ) -> None:
        await self._db.commands.insert_one(
            {
                "_id": command_id,
                "roundtable_id": roundtable_id,
                "type": command_type,
                "status": status,
                "code": code,
                "reason": reason,
                "details": details or {},
                "resource": resource or {},
                "at": utcnow(),
            },
            session=session,
        )

    async def command(self, command_id: str) -> Document | None:
        return await self._db.commands.find_one({"_id": command_id})

    async def participants(
        self,
        roundtable_id: str,
        *,
        role: str | None,
        country: str | None,
        status: str | None,
        limit: int,
        offset: int,
    ) -> list[Document]:
        query: Document = {"roundtable_id": roundtable_id}
        for key, value in (("role", role), ("country", country), ("status", status)):
            if value:
                query[key] = value
        cursor = self._db.participants.find(query).sort("_id", ASCENDING).skip(offset).limit(limit)
        return await cursor.to_list()

    async def by_contact_email(self, email: str, *, limit: int = 100) -> list[Document]:
        """Participants (of every roundtable) whose contact has this address, any case."""
        import re

        query = {"profile.contact.email": {"$regex": f"^{re.escape(email)}$", "$options": "i"}}
        cursor = self._db.participants.find(query).sort("_id", ASCENDING).limit(limit)
        return await cursor.to_list()
