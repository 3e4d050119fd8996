"""Rate limits with the `limits` library (moving windows): 429 with `Retry-After` beyond them.

`RateLimiter` is the one reusable part: a rate (`"50/second"`, `"5/15 minutes"`: limits'
notation) over a storage (`async+memory://` per gateway process, `async+redis://...` shared by
the replicas). `rate_limited` is the dependency the gateway puts on every route: the key is the
caller's principal (role, subject and roundtable), or its client address when anonymous. The
sign-in endpoints keep stricter limiters of their own (per address, per client, failed
exchanges). Per process: with N replicas a client gets at most N times a limit, still far from
what guessing a 256-bit code or flooding an inbox would need. The Ingress limits each client
address before any of this (deploy/kubernetes/base/gateway.yaml).
"""

from __future__ import annotations

import math
import time

from fastapi import Request
from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from .auth import Principal, bearer, current_principal
from .errors import ApiError

__all__ = ["RateLimiter", "principal_key", "rate_limited"]


class RateLimiter:
    """A moving-window limit of `rate` per key; each instance counts on its own storage."""

    def __init__(self, rate: str, *, storage_uri: str = "async+memory://", name: str = "api"):
        self.item: RateLimitItem = parse(rate)
        self.name = name
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    async def hit(self, key: str) -> None:
        """Count one request of `key`; a 429 with `Retry-After` (seconds) beyond the rate."""
        if not await self._limiter.hit(self.item, self.name, key):
            raise await self._too_many(key)

    async def check(self, key: str) -> None:
        """A 429 if the limit is already reached, without counting."""
        if not await self._limiter.test(self.item, self.name, key):
            raise await self._too_many(key)

    async def count(self, key: str) -> None:
        """Count one (failed) attempt without refusing it."""
        await self._limiter.hit(self.item, self.name, key)

    async def _too_many(self, key: str) -> ApiError:
        stats = await self._limiter.get_window_stats(self.item, self.name, key)
        retry = max(1, math.ceil(stats.reset_time - time.time()))
        return ApiError(
            429,
            "rate_limited",
            f"too many requests: at most {self.item} per {self.name}; try again in {retry} s",
            {"retry_after_s": retry, "limit": str(self.item), "per": self.name},
            {"Retry-After": str(retry)},
        )


def principal_key(request: Request, principal: Principal) -> str:
    if principal.anonymous:
        host = request.client.host if request.client else "unknown"
        return f"anonymous|{host}"
    return f"{principal.role}|{principal.subject}|{principal.roundtable_id or '*'}"


async def rate_limited(request: Request) -> None:
    """The app-wide per-principal limit (a dependency of every gateway route). A request whose
    token does not verify is counted by its client address; the route itself answers it (a
    route open to anonymous callers, such as sign-in, must not refuse it for a bad header)."""
    limiter: RateLimiter | None = getattr(request.app.state, "rate_limiter", None)
    if limiter is None:
        return
    try:
        principal = await current_principal(request, await bearer(request))
    except ApiError:
        principal = Principal(role="anonymous")
    await limiter.hit(principal_key(request, principal))
