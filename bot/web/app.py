"""The FastAPI application: pages, the JSON API under ``/api``, static files, and the error
handlers that turn user-facing errors into a page or a JSON error and redirect to the login."""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.web.deps import LoginRequired, WebOptions, get_language, get_session
from bot.web.i18n import Translator
from bot.web.templating import HERE, render
from knowledge.config import Settings
from knowledge.errors import UserFacingError
from knowledge.store.base import KnowledgeBase

log = logging.getLogger(__name__)
OPTIONS_ENV = "CAREERBOT_WEB_OPTIONS"  # how ``careerbot web`` hands its options to each worker

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
                               "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
# /docs is FastAPI's Swagger UI, which loads its script from a CDN; it keeps its own policy.
UNGUARDED = ("/docs", "/redoc")


def create_app(settings: Settings, *, kb: KnowledgeBase | None = None,
               options: WebOptions | None = None) -> FastAPI:
    """The web console over ``settings``' stores (or the knowledge base given, for tests)."""
    from bot.web import skills_adapter
    from bot.web.routes import admin, api, pages, path, skills

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from knowledge.answering.assistant import Assistant
        from knowledge.ops.tokens import session_secret
        from knowledge.retrieval import majors

        own = kb is None
        base = kb if kb is not None else KnowledgeBase(settings)
        app.state.kb = base
        app.state.assistant = Assistant(base)
        app.state.session_key = session_secret(base)
        # Warm the browse cache and the skills indexes before the first visitor.
        planned = next((m.code for m in majors.all_majors(base) if m.has_plan and m.code), None)
        skills_adapter.warm_up(base, planned)
        try:
            yield
        finally:
            if own:
                base.close()

    app = FastAPI(title="careerbot", summary="Training plans, courses and job requirements: "
                  "answers with citations, skill profiles, job matching, gap reports.",
                  version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.options = options or WebOptions()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/fonts/cjk.otf", include_in_schema=False)
    def cjk_font() -> Response:
        """The CJK web font, served from its PyPI package (SIL OFL); cached for a year."""
        from bot.render.webcharts import font_path

        path = font_path()
        if path is None:
            raise HTTPException(404)
        return FileResponse(path, media_type="font/otf",
                            headers={"Cache-Control": "public, max-age=31536000, immutable"})

    for router in (pages.router, skills.router, path.router, admin.router, api.router):
        app.include_router(router)

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        if not request.url.path.startswith(UNGUARDED):
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
        return response

    def _page_error(request: Request, status: int, message: str,
                    headers: Mapping[str, str] | None = None) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=status, headers=headers)
        get_session(request)
        t = Translator(get_language(request))
        response = render(request, "error.html", t, status=status, message=message)
        response.headers.update(headers or {})
        return response

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(exc.next_url)}", status_code=303)

    @app.exception_handler(skills_adapter.UnknownMajor)
    async def unknown_major(request: Request, exc: skills_adapter.UnknownMajor) -> Response:
        return _page_error(request, 404, str(exc))

    @app.exception_handler(UserFacingError)
    async def user_error(request: Request, exc: UserFacingError) -> Response:
        return _page_error(request, 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/") or exc.status_code in (401, 405):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        t = Translator(get_language(request))
        message = t("csrf") if exc.detail == "csrf" else str(exc.detail)
        return _page_error(request, exc.status_code, message, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        # FastAPI's default echoes the whole input back under "detail"; say what is wrong, in
        # the API's own {"error"} shape, without repeating what was sent.
        problems = "; ".join(
            f"{'.'.join(_field_name(p) for p in error.get('loc', ())[1:]) or 'request'}: {error.get('msg', 'invalid')}"
            for error in exc.errors()[:5])
        return _page_error(request, 422, problems[:500])

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s", request.url.path, exc_info=exc)
        response = _page_error(request, 500, "Sorry, something went wrong on our side. / 抱歉，服务器出错了。")
        # Starlette answers an unhandled error from its outermost middleware, outside the
        # `headers` middleware above, so the error page sets the security headers itself.
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app


def _field_name(part: object) -> str:
    """A step of a validation error's location: a field name or an index, but a key the client
    chose ("requirements.<script>…") only as "[key]", so the error does not repeat the input."""
    text = str(part)
    return text if isinstance(part, int) or re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,40}", text) else "[key]"


def app_from_environment() -> FastAPI:
    """Factory for uvicorn workers: each worker process builds its settings once, here."""
    from knowledge.ops.logs import configure

    settings = Settings()
    configure(settings)
    raw = os.environ.get(OPTIONS_ENV)
    options = WebOptions(**json.loads(raw)) if raw else WebOptions()
    return create_app(settings, options=options)
