"""Secrets never reach a log: the bot token (also URL-encoded, also inside a traceback) and
the passwords of every URL setting, whichever logger the record starts from."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.config import Settings
from knowledge.ops.logs import configure
from tests.auxil.fake_telegram import TOKEN, FakeTelegram
from tests.conftest import make_settings

REDIS = "redis://:hunter2-redis-pass@127.0.0.1:6390/0"
PG = "postgresql://bob:pg-secret-99@127.0.0.1:5999/careerbot"


@pytest.fixture
def log_text() -> Iterator[io.StringIO]:
    """What an operator's handler on the root logger writes."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    yield stream
    root.removeHandler(handler)


@pytest.fixture
def secret_settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data", telegram_token=TOKEN, redis_url=REDIS)


def test_token_inside_a_rejected_token_traceback_is_redacted(
        secret_settings: Settings, log_text: io.StringIO, tmp_path: Path) -> None:
    import asyncio

    from telegram.error import InvalidToken

    from bot.telegram.app import build_application

    fake = FakeTelegram(token="999:OtherTokenTheServerKnowsAbout_xyz").start()
    try:
        secret_settings.telegram.api_base_url = fake.base_url
        configure(secret_settings)
        app = build_application(secret_settings)
        with pytest.raises(InvalidToken) as caught:
            asyncio.run(app.initialize())
        assert TOKEN in str(caught.value), "PTB puts the token in the message"
        logging.getLogger("telegram.ext.Application").error("the bot stopped", exc_info=caught.value)
    finally:
        fake.stop()
    text = log_text.getvalue()
    assert "the bot stopped" in text and "InvalidToken" in text and "was rejected" in text
    assert TOKEN.split(":")[1] not in text


def test_url_encoded_token_and_url_passwords_are_redacted(
        secret_settings: Settings, log_text: io.StringIO) -> None:
    configure(secret_settings)
    httpx_log = logging.getLogger("httpx")
    httpx_log.warning('HTTP Request: GET http://127.0.0.1/file/bot%s/doc1 "HTTP/1.1 200 OK"',
                      TOKEN.replace(":", "%3A"))
    logging.getLogger("rq.worker").error("Error 111 connecting to %s. Connection refused.", REDIS)
    text = log_text.getvalue()
    assert "HTTP Request" in text and "Connection refused" in text
    assert TOKEN.split(":")[1] not in text
    assert "hunter2-redis-pass" not in text


def test_redact_hides_every_url_password_and_token_shape() -> None:
    from knowledge.ops.logs import redact

    assert redact(f"cannot reach {REDIS}") == "cannot reach redis://:***@127.0.0.1:6390/0"
    assert "pg-secret-99" not in redact(PG) and "bob" in redact(PG)
    # a token that was never configured (another bot's) still has a recognisable shape
    other = "bot5550001:AAHk3jd8sJd93kdLs0dkE83kdjs9_dkf-x"
    assert "AAHk3jd8" not in redact(f"POST /{other}/getMe")
    assert "AAHk3jd8" not in redact(f"POST /{other.replace(':', '%3A')}/getMe")
