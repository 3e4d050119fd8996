"""The 2020 Pacific Alliance e-Business Roundtable with UK importers, as API payloads.

Deterministic synthetic profiles: 50 exporters from Chile, Colombia, Mexico and Peru and 24
UK importers in the six priority sectors, and the published outcome (125 meetings held,
US$1.5 million of immediate deals, US$17 million projected for the next 12 months)."""

from __future__ import annotations

import datetime as dt
from typing import Any

AGENCIES = [
    {"code": "PROCHILE", "name": "ProChile", "country": "CL"},
    {"code": "PROCOLOMBIA", "name": "ProColombia", "country": "CO"},
    {"code": "SE-MX", "name": "Secretaría de Economía de México", "country": "MX"},
    {"code": "PROMPERU", "name": "PROMPERU", "country": "PE"},
]
SECTORS = ["fresh fruit", "nuts", "specialty coffee", "cocoa", "honey", "beverages"]
HS = {
    "fresh fruit": "080440",
    "nuts": "080232",
    "specialty coffee": "090121",
    "cocoa": "180690",
    "honey": "040900",
    "beverages": "220421",
}
ZONES = {
    "CL": "America/Santiago",
    "CO": "America/Bogota",
    "MX": "America/Mexico_City",
    "PE": "America/Lima",
    "GB": "Europe/London",
}
LANGS = {"CL": ["es", "en"], "CO": ["es"], "MX": ["es", "en"], "PE": ["es", "en"], "GB": ["en"]}


__all__ = [
    "AGENCIES",
    "DEALS",
    "EXPORTERS",
    "HELD",
    "HS",
    "IMMEDIATE_USD",
    "IMPORTERS",
    "PROJECTED_USD",
    "SECTORS",
    "deal_amounts",
    "exporter",
    "importer",
    "roundtable",
    "working_days",
]

EXPORTERS = 50
IMPORTERS = 24
HELD = 125
DEALS = 30
IMMEDIATE_USD = 1_500_000
PROJECTED_USD = 17_000_000


def deal_amounts(
    count: int = DEALS, immediate: int = IMMEDIATE_USD, projected: int = PROJECTED_USD
) -> list[tuple[int, int]]:
    """(immediate, projected) US dollars per deal: varied, multiples of 5,000 and 10,000
    (so that they convert exactly to pounds at 1.25), summing exactly to the totals."""
    weights = [1 + (i * 7) % 5 for i in range(count)]  # 1..5, deterministic
    total = sum(weights)
    imm = [immediate * w // total // 5000 * 5000 for w in weights]
    proj = [projected * w // total // 10000 * 10000 for w in weights]
    imm[-1] += immediate - sum(imm)
    proj[-1] += projected - sum(proj)
    return list(zip(imm, proj, strict=True))


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def roundtable(roundtable_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Pacific Alliance e-Business Roundtable with UK importers",
        "days": [d.isoformat() for d in working_days(dt.date(2020, 6, 23), dt.date(2020, 7, 2))],
        "slot_minutes": 30,
        "buffer_minutes": 0,
        "default_window": {"start": "09:00", "end": "18:00"},
        "agencies": AGENCIES,
        "exporter_countries": ["CL", "CO", "MX", "PE"],
        "importer_countries": ["GB"],
        "sectors": SECTORS,
        "matching": {
            "mode": "auto",
            "max_meetings_per_participant": 6,
            "min_meetings_per_exporter": 1,
        },
        "usd_rates": {"USD": "1", "GBP": "1.25", "EUR": "1.12", "CLP": "0.00125"},
    }
    if roundtable_id:
        body["roundtable_id"] = roundtable_id
    return body


def exporter(i: int) -> dict[str, Any]:
    country = ["CL", "CO", "MX", "PE"][i % 4]
    sector = SECTORS[i % len(SECTORS)]
    return {
        "role": "exporter",
        "company": {
            "name": f"Exportadora {i:02d}",
            "tax_id": f"{country}-{1000 + i}",
            "website": f"https://exp{i}.example.{country.lower()}",
        },
        "country": country,
        "timezone": ZONES[country],
        "languages": LANGS[country],
        "sectors": [sector],
        "products": [{"hs_code": HS[sector], "description": sector}],
        "certifications": ["organic"] if i % 3 == 0 else [],
        "contact": {"name": f"Contacto {i}", "email": f"ventas@exp{i}.example.com"},
    }


def importer(i: int) -> dict[str, Any]:
    sector = SECTORS[i % len(SECTORS)]
    return {
        "role": "importer",
        "company": {"name": f"UK Importer {i:02d}", "tax_id": f"GB-{5000 + i}"},
        "country": "GB",
        "timezone": ZONES["GB"],
        "languages": ["en"],
        "sectors": [sector],
        "products": [{"hs_code": HS[sector][:4], "description": sector}],
        "contact": {"name": f"Buyer {i}", "email": f"buyer@imp{i}.example.co.uk"},
        "wants": {"sectors": [sector], "countries": ["CL", "CO", "MX", "PE"]},
    }
