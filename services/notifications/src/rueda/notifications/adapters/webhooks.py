"""Posting webhooks: the `WebhookClient` port, its httpx adapter and an in-memory fake."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import httpx

__all__ = [
    "HttpWebhookClient",
    "MemoryWebhookClient",
    "WebhookAddressRefusedError",
    "WebhookClient",
    "refused_address",
]


class WebhookAddressRefusedError(Exception):
    """The receiver's host resolves to an address webhooks must not reach."""


def refused_address(address: str) -> bool:
    """Loopback, private, link-local (cloud metadata), multicast, reserved or unspecified:
    inside the cluster or the provider's network, never an agency's public receiver."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


class WebhookClient(Protocol):
    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        """POST the body; returns the HTTP status, raises on a transport failure."""
        ...

    async def aclose(self) -> None: ...


class HttpWebhookClient:
    """httpx with a bounded timeout and no redirects (a redirect is the receiver's error).

    Unless `allow_private`, a receiver whose host resolves to a loopback, private or
    link-local address is refused (no requests into the cluster or to the cloud's metadata
    service on an agency's behalf). The check resolves the name just before the request;
    a DNS answer that changes between the two (rebinding) is not caught here: the egress
    NetworkPolicy (public addresses only) is the second fence."""

    def __init__(self, timeout_s: float = 10.0, *, allow_private: bool = False) -> None:
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout_s), follow_redirects=False)
        self._allow_private = allow_private

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        if not self._allow_private:
            await self._check_receiver(httpx.URL(url))
        response = await self._client.post(url, content=body, headers=dict(headers))
        return response.status_code

    async def _check_receiver(self, url: httpx.URL) -> None:
        port = url.port or (443 if url.scheme == "https" else 80)
        found = await asyncio.get_running_loop().getaddrinfo(
            url.host, port, type=socket.SOCK_STREAM
        )
        refused = sorted({str(info[4][0]) for info in found if refused_address(str(info[4][0]))})
        if refused:
            raise WebhookAddressRefusedError(
                f"{url.host} resolves to {', '.join(refused)}: not a public address"
            )

    async def aclose(self) -> None:
        await self._client.aclose()


@dataclass
class MemoryWebhookClient:
    """Records posts and answers with the statuses in `answers` (then 200)."""

    posts: list[tuple[str, bytes, dict[str, str]]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        self.posts.append((url, body, dict(headers)))
        return self.answers.pop(0) if self.answers else 200

    async def aclose(self) -> None:
        return None
