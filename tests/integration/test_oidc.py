"""A real OpenID Connect provider (npm's certified `oidc-provider`, under Node) as a trusted
issuer: the gateway discovers it, fetches its keys, maps its groups to Rueda roles, and
refuses every token it must not take."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from tests.support.apps import serve
from tests.support.oidc import OidcProvider, Person, oidc_provider

from rueda.gateway.app import GatewaySettings, create_app, mint_token
from rueda.registration.app import RegistrationSettings
from rueda.registration.app import create_app as registration_app
from rueda.shared.settings import RuedaSettings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]

AUDIENCE = "https://api.rueda.test"
RT = "rt-oidc"
OFFICER = Person("prochile-portal", ["prochile-officers"], "officer@prochile.test")
STRANGER = Person("someone-else", ["visitors"], "visitor@elsewhere.test")


@dataclass
class Federated:
    provider: OidcProvider
    gateway: httpx.AsyncClient
    settings: GatewaySettings

    async def call(self, token: str, path: str = "/v1/me") -> httpx.Response:
        return await self.gateway.get(path, headers={"Authorization": f"Bearer {token}"})

    def forge(self, claims: dict[str, Any], **headers: Any) -> str:
        """Signed with the provider's own key: only the claims are wrong."""
        return jwt.encode(
            claims,
            self.provider.key,
            algorithm="RS256",
            headers={"kid": self.provider.kid, **headers},
        )

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "iss": self.provider.issuer,
            "aud": AUDIENCE,
            "sub": "officer",
            "iat": now,
            "exp": now + 300,
            "groups": OFFICER.groups,
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    folder: Path = tmp_path_factory.mktemp("oidc")
    with oidc_provider(folder, [OFFICER, STRANGER], AUDIENCE) as running:
        yield running


@pytest.fixture
async def federated(
    provider: OidcProvider, make_settings: Callable[..., RuedaSettings]
) -> AsyncIterator[Federated]:
    registration = registration_app(make_settings("registration", RegistrationSettings))
    async with serve(registration) as registration_url:
        settings = make_settings(
            "gateway",
            GatewaySettings,
            registration_url=registration_url,
            oidc_issuers=[
                {
                    "issuer": provider.issuer,
                    "audience": AUDIENCE,
                    "algorithms": ["RS256"],
                    "rules": [
                        {
                            "claim": "groups",
                            "value": "prochile-officers",
                            "role": "agency",
                            "roundtable_id": RT,
                            "country": "CL",
                        }
                    ],
                }
            ],
        )
        assert isinstance(settings, GatewaySettings)
        async with (
            serve(create_app(settings)) as url,
            httpx.AsyncClient(base_url=url, timeout=20) as client,
        ):
            yield Federated(provider, client, settings)


async def test_a_mapped_officer_is_allowed_in_its_own_scope_only(federated: Federated) -> None:
    token = federated.provider.token(OFFICER.client_id)
    header = jwt.get_unverified_header(token)
    assert (header["alg"], header["kid"]) == ("RS256", federated.provider.kid)
    me = await federated.call(token)
    assert me.status_code == 200, me.text
    assert me.json() | {"subject": None} == {
        "role": "agency",
        "subject": None,
        "roundtable_id": RT,
        "participant_id": None,
        "country": "CL",
        "email": OFFICER.email,
        "issuer": federated.provider.issuer,
    }
    own = await federated.call(token, f"/v1/roundtables/{RT}/participants?country=CL")
    assert own.status_code == 200, own.text
    for path in (
        f"/v1/roundtables/rt-another-{uuid.uuid4().hex[:6]}/participants",
        f"/v1/roundtables/{RT}/participants?country=PE",
    ):
        assert (await federated.call(token, path)).status_code == 403, path
    # a user of the same provider that no rule maps gets no Rueda role
    stranger = await federated.call(federated.provider.token(STRANGER.client_id))
    assert stranger.status_code == 403


async def test_tokens_that_must_not_pass_are_refused(federated: Federated) -> None:
    now = int(time.time())
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = federated.provider.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    refused = {
        "no exp": federated.forge(federated.claims(exp=None)),
        "wrong aud": federated.forge(federated.claims(aud="https://someone-else.test")),
        "wrong iss": federated.forge(federated.claims(iss="http://127.0.0.1:1")),
        "alg none": jwt.encode(federated.claims(), None, algorithm="none"),
        # the classic confusion: HMAC keyed with the provider's public key
        "HS256 to an asymmetric issuer": _hs256(federated.claims(), public_pem, federated),
        "expired": federated.forge(federated.claims(iat=now - 900, exp=now - 120)),
        "unknown kid": jwt.encode(
            federated.claims(), other_key, algorithm="RS256", headers={"kid": "not-published"}
        ),
        "wrong key, known kid": jwt.encode(
            federated.claims(),
            other_key,
            algorithm="RS256",
            headers={"kid": federated.provider.kid},
        ),
        "a gateway-issued token for another audience": mint_token(
            federated.settings, {"sub": "a", "role": "admin", "aud": "not-rueda"}
        ),
    }
    for name, token in refused.items():
        answer = await federated.call(token)
        assert answer.status_code == 401, (name, answer.text)
        assert answer.json()["error"]["code"] == "invalid_token", name
    # the same forging, with correct claims, passes: the refusals are the claims' doing
    assert (await federated.call(federated.forge(federated.claims()))).status_code == 200


def _hs256(claims: dict[str, Any], secret: bytes, federated: Federated) -> str:
    import base64
    import hashlib
    import hmac
    import json

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    # PyJWT refuses to HMAC with a PEM key, as it should; an attacker is not so polite
    header = b64(json.dumps({"alg": "HS256", "kid": federated.provider.kid}).encode())
    body = b64(json.dumps(claims).encode())
    signature = hmac.new(secret, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{b64(signature)}"
