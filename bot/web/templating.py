"""Jinja2 templates shipped in the package, rendered with the page language and its texts."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from bot.web import security
from bot.web.i18n import Translator

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.undefined = __import__("jinja2").StrictUndefined
templates.env.globals["urlencode"] = urlencode


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n = n / 1024  # type: ignore[assignment]
    return str(n)


templates.env.filters["size"] = _size


def lang_url(request: Request, language: str) -> str:
    """This page in another language (the query string kept)."""
    params = {k: v for k, v in request.query_params.multi_items() if k != "lang"}
    query = urlencode([*params.items(), ("lang", language)])
    return f"{request.url.path}?{query}"


def render(request: Request, template: str, t: Translator, /, *, status: int = 200,
           session: dict[str, Any] | None = None, **context: Any) -> HTMLResponse:
    """A page in the request's language; sets the CSRF-carrying session cookie when new."""
    session = session if session is not None else getattr(request.state, "session", None) or {}
    fresh = not session.get("csrf")
    if fresh:
        session = security.new_session(**session)
    other = "en" if t.language == "zh" else "zh"
    response = templates.TemplateResponse(request, template, {
        "t": t, "lang": t.language, "other_lang_url": lang_url(request, other),
        "csrf": session["csrf"], "signed_in": bool(session.get("admin")), **context,
    }, status_code=status)
    if fresh:
        set_session(request, response, session)
    if request.query_params.get("lang") in ("en", "zh"):
        response.set_cookie("lang", t.language, max_age=365 * 86400, samesite="lax")
    return response


def set_session(request: Request, response: Any, session: dict[str, Any]) -> None:
    response.set_cookie(security.COOKIE, security.sign(session, request.app.state.session_key),
                        max_age=security.MAX_AGE, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")
