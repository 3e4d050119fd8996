"""HTTP hygiene every Rueda app shares: a request-body limit, path ids checked before routing,
and cursor paging for list endpoints.

- `BodyLimitMiddleware` answers 413 as soon as a body is known to exceed the limit (by its
  `Content-Length`, or while a chunked body streams in), before any route parses it.
- `PathIdMiddleware` refuses a path whose segments are not ids (`[A-Za-z0-9][A-Za-z0-9_.-]*`,
  at most 64 characters, after percent-decoding): `%2e%2e`, `..` or `a%2Fb` never reach a
  route, so no id can walk to another route of a read API.
- Paging: a list endpoint takes `limit` (at most `PAGE_MAX`) and `after` (the cursor: the id
  of the last item of the previous page), sorts by id, and sets `X-Next-Cursor` (and a
  `Link: <...>; rel="next"`) when the page is full; the body stays a JSON array.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Annotated, Any, TypeVar
from urllib.parse import unquote

from fastapi import HTTPException, Query, Request, Response

__all__ = [
    "ID_PATTERN",
    "PAGE_DEFAULT",
    "PAGE_MAX",
    "BodyLimitMiddleware",
    "Page",
    "PathIdMiddleware",
    "set_next_cursor",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

T = TypeVar("T")
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
_ID = re.compile(ID_PATTERN[:-1] + r"\Z")
PAGE_MAX = 1000
"""Largest page any list endpoint returns."""
PAGE_DEFAULT = 1000
"""Page size when the caller names none (big enough for a roundtable's usual lists)."""


def _error(status: int, code: str, message: str) -> tuple[dict[str, Any], bytes]:
    body = json.dumps({"error": {"code": code, "message": message, "details": None}}).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ],
    }
    return start, body


async def _answer(send: Send, status: int, code: str, message: str) -> None:
    start, body = _error(status, code, message)
    await send(start)
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """413 for a request body above `max_bytes` (declared or streamed)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        message = f"the request body exceeds {self.max_bytes} bytes"
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _answer(send, 400, "bad_request", "invalid Content-Length")
                    return
                if declared > self.max_bytes:
                    await _answer(send, 413, "payload_too_large", message)
                    return
        received = 0
        started = answered = False

        async def counting_receive() -> Message:
            # beyond the limit: answer 413 now and tell the app the client went away (an
            # exception here would be turned into a 400 by the framework's body parsing)
            nonlocal received, answered
            if answered:
                return {"type": "http.disconnect"}
            event = await receive()
            if event["type"] == "http.request":
                received += len(event.get("body", b""))
                if received > self.max_bytes:
                    if not started:
                        await _answer(send, 413, "payload_too_large", message)
                    answered = True
                    return {"type": "http.disconnect"}
            return event

        async def tracking_send(event: Message) -> None:
            nonlocal started
            if answered:
                return  # the 413 is the answer
            if event["type"] == "http.response.start":
                started = True
            await send(event)

        await self.app(scope, counting_receive, tracking_send)


class PathIdMiddleware:
    """422 for a path with a segment that is not an id (checked after percent-decoding)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            raw = scope.get("raw_path") or scope["path"].encode()
            segments = raw.decode("latin-1").split("?", 1)[0].strip("/").split("/")
            for segment in segments:
                if segment and not _ID.match(unquote(segment)):
                    await _answer(send, 422, "invalid_path", "a path segment is not a valid id")
                    return
        await self.app(scope, receive, send)


class Page:
    """`limit` and `after` of a list endpoint (a FastAPI dependency)."""

    def __init__(
        self,
        limit: Annotated[
            int, Query(ge=1, le=PAGE_MAX, description=f"Page size (at most {PAGE_MAX}).")
        ] = PAGE_DEFAULT,
        after: Annotated[
            str | None,
            Query(
                pattern=ID_PATTERN,
                description="Cursor: the id of the last item of the previous page "
                "(the `X-Next-Cursor` header of that page).",
            ),
        ] = None,
    ) -> None:
        self.limit = limit
        self.after = after

    def cut(self, items: list[T], key: Callable[[T], str]) -> list[T]:
        """The page of an ordered list: the `limit` items after the cursor's item.
        An unknown cursor is a 422 (the list changed under it, or it was made up)."""
        start = 0
        if self.after is not None:
            ids = [key(item) for item in items]
            if self.after not in ids:
                raise HTTPException(422, "unknown cursor: start again without `after`")
            start = ids.index(self.after) + 1
        return items[start : start + self.limit]

    def params(self) -> dict[str, Any]:
        """The page as query parameters for a read API."""
        return {"limit": self.limit, "after": self.after}

    def query(self, field: str = "_id") -> dict[str, Any]:
        """The condition that starts the page after the cursor (sorted by `field`)."""
        return {} if self.after is None else {field: {"$gt": self.after}}


def set_next_cursor(
    request: Request, response: Response, items: list[Any], page: Page, key: str
) -> None:
    """A full page names its last item's id as the next cursor (header and `Link`)."""
    if len(items) < page.limit or not items:
        return
    last = items[-1]
    cursor = str(last[key] if isinstance(last, dict) else getattr(last, key))
    response.headers["X-Next-Cursor"] = cursor
    url = request.url.include_query_params(after=cursor, limit=page.limit)
    response.headers["Link"] = f'<{url}>; rel="next"'
