"""The deployment guide's set-up, as separate processes: PostgreSQL, a Chroma server, Redis,
two `careerbot bot --webhook` workers and a `careerbot worker`, driven like Telegram would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.auxil.fake_telegram import TOKEN, FakeTelegram

SECRET = "deploy-secret-0123456789abcdef"  # 16+ characters: a weak secret is refused


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"worker exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on {port}")


def wait_for(predicate, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


def update(update_id: int, chat: int, **message: object) -> dict[str, object]:
    return {"update_id": update_id, "message": {"message_id": update_id, "date": 0,
                                                "chat": {"id": chat, "type": "private"},
                                                "from": FakeTelegram.user(chat), **message}}


@pytest.mark.slow
def test_two_webhook_worker_processes_and_a_queue_worker(
        tmp_path: Path, postgres_url: str, chroma_url: str, redis_url: str) -> None:
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    fake = FakeTelegram().start()
    admin = 424242
    env = {**os.environ, "CAREERBOT_DATA_DIR": str(tmp_path / "data"),
           "CAREERBOT_DATABASE_URL": postgres_url, "CAREERBOT_CHROMA_URL": chroma_url,
           "CAREERBOT_COLLECTION": f"deploy{uuid.uuid4().hex[:6]}",
           "CAREERBOT_REDIS_URL": redis_url, "CAREERBOT_QUEUE_NAME": f"deploy-{uuid.uuid4().hex[:6]}",
           "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.base_url,
           "CAREERBOT_ADMIN_IDS": str(admin)}
    ports = [free_port(), free_port()]
    workers = [subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "bot", "--webhook", "--url", "https://bot.example.invalid",
         "--listen", "127.0.0.1", "--port", str(port), "--secret-token", SECRET],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for port in ports]
    try:
        for port, proc in zip(ports, workers, strict=True):
            wait_for_port(port, proc)
        urls = [f"http://127.0.0.1:{port}/telegram" for port in ports]
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        fake.files["jd1"] = (b"# Junior Zorblax Analyst (Acme)\n\n## Requirements\n\n"
                             b"Zorblax dashboards, SQL and Python.\n")
        document = {"file_id": "jd1", "file_unique_id": "jd1", "file_name": "zorblax.md",
                    "file_size": len(fake.files["jd1"])}
        with httpx.Client(timeout=60) as client:
            assert client.post(urls[0], json=update(1, admin, document=document),
                               headers=headers).status_code == 200
            wait_for(lambda: fake.texts(admin))
            assert "queued for ingestion" in fake.texts(admin)[0]
            subprocess.run([sys.executable, "-m", "bot.cli", "worker", "--burst"], env=env,
                           check=True, capture_output=True, timeout=300)
            question = update(2, 77, text="What does the Junior Zorblax Analyst need?")
            for url in urls:  # delivered to both workers: answered once
                assert client.post(url, json=question, headers=headers).status_code == 200
            wait_for(lambda: fake.texts(77))
            time.sleep(1.5)
        assert len(fake.texts(77)) == 1
        assert "zorblax.md" in fake.texts(77)[0] and "SQL" in fake.texts(77)[0]
        listing = subprocess.run([sys.executable, "-m", "bot.cli", "jobs", "--json"], env=env,
                                 capture_output=True, text=True, check=True)
        assert '"state": "finished"' in listing.stdout
    finally:
        for proc in workers:
            proc.terminate()
        for proc in workers:
            proc.wait(timeout=30)
        fake.stop()
