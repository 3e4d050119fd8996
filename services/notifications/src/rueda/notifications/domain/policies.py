"""Small policies: notification ids, language choice, retry delays, webhook signatures."""

from __future__ import annotations

import hashlib
import hmac
import random
import uuid
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Literal

__all__ = [
    "LANGUAGES",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "WEBHOOK_ID_HEADER",
    "Channel",
    "Language",
    "SignatureError",
    "notification_id",
    "pick_language",
    "retry_delay",
    "sign_webhook",
    "verify_webhook",
]

Channel = Literal["email", "webhook"]
Language = Literal["es", "en", "pt"]
LANGUAGES: tuple[Language, ...] = ("es", "en", "pt")

_NAMESPACE = uuid.UUID("6f1d3c2e-7a51-4b0e-9a57-2d1e0b7c9a11")

WEBHOOK_ID_HEADER = "Rueda-Webhook-Id"
TIMESTAMP_HEADER = "Rueda-Webhook-Timestamp"
SIGNATURE_HEADER = "Rueda-Webhook-Signature"


def notification_id(source_id: str, recipient: str, channel: Channel) -> str:
    """The stable id of one notification: one per (source event, recipient, channel).

    The same inputs always give the same id, so a redelivered event, a second replica or a
    restarted process all compute the id of the copy that already exists.
    """
    return str(uuid.uuid5(_NAMESPACE, f"{source_id}|{recipient}|{channel}"))


def pick_language(languages: Sequence[str], default: Language = "en") -> Language:
    """The first of the participant's languages (ISO 639-1) that has templates."""
    for code in languages:
        base = code.strip().lower().replace("_", "-").split("-")[0]
        for known in LANGUAGES:
            if base == known:
                return known
    return default


def retry_delay(
    attempt: int,
    *,
    base_s: float,
    cap_s: float,
    rand: Callable[[], float] = random.random,
) -> timedelta:
    """Delay before retry number `attempt` (1-based): exponential backoff with full jitter.

    The ceiling doubles per attempt up to `cap_s`; the delay is uniform between half the
    ceiling and the ceiling, so replicas that failed together do not retry together.
    """
    ceiling = min(cap_s, base_s * (2 ** max(attempt - 1, 0)))
    return timedelta(seconds=ceiling * (0.5 + 0.5 * rand()))


class SignatureError(ValueError):
    """A webhook delivery whose signature or timestamp does not verify."""


def _mac(secret: str, timestamp: str, body: bytes) -> str:
    signed = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign_webhook(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value: `v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`."""
    return f"v1={_mac(secret, str(timestamp), body)}"


def verify_webhook(
    secret: str,
    *,
    timestamp: str,
    signature: str,
    body: bytes,
    now: float,
    tolerance_s: float = 300.0,
) -> None:
    """What a receiver does: check the signature in constant time and reject stale timestamps.

    Raises `SignatureError`. A receiver should also remember the `Rueda-Webhook-Id` of
    deliveries it accepted within the tolerance window, so a replayed request is dropped.
    """
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise SignatureError("timestamp is not an integer") from None
    if abs(now - sent_at) > tolerance_s:
        raise SignatureError("timestamp outside the tolerance window (replay?)")
    expected = _mac(secret, timestamp, body)
    candidates = [part.strip()[3:] for part in signature.split(",") if part.strip()[:3] == "v1="]
    if not any(hmac.compare_digest(expected, c) for c in candidates):
        raise SignatureError("signature mismatch")
