"""Run the real python-telegram-bot Application against the fake Bot API server."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.telegram.app import build_application
from knowledge.config import Settings
from knowledge.store.base import KnowledgeBase
from tests.auxil.fake_telegram import FakeTelegram


@contextlib.asynccontextmanager
async def running_bot(settings: Settings, fake: FakeTelegram, kb: KnowledgeBase | None = None,
                      clock: Callable[[], float] | None = None) -> AsyncIterator[Any]:
    """The bot, polling the fake server, until the block ends."""
    app = build_application(settings, kb, clock=clock) if clock else build_application(settings, kb)
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def until(fake: FakeTelegram, predicate: Callable[[FakeTelegram], bool],
                timeout: float = 30.0) -> None:
    """Wait (without blocking the bot's event loop) until ``predicate(fake)`` holds."""
    deadline = time.monotonic() + timeout
    while not predicate(fake):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out; last requests: {fake.requests[-8:]}")
        await asyncio.sleep(0.02)


@contextlib.asynccontextmanager
async def webhook_worker(settings: Settings, secret: str, port: int | None = None) -> AsyncIterator[str]:
    """One webhook worker with its own knowledge-base handle; yields the URL to POST updates to."""
    import socket

    if port is None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
    app = build_application(settings, KnowledgeBase(settings))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_webhook(listen="127.0.0.1", port=port, url_path="telegram",
                                    webhook_url="https://bot.example.invalid/telegram",
                                    secret_token=secret)
    try:
        yield f"http://127.0.0.1:{port}/telegram"
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


# -- fixtures shared by the tests/bot/test_telegram_*.py files (imported there by name) -------

ADMIN = 9001


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    server = FakeTelegram().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding the sample knowledge base; each test copies its SQL state fresh."""
    from ingest.pipeline import Ingestor
    from tests.conftest import SAMPLES, make_settings

    data = tmp_path_factory.mktemp("botkb") / "data"
    kb = KnowledgeBase(make_settings(data))
    Ingestor(kb).run([SAMPLES / "kb"])
    kb.close()
    return data


@pytest.fixture
def settings(kb_dir: Path, fake: FakeTelegram, tmp_path: Path) -> Settings:
    import shutil

    from tests.auxil.fake_telegram import TOKEN
    from tests.conftest import make_settings

    data = tmp_path / "data"
    shutil.copytree(kb_dir, data)
    return make_settings(data, telegram_token=TOKEN, telegram_api_base_url=fake.base_url,
                         admin_ids=[ADMIN], questions_per_minute=5)


def last_keyboard(fake: FakeTelegram, chat_id: int) -> list[list[dict[str, Any]]]:
    import json

    for params in reversed(fake.sent("sendMessage", chat_id)):
        if params.get("reply_markup"):
            markup = params["reply_markup"]
            markup = json.loads(markup) if isinstance(markup, str) else markup
            return markup["inline_keyboard"]  # type: ignore[no-any-return]
    raise AssertionError("no keyboard sent")
