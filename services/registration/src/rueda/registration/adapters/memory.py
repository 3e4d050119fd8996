"""Registration's repository in memory, beside the MongoDB one: the same methods and
documents, for handler tests that take milliseconds."""

from __future__ import annotations

from typing import Any

from rueda.shared.contracts import ParticipantProfile, utcnow
from rueda.shared.contracts.registration import CreateRoundtable

from ..domain import ExistingParticipant, Status, normalise_tax_id
from .repository import (
    Document,
    command_document,
    email_domain,
    existing_participant,
    participant_document,
    roundtable_document,
)

__all__ = ["InMemoryRegistrationRepository"]


class InMemoryRegistrationRepository:
    """`RegistrationRepository` over dictionaries (sessions are accepted and ignored)."""

    def __init__(self) -> None:
        self.roundtables: dict[str, Document] = {}
        self.participants_by_id: dict[str, Document] = {}
        self.commands: dict[str, Document] = {}

    async def roundtable(self, roundtable_id: str, session: Any = None) -> Document | None:
        return self.roundtables.get(roundtable_id)

    async def add_roundtable(
        self, roundtable_id: str, config: CreateRoundtable, session: Any
    ) -> None:
        self.roundtables[roundtable_id] = roundtable_document(roundtable_id, config)

    async def set_registration_open(self, roundtable_id: str, is_open: bool, session: Any) -> None:
        if roundtable_id in self.roundtables:
            self.roundtables[roundtable_id]["registration_open"] = is_open

    async def participant(
        self, roundtable_id: str, participant_id: str, session: Any = None
    ) -> Document | None:
        doc = self.participants_by_id.get(participant_id)
        return doc if doc is not None and doc["roundtable_id"] == roundtable_id else None

    async def by_contact_email(self, email: str, *, limit: int = 100) -> list[Document]:
        """Participants (of every roundtable) whose contact has this address, any case."""
        wanted = email.casefold()
        found = [
            doc
            for _, doc in sorted(self.participants_by_id.items())
            if doc["profile"]["contact"]["email"].casefold() == wanted
        ]
        return found[:limit]

    async def possible_duplicates(
        self, roundtable_id: str, profile: ParticipantProfile, session: Any
    ) -> list[ExistingParticipant]:
        tax_id, domain = normalise_tax_id(profile.company.tax_id), email_domain(profile)
        return [
            existing_participant(d)
            for d in self.participants_by_id.values()
            if d["roundtable_id"] == roundtable_id
            and (d["tax_id_norm"] == tax_id or d["email_domain"] == domain)
        ]

    async def add_participant(
        self, roundtable_id: str, profile: ParticipantProfile, session: Any
    ) -> None:
        self.participants_by_id[profile.participant_id] = participant_document(
            roundtable_id, profile
        )

    async def set_status(
        self, participant_id: str, status: Status, session: Any, *, reason: str = "", by: str = ""
    ) -> None:
        if participant_id in self.participants_by_id:
            self.participants_by_id[participant_id].update(
                status=status, reason=reason, reviewed_by=by, updated_at=utcnow()
            )

    async def record_command(
        self,
        command_id: str,
        *,
        roundtable_id: str,
        command_type: str,
        status: str,
        session: Any,
        code: str = "",
        reason: str = "",
        details: dict[str, Any] | None = None,
        resource: dict[str, str] | None = None,
    ) -> None:
        if command_id in self.commands:
            raise KeyError(f"command {command_id} recorded twice")
        self.commands[command_id] = command_document(
            command_id,
            roundtable_id=roundtable_id,
            command_type=command_type,
            status=status,
            code=code,
            reason=reason,
            details=details,
            resource=resource,
        )

    async def command(self, command_id: str) -> Document | None:
        return self.commands.get(command_id)

    async def participants(
        self,
        roundtable_id: str,
        *,
        role: str | None,
        country: str | None,
        status: str | None,
        limit: int,
        offset: int,
        after: str | None = None,
    ) -> list[Document]:
        wanted = {"role": role, "country": country, "status": status}
        found = [
            d
            for d in sorted(self.participants_by_id.values(), key=lambda d: d["_id"])
            if d["roundtable_id"] == roundtable_id
            and (after is None or d["_id"] > after)
            and all(d[k] == v for k, v in wanted.items() if v)
        ]
        return found[offset : offset + limit]
