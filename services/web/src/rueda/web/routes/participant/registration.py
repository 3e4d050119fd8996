"""A roundtable's public registration page (when self-registration is open) and the page
that follows the registration command until it is accepted or refused."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from ...client import GatewayError
from ...i18n import Translator, zones_of_country
from ...pages import gateway, posted, redirect, render, translator

__all__ = ["router"]

router = APIRouter()
ID = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"
COMMAND = re.compile(r"^[0-9a-fA-F-]{32,36}$")
SERVICES = {"registration"}
LANGUAGE_CHOICES = ("es", "en", "pt", "fr", "de", "it", "zh", "ja", "ko", "ar")
PRODUCT_ROWS = 3


def _labels(t: Translator) -> dict[str, str]:
    """Field -> its label, for the error summary."""
    return {
        "role": t.gettext("Exporter or importer"),
        "company.name": t.gettext("Company name"),
        "company.tax_id": t.gettext("Tax identification number"),
        "company.website": t.gettext("Website"),
        "country": t.gettext("Country"),
        "timezone": t.gettext("Time zone"),
        "languages": t.gettext("Languages you can meet in"),
        "sectors": t.gettext("Sectors"),
        "products": t.gettext("Products"),
        "certifications": t.gettext("Certifications"),
        "contact.name": t.gettext("Contact name"),
        "contact.email": t.gettext("Contact e-mail"),
        "contact.phone": t.gettext("Contact phone"),
        "availability": t.gettext("Availability"),
    }


def _friendly(t: Translator, message: str) -> str:
    """Pydantic's messages, said for a person."""
    if "at least 1 character" in message or message == "Field required":
        return t.gettext("This field is required")
    if "should match pattern" in message:
        return t.gettext("This is not in the expected format")
    if "at least 1 item" in message:
        return t.gettext("Choose at least one")
    if message.startswith("Input should be"):
        return t.gettext("Choose one of the options")
    if "should have at least" in message:
        return t.gettext("This is too short")
    return message


def _zones(roundtable: dict[str, Any]) -> list[tuple[str, list[str]]]:
    countries = sorted(
        set(roundtable.get("exporter_countries", []))
        | set(roundtable.get("importer_countries", []))
    )
    return [(c, zones_of_country(c)) for c in countries]


