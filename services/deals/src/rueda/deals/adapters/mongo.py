"""The deals service's MongoDB documents and the repository that reads and writes them.

Collections (database `rueda_deals`): `roundtables` (agencies, usd_rates), `participants`
and `meetings` (projections with their frozen report attribution), `outcomes` (every
accepted report), `deals` (one per meeting), `report_cells` (the incremental counters),
`commands` (status of every RecordOutcome). Amounts are stored as decimal strings and
counters as integer cents.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pymongo import ASCENDING, ReturnDocument, UpdateOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from rueda.shared.mongo import IndexSpec

from ..domain import (
    Attribution,
    Counters,
    DealRecord,
    Figures,
    Meeting,
    OutcomeReport,
)

__all__ = [
    "INDEXES",
    "DealsRepository",
    "MeetingRow",
    "ParticipantRow",
    "RoundtableRow",
    "StoredDeal",
]

Document = dict[str, Any]
Session = AsyncClientSession | None

INDEXES = (
    IndexSpec("participants", [("roundtable_id", ASCENDING)], name="participants_rt"),
    IndexSpec("meetings", [("roundtable_id", ASCENDING)], name="meetings_rt"),
    IndexSpec(
        "outcomes", [("roundtable_id", ASCENDING), ("meeting_id", ASCENDING)], name="outcomes_mt"
    ),
    IndexSpec("deals", [("roundtable_id", ASCENDING), ("seq", ASCENDING)], name="deals_rt"),
    IndexSpec("report_cells", [("roundtable_id", ASCENDING)], name="cells_rt"),
)


@dataclass(frozen=True)
class RoundtableRow:
    roundtable_id: str
    agencies: Mapping[str, str]
    """Agency code -> country."""
    usd_rates: Mapping[str, Decimal]

    def agency_of(self, country: str | None) -> str | None:
        for code, agency_country in sorted(self.agencies.items()):
            if agency_country == country:
                return code
        return None


@dataclass(frozen=True)
class ParticipantRow:
    participant_id: str
    role: str
    country: str
    sectors: tuple[str, ...]
    status: str
    attribution: Attribution


@dataclass(frozen=True)
class MeetingRow:
    meeting: Meeting
    attribution: Attribution
    sectors: tuple[str, ...]
    agency_code: str | None


@dataclass(frozen=True)
class StoredDeal:
    record: DealRecord
    attribution: Attribution


def _attr_doc(a: Attribution) -> Document:
    return {
        "countries": list(a.countries),
        "sectors": list(a.sectors),
        "agencies": list(a.agencies),
    }


def _attr(doc: Mapping[str, Any]) -> Attribution:
    return Attribution(
        countries=tuple(doc.get("countries", ())),
        sectors=tuple(doc.get("sectors", ())),
        agencies=tuple(doc.get("agencies", ())),
    )


def _figures_doc(f: Figures | None) -> Document | None:
    if f is None:
        return None
    return {
        "result": f.result,
        "immediate_usd": str(f.immediate_usd),
        "projected_12m_usd": str(f.projected_12m_usd),
    }


def _figures(doc: Mapping[str, Any] | None) -> Figures | None:
    if doc is None:
        return None
    return Figures(doc["result"], Decimal(doc["immediate_usd"]), Decimal(doc["projected_12m_usd"]))


def _report(doc: Mapping[str, Any]) -> OutcomeReport:
    return OutcomeReport(
        outcome_id=doc["outcome_id"],
        meeting_id=doc["meeting_id"],
        participant_id=doc["participant_id"],
        side=doc["side"],
        result=doc["result"],
        immediate_usd=Decimal(doc["immediate_usd"]),
        projected_12m_usd=Decimal(doc["projected_12m_usd"]),
        reported_by=doc["reported_by"],
        seq=int(doc["seq"]),
        products=tuple(doc.get("products", ())),
    )


def _deal_record(doc: Mapping[str, Any]) -> DealRecord:
    return DealRecord(
        deal_id=doc["deal_id"],
        meeting_id=doc["meeting_id"],
        version=int(doc["version"]),
        status=doc["status"],
        immediate_usd=Decimal(doc["immediate_usd"]),
        projected_12m_usd=Decimal(doc["projected_12m_usd"]),
        exporter=_figures(doc.get("exporter_report")),
        importer=_figures(doc.get("importer_report")),
        products=tuple(doc.get("products", ())),
        closed_at=doc["closed_at"],
    )


class DealsRepository:
    """Reads and writes the deals service's collections; writes take the handler's session."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self._db = db

    # roundtables -------------------------------------------------------------------------
    async def roundtable(self, rt: str, session: Session = None) -> RoundtableRow | None:
        doc = await self._db["roundtables"].find_one({"_id": rt}, session=session)
        if doc is None:
            return None
        return RoundtableRow(
            rt,
            {a["code"]: a["country"] for a in doc.get("agencies", [])},
            {k: Decimal(v) for k, v in doc.get("usd_rates", {}).items()},
        )

    async def save_roundtable(
        self,
        rt: str,
        agencies: list[Document],
        usd_rates: Mapping[str, Decimal],
        session: Session,
    ) -> None:
        await self._db["roundtables"].replace_one(
            {"_id": rt},
            {"agencies": agencies, "usd_rates": {k: str(v) for k, v in usd_rates.items()}},
            upsert=True,
            session=session,
        )

    # participants ------------------------------------------------------------------------
    async def participant(
        self, rt: str, pid: str, session: Session = None
    ) -> ParticipantRow | None:
        doc = await self._db["participants"].find_one({"_id": f"{rt}:{pid}"}, session=session)
        return None if doc is None else self._participant(doc)

    @staticmethod
    def _participant(doc: Mapping[str, Any]) -> ParticipantRow:
        return ParticipantRow(
            doc["participant_id"],
            doc["role"],
            doc["country"],
            tuple(doc.get("sectors", ())),
            doc["status"],
            _attr(doc["attribution"]),
        )

    async def save_participant(self, rt: str, row: ParticipantRow, session: Session) -> None:
        await self._db["participants"].replace_one(
            {"_id": f"{rt}:{row.participant_id}"},
            {
                "roundtable_id": rt,
                "participant_id": row.participant_id,
                "role": row.role,
                "country": row.country,
                "sectors": list(row.sectors),
                "status": row.status,
                "attribution": _attr_doc(row.attribution),
            },
            upsert=True,
            session=session,
        )

    async def participants(self, rt: str) -> list[ParticipantRow]:
        docs = await self._db["participants"].find({"roundtable_id": rt}).to_list()
        return [self._participant(d) for d in docs]

    # meetings ----------------------------------------------------------------------------
    async def meeting(self, rt: str, mid: str, session: Session = None) -> MeetingRow | None:
        doc = await self._db["meetings"].find_one({"_id": f"{rt}:{mid}"}, session=session)
        return None if doc is None else self._meeting(doc)

    @staticmethod
    def _meeting(doc: Mapping[str, Any]) -> MeetingRow:
        return MeetingRow(
            Meeting(
                meeting_id=doc["meeting_id"],
                exporter_id=doc["exporter_id"],
                importer_id=doc["importer_id"],
                status=doc["status"],
                exporter_country=doc.get("exporter_country"),
                importer_country=doc.get("importer_country"),
            ),
            _attr(doc["attribution"]),
            tuple(doc.get("sectors", ())),
            doc.get("agency_code"),
        )

    async def save_meeting(self, rt: str, row: MeetingRow, session: Session) -> None:
        m = row.meeting
        await self._db["meetings"].replace_one(
            {"_id": f"{rt}:{m.meeting_id}"},
            {
                "roundtable_id": rt,
                "meeting_id": m.meeting_id,
                "exporter_id": m.exporter_id,
                "importer_id": m.importer_id,
                "exporter_country": m.exporter_country,
                "importer_country": m.importer_country,
                "status": m.status,
                "attribution": _attr_doc(row.attribution),
                "sectors": list(row.sectors),
                "agency_code": row.agency_code,
            },
            upsert=True,
            session=session,
        )

    async def meetings(self, rt: str) -> list[MeetingRow]:
        docs = await self._db["meetings"].find({"roundtable_id": rt}).to_list()
        return [self._meeting(d) for d in docs]

    # outcomes ----------------------------------------------------------------------------
    async def outcome_exists(self, rt: str, outcome_id: str, session: Session) -> bool:
        doc = await self._db["outcomes"].find_one({"_id": f"{rt}:{outcome_id}"}, session=session)
        return doc is not None

    async def outcomes(self, rt: str, mid: str, session: Session = None) -> list[OutcomeReport]:
        docs = (
            await self._db["outcomes"]
            .find({"roundtable_id": rt, "meeting_id": mid}, session=session)
            .to_list()
        )
        return sorted((_report(d) for d in docs), key=lambda r: r.seq)

    async def all_outcomes(self, rt: str) -> dict[str, list[OutcomeReport]]:
        by_meeting: dict[str, list[OutcomeReport]] = defaultdict(list)
        async for doc in self._db["outcomes"].find({"roundtable_id": rt}):
            by_meeting[doc["meeting_id"]].append(_report(doc))
        return dict(by_meeting)

    async def add_outcome(
        self, rt: str, report: OutcomeReport, *, command_id: str, at: dt.datetime, session: Session
    ) -> None:
        await self._db["outcomes"].insert_one(
            {
                "_id": f"{rt}:{report.outcome_id}",
                "roundtable_id": rt,
                "outcome_id": report.outcome_id,
                "meeting_id": report.meeting_id,
                "participant_id": report.participant_id,
                "side": report.side,
                "result": report.result,
                "immediate_usd": str(report.immediate_usd),
                "projected_12m_usd": str(report.projected_12m_usd),
                "reported_by": report.reported_by,
                "seq": report.seq,
                "products": list(report.products),
                "command_id": command_id,
                "recorded_at": at,
            },
            session=session,
        )

    # deals -------------------------------------------------------------------------------
    async def deal(self, rt: str, mid: str, session: Session = None) -> DealRecord | None:
        doc = await self._db["deals"].find_one({"_id": f"{rt}:{mid}"}, session=session)
        return None if doc is None else _deal_record(doc)

    async def save_deal(
        self, rt: str, deal: DealRecord, facts: Mapping[str, Any], *, seq: int, session: Session
    ) -> None:
        """`facts` is the deal as published (the `DealClosed`/`DealUpdated` data)."""
        await self._db["deals"].replace_one(
            {"_id": f"{rt}:{deal.meeting_id}"},
            {
                **facts,
                "roundtable_id": rt,
                "version": deal.version,
                "closed_at": deal.closed_at,
                "seq": seq,
            },
            upsert=True,
            session=session,
        )

    async def next_deal_seq(self, rt: str, session: Session) -> int:
        """A per-roundtable counter, raised on every deal change: the deals feed's cursor."""
        doc = await self._db["sequences"].find_one_and_update(
            {"_id": f"deals:{rt}"},
            {"$inc": {"n": 1}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
            session=session,
        )
        assert doc is not None
        return int(doc["n"])

    async def deals(
        self, rt: str, *, country: str | None = None, after: int = 0, limit: int = 1000
    ) -> list[Document]:
        """Deals in the order they last changed (`seq`), after the cursor `after`."""
        query: Document = {"roundtable_id": rt, "seq": {"$gt": after}}
        if country:
            query["$or"] = [{"exporter_country": country}, {"importer_country": country}]
        cursor = self._db["deals"].find(query, {"_id": 0}).sort("seq", ASCENDING).limit(limit)
        return await cursor.to_list()

    # report ------------------------------------------------------------------------------
    async def apply(self, rt: str, delta: Counters, session: Session) -> None:
        """Add `delta` to the stored counters (upserting the cells it touches)."""
        if not delta:
            return
        ops = [
            UpdateOne(
                {"_id": f"{rt}|{scope}|{key}"},
                {
                    "$inc": {f"metrics.{m}": v for m, v in counters.items()},
                    "$setOnInsert": {"roundtable_id": rt, "scope": scope, "key": key},
                },
                upsert=True,
            )
            for (scope, key), counters in sorted(delta.items())
        ]
        await self._db["report_cells"].bulk_write(ops, ordered=True, session=session)

    async def counters(self, rt: str) -> Counters:
        out: Counters = {}
        async for doc in self._db["report_cells"].find({"roundtable_id": rt}):
            metrics = {m: int(v) for m, v in doc.get("metrics", {}).items() if int(v)}
            if metrics:
                out[(doc["scope"], doc["key"])] = metrics
        return out

    # commands ----------------------------------------------------------------------------
    async def record_command(self, command_id: str, status: Document, session: Session) -> None:
        await self._db["commands"].replace_one(
            {"_id": command_id}, status, upsert=True, session=session
        )

    async def command(self, command_id: str) -> Document | None:
        return await self._db["commands"].find_one({"_id": command_id})
