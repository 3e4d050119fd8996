"""A periodic task of the service process: runs its jobs every `interval_s` until stopped."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence

import structlog

__all__ = ["Ticker"]

log = structlog.get_logger("rueda.matching.ticker")

Job = Callable[[], Awaitable[int]]


class Ticker:
    """Calls each job in turn every `interval_s`; a failing job is logged and tried next time.

    The jobs themselves are safe to run on several replicas at once (conditional updates
    inside transactions), so no lease is needed here.
    """

    def __init__(self, jobs: Sequence[Job], *, interval_s: float) -> None:
        self._jobs = tuple(jobs)
        self._interval_s = interval_s
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="matching-ticker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def tick(self) -> int:
        """Run every job once; returns the total work they reported."""
        done = 0
        for job in self._jobs:
            try:
                done += await job()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("periodic job failed, will retry", job=repr(job), error=repr(exc))
        return done

    async def _run(self) -> None:
        while True:
            await self.tick()
            await asyncio.sleep(self._interval_s)
