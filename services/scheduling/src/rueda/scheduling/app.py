"""Composition root of the scheduling service: settings, clients, broker and app."""

from __future__ import annotations

from fastapi import FastAPI

from rueda.shared.service import ServiceRuntime, service_app
from rueda.shared.settings import RuedaSettings

__all__ = ["SchedulingSettings", "create_app", "main"]


class SchedulingSettings(RuedaSettings):
    """Settings of the scheduling service (environment, prefix `RUEDA_`)."""

    service_name: str = "scheduling"


def wire(runtime: ServiceRuntime) -> None:
    """Register the service's subscribers (none until its handlers land)."""


def create_app(settings: SchedulingSettings | None = None) -> FastAPI:
    settings = settings or SchedulingSettings()
    runtime = ServiceRuntime(settings)
    return service_app(runtime, wire=wire, title="rueda-scheduling")


def main() -> None:
    from rueda.shared.service import run_service

    settings = SchedulingSettings()
    run_service(create_app(settings), settings)
