"""Posting webhooks: the `WebhookClient` port, its httpx adapter and an in-memory fake."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import httpx

__all__ = ["HttpWebhookClient", "MemoryWebhookClient", "WebhookClient"]


class WebhookClient(Protocol):
    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        """POST the body; returns the HTTP status, raises on a transport failure."""
        ...

    async def aclose(self) -> None: ...


class HttpWebhookClient:
    """httpx with a bounded timeout and no redirects (a redirect is the receiver's error)."""

    def __init__(self, timeout_s: float = 10.0) -> None:
        self._client = httpx.AsyncClient(timeout=httpx.Timeout(timeout_s), follow_redirects=False)

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> int:
        response = await self._client.post(url, content=body, headers=dict(headers))
        return response.status_code

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
