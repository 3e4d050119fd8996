"""Who may sign in as what: single-use codes, refresh-token families and staff grants, kept in
the gateway's own database (the only identity state in Rueda; participants themselves stay in
registration, which the gateway asks by contact e-mail).

- A code (sign-in link or invitation) is 256 random bits, stored only as its SHA-256, valid
  15 minutes (invitations: 7 days) and taken once, atomically.
- Exchanging it opens a session: a refresh-token family holding every grant the person may
  act as (each participant whose contact it is, its staff grants) and the one it acts as now.
  Each refresh token is used once: refreshing marks it used and issues the next; presenting
  a used one again revokes the whole family (a stolen token and its thief's successors die
  with it). Sign-out revokes the family; sign-out everywhere, every family of the address.
- Access tokens carry one grant (role, roundtable_id, participant_id, country), the e-mail
  and the session id `sid`; choosing another grant is a refresh with `choice`.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from rueda.shared.mongo import IndexSpec

__all__ = [
    "IDENTITY_INDEXES",
    "Grant",
    "IdentityStore",
    "MemoryIdentityStore",
    "hash_secret",
    "new_secret",
    "normalize_email",
]

Document = dict[str, Any]
Clock = Callable[[], datetime]

IDENTITY_INDEXES = (
    IndexSpec("sign_in_codes", [("expires_at", 1)], name="codes_expiry"),
    IndexSpec("refresh_tokens", [("family", 1)], name="refresh_family"),
    IndexSpec("sessions", [("email", 1)], name="sessions_email"),
)


def new_secret() -> str:
    """256 random bits, URL-safe: guessing one is hopeless."""
    return secrets.token_urlsafe(32)


def hash_secret(value: str) -> str:
    # the secrets are random and high-entropy: a plain SHA-256 is enough (no password hash)
    return hashlib.sha256(value.encode()).hexdigest()


def normalize_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class Grant:
    """One identity a person may act as."""

    role: Literal["organizer", "agency", "participant", "admin"]
    roundtable_id: str | None = None
    participant_id: str | None = None
    country: str | None = None
    agency: str | None = None
    label: str = ""

    @property
    def choice_id(self) -> str:
        key = f"{self.role}|{self.roundtable_id}|{self.participant_id}|{self.country}"
        return hashlib.sha256(key.encode()).hexdigest()[:16]

    def doc(self) -> Document:
        return asdict(self)

    @classmethod
    def of(cls, doc: Document) -> Grant:
        return cls(
            role=doc["role"],
            roundtable_id=doc.get("roundtable_id"),
            participant_id=doc.get("participant_id"),
            country=doc.get("country"),
            agency=doc.get("agency"),
            label=doc.get("label") or "",
        )

    def view(self) -> Document:
        return {"choice": self.choice_id, **self.doc()}

    def claims(self) -> Document:
        return {
            k: v
            for k, v in (
                ("role", self.role),
                ("roundtable_id", self.roundtable_id),
                ("participant_id", self.participant_id),
                ("country", self.country),
                ("agency", self.agency),
            )
            if v is not None
        }


class IdentityStore:
    """The gateway's identity collections."""

    def __init__(self, db: AsyncDatabase[Document], now: Clock | None = None) -> None:
        self._db = db
        self.now: Clock = now or (lambda: datetime.now(UTC))

    async def add_code(
        self,
        code: str,
        *,
        kind: Literal["sign_in", "invitation"],
        email: str,
        grants: list[Grant],
        ttl: timedelta,
        invited_by: str | None = None,
    ) -> Document:
        now = self.now()
        doc = {
            "_id": hash_secret(code),
            "kind": kind,
            "email": email,
            "grants": [g.doc() for g in grants],
            "created_at": now,
            "expires_at": now + ttl,
            "used_at": None,
            "invited_by": invited_by,
        }
        await self._db.sign_in_codes.insert_one(doc)
        return doc

    async def take_code(self, code: str) -> Document | None:
        """The code's record, marked used; None if unknown, used or expired."""
        now = self.now()
        doc: Document | None = await self._db.sign_in_codes.find_one_and_update(
            {"_id": hash_secret(code), "used_at": None, "expires_at": {"$gt": now}},
            {"$set": {"used_at": now}},
            return_document=ReturnDocument.AFTER,
        )
        return doc

    async def staff_grants(self, email: str) -> list[Grant]:
        doc = await self._db.staff.find_one({"_id": email})
        return [Grant.of(g) for g in (doc or {}).get("grants", [])]

    async def add_staff_grant(self, email: str, grant: Grant) -> None:
        existing = await self.staff_grants(email)
        if any(g.choice_id == grant.choice_id for g in existing):
            return
        await self._db.staff.update_one(
            {"_id": email}, {"$push": {"grants": grant.doc()}}, upsert=True
        )

    async def open_session(
        self, email: str, grants: list[Grant], current: Grant, ttl: timedelta
    ) -> tuple[str, str]:
        """A new family; returns (session id, first refresh token)."""
        now = self.now()
        family = uuid.uuid4().hex
        await self._db.sessions.insert_one(
            {
                "_id": family,
                "email": email,
                "grants": [g.doc() for g in grants],
                "created_at": now,
                "expires_at": now + ttl,
                "revoked_at": None,
            }
        )
        return family, await self._add_refresh(family, current)

    async def _add_refresh(self, family: str, current: Grant) -> str:
        token = new_secret()
        await self._db.refresh_tokens.insert_one(
            {
                "_id": hash_secret(token),
                "family": family,
                "current": current.doc(),
                "created_at": self.now(),
                "used_at": None,
            }
        )
        return token

    async def rotate(self, token: str) -> tuple[Document, Grant] | str:
        """Use a refresh token: (its session, the grant it acted as), or why it was refused:
        `unknown`, `reused` (the family is now revoked), `revoked` or `expired`."""
        now = self.now()
        hashed = hash_secret(token)
        used: Document | None = await self._db.refresh_tokens.find_one_and_update(
            {"_id": hashed, "used_at": None}, {"$set": {"used_at": now}}
        )
        if used is None:
            seen = await self._db.refresh_tokens.find_one({"_id": hashed})
            if seen is None:
                return "unknown"
            await self.revoke(seen["family"])
            return "reused"
        session = await self._db.sessions.find_one({"_id": used["family"]})
        if session is None or session["revoked_at"] is not None:
            return "revoked"
        if _aware(session["expires_at"]) <= now:
            return "expired"
        return session, Grant.of(used["current"])

    async def next_refresh(self, family: str, current: Grant) -> str:
        return await self._add_refresh(family, current)

    async def revoke(self, family: str) -> int:
        result = await self._db.sessions.update_one(
            {"_id": family, "revoked_at": None}, {"$set": {"revoked_at": self.now()}}
        )
        return result.modified_count

    async def revoke_all(self, email: str) -> int:
        result = await self._db.sessions.update_many(
            {"email": email, "revoked_at": None}, {"$set": {"revoked_at": self.now()}}
        )
        return result.modified_count

    async def family_of(self, token: str) -> Document | None:
        found = await self._db.refresh_tokens.find_one({"_id": hash_secret(token)})
        if found is None:
            return None
        session: Document | None = await self._db.sessions.find_one({"_id": found["family"]})
        return session


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class MemoryIdentityStore(IdentityStore):
    """The same store over in-memory collections (unit tests): a tiny subset of MongoDB's
    update semantics, enough for the queries above."""

    def __init__(self, now: Clock | None = None) -> None:
        super().__init__(_MemoryDb(), now)  # type: ignore[arg-type]


