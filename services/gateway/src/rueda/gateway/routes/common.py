"""What every route module uses: the bus, the service clients, the accepted-response model."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Request, Response
from pydantic import BaseModel, Field

from rueda.shared.http import Page, set_next_cursor

from ..commands import CommandBus
from ..errors import ErrorResponse
from ..proxy import ServiceClient

__all__ = [
    "ERRORS",
    "ID",
    "Accepted",
    "Paged",
    "ParticipantId",
    "RoundtableId",
    "bus",
    "page_of",
    "service",
]

ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
RoundtableId = Annotated[str, Path(pattern=ID, description="Roundtable id")]
ParticipantId = Annotated[str, Path(pattern=ID, description="Participant id")]


class Accepted(BaseModel):
    """A write was accepted for processing; follow `status_url` for its outcome."""

    command_id: str
    status_url: str = Field(description="GET it to see whether the command was carried out.")
    status: str = Field(description="`pending` until the owning service has processed it.")
    roundtable_id: str | None = None
    participant_id: str | None = None
    request_id: str | None = None
    meeting_id: str | None = None
    subscription_id: str | None = None
    outcome_id: str | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 403, 404, 409, 413, 422, 429, 503)
}


Paged = Annotated[Page, Depends()]
"""`limit` (at most 1000) and `after` of a list endpoint: see rueda.shared.http."""


def page_of(
    request: Request, response: Response, items: list[Any], page: Page, key: str
) -> list[Any]:
    """The page as answered: a full one names the next cursor (`X-Next-Cursor`, `Link`)."""
    set_next_cursor(request, response, items, page, key)
    return items


def bus(request: Request) -> CommandBus:
    result: CommandBus = request.app.state.bus
    return result


def service(request: Request, name: str) -> ServiceClient:
    result: ServiceClient = request.app.state.services[name]
    return result
