"""Rate limits of the sign-in endpoints (the `limits` library, moving windows, in memory).

Per gateway process: with N replicas a client gets at most N times the limit, still far
from what guessing a 256-bit code or flooding an inbox would need. Limits are expressed in
the library's notation, e.g. `5/15 minutes`.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter

from .errors import ApiError

__all__ = ["Limit"]

_STORAGE = MemoryStorage  # one per Limit, so that tests and apps never share counters


class Limit:
    """One limit on one kind of key (an address, a client)."""

    def __init__(self, spec: str, name: str) -> None:
        self.item: RateLimitItem = parse(spec)
        self.name = name
        self._limiter = MovingWindowRateLimiter(_STORAGE())

    async def hit(self, key: str) -> None:
        """Count one request; 429 with Retry-After once the limit is reached."""
        if not await self._limiter.hit(self.item, self.name, key):
            raise await self._too_many(key)

    async def check(self, key: str) -> None:
        """429 if the limit is already reached, without counting."""
        if not await self._limiter.test(self.item, self.name, key):
            raise await self._too_many(key)

    async def count(self, key: str) -> None:
        """Count one (failed) attempt without refusing it."""
        await self._limiter.hit(self.item, self.name, key)

    async def _too_many(self, key: str) -> ApiError:
        stats = await self._limiter.get_window_stats(self.item, self.name, key)
        wait = max(1, math.ceil(stats.reset_time - time.time()))
        return ApiError(
            429,
            "too_many_requests",
            f"too many requests; try again in {wait} s",
            {"limit": str(self.item), "per": self.name},
            {"Retry-After": str(wait)},
        )
