"""Read endpoints of the deals service, for the gateway (JSON; the report also as CSV)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, HTTPException, Query, Response
from pydantic import BaseModel, Field

from .adapters import DealsRepository
from .domain import Tolerance, render, render_csv
from .handlers import recompute

__all__ = ["MeetingView", "build_router", "commands_router"]

Country = Annotated[str | None, Query(pattern=r"^[A-Z]{2}$", description="Agency view: ISO 3166")]


class MeetingView(BaseModel):
    """A meeting as deals knows it, and the currencies its outcome may use."""

    meeting_id: str
    exporter_id: str
    importer_id: str
    status: Literal["scheduled", "cancelled", "held", "no_show"]
    accepted_currencies: list[str] = Field(description="ISO 4217 codes with a US-dollar rate.")
    usd_rates: dict[str, str] = Field(description="The roundtable's rates, decimal strings.")


def build_router(repo: Callable[[], DealsRepository], tolerance: Tolerance) -> APIRouter:
    """`repo` gives the repository once the runtime has started."""
    router = APIRouter(prefix="/internal/roundtables/{rt}", tags=["deals"])

    async def _report(rt: str, country: str | None, accept: str | None, fmt: str | None,
                      recomputed: bool) -> Any:  # fmt: skip
        r = repo()
        counters = await (recompute(r, rt, tolerance) if recomputed else r.counters(rt))
        roundtable = await r.roundtable(rt)
        agencies = dict(roundtable.agencies) if roundtable else {}
        report = render(rt, counters, country=country, agency_countries=agencies)
        if fmt == "csv" or (fmt is None and accept and "text/csv" in accept):
            return Response(render_csv(report), media_type="text/csv; charset=utf-8")
        return report

    @router.get("/report", summary="The roundtable's report (JSON, or CSV with Accept: text/csv)")
    async def report(
        rt: str,
        country: Country = None,
        format: Literal["json", "csv"] | None = None,
        accept: Annotated[str | None, Header()] = None,
    ) -> Any:
        return await _report(rt, country, accept, format, recomputed=False)

    @router.get(
        "/report/recomputed",
        summary="The report recomputed from stored outcomes (must equal /report)",
    )
    async def report_recomputed(
        rt: str,
        country: Country = None,
        format: Literal["json", "csv"] | None = None,
        accept: Annotated[str | None, Header()] = None,
    ) -> Any:
        return await _report(rt, country, accept, format, recomputed=True)

    @router.get("/meetings/{mid}", response_model=MeetingView)
    async def meeting(rt: str, mid: str) -> MeetingView:
        r = repo()
        row = await r.meeting(rt, mid)
        if row is None:
            raise HTTPException(404, "unknown meeting")
        roundtable = await r.roundtable(rt)
        known = roundtable.usd_rates if roundtable else {}
        rates = {"USD": "1", **{k: str(v) for k, v in known.items()}}
        m = row.meeting
        return MeetingView(
            meeting_id=m.meeting_id,
            exporter_id=m.exporter_id,
            importer_id=m.importer_id,
            status=m.status,
            accepted_currencies=sorted(rates),
            usd_rates=rates,
        )

    @router.get(
        "/deals",
        summary="Deals in the order they last changed; `after` is the `seq` cursor, `country` "
        "keeps the deals whose exporter or importer is of that country",
    )
    async def deals(
        rt: str,
        country: Country = None,
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    ) -> list[dict[str, Any]]:
        docs = await repo().deals(rt, country=country, after=after, limit=limit)
        for d in docs:
            d["closed_at"] = d["closed_at"].isoformat()
        return docs

    return router


def commands_router(repo: Callable[[], DealsRepository]) -> APIRouter:
    """`/internal/commands/{id}`: the status the gateway's status URL shows."""
    router = APIRouter(prefix="/internal", tags=["deals"])

    @router.get("/commands/{command_id}", summary="Status of a RecordOutcome command")
    async def command(command_id: str) -> dict[str, Any]:
        doc = await repo().command(command_id)
        if doc is None:
            raise HTTPException(404, "command not processed yet")
        return {
            "command_id": doc["_id"],
            "roundtable_id": doc["roundtable_id"],
            "type": doc["command_type"],
            "status": doc["status"],
            "code": doc.get("code"),
            "reason": doc.get("reason"),
            "details": doc.get("details", {}),
            "resource": {"outcome_id": doc["outcome_id"], "meeting_id": doc["meeting_id"]},
        }

    return router
