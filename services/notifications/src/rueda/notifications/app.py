"""Composition root of the notifications service: settings, clients, broker and app."""

from __future__ import annotations

from fastapi import FastAPI

from rueda.shared.service import ServiceRuntime, service_app
from rueda.shared.settings import RuedaSettings

__all__ = ["NotificationsSettings", "create_app", "main"]


class NotificationsSettings(RuedaSettings):
    """Settings of the notifications service (environment, prefix `RUEDA_`)."""

    service_name: str = "notifications"


def wire(runtime: ServiceRuntime) -> None:
    """Register the service's subscribers (none until its handlers land)."""


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    settings = settings or NotificationsSettings()
    runtime = ServiceRuntime(settings)
    return service_app(runtime, wire=wire, title="rueda-notifications")


def main() -> None:
    from rueda.shared.service import run_service

    settings = NotificationsSettings()
    run_service(create_app(settings), settings)
