"""The gateway's own signing keys: asymmetric (Ed25519 for EdDSA, or P-256 for ES256), each
named by its RFC 7638 thumbprint as `kid`, all published at `/.well-known/jwks.json`.

Rotation: configure the new key second (`RUEDA_JWT_SIGNING_KEYS`, PEM private keys), so it is
published while the old one still signs; once every verifier has fetched it, put it first (it
signs, the old one still verifies the tokens it issued); remove the old one after the longest
token lifetime. In development, with no key configured, a key derived from the development
secret signs, so that `rueda token` and a local gateway agree without configuration; it is
refused everywhere else, like the secret itself.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from rueda.shared.settings import DEV_SECRET

__all__ = ["SigningKey", "SigningKeys", "development_key", "generate_key_pem"]

PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey
PublicKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class SigningKey:
    """One private key, the algorithm it signs with and its public JWK."""

    private: PrivateKey
    algorithm: str
    jwk: dict[str, str]

    @property
    def kid(self) -> str:
        return self.jwk["kid"]

    @property
    def public(self) -> PublicKey:
        return self.private.public_key()

    @classmethod
    def from_private(cls, private: Any) -> SigningKey:
        if isinstance(private, ed25519.Ed25519PrivateKey):
            raw = private.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
            members = {"crv": "Ed25519", "kty": "OKP", "x": _b64(raw)}
            algorithm = "EdDSA"
        elif isinstance(private, ec.EllipticCurvePrivateKey) and isinstance(
            private.curve, ec.SECP256R1
        ):
            numbers = private.public_key().public_numbers()
            members = {
                "crv": "P-256",
                "kty": "EC",
                "x": _b64(numbers.x.to_bytes(32, "big")),
                "y": _b64(numbers.y.to_bytes(32, "big")),
            }
            algorithm = "ES256"
        else:
            raise ValueError("a signing key must be Ed25519 (EdDSA) or EC P-256 (ES256)")
        # RFC 7638: the SHA-256 of the required members, sorted, without whitespace
        canonical = json.dumps(members, sort_keys=True, separators=(",", ":")).encode()
        kid = _b64(hashlib.sha256(canonical).digest())
        jwk = {**members, "kid": kid, "use": "sig", "alg": algorithm}
        return cls(private=private, algorithm=algorithm, jwk=jwk)

    @classmethod
    def from_pem(cls, pem: str) -> SigningKey:
        private = serialization.load_pem_private_key(pem.encode(), password=None)
        return cls.from_private(private)


def development_key() -> SigningKey:
    """Derived from the development secret: known to everyone, accepted only in development."""
    seed = hashlib.sha256(f"rueda-development-signing-key|{DEV_SECRET}".encode()).digest()
    return SigningKey.from_private(ed25519.Ed25519PrivateKey.from_private_bytes(seed))


def generate_key_pem(algorithm: str = "EdDSA") -> str:
    """A new private key in PEM (for `RUEDA_JWT_SIGNING_KEYS`)."""
    private: PrivateKey = (
        ed25519.Ed25519PrivateKey.generate()
        if algorithm == "EdDSA"
        else ec.generate_private_key(ec.SECP256R1())
    )
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


class SigningKeys:
    """The first key signs; every key verifies and is published."""

    def __init__(self, keys: Sequence[SigningKey]) -> None:
        if not keys:
            raise ValueError("at least one signing key is needed")
        self.keys = list(keys)
        self._by_kid = {k.kid: k for k in self.keys}

    @property
    def current(self) -> SigningKey:
        return self.keys[0]

    def public(self, kid: str | None) -> SigningKey | None:
        return self._by_kid.get(kid or "")

    @property
    def algorithms(self) -> list[str]:
        return sorted({k.algorithm for k in self.keys})

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [dict(k.jwk) for k in self.keys]}

    def sign(self, claims: dict[str, Any]) -> str:
        key = self.current
        return jwt.encode(
            claims, key.private, algorithm=key.algorithm, headers={"kid": key.kid, "typ": "JWT"}
        )
