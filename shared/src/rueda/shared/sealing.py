"""Envelope encryption of the few secrets Rueda keeps (webhook signing keys), with `cryptography`.

A sealed value is `rs1.<kid>.<wrapped key>.<nonce + ciphertext>` (URL-safe base64 parts):
- each value has its own random 256-bit data key, which encrypts it with AES-GCM; the value's
  context (e.g. its subscription id) is the associated data, so a sealed value copied onto
  another record does not open;
- the data key is wrapped (RFC 3394 AES key wrap) by the key-encryption key `kid` of the
  keyring, which comes from settings (`RUEDA_SEALING_KEYS`, `RUEDA_SEALING_KEY_ID`).

Rotation: add a new key to the keyring and make it current; values sealed under older keys
still open, and `rewrap()` moves a value to the current key by re-wrapping its data key only.
Once every stored value is rewrapped (the notifications service does it at start-up), the old
key can leave the keyring.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap

__all__ = ["DEV_SEALING_KEY", "SealError", "Sealer", "is_sealed"]

_PREFIX = "rs1"
DEV_SEALING_KEY = base64.urlsafe_b64encode(b"rueda-development-only-sealing!!").decode()
"""The development key-encryption key (refused in production)."""


class SealError(ValueError):
    """A sealed value that does not open: unknown key, tampered, or another context."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def is_sealed(value: str) -> bool:
    """Whether `value` looks like a sealed value (else: a legacy plain one)."""
    return value.startswith(f"{_PREFIX}.") and value.count(".") == 3


class Sealer:
    """Seals and opens values with a keyring of key-encryption keys (base64, 32 bytes each)."""

    def __init__(self, keys: Mapping[str, str], current: str) -> None:
        self._keys: dict[str, bytes] = {}
        for kid, encoded in keys.items():
            if not kid or "." in kid:
                raise ValueError(f"sealing key id {kid!r}: non-empty, without dots")
            try:
                key = _unb64(encoded)
            except (binascii.Error, ValueError):
                raise ValueError(f"sealing key {kid!r} is not base64") from None
            if len(key) != 32:
                raise ValueError(f"sealing key {kid!r} must be 32 bytes (256 bits)")
            self._keys[kid] = key
        if current not in self._keys:
            raise ValueError(f"the current sealing key {current!r} is not in the keyring")
        self.current = current

    def seal(self, plaintext: str, context: str) -> str:
        data_key = AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(12)
        ciphertext = AESGCM(data_key).encrypt(nonce, plaintext.encode(), context.encode())
        wrapped = aes_key_wrap(self._keys[self.current], data_key)
        return ".".join((_PREFIX, self.current, _b64(wrapped), _b64(nonce + ciphertext)))

    def open(self, sealed: str, context: str) -> str:
        kid, data_key, body = self._data_key(sealed)
        del kid
        try:
            plain = AESGCM(data_key).decrypt(body[:12], body[12:], context.encode())
        except InvalidTag:
            raise SealError("the sealed value does not open in this context") from None
        return plain.decode()

    def rewrap(self, sealed: str) -> str:
        """The same value with its data key wrapped by the current key."""
        kid, data_key, body = self._data_key(sealed)
        if kid == self.current:
            return sealed
        wrapped = aes_key_wrap(self._keys[self.current], data_key)
        return ".".join((_PREFIX, self.current, _b64(wrapped), _b64(body)))

    def key_id(self, sealed: str) -> str:
        return sealed.split(".")[1]

    def _data_key(self, sealed: str) -> tuple[str, bytes, bytes]:
        if not is_sealed(sealed):
            raise SealError("not a sealed value")
        _, kid, wrapped, body = sealed.split(".")
        key = self._keys.get(kid)
        if key is None:
            raise SealError(f"sealed with key {kid!r}, which is not in the keyring")
        try:
            return kid, aes_key_unwrap(key, _unb64(wrapped)), _unb64(body)
        except (InvalidUnwrap, binascii.Error, ValueError):
            raise SealError("the sealed value is damaged") from None
