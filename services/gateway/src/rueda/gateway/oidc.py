"""OpenID Connect providers trusted as issuers: discovery, signing keys and claim mapping.

An agency's own identity provider (Keycloak, Entra ID, Okta...) signs its officers in. The
gateway reads the provider's discovery document, then its JWKS, with a short timeout and
without blocking the event loop (httpx's async client). Keys are cached (`cache_s`); a failed
fetch is remembered (`negative_cache_s`) so that, while a provider is down or hangs, requests
carrying its tokens are refused at once (503) instead of each waiting for the timeout, and
requests with other issuers' tokens never wait at all: the provider is only contacted for
tokens whose `iss` names it. One fetch at a time per provider; concurrent requests share it.
An unknown `kid` refetches the JWKS (a rotation), at most once per `negative_cache_s`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, Literal

import httpx
import jwt
import structlog
from pydantic import BaseModel, ConfigDict, Field, field_validator

from .errors import ApiError

__all__ = ["ASYMMETRIC", "ClaimRule", "OidcIssuer", "OidcIssuerConfig"]

log = structlog.get_logger("rueda.gateway")

ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA")


class ClaimRule(BaseModel):
    """When the token's `claim` equals `value` (or, for a list claim such as `groups`,
    contains it), the caller has this Rueda role and scope. The first matching rule wins."""

    model_config = ConfigDict(extra="forbid")

    claim: str = Field(default="groups", min_length=1)
    value: str = Field(min_length=1)
    role: Literal["organizer", "agency", "admin"]
    roundtable_id: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")

    def matches(self, claims: dict[str, Any]) -> bool:
        found = claims.get(self.claim)
        if isinstance(found, list):
            return self.value in found
        return found == self.value


class OidcIssuerConfig(BaseModel):
    """One trusted OpenID Connect provider (an item of `RUEDA_OIDC_ISSUERS`, JSON)."""

    model_config = ConfigDict(extra="forbid")

    issuer: str = Field(min_length=1, description="The exact `iss` of its tokens.")
    discovery_url: str | None = Field(
        default=None, description="Default: `{issuer}/.well-known/openid-configuration`."
    )
    audience: str = Field(min_length=1, description="The `aud` its tokens must carry.")
    algorithms: list[str] = Field(default_factory=lambda: ["RS256", "ES256", "EdDSA"])
    rules: list[ClaimRule] = Field(min_length=1)
    email_claim: str = "email"

    @field_validator("algorithms")
    @classmethod
    def _asymmetric_only(cls, value: list[str]) -> list[str]:
        wrong = [a for a in value if a not in ASYMMETRIC]
        if wrong or not value:
            raise ValueError(f"only asymmetric algorithms may be trusted, not {wrong}")
        return value

    @property
    def discovery(self) -> str:
        return self.discovery_url or f"{self.issuer.rstrip('/')}/.well-known/openid-configuration"


class OidcIssuer:
    """Verification keys and claim mapping of one provider."""

    def __init__(
        self,
        config: OidcIssuerConfig,
        *,
        timeout_s: float = 2.0,
        cache_s: float = 600.0,
        negative_cache_s: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.issuer = config.issuer
        self.audience = config.audience
        self.algorithms = list(config.algorithms)
        self._timeout_s = timeout_s
        self._cache_s = cache_s
        self._negative_s = negative_cache_s
        self._now = monotonic
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_s, connect=timeout_s), transport=transport
        )
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fresh_until = 0.0
        self._failed_until = 0.0
        self._refetched_at = -1e9
        self._lock = asyncio.Lock()

    async def close(self) -> None:
        await self._client.aclose()

    async def key(self, kid: str | None, algorithm: str) -> Any:
        if self._now() >= self._fresh_until or (
            kid not in self._keys and self._now() - self._refetched_at >= self._negative_s
        ):
            await self._refresh()
        found = self._keys.get(kid or "")
        if found is None:
            raise ApiError(401, "invalid_token", "the token's key (kid) is not the issuer's")
        if found.algorithm_name != algorithm:
            raise ApiError(401, "invalid_token", "the token's algorithm does not match its key")
        return found.key

    async def _refresh(self) -> None:
        async with self._lock:
            now = self._now()
            if now < self._fresh_until and now - self._refetched_at < self._negative_s:
                return  # another request refreshed while this one waited
            if now < self._failed_until:
                return self._unavailable(stale_ok=True)
            self._refetched_at = now
            try:
                keys = await asyncio.wait_for(self._fetch(), timeout=self._timeout_s)
            except (TimeoutError, httpx.HTTPError, ValueError, jwt.PyJWTError) as exc:
                self._failed_until = self._now() + self._negative_s
                log.warning("identity provider unreachable", issuer=self.issuer, error=repr(exc))
                return self._unavailable(stale_ok=True)
            self._keys = keys
            self._fresh_until = self._now() + self._cache_s

    def _unavailable(self, *, stale_ok: bool) -> None:
        if stale_ok and self._keys:
            return  # keep verifying with the keys fetched before the outage
        raise ApiError(
            503,
            "identity_provider_unavailable",
            "the token's identity provider cannot be reached now",
            {"issuer": self.issuer},
            {"Retry-After": str(int(self._negative_s))},
        )

    async def _fetch(self) -> dict[str, jwt.PyJWK]:
        discovery = (await self._client.get(self.config.discovery)).raise_for_status().json()
        if discovery.get("issuer") != self.issuer:
            raise ValueError(f"the discovery document names issuer {discovery.get('issuer')!r}")
        jwks = (await self._client.get(str(discovery["jwks_uri"]))).raise_for_status().json()
        keys: dict[str, jwt.PyJWK] = {}
        for item in jwks.get("keys", []):
            if item.get("use", "sig") != "sig" or "kid" not in item:
                continue
            try:
                keys[str(item["kid"])] = jwt.PyJWK(item)
            except jwt.PyJWTError:
                continue  # a key type this gateway cannot use
        return keys

    def scope(self, claims: dict[str, Any]) -> dict[str, Any]:
        """The Rueda role and scope its claims map to; 403 when no rule matches."""
        for rule in self.config.rules:
            if rule.matches(claims):
                email = claims.get(self.config.email_claim)
                return {
                    "role": rule.role,
                    "roundtable_id": rule.roundtable_id,
                    "country": rule.country,
                    "email": email if isinstance(email, str) else None,
                }
        raise ApiError(403, "forbidden", "the identity provider grants this user no Rueda role")
