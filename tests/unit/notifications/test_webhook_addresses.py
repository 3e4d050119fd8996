"""Webhooks never reach into the cluster: receivers on private addresses are refused
(unless allowed, as in development), before any request is made."""

from __future__ import annotations

import pytest
from fastapi import FastAPI, Request
from tests.support.apps import serve
from tests.support.production import PRODUCTION

from rueda.notifications.adapters.webhooks import (
    HttpWebhookClient,
    WebhookAddressRefusedError,
    refused_address,
)
from rueda.notifications.app import NotificationsSettings

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.9", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),  # cloud metadata
        ("0.0.0.0", True),
        ("::1", True),
        ("fe80::1%eth0", True),
        ("fd00::1", True),
        ("::ffff:10.0.0.1", True),  # IPv4-mapped private
        ("224.0.0.1", True),
        ("8.8.8.8", False),
        ("2001:4860:4860::8888", False),
        ("200.1.2.3", False),
    ],
)
def test_private_and_special_addresses_are_refused(address: str, refused: bool) -> None:
    assert refused_address(address) is refused


async def test_a_receiver_on_loopback_is_refused_unless_allowed() -> None:
    received: list[bytes] = []
    app = FastAPI()

    @app.post("/hook")
    async def hook(request: Request) -> dict[str, str]:
        received.append(await request.body())
        return {"ok": "yes"}

    async with serve(app) as base:
        strict = HttpWebhookClient(2.0)
        try:
            with pytest.raises(WebhookAddressRefusedError, match=r"127\.0\.0\.1"):
                await strict.post(f"{base}/hook", b"{}", {})
            with pytest.raises(WebhookAddressRefusedError, match="localhost"):
                await strict.post(f"{base.replace('127.0.0.1', 'localhost')}/hook", b"{}", {})
        finally:
            await strict.aclose()
        assert received == []  # refused before any request

        lenient = HttpWebhookClient(2.0, allow_private=True)
        try:
            assert await lenient.post(f"{base}/hook", b'{"n": 1}', {}) == 200
        finally:
            await lenient.aclose()
        assert received == [b'{"n": 1}']


def test_private_receivers_are_allowed_only_outside_production_by_default() -> None:
    production = {
        **PRODUCTION,
        "smtp_starttls": True,
        "jwt_secret": "a-production-secret-of-some-length",
        "mail_from": "Rueda <no-reply@example.org>",
    }
    assert NotificationsSettings(env="development").webhooks_reach_private is True
    assert NotificationsSettings(env="test").webhooks_reach_private is True
    assert NotificationsSettings(**production).webhooks_reach_private is False
    allowed = NotificationsSettings(**production, webhook_private_addresses=True)
    assert allowed.webhooks_reach_private is True
