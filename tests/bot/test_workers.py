"""Two webhook workers behind one URL, sharing PostgreSQL and the Chroma server: a chat's
consecutive updates may reach either worker, and a redelivered update is answered once."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from ingest.pipeline import Ingestor
from knowledge.store.base import KnowledgeBase
from tests.auxil.botrun import until, webhook_worker
from tests.auxil.fake_telegram import TOKEN, FakeTelegram
from tests.conftest import SAMPLES, make_settings

pytestmark = pytest.mark.asyncio
SECRET = "worker-secret-0123456789abcdef"


def message(update_id: int, chat: int, text: str) -> dict[str, Any]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "chat": {"id": chat, "type": "private"},
        "from": FakeTelegram.user(chat), "text": text}}


async def test_two_workers_share_conversations_and_answer_each_update_once(
        tmp_path: Path, postgres_url: str, chroma_url: str,
        unused_tcp_port_factory: Any) -> None:
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    fake = FakeTelegram().start()
    settings = make_settings(tmp_path / "data", database_url=postgres_url, chroma_url=chroma_url,
                             collection=f"workers{unused_tcp_port_factory()}",
                             telegram_token=TOKEN, telegram_api_base_url=fake.base_url)
    Ingestor(KnowledgeBase(settings)).run([SAMPLES / "kb"])
    try:
        async with webhook_worker(settings, SECRET) as a, webhook_worker(settings, SECRET) as b:
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            async with httpx.AsyncClient(timeout=30) as client:
                first = message(1001, 31, "Tell me about the Big Data Technology major")
                assert (await client.post(a, json=first, headers=headers)).status_code == 200
                await until(fake, lambda f: f.texts(31))
                follow = message(1002, 31, "and which internships does it have?")
                # Telegram retried: the same update reaches both workers at once.
                responses = await asyncio.gather(client.post(b, json=follow, headers=headers),
                                                 client.post(a, json=follow, headers=headers))
                assert [r.status_code for r in responses] == [200, 200]
            await until(fake, lambda f: len(f.texts(31)) >= 2)
            await asyncio.sleep(1.5)
            texts = fake.texts(31)
            assert len(texts) == 2, "the redelivered update was answered once"
            assert "Intern" in texts[1], "worker B used the conversation worker A stored"
    finally:
        fake.stop()
