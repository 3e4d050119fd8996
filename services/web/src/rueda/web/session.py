"""The session: a signed cookie (HttpOnly, Secure, SameSite=Lax) holding the person's tokens,
the CSRF token of its forms and its chosen language. Nothing is kept on the server."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import MutableMapping
from typing import Any

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .client import Tokens

__all__ = ["COOKIE", "CSRF_FIELD", "Session", "SessionCodec"]

COOKIE = "rueda_session"
CSRF_FIELD = "csrf_token"
MAX_AGE_S = 14 * 24 * 3600


class SessionCodec:
    """Signs and reads the session cookie (itsdangerous, HMAC-SHA1 over a salted key)."""

    def __init__(self, secret: str, *, secure: bool = True) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt="rueda.web.session")
        self.secure = secure

    def load(self, raw: str | None) -> dict[str, Any]:
        if not raw:
            return {}
        try:
            data = self._serializer.loads(raw, max_age=MAX_AGE_S)
        except BadSignature:
            return {}
        return data if isinstance(data, dict) else {}

    def dump(self, data: dict[str, Any]) -> str:
        return self._serializer.dumps(data)

    def write(self, response: Response, data: dict[str, Any]) -> None:
        response.set_cookie(
            COOKIE,
            self.dump(data),
            max_age=MAX_AGE_S,
            path="/",
            secure=self.secure,
            httponly=True,
            samesite="lax",
        )


class Session:
    """One request's view of the session; written back only when it changed."""

    def __init__(self, data: MutableMapping[str, Any]) -> None:
        self.data = dict(data)
        self.changed = False
        if not isinstance(self.data.get("csrf"), str):
            self.data["csrf"] = secrets.token_urlsafe(24)
            self.changed = True

    @classmethod
    def of(cls, request: Request) -> Session:
        session: Session = request.state.session
        return session

    @property
    def csrf(self) -> str:
        return str(self.data["csrf"])

    def csrf_ok(self, submitted: str | None) -> bool:
        return bool(submitted) and hmac.compare_digest(self.csrf, str(submitted))

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def set(self, **values: Any) -> None:
        for key, value in values.items():
            if self.data.get(key) != value:
                self.data[key] = value
                self.changed = True

    @property
    def signed_in(self) -> bool:
        return bool(self.data.get("access"))

    @property
    def tokens(self) -> Tokens:
        return Tokens(access=self.data.get("access"), refresh=self.data.get("refresh"))

    def keep(self, tokens: Tokens) -> None:
        """Tokens the client refreshed on the way go back into the cookie."""
        if tokens.refreshed:
            self.set(access=tokens.access, refresh=tokens.refresh)

    def sign_in(self, *, access: str, refresh: str | None, me: dict[str, Any]) -> None:
        """A new session on sign-in (a fresh CSRF token: no fixation), language kept."""
        lang = self.data.get("lang")
        self.data = {
            "csrf": secrets.token_urlsafe(24),
            "access": access,
            "refresh": refresh,
            "role": me.get("role"),
            "rt": me.get("roundtable_id"),
            "pid": me.get("participant_id"),
        }
        if lang:
            self.data["lang"] = lang
        self.changed = True

    def sign_out(self) -> None:
        lang = self.data.get("lang")
        self.data = {"csrf": secrets.token_urlsafe(24)}
        if lang:
            self.data["lang"] = lang
        self.changed = True
