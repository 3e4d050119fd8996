"""Availability as bitsets of UTC slots.

The roundtable's days are local dates, and each participant's windows are in its own time
zone, so one roundtable spans more than its days in UTC. The slot grid starts at UTC
midnight the day before the first day and ends at UTC midnight two days after the last
(every offset on Earth is within +-14 h), in steps of `slot_minutes`. A slot belongs to a
participant when it lies wholly inside one of its windows converted to UTC with zoneinfo
(so daylight-saving changes inside the roundtable are honoured). Matching only asks
whether two participants share any slot; placing meetings is scheduling's job.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt

from .model import Calendar, Participant, Window

__all__ = [
    "SlotGrid",
    "any_common_slot",
    "clear_slot_cache",
    "grid_of",
    "slot_mask",
    "slot_masks",
]

_WORD_BITS = 64
_WORD = (1 << _WORD_BITS) - 1


class SlotGrid:
    """The UTC slot grid of a roundtable calendar."""

    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        first, last = min(calendar.days), max(calendar.days)
        self.origin = dt.datetime.combine(first - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        end = dt.datetime.combine(last + dt.timedelta(days=2), dt.time(), tzinfo=dt.UTC)
        self.slot_seconds = calendar.slot_minutes * 60
        self.slots = int((end - self.origin).total_seconds()) // self.slot_seconds
        self.words = -(-self.slots // _WORD_BITS)

    def slot_start(self, index: int) -> dt.datetime:
        """The UTC start of slot `index`."""
        return self.origin + dt.timedelta(seconds=index * self.slot_seconds)


@lru_cache(maxsize=256)
def grid_of(calendar: Calendar) -> SlotGrid:
    """The (shared, memoised) slot grid of a calendar."""
    return SlotGrid(calendar)


def _local_time(text: str) -> tuple[int, int]:
    hours, minutes = text.split(":")
    return int(hours), int(minutes)


def _window_utc(window: Window, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    start_h, start_m = _local_time(window.start)
    end_h, end_m = _local_time(window.end)
    start = dt.datetime.combine(window.date, dt.time(start_h, start_m), tzinfo=zone)
    if (end_h, end_m) == (24, 0):
        end = dt.datetime.combine(window.date + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    else:
        end = dt.datetime.combine(window.date, dt.time(end_h, end_m), tzinfo=zone)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


@lru_cache(maxsize=65_536)
def _window_bits(calendar: Calendar, timezone: str, window: Window) -> int:
    grid = grid_of(calendar)
    start, end = _window_utc(window, ZoneInfo(timezone))
    if end <= start:
        return 0
    first = -(-int((start - grid.origin).total_seconds()) // grid.slot_seconds)
    stop = int((end - grid.origin).total_seconds()) // grid.slot_seconds
    first, stop = max(first, 0), min(stop, grid.slots)
    return ((1 << (stop - first)) - 1) << first if stop > first else 0


@lru_cache(maxsize=65_536)
def _mask(calendar: Calendar, timezone: str, windows: tuple[Window, ...]) -> int:
    ZoneInfo(timezone)  # fail early on an unknown zone, even without windows on our days
    days = set(calendar.days)
    if not windows:
        windows = tuple(
            Window(day, calendar.default_start, calendar.default_end) for day in calendar.days
        )
    mask = 0
    for window in windows:
        if window.date in days:
            mask |= _window_bits(calendar, timezone, window)
    return mask


def clear_slot_cache() -> None:
    """Forget memoised slot bitsets."""
    _mask.cache_clear()
    _window_bits.cache_clear()


def slot_mask(participant: Participant, calendar: Calendar) -> int:
    """The participant's UTC slots as a Python int bitset (bit i = slot i of `SlotGrid`).

    Raises `zoneinfo.ZoneInfoNotFoundError` for an unknown time zone.
    """
    return _mask(calendar, participant.timezone, participant.availability)


def slot_masks(participants: list[Participant], calendar: Calendar) -> npt.NDArray[np.uint64]:
    """Every participant's slot bitset as rows of 64-bit words, shape (n, words)."""
    grid = grid_of(calendar)
    out = np.zeros((len(participants), grid.words), dtype=np.uint64)
    by_mask: dict[int, npt.NDArray[np.uint64]] = {}
    for row, participant in enumerate(participants):
        mask = slot_mask(participant, calendar)
        words = by_mask.get(mask)
        if words is None:
            words = np.array(
                [(mask >> (_WORD_BITS * w)) & _WORD for w in range(grid.words)], dtype=np.uint64
            )
            by_mask[mask] = words
        out[row] = words
    return out


def any_common_slot(
    left: npt.NDArray[np.uint64], right: npt.NDArray[np.uint64], *, chunk: int = 256
) -> npt.NDArray[np.bool_]:
    """For bitset rows `left` (n, w) and `right` (m, w): whether each pair shares a slot.

    Participants mostly share a handful of availability patterns (time zone x default
    window), so the AND runs on the distinct patterns only and is then broadcast back.
    """
    left_unique, left_inverse = np.unique(left, axis=0, return_inverse=True)
    right_unique, right_inverse = np.unique(right, axis=0, return_inverse=True)
    overlap = np.zeros((len(left_unique), len(right_unique)), dtype=np.bool_)
    for start in range(0, len(left_unique), chunk):
        block = left_unique[start : start + chunk, None, :] & right_unique[None, :, :]
        overlap[start : start + chunk] = block.any(axis=2)
    result: npt.NDArray[np.bool_] = overlap[
        left_inverse.reshape(-1)[:, None], right_inverse.reshape(-1)[None, :]
    ]
    return result
