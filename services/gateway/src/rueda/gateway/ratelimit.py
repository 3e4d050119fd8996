"""Per-principal rate limits with the `limits` library: 429 with `Retry-After` beyond them.

`RateLimiter` is the reusable part: one rate (`"50/second"`, `"5/minute"`: limits' notation)
over a storage (`async+memory://` per gateway process, `async+redis://...` shared by the
replicas), checked with `hit(key)`. `rate_limited` is the dependency the gateway puts on every
route: the key is the caller's principal (role, subject and roundtable), or its client address
when anonymous. Routes with their own stricter budget (sign-in) make another `RateLimiter` and
call `hit` with their own key. The Ingress limits each client address before any of this
(deploy/kubernetes/base/gateway.yaml).
"""

from __future__ import annotations

import math
import time

from fastapi import Request
from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from .auth import CurrentPrincipal, Principal
from .errors import ApiError

__all__ = ["RateLimiter", "principal_key", "rate_limited"]


class RateLimiter:
    """A moving-window limit of `rate` per key."""

    def __init__(self, rate: str, *, storage_uri: str = "async+memory://", name: str = "api"):
        self.item: RateLimitItem = parse(rate)
        self.name = name
        storage = storage_from_string(storage_uri)
        self._limiter = MovingWindowRateLimiter(storage)

    async def hit(self, key: str) -> None:
        """Count one request of `key`; a 429 with `Retry-After` (seconds) beyond the rate."""
        if await self._limiter.hit(self.item, self.name, key):
            return
        stats = await self._limiter.get_window_stats(self.item, self.name, key)
        retry = max(1, math.ceil(stats.reset_time - time.time()))
        raise ApiError(
            429,
            "rate_limited",
            f"too many requests: at most {self.item} for one caller",
            {"retry_after_s": retry},
            {"Retry-After": str(retry)},
        )


def principal_key(request: Request, principal: Principal) -> str:
    if principal.anonymous:
        host = request.client.host if request.client else "unknown"
        return f"anonymous|{host}"
    return f"{principal.role}|{principal.subject}|{principal.roundtable_id or '*'}"


async def rate_limited(request: Request, principal: CurrentPrincipal) -> None:
    """The app-wide per-principal limit (a dependency of every gateway route)."""
    limiter: RateLimiter | None = getattr(request.app.state, "rate_limiter", None)
    if limiter is not None:
        await limiter.hit(principal_key(request, principal))
