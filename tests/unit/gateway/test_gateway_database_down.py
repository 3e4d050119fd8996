"""A database outage (SecantusDB restarting) is a 503 with Retry-After, never a 500.

Found by the reliability suite: an outcome POST during a database restart answered 500."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError

from rueda.gateway.errors import install_error_handlers

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("error", [ServerSelectionTimeoutError("down"), AutoReconnect("reset")])
async def test_an_unreachable_database_is_a_503_to_retry(error: Exception) -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/v1/things")
    async def write() -> None:
        raise error

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        response = await client.post("/v1/things")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert response.json()["error"]["code"] == "database_unavailable"
