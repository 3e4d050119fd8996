"""Readiness reports each dependency; a failing one makes the service not ready."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter

from rueda.gateway.app import GatewaySettings
from rueda.shared.health import health_router
from rueda.shared.settings import DEV_SECRET

pytestmark = pytest.mark.unit


async def _ok() -> None:
    return None


async def _down() -> None:
    raise ConnectionError("unreachable")


async def _get(app: FastAPI, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get(path)


async def test_ready_when_every_check_passes_and_not_when_one_fails() -> None:
    registry = CollectorRegistry()
    Counter("rueda_test_total", "test counter", registry=registry).inc(3)
    app = FastAPI()
    app.include_router(health_router({"kafka": _ok, "mongodb": _down}, registry))
    assert (await _get(app, "/healthz")).status_code == 200
    ready = await _get(app, "/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"] == {"kafka": "ok", "mongodb": "failed: ConnectionError"}
    assert "rueda_test_total 3.0" in (await _get(app, "/metrics")).text

    healthy = FastAPI()
    healthy.include_router(health_router({"kafka": _ok, "mongodb": _ok}, registry))
    assert (await _get(healthy, "/readyz")).json()["status"] == "ready"


def test_development_keys_and_secrets_are_refused_outside_development() -> None:
    import secrets

    from rueda.gateway.keys import generate_key_pem
    from rueda.shared.settings import RuedaSettings

    assert GatewaySettings(env="development").jwt_secret.get_secret_value() == DEV_SECRET
    for env in ("test", "production"):
        with pytest.raises(ValueError, match="RUEDA_JWT_SIGNING_KEYS"):
            GatewaySettings(env=env)
    key = generate_key_pem()
    assert GatewaySettings(env="test", jwt_signing_keys=[key]).signing_keys().current
    with pytest.raises(ValueError, match="too weak"):
        GatewaySettings(env="production", jwt_signing_keys=[key], jwt_secret="s" * 40)
    settings = RuedaSettings(env="production")
    for weak in ("", DEV_SECRET, "short-secret", "password" * 4):
        with pytest.raises(ValueError, match="RUEDA_SOME_SECRET"):
            settings.refuse_default_secret("some_secret", weak)
    settings.refuse_default_secret("some_secret", secrets.token_urlsafe(32))
    RuedaSettings(env="development").refuse_default_secret("some_secret", DEV_SECRET)


async def test_a_read_while_the_database_is_unreachable_answers_503_with_retry_after() -> None:
    from fastapi import APIRouter
    from pymongo.errors import ServerSelectionTimeoutError

    from rueda.shared.service import ServiceRuntime, service_app
    from rueda.shared.settings import RuedaSettings

    router = APIRouter()

    @router.get("/v1/things")
    async def things() -> dict[str, str]:
        raise ServerSelectionTimeoutError("127.0.0.1:27017: [Errno 111] Connection refused")

    @router.get("/v1/broken")
    async def broken() -> dict[str, str]:
        raise ValueError("a bug, not an outage")

    runtime = ServiceRuntime(RuedaSettings(service_name="probe"))
    app = service_app(runtime, wire=lambda rt: None, routers=[router])
    response = await _get(app, "/v1/things")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert response.json()["error"]["code"] == "database_unavailable"
    # only the outage is mapped: a bug still surfaces
    with pytest.raises(ValueError, match="a bug"):
        await _get(app, "/v1/broken")
