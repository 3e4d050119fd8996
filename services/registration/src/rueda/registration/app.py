"""Composition root of the registration service: settings, clients, broker and app."""

from __future__ import annotations

from fastapi import FastAPI

from rueda.shared.service import ServiceRuntime, service_app
from rueda.shared.settings import RuedaSettings

__all__ = ["RegistrationSettings", "create_app", "main"]


class RegistrationSettings(RuedaSettings):
    """Settings of the registration service (environment, prefix `RUEDA_`)."""

    service_name: str = "registration"


def wire(runtime: ServiceRuntime) -> None:
    """Register the service's subscribers (none until its handlers land)."""


def create_app(settings: RegistrationSettings | None = None) -> FastAPI:
    settings = settings or RegistrationSettings()
    runtime = ServiceRuntime(settings)
    return service_app(runtime, wire=wire, title="rueda-registration")


def main() -> None:
    from rueda.shared.service import run_service

    settings = RegistrationSettings()
    run_service(create_app(settings), settings)
