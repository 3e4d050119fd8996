"""The status URL of every write call."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Path, Request

from ..auth import CurrentPrincipal
from ..errors import ApiError
from ..openapi import responses
from ..views import CommandStatusOut
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
    response_model=None,
    responses=responses(
        "rejected_by_service",
        "service_unavailable",
        model=CommandStatusOut,
        example=CommandStatusOut.model_json_schema()["examples"][0],
    ),
)
async def command_status(
    service_name: Service,
    request: Request,
    principal: CurrentPrincipal,
    command_id: str = Path(pattern=r"^[0-9a-fA-F-]{32,36}$"),
) -> dict[str, Any]:
    """The `status_url` of every write: `pending` until the owning service has handled the
    command, then `accepted` (with the ids of what it created in `resource`) or `rejected`
    with a machine-readable `code` and a `reason`. Poll it (e.g. every 0.5 s, with a bound):
    handling takes well under a second on an idle system.

    **Who**: anyone holding the URL: the unguessable command id is the capability, so an
    anonymous registrant can follow its own registration."""
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