def _body(form: FormData, days: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The API body from the form, and where each body path is in the form."""
    where: dict[str, str] = {}

    def value(name: str) -> str:
        return str(form.get(name, "")).strip()

    country = value("country").upper()
    zone = value("timezone") or next(iter(zones_of_country(country)), "")
    products: list[dict[str, str]] = []
    for row in range(PRODUCT_ROWS):
        code = value(f"products.{row}.hs_code").replace(".", "").replace(" ", "")
        if code:
            where[f"products.{len(products)}"] = f"products.{row}.hs_code"
            where[f"products.{len(products)}.hs_code"] = f"products.{row}.hs_code"
            where[f"products.{len(products)}.description"] = f"products.{row}.description"
            products.append({"hs_code": code, "description": value(f"products.{row}.description")})
    availability: list[dict[str, str]] = []
    for index, day in enumerate(days):
        start, end = value(f"availability.{index}.start"), value(f"availability.{index}.end")
        if start or end:
            for part in ("", ".start", ".end", ".date"):
                where[f"availability.{len(availability)}{part}"] = (
                    f"availability.{index}{part or '.start'}"
                )
            availability.append({"date": day, "start": start, "end": end})
    body: dict[str, Any] = {
        "role": value("role"),
        "company": {
            "name": value("company.name"),
            "tax_id": value("company.tax_id"),
            "website": value("company.website") or None,
        },
        "country": country,
        "timezone": zone,
        "languages": [str(v) for v in form.getlist("languages")],
        "sectors": [str(v) for v in form.getlist("sectors")],
        "products": products,
        "certifications": [c.strip() for c in value("certifications").split(",") if c.strip()],
        "contact": {
            "name": value("contact.name"),
            "email": value("contact.email"),
            "phone": value("contact.phone") or None,
        },
        "availability": availability,
    }
    return body, where


def _form_errors(t: Translator, exc: GatewayError, where: dict[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for path, message in exc.field_errors().items():
        field = where.get(path, path)
        top = field.split(".")[0]
        if field not in _labels(t) and top in (
            "role",
            "country",
            "timezone",
            "languages",
            "sectors",
        ):
            field = top
        found.setdefault(field, _friendly(t, message))
    if not found:
        found["form"] = exc.message
    return found


def _page(
    request: Request,
    roundtable: dict[str, Any],
    rt: str,
    values: FormData | None,
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    t = translator(request)
    return render(
        request,
        "participant/register.html",
        status_code,
        rt=rt,
        roundtable=roundtable,
        zones=_zones(roundtable),
        days=roundtable.get("days", []),
        language_options=[(c, t.language_name(c)) for c in LANGUAGE_CHOICES],
        sector_options=[(s, s) for s in roundtable.get("sectors", [])],
        day_dates=[dt.date.fromisoformat(d) for d in roundtable.get("days", [])],
        product_rows=PRODUCT_ROWS,
        v=values or {},
        chosen=lambda name: set((values or FormData()).getlist(name)),
        labels=_labels(t),
        errors=errors,
    )


@router.get("/r/{rt}/register")
async def register_page(request: Request, rt: str) -> Response:
    if not re.fullmatch(ID, rt):
        raise GatewayError(404, "not_found", "no such roundtable")
    roundtable = await gateway(request).roundtable(rt)
    if not roundtable.get("self_registration") or not roundtable.get("registration_open"):
        return render(request, "participant/registration_closed.html", roundtable=roundtable)
    return _page(request, roundtable, rt, None, {})


@router.get("/r/{rt}/register/zones")
async def zones_partial(request: Request, rt: str, country: str = "") -> Response:
    """htmx: the time-zone field again, with the chosen country's zones proposed first."""
    if not re.fullmatch(ID, rt):
        raise GatewayError(404, "not_found", "no such roundtable")
    roundtable = await gateway(request).roundtable(rt)
    country = country.upper() if re.fullmatch(r"[A-Za-z]{2}", country) else ""
    zones = _zones(roundtable)
    proposed = zones_of_country(country)[:1] if country else []
    return render(
        request,
        "participant/_timezone.html",
        zones=zones,
        selected=proposed[0] if proposed else "",
        errors={},
    )


@router.post("/r/{rt}/register")
async def register(request: Request, rt: str) -> Response:
    form = await posted(request)
    if not re.fullmatch(ID, rt):
        raise GatewayError(404, "not_found", "no such roundtable")
    client = gateway(request)
    roundtable = await client.roundtable(rt)
    t = translator(request)
    body, where = _body(form, list(roundtable.get("days", [])))
    try:
        accepted = await client.register(rt, body)
    except GatewayError as exc:
        if exc.status not in (409, 422):
            raise
        return _page(request, roundtable, rt, form, _form_errors(t, exc, where), 422)
    command = str(accepted.get("status_url", "")).rstrip("/").split("/")
    return redirect(f"/r/{rt}/register/{command[-2]}/{command[-1]}")


@router.get("/r/{rt}/register/{service}/{command_id}")
async def registered(request: Request, rt: str, service: str, command_id: str) -> Response:
    if service not in SERVICES or not COMMAND.fullmatch(command_id) or not re.fullmatch(ID, rt):
        raise GatewayError(404, "not_found", "no such registration")
    status = await gateway(request).command_status(service, command_id)
    return render(
        request,
        "participant/registered.html",
        rt=rt,
        status=status.get("status", "pending"),
        reason=status.get("reason") or "",
        code=status.get("code") or "",
        here=request.url.path,
    )
