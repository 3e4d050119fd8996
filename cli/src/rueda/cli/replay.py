"""Replays the 2020 Pacific Alliance round through the public HTTP API of a running stack.

Used by `rueda demo` and by the end-to-end and reliability suites.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from . import scenario

__all__ = ["ReplayResult", "RoundReplay"]

Progress = Callable[[str], None]


def _token(**claims: str) -> str:
    from rueda.gateway.app import GatewaySettings, mint_token

    return mint_token(GatewaySettings(), dict(claims), ttl_s=6 * 3600)


@dataclass
class ReplayResult:
    roundtable_id: str
    participants: dict[str, dict[str, Any]] = field(default_factory=dict)
    meetings: list[dict[str, Any]] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    no_show: list[str] = field(default_factory=list)
    deals: dict[str, tuple[int, int]] = field(default_factory=dict)
    report: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


class RoundReplay:
    """Drives one roundtable from creation to its report, through the gateway only."""

    def __init__(
        self,
        gateway: str,
        roundtable_id: str,
        *,
        progress: Progress = print,
        within_s: float = 180.0,
    ) -> None:
        self.rt = roundtable_id
        self.client = httpx.AsyncClient(base_url=gateway, timeout=httpx.Timeout(15.0))
        self.progress = progress
        self.within_s = within_s
        self.organizer = {
            "Authorization": "Bearer "
            + _token(sub="organizer", role="organizer", roundtable_id=roundtable_id)
        }
        self.result = ReplayResult(roundtable_id)

    async def close(self) -> None:
        await self.client.aclose()

    def agency(self, country: str) -> dict[str, str]:
        return {
            "Authorization": "Bearer "
            + _token(sub=f"agency-{country}", role="agency", roundtable_id=self.rt, country=country)
        }

    def participant(self, pid: str) -> dict[str, str]:
        return {
            "Authorization": "Bearer "
            + _token(sub=pid, role="participant", roundtable_id=self.rt, participant_id=pid)
        }

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A call that retries while a service is briefly unavailable (503/connection)."""
        deadline = time.monotonic() + self.within_s
        while True:
            try:
                response = await self.client.request(method, path, **kwargs)
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
            else:
                if response.status_code != 503 or time.monotonic() > deadline:
                    return response
            await asyncio.sleep(0.25)

    async def _write(
        self, path: str, body: Any, headers: dict[str, str], key: str | None = None
    ) -> dict[str, Any]:
        if key:
            headers = {**headers, "Idempotency-Key": key}
        response = await self._request("POST", path, json=body, headers=headers)
        if response.status_code != 202:
            raise RuntimeError(f"POST {path}: {response.status_code} {response.text}")
        accepted: dict[str, Any] = response.json()
        return accepted

    async def settled(self, accepted: dict[str, Any]) -> dict[str, Any]:
        """The command's final status (accepted or rejected)."""

        async def check() -> dict[str, Any] | None:
            status: dict[str, Any] = (await self._request("GET", accepted["status_url"])).json()
            return None if status.get("status") == "pending" else status

        final: dict[str, Any] = await self.until(check, what=accepted["status_url"])
        return final

    async def until(
        self, check: Callable[[], Awaitable[Any]], *, what: str, every_s: float = 0.2
    ) -> Any:
        deadline = time.monotonic() + self.within_s
        while True:
            value = await check()
            if value is not None and value is not False:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what}")
            await asyncio.sleep(every_s)

    async def _all(self, calls: Sequence[Awaitable[Any]], limit: int = 16) -> list[Any]:
        semaphore = asyncio.Semaphore(limit)

        async def one(call: Awaitable[Any]) -> Any:
            async with semaphore:
                return await call

        return await asyncio.gather(*(one(c) for c in calls))

    # --- the round ---------------------------------------------------------------------

    async def register(self) -> None:
        t0 = time.monotonic()
        created = await self._write(
            "/v1/roundtables", scenario.roundtable(), self.organizer, key=f"{self.rt}-create"
        )
        status = await self.settled(created)
        if status["status"] != "accepted":
            raise RuntimeError(f"roundtable refused: {status}")
        bodies = [scenario.exporter(i) for i in range(scenario.EXPORTERS)] + [
            scenario.importer(i) for i in range(scenario.IMPORTERS)
        ]
        accepted = await self._all(
            [
                self._write(
                    f"/v1/roundtables/{self.rt}/participants",
                    body,
                    {},
                    key=f"{self.rt}-register-{n}",
                )
                for n, body in enumerate(bodies)
            ]
        )
        statuses = await self._all([self.settled(a) for a in accepted])
        refused = [s for s in statuses if s["status"] != "accepted"]
        if refused:
            raise RuntimeError(f"registrations refused: {refused[:3]}")
        for body, a in zip(bodies, accepted, strict=True):
            self.result.participants[a["participant_id"]] = body
        self.result.seconds["register"] = time.monotonic() - t0
        self.progress(
            f"registered {scenario.EXPORTERS} exporters and {scenario.IMPORTERS} "
            f"importers ({self.result.seconds['register']:.1f}s)"
        )

    async def approve(self) -> None:
        t0 = time.monotonic()
        calls = []
        for pid, body in self.result.participants.items():
            headers = self.agency(body["country"]) if body["role"] == "exporter" else self.organizer
            calls.append(
                self._write(
                    f"/v1/roundtables/{self.rt}/participants/{pid}/review",
                    {"decision": "approve"},
                    headers,
                    key=f"{pid}-approve",
                )
            )
        statuses = await self._all([self.settled(a) for a in await self._all(calls)])
        if any(s["status"] != "accepted" for s in statuses):
            raise RuntimeError("an approval was refused")
        self.result.seconds["approve"] = time.monotonic() - t0
        self.progress(
            f"agencies approved their exporters, the organizer the importers "
            f"({self.result.seconds['approve']:.1f}s)"
        )

    async def meetings(self) -> list[dict[str, Any]]:
        response = await self._request(
            "GET", f"/v1/roundtables/{self.rt}/meetings", headers=self.organizer
        )
        response.raise_for_status()
        found: list[dict[str, Any]] = response.json()
        return found

    async def wait_for_schedule(self, at_least: int = scenario.HELD) -> None:
        """Until matching and scheduling have settled: enough meetings, unchanged for 3s."""
        t0 = time.monotonic()
        seen: dict[str, Any] = {"count": -1, "since": time.monotonic()}

        async def settled() -> bool:
            scheduled = [m for m in await self.meetings() if m["status"] == "scheduled"]
            if len(scheduled) != seen["count"]:
                seen.update(count=len(scheduled), since=time.monotonic())
                self.progress(f"  {len(scheduled)} meetings scheduled so far")
                return False
            return len(scheduled) >= at_least and time.monotonic() - seen["since"] >= 3.0

        await self.until(settled, what="the schedule", every_s=0.5)
        self.result.meetings = sorted(
            [m for m in await self.meetings() if m["status"] == "scheduled"],
            key=lambda m: (m["starts_at"], m["meeting_id"]),
        )
        self.result.seconds["match_and_schedule"] = time.monotonic() - t0
        self.progress(
            f"matching and scheduling: {len(self.result.meetings)} meetings "
            f"({self.result.seconds['match_and_schedule']:.1f}s)"
        )

    async def attend(self) -> None:
        t0 = time.monotonic()
        held = self.result.meetings[: scenario.HELD]
        no_show = self.result.meetings[scenario.HELD :]
        calls = [
            self._write(
                f"/v1/roundtables/{self.rt}/meetings/{m['meeting_id']}/attendance",
                {"status": status},
                self.organizer,
                key=f"{m['meeting_id']}-attendance",
            )
            for ms, status in ((held, "held"), (no_show, "no_show"))
            for m in ms
        ]
        statuses = await self._all([self.settled(a) for a in await self._all(calls)])
        if any(s["status"] != "accepted" for s in statuses):
            raise RuntimeError(f"attendance refused: {statuses[:3]}")
        self.result.held = [m["meeting_id"] for m in held]
        self.result.no_show = [m["meeting_id"] for m in no_show]
        self.result.seconds["attendance"] = time.monotonic() - t0
        self.progress(
            f"{len(held)} meetings held, {len(no_show)} no-shows "
            f"({self.result.seconds['attendance']:.1f}s)"
        )

    async def report_outcomes(self) -> None:
        t0 = time.monotonic()
        amounts = scenario.deal_amounts()
        held = [m for m in self.result.meetings if m["meeting_id"] in set(self.result.held)]
        calls = []
        for n, meeting in enumerate(held):
            mid = meeting["meeting_id"]
            if n < len(amounts):
                immediate, projected = amounts[n]
                self.result.deals[mid] = (immediate, projected)
                sides = [
                    (meeting["exporter_id"], "USD", immediate, projected),
                    (meeting["importer_id"], "GBP", int(immediate / 1.25), int(projected / 1.25)),
                ]
                for pid, currency, imm, proj in sides:
                    body = {
                        "participant_id": pid,
                        "result": "deal",
                        "immediate_amount": {"value": str(imm), "currency": currency},
                        "projected_12m_amount": {"value": str(proj), "currency": currency},
                        "products": [
                            scenario.HS[
                                self.result.participants[meeting["exporter_id"]]["sectors"][0]
                            ]
                        ],
                    }
                    calls.append(self._outcome(mid, pid, body))
            else:
                result = "negotiating" if n % 2 else "no_interest"
                for pid in (meeting["exporter_id"], meeting["importer_id"]):
                    calls.append(self._outcome(mid, pid, {"participant_id": pid, "result": result}))
        statuses = await self._all([self.settled(a) for a in await self._all(calls)])
        refused = [s for s in statuses if s["status"] != "accepted"]
        if refused:
            raise RuntimeError(f"outcomes refused: {refused[:3]}")
        self.result.seconds["outcomes"] = time.monotonic() - t0
        self.progress(
            f"both sides reported {len(held)} outcomes, {len(self.result.deals)} "
            f"deals ({self.result.seconds['outcomes']:.1f}s)"
        )

    async def _outcome(self, mid: str, pid: str, body: dict[str, Any]) -> dict[str, Any]:
        """Report once the deals service knows the meeting was held (404/409 until then)."""
        path = f"/v1/roundtables/{self.rt}/meetings/{mid}/outcome"
        headers = {**self.participant(pid), "Idempotency-Key": f"{mid}-{pid}-outcome"}

        async def attempt() -> dict[str, Any] | None:
            response = await self._request("POST", path, json=body, headers=headers)
            if response.status_code in (404, 409):
                # deals learns of meetings and attendance from scheduling's events: until it
                # has, the meeting is unknown (404) or not held yet (409) there
                return None
            if response.status_code != 202:
                raise RuntimeError(f"POST {path}: {response.status_code} {response.text}")
            accepted: dict[str, Any] = response.json()
            return accepted

        result: dict[str, Any] = await self.until(attempt, what=f"outcome of {mid}")
        return result

    async def final_report(self) -> dict[str, Any]:
        t0 = time.monotonic()

        async def complete() -> dict[str, Any] | None:
            response = await self._request(
                "GET", f"/v1/roundtables/{self.rt}/report", headers=self.organizer
            )
            if response.status_code != 200:
                return None
            report: dict[str, Any] = response.json()
            done = report["deals"]["count"] == len(self.result.deals) and report["meetings"][
                "held"
            ] == len(self.result.held)
            return report if done else None

        self.result.report = await self.until(complete, what="the report")
        self.result.seconds["report"] = time.monotonic() - t0
        return self.result.report

    async def run(self) -> ReplayResult:
        await self.register()
        await self.approve()
        await self.wait_for_schedule()
        await self.attend()
        await self.report_outcomes()
        await self.final_report()
        return self.result
