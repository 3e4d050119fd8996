"""Settings every service needs in production (TLS and authenticated MongoDB, a real sealing
key), so a test of one service's production rule states only that rule."""

from __future__ import annotations

import base64
from typing import Any

PRODUCTION_KEY = base64.urlsafe_b64encode(b"k" * 32).decode()
PRODUCTION: dict[str, Any] = {
    "env": "production",
    "mongo_uri": "mongodb://rueda:pw@mongo-0.example.org/?tls=true&replicaSet=rs0",
    "sealing_keys": {"k1": PRODUCTION_KEY},
    "sealing_key_id": "k1",
}
