"""What every route module uses: the bus, the service clients, the accepted-response model."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from rueda.shared.http import Page, set_next_cursor

from ..commands import CommandBus
from ..openapi import errors
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

    command_id: str = Field(
        description="The command's id (also its event_id on Kafka).",
        examples=["0b7e4c1e-6d2f-4a51-9a0e-3f1f2c9d8e77"],
    )
    status_url: str = Field(
        description="GET it to see whether the command was carried out.",
        examples=["/v1/commands/registration/0b7e4c1e-6d2f-4a51-9a0e-3f1f2c9d8e77"],
    )
    status: str = Field(
        description="`pending` until the owning service has processed it.", examples=["pending"]
    )
    roundtable_id: str | None = Field(
        default=None, description="The roundtable concerned.", examples=["rt-pacific-2020"]
    )
    participant_id: str | None = Field(
        default=None, description="The participant concerned.", examples=["p-3f9a1c2b7d10"]
    )
    request_id: str | None = Field(
        default=None, description="The meeting request concerned.", examples=["mr-5c0d9e1f2a3b"]
    )
    meeting_id: str | None = Field(
        default=None, description="The meeting concerned.", examples=["m-7a8b9c0d1e2f"]
    )
    subscription_id: str | None = Field(
        default=None, description="The subscription concerned.", examples=["sub-1a2b3c4d5e6f"]
    )
    outcome_id: str | None = Field(
        default=None, description="The outcome recorded.", examples=["o-9f8e7d6c5b4a3210"]
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "participant_id": "p-3f9a1c2b7d10",
                    "status": "pending",
                    "command_id": "0b7e4c1e-6d2f-4a51-9a0e-3f1f2c9d8e77",
                    "status_url": "/v1/commands/registration/0b7e4c1e-6d2f-4a51-9a0e-3f1f2c9d8e77",
                }
            ]
        }
    )


ERRORS: dict[int | str, dict[str, Any]] = errors()
"""The errors every operation can answer (`openapi.ALWAYS`); routes add theirs with
`openapi.responses()`."""


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
