"""Small pieces of the bot checked without a server: the edit throttle by an injected clock,
the webhook secret rule, which failed sends may be repeated, and who may upload what."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from telegram.error import NetworkError, TimedOut

from bot.telegram.app import webhook_secret
from bot.telegram.handlers.common import never_sent
from bot.telegram.handlers.streaming import Throttle
from knowledge.conversation.access import upload_right
from knowledge.conversation.state import clean_text
from knowledge.errors import ConfigError
from knowledge.schema import DocType
from tests.conftest import make_settings


def test_throttle_lets_an_edit_through_at_most_once_a_second() -> None:
    now = [0.0]
    throttle = Throttle(lambda: now[0])
    fired = []
    for step in range(40):
        now[0] = step * 0.3
        if throttle.ready():
            fired.append(now[0])
    assert fired[0] == 0.0, "the first piece shows at once"
    assert all(b - a >= 1.0 for a, b in zip(fired, fired[1:], strict=False))
    assert len(fired) == 10


def test_webhook_secret_is_generated_or_must_be_strong() -> None:
    generated = webhook_secret(None)
    assert len(generated) >= 32 and generated != webhook_secret(None)
    assert webhook_secret("A" * 10 + "_-b0123456789") == "A" * 10 + "_-b0123456789"
    for weak in ("abc", "deploy-secret", "has spaces in it and is long", "ü" * 20):
        with pytest.raises(ConfigError, match="secret"):
            webhook_secret(weak)


def _wrapped(kind: type[Exception], cause: Exception) -> Exception:
    try:
        raise kind("boom") from cause
    except Exception as exc:
        return exc


def test_only_sends_that_never_left_are_repeated() -> None:
    request = httpx.Request("POST", "http://127.0.0.1/")
    assert never_sent(_wrapped(NetworkError, httpx.ConnectError("refused", request=request)))
    assert never_sent(_wrapped(TimedOut, httpx.ConnectTimeout("slow", request=request)))
    assert not never_sent(_wrapped(NetworkError, httpx.RemoteProtocolError("gone", request=request)))
    assert not never_sent(_wrapped(TimedOut, httpx.ReadTimeout("slow", request=request)))


def test_uploads_need_admin_or_the_enterprise_allow_list(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, admin_ids=[1], enterprise_upload_ids=[2])
    assert upload_right(settings, 2) is None, "the allow-list counts only when uploads are on"
    settings.telegram.enterprise_uploads = True
    admin, enterprise = upload_right(settings, 1), upload_right(settings, 2)
    assert upload_right(settings, 3) is None
    assert admin is not None and admin.doc_type("training_plan") == DocType.TRAINING_PLAN
    assert enterprise is not None and enterprise.doc_type("internship") == DocType.INTERNSHIP
    assert enterprise.doc_type("training_plan") == DocType.ENTERPRISE_REQUIREMENT
    assert enterprise.doc_type(None) == DocType.ENTERPRISE_REQUIREMENT


def test_control_characters_and_direction_overrides_are_cleaned() -> None:
    assert clean_text("a\u202eb\x1b[0mc\u2067d\x00e\nf\tg") == "ab[0mcde\nf\tg"
