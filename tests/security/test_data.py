"""Issue 18, "Data at rest and in flight": the idempotency store expires and holds no secret,
webhook secrets are sealed before Kafka and at rest, production refuses weak transport settings.
The stores run on the real SecantusDB (and Kafka for the command bus)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import Request
from fastapi.responses import JSONResponse
from tests.support.gateway import gateway, token
from tests.support.production import PRODUCTION

from rueda.gateway.app import GatewaySettings
from rueda.gateway.auth import Principal
from rueda.gateway.commands import IDEMPOTENCY_TTL, CommandBus
from rueda.notifications.adapters.mongo import NotificationsStore
from rueda.notifications.app import NotificationsSettings
from rueda.shared.contracts import Command, TopicSpec, topic, utcnow
from rueda.shared.contracts.registration import ReviewParticipant
from rueda.shared.messaging.broker import make_broker
from rueda.shared.mongo import ensure_indexes, open_mongo
from rueda.shared.sealing import DEV_SEALING_KEY, Sealer, SealError, is_sealed
from rueda.shared.settings import RuedaSettings

pytestmark = [pytest.mark.security, pytest.mark.timeout(120)]

SECRET = "agency-hmac-secret-0123456789"
K1 = base64.urlsafe_b64encode(b"1" * 32).decode()
K2 = base64.urlsafe_b64encode(b"2" * 32).decode()


def review_request(key: str) -> Request:
    return Request(
        {
            "type": "http",
            "method": "POST",
            "scheme": "http",
            "server": ("testserver", 80),
            "path": "/v1/roundtables/rt-1/participants/p-1/review",
            "query_string": b"",
            "headers": [(b"idempotency-key", key.encode())],
        }
    )


async def test_idempotency_keys_live_24_hours_and_an_expired_one_is_not_replayed(
    make_settings: Callable[..., RuedaSettings],
) -> None:
    from rueda.gateway.commands import IDEMPOTENCY_INDEXES

    settings = make_settings("gateway")
    client = open_mongo(settings.mongo_uri)
    db = client[settings.database]
    await ensure_indexes(db, IDEMPOTENCY_INDEXES)
    broker = make_broker(settings)
    await broker.start()
    try:
        bus = CommandBus(broker, db, settings)
        principal = Principal(role="organizer", subject="o", roundtable_id="rt-1")
        command = ReviewParticipant(
            participant_id="p-1", decision="approve", reviewer_role="organizer"
        )

        async def send() -> JSONResponse:
            return await bus.send(
                review_request("k-1"),
                principal,
                command,
                topic=topic("registration.commands.v1"),
                service="registration",
                roundtable_id="rt-1",
                body={"participant_id": "p-1"},
                idempotency_body={"decision": "approve"},
            )

        first = await send()
        doc = await db.idempotency.find_one({})
        assert doc is not None
        assert doc["expires_at"] - doc["created_at"] == IDEMPOTENCY_TTL == timedelta(hours=24)
        indexes = await db.idempotency.index_information()
        assert indexes["idem_ttl"]["expireAfterSeconds"] == 0
        assert indexes["idem_ttl"]["key"] == [("expires_at", 1)]
        replay = await send()
        assert replay.headers.get("idempotent-replayed") == "true"
        assert json.loads(replay.body) == json.loads(first.body)
        # a key past its 24 hours (not yet removed by the TTL monitor) is a new request
        await db.idempotency.update_one({}, {"$set": {"expires_at": utcnow() - timedelta(1)}})
        fresh = await send()
        assert fresh.headers.get("idempotent-replayed") is None
        assert json.loads(fresh.body)["command_id"] != json.loads(first.body)["command_id"]
    finally:
        await broker.stop()
        await client.drop_database(settings.database)
        await client.close()


class _RecordingBus:
    """Keeps what the real bus would store: the envelope it publishes and the body digest."""

    def __init__(self) -> None:
        self.stored: list[str] = []
        self.commands: list[Command] = []

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
        self.commands.append(command)
        self.stored.append(json.dumps(idempotency_body) + command.model_dump_json())
        return JSONResponse({**body, "command_id": "c", "status_url": "/s"}, status_code=202)


async def test_webhook_secrets_are_sealed_before_they_enter_the_command() -> None:
    app, _, _ = gateway()
    bus = _RecordingBus()
    app.state.bus = bus
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as c:
        r = await c.post(
            "/v1/subscriptions",
            json={"url": "https://hooks.example/x", "secret": SECRET, "event_types": ["*"]},
            headers={"Authorization": f"Bearer {token('organizer')}"},
        )
    assert r.status_code == 202
    # neither the command (Kafka, 14 days) nor what the idempotency store keeps has it
    assert all(SECRET not in stored for stored in bus.stored)
    (command,) = bus.commands
    sealed = command.secret  # type: ignore[attr-defined]
    assert is_sealed(sealed)
    assert (
        GatewaySettings(env="development").sealer().open(sealed, command.subscription_id) == SECRET
    )  # type: ignore[attr-defined]


def test_sealing_is_envelope_encryption_bound_to_its_context_and_rotatable() -> None:
    old = Sealer({"k1": K1}, "k1")
    sealed = old.seal(SECRET, "sub-1")
    assert SECRET not in sealed
    assert old.seal(SECRET, "sub-1") != sealed  # a fresh data key and nonce every time
    assert old.open(sealed, "sub-1") == SECRET
    with pytest.raises(SealError):
        old.open(sealed, "sub-2")  # copied onto another subscription: does not open
    tampered = sealed[:-3] + ("A" if sealed[-3] != "A" else "B") + sealed[-2:]
    with pytest.raises(SealError):
        old.open(tampered, "sub-1")
    rotated = Sealer({"k1": K1, "k2": K2}, "k2")
    assert rotated.open(sealed, "sub-1") == SECRET  # older values still open
    moved = rotated.rewrap(sealed)
    assert rotated.key_id(moved) == "k2"
    assert Sealer({"k2": K2}, "k2").open(moved, "sub-1") == SECRET  # k1 may now leave
    with pytest.raises(SealError):
        Sealer({"k2": K2}, "k2").open(sealed, "sub-1")


async def test_stored_secrets_are_sealed_at_rest_and_rewrapped_on_rotation(
    make_settings: Callable[..., RuedaSettings],
) -> None:
    settings = make_settings("notifications")
    client = open_mongo(settings.mongo_uri)
    db = client[settings.database]
    try:
        store = NotificationsStore(db)
        k1 = Sealer({"k1": K1}, "k1")
        await db.subscriptions.insert_many(
            [
                {"_id": "sub-legacy", "secret": SECRET},  # stored in plain text before sealing
                {"_id": "sub-k1", "secret": k1.seal(SECRET, "sub-k1")},
            ]
        )
        rotated = Sealer({"k1": K1, "k2": K2}, "k2")
        assert await store.reseal_secrets(rotated) == 2
        assert await store.reseal_secrets(rotated) == 0
        async for doc in db.subscriptions.find({}):
            assert SECRET not in doc["secret"]
            assert rotated.key_id(doc["secret"]) == "k2"
            assert Sealer({"k2": K2}, "k2").open(doc["secret"], doc["_id"]) == SECRET
    finally:
        await client.drop_database(settings.database)
        await client.close()


def test_production_refuses_weak_transport_settings() -> None:
    from pydantic import ValidationError

    for uri, why in (
        ("mongodb://rueda:pw@db.example.org/?replicaSet=rs0", "TLS"),
        ("mongodb://rueda:pw@db.example.org/?tls=false", "TLS"),
        ("mongodb://db.example.org/?tls=true", "authenticate"),
        ("mongodb://rueda:pw@db.example.org/?tls=true&tlsInsecure=true", "certificate"),
    ):
        with pytest.raises(ValidationError, match=why):
            RuedaSettings(**{**PRODUCTION, "mongo_uri": uri})
    assert RuedaSettings(**PRODUCTION).env == "production"
    with pytest.raises(ValidationError, match="development key"):
        RuedaSettings(**{**PRODUCTION, "sealing_keys": {"k1": DEV_SEALING_KEY}})
    mail = {"mail_from": "Rueda <no-reply@example.org>"}
    with pytest.raises(ValidationError, match="TLS"):
        NotificationsSettings(**PRODUCTION, **mail)
    assert NotificationsSettings(**PRODUCTION, **mail, smtp_starttls=True).smtp_starttls
    from rueda.gateway.keys import generate_key_pem

    keys = [generate_key_pem()]

    def issuer(url: str) -> dict[str, object]:
        rule = {"value": "officers", "role": "agency", "roundtable_id": "rt", "country": "CL"}
        return {"issuer": url, "audience": "rueda", "rules": [rule]}

    with pytest.raises(ValidationError, match="https"):
        GatewaySettings(
            **PRODUCTION, jwt_signing_keys=keys, oidc_issuers=[issuer("http://id.example.org")]
        )
    assert GatewaySettings(
        **PRODUCTION, jwt_signing_keys=keys, oidc_issuers=[issuer("https://id.example.org")]
    )
