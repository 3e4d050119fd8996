"""Composition root of the matching service: settings, clients, broker, ticker and app."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI
from pydantic import Field

from rueda.shared.contracts import utcnow
from rueda.shared.service import ServiceRuntime, service_app
from rueda.shared.settings import RuedaSettings

from .adapters.mongo import INDEXES
from .adapters.ticker import Ticker
from .api import router
from .consumers import SERVICE, subscribe_matching
from .handlers import Matching

__all__ = ["MatchingRuntime", "MatchingSettings", "create_app", "main", "wire"]


class MatchingSettings(RuedaSettings):
    """Settings of the matching service (environment, prefix `RUEDA_`)."""

    service_name: str = "matching"
    replan_debounce_s: float = Field(
        default=2.0,
        ge=0,
        description="Auto mode: re-plan a roundtable once it had no change for this long; "
        "new proposals are announced (MatchesProposed) on the same debounce in every mode "
        "(0: both inside the handler of every change).",
    )
    replan_max_delay_s: float = Field(
        default=20.0,
        ge=0,
        description="Never postpone a due re-plan (auto mode) or announcement of proposals longer.",
    )
    tick_s: float = Field(
        default=1.0,
        gt=0,
        description="How often request expiry, due re-plans and due proposals are checked.",
    )


class MatchingRuntime(ServiceRuntime):
    """The shared runtime plus matching's use cases and its periodic ticker.

    `clock` is injectable so tests control request expiry and the re-plan debounce.
    """

    def __init__(
        self, settings: MatchingSettings, *, clock: Callable[[], datetime] = utcnow
    ) -> None:
        super().__init__(settings, indexes=INDEXES)
        self.matching_settings = settings
        self.clock = clock
        self._matching: Matching | None = None
        self._ticker: Ticker | None = None

    @property
    def matching(self) -> Matching:
        if self._matching is None:
            raise RuntimeError("the runtime is not started")
        return self._matching

    @property
    def ticker(self) -> Ticker:
        if self._ticker is None:
            raise RuntimeError("the runtime is not started")
        return self._ticker

    def wire_matching(self) -> None:
        settings = self.matching_settings
        self._matching = Matching(
            self.uow,
            group=settings.group(SERVICE),
            clock=self.clock,
            replan_debounce_s=settings.replan_debounce_s,
            replan_max_delay_s=settings.replan_max_delay_s,
        )
        subscribe_matching(self.broker, settings, self._matching)
        self._ticker = Ticker(
            [self._matching.expire_due, self._matching.propose_due, self._matching.replan_due],
            interval_s=settings.tick_s,
        )
        self._ticker.start()

    async def stop(self) -> None:
        if self._ticker is not None:
            await self._ticker.stop()
        await super().stop()


def wire(runtime: ServiceRuntime) -> None:
    """Register the subscribers and start the ticker (`runtime` is a `MatchingRuntime`)."""
    if not isinstance(runtime, MatchingRuntime):
        raise TypeError("the matching service runs on a MatchingRuntime")
    runtime.wire_matching()


def create_app(settings: MatchingSettings | None = None) -> FastAPI:
    settings = settings or MatchingSettings()
    runtime = MatchingRuntime(settings)
    return service_app(runtime, wire=wire, routers=[router], title="rueda-matching")


def main() -> None:
    from rueda.shared.service import run_service

    settings = MatchingSettings()
    run_service(create_app(settings), settings)