class _MemoryCollection:
    def __init__(self) -> None:
        self.docs: dict[Any, Document] = {}

    def _match(self, doc: Document, query: Document) -> bool:
        for key, want in query.items():
            have = doc.get(key)
            if isinstance(want, dict) and "$gt" in want:
                if have is None or _aware(have) <= want["$gt"]:
                    return False
            elif have != want:
                return False
        return True

    async def insert_one(self, doc: Document) -> None:
        self.docs[doc["_id"]] = dict(doc)

    async def find_one(self, query: Document) -> Document | None:
        return next((dict(d) for d in self.docs.values() if self._match(d, query)), None)

    async def find_one_and_update(
        self, query: Document, update: Document, return_document: Any = None
    ) -> Document | None:
        for doc in self.docs.values():
            if self._match(doc, query):
                before = dict(doc)
                doc.update(update["$set"])
                return dict(doc) if return_document == ReturnDocument.AFTER else before
        return None

    async def update_one(self, query: Document, update: Document, upsert: bool = False) -> Any:
        return await self._update(query, update, upsert=upsert, many=False)

    async def update_many(self, query: Document, update: Document) -> Any:
        return await self._update(query, update, upsert=False, many=True)

    async def _update(self, query: Document, update: Document, *, upsert: bool, many: bool) -> Any:
        hits = [d for d in self.docs.values() if self._match(d, query)][: None if many else 1]
        if not hits and upsert:
            self.docs[query["_id"]] = hit = {"_id": query["_id"]}
            hits = [hit]
        for doc in hits:
            doc.update(update.get("$set", {}))
            for key, value in update.get("$push", {}).items():
                doc.setdefault(key, []).append(value)

        class _Result:
            modified_count = len(hits)

        return _Result()


class _MemoryDb:
    def __init__(self) -> None:
        self._collections: dict[str, _MemoryCollection] = {}

    def __getattr__(self, name: str) -> _MemoryCollection:
        return self._collections.setdefault(name, _MemoryCollection())
