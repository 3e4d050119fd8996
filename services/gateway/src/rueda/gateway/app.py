"""Composition root of the HTTP gateway: settings, clients, broker and app."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import model_validator

from rueda.shared.service import ServiceRuntime, service_app
from rueda.shared.settings import DEV_SECRET, RuedaSettings

__all__ = ["GatewaySettings", "create_app", "main"]


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

    @model_validator(mode="after")
    def _no_default_secret_in_production(self) -> GatewaySettings:
        if self.jwt_jwks_url is None:
            self.refuse_default_secret("jwt_secret", self.jwt_secret)
        return self


def wire(runtime: ServiceRuntime) -> None:
    """The gateway consumes nothing; it publishes commands."""


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    runtime = ServiceRuntime(settings)
    return service_app(runtime, wire=wire, title="Rueda API")


def main() -> None:
    from rueda.shared.service import run_service

    settings = GatewaySettings()
    run_service(create_app(settings), settings)
