"""Composition root of the HTTP gateway: settings, clients, broker and app."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from pydantic import Field, model_validator

from rueda.shared.service import ServiceRuntime, service_app
from rueda.shared.settings import DEV_SECRET, RuedaSettings

from .auth import Authenticator
from .commands import IDEMPOTENCY_INDEXES, CommandBus
from .errors import install_error_handlers
from .proxy import ServiceClient
from .ratelimit import RateLimiter, rate_limited
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
    rate_limit: str | None = Field(
        default=None,
        description="RUEDA_RATE_LIMIT: requests one principal (or anonymous client address) "
        "may make, in the `limits` notation; 429 with Retry-After beyond. Default 50/second "
        "in production, 1000/second elsewhere (the demo and test rounds burst).",
    )
    rate_limit_storage: str = Field(
        default="async+memory://",
        description="Where the counts live: per process, or e.g. async+redis://host:6379 "
        "shared by every gateway replica.",
    )

    @model_validator(mode="after")
    def _no_default_secret_in_production(self) -> GatewaySettings:
        if self.jwt_jwks_url is None:
            self.refuse_default_secret("jwt_secret", self.jwt_secret)
        elif self.env == "production" and not self.jwt_jwks_url.startswith("https://"):
            raise ValueError("RUEDA_JWT_JWKS_URL must be https:// in production")
        return self

    def service_url(self, name: str) -> str:
        url: str = getattr(self, f"{name}_url")
        return url


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

    app = service_app(
        runtime,
        wire=wire,
        routers=[
            registration.router,
            matching.router,
            scheduling.router,
            notifications.router,
            deals.router,
            status.router,
        ],
        path_ids=False,  # each route declares its ids' pattern (see routes/common.py)
        dependencies=[Depends(rate_limited)],
        title="Rueda API",
        description="Virtual B2B business roundtables: registration, matching, scheduling, "
        "notifications and deals. Bearer JWT; write calls answer 202 with a status URL.",
    )
    _asyncapi_routes(app)
    app.state.sealer = settings.sealer()
    rate = settings.rate_limit or ("50/second" if settings.env == "production" else "1000/second")
    app.state.rate_limiter = RateLimiter(rate, storage_uri=settings.rate_limit_storage)
    app.state.authenticator = Authenticator(
        secret=settings.jwt_secret, jwks_url=settings.jwt_jwks_url
    )
    install_error_handlers(app)
    return app


def _asyncapi_routes(app: FastAPI) -> None:
    """The AsyncAPI document of the topics, beside the OpenAPI one."""
    from fastapi.responses import HTMLResponse, Response
    from faststream.specification.asyncapi import get_asyncapi_html

    from rueda.shared.asyncapi import build_asyncapi

    @app.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi_json() -> Response:
        return Response(
            build_asyncapi().to_specification().to_json(), media_type="application/json"
        )

    @app.get("/asyncapi", include_in_schema=False)
    async def asyncapi_html() -> HTMLResponse:
        return HTMLResponse(get_asyncapi_html(build_asyncapi().to_specification()))


def main() -> None:
    from rueda.shared.service import run_service

    settings = GatewaySettings()
    run_service(create_app(settings), settings)
