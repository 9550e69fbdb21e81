"""Signed session cookies and CSRF tokens for the admin pages (no server-side session store:
the cookie carries the admin token's id, its CSRF token and its expiry, signed with HMAC)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

COOKIE = "careerbot_session"
MAX_AGE = 12 * 3600


def sign(payload: dict[str, Any], key: bytes) -> str:
    body = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")
    mac = hmac.new(key, body.encode(), hashlib.sha256).hexdigest()
    return f"{body}.{mac}"


def unsign(value: str | None, key: bytes) -> dict[str, Any]:
    """The payload of a cookie this server signed and that has not expired; else empty."""
    if not value or "." not in value:
        return {}
    body, _, mac = value.rpartition(".")
    if not hmac.compare_digest(mac, hmac.new(key, body.encode(), hashlib.sha256).hexdigest()):
        return {}
    try:
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return {}
    if not isinstance(payload, dict) or float(payload.get("exp", 0)) < time.time():
        return {}
    return payload


def new_session(**values: Any) -> dict[str, Any]:
    return {"csrf": secrets.token_urlsafe(24), "exp": int(time.time()) + MAX_AGE, **values}


def csrf_ok(session: dict[str, Any], submitted: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and submitted) and hmac.compare_digest(str(expected), str(submitted))
