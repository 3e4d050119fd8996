"""A real OpenID Connect provider (npm's `oidc-provider` under Node, tests/oidc/), started
as a process for the tests and the benchmarks; its signing keys are made here, so that tests
can also forge the tokens a provider must never have its tokens confused with."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from rueda.cli.infra import free_port

__all__ = ["OidcProvider", "Person", "oidc_provider"]

FOLDER = Path(__file__).resolve().parents[1] / "oidc"


@dataclass(frozen=True)
class Person:
    client_id: str
    groups: list[str]
    email: str
    client_secret: str = "a-client-secret-of-the-test-provider-0123456789"


@dataclass
class OidcProvider:
    issuer: str
    audience: str
    key: rsa.RSAPrivateKey
    kid: str
    process: subprocess.Popen[bytes]
    people: dict[str, Person] = field(default_factory=dict)

    def token(self, client_id: str, resource: str | None = None) -> str:
        """An access token the provider issues (client-credentials grant)."""
        person = self.people[client_id]
        answer = httpx.post(
            f"{self.issuer}/token",
            data={"grant_type": "client_credentials", "resource": resource or self.audience},
            auth=(person.client_id, person.client_secret),
            timeout=10,
        )
        answer.raise_for_status()
        token: str = answer.json()["access_token"]
        return token

    def hang(self) -> None:
        """SIGSTOP: the provider still holds its socket and answers nothing."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)


def _npm_ci() -> None:
    if not (FOLDER / "node_modules" / "oidc-provider").exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed for the OpenID Connect provider (tests/oidc)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=FOLDER, check=True)


@contextlib.contextmanager
def oidc_provider(workdir: Path, people: list[Person], audience: str) -> Iterator[OidcProvider]:
    _npm_ci()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = f"test-{os.getpid()}-{time.time_ns()}"
    private: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(key))
    (workdir / "jwks.json").write_text(
        json.dumps({"keys": [{**private, "kid": kid, "alg": "RS256", "use": "sig"}]})
    )
    (workdir / "clients.json").write_text(json.dumps([p.__dict__ for p in people]))
    port = free_port()
    log = (workdir / "oidc-provider.log").open("wb")
    process = subprocess.Popen(
        ["node", str(FOLDER / "provider.mjs")],
        cwd=FOLDER,
        env={
            **os.environ,
            "PORT": str(port),
            "AUDIENCE": audience,
            "JWKS_FILE": str(workdir / "jwks.json"),
            "CLIENTS_FILE": str(workdir / "clients.json"),
        },
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"oidc-provider exited: {(workdir / 'oidc-provider.log').read_text()}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=1).is_success:
                    break
            if time.monotonic() > deadline:
                raise TimeoutError("oidc-provider did not start")
            # between two looks, wait on the process itself: an exit ends the wait at once
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.1)
        yield OidcProvider(issuer, audience, key, kid, process, {p.client_id: p for p in people})
    finally:
        process.send_signal(signal.SIGCONT)
        process.terminate()
        process.wait(10)
        log.close()
