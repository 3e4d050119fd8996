"""The parts of sign-in that need no server: the e-mail in the contact's language, `rueda
mail`, and an identity provider's keys cached, negatively cached and fetched off the loop."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from rueda.cli.up import print_mail
from rueda.gateway.errors import ApiError
from rueda.gateway.mail import LinkMail, compose_link_mail, pick_language
from rueda.gateway.oidc import OidcIssuer, OidcIssuerConfig

pytestmark = pytest.mark.unit

LINK = "http://127.0.0.1:8090/auth/callback?code=abc"


def test_the_mail_is_in_the_contacts_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert pick_language(["PT-br", "es"]) == "pt"
    assert pick_language(["de"]) == "en"
    mail = LinkMail(to="a@b.example", kind="sign_in", link=LINK, language="es", name="Ana")
    message = compose_link_mail(mail, "Rueda <no-reply@rueda.example>")
    assert message["Subject"] == "Su enlace para entrar en Rueda"
    assert message["Content-Language"] == "es"
    assert LINK in message.get_content()
    (tmp_path / "1-1.eml").write_bytes(bytes(message))
    assert print_mail(folder=tmp_path) == 0
    assert LINK in capsys.readouterr().out


def _config(issuer: str = "https://id.test") -> OidcIssuerConfig:
    return OidcIssuerConfig(
        issuer=issuer, audience="rueda", rules=[{"value": "g", "role": "admin"}]
    )


def test_only_asymmetric_algorithms_may_be_trusted() -> None:
    for wrong in (["HS256"], ["none"], []):
        with pytest.raises(ValueError, match="asymmetric"):
            OidcIssuerConfig(**{**_config().model_dump(), "algorithms": wrong})


async def test_a_hanging_provider_costs_one_timeout_then_answers_at_once() -> None:
    calls = 0

    async def hang(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        await asyncio.Event().wait()  # the provider answers nothing, ever
        return httpx.Response(200)

    issuer = OidcIssuer(
        _config(), timeout_s=0.3, negative_cache_s=60, transport=httpx.MockTransport(hang)
    )
    t0 = time.monotonic()
    with pytest.raises(ApiError) as first:
        await issuer.key("k1", "RS256")
    assert first.value.status == 503
    assert 0.25 <= time.monotonic() - t0 < 2
    t1 = time.monotonic()
    results = await asyncio.gather(
        *(issuer.key("k1", "RS256") for _ in range(20)), return_exceptions=True
    )
    assert all(isinstance(r, ApiError) and r.status == 503 for r in results)
    assert time.monotonic() - t1 < 0.2  # negative cache: no second wait
    assert calls == 1
    await issuer.close()


async def test_keys_are_cached_and_the_discovered_issuer_must_match() -> None:
    import json

    from cryptography.hazmat.primitives.asymmetric import rsa
    from jwt.algorithms import RSAAlgorithm

    jwk = json.loads(RSAAlgorithm.to_jwk(rsa.generate_private_key(65537, 2048).public_key()))
    calls: list[str] = []

    def provider(claimed: str) -> httpx.MockTransport:
        def handle(request: httpx.Request) -> httpx.Response:
            calls.append(request.url.path)
            if request.url.path.endswith("openid-configuration"):
                return httpx.Response(
                    200, json={"issuer": claimed, "jwks_uri": "https://id.test/jwks"}
                )
            return httpx.Response(200, json={"keys": [{**jwk, "kid": "k1", "alg": "RS256"}]})

        return httpx.MockTransport(handle)

    good = OidcIssuer(_config(), transport=provider("https://id.test"))
    for _ in range(5):
        assert await good.key("k1", "RS256") is not None
    assert len(calls) == 2  # one discovery, one JWKS
    with pytest.raises(ApiError) as wrong_alg:
        await good.key("k1", "ES256")
    assert wrong_alg.value.status == 401
    impostor = OidcIssuer(_config(), transport=provider("https://evil.test"))
    with pytest.raises(ApiError) as refused:
        await impostor.key("k1", "RS256")
    assert refused.value.status == 503
    await good.close()
    await impostor.close()


async def test_stale_keys_are_used_while_a_hanging_provider_is_asked_again() -> None:
    import json

    from cryptography.hazmat.primitives.asymmetric import rsa
    from jwt.algorithms import RSAAlgorithm

    jwk = json.loads(RSAAlgorithm.to_jwk(rsa.generate_private_key(65537, 2048).public_key()))
    hanging = False
    clock = [0.0]

    async def handle(request: httpx.Request) -> httpx.Response:
        if hanging:
            await asyncio.Event().wait()
        if request.url.path.endswith("openid-configuration"):
            return httpx.Response(
                200, json={"issuer": "https://id.test", "jwks_uri": "https://id.test/jwks"}
            )
        return httpx.Response(200, json={"keys": [{**jwk, "kid": "k1", "alg": "RS256"}]})

    issuer = OidcIssuer(
        _config(),
        timeout_s=0.5,
        cache_s=10,
        transport=httpx.MockTransport(handle),
        monotonic=lambda: clock[0],
    )
    await issuer.key("k1", "RS256")
    hanging, clock[0] = True, 11.0  # the cache is stale and the provider hangs
    t0 = time.monotonic()
    for _ in range(10):
        assert await issuer.key("k1", "RS256") is not None
    assert time.monotonic() - t0 < 0.2  # nobody waited for the provider
    await issuer.close()
