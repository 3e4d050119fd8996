"""The deals repository in memory, beside the MongoDB one (`mongo.py`): the same methods
over dictionaries of rows, for handler tests that take milliseconds."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..domain import Counters, DealRecord, OutcomeReport
from .mongo import Document, MeetingRow, ParticipantRow, RoundtableRow

__all__ = ["InMemoryDealsRepository"]


class InMemoryDealsRepository:
    """`DealsRepository` over dictionaries keyed by (roundtable, id); sessions are ignored."""

    def __init__(self) -> None:
        self.roundtables: dict[str, RoundtableRow] = {}
        self.participant_rows: dict[tuple[str, str], ParticipantRow] = {}
        self.meeting_rows: dict[tuple[str, str], MeetingRow] = {}
        self.outcome_reports: dict[tuple[str, str], OutcomeReport] = {}
        self.deal_records: dict[tuple[str, str], tuple[DealRecord, Document]] = {}
        self.cells: dict[str, Counters] = defaultdict(dict)
        self.sequences: dict[str, int] = defaultdict(int)
        self.commands: dict[str, Document] = {}

    async def roundtable(self, rt: str, session: Any = None) -> RoundtableRow | None:
        return self.roundtables.get(rt)

    async def save_roundtable(
        self, rt: str, agencies: list[Document], usd_rates: Mapping[str, Decimal], session: Any
    ) -> None:
        codes = {a["code"]: a["country"] for a in agencies}
        self.roundtables[rt] = RoundtableRow(rt, codes, dict(usd_rates))

    async def participant(self, rt: str, pid: str, session: Any = None) -> ParticipantRow | None:
        return self.participant_rows.get((rt, pid))

    async def save_participant(self, rt: str, row: ParticipantRow, session: Any) -> None:
        self.participant_rows[(rt, row.participant_id)] = row

    async def participants(self, rt: str) -> list[ParticipantRow]:
        return [row for (r, _), row in self.participant_rows.items() if r == rt]

    async def meeting(self, rt: str, mid: str, session: Any = None) -> MeetingRow | None:
        return self.meeting_rows.get((rt, mid))

    async def save_meeting(self, rt: str, row: MeetingRow, session: Any) -> None:
        self.meeting_rows[(rt, row.meeting.meeting_id)] = row

    async def meetings(self, rt: str) -> list[MeetingRow]:
        return [row for (r, _), row in self.meeting_rows.items() if r == rt]

    async def outcome_exists(self, rt: str, outcome_id: str, session: Any) -> bool:
        return (rt, outcome_id) in self.outcome_reports

    async def outcomes(self, rt: str, mid: str, session: Any = None) -> list[OutcomeReport]:
        found = [o for (r, _), o in self.outcome_reports.items() if r == rt and o.meeting_id == mid]
        return sorted(found, key=lambda o: o.seq)

    async def all_outcomes(self, rt: str) -> dict[str, list[OutcomeReport]]:
        by_meeting: dict[str, list[OutcomeReport]] = defaultdict(list)
        for (r, _), report in self.outcome_reports.items():
            if r == rt:
                by_meeting[report.meeting_id].append(report)
        return dict(by_meeting)

    async def add_outcome(
        self, rt: str, report: OutcomeReport, *, command_id: str, at: dt.datetime, session: Any
    ) -> None:
        if (rt, report.outcome_id) in self.outcome_reports:
            raise KeyError(f"outcome {report.outcome_id} recorded twice")
        self.outcome_reports[(rt, report.outcome_id)] = report

    async def deal(self, rt: str, mid: str, session: Any = None) -> DealRecord | None:
        stored = self.deal_records.get((rt, mid))
        return stored[0] if stored else None

    async def save_deal(
        self, rt: str, deal: DealRecord, facts: Mapping[str, Any], *, seq: int, session: Any
    ) -> None:
        document = {**facts, "roundtable_id": rt, "version": deal.version, "seq": seq}
        self.deal_records[(rt, deal.meeting_id)] = (deal, document)

    async def next_deal_seq(self, rt: str, session: Any) -> int:
        self.sequences[rt] += 1
        return self.sequences[rt]

    async def deals(
        self, rt: str, *, country: str | None = None, after: int = 0, limit: int = 1000
    ) -> list[Document]:
        docs = [
            {k: v for k, v in doc.items()}
            for (r, _), (_, doc) in self.deal_records.items()
            if r == rt
            and doc["seq"] > after
            and country in (None, "", doc["exporter_country"], doc["importer_country"])
        ]
        return sorted(docs, key=lambda d: d["seq"])[:limit]

    async def apply(self, rt: str, delta: Counters, session: Any) -> None:
        cells = self.cells[rt]
        for cell, counters in delta.items():
            metrics = cells.setdefault(cell, {})
            for metric, value in counters.items():
                metrics[metric] = metrics.get(metric, 0) + value

    async def counters(self, rt: str) -> Counters:
        out: Counters = {}
        for cell, metrics in self.cells[rt].items():
            kept = {m: v for m, v in metrics.items() if v}
            if kept:
                out[cell] = kept
        return out

    async def record_command(self, command_id: str, status: Document, session: Any) -> None:
        self.commands[command_id] = dict(status)

    async def command(self, command_id: str) -> Document | None:
        return self.commands.get(command_id)
