"""Bearer JWT authentication (several trusted issuers) and the role/scope checks every
endpoint makes."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Protocol

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .errors import ApiError
from .keys import SigningKeys

__all__ = ["Authenticator", "CurrentPrincipal", "GatewayIssuer", "Issuer", "Principal", "Role"]

Role = Literal["organizer", "agency", "participant", "admin", "anonymous"]
_ROLES = {"organizer", "agency", "participant", "admin"}

bearer = HTTPBearer(
    auto_error=False,
    description="JWT from the gateway (EdDSA/ES256, keys at /.well-known/jwks.json) or a trusted "
    "OpenID Connect provider; HS256 in development only",
)


@dataclass(frozen=True)
class Principal:
    """Who calls: a role and its scope (a roundtable, a country, a participant)."""

    role: Role
    subject: str = "anonymous"
    roundtable_id: str | None = None
    country: str | None = None
    participant_id: str | None = None
    email: str | None = None
    issuer: str | None = None

    @property
    def anonymous(self) -> bool:
        return self.role == "anonymous"

    def in_roundtable(self, roundtable_id: str) -> bool:
        return self.role == "admin" or self.roundtable_id == roundtable_id

    def require(self, *roles: Role, roundtable_id: str | None = None) -> None:
        """401 for an anonymous caller, 403 for a role or roundtable out of scope."""
        if self.anonymous and "anonymous" not in roles:
            raise ApiError(
                401,
                "unauthenticated",
                "a bearer token is required",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if self.role not in roles:
            raise ApiError(403, "forbidden", f"the {self.role} role may not do this")
        if (
            roundtable_id is not None
            and not self.anonymous
            and not self.in_roundtable(roundtable_id)
        ):
            raise ApiError(403, "forbidden", "this token is for another roundtable")

    def require_country(self, country: str) -> None:
        """An agency acts only on its own country."""
        if self.role == "agency" and self.country != country:
            raise ApiError(403, "forbidden", "an agency acts only on its own country")

    def require_self(self, participant_id: str) -> None:
        """A participant acts only on itself."""
        if self.role == "participant" and self.participant_id != participant_id:
            raise ApiError(403, "forbidden", "a participant acts only on itself")


class GatewayIssuer:
    """Tokens the gateway signs itself (sign-in, invitations, `rueda token`). In development
    it also takes HS256 tokens made with the development secret; nowhere else."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        keys: SigningKeys,
        hs256_secret: str | None = None,
    ) -> None:
        self.issuer = issuer
        self.audience = audience
        self.keys = keys
        self._secret = hs256_secret
        self.algorithms = [*keys.algorithms, *(["HS256"] if hs256_secret else [])]

    async def key(self, kid: str | None, algorithm: str) -> Any:
        if algorithm == "HS256":
            return self._secret
        found = self.keys.public(kid)
        if found is None or found.algorithm != algorithm:
            raise ApiError(401, "invalid_token", "the token's key (kid) is not the gateway's")
        return found.public

    def scope(self, claims: dict[str, Any]) -> dict[str, Any]:
        return {
            "role": claims.get("role"),
            "roundtable_id": claims.get("roundtable_id"),
            "country": claims.get("country"),
            "participant_id": claims.get("participant_id"),
            "email": claims.get("email"),
        }


class Issuer(Protocol):
    issuer: str
    audience: str
    algorithms: list[str]

    async def key(self, kid: str | None, algorithm: str) -> Any: ...

    def scope(self, claims: dict[str, Any]) -> dict[str, Any]: ...


def _invalid(message: str) -> ApiError:
    return ApiError(401, "invalid_token", message, headers={"WWW-Authenticate": "Bearer"})


class Authenticator:
    """Verifies a bearer token against the issuer its `iss` names, if that one is trusted.

    Every token must carry `exp`, `iat`, `iss` and `aud`; its `alg` must be one its issuer
    is configured for (never `none`, never HS256 for an asymmetric issuer); `exp` and `iat`
    are checked with `leeway_s`, and `exp - iat` may not exceed `max_lifetime_s`.
    """

    def __init__(
        self,
        issuers: Sequence[Issuer],
        *,
        leeway_s: int = 60,
        max_lifetime_s: int = 24 * 3600,
    ) -> None:
        self._issuers = {i.issuer: i for i in issuers}
        self._leeway = leeway_s
        self._max_lifetime = max_lifetime_s

    @property
    def issuers(self) -> list[Issuer]:
        return list(self._issuers.values())

    async def principal(self, token: str) -> Principal:
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as exc:
            raise _invalid(f"the token is not valid: {exc}") from None
        issuer = self._issuers.get(str(unverified.get("iss", "")))
        if issuer is None:
            raise _invalid("the token's issuer (iss) is not trusted")
        algorithm = str(header.get("alg", ""))
        if algorithm not in issuer.algorithms:
            raise _invalid(f"the algorithm {algorithm!r} is not accepted from this issuer")
        kid = header.get("kid")
        key = await issuer.key(kid if isinstance(kid, str) else None, algorithm)
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=issuer.audience,
                issuer=issuer.issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "iss", "aud"]},
            )
        except jwt.PyJWTError as exc:
            raise _invalid(f"the token is not valid: {exc}") from None
        issued, expires = claims["iat"], claims["exp"]
        if not isinstance(issued, int | float) or issued > time.time() + self._leeway:
            raise _invalid("the token is issued in the future")
        if expires - issued > self._max_lifetime:
            raise _invalid("the token lives longer than this gateway allows")
        return _principal(issuer.issuer, claims, issuer.scope(claims))


def _principal(issuer: str, claims: dict[str, Any], scope: dict[str, Any]) -> Principal:
    role = scope.get("role")
    if role not in _ROLES:
        raise _invalid("the token has no valid role")
    country = scope.get("country")
    if role == "agency" and not country:
        raise _invalid("an agency token needs a country")
    if role == "participant" and not scope.get("participant_id"):
        raise _invalid("a participant token needs a participant_id")
    if role in ("organizer", "agency", "participant") and not scope.get("roundtable_id"):
        raise _invalid(f"a {role} token needs a roundtable_id")
    subject = str(claims.get("sub", role))
    email = scope.get("email")
    return Principal(
        role=role,
        subject=subject,
        roundtable_id=scope.get("roundtable_id"),
        country=country.upper() if isinstance(country, str) else None,
        participant_id=scope.get("participant_id"),
        email=email if isinstance(email, str) else None,
        issuer=issuer,
    )


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    if credentials is None:
        if "authorization" in request.headers:
            raise ApiError(
                401,
                "invalid_token",
                "use `Authorization: Bearer <token>`",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return Principal(role="anonymous")
    authenticator: Authenticator = request.app.state.authenticator
    return await authenticator.principal(credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
