"""The committed typed client (clients/python, `rueda_client`) is what openapi-python-client
generates from the pinned OpenAPI document now, and it speaks to the gateway."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from tests.support.gateway import RT, gateway, token

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]


def test_the_committed_client_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "clients" / "generate.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert result.returncode == 0, result.stdout + result.stderr


async def test_the_client_registers_a_participant_and_reads_errors() -> None:
    from rueda_client import AuthenticatedClient, Client
    from rueda_client.api.registration import get_roundtable, register_participant
    from rueda_client.models import Accepted, ErrorResponse, ParticipantIn

    app, bus, _ = gateway()
    transport = httpx.ASGITransport(app=app)
    anonymous = Client(base_url="http://gateway")
    anonymous.set_async_httpx_client(
        httpx.AsyncClient(transport=transport, base_url="http://gateway")
    )
    example = ParticipantIn.from_dict(
        {
            "role": "exporter",
            "company": {"name": "Frutas del Sur SpA", "tax_id": "76.123.456-7"},
            "country": "CL",
            "timezone": "America/Santiago",
            "languages": ["es"],
            "sectors": ["fruit"],
            "contact": {"name": "Ana Rojas", "email": "ana@frutas.cl"},
        }
    )
    answer = await register_participant.asyncio(RT, client=anonymous, body=example)
    assert isinstance(answer, Accepted)
    assert answer.status == "pending"
    assert answer.status_url.startswith("/v1/commands/registration/")
    assert [type(c).__name__ for _, c, _ in bus.sent] == ["RegisterParticipant"]

    organizer = AuthenticatedClient(base_url="http://gateway", token=token("organizer"))
    organizer.set_async_httpx_client(
        httpx.AsyncClient(
            transport=transport,
            base_url="http://gateway",
            headers={"Authorization": f"Bearer {token('organizer')}"},
        )
    )
    missing = await get_roundtable.asyncio("rt-unknown", client=organizer)
    assert isinstance(missing, ErrorResponse)
    assert missing.error.code == "not_found"
