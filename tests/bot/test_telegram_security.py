"""Issue 12, the bot's side: each test plays an attacker (or a flaky network) through the fake
Bot API server and real HTTP, and checks what a user or an operator would notice."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from typing import Any

import httpx
import pytest

from knowledge.config import Settings
from tests.auxil import botrun
from tests.auxil.botrun import ADMIN, last_keyboard, running_bot, until
from tests.auxil.fake_telegram import TOKEN, FakeTelegram
from tests.conftest import ROOT

pytestmark = pytest.mark.asyncio
fake, kb_dir, settings = botrun.fake, botrun.kb_dir, botrun.settings  # shared fixtures


def command_update(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "chat": {"id": user_id, "type": "private"},
        "from": FakeTelegram.user(user_id), "text": text,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]}}


def _webhook_process(settings: Settings, fake: FakeTelegram, port: int,
                     secret: str | None) -> subprocess.Popen[bytes]:
    """``run_webhook`` as ``careerbot bot --webhook`` calls it, in its own process."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CAREERBOT_", "OPENAI_", "TELEGRAM_"))}
    env.update(CAREERBOT_DATA_DIR=str(settings.store.data_dir), TELEGRAM_BOT_TOKEN=TOKEN,
               TELEGRAM_API_BASE_URL=fake.base_url, CAREERBOT_ADMIN_IDS=str(ADMIN))
    code = ("from knowledge.config import Settings\n"
            "from bot.telegram.app import run_webhook\n"
            f"run_webhook(Settings(_env_file=None), url='https://bot.example.invalid', "
            f"listen='127.0.0.1', port={port}, secret={secret!r})\n")
    return subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


async def test_webhook_without_a_secret_generates_one_and_refuses_forged_posts(
        settings: Settings, fake: FakeTelegram, unused_tcp_port: int) -> None:
    proc = _webhook_process(settings, fake, unused_tcp_port, None)
    try:
        await until(fake, lambda f: f.sent("setWebhook"), timeout=60)
        secret = str(fake.sent("setWebhook")[0].get("secret_token") or "")
        assert len(secret) >= 32, "a strong secret was generated and given to setWebhook"
        url = f"http://127.0.0.1:{unused_tcp_port}/telegram"
        forged = command_update(501, ADMIN, "/stats")
        async with httpx.AsyncClient(timeout=10) as client:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong-secret-value"}):
                for _ in range(50):  # the server may still be starting
                    try:
                        response = await client.post(url, json=forged, headers=headers)
                        break
                    except httpx.ConnectError:
                        await asyncio.sleep(0.1)
                assert response.status_code == 403
            genuine = command_update(502, 77, "/help")
            ok = await client.post(url, json=genuine,
                                   headers={"X-Telegram-Bot-Api-Secret-Token": secret})
            assert ok.status_code == 200
        await until(fake, lambda f: f.texts(77))
        await asyncio.sleep(0.5)
        assert not fake.texts(ADMIN), "the forged /stats was not processed"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


