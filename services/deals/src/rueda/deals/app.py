"""Composition root of the deals service: settings, clients, broker and app."""

from __future__ import annotations

from decimal import Decimal

from fastapi import FastAPI
from pydantic import Field

from rueda.shared.service import ServiceRuntime, service_app
from rueda.shared.settings import RuedaSettings

from .adapters import INDEXES, DealsRepository
from .api import build_router, commands_router
from .consumers import SERVICE, register
from .domain import Tolerance
from .handlers import DealsHandlers

__all__ = ["DealsSettings", "create_app", "main", "wire"]


class DealsSettings(RuedaSettings):
    """Settings of the deals service (environment, prefix `RUEDA_`)."""

    service_name: str = "deals"
    deal_tolerance_relative: Decimal = Field(
        default=Decimal("0.10"),
        ge=0,
        le=1,
        description="Both sides agree when their figures differ by at most this share of the "
        "larger one ...",
    )
    deal_tolerance_absolute_usd: Decimal = Field(
        default=Decimal("100"), ge=0, description="... or by at most this many US dollars."
    )

    @property
    def tolerance(self) -> Tolerance:
        return Tolerance(self.deal_tolerance_relative, self.deal_tolerance_absolute_usd)


def _tolerance(settings: RuedaSettings) -> Tolerance:
    return settings.tolerance if isinstance(settings, DealsSettings) else Tolerance()


def wire(runtime: ServiceRuntime) -> None:
    """Register the deals subscriptions on the runtime's broker."""
    handlers = DealsHandlers(
        runtime.uow,
        DealsRepository(runtime.db),
        group=runtime.settings.group(SERVICE),
        tolerance=_tolerance(runtime.settings),
    )
    register(runtime.broker, runtime.settings, handlers)


def create_app(settings: DealsSettings | None = None) -> FastAPI:
    settings = settings or DealsSettings()
    runtime = ServiceRuntime(settings, indexes=INDEXES)

    def repo() -> DealsRepository:
        return DealsRepository(runtime.db)

    routers = [build_router(repo, settings.tolerance), commands_router(repo)]
    return service_app(runtime, wire=wire, routers=routers, title="rueda-deals")


def main() -> None:
    from rueda.shared.service import run_service

    settings = DealsSettings()
    run_service(create_app(settings), settings)
