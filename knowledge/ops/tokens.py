"""Web API tokens, stored hashed, and the per-client rate limit every web worker shares.

A token is shown once, when it is made (``careerbot tokens create``); only its SHA-256 is
kept. The rate limit is a generic cell-rate limiter whose state is one SQL row per client, so
the check and the charge are a single UPDATE and several workers cannot all let a burst pass.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select, update
from sqlalchemy.exc import IntegrityError

from knowledge.errors import UserFacingError
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import ApiToken, StoreMeta, WebRateLimit, utcnow

__all__ = ["SCOPES", "TokenInfo", "create_token", "list_tokens", "revoke_token", "verify_token",
           "allow", "session_secret", "token_active"]

SCOPES = ("api", "admin")
PREFIX = "cbt_"


@dataclass(frozen=True)
class TokenInfo:
    """What may be shown about a token (never the token itself)."""

    id: int
    name: str
    scope: str
    per_minute: int
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _info(row: ApiToken) -> TokenInfo:
    return TokenInfo(row.id, row.name, row.scope, row.per_minute, row.created_at,
                     row.last_used_at, row.revoked_at is not None)


def create_token(kb: KnowledgeBase, name: str, *, scope: str = "api",
                 per_minute: int = 60) -> tuple[TokenInfo, str]:
    """A new token: its description and the secret, which is not stored and cannot be shown again."""
    if scope not in SCOPES:
        raise UserFacingError(f"unknown scope {scope!r}; valid scopes: {', '.join(SCOPES)}")
    if not name.strip():
        raise UserFacingError("a token needs a name (who or what uses it)")
    if per_minute < 1:
        raise UserFacingError("--per-minute must be at least 1")
    secret = PREFIX + secrets.token_urlsafe(32)
    with kb.db.session() as s:
        row = ApiToken(name=name.strip()[:120], token_hash=_hash(secret), scope=scope,
                       per_minute=per_minute)
        s.add(row)
        s.flush()
        return _info(row), secret


def list_tokens(kb: KnowledgeBase) -> list[TokenInfo]:
    with kb.db.session() as s:
        return [_info(r) for r in s.scalars(select(ApiToken).order_by(ApiToken.id))]


def revoke_token(kb: KnowledgeBase, ident: str) -> TokenInfo:
    """Revoke a token by id or name; the row stays, so the log of who had access does too."""
    with kb.db.session() as s:
        query = select(ApiToken).where(ApiToken.revoked_at.is_(None))
        rows = list(s.scalars(query.where(ApiToken.id == int(ident)) if ident.isdigit()
                              else query.where(ApiToken.name == ident)))
        if not rows:
            raise UserFacingError(f"no active token with id or name {ident!r}")
        if len(rows) > 1:
            raise UserFacingError(f"{len(rows)} active tokens are named {ident!r}; revoke by id")
        rows[0].revoked_at = utcnow()
        return _info(rows[0])


def verify_token(kb: KnowledgeBase, token: str, *, touch: bool = True) -> TokenInfo | None:
    """The active token this secret belongs to, or None."""
    if not token.startswith(PREFIX):
        return None
    with kb.db.session() as s:
        row = s.scalars(select(ApiToken).where(ApiToken.token_hash == _hash(token),
                                               ApiToken.revoked_at.is_(None))).first()
        if row is None:
            return None
        if touch:
            row.last_used_at = utcnow()
        return _info(row)


def token_active(kb: KnowledgeBase, token_id: int) -> TokenInfo | None:
    """The token with this id while it is not revoked (a session outlives no revocation)."""
    with kb.db.session() as s:
        row = s.get(ApiToken, token_id)
        return _info(row) if row is not None and row.revoked_at is None else None


def allow(kb: KnowledgeBase, key: str, per_minute: int, *, burst: int | None = None,
          now: float | None = None) -> float:
    """Charge one request to ``key``; 0 when allowed, else the seconds to wait."""
    now = time.time() if now is None else now
    interval = 60.0 / per_minute
    window = interval * ((burst or per_minute) - 1)
    due = case((WebRateLimit.next_at > now, WebRateLimit.next_at), else_=now)
    with kb.db.session() as s:
        for _ in range(2):
            result = s.execute(update(WebRateLimit)
                               .where(WebRateLimit.key == key, due - now <= window)
                               .values(next_at=due + interval))
            if getattr(result, "rowcount", 0):
                return 0.0
            current = s.get(WebRateLimit, key)
            if current is None:
                s.add(WebRateLimit(key=key, next_at=0.0))
                s.flush()
                continue
            return max(0.01, current.next_at - now - window)
    return 0.0


def session_secret(kb: KnowledgeBase) -> bytes:
    """The key that signs web sessions: made once and kept in the store, so every worker (and
    every machine on one database) accepts the others' cookies."""
    for _ in range(2):
        try:
            with kb.db.session() as s:
                row = s.get(StoreMeta, "web_session_secret")
                if row is None:
                    row = StoreMeta(key="web_session_secret", value=secrets.token_hex(32))
                    s.add(row)
                return row.value.encode("ascii")
        except IntegrityError:
            continue  # another worker made it at the same moment: read theirs
    raise UserFacingError("could not create the web session key")
