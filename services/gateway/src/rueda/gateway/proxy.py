"""Reads go to the owning service's read API over HTTP: timeouts, one retry, 503 when absent."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx
import structlog

from .errors import ApiError

__all__ = ["ServiceClient"]

log = structlog.get_logger("rueda.gateway")


class ServiceClient:
    """The read API of one service."""

    def __init__(
        self,
        name: str,
        base_url: str,
        *,
        timeout_s: float = 3.0,
        retries: int = 1,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.name = name
        self._retries = retries
        self._client = httpx.AsyncClient(
            base_url=base_url,
            timeout=httpx.Timeout(timeout_s, connect=min(1.0, timeout_s)),
            transport=transport,
        )

    async def close(self) -> None:
        await self._client.aclose()

    async def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """The JSON body; 404 and 4xx pass through as errors, failures become 503."""
        response = await self.request("GET", path, params=params)
        return response.json()

    async def get_text(
        self, path: str, params: dict[str, Any] | None = None, accept: str = "text/plain"
    ) -> httpx.Response:
        return await self.request("GET", path, params=params, headers={"accept": accept})

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        path = quote(path, safe="/")
        clean = {k: v for k, v in (kwargs.pop("params", None) or {}).items() if v is not None}
        last: Exception | str = ""
        for attempt in range(self._retries + 1):
            try:
                response = await self._client.request(method, path, params=clean, **kwargs)
            except httpx.HTTPError as exc:
                last = exc
                log.warning(
                    "service unreachable", service=self.name, attempt=attempt, error=repr(exc)
                )
                continue
            if response.status_code >= 500:
                last = f"HTTP {response.status_code}"
                continue
            if response.status_code == 404:
                raise ApiError(404, "not_found", _detail(response) or "not found")
            if response.status_code >= 400:
                raise ApiError(
                    response.status_code, "rejected_by_service", _detail(response) or "rejected"
                )
            return response
        raise ApiError(
            503,
            "service_unavailable",
            f"the {self.name} service is unavailable",
            {"service": self.name, "error": str(last)},
            {"Retry-After": "2"},
        )


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        detail = body.get("detail") or body.get("error", {}).get("message")
        return str(detail) if detail else ""
    return ""
