"""Posting webhooks: the `WebhookClient` port, its httpx adapter and an in-memory fake."""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

import httpx

__all__ = [
    "HttpWebhookClient",
    "MemoryWebhookClient",
    "WebhookAddressRefusedError",
    "WebhookClient",
    "non_canonical_number",
    "refused_address",
]


class WebhookAddressRefusedError(Exception):
    """The receiver's URL or the address its host resolves to is one webhooks must not reach."""


_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_NUMERIC_PART = re.compile(r"(0[xX][0-9a-fA-F]*|[0-9]+)\Z")


def refused_address(address: str) -> bool:
    """Anything not globally routable: loopback, private, shared (100.64.0.0/10), link-local
    (cloud metadata), multicast, reserved, unspecified, documentation, benchmark... in IPv4
    and IPv6, and IPv6 forms that embed such an IPv4 address (mapped, NAT64, 6to4, Teredo)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.teredo is not None:
            return True
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            ip = embedded
    return not ip.is_global or ip.is_multicast or ip.is_reserved or ip.is_unspecified


def non_canonical_number(host: str) -> bool:
    """A host written as a number the resolver would read as an IPv4 address, other than the
    dotted quad: `2130706433`, `0177.0.0.1`, `0x7f.1`."""
    parts = host.rstrip(".").split(".")
    if not all(_NUMERIC_PART.match(part) for part in parts):
        return False
    try:
        return str(ipaddress.IPv4Address(host)) != host
    except ValueError:
        return True


Resolver = Callable[[str, int], Awaitable[list[str]]]


async def system_resolve(host: str, port: int) -> list[str]:
    """The addresses of `host` (the system resolver), each once, in its order."""
    found = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]).split("%", 1)[0] for info in found))


class WebhookClient(Protocol):
    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        """POST the body; returns the HTTP status, raises on a transport failure."""
        ...

    async def aclose(self) -> None: ...


class HttpWebhookClient:
    """httpx with a bounded timeout and no redirects (a redirect is the receiver's error).

    The receiver's host is resolved once; unless `allow_private` (development), every address
    it resolves to must be globally routable (`refused_address`). The request then goes to
    the very address that was checked: the URL's host is replaced by it, while the `Host`
    header and the TLS server name (SNI, and the certificate's check) stay the original
    name, so a DNS answer that changes between check and connect (rebinding) cannot move the
    request. With `https_only` (production), only https on port 443."""

    def __init__(
        self,
        timeout_s: float = 10.0,
        *,
        allow_private: bool = False,
        https_only: bool = False,
        resolve: Resolver | None = None,
    ) -> None:
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout_s), follow_redirects=False)
        self._allow_private = allow_private
        self._https_only = https_only
        self._resolve = resolve or system_resolve

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        try:
            target = httpx.URL(url)
        except httpx.InvalidURL as exc:  # e.g. `0177.0.0.1`, which httpx will not parse
            raise WebhookAddressRefusedError(f"{url}: a non-canonical or invalid address") from exc
        self._check_url(target)
        address = await self._checked_address(target)
        pinned = target.copy_with(host=address)
        extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
        response = await self._client.post(
            pinned,
            content=body,
            headers={**headers, "Host": target.netloc.decode("ascii")},
            extensions=extensions,
        )
        return response.status_code

    def _check_url(self, url: httpx.URL) -> None:
        if url.scheme not in ("http", "https") or not url.host or url.userinfo:
            raise WebhookAddressRefusedError(f"{url}: not an http(s) URL with a host")
        if self._https_only and (url.scheme != "https" or url.port not in (None, 443)):
            raise WebhookAddressRefusedError(f"{url}: webhooks go to https on port 443 only")
        if non_canonical_number(url.host):
            raise WebhookAddressRefusedError(f"{url.host}: an address in a non-canonical form")

    async def _checked_address(self, url: httpx.URL) -> str:
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            addresses = await self._resolve(url.host, port)
        except OSError as exc:
            raise WebhookAddressRefusedError(f"{url.host} does not resolve: {exc}") from None
        if not addresses:
            raise WebhookAddressRefusedError(f"{url.host} does not resolve")
        if not self._allow_private:
            refused = sorted(a for a in addresses if refused_address(a))
            if refused:
                raise WebhookAddressRefusedError(
                    f"{url.host} resolves to {', '.join(refused)}: not a public address"
                )
        return addresses[0]

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
