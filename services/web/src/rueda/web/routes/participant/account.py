"""Home, language, sign-in by e-mail link, sign-out."""

from __future__ import annotations

import contextlib
import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...client import GatewayError, Tokens
from ...i18n import LANGUAGES
from ...pages import gateway, posted, redirect, render, translator
from ...session import Session

__all__ = ["router"]

router = APIRouter()
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,253}\.[^@\s]{2,}$")
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
SAFE_NEXT = re.compile(r"^/[A-Za-z0-9/_.\-]*$")


@router.get("/")
async def home(request: Request) -> Response:
    if Session.of(request).signed_in:
        return redirect("/portal")
    return redirect("/sign-in")


@router.post("/language")
async def language(request: Request) -> Response:
    form = await posted(request)
    lang = str(form.get("lang", ""))
    if lang in LANGUAGES:
        Session.of(request).set(lang=lang)
    back = str(form.get("next", "/"))
    return redirect(back if SAFE_NEXT.fullmatch(back) and not back.startswith("//") else "/")


@router.get("/sign-in")
async def sign_in_page(request: Request, rt: str | None = None) -> Response:
    return render(
        request, "participant/sign_in.html", email="", rt=rt if rt and ID.fullmatch(rt) else ""
    )


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    form = await posted(request)
    t = translator(request)
    email = str(form.get("email", "")).strip()
    rt = str(form.get("rt", "")).strip()
    if not EMAIL.fullmatch(email):
        errors = {"email": t.gettext("Enter your e-mail address, like name@example.com")}
        return render(request, "participant/sign_in.html", 422, email=email, rt=rt, errors=errors)
    await gateway(request).sign_in(email, rt if ID.fullmatch(rt) else None)
    return render(request, "participant/sign_in_sent.html", email=email)


@router.get("/auth/callback")
async def callback_page(request: Request, code: str = "") -> Response:
    """The e-mail link lands here; a button POSTs the code, so that a link scanner's GET
    does not spend the single-use code."""
    return render(request, "participant/callback.html", code=code[:512])


@router.post("/auth/callback")
async def callback(request: Request) -> Response:
    form = await posted(request)
    code = str(form.get("code", ""))[:512]
    client = gateway(request)
    try:
        tokens = await client.exchange(code)
    except GatewayError as exc:
        if exc.status >= 500:
            raise
        return render(request, "participant/callback_failed.html", 400)
    held = Tokens(access=tokens["access_token"], refresh=tokens.get("refresh_token"))
    me = await client.me(held)
    session = Session.of(request)
    session.sign_in(access=str(held.access), refresh=held.refresh, me=me)
    if me.get("role") != "participant":
        return render(request, "participant/not_a_participant.html", 403)
    return redirect("/portal")


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    await posted(request)
    session = Session.of(request)
    if session.signed_in:
        # the session ends here whatever the gateway says
        with contextlib.suppress(GatewayError):
            await gateway(request).sign_out(session.tokens)
    session.sign_out()
    return render(request, "participant/signed_out.html")
