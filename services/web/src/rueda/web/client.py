"""The gateway's public HTTP API, as the signed-in person: the web app's only way out.

Every call carries the person's bearer token (or none, for public pages); an answer the
gateway refuses becomes a `GatewayError` with its code, message and details, which pages
show beside the fields they concern. Lists are read tolerantly: a bare JSON array or a page
`{"items": [...]}` (cursor paging may come to list endpoints).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

__all__ = ["Gateway", "GatewayError", "Tokens"]

Json = dict[str, Any]


class GatewayError(Exception):
    """The gateway said no (4xx), or could not answer (5xx, unreachable)."""

    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details

    def field_errors(self) -> dict[str, str]:
        """Pydantic validation details as {"company.name": "message"} (body fields only)."""
        found: dict[str, str] = {}
        if isinstance(self.details, list):
            for item in self.details:
                if not isinstance(item, Mapping):
                    continue
                loc = [str(part) for part in item.get("loc", ()) if part != "body"]
                if loc:
                    found.setdefault(".".join(loc), str(item.get("msg", "")))
        elif isinstance(self.details, Mapping) and "field" in self.details:
            found[str(self.details["field"])] = self.message
        return found


@dataclass
class Tokens:
    """The person's tokens; `refreshed` tells the page to write them back to the session."""

    access: str | None = None
    refresh: str | None = None
    refreshed: bool = field(default=False, compare=False)


def _items(body: Any) -> list[Json]:
    if isinstance(body, list):
        return body
    if isinstance(body, Mapping):
        for key in ("items", "data", "results"):
            if isinstance(body.get(key), list):
                return list(body[key])
    return []


class Gateway:
    """A thin client of the gateway's `/v1` API, shared by every request of the process."""

    def __init__(self, base_url: str, *, timeout_s: float = 10.0, transport: Any = None) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), timeout=timeout_s, transport=transport
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def _call(
        self,
        method: str,
        path: str,
        tokens: Tokens | None,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        accept: str = "application/json",
    ) -> httpx.Response:
        headers = {"Accept": accept}
        if tokens is not None and tokens.access:
            headers["Authorization"] = f"Bearer {tokens.access}"
        query = {k: v for k, v in (params or {}).items() if v is not None}
        try:
            response = await self._http.request(
                method, path, json=json, params=query, headers=headers
            )
            if (
                response.status_code == 401
                and tokens is not None
                and tokens.refresh
                and await self._refresh(tokens)
            ):
                headers["Authorization"] = f"Bearer {tokens.access}"
                response = await self._http.request(
                    method, path, json=json, params=query, headers=headers
                )
        except httpx.HTTPError as exc:
            raise GatewayError(503, "gateway_unreachable", str(exc) or type(exc).__name__) from None
        if response.status_code >= 400:
            raise _error(response)
        return response

    async def _refresh(self, tokens: Tokens) -> bool:
        response = await self._http.post(
            "/v1/token/refresh", json={"refresh_token": tokens.refresh}
        )
        if response.status_code != 200:
            return False
        body = response.json()
        tokens.access = body["access_token"]
        tokens.refresh = body.get("refresh_token", tokens.refresh)
        tokens.refreshed = True
        return True

    async def get(self, path: str, tokens: Tokens | None = None, **params: Any) -> Any:
        return (await self._call("GET", path, tokens, params=params)).json()

    async def post(self, path: str, body: Any, tokens: Tokens | None = None) -> Any:
        response = await self._call("POST", path, tokens, json=body)
        return response.json() if response.content else {}

    # public
    async def roundtable(self, rt: str) -> Json:
        result: Json = await self.get(f"/v1/roundtables/{rt}")
        return result

    async def register(self, rt: str, body: Json) -> Json:
        result: Json = await self.post(f"/v1/roundtables/{rt}/participants", body)
        return result

    async def command_status(self, service: str, command_id: str) -> Json:
        result: Json = await self.get(f"/v1/commands/{service}/{command_id}")
        return result

    # sign-in
    async def sign_in(self, email: str, rt: str | None) -> None:
        await self.post("/v1/sign-in", {"email": email, "roundtable_id": rt})

    async def exchange(self, code: str) -> Json:
        result: Json = await self.post("/v1/sign-in/exchange", {"code": code})
        return result

    async def sign_out(self, tokens: Tokens, everywhere: bool = False) -> None:
        await self.post(
            "/v1/sign-out", {"refresh_token": tokens.refresh, "everywhere": everywhere}, tokens
        )

    async def me(self, tokens: Tokens) -> Json:
        result: Json = await self.get("/v1/me", tokens)
        return result

    # the participant
    async def participant(self, tokens: Tokens, rt: str, pid: str) -> Json:
        result: Json = await self.get(f"/v1/roundtables/{rt}/participants/{pid}", tokens)
        return result

    async def matches(self, tokens: Tokens, rt: str, pid: str) -> list[Json]:
        return _items(await self.get(f"/v1/roundtables/{rt}/participants/{pid}/matches", tokens))

    async def meeting_requests(self, tokens: Tokens, rt: str, pid: str) -> list[Json]:
        return _items(
            await self.get(f"/v1/roundtables/{rt}/meeting-requests", tokens, participant_id=pid)
        )

    async def request_meeting(self, tokens: Tokens, rt: str, me: str, other: str) -> Json:
        result: Json = await self.post(
            f"/v1/roundtables/{rt}/meeting-requests",
            {"from_participant": me, "to_participant": other},
            tokens,
        )
        return result

    async def respond(self, tokens: Tokens, rt: str, request_id: str, accept: bool) -> Json:
        result: Json = await self.post(
            f"/v1/roundtables/{rt}/meeting-requests/{request_id}/response",
            {"accept": accept},
            tokens,
        )
        return result

    async def meetings(self, tokens: Tokens, rt: str, pid: str) -> list[Json]:
        return _items(await self.get(f"/v1/roundtables/{rt}/meetings", tokens, participant_id=pid))

    async def agenda_ics(self, tokens: Tokens, rt: str, pid: str) -> bytes:
        response = await self._call(
            "GET",
            f"/v1/roundtables/{rt}/participants/{pid}/agenda.ics",
            tokens,
            accept="text/calendar",
        )
        return response.content

    async def attendance(self, tokens: Tokens, rt: str, meeting_id: str, status: str) -> Json:
        result: Json = await self.post(
            f"/v1/roundtables/{rt}/meetings/{meeting_id}/attendance", {"status": status}, tokens
        )
        return result

    async def report_outcome(self, tokens: Tokens, rt: str, meeting_id: str, body: Json) -> Json:
        result: Json = await self.post(
            f"/v1/roundtables/{rt}/meetings/{meeting_id}/outcome", body, tokens
        )
        return result

    async def withdraw(self, tokens: Tokens, rt: str, pid: str, reason: str) -> Json:
        result: Json = await self.post(
            f"/v1/roundtables/{rt}/participants/{pid}/withdraw", {"reason": reason}, tokens
        )
        return result

    async def notifications(self, tokens: Tokens, rt: str, pid: str) -> list[Json]:
        return _items(
            await self.get(f"/v1/roundtables/{rt}/participants/{pid}/notifications", tokens)
        )


def _error(response: httpx.Response) -> GatewayError:
    try:
        body = response.json()["error"]
        return GatewayError(
            response.status_code,
            str(body.get("code", "error")),
            str(body.get("message", "")),
            body.get("details"),
        )
    except (ValueError, KeyError, TypeError):
        return GatewayError(response.status_code, "error", response.text[:200])
