"""Composition root of the HTTP gateway: settings, clients, broker and app."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import jwt
from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute
from pydantic import Field, SecretStr, model_validator

from rueda.shared.mongo import ensure_indexes, open_mongo
from rueda.shared.service import ServiceRuntime, service_app
from rueda.shared.settings import DEV_SECRET, RuedaSettings

from .auth import Authenticator, GatewayIssuer, Issuer
from .commands import IDEMPOTENCY_INDEXES, CommandBus
from .errors import install_error_handlers
from .identity import IDENTITY_INDEXES, IdentityStore
from .keys import SigningKey, SigningKeys, development_key
from .mail import LinkMailer, SmtpLinkMailer
from .oidc import OidcIssuer, OidcIssuerConfig
from .proxy import ServiceClient
from .ratelimit import RateLimiter, rate_limited
from .routes import deals, matching, notifications, registration, scheduling, signin, status
from .signin import SignIn, SignInPolicy, create_admin

__all__ = ["SERVICES", "GatewaySettings", "create_app", "main", "mint_token", "sign_in_for_admin"]

SERVICES = ("registration", "matching", "scheduling", "notifications", "deals")


class GatewaySettings(RuedaSettings):
    """Settings of the gateway (environment, prefix `RUEDA_`)."""

    service_name: str = "gateway"
    jwt_issuer: str = Field(
        default="http://127.0.0.1:8080", description="`iss` of the tokens the gateway signs."
    )
    jwt_audience: str = Field(default="rueda", description="`aud` of the gateway's tokens.")
    jwt_signing_keys: list[SecretStr] = Field(
        default_factory=list,
        description="RUEDA_JWT_SIGNING_KEYS: JSON list of PEM private keys (Ed25519 or P-256); "
        "the first signs, all are published. Required outside development.",
    )
    jwt_secret: SecretStr = Field(
        default=SecretStr(DEV_SECRET),
        description="HS256 secret, accepted in development only (`rueda token --hs256`).",
    )
    jwt_leeway_s: int = Field(default=60, ge=0, le=300)
    jwt_max_lifetime_s: int = Field(default=24 * 3600, ge=60)
    oidc_issuers: list[OidcIssuerConfig] = Field(
        default_factory=list, description="RUEDA_OIDC_ISSUERS: trusted OpenID Connect providers."
    )
    oidc_timeout_s: float = Field(default=2.0, gt=0, le=30)
    oidc_cache_s: float = Field(default=600.0, gt=0)
    oidc_negative_cache_s: float = Field(default=30.0, gt=0)
    access_token_ttl_s: int = Field(default=3600, ge=60, le=24 * 3600)
    refresh_token_ttl_s: int = Field(default=14 * 24 * 3600, ge=3600)
    sign_in_code_ttl_s: int = Field(default=15 * 60, ge=60, le=3600)
    invitation_ttl_s: int = Field(default=7 * 24 * 3600, ge=3600)
    web_url: str = Field(
        default="http://127.0.0.1:8090",
        description="RUEDA_WEB_URL: sign-in links go to `{web_url}/auth/callback?code=...`.",
    )
    sign_in_limit_address: str = Field(default="5/15 minutes", description="Per e-mail address.")
    sign_in_limit_client: str = Field(default="30/15 minutes", description="Per client address.")
    exchange_failure_limit: str = Field(
        default="10/15 minutes", description="Failed code or refresh exchanges per client."
    )
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_tls: bool = False
    mail_from: str = "Rueda <no-reply@rueda.localhost>"
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
    def _no_development_keys_outside_development(self) -> GatewaySettings:
        if self.env == "production":
            plain = [
                c.discovery for c in self.oidc_issuers if not c.discovery.startswith("https://")
            ]
            if plain:
                raise ValueError(
                    f"OpenID Connect discovery must be https:// in production: {plain}"
                )
        if self.env == "development":
            return self
        if not self.jwt_signing_keys:
            raise ValueError("RUEDA_JWT_SIGNING_KEYS must be set outside development")
        if any(k.kid == development_key().kid for k in self.signing_keys().keys):
            raise ValueError("the development signing key is refused outside development")
        if self.jwt_secret.get_secret_value() != DEV_SECRET:
            # HS256 is never accepted here, but a secret that is set must still be strong
            self.refuse_default_secret("jwt_secret", self.jwt_secret.get_secret_value())
        return self

    def signing_keys(self) -> SigningKeys:
        if not self.jwt_signing_keys:
            return SigningKeys([development_key()])
        return SigningKeys(
            [SigningKey.from_pem(k.get_secret_value()) for k in self.jwt_signing_keys]
        )

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


def mint_token(
    settings: GatewaySettings, claims: dict[str, Any], *, ttl_s: int = 3600, hs256: bool = False
) -> str:
    """A token this gateway accepts (`rueda token`, tests): its issuer, audience, `iat`, `exp`
    and signing key; `hs256` uses the development secret instead (development only)."""
    now = int(time.time())
    full = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + ttl_s,
        "jti": uuid.uuid4().hex,
        **claims,
    }
    if hs256:
        return jwt.encode(full, settings.jwt_secret.get_secret_value(), algorithm="HS256")
    return settings.signing_keys().sign(full)


def create_app(
    settings: GatewaySettings | None = None,
    *,
    now: Callable[[], datetime] | None = None,
    mailer: LinkMailer | None = None,
) -> FastAPI:
    """`now` (the clock of codes and sessions) and `mailer` are ports tests may replace."""
    settings = settings or GatewaySettings()
    runtime = ServiceRuntime(settings, indexes=(*IDEMPOTENCY_INDEXES, *IDENTITY_INDEXES))
    keys = settings.signing_keys()
    oidc = [
        OidcIssuer(
            config,
            timeout_s=settings.oidc_timeout_s,
            cache_s=settings.oidc_cache_s,
            negative_cache_s=settings.oidc_negative_cache_s,
        )
        for config in settings.oidc_issuers
    ]
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
        for issuer in oidc:
            rt.add_cleanup(issuer.close)
        app.state.signin = SignIn(
            IdentityStore(rt.db, now=now),
            registration=app.state.services["registration"],
            mailer=mailer or _smtp(settings),
            keys=keys,
            policy=_policy(settings),
        )

    routers = [
        registration.router,
        matching.router,
        scheduling.router,
        notifications.router,
        deals.router,
        status.router,
        signin.router,
        signin.wellknown,
    ]
    app = service_app(
        runtime,
        wire=wire,
        path_ids=False,  # each route declares its ids' pattern (see routes/common.py)
        dependencies=[Depends(rate_limited)],
        title="Rueda API",
        description=API_DESCRIPTION,
    )
    app.version = "1.0.0"
    for router in routers:
        app.include_router(router, generate_unique_id_function=_operation_id)
    _asyncapi_routes(app)
    app.state.sealer = settings.sealer()
    rate = settings.rate_limit or ("50/second" if settings.env == "production" else "1000/second")
    app.state.rate_limiter = RateLimiter(rate, storage_uri=settings.rate_limit_storage)
    gateway_issuer = GatewayIssuer(
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        keys=keys,
        hs256_secret=settings.jwt_secret.get_secret_value()
        if settings.env == "development"
        else None,
    )
    issuers: list[Issuer] = [gateway_issuer, *oidc]
    app.state.authenticator = Authenticator(
        issuers, leeway_s=settings.jwt_leeway_s, max_lifetime_s=settings.jwt_max_lifetime_s
    )
    app.state.signing_keys = keys
    app.state.limits = {
        "sign_in_address": RateLimiter(settings.sign_in_limit_address, name="address"),
        "sign_in_client": RateLimiter(settings.sign_in_limit_client, name="client"),
        "exchange_failures": RateLimiter(settings.exchange_failure_limit, name="client"),
    }
    install_error_handlers(app)
    return app


def _policy(settings: GatewaySettings) -> SignInPolicy:
    return SignInPolicy(
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        web_url=settings.web_url,
        access_ttl_s=settings.access_token_ttl_s,
        refresh_ttl_s=settings.refresh_token_ttl_s,
        code_ttl_s=settings.sign_in_code_ttl_s,
        invitation_ttl_s=settings.invitation_ttl_s,
    )


async def sign_in_for_admin(settings: GatewaySettings, email: str) -> str:
    """`rueda admin create EMAIL`: the admin grant, in the gateway's database, and a link."""
    client = open_mongo(settings.mongo_uri)
    try:
        db = client[settings.database]
        await ensure_indexes(db, IDENTITY_INDEXES)
        return await create_admin(IdentityStore(db), _policy(settings), email)
    finally:
        await client.close()


def _smtp(settings: GatewaySettings) -> SmtpLinkMailer:
    return SmtpLinkMailer(
        host=settings.smtp_host,
        port=settings.smtp_port,
        mail_from=settings.mail_from,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        start_tls=settings.smtp_starttls,
        use_tls=settings.smtp_tls,
    )


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
