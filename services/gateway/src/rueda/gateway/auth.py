"""Bearer JWT authentication and the role/scope checks every endpoint makes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .errors import ApiError

__all__ = ["Authenticator", "CurrentPrincipal", "Principal", "Role"]

Role = Literal["organizer", "agency", "participant", "admin", "anonymous"]
_ROLES = {"organizer", "agency", "participant", "admin"}

bearer = HTTPBearer(
    auto_error=False, description="JWT: HS256 in development, RS256 (JWKS) in production"
)


@dataclass(frozen=True)
class Principal:
    """Who calls: a role and its scope (a roundtable, a country, a participant)."""

    role: Role
    subject: str = "anonymous"
    roundtable_id: str | None = None
    country: str | None = None
    participant_id: str | None = None

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


class Authenticator:
    """Verifies tokens: HS256 with a shared secret, or RS256 against a JWKS URL."""

    def __init__(self, *, secret: str, jwks_url: str | None = None) -> None:
        self._secret = secret
        self._jwks = jwt.PyJWKClient(jwks_url) if jwks_url else None

    def principal(self, token: str) -> Principal:
        try:
            if self._jwks is not None:
                key = self._jwks.get_signing_key_from_jwt(token).key
                claims = jwt.decode(token, key, algorithms=["RS256"])
            else:
                claims = jwt.decode(token, self._secret, algorithms=["HS256"])
        except jwt.PyJWTError as exc:
            raise ApiError(
                401,
                "invalid_token",
                f"the token is not valid: {exc}",
                headers={"WWW-Authenticate": "Bearer"},
            ) from None
        role = claims.get("role")
        if role not in _ROLES:
            raise ApiError(401, "invalid_token", "the token has no valid role")
        country = claims.get("country")
        if role == "agency" and not country:
            raise ApiError(401, "invalid_token", "an agency token needs a country")
        if role == "participant" and not claims.get("participant_id"):
            raise ApiError(401, "invalid_token", "a participant token needs a participant_id")
        if role in ("organizer", "agency", "participant") and not claims.get("roundtable_id"):
            raise ApiError(401, "invalid_token", f"a {role} token needs a roundtable_id")
        return Principal(
            role=role,
            subject=str(claims.get("sub", role)),
            roundtable_id=claims.get("roundtable_id"),
            country=country.upper() if isinstance(country, str) else None,
            participant_id=claims.get("participant_id"),
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
    return authenticator.principal(credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
