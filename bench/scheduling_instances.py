"""Deterministic scheduling benchmark instances (fixed seeds), modelled on real roundtables.

``base``: the Pacific Alliance with UK importers, June 2020; ``skew``: the same with
Zipf-like importer popularity; ``tight``: fewer days per participant; ``asia``: Asian
importers in September 2020, across Chile's DST change; ``40k``: ``skew`` ten times over.

``forum-*``: in-person and hybrid brokerage forums (a Macrorrueda's hall of numbered
tables in Bogota): one or two days of 8-22 twenty-minute slots around a lunch break,
40-80 participants, 120-300 meetings, 12-27 tables; a few importers with as many meetings
as there are slots, some participants with forbidden slots (a hole in their day), some
meetings fixed in advance and some asked for the morning only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from rueda.scheduling.domain import Calendar, CalendarSettings, Party, Request, Window

__all__ = ["FORUMS", "INSTANCES", "Instance", "build"]

JUNE_2020 = tuple(
    dt.date(2020, month, day)
    for month, day in ((6, 23), (6, 24), (6, 25), (6, 26), (6, 29), (6, 30), (7, 1), (7, 2))
)
# Tuesday 1 to Thursday 10 September 2020, weekdays: Chile moves to UTC-3 on Sunday the 6th
SEPTEMBER_2020 = tuple(dt.date(2020, 9, day) for day in (1, 2, 3, 4, 7, 8, 9, 10))
PACIFIC_ALLIANCE = ("America/Santiago", "America/Bogota", "America/Lima", "America/Mexico_City")
ASIA = ("Asia/Tokyo", "Asia/Seoul", "Asia/Shanghai", "Asia/Singapore")


@dataclass(frozen=True)
class Instance:
    """A calendar with its parties, and the agreed meetings to place."""

    name: str
    calendar: Calendar
    requests: list[Request]
    fixed: dict[str, dt.datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class _Spec:
    seed: int
    exporters: int = 500
    importers: int = 200
    requests_per_exporter: int = 8
    exporter_days: int = 3
    importer_days: int = 5
    zipf: float | None = None
    days: tuple[dt.date, ...] = JUNE_2020
    importer_zones: tuple[str, ...] = ("Europe/London",)
    exporter_window: tuple[int, int] = (9 * 60, 18 * 60)
    importer_window: tuple[int, int] = (9 * 60, 18 * 60)


SPECS = {
    "base": _Spec(seed=2020_06_23),
    "skew": _Spec(seed=2020_06_24, zipf=0.8),
    "tight": _Spec(seed=2020_06_25, exporter_days=2, importer_days=3),
    "asia": _Spec(
        seed=2020_09_06,
        days=SEPTEMBER_2020,
        importer_zones=ASIA,
        exporter_window=(7 * 60, 22 * 60),
        importer_window=(8 * 60, 19 * 60),
    ),
    "40k": _Spec(seed=2020_06_26, exporters=5000, importers=2000, zipf=0.8),
}


@dataclass(frozen=True)
class _Forum:
    seed: int
    days: int
    morning: int  # slots before lunch
    afternoon: int  # slots after lunch
    exporters: int
    importers: int
    meetings: int
    tables: int
    remote: float = 0.0  # hybrid: share of participants attending remotely
    full: int = 2  # importers with as many meetings as slots
    holes: int = 6  # participants with a forbidden hour
    fixed: int = 6
    morning_only: int = 4


FORUMS = {
    "forum-a": _Forum(
        seed=1,
        days=1,
        morning=6,
        afternoon=6,
        exporters=26,
        importers=14,
        meetings=120,
        tables=12,
        full=2,
    ),
    "forum-b": _Forum(
        seed=2,
        days=1,
        morning=8,
        afternoon=8,
        exporters=40,
        importers=20,
        meetings=200,
        tables=15,
        full=3,
    ),
    "forum-c": _Forum(
        seed=3,
        days=2,
        morning=4,
        afternoon=4,
        exporters=40,
        importers=20,
        meetings=180,
        tables=12,
        full=2,
    ),
    "forum-d": _Forum(
        seed=4,
        days=2,
        morning=11,
        afternoon=11,
        exporters=55,
        importers=25,
        meetings=300,
        tables=27,
        remote=0.2,
        full=2,
    ),
    "forum-e": _Forum(
        seed=5,
        days=1,
        morning=11,
        afternoon=11,
        exporters=50,
        importers=30,
        meetings=300,
        tables=14,
        full=3,
    ),
}
VENUE = "America/Bogota"
FORUM_DAYS = (dt.date(2026, 3, 10), dt.date(2026, 3, 11))
INSTANCES = (*SPECS, *FORUMS)


def _forum(name: str) -> Instance:
    spec = FORUMS[name]
    rng = np.random.default_rng(spec.seed)
    slot = 20
    start = 9 * 60
    lunch = (start + spec.morning * slot, start + spec.morning * slot + 60)
    end = lunch[1] + spec.afternoon * slot
    days = FORUM_DAYS[: spec.days]
    settings = CalendarSettings(
        days=days,
        slot_minutes=slot,
        default_window=(start, end),
        min_meetings_per_exporter=1,
        format="hybrid" if spec.remote else "in_person",
        venue_timezone=VENUE,
        tables=tuple(range(1, spec.tables + 1)),
        lunch_break=lunch,
    )
    exporters = [f"e{k:02d}" for k in range(spec.exporters)]
    importers = [f"i{k:02d}" for k in range(spec.importers)]
    everyone = exporters + importers
    holes = set(rng.choice(len(everyone), size=spec.holes, replace=False).tolist())
    parties = []
    for k, pid in enumerate(everyone):
        attendance = "remote" if rng.random() < spec.remote else None
        windows: tuple[Window, ...] = ()
        if (k in holes and k >= spec.exporters + spec.full) or (k in holes and k < spec.exporters):
            hole = int(rng.integers(0, spec.morning + spec.afternoon - 1))
            at = (
                start + hole * slot
                if hole < spec.morning
                else lunch[1] + (hole - spec.morning) * slot
            )
            windows = tuple(
                w
                for day in days
                for first, stop in ((start, at), (at + slot, end))
                if first < stop
                for w in (Window(day, first, stop),)
            )
        parties.append(Party(pid, VENUE, windows, attendance))
    n_slots = spec.days * (spec.morning + spec.afternoon)
    pairs: set[tuple[str, str]] = set()
    # the busiest importers meet in every slot
    for importer in importers[: spec.full]:
        chosen = rng.choice(spec.exporters, size=n_slots, replace=False)
        pairs.update((exporters[e], importer) for e in chosen.tolist())
    popularity = 1.0 / (np.arange(spec.importers) + 1.0) ** 0.5
    popularity[: spec.full] = 0.0
    popularity /= popularity.sum()
    load = {pid: 0 for pid in everyone}
    for exporter, _ in pairs:
        load[exporter] += 1
    for _ in range(100 * spec.meetings):
        if len(pairs) >= spec.meetings:
            break
        e = exporters[int(rng.integers(spec.exporters))]
        i = importers[int(rng.choice(spec.importers, p=popularity))]
        if (e, i) in pairs or load[e] >= n_slots - 2 or load[i] >= n_slots - 2:
            continue
        pairs.add((e, i))
        load[e] += 1
        load[i] += 1
    ordered = sorted(pairs)
    requests = []
    morning_only = set(rng.choice(len(ordered), size=spec.morning_only, replace=False).tolist())
    for k, (e, i) in enumerate(ordered):
        session = "morning" if k in morning_only else None
        requests.append(Request(f"{e}:{i}", e, i, round(float(rng.random()), 4), session))
    calendar = Calendar(settings, parties)
    fixed: dict[str, dt.datetime] = {}
    busy: set[tuple[str, int]] = set()
    candidates = [r for r in requests if r.session is None]
    for index in rng.choice(len(candidates), size=spec.fixed, replace=False).tolist():
        request = candidates[index]
        common = calendar.usable_mask(request.exporter_id) & calendar.usable_mask(
            request.importer_id
        )
        columns = [c for c in range(common.bit_length()) if common >> c & 1]
        column = columns[int(rng.integers(len(columns)))]
        if (request.exporter_id, column) in busy or (request.importer_id, column) in busy:
            continue
        busy.update({(request.exporter_id, column), (request.importer_id, column)})
        fixed[request.request_id] = calendar.slot_start(column)
    return Instance(name, calendar, requests, fixed)


def build(name: str) -> Instance:
    """The instance called ``name`` (one of :data:`INSTANCES`), identical on every run."""
    if name in FORUMS:
        return _forum(name)
    spec = SPECS[name]
    rng = np.random.default_rng(spec.seed)
    settings = CalendarSettings(
        days=spec.days, slot_minutes=30, buffer_minutes=0, min_meetings_per_exporter=1
    )
    parties: list[Party] = []
    n_days = len(spec.days)

    def windows(count: int, window: tuple[int, int]) -> tuple[Window, ...]:
        chosen = sorted(rng.choice(n_days, size=count, replace=False).tolist())
        return tuple(Window(spec.days[k], *window) for k in chosen)

    exporter_ids = [f"exp-{k:05d}" for k in range(spec.exporters)]
    importer_ids = [f"imp-{k:04d}" for k in range(spec.importers)]
    for k, pid in enumerate(exporter_ids):
        zone = PACIFIC_ALLIANCE[k % len(PACIFIC_ALLIANCE)]
        parties.append(Party(pid, zone, windows(spec.exporter_days, spec.exporter_window)))
    for k, pid in enumerate(importer_ids):
        zone = spec.importer_zones[k % len(spec.importer_zones)]
        parties.append(Party(pid, zone, windows(spec.importer_days, spec.importer_window)))
    if spec.zipf is None:
        popularity = None
    else:
        ranks = rng.permutation(spec.importers) + 1
        weights = 1.0 / ranks.astype(float) ** spec.zipf
        popularity = weights / weights.sum()
    requests: list[Request] = []
    for pid in exporter_ids:
        chosen = rng.choice(
            spec.importers, size=spec.requests_per_exporter, replace=False, p=popularity
        )
        scores = rng.random(spec.requests_per_exporter)
        for importer, score in zip(chosen.tolist(), scores.tolist(), strict=True):
            requests.append(
                Request(
                    f"{pid}:{importer_ids[importer]}",
                    pid,
                    importer_ids[importer],
                    round(float(score), 4),
                )
            )
    return Instance(name, Calendar(settings, parties), requests)