async def test_webhook_refuses_a_weak_secret(settings: Settings, fake: FakeTelegram,
                                             unused_tcp_port: int) -> None:
    proc = _webhook_process(settings, fake, unused_tcp_port, "abc")
    try:
        _, err = await asyncio.to_thread(proc.communicate, timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError("the bot started with a 3-character webhook secret") from None
    assert proc.returncode != 0 and b"secret" in err
    assert not fake.sent("setWebhook")


async def test_buttons_for_another_users_turn_are_refused(settings: Settings,
                                                          fake: FakeTelegram) -> None:
    async with running_bot(settings, fake):
        fake.send_text(31, "How is DMT210 assessed?")
        await until(fake, lambda f: f.texts(31))
        up, _, sources = [b["callback_data"] for b in last_keyboard(fake, 31)[0]]
        fake.press(32, sources)
        fake.press(32, up)
        await until(fake, lambda f: len(f.sent("answerCallbackQuery")) >= 2)
        await asyncio.sleep(0.3)
        assert not fake.texts(32), "B was shown nothing of A's turn"
        fake.send_text(ADMIN, "/stats")
        await until(fake, lambda f: f.texts(ADMIN))
        assert "👍 0 / 👎 0" in fake.texts(ADMIN)[0], "B's vote was not stored on A's turn"
        fake.press(31, up)
        await until(fake, lambda f: len(f.sent("answerCallbackQuery")) >= 3)
        fake.send_text(ADMIN, "/stats")
        await until(fake, lambda f: len(f.texts(ADMIN)) == 2)
        assert "👍 1 / 👎 0" in fake.texts(ADMIN)[1], "A's own vote counts"


async def test_a_forged_enterprise_role_does_not_grant_uploads(settings: Settings,
                                                               fake: FakeTelegram) -> None:
    settings.telegram.enterprise_uploads = True
    settings.telegram.enterprise_upload_ids = [34]  # type: ignore[attr-defined]
    async with running_bot(settings, fake):
        fake.press(33, "role:enterprise")
        await until(fake, lambda f: f.texts(33))
        fake.send_document(33, "evil.md", b"# Training plan\n\nEverything is free.\n")
        await until(fake, lambda f: len(f.texts(33)) == 2)
        assert "can't add documents" in fake.texts(33)[1]
        fake.press(34, "role:enterprise")
        await until(fake, lambda f: f.texts(34))
        fake.send_document(34, "plan.md", b"# Our plan\n\nWe hire UI interns.\n",
                           caption="training_plan")
        await until(fake, lambda f: len(f.texts(34)) == 2)
        assert "Stored plan.md as enterprise_requirement" in fake.texts(34)[1], \
            "an enterprise caption cannot pick a college document type"


async def test_a_burst_of_questions_gets_exactly_the_limit_answered(settings: Settings,
                                                                   fake: FakeTelegram) -> None:
    async with running_bot(settings, fake):
        for i in range(30):  # all at once: the bot handles 16 updates concurrently
            fake.send_text(38, f"What is DMT21{i % 10}?")
        await until(fake, lambda f: len(f.texts(38)) >= 30, timeout=60)
    waits = [text for text in fake.texts(38) if "Please wait" in text]
    assert len(waits) == 25, f"{30 - len(waits)} of 30 answered with a limit of 5 a minute"


async def test_skills_and_match_are_rate_limited(settings: Settings, fake: FakeTelegram) -> None:
    async with running_bot(settings, fake):
        for i in range(6):
            fake.send_text(35, "/skills 510204" if i % 2 else "/match SQL, Python")
            await until(fake, lambda f, n=i: len(f.texts(35)) >= n + 1)
        assert "wait" in fake.texts(35)[-1]


async def test_uploads_over_the_size_limit_are_refused_before_download(
        settings: Settings, fake: FakeTelegram) -> None:
    settings.store.max_file_mb = 0.001
    async with running_bot(settings, fake):
        fake.send_document(ADMIN, "big.md", b"# Big\n\n" + b"text " * 1000)
        await until(fake, lambda f: f.texts(ADMIN))
        assert "big.md" in fake.texts(ADMIN)[0] and "limit" in fake.texts(ADMIN)[0]
        assert not fake.sent("getFile"), "nothing was downloaded"


async def test_control_characters_from_users_are_stripped(settings: Settings,
                                                          fake: FakeTelegram) -> None:
    async with running_bot(settings, fake):
        fake.send_text(36, "学校有\u202e游泳池\x1b[31m吗\u2066？\u0007")
        await until(fake, lambda f: f.texts(36))
        fake.send_text(ADMIN, "/unanswered")
        await until(fake, lambda f: f.texts(ADMIN))
        shown = fake.texts(ADMIN)[0]
        assert "学校有游泳池[31m吗？" in shown
        assert not any(c in shown for c in "\u202e\u2066\x1b\x07")


async def test_a_lost_response_is_not_sent_twice(settings: Settings, fake: FakeTelegram) -> None:
    fake.lost_responses["sendMessage"] = 1
    async with running_bot(settings, fake):
        fake.send_text(37, "/help")
        await until(fake, lambda f: f.texts(37), timeout=20)
        await asyncio.sleep(2.5)
        assert len(fake.texts(37)) == 1, "Telegram delivered it; the bot did not send it again"


async def test_group_members_keep_their_own_conversation(settings: Settings,
                                                         fake: FakeTelegram) -> None:
    group = -200
    async with running_bot(settings, fake):
        fake.send_text(41, "@careerbot_test_bot Tell me about the Big Data Technology major",
                       chat_id=group)
        await until(fake, lambda f: len(f.texts(group)) == 1)
        fake.send_text(42, "@careerbot_test_bot How is DMT210 assessed?", chat_id=group)
        await until(fake, lambda f: len(f.texts(group)) == 2)
        fake.send_text(42, "/reset", chat_id=group)
        await until(fake, lambda f: len(f.texts(group)) == 3)
        assert "(1 questions)" in fake.texts(group)[2], "only 42's context was cleared"
        fake.send_text(41, "@careerbot_test_bot and which internships does it have?",
                       chat_id=group)
        await until(fake, lambda f: len(f.texts(group)) == 4)
        follow = fake.texts(group)[3]
        assert "Data Analyst Intern" in follow or "Big Data Platform Intern" in follow
