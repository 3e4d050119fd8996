"""Rendering a page: the template, the person's language and session, and the refusals a page
turns into (sign in first, a bad CSRF token, a gateway error)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from .client import Gateway, GatewayError, Tokens
from .i18n import LANGUAGES, NATIVE_NAMES, Translator, negotiate
from .session import CSRF_FIELD, Session

__all__ = [
    "BadFormError",
    "Participant",
    "SignInRequiredError",
    "gateway",
    "participant",
    "posted",
    "redirect",
    "render",
    "translator",
]

TEMPLATES = Path(__file__).parent / "templates"


def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class SignInRequiredError(Exception):
    """The page needs a signed-in participant."""


class BadFormError(Exception):
    """A POST without this session's CSRF token."""


@dataclass(frozen=True)
class Participant:
    """The signed-in participant: its scope and its tokens."""

    roundtable_id: str
    participant_id: str
    tokens: Tokens


def gateway(request: Request) -> Gateway:
    client: Gateway = request.app.state.gateway
    return client


def translator(request: Request) -> Translator:
    session = Session.of(request)
    lang = session.get("lang") or negotiate(request.headers.get("accept-language"))
    cache: dict[str, Translator] = request.app.state.translators
    return cache[lang if lang in LANGUAGES else "en"]


def participant(request: Request) -> Participant:
    session = Session.of(request)
    if not session.signed_in or session.get("role") != "participant":
        raise SignInRequiredError
    return Participant(str(session.get("rt")), str(session.get("pid")), session.tokens)


def keep_tokens(request: Request, who: Participant) -> None:
    Session.of(request).keep(who.tokens)


async def posted(request: Request) -> FormData:
    """The submitted form, after checking its CSRF token against the session's."""
    form = await request.form()
    submitted = form.get(CSRF_FIELD)
    if not Session.of(request).csrf_ok(submitted if isinstance(submitted, str) else None):
        raise BadFormError
    return form


def redirect(url: str) -> Response:
    """After a POST, see the result with a GET (303); htmx follows it too."""
    return RedirectResponse(url, status_code=303)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    t = translator(request)
    session = Session.of(request)
    env: jinja2.Environment = request.app.state.templates
    html = env.get_template(template).render(
        request=request,
        path=request.url.path,
        _=t.gettext,
        ngettext=t.ngettext,
        t=t,
        lang=t.lang,
        languages=[(code, NATIVE_NAMES[code]) for code in LANGUAGES],
        csrf_field=CSRF_FIELD,
        csrf=session.csrf,
        signed_in=session.signed_in and session.get("role") == "participant",
        htmx=request.app.state.htmx_asset,
        errors=context.pop("errors", {}),
        **context,
    )
    return HTMLResponse(html, status_code=status_code)


def error_page(request: Request, exc: GatewayError) -> HTMLResponse:
    t = translator(request)
    titles = {
        403: t.gettext("You may not see this page"),
        404: t.gettext("Page not found"),
        409: t.gettext("This cannot be done now"),
    }
    status = exc.status if exc.status in titles else 503
    title = titles.get(status, t.gettext("Sorry, there is a problem with the service"))
    return render(request, "error.html", status_code=status, title=title, message=exc.message)
