"""Production tokens (RS256 against a JWKS URL) and the development tokens of `rueda token`."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from rueda.cli.main import main as rueda
from rueda.gateway.auth import Authenticator
from rueda.gateway.errors import ApiError
from rueda.shared.settings import DEV_SECRET

pytestmark = pytest.mark.unit

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def jwks_url() -> Iterator[str]:
    jwk = json.loads(RSAAlgorithm.to_jwk(KEY.public_key()))
    body = json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    server.shutdown()


def _rs256(key: rsa.RSAPrivateKey, **claims: object) -> str:
    payload = {"sub": "ops", "exp": int(time.time()) + 60, **claims}
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": "k1"})


def test_rs256_tokens_are_verified_against_the_jwks(jwks_url: str) -> None:
    auth = Authenticator(secret="unused", jwks_url=jwks_url)
    p = auth.principal(_rs256(KEY, role="agency", roundtable_id="rt", country="pe"))
    assert (p.role, p.country, p.roundtable_id) == ("agency", "PE", "rt")
    with pytest.raises(ApiError) as forged:
        auth.principal(_rs256(OTHER_KEY, role="admin"))
    assert forged.value.status == 401
    hs256 = jwt.encode(
        {"role": "admin", "exp": int(time.time()) + 60}, DEV_SECRET, algorithm="HS256"
    )
    with pytest.raises(ApiError):
        auth.principal(hs256)  # a production gateway does not take development tokens


def test_expired_and_incomplete_tokens_are_refused() -> None:
    auth = Authenticator(secret=DEV_SECRET)
    expired = jwt.encode(
        {"role": "admin", "exp": int(time.time()) - 5}, DEV_SECRET, algorithm="HS256"
    )
    for token in (
        expired,
        jwt.encode({"role": "agency", "roundtable_id": "rt"}, DEV_SECRET, algorithm="HS256"),
        jwt.encode({"role": "participant", "roundtable_id": "rt"}, DEV_SECRET, algorithm="HS256"),
        jwt.encode({"role": "emperor"}, DEV_SECRET, algorithm="HS256"),
    ):
        with pytest.raises(ApiError) as refused:
            auth.principal(token)
        assert refused.value.status == 401


def test_rueda_token_prints_a_development_token(capsys: pytest.CaptureFixture[str]) -> None:
    assert rueda(["token", "--role", "agency", "--roundtable", "rt-1", "--country", "cl"]) == 0
    token = capsys.readouterr().out.strip()
    principal = Authenticator(secret=DEV_SECRET).principal(token)
    assert (principal.role, principal.country, principal.roundtable_id) == ("agency", "CL", "rt-1")
