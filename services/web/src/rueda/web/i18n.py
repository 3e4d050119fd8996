"""Languages: gettext catalogues (Babel) for Spanish, English and Portuguese, the browser's
language by default, and Babel's formatting of dates, times, numbers and money in the
viewer's locale and time zone.

The `.po` files are the source; `compile_catalogues()` writes the `.mo` beside each one
when it is missing or older (`rueda web i18n` and the app's start both call it).
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, dates, numbers
from babel.core import get_global
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

__all__ = [
    "CATALOGUES",
    "LANGUAGES",
    "Translator",
    "compile_catalogues",
    "negotiate",
    "zones_of_country",
]

CATALOGUES = Path(__file__).parent / "i18n"
LANGUAGES = ("es", "en", "pt")
DEFAULT = "en"
NATIVE_NAMES = {"es": "Español", "en": "English", "pt": "Português"}


def compile_catalogues(root: Path = CATALOGUES) -> list[Path]:
    """Compile each `<lang>/LC_MESSAGES/messages.po` whose `.mo` is missing or older."""
    written = []
    for po in sorted(root.glob("*/LC_MESSAGES/messages.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalogue = read_po(source, locale=po.parent.parent.name)
        with mo.open("wb") as target:
            write_mo(target, catalogue, use_fuzzy=False)
        written.append(mo)
    return written


def negotiate(accept_language: str | None) -> str:
    """The best of our languages for an `Accept-Language` header (quality-ordered)."""
    wanted: list[tuple[float, str]] = []
    for index, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            wanted.append((-quality + index * 1e-6, tag.strip().lower()))
    for _, tag in sorted(wanted):
        primary = tag.split("-")[0]
        if primary in LANGUAGES:
            return primary
    return DEFAULT


@functools.cache
def _zone_table() -> dict[str, list[str]]:
    """tzdb's zone.tab: per country, its zones with the most populous first (where that
    agrees with geography: America/Santiago, America/Mexico_City, America/New_York)."""
    table: dict[str, list[str]] = {}
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            country, _, zone, *_ = line.split("\t")
            table.setdefault(country, []).append(zone)
    return table


def zones_of_country(country: str) -> list[str]:
    """IANA zones of a country, the one to propose first (tzdb's order, then any zone
    only CLDR lists)."""
    code = country.upper()
    cldr: Mapping[str, list[str]] = get_global("territory_zones")
    ordered = _zone_table().get(code, [])
    return ordered + [z for z in cldr.get(code, []) if z not in ordered]


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@dataclass
class Translator:
    """One language's messages and formats, for one request."""

    lang: str
    translations: gettext.NullTranslations

    @classmethod
    def load(cls, lang: str, root: Path = CATALOGUES) -> Translator:
        lang = lang if lang in LANGUAGES else DEFAULT
        translations = gettext.translation("messages", root, languages=[lang], fallback=True)
        return cls(lang, translations)

    @property
    def locale(self) -> Locale:
        return Locale.parse(self.lang)

    def gettext(self, message: str, **values: Any) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: Any) -> str:
        text = self.translations.ngettext(singular, plural, n)
        return text % {"num": n, **values}

    # formats: every moment is shown in a named zone
    def date(self, moment: dt.datetime | dt.date, zone: str | None = None) -> str:
        if isinstance(moment, dt.datetime):
            moment = moment.astimezone(_zone(zone)).date()
        return dates.format_date(moment, format="full", locale=self.locale)

    def time(self, moment: dt.datetime, zone: str | None) -> str:
        return dates.format_time(moment, format="short", tzinfo=_zone(zone), locale=self.locale)

    def datetime(self, moment: dt.datetime, zone: str | None) -> str:
        return dates.format_datetime(
            moment, format="medium", tzinfo=_zone(zone), locale=self.locale
        )

    def zone_name(self, zone: str | None) -> str:
        return dates.get_timezone_location(_zone(zone), locale=self.locale, return_city=True)

    def until(self, delta: dt.timedelta) -> str:
        return dates.format_timedelta(
            delta, granularity="minute", threshold=1.1, add_direction=True, locale=self.locale
        )

    def number(self, value: float | Decimal) -> str:
        return numbers.format_decimal(value, locale=self.locale)

    def percent(self, value: float) -> str:
        return numbers.format_percent(value, locale=self.locale)

    def money(self, value: Decimal | str | float, currency: str) -> str:
        return numbers.format_currency(Decimal(str(value)), currency, locale=self.locale)

    def country(self, code: str) -> str:
        return str(self.locale.territories.get(code.upper(), code))

    def language_name(self, code: str) -> str:
        return str(self.locale.languages.get(code, code))

    def parse_dt(self, value: str | None) -> dt.datetime | None:
        if not value:
            return None
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
