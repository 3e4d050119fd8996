"""Times as a participant reads them: in its own zone, with the zone's name and offset."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["local_time", "to_zone"]


def to_zone(when: datetime, timezone: str) -> datetime:
    """`when` in the IANA zone `timezone` (UTC if the zone is unknown)."""
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return when.astimezone(zone)


def local_time(when: datetime, timezone: str) -> str:
    """E.g. `2020-06-23 10:00 (America/Santiago, UTC-04:00)`: language-neutral on purpose."""
    local = to_zone(when, timezone)
    offset = local.strftime("%z")
    sign, hours, minutes = offset[0], offset[1:3], offset[3:5]
    return f"{local:%Y-%m-%d %H:%M} ({timezone}, UTC{sign}{hours}:{minutes})"
