"""Registration's read API, for the gateway (never exposed publicly)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request

from .adapters import RegistrationRepository

__all__ = ["router"]

router = APIRouter(prefix="/internal", tags=["registration"])


def _repo(request: Request) -> RegistrationRepository:
    return RegistrationRepository(request.app.state.runtime.db)


def _participant_view(doc: dict[str, Any]) -> dict[str, Any]:
    return {
        "participant_id": doc["_id"],
        "roundtable_id": doc["roundtable_id"],
        "status": doc["status"],
        "role": doc["role"],
        "country": doc["country"],
        "reason": doc.get("reason", ""),
        "reviewed_by": doc.get("reviewed_by", ""),
        "registered_at": doc["registered_at"].isoformat(),
        "profile": doc["profile"],
    }


@router.get("/roundtables/{roundtable_id}")
async def get_roundtable(roundtable_id: str, request: Request) -> dict[str, Any]:
    doc = await _repo(request).roundtable(roundtable_id)
    if doc is None:
        raise HTTPException(404, "roundtable not found")
    return {
        "roundtable_id": doc["_id"],
        "registration_open": doc["registration_open"],
        **doc["config"],
    }


@router.get("/roundtables/{roundtable_id}/participants")
async def list_participants(
    roundtable_id: str,
    request: Request,
    role: Literal["exporter", "importer"] | None = None,
    country: str | None = Query(default=None, pattern=r"^[A-Z]{2}$"),
    status: Literal["pending", "approved", "rejected", "withdrawn"] | None = None,
    limit: int = Query(default=500, ge=1, le=5000),
    offset: int = Query(default=0, ge=0),
) -> list[dict[str, Any]]:
    docs = await _repo(request).participants(
        roundtable_id, role=role, country=country, status=status, limit=limit, offset=offset
    )
    return [_participant_view(d) for d in docs]


@router.get("/roundtables/{roundtable_id}/participants/{participant_id}")
async def get_participant(
    roundtable_id: str, participant_id: str, request: Request
) -> dict[str, Any]:
    doc = await _repo(request).participant(roundtable_id, participant_id)
    if doc is None:
        raise HTTPException(404, "participant not found")
    return _participant_view(doc)


@router.get("/contacts")
async def contacts(
    request: Request, email: str = Query(min_length=3, max_length=254)
) -> list[dict[str, Any]]:
    """The participants whose contact has this e-mail address (the gateway's sign-in)."""
    repo = _repo(request)
    found = []
    for doc in await repo.by_contact_email(email):
        roundtable = await repo.roundtable(doc["roundtable_id"]) or {}
        profile = doc["profile"]
        found.append(
            {
                "participant_id": doc["_id"],
                "roundtable_id": doc["roundtable_id"],
                "roundtable_name": roundtable.get("config", {}).get("name", ""),
                "status": doc["status"],
                "role": doc["role"],
                "country": doc["country"],
                "company_name": profile["company"]["name"],
                "contact_name": profile["contact"]["name"],
                "languages": profile.get("languages", []),
            }
        )
    return found


@router.get("/commands/{command_id}")
async def get_command(command_id: str, request: Request) -> dict[str, Any]:
    doc = await _repo(request).command(command_id)
    if doc is None:
        raise HTTPException(404, "command not processed yet")
    return {
        "command_id": doc["_id"],
        "roundtable_id": doc["roundtable_id"],
        "type": doc["type"],
        "status": doc["status"],
        "code": doc["code"],
        "reason": doc["reason"],
        "details": doc["details"],
        "resource": doc["resource"],
    }
