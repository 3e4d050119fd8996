"""Composition root of the web app: settings, the gateway client, catalogues, templates,
the session and security headers, and the routes. It owns nothing durable."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from prometheus_client import CollectorRegistry
from pydantic import Field, model_validator

from rueda.shared.health import health_router
from rueda.shared.logging import configure_logging
from rueda.shared.settings import DEV_SECRET, RuedaSettings

from . import assets
from .client import Gateway, GatewayError
from .i18n import LANGUAGES, Translator, compile_catalogues
from .pages import (
    BadFormError,
    SignInRequiredError,
    environment,
    error_page,
    redirect,
    render,
    translator,
)
from .routes.participant import router as participant_router
from .session import COOKIE, Session, SessionCodec

__all__ = ["CSP", "WebSettings", "create_app", "main"]

STATIC = Path(__file__).parent / "static"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # sign-in codes travel in URLs
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class WebSettings(RuedaSettings):
    """Settings of the web app (environment, prefix `RUEDA_`)."""

    service_name: str = "web"
    http_port: int = 8090
    gateway_url: str = "http://127.0.0.1:8080"
    web_url: str = Field(
        default="http://127.0.0.1:8090", description="Where people reach the web app."
    )
    session_secret: str = DEV_SECRET
    cookie_secure: bool = Field(
        default=True, description="Secure cookies; browsers accept them on http://127.0.0.1."
    )
    gateway_timeout_s: float = 10.0

    @model_validator(mode="after")
    def _strong_session_secret(self) -> WebSettings:
        self.refuse_default_secret("session_secret", self.session_secret)
        return self


def create_app(settings: WebSettings | None = None, *, transport: Any = None) -> FastAPI:
    settings = settings or WebSettings()
    codec = SessionCodec(settings.session_secret, secure=settings.cookie_secure)
    registry = CollectorRegistry()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.log_level, settings.log_format, settings.service_name)
        app.state.gateway = Gateway(
            settings.gateway_url, timeout_s=settings.gateway_timeout_s, transport=transport
        )
        try:
            yield
        finally:
            await app.state.gateway.close()

    compile_catalogues()
    app = FastAPI(title="Rueda web", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)  # fmt: skip
    app.state.settings = settings
    app.state.templates = environment()
    app.state.translators = {lang: Translator.load(lang) for lang in LANGUAGES}
    app.state.htmx_asset = assets.htmx_path()

    @app.middleware("http")
    async def session_and_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request.state.session = session = Session(codec.load(request.cookies.get(COOKIE)))
        response = await call_next(request)
        if session.changed:
            codec.write(response, session.data)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(SignInRequiredError)
    async def sign_in_first(request: Request, _: SignInRequiredError) -> Response:
        return redirect("/sign-in")

    @app.exception_handler(BadFormError)
    async def bad_form(request: Request, _: BadFormError) -> Response:
        return render(
            request,
            "error.html",
            status_code=403,
            title=translator(request).gettext("This form has expired"),
            message=translator(request).gettext(
                "Go back, reload the page and send the form again."
            ),
        )

    @app.exception_handler(GatewayError)
    async def gateway_refused(request: Request, exc: GatewayError) -> Response:
        if exc.status == 401:
            Session.of(request).sign_out()
            return redirect("/sign-in")
        return error_page(request, exc)

    async def gateway_up() -> None:
        await app.state.gateway.get("/healthz")

    app.include_router(health_router({"gateway": gateway_up}, registry))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(participant_router)
    return app


def main() -> None:
    from rueda.shared.service import run_service

    settings = WebSettings()
    run_service(create_app(settings), settings)
