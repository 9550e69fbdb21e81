"""What routes are handed: settings, the knowledge base, the assistant, the page language and
its texts, the session, and the checks (admin session, CSRF, API token, rate limit)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Form, Header, HTTPException, Request

from bot.web import security
from bot.web.i18n import Translator, negotiate
from knowledge.answering.assistant import Assistant
from knowledge.config import Settings
from knowledge.ops import tokens
from knowledge.store.base import KnowledgeBase


@dataclass(frozen=True)
class WebOptions:
    """Knobs of the web process that are not careerbot settings (set by ``careerbot web``)."""

    anonymous_per_minute: int = 30
    # Pages that search or extract (ask, match, gap, drift, path, internships), per address.
    pages_per_minute: int = 60


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_kb(request: Request) -> KnowledgeBase:
    kb: KnowledgeBase = request.app.state.kb
    return kb


def get_assistant(request: Request) -> Assistant:
    assistant: Assistant = request.app.state.assistant
    return assistant


def get_language(request: Request) -> str:
    return negotiate(request.query_params.get("lang"), request.cookies.get("lang"),
                     request.headers.get("accept-language"))


def get_translator(language: Annotated[str, Depends(get_language)]) -> Translator:
    return Translator(language)


def get_session(request: Request) -> dict[str, Any]:
    cached = getattr(request.state, "session", None)
    if cached is None:
        cached = security.unsign(request.cookies.get(security.COOKIE), request.app.state.session_key)
        request.state.session = cached
    return dict(cached)


Kb = Annotated[KnowledgeBase, Depends(get_kb)]
Lang = Annotated[str, Depends(get_language)]
T = Annotated[Translator, Depends(get_translator)]
Session = Annotated[dict[str, Any], Depends(get_session)]


class LoginRequired(Exception):
    """No admin session: the app's handler redirects to the login page."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def require_admin(request: Request, kb: Kb, session: Session) -> tokens.TokenInfo:
    """The admin token behind the session; a revoked token ends the session at once."""
    token_id = session.get("admin")
    info = tokens.token_active(kb, int(token_id)) if isinstance(token_id, int) else None
    if info is None or info.scope != "admin":
        raise LoginRequired(str(request.url.path))
    return info


Admin = Annotated[tokens.TokenInfo, Depends(require_admin)]


def check_csrf(session: Session, csrf: Annotated[str, Form()] = "") -> None:
    """State-changing forms carry the session's CSRF token."""
    if not security.csrf_ok(session, csrf):
        raise HTTPException(status_code=403, detail="csrf")


Csrf = Depends(check_csrf)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def api_client(request: Request, kb: Kb,
               authorization: Annotated[str | None, Header()] = None) -> tokens.TokenInfo | None:
    """The API caller's token (None when anonymous), charged one request against its rate."""
    info: tokens.TokenInfo | None = None
    if authorization:
        scheme, _, secret = authorization.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise HTTPException(401, "use Authorization: Bearer <token>",
                                headers={"WWW-Authenticate": "Bearer"})
        info = tokens.verify_token(kb, secret.strip())
        if info is None:
            raise HTTPException(401, "unknown or revoked token", headers={"WWW-Authenticate": "Bearer"})
        key, rate = f"token:{info.id}", info.per_minute
    else:
        options: WebOptions = request.app.state.options
        key, rate = f"ip:{client_address(request)}", options.anonymous_per_minute
    wait = tokens.allow(kb, key, rate)
    if wait:
        raise HTTPException(429, f"rate limit: {rate} requests a minute",
                            headers={"Retry-After": str(math.ceil(wait))})
    return info


ApiClient = Annotated[tokens.TokenInfo | None, Depends(api_client)]


def page_rate(request: Request, kb: Kb) -> None:
    """Charge one request of a costly page against its address's rate (a 429 page when spent)."""
    options: WebOptions = request.app.state.options
    wait = tokens.allow(kb, f"page:{client_address(request)}", options.pages_per_minute)
    if wait:
        raise HTTPException(429, f"rate limit: {options.pages_per_minute} pages a minute",
                            headers={"Retry-After": str(math.ceil(wait))})


PageRate = Depends(page_rate)


def api_admin(client: ApiClient) -> tokens.TokenInfo:
    if client is None:
        raise HTTPException(401, "this endpoint needs an admin token", headers={"WWW-Authenticate": "Bearer"})
    if client.scope != "admin":
        raise HTTPException(403, "this endpoint needs a token with the admin scope")
    return client


ApiAdmin = Annotated[tokens.TokenInfo, Depends(api_admin)]
