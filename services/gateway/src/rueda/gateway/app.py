"""Composition root of the HTTP gateway: settings, clients, broker and app."""

from __future__ import annotations

import json

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import model_validator

from rueda.shared.service import ServiceRuntime, service_app
from rueda.shared.settings import DEV_SECRET, RuedaSettings

from .auth import Authenticator
from .commands import IDEMPOTENCY_INDEXES, CommandBus
from .errors import install_error_handlers
from .proxy import ServiceClient
from .routes import deals, matching, notifications, registration, scheduling, status

__all__ = ["SERVICES", "GatewaySettings", "create_app", "main"]

SERVICES = ("registration", "matching", "scheduling", "notifications", "deals")


class GatewaySettings(RuedaSettings):
    """Settings of the gateway (environment, prefix `RUEDA_`)."""

    service_name: str = "gateway"
    jwt_secret: str = DEV_SECRET
    jwt_jwks_url: str | None = None
    registration_url: str = "http://127.0.0.1:8081"
    matching_url: str = "http://127.0.0.1:8082"
    scheduling_url: str = "http://127.0.0.1:8083"
    notifications_url: str = "http://127.0.0.1:8084"
    deals_url: str = "http://127.0.0.1:8085"
    service_timeout_s: float = 3.0

    @model_validator(mode="after")
    def _no_default_secret_in_production(self) -> GatewaySettings:
        if self.jwt_jwks_url is None:
            self.refuse_default_secret("jwt_secret", self.jwt_secret)
        return self

    def service_url(self, name: str) -> str:
        url: str = getattr(self, f"{name}_url")
        return url


API_DESCRIPTION = """Virtual B2B business roundtables: registration, matching, scheduling,
notifications and deals.

- **Authentication**: `Authorization: Bearer <JWT>` with a `role` claim (`organizer`,
  `agency`, `participant`, `admin`) and its scope (`roundtable_id`, `country` for an agency,
  `participant_id` for a participant). A few operations accept anonymous callers (reading a
  roundtable, self-registration, a status URL).
- **Writes** answer `202 Accepted` with a `command_id` and a `status_url`
  (`GET /v1/commands/{service}/{command_id}`): the owning service carries the command out
  asynchronously; poll the status URL until `accepted` or `rejected` (with a `code`). Send
  an `Idempotency-Key` to retry a write safely.
- **Errors** are `{"error": {"code", "message", "details"}}`; each operation lists the codes
  it can answer. 4xx for anything the caller got wrong; 503 with `Retry-After` when a
  dependency is briefly away.
- **Versioning**: everything is under `/v1`; compatible changes only (docs/versioning.md).
- **Events**: the topics' AsyncAPI document is at `/asyncapi.json`; a step-by-step guide is
  docs/integrate.md."""


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    runtime = ServiceRuntime(settings, indexes=IDEMPOTENCY_INDEXES)
    app: FastAPI

    def wire(rt: ServiceRuntime) -> None:
        """The gateway consumes nothing: it publishes commands and reads services over HTTP."""
        app.state.bus = CommandBus(rt.broker, rt.db, settings)
        app.state.services = {
            name: ServiceClient(
                name, settings.service_url(name), timeout_s=settings.service_timeout_s
            )
            for name in SERVICES
        }
        for client in app.state.services.values():
            rt.add_cleanup(client.close)

    routers = [
        registration.router,
        matching.router,
        scheduling.router,
        notifications.router,
        deals.router,
        status.router,
    ]
    app = service_app(runtime, wire=wire, title="Rueda API", description=API_DESCRIPTION)
    app.version = "1.0.0"
    for router in routers:
        app.include_router(router, generate_unique_id_function=_operation_id)
    _asyncapi_routes(app)
    app.state.authenticator = Authenticator(
        secret=settings.jwt_secret, jwks_url=settings.jwt_jwks_url
    )
    install_error_handlers(app)
    return app


def _operation_id(route: APIRoute) -> str:
    """An operation's id is its route function's name (`create_roundtable`): the generated
    client's function names, stable whatever the path (docs/versioning.md)."""
    return route.name


def _asyncapi_routes(app: FastAPI) -> None:
    """The AsyncAPI document of the topics, beside the OpenAPI one."""
    from fastapi.responses import HTMLResponse, Response
    from faststream.specification.asyncapi import get_asyncapi_html

    from rueda.shared.asyncapi import asyncapi_document, build_asyncapi

    @app.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi_json() -> Response:
        return Response(json.dumps(asyncapi_document()), media_type="application/json")

    @app.get("/asyncapi", include_in_schema=False)
    async def asyncapi_html() -> HTMLResponse:
        return HTMLResponse(get_asyncapi_html(build_asyncapi().to_specification()))


def main() -> None:
    from rueda.shared.service import run_service

    settings = GatewaySettings()
    run_service(create_app(settings), settings)
