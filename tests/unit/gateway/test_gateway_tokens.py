"""Token verification: required claims, per-issuer algorithms, leeway and lifetime, the
gateway's own EdDSA keys (and their rotation), and the development tokens of `rueda token`.
The same refusals against a real OpenID Connect provider: tests/integration/test_oidc.py."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from rueda.cli.main import main as rueda
from rueda.gateway.app import GatewaySettings, create_app, mint_token
from rueda.gateway.auth import Authenticator, GatewayIssuer
from rueda.gateway.errors import ApiError
from rueda.gateway.keys import SigningKey, SigningKeys, development_key, generate_key_pem

pytestmark = pytest.mark.unit

DEV = GatewaySettings(env="development")


def _auth(keys: SigningKeys | None = None, secret: str | None = None) -> Authenticator:
    issuer = GatewayIssuer(
        issuer=DEV.jwt_issuer,
        audience=DEV.jwt_audience,
        keys=keys or SigningKeys([development_key()]),
        hs256_secret=secret,
    )
    return Authenticator([issuer], leeway_s=60, max_lifetime_s=24 * 3600)


def _claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": DEV.jwt_issuer,
        "aud": DEV.jwt_audience,
        "iat": now,
        "exp": now + 600,
        "sub": "ops",
        "role": "admin",
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def _signed(claims: dict[str, Any], key: SigningKey | None = None, **headers: Any) -> str:
    key = key or development_key()
    return jwt.encode(
        claims, key.private, algorithm=key.algorithm, headers={"kid": key.kid, **headers}
    )


async def _refused(auth: Authenticator, token: str) -> ApiError:
    with pytest.raises(ApiError) as refused:
        await auth.principal(token)
    return refused.value


async def test_a_gateway_token_is_accepted_and_carries_its_scope() -> None:
    token = mint_token(DEV, {"sub": "o", "role": "agency", "roundtable_id": "rt", "country": "pe"})
    assert jwt.get_unverified_header(token)["alg"] == "EdDSA"
    p = await _auth().principal(token)
    assert (p.role, p.country, p.roundtable_id, p.issuer) == ("agency", "PE", "rt", DEV.jwt_issuer)


@pytest.mark.parametrize(
    "claims",
    [
        _claims(exp=None),
        _claims(iat=None),
        _claims(iss=None),
        _claims(aud=None),
        _claims(aud="someone-else"),
        _claims(iss="https://evil.example"),
        _claims(exp=int(time.time()) - 61, iat=int(time.time()) - 600),
        _claims(iat=int(time.time()) + 3600, exp=int(time.time()) + 4000),
        _claims(exp=int(time.time()) + 3 * 24 * 3600),
        _claims(role="emperor"),
        _claims(role="agency", roundtable_id="rt"),
        _claims(role="participant", roundtable_id="rt"),
    ],
    ids=[
        "no-exp",
        "no-iat",
        "no-iss",
        "no-aud",
        "wrong-aud",
        "wrong-iss",
        "expired",
        "future-iat",
        "too-long",
        "bad-role",
        "agency-no-country",
        "participant-no-id",
    ],
)
async def test_incomplete_or_out_of_bounds_tokens_are_refused(claims: dict[str, Any]) -> None:
    assert (await _refused(_auth(), _signed(claims))).status == 401


async def test_expiry_has_sixty_seconds_of_leeway() -> None:
    now = int(time.time())
    assert await _auth().principal(_signed(_claims(iat=now - 600, exp=now - 30)))


async def test_algorithms_outside_the_issuers_list_are_refused() -> None:
    claims = _claims()
    none = jwt.encode(claims, None, algorithm="none")
    hs256 = jwt.encode(claims, "x" * 40, algorithm="HS256")
    strict, dev = _auth(), _auth(secret="x" * 40)
    assert (await _refused(strict, none)).status == 401
    assert (await _refused(strict, hs256)).status == 401
    assert (await dev.principal(hs256)).role == "admin"  # development only
    assert (await _refused(dev, jwt.encode(claims, "y" * 40, algorithm="HS256"))).status == 401


async def test_unknown_kid_and_forged_signature_are_refused() -> None:
    other = SigningKey.from_private(ed25519.Ed25519PrivateKey.generate())
    assert (await _refused(_auth(), _signed(_claims(), other))).status == 401
    forged = jwt.encode(
        _claims(), other.private, algorithm="EdDSA", headers={"kid": development_key().kid}
    )
    assert (await _refused(_auth(), forged)).status == 401


async def test_two_keys_during_a_rotation() -> None:
    old, new = (SigningKey.from_pem(generate_key_pem(a)) for a in ("EdDSA", "ES256"))
    before, during = SigningKeys([old]), SigningKeys([new, old])
    token_old = before.sign(_claims())
    token_new = during.sign(_claims())
    assert jwt.get_unverified_header(token_new) == {"alg": "ES256", "kid": new.kid, "typ": "JWT"}
    for token in (token_old, token_new):
        assert (await _auth(during).principal(token)).role == "admin"
    assert [k["kid"] for k in during.jwks()["keys"]] == [new.kid, old.kid]
    assert (await _refused(_auth(before), token_new)).status == 401


async def test_the_gateway_publishes_its_keys() -> None:
    import httpx

    keys = [generate_key_pem(), generate_key_pem("ES256")]
    app = create_app(GatewaySettings(env="test", jwt_signing_keys=keys))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://gw"
    ) as client:
        body = (await client.get("/.well-known/jwks.json")).json()
    assert [k["alg"] for k in body["keys"]] == ["EdDSA", "ES256"]
    assert all("d" not in k for k in body["keys"])  # public halves only


async def test_rueda_token_prints_a_token_the_gateway_accepts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert rueda(["token", "--role", "agency", "--roundtable", "rt-1", "--country", "cl"]) == 0
    token = capsys.readouterr().out.strip()
    claims = jwt.decode(token, options={"verify_signature": False})
    assert {"exp", "iat", "iss", "aud"} <= claims.keys()
    principal = await _auth().principal(token)
    assert (principal.role, principal.country, principal.roundtable_id) == ("agency", "CL", "rt-1")
