"""Write calls: validate, publish a command, answer 202 with a status URL; honour
`Idempotency-Key` (the same key and body replay the answer and publish nothing; the same key
with another body is a 422). A key lives 24 hours (`IDEMPOTENCY_TTL`: a TTL index removes it,
and an expired one is never replayed meanwhile); what is stored is a digest of the body and the
prepared envelope, whose secrets are sealed (webhook secrets: `rueda.shared.sealing`).

The command is prepared and stored with the key before it is published, so a gateway killed
between the two loses nothing: the retry publishes the same command again (same event_id,
which every consumer deduplicates) and answers as the first would have."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import timedelta
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaBroker
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from rueda.shared.contracts import Command, Envelope, TopicSpec, utcnow
from rueda.shared.messaging import envelope_headers, publishing
from rueda.shared.mongo import IndexSpec
from rueda.shared.settings import RuedaSettings

from .auth import Principal
from .errors import ApiError

__all__ = ["IDEMPOTENCY_INDEXES", "IDEMPOTENCY_TTL", "CommandBus", "request_id"]

Document = dict[str, Any]
IDEMPOTENCY_TTL = timedelta(hours=24)
IDEMPOTENCY_INDEXES = (
    IndexSpec("idempotency", [("created_at", 1)], name="idem_created"),
    IndexSpec(
        "idempotency", [("expires_at", 1)], name="idem_ttl", options={"expireAfterSeconds": 0}
    ),
)


def request_id(request: Request) -> str:
    """The caller's X-Request-ID when sane, else a new one: the command's correlation id."""
    given = request.headers.get("x-request-id", "")
    if 8 <= len(given) <= 100 and given.replace("-", "").replace("_", "").isalnum():
        return given
    return uuid.uuid4().hex


class CommandBus:
    """Publishes commands to their service's topic and keeps idempotency keys."""

    def __init__(
        self, broker: KafkaBroker, db: AsyncDatabase[Document], settings: RuedaSettings
    ) -> None:
        self._broker = broker
        self._db = db
        self._settings = settings

    async def send(
        self,
        request: Request,
        principal: Principal,
        command: Command,
        *,
        topic: TopicSpec,
        service: str,
        roundtable_id: str,
        body: dict[str, Any],
        idempotency_body: Any,
    ) -> JSONResponse:
        """Publish `command`; answer 202 with `body` plus the command id and status URL."""
        key = request.headers.get("idempotency-key")
        correlation = request_id(request)
        envelope = Envelope.wrap(
            command, producer="gateway", roundtable_id=roundtable_id, correlation_id=correlation
        )
        status_url = f"/v1/commands/{service}/{envelope.event_id}"
        content = {**body, "command_id": str(envelope.event_id), "status_url": status_url}
        headers = {"X-Request-ID": correlation, "Location": status_url}
        prepared: Document = {
            "topic": topic.physical(self._settings.topic_prefix),
            "key": roundtable_id,
            "envelope": envelope.to_bytes().decode(),
            "response": {"body": content, "headers": headers},
        }
        slot: str | None = None
        if key:
            slot, prepared, replay = await self._claim(
                principal, request, key, idempotency_body, prepared
            )
            if replay is not None:
                return replay
        try:
            # a slot still pending after a crash or a failed publish holds the same envelope:
            # publishing it again is harmless (consumers are idempotent on event_id)
            sent = Envelope.from_bytes(prepared["envelope"].encode())
            await publishing(
                self._broker,
                lambda: self._broker.publish(
                    sent.to_bytes(),
                    topic=prepared["topic"],
                    key=prepared["key"].encode(),
                    headers=envelope_headers(sent),
                    correlation_id=sent.correlation_id,
                ),
            )
        except Exception as exc:
            raise ApiError(
                503,
                "broker_unavailable",
                "could not accept the request now",
                {"error": type(exc).__name__},
                {"Retry-After": "2"},
            ) from exc
        response = prepared["response"]
        if slot is not None:
            await self._db.idempotency.update_one({"_id": slot}, {"$set": {"state": "done"}})
        return JSONResponse(response["body"], status_code=202, headers=response["headers"])

    async def _claim(
        self, principal: Principal, request: Request, key: str, body: Any, prepared: Document
    ) -> tuple[str, Document, JSONResponse | None]:
        """Claim the key with the command prepared for it. A key already claimed with the same
        body gives back its command: replayed when published, published again when the first
        attempt may not have (a crash or a broker error between claim and answer)."""
        if not 1 <= len(key) <= 200:
            raise ApiError(400, "bad_idempotency_key", "Idempotency-Key must be 1-200 characters")
        scope = f"{principal.role}|{principal.subject}|{request.method}|{request.url.path}|{key}"
        slot = hashlib.sha256(scope.encode()).hexdigest()
        digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
        now = utcnow()
        try:
            await self._db.idempotency.insert_one(
                {
                    "_id": slot,
                    "body": digest,
                    "state": "pending",
                    "created_at": now,
                    "expires_at": now + IDEMPOTENCY_TTL,
                    **prepared,
                }
            )
            return slot, prepared, None
        except DuplicateKeyError:
            pass
        doc = await self._db.idempotency.find_one({"_id": slot})
        if doc is not None and (doc.get("expires_at") or doc["created_at"] + IDEMPOTENCY_TTL) < now:
            # expired, not yet removed by the TTL monitor (which runs once a minute)
            await self._db.idempotency.delete_one({"_id": slot, "created_at": doc["created_at"]})
            doc = None
        if doc is None:  # expired meanwhile
            return await self._claim(principal, request, key, body, prepared)
        if doc["body"] != digest:
            raise ApiError(
                422,
                "idempotency_key_reused",
                "this Idempotency-Key was used with another request body",
            )
        stored = doc["response"]
        if doc["state"] != "done":
            return slot, {k: doc[k] for k in ("topic", "key", "envelope", "response")}, None
        return (
            slot,
            doc,
            JSONResponse(
                stored["body"],
                status_code=202,
                headers={**stored["headers"], "Idempotent-Replayed": "true"},
            ),
        )
