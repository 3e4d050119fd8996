"""The sign-in use cases: e-mail links, exchange, refresh, sign-out, invitations, admins.

See `identity.py` for what is stored and how refresh families work. Who a contact e-mail
belongs to is asked of registration's read API (`/internal/contacts`); staff grants come
from accepted invitations and `rueda admin create`.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import structlog

from .errors import ApiError
from .identity import Grant, IdentityStore, new_secret, normalize_email
from .keys import SigningKeys
from .mail import LinkMail, LinkMailer, pick_language
from .proxy import ServiceClient

__all__ = ["SignIn", "SignInPolicy", "Tokens", "create_admin"]

log = structlog.get_logger("rueda.gateway")
Document = dict[str, Any]


@dataclass(frozen=True)
class SignInPolicy:
    issuer: str
    audience: str
    web_url: str
    access_ttl_s: int = 3600
    refresh_ttl_s: int = 14 * 24 * 3600
    code_ttl_s: int = 15 * 60
    invitation_ttl_s: int = 7 * 24 * 3600

    def link(self, code: str) -> str:
        return f"{self.web_url.rstrip('/')}/auth/callback?{urlencode({'code': code})}"


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int
    acting_as: Grant
    choices: list[Grant]

    def body(self) -> Document:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "acting_as": self.acting_as.view(),
            "choices": [g.view() for g in self.choices],
        }


def _refused(code: str, message: str) -> ApiError:
    return ApiError(401, code, message, headers={"WWW-Authenticate": "Bearer"})


class SignIn:
    def __init__(
        self,
        store: IdentityStore,
        *,
        registration: ServiceClient,
        mailer: LinkMailer,
        keys: SigningKeys,
        policy: SignInPolicy,
    ) -> None:
        self.store = store
        self._registration = registration
        self._mailer = mailer
        self._keys = keys
        self.policy = policy

    # -- e-mail links -------------------------------------------------------------------------

    async def send_link(self, email: str, roundtable_id: str | None) -> None:
        """E-mail a sign-in link if the address may sign in; else nothing. Runs after the
        202 answer, so neither its result nor its duration tells the caller anything."""
        email = normalize_email(email)
        try:
            contacts = await self._registration.get("/internal/contacts", {"email": email})
            grants = [_participant_grant(c) for c in contacts if c["status"] != "withdrawn"]
            grants += await self.store.staff_grants(email)
            if roundtable_id is not None:
                grants = [
                    g for g in grants if g.role == "admin" or g.roundtable_id == roundtable_id
                ]
            if not grants:
                log.info("sign-in asked for an address with no grant")
                return
            code = new_secret()
            await self.store.add_code(
                code,
                kind="sign_in",
                email=email,
                grants=grants,
                ttl=timedelta(seconds=self.policy.code_ttl_s),
            )
            first = next((c for c in contacts if c["status"] != "withdrawn"), None)
            await self._mailer.send(
                LinkMail(
                    to=email,
                    kind="sign_in",
                    link=self.policy.link(code),
                    language=pick_language(first.get("languages") if first else None),
                    name=str(first.get("contact_name", "")) if first else "",
                    roundtable=str(first.get("roundtable_name", "")) if first else "",
                    minutes=self.policy.code_ttl_s // 60,
                )
            )
            log.info("sign-in link sent", grants=len(grants))
        except Exception as exc:  # the caller already had its 202: log, never raise
            log.warning("sign-in link not sent", error=repr(exc))

    async def exchange(self, code: str, choice: str | None) -> Tokens:
        found = await self.store.take_code(code)
        if found is None:
            raise _refused("invalid_code", "this sign-in code is unknown, used or expired")
        email = found["email"]
        grants = [Grant.of(g) for g in found["grants"]]
        if found["kind"] == "invitation":
            for grant in grants:
                await self.store.add_staff_grant(email, grant)
            # an invited person who is also staff elsewhere keeps its other grants
            grants += [g for g in await self.store.staff_grants(email) if g not in grants]
        current = _choose(grants, choice)
        sid, refresh = await self.store.open_session(
            email, grants, current, timedelta(seconds=self.policy.refresh_ttl_s)
        )
        return self._tokens(email, sid, current, grants, refresh)

    async def refresh(self, token: str, choice: str | None) -> Tokens:
        rotated = await self.store.rotate(token)
        if isinstance(rotated, str):
            if rotated == "reused":
                log.warning("refresh token reused: its session is revoked")
            raise _refused("invalid_refresh_token", f"this refresh token is {rotated}")
        session, current = rotated
        grants = [Grant.of(g) for g in session["grants"]]
        if choice is not None:
            current = _choose(grants, choice)
        refresh = await self.store.next_refresh(session["_id"], current)
        return self._tokens(session["email"], session["_id"], current, grants, refresh)

    async def sign_out(self, token: str, everywhere: bool) -> int:
        session = await self.store.family_of(token)
        if session is None:
            return 0
        if everywhere:
            return await self.store.revoke_all(session["email"])
        return await self.store.revoke(session["_id"])

    def _tokens(
        self, email: str, sid: str, current: Grant, grants: list[Grant], refresh: str
    ) -> Tokens:
        now = int(time.time())
        claims = {
            "iss": self.policy.issuer,
            "aud": self.policy.audience,
            "sub": current.participant_id if current.role == "participant" else email,
            "iat": now,
            "exp": now + self.policy.access_ttl_s,
            "jti": uuid.uuid4().hex,
            "email": email,
            "sid": sid,
            **current.claims(),
        }
        return Tokens(
            access_token=self._keys.sign(claims),
            refresh_token=refresh,
            expires_in=self.policy.access_ttl_s,
            acting_as=current,
            choices=grants,
        )

    # -- staff --------------------------------------------------------------------------------

    async def invite(
        self,
        *,
        email: str,
        grant: Grant,
        roundtable_name: str,
        language: str,
        invited_by: str,
    ) -> Document:
        email = normalize_email(email)
        code = new_secret()
        doc = await self.store.add_code(
            code,
            kind="invitation",
            email=email,
            grants=[grant],
            ttl=timedelta(seconds=self.policy.invitation_ttl_s),
            invited_by=invited_by,
        )
        try:
            await self._mailer.send(
                LinkMail(
                    to=email,
                    kind="invitation",
                    link=self.policy.link(code),
                    language=language,
                    roundtable=roundtable_name,
                    role=grant.label or grant.role,
                    days=self.policy.invitation_ttl_s // 86400,
                )
            )
        except Exception as exc:
            log.warning("invitation not sent", error=repr(exc))
            raise ApiError(
                503,
                "mail_unavailable",
                "the invitation could not be e-mailed now; try again",
                headers={"Retry-After": "30"},
            ) from None
        return doc


async def create_admin(store: IdentityStore, policy: SignInPolicy, email: str) -> str:
    """Grant the admin role to `email`; returns a single-use sign-in link for the operator
    who ran `rueda admin create` (there is no default admin and no password)."""
    email = normalize_email(email)
    await store.add_staff_grant(email, Grant(role="admin", label="admin"))
    code = new_secret()
    await store.add_code(
        code,
        kind="sign_in",
        email=email,
        grants=await store.staff_grants(email),
        ttl=timedelta(seconds=policy.code_ttl_s),
    )
    return policy.link(code)


def _participant_grant(contact: Document) -> Grant:
    return Grant(
        role="participant",
        roundtable_id=contact["roundtable_id"],
        participant_id=contact["participant_id"],
        country=contact.get("country"),
        label=f"{contact.get('company_name', contact['participant_id'])} "
        f"({contact['roundtable_id']})",
    )


def _choose(grants: list[Grant], choice: str | None) -> Grant:
    if choice is None:
        return grants[0]
    for grant in grants:
        if grant.choice_id == choice:
            return grant
    raise ApiError(422, "unknown_choice", "this session cannot act as that choice")
