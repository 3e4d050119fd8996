"""Composition root of the registration service: settings, clients, broker and app."""

from __future__ import annotations

from fastapi import FastAPI

from rueda.shared.service import ServiceRuntime, service_app
from rueda.shared.settings import RuedaSettings

from .adapters import INDEXES, RegistrationRepository
from .api import router
from .consumers import register_consumers
from .handlers import RegistrationHandlers

__all__ = ["RegistrationSettings", "create_app", "main"]


class RegistrationSettings(RuedaSettings):
    """Settings of the registration service (environment, prefix `RUEDA_`)."""

    service_name: str = "registration"


def wire(runtime: ServiceRuntime) -> None:
    """Build the handlers on the open database and subscribe them."""
    handlers = RegistrationHandlers(
        runtime.uow, RegistrationRepository(runtime.db), runtime.settings.group("registration")
    )
    register_consumers(runtime.broker, runtime.settings, handlers)


def create_app(settings: RegistrationSettings | None = None) -> FastAPI:
    settings = settings or RegistrationSettings()
    runtime = ServiceRuntime(settings, indexes=INDEXES)
    return service_app(runtime, wire=wire, routers=[router], title="rueda-registration")


def main() -> None:
    from rueda.shared.service import run_service

    settings = RegistrationSettings()
    run_service(create_app(settings), settings)
