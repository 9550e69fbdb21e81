"""N concurrent simulated Telegram chats through the fake Bot API server (real PTB client):
every message must be answered exactly once; reports p50/p95 reply latency and peak memory.

    python -m bench.bot_load [--chats 50] [--questions 3] [--store bench/out/corpus-store]
    python -m bench.bot_load --chats 200 --questions 5 --webhook-workers 2

With --webhook-workers N, updates are POSTed (like Telegram does) to N webhook workers in
turn instead of being polled; the workers share the store.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import tempfile
import time
from pathlib import Path

from bench.common import OUT, peak_rss_mb, percentile
from knowledge.config import Settings
from knowledge.ops.evaluation import load_eval_set
from knowledge.store.base import KnowledgeBase
from tests.auxil.botrun import running_bot, webhook_worker
from tests.auxil.fake_telegram import TOKEN, FakeTelegram

EVAL = Path(__file__).resolve().parents[1] / "eval" / "corpus_eval.jsonl"
SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "kb"


async def run(chats: int, questions: int, store: Path, webhook_workers: int = 0) -> dict:
    fake = FakeTelegram().start()
    settings = Settings(_env_file=None, data_dir=store, telegram_token=TOKEN,  # type: ignore[call-arg]
                        telegram_api_base_url=fake.base_url, questions_per_minute=1000)
    items = [i["question"] for i in load_eval_set(EVAL)]
    latencies: list[float] = []

    def answered(chat_id: int) -> int:
        return sum(1 for p in fake.sent("sendMessage", chat_id) if p.get("reply_markup"))

    urls: list[str] = []
    client = None
    update_ids = iter(range(1, 10**9))

    async def deliver(chat_id: int, text: str) -> None:
        if not urls:
            fake.send_text(chat_id, text)
            return
        update_id = next(update_ids)
        update = {"update_id": update_id, "message": {
            "message_id": update_id, "date": 0, "chat": {"id": chat_id, "type": "private"},
            "from": fake.user(chat_id), "text": text}}
        assert client is not None
        await client.post(urls[update_id % len(urls)], json=update,
                          headers={"X-Telegram-Bot-Api-Secret-Token": "bench"})

    async def chat(n: int) -> None:
        chat_id = 100_000 + n
        for q in range(questions):
            started = time.perf_counter()
            await deliver(chat_id, items[(n * questions + q) % len(items)])
            while answered(chat_id) < q + 1:
                await asyncio.sleep(0.01)
            latencies.append(time.perf_counter() - started)

    async with contextlib.AsyncExitStack() as stack:
        if webhook_workers:
            import httpx

            client = await stack.enter_async_context(httpx.AsyncClient(timeout=600))
            for _ in range(webhook_workers):
                urls.append(await stack.enter_async_context(webhook_worker(settings, "bench")))
        else:
            await stack.enter_async_context(running_bot(settings, fake, KnowledgeBase(settings)))
        started = time.perf_counter()
        await asyncio.wait_for(asyncio.gather(*(chat(n) for n in range(chats))), timeout=1800)
        wall = time.perf_counter() - started
        await asyncio.sleep(1.0)  # anything sent twice would arrive now
    counts = [answered(100_000 + n) for n in range(chats)]
    fake.stop()
    return {
        "chats": chats, "questions_per_chat": questions, "messages": chats * questions,
        "answered_exactly_once": all(c == questions for c in counts),
        "wall_s": round(wall, 1),
        "reply_p50_ms": round(percentile(latencies, 50) * 1000),
        "reply_p95_ms": round(percentile(latencies, 95) * 1000),
        "peak_rss_mb": round(peak_rss_mb()),
        "store": store.name,
        "mode": f"webhook, {webhook_workers} workers" if webhook_workers else "polling",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--store", type=Path, default=OUT / "corpus-store")
    parser.add_argument("--webhook-workers", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / args.store.name
        if args.store.exists():
            shutil.copytree(args.store, store)  # chats and feedback go to a copy
        else:
            from ingest.pipeline import Ingestor

            Ingestor(KnowledgeBase(Settings(_env_file=None, data_dir=store))).run([SAMPLES])  # type: ignore[call-arg]
        result = asyncio.run(run(args.chats, args.questions, store, args.webhook_workers))
    OUT.mkdir(parents=True, exist_ok=True)
    suffix = f"_webhook{args.webhook_workers}" if args.webhook_workers else ""
    (OUT / f"bot_load{suffix}.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
