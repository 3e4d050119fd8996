"""Composition root of the matching service: settings, clients, broker and app."""

from __future__ import annotations

from fastapi import FastAPI

from rueda.shared.service import ServiceRuntime, service_app
from rueda.shared.settings import RuedaSettings

__all__ = ["MatchingSettings", "create_app", "main"]


class MatchingSettings(RuedaSettings):
    """Settings of the matching service (environment, prefix `RUEDA_`)."""

    service_name: str = "matching"


def wire(runtime: ServiceRuntime) -> None:
    """Register the service's subscribers (none until its handlers land)."""


def create_app(settings: MatchingSettings | None = None) -> FastAPI:
    settings = settings or MatchingSettings()
    runtime = ServiceRuntime(settings)
    return service_app(runtime, wire=wire, title="rueda-matching")


def main() -> None:
    from rueda.shared.service import run_service

    settings = MatchingSettings()
    run_service(create_app(settings), settings)
