"""Deterministic scheduling benchmark instances (fixed seeds), modelled on real roundtables.

``base``: the Pacific Alliance with UK importers, June 2020; ``skew``: the same with
Zipf-like importer popularity; ``tight``: fewer days per participant; ``asia``: Asian
importers in September 2020, across Chile's DST change; ``40k``: ``skew`` ten times over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from rueda.scheduling.domain import Calendar, CalendarSettings, Party, Request, Window

__all__ = ["INSTANCES", "Instance", "build"]

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
INSTANCES = tuple(SPECS)


def build(name: str) -> Instance:
    """The instance called ``name`` (one of :data:`INSTANCES`), identical on every run."""
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
