"""Logging set-up with secrets redacted.

HTTP client libraries log request URLs, and a Telegram URL holds the bot token (httpx logs
file downloads with its ``:`` encoded as ``%3A``); PTB puts the token in ``InvalidToken``'s
message, which reaches a log inside a traceback; a Redis or database URL carries its
password. So redaction works on the formatted record (message, exception and stack text) and
is installed on the HANDLERS: a filter on the root logger never sees records propagated from
child loggers such as ``httpx`` or ``telegram.ext``.

``redact(text)`` is the same rule for anything printed outside logging (CLI error messages).
"""

from __future__ import annotations

import logging
import re
import threading
from urllib.parse import quote, quote_plus, urlsplit

from knowledge.config import Settings

__all__ = ["RedactSecrets", "configure", "install_redaction", "redact", "secrets_of"]

MASK = "***"
# The password of any URL with credentials: scheme://user:password@host
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@]*:)(?P<password>[^\s@/]+)(?=@)")
# A bot token's shape, plain or URL-encoded (another bot's token is a secret too).
_BOT_TOKEN = re.compile(r"(?P<id>\b(?:bot)?\d{5,})(?P<sep>:|%3[Aa])(?P<secret>[A-Za-z0-9_-]{30,})")
_MIN_SECRET = 6


def _forms(secret: str) -> set[str]:
    """A secret as it may appear in text: plain and URL-encoded."""
    return {secret, quote(secret, safe=""), quote_plus(secret, safe=""), quote(secret)}


class _Secrets:
    """The configured secrets (shared by every handler's filter), longest first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.values: list[str] = []

    def add(self, secret: str) -> None:
        with self._lock:
            for form in _forms(secret):
                if len(form) >= _MIN_SECRET and form not in self.values:
                    self.values.append(form)
            self.values.sort(key=len, reverse=True)


_SECRETS = _Secrets()


def redact(text: str) -> str:
    """``text`` with every configured secret, URL password and bot token masked."""
    for secret in list(_SECRETS.values):
        if secret in text:
            text = text.replace(secret, MASK)
    text = _URL_PASSWORD.sub(lambda m: m.group("head") + MASK, text)
    return _BOT_TOKEN.sub(lambda m: f"{m.group('id')}{m.group('sep')}{MASK}", text)


class RedactSecrets(logging.Filter):
    """Masks secrets in a record's message, exception text and stack text (for handlers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set: format the traceback once, redacted.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_FILTER = RedactSecrets()


def _url_password(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def secrets_of(settings: Settings) -> list[str]:
    """The tokens and keys of a configuration, and the password of every URL setting."""
    values = [settings.telegram.token, settings.llm.api_key, settings.store.embedding_api_key]
    found = [v.get_secret_value() for v in values if v is not None]
    urls = (settings.store.database_url, settings.queue.redis_url, settings.store.chroma_url,
            settings.llm.base_url, settings.store.embedding_base_url, settings.telegram.api_base_url)
    found += [p for p in map(_url_password, urls) if p]
    token = settings.telegram.token.get_secret_value() if settings.telegram.token else ""
    if ":" in token:
        found.append(token.split(":", 1)[1])  # the part that matters, wherever it appears
    return found


def configure(settings: Settings) -> None:
    """Root logging at the configured level, every handler redacting the secrets."""
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_redaction(settings)


def install_redaction(settings: Settings) -> None:
    """Add this configuration's secrets to the one redaction filter and put the filter on
    every handler of the root logger (where propagated records are written)."""
    for secret in secrets_of(settings):
        _SECRETS.add(secret)
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
