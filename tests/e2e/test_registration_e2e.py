"""Registration through the HTTP gateway, every service its own process, real Kafka and
SecantusDB: the 2020 Pacific Alliance round's 50 exporters and 24 UK importers."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.support.kafka import envelopes, eventually, read_all
from tests.support.rounds import exporter, importer, roundtable
from tests.support.servers import Servers
from tests.support.stack import Stack, stack

from rueda.gateway.app import GatewaySettings, mint_token
from rueda.shared.contracts.registration import ParticipantApproved

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


def bearer(role: str, rt: str, **claims: str) -> dict[str, str]:
    body: dict[str, Any] = {
        "sub": claims.get("participant_id", role),
        "role": role,
        "roundtable_id": rt,
        **claims,
    }
    return {"Authorization": f"Bearer {mint_token(GatewaySettings(env='development'), body)}"}


@pytest.fixture
async def registration_stack(servers: Servers, prefix: str, workdir: Path) -> AsyncIterator[Stack]:
    async with stack(
        ["registration"],
        kafka=servers.kafka_bootstrap,
        mongo=servers.mongo_uri,
        prefix=prefix,
        logs=workdir,
        idempotence=servers.idempotence,
    ) as s:
        yield s


async def _settled(client: httpx.AsyncClient, status_url: str) -> dict[str, Any]:
    result: dict[str, Any] = {}

    async def done() -> bool:
        nonlocal result
        result = (await client.get(status_url)).json()
        return result["status"] != "pending"

    await eventually(done, within_s=30, what=status_url)
    return result


async def test_the_2020_round_registers_and_is_vetted_by_its_agencies(
    registration_stack: Stack, servers: Servers, prefix: str
) -> None:
    rt = f"rt-{uuid.uuid4().hex[:8]}"
    organizer = bearer("organizer", rt)
    async with httpx.AsyncClient(base_url=registration_stack.gateway, timeout=10) as gw:
        created = await gw.post("/v1/roundtables", json=roundtable(), headers=organizer)
        assert created.status_code == 202, created.text
        assert created.headers["x-request-id"]
        assert (await _settled(gw, created.json()["status_url"]))["status"] == "accepted"

        # companies register themselves (self-registration is open)
        bodies = [exporter(i) for i in range(50)] + [importer(i) for i in range(24)]
        responses = await asyncio.gather(
            *(gw.post(f"/v1/roundtables/{rt}/participants", json=b) for b in bodies)
        )
        assert {r.status_code for r in responses} == {202}
        ids = [r.json()["participant_id"] for r in responses]
        statuses = await asyncio.gather(*(_settled(gw, r.json()["status_url"]) for r in responses))
        assert {s["status"] for s in statuses} == {"accepted"}, statuses[:3]
        country_of = {pid: b["country"] for pid, b in zip(ids, bodies, strict=True)}

        # the same company again is refused, with the existing id, through the status URL
        again = await gw.post(f"/v1/roundtables/{rt}/participants", json=bodies[3])
        refused = await _settled(gw, again.json()["status_url"])
        assert (refused["status"], refused["code"]) == ("rejected", "duplicate_participant")
        # an anonymous caller reads a generic reason; the organizer sees the existing id
        assert "existing_id" not in (refused["details"] or {})
        staff = (await gw.get(again.json()["status_url"], headers=organizer)).json()
        assert staff["details"]["existing_id"] == ids[3]

        # an idempotent replay creates nothing new; the same key with another body is a 422
        key = {"Idempotency-Key": f"k-{uuid.uuid4().hex}"}
        extra = {**exporter(60), "country": "PE", "timezone": "America/Lima"}
        first = await gw.post(f"/v1/roundtables/{rt}/participants", json=extra, headers=key)
        replay = await gw.post(f"/v1/roundtables/{rt}/participants", json=extra, headers=key)
        assert first.status_code == replay.status_code == 202
        assert replay.json() == first.json()
        other = await gw.post(
            f"/v1/roundtables/{rt}/participants", json={**extra, "languages": ["es"]}, headers=key
        )
        assert other.status_code == 422
        assert other.json()["error"]["code"] == "idempotency_key_reused"
        await _settled(gw, first.json()["status_url"])
        listed = (await gw.get(f"/v1/roundtables/{rt}/participants", headers=organizer)).json()
        assert len(listed) == 75

        # a participant reads itself, not another participant
        me = bearer("participant", rt, participant_id=ids[0])
        assert (
            await gw.get(f"/v1/roundtables/{rt}/participants/{ids[0]}", headers=me)
        ).status_code == 200
        assert (
            await gw.get(f"/v1/roundtables/{rt}/participants/{ids[1]}", headers=me)
        ).status_code == 403

        # an agency approving another country's exporter is refused
        cl_agency = bearer("agency", rt, country="CL")
        foreign = next(pid for pid in ids[:50] if country_of[pid] == "CO")
        denied = await gw.post(
            f"/v1/roundtables/{rt}/participants/{foreign}/review",
            json={"decision": "approve"},
            headers=cl_agency,
        )
        assert denied.status_code == 403
        assert denied.json()["error"]["code"] == "forbidden"

        # each agency approves its own exporters, the organizer the importers
        reviews = []
        for pid in ids[:50]:
            agency = bearer("agency", rt, country=country_of[pid])
            reviews.append(
                gw.post(
                    f"/v1/roundtables/{rt}/participants/{pid}/review",
                    json={"decision": "approve"},
                    headers=agency,
                )
            )
        for pid in ids[50:74]:
            reviews.append(
                gw.post(
                    f"/v1/roundtables/{rt}/participants/{pid}/review",
                    json={"decision": "approve"},
                    headers=organizer,
                )
            )
        done = await asyncio.gather(*reviews)
        assert {r.status_code for r in done} == {202}
        outcomes = await asyncio.gather(*(_settled(gw, r.json()["status_url"]) for r in done))
        assert {o["status"] for o in outcomes} == {"accepted"}

        approved = (
            await gw.get(f"/v1/roundtables/{rt}/participants?status=approved", headers=organizer)
        ).json()
        assert sorted(p["participant_id"] for p in approved) == sorted(ids)
        cl_view = (await gw.get(f"/v1/roundtables/{rt}/participants", headers=cl_agency)).json()
        assert cl_view
        assert {p["country"] for p in cl_view} == {"CL"}

    events = envelopes(
        await read_all(servers.kafka_bootstrap, f"{prefix}registration.events.v1", at_least=74)
    )
    approvals = [
        e for e in events if e.event_type == "ParticipantApproved" and e.roundtable_id == rt
    ]
    assert sorted(
        e.payload_as(ParticipantApproved).profile.participant_id for e in approvals
    ) == sorted(ids)
    by_type = Counter(e.event_type for e in events if e.roundtable_id == rt)
    assert by_type["RoundtableOpened"] == 1
    assert by_type["ParticipantRegistered"] == 75
    assert by_type["CommandRejected"] == 1
