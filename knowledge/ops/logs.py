"""Logging set-up with secrets redacted: HTTP client libraries log request URLs, and a
Telegram URL contains the bot token, so every record passes through a filter that replaces
each configured secret with ``***`` before any handler writes it."""

from __future__ import annotations

import logging

from knowledge.config import Settings


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 6]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        redacted = message
        for secret in self.secrets:
            redacted = redacted.replace(secret, "***")
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def secrets_of(settings: Settings) -> list[str]:
    values = [settings.telegram_token, settings.openai_api_key, settings.embedding_api_key]
    return [v.get_secret_value() for v in values if v is not None]


def configure(settings: Settings) -> None:
    """Root logging at the configured level, every handler redacting the secrets."""
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    install_redaction(settings)


_FILTER = RedactSecrets([])


def install_redaction(settings: Settings) -> None:
    """Add this configuration's secrets to the one redaction filter and make sure every root
    handler (and the root logger itself) carries it."""
    for secret in secrets_of(settings):
        if len(secret) >= 6 and secret not in _FILTER.secrets:
            _FILTER.secrets.append(secret)
    root = logging.getLogger()
    for handler in root.handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
    if _FILTER not in root.filters:
        root.addFilter(_FILTER)
