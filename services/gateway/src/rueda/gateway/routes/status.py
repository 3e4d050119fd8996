"""The status URL of every write call."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Path, Request

from ..auth import CurrentPrincipal
from ..errors import ApiError
from .common import ERRORS, service

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["status"], responses=ERRORS)
Service = Literal["registration", "matching", "scheduling", "notifications", "deals"]
GENERIC_REASON = (
    "the request could not be carried out; contact the roundtable's organizer or your agency"
)
"""What an anonymous caller reads instead of a refusal's reason (which may name other
records, e.g. the id of the company already registered)."""


@router.get(
    "/commands/{service_name}/{command_id}",
    summary="Whether a command was carried out, or why it was refused",
)
async def command_status(
    service_name: Service,
    request: Request,
    principal: CurrentPrincipal,
    command_id: str = Path(pattern=r"^[0-9a-fA-F-]{32,36}$"),
) -> dict[str, Any]:
    # the unguessable command id is the capability: an anonymous registrant may follow its own
    try:
        result: dict[str, Any] = await service(request, service_name).get(
            f"/internal/commands/{command_id}"
        )
    except ApiError as exc:
        if exc.status != 404:
            raise
        return {"command_id": command_id, "status": "pending"}
    if principal.anonymous and result.get("status") == "rejected":
        result = {**result, "reason": GENERIC_REASON, "details": {}}
    return result
