"""Composition root of the deals service: settings, clients, broker and app."""

from __future__ import annotations

from fastapi import FastAPI

from rueda.shared.service import ServiceRuntime, service_app
from rueda.shared.settings import RuedaSettings

__all__ = ["DealsSettings", "create_app", "main"]


class DealsSettings(RuedaSettings):
    """Settings of the deals service (environment, prefix `RUEDA_`)."""

    service_name: str = "deals"


def wire(runtime: ServiceRuntime) -> None:
    """Register the service's subscribers (none until its handlers land)."""


def create_app(settings: DealsSettings | None = None) -> FastAPI:
    settings = settings or DealsSettings()
    runtime = ServiceRuntime(settings)
    return service_app(runtime, wire=wire, title="rueda-deals")


def main() -> None:
    from rueda.shared.service import run_service

    settings = DealsSettings()
    run_service(create_app(settings), settings)
