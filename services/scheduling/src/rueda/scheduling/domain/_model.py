"""Builds a placement engine from a calendar and requests: ids to indices, grid to positions.

Internal. The slot preference order is computed here: a grid slot's *pressure* is the
expected demand on it, each request spreading one unit over its common usable slots. Low
pressure slots are used first, so slots that many requests could use (the scarce overlap
of distant time zones) stay free for the requests that have nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from ._engine import Engine, rows_to_masks
from .calendar import Calendar

__all__ = ["Model"]


class Model:
    """An :class:`Engine` plus the maps between ids, grid indices and positions."""

    def __init__(
        self,
        calendar: Calendar,
        requests: Sequence[tuple[str, str, str, float]],
        *,
        extra_parties: Sequence[str] = (),
        sessions: Mapping[str, str] | None = None,
    ) -> None:
        self.calendar = calendar
        settings = calendar.settings
        n_slots = calendar.n_slots
        party_ids: list[str] = []
        self.party_index: dict[str, int] = {}
        for party in calendar.parties:
            self.party_index[party.participant_id] = len(party_ids)
            party_ids.append(party.participant_id)
        for pid in extra_parties:
            if pid not in self.party_index:
                raise KeyError(f"unknown participant {pid!r}")
        self.party_ids = party_ids
        usable = self._usable_matrix(party_ids)
        exporters = np.fromiter(
            (self.party_index[r[1]] for r in requests), dtype=np.int64, count=len(requests)
        )
        importers = np.fromiter(
            (self.party_index[r[2]] for r in requests), dtype=np.int64, count=len(requests)
        )
        order = self._preference_order(usable, exporters, importers)
        self.column_of: list[int] = order.tolist()
        self.position_of: list[int] = [0] * n_slots
        for position, column in enumerate(self.column_of):
            self.position_of[column] = position
        masks = rows_to_masks(usable[:, order])
        radius = -(-settings.buffer_minutes // settings.slot_minutes)
        block = []
        for column in self.column_of:
            mask = 0
            for neighbour in range(max(0, column - radius), min(n_slots, column + radius + 1)):
                mask |= 1 << self.position_of[neighbour]
            block.append(mask)
        cap = settings.max_meetings_per_day
        day_of = [self._day_of(pid) for pid in party_ids] if cap is not None else None
        self.engine = Engine(
            masks, block, cap=cap, day_of=day_of, floor=settings.min_meetings_per_exporter
        )
        self.engine.capacity = len(settings.tables) or None
        self.request_index: dict[str, int] = {}
        self.request_ids: list[str] = []
        self.sessions: dict[str, str] = dict(sessions or {})
        self._session_masks: dict[tuple[str, str], int] = {}
        engine = self.engine
        exps, imps = exporters.tolist(), importers.tolist()
        engine.add_requests(
            exps,
            imps,
            [r[3] for r in requests],
            [masks[e] & masks[i] for e, i in zip(exps, imps, strict=True)],
        )
        self.request_ids = [r[0] for r in requests]
        self.request_index = {rid: k for k, rid in enumerate(self.request_ids)}
        if engine.capacity is not None or self.sessions:
            for r, (request_id, exporter_id, importer_id, _) in enumerate(requests):
                self._configure(r, request_id, exporter_id, importer_id)

    def _configure(self, r: int, request_id: str, exporter_id: str, importer_id: str) -> None:
        """Tables and session preference of request ``r`` (its ``allowed`` set narrows)."""
        engine = self.engine
        if engine.capacity is not None:
            engine.set_in_person(r, self.calendar.meets_in_person(exporter_id, importer_id))
        session = self.sessions.get(request_id) if self.sessions else None
        if session is not None:
            engine.allowed[r] &= self.session_positions(exporter_id, session)
            engine.allowed[r] &= self.session_positions(importer_id, session)

    def session_positions(self, pid: str, session: str) -> int:
        """Positions of the party's slots in a session (``morning``/``afternoon``)."""
        key = (pid, session)
        found = self._session_masks.get(key)
        if found is None:
            found = self._session_masks[key] = self.to_positions(
                self.calendar.session_mask(pid, session)
            )
        return found

    def to_positions(self, columns: int) -> int:
        """A bitset over grid indices as a bitset over positions."""
        mask = 0
        position_of = self.position_of
        while columns:
            low = columns & -columns
            mask |= 1 << position_of[low.bit_length() - 1]
            columns ^= low
        return mask

    def to_columns(self, positions: int) -> int:
        """A bitset over positions as a bitset over grid indices."""
        mask = 0
        column_of = self.column_of
        while positions:
            low = positions & -positions
            mask |= 1 << column_of[low.bit_length() - 1]
            positions ^= low
        return mask

    # construction ----------------------------------------------------------------------
    def _usable_matrix(self, party_ids: Sequence[str]) -> npt.NDArray[np.bool_]:
        n_slots = self.calendar.n_slots
        rows: list[int] = []
        firsts: list[int] = []
        stops: list[int] = []
        for row, pid in enumerate(party_ids):
            for first, stop, _ in self.calendar.usable_ranges(pid):
                rows.append(row)
                firsts.append(first)
                stops.append(stop)
        delta = np.zeros((len(party_ids), n_slots + 1), dtype=np.int32)
        np.add.at(delta, (np.asarray(rows, dtype=np.int64), np.asarray(firsts, dtype=np.int64)), 1)
        np.add.at(delta, (np.asarray(rows, dtype=np.int64), np.asarray(stops, dtype=np.int64)), -1)
        return np.cumsum(delta, axis=1)[:, :n_slots] > 0

    @staticmethod
    def _preference_order(
        usable: npt.NDArray[np.bool_],
        exporters: npt.NDArray[np.int64],
        importers: npt.NDArray[np.int64],
    ) -> npt.NDArray[np.int64]:
        n_slots = usable.shape[1]
        pressure = np.zeros(n_slots)
        if len(exporters):
            # only columns some exporter and some importer of a request can both use
            some_exporter = Model._rows(usable, exporters).any(axis=0)
            some_importer = Model._rows(usable, importers).any(axis=0)
            active = np.flatnonzero(some_exporter & some_importer)
            common = usable[exporters][:, active] & usable[importers][:, active]
            sizes = common.sum(axis=1)
            weights = np.divide(1.0, sizes, out=np.zeros(len(sizes)), where=sizes > 0)
            rows, columns = np.nonzero(common)
            pressure[active] = np.bincount(columns, weights=weights[rows], minlength=len(active))
        # tie-break (and the whole order before any request exists): how many parties
        # could use the slot at all
        crowd = usable.sum(axis=0) / max(1, usable.shape[0])
        key = pressure + 1e-3 * crowd
        return np.lexsort((np.arange(n_slots), key)).astype(np.int64)

    @staticmethod
    def _rows(
        usable: npt.NDArray[np.bool_], indices: npt.NDArray[np.int64]
    ) -> npt.NDArray[np.bool_]:
        chosen = np.zeros(usable.shape[0], dtype=np.bool_)
        chosen[indices] = True
        return usable[chosen]

    def _day_of(self, pid: str) -> dict[int, int]:
        out: dict[int, int] = {}
        for first, stop, day in self.calendar.usable_ranges(pid):
            for column in range(first, stop):
                out[self.position_of[column]] = day
        return out

    def _mask_of(self, pid: str) -> int:
        mask = 0
        position_of = self.position_of
        for first, stop, _ in self.calendar.usable_ranges(pid):
            for column in range(first, stop):
                mask |= 1 << position_of[column]
        return mask

    # incremental use -------------------------------------------------------------------
    def sync_party(self, pid: str) -> int:
        """Make the engine reflect the calendar's current windows of ``pid``."""
        mask = self._mask_of(pid)
        day_of = self._day_of(pid) if self.engine.cap is not None else None
        index = self.party_index.get(pid)
        if index is None:
            index = self.engine.add_party(mask, day_of)
            self.party_index[pid] = index
            self.party_ids.append(pid)
            return index
        self.engine.set_party(index, mask, day_of)
        engine = self.engine
        for r, (e, i) in enumerate(zip(engine.exp, engine.imp, strict=True)):
            if e == index or i == index:
                engine.allowed[r] = engine.usable[e] & engine.usable[i]
        engine.escape_cache.clear()
        return index

    def add_request(
        self,
        request_id: str,
        exporter_id: str,
        importer_id: str,
        score: float,
        session: str | None = None,
    ) -> int:
        """Register one more request; returns its engine index."""
        e = self.party_index.get(exporter_id)
        if e is None:
            e = self.sync_party(exporter_id)
        i = self.party_index.get(importer_id)
        if i is None:
            i = self.sync_party(importer_id)
        engine = self.engine
        r = engine.add_request(e, i, score, engine.usable[e] & engine.usable[i])
        self.request_index[request_id] = r
        self.request_ids.append(request_id)
        if session is not None:
            self.sessions[request_id] = session
        self._configure(r, request_id, exporter_id, importer_id)
        return r

    def positions_from(self, first_column: int) -> int:
        """Positions whose grid slot index is at least ``first_column``."""
        mask = 0
        for column in range(first_column, self.calendar.n_slots):
            mask |= 1 << self.position_of[column]
        return mask
