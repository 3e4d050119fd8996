"""Issue 18, "Webhooks (SSRF)": the client connects to the very address it checked, refuses
every address that is not globally routable in any spelling, takes https on 443 only in
production and follows no redirect; the NetworkPolicy fences egress the same way. Real HTTP
receivers on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from tests.support.apps import serve

from rueda.notifications.adapters.webhooks import (
    HttpWebhookClient,
    WebhookAddressRefusedError,
    refused_address,
)

pytestmark = [pytest.mark.security, pytest.mark.timeout(60)]

BASE = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes" / "base"


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("100.64.0.1", True),  # shared address space (carrier-grade NAT)
        ("100.127.255.254", True),
        ("127.0.0.1", True),
        ("169.254.169.254", True),
        ("192.0.2.10", True),  # documentation
        ("198.18.0.1", True),  # benchmarking
        ("240.0.0.1", True),
        ("::ffff:127.0.0.1", True),  # IPv4-mapped
        ("::ffff:100.64.0.1", True),
        ("64:ff9b::a9fe:a9fe", True),  # NAT64 of 169.254.169.254
        ("2002:7f00:1::1", True),  # 6to4 of 127.0.0.1
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", True),  # Teredo
        ("2001:db8::1", True),
        ("fd12::1", True),
        ("93.184.216.34", False),
        ("::ffff:93.184.216.34", False),
        ("2606:2800:220:1:248:1893:25c8:1946", False),
    ],
)
def test_every_address_that_is_not_globally_routable_is_refused(
    address: str, refused: bool
) -> None:
    assert refused_address(address) is refused


@pytest.mark.parametrize("host", ["2130706433", "0177.0.0.1", "0x7f.0.0.1", "127.1", "0x7f000001"])
async def test_decimal_octal_and_hex_spellings_are_refused(host: str) -> None:
    client = HttpWebhookClient(2.0, allow_private=True)  # even where loopback is allowed
    try:
        with pytest.raises(WebhookAddressRefusedError, match="non-canonical"):
            await client.post(f"http://{host}:9/hook", b"{}", {})
    finally:
        await client.aclose()


def receiver() -> tuple[FastAPI, list[dict[str, str]]]:
    seen: list[dict[str, str]] = []
    app = FastAPI()

    @app.post("/hook")
    async def hook(request: Request) -> dict[str, str]:
        seen.append({"host": request.headers["host"], "body": (await request.body()).decode()})
        return {"ok": "yes"}

    @app.post("/moved")
    async def moved() -> RedirectResponse:
        return RedirectResponse("/hook", status_code=307)

    return app, seen


async def test_the_request_goes_to_the_checked_address_with_the_host_kept() -> None:
    app, seen = receiver()
    asked: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        # the one answer the check sees; `hooks.invalid` does not resolve anywhere else, so
        # the request reaches the receiver only if it goes to this very address
        asked.append(host)
        return ["127.0.0.1"]

    async with serve(app) as base:
        port = base.rsplit(":", 1)[1]
        client = HttpWebhookClient(2.0, allow_private=True, resolve=resolve)
        try:
            status = await client.post(f"http://hooks.invalid:{port}/hook", b'{"n": 1}', {})
        finally:
            await client.aclose()
    assert status == 200
    assert asked == ["hooks.invalid"]  # resolved once, by the check
    assert seen == [{"host": f"hooks.invalid:{port}", "body": '{"n": 1}'}]


async def test_a_name_resolving_to_an_internal_address_is_refused_before_any_request() -> None:
    app, seen = receiver()

    async def rebinding(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "10.0.0.7"]  # one public answer does not excuse the other

    async with serve(app) as base:
        port = base.rsplit(":", 1)[1]
        client = HttpWebhookClient(2.0, resolve=rebinding)
        try:
            with pytest.raises(WebhookAddressRefusedError, match=r"10\.0\.0\.7"):
                await client.post(f"http://hooks.invalid:{port}/hook", b"{}", {})
        finally:
            await client.aclose()
    assert seen == []


async def test_production_takes_https_on_443_only() -> None:
    client = HttpWebhookClient(2.0, https_only=True)
    try:
        for url in (
            "http://hooks.example.org/h",
            "https://hooks.example.org:8443/h",
            "ftp://hooks.example.org/h",
            "https://user:pw@hooks.example.org/h",
        ):
            with pytest.raises(WebhookAddressRefusedError):
                await client.post(url, b"{}", {})
    finally:
        await client.aclose()

    from rueda.notifications.domain import subscription_problem

    def problem(url: str) -> object:
        return subscription_problem(
            url=url, owner_role="organizer", owner_country=None, event_types=["*"], https_only=True
        )

    assert problem("https://hooks.example.org/h") is None
    assert problem("https://hooks.example.org:443/h") is None
    assert problem("http://hooks.example.org/h") is not None
    assert problem("https://hooks.example.org:8443/h") is not None


async def test_no_redirect_is_followed() -> None:
    app, seen = receiver()
    async with serve(app) as base:
        client = HttpWebhookClient(2.0, allow_private=True)
        try:
            assert await client.post(f"{base}/moved", b"{}", {}) == 307
        finally:
            await client.aclose()
    assert seen == []  # a redirect is the receiver's error: counted as a failed attempt


def test_the_egress_policy_and_the_ingress_fence_what_the_app_refuses() -> None:
    policies = {
        doc["metadata"]["name"]: doc
        for doc in yaml.safe_load_all((BASE / "network-policies.yaml").read_text())
    }
    egress = policies["notifications-egress"]["spec"]["egress"]
    assert all("to" in rule for rule in egress), "every egress rule names its destinations"
    for rule in egress:
        for peer in rule["to"]:
            excluded = set(peer["ipBlock"]["except"])
            assert {"100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "10.0.0.0/8"} <= excluded
    ingress = next(
        doc
        for doc in yaml.safe_load_all((BASE / "gateway.yaml").read_text())
        if doc and doc["kind"] == "Ingress"
    )
    annotations = ingress["metadata"]["annotations"]
    assert int(annotations["nginx.ingress.kubernetes.io/limit-rps"]) > 0
    assert annotations["nginx.ingress.kubernetes.io/proxy-body-size"] == "1m"
