"""Scenarios through the fake Bot API server over real HTTP: the real PTB client runs."""

from __future__ import annotations

import pytest

from knowledge.config import Settings
from knowledge.conversation.chat import ChatService
from knowledge.store.base import KnowledgeBase
from tests.auxil import botrun
from tests.auxil.botrun import ADMIN, last_keyboard, running_bot, until
from tests.auxil.fake_telegram import TOKEN, FakeTelegram, visible_html

pytestmark = pytest.mark.asyncio
fake, kb_dir, settings = botrun.fake, botrun.kb_dir, botrun.settings  # shared fixtures


async def test_start_role_choice_survives_a_restart(settings: Settings, fake: FakeTelegram) -> None:
    async with running_bot(settings, fake):
        await until(fake, lambda f: f.sent("setMyCommands"))
        fake.send_text(1, "/start")
        await until(fake, lambda f: f.texts(1))
        buttons = [b["callback_data"] for row in last_keyboard(fake, 1) for b in row]
        assert buttons == ["role:student", "role:enterprise"]
        fake.press(1, "role:enterprise")
        await until(fake, lambda f: len(f.texts(1)) == 2)
        assert "enterprise" in fake.texts(1)[-1]
    kb = KnowledgeBase(settings)
    from knowledge.answering.assistant import Assistant

    assert ChatService(Assistant(kb)).role(1) == "enterprise"
    async with running_bot(settings, fake, kb):
        fake.send_text(1, "/role")
        await until(fake, lambda f: len(f.texts(1)) == 3)


async def test_questions_in_both_languages_are_answered_with_citations(
        settings: Settings, fake: FakeTelegram) -> None:
    async with running_bot(settings, fake):
        fake.send_text(2, "数字媒体技术专业的核心课程有哪些？", language="zh")
        await until(fake, lambda f: f.texts(2))
        zh = fake.texts(2)[0]
        assert "根据知识库" in zh and "来源" in zh and "digital_media_technology.md" in zh
        assert fake.sent("sendChatAction", 2), "typing indicator"
        fake.send_text(3, "What is the salary of the junior data analyst at DataWorks?")
        await until(fake, lambda f: f.texts(3))
        en = fake.texts(3)[0]
        assert "6,000–8,000" in en and "dataworks_data_analyst.md" in en
        callbacks = [b["callback_data"] for row in last_keyboard(fake, 3) for b in row]
        assert callbacks[0].startswith("fb:") and callbacks[2].startswith("src:")


async def test_feedback_and_sources_buttons(settings: Settings, fake: FakeTelegram) -> None:
    async with running_bot(settings, fake) as app:
        fake.send_text(4, "How is DMT210 assessed?")
        await until(fake, lambda f: f.texts(4))
        up, down, sources = [b["callback_data"] for b in last_keyboard(fake, 4)[0]]
        fake.press(4, up)
        await until(fake, lambda f: f.sent("answerCallbackQuery"))
        fake.press(4, sources)
        await until(fake, lambda f: len(f.texts(4)) >= 2)
        assert "DMT210_3d_modeling.html" in fake.texts(4)[1]
        assert "40%" in fake.texts(4)[1], "the quoted passage"
        stats = app.bot_data.services.chat.stats()
        assert stats["thumbs_up"] == 1 and stats["questions"] == 1


async def test_follow_up_uses_the_previous_question(settings: Settings, fake: FakeTelegram) -> None:
    async with running_bot(settings, fake):
        fake.send_text(5, "Tell me about the Big Data Technology major")
        await until(fake, lambda f: f.texts(5))
        fake.send_text(5, "and which internships does it have?")
        await until(fake, lambda f: len(f.texts(5)) == 2)
        assert "Data Analyst Intern" in fake.texts(5)[1] or "Big Data Platform Intern" in fake.texts(5)[1]
        fake.send_text(5, "/reset")
        await until(fake, lambda f: len(f.texts(5)) == 3)
        assert "2" in fake.texts(5)[2]


async def test_hostile_html_in_questions_and_documents(settings: Settings, fake: FakeTelegram) -> None:
    hostile = ("# Offer <b>unclosed & co\n\nThe Zorblax intern salary is < 5000 & bonus > 0 "
               "<script>alert(1)</script> &amp; <a href='x'>link</a>\n")
    async with running_bot(settings, fake):
        fake.send_text(6, "<b>What</b> & <script>alert(1)</script> is DMT210 <i>about?")
        await until(fake, lambda f: f.texts(6))
        fake.send_document(ADMIN, "offer.md", hostile.encode())
        await until(fake, lambda f: f.texts(ADMIN))
        fake.send_text(6, "What is the Zorblax intern salary?")
        await until(fake, lambda f: len(f.texts(6)) == 2)
        assert "< 5000 & bonus > 0" in fake.texts(6)[1]
        for params in fake.sent("sendMessage", 6):
            visible_html(params["text"])  # raises where Telegram would refuse to parse


async def test_long_answers_are_split_under_4096(settings: Settings, fake: FakeTelegram,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.telegram import format as fmt
    from knowledge.schema import Answer, Citation

    async with running_bot(settings, fake) as app:
        long = "\n\n".join(f"Paragraph {i}: " + "careers & skills <data> " * 40 for i in range(12))
        chat = app.bot_data.services.chat
        original = chat.ask

        def fake_ask(**kwargs):  # type: ignore[no-untyped-def]
            reply = original(**kwargs)
            answer = Answer(text=long, grounded=True, language="en", citations=(
                Citation("a.md", "A", "course", "row 1", 0.9),))
            return type(reply)(turn_id=reply.turn_id, answer=answer, question=reply.question)

        monkeypatch.setattr(chat, "ask", fake_ask)
        fake.send_text(7, "What is DMT210?")
        await until(fake, lambda f: any(p.get("reply_markup") for p in f.sent("sendMessage", 7)))
        sent = fake.sent("sendMessage", 7)
        assert len(sent) >= 3 and all(len(p["text"]) <= fmt.LIMIT for p in sent)
        assert "Paragraph 11" in fake.texts(7)[-1]
        assert sent[-1].get("reply_markup") and not sent[0].get("reply_markup")


async def test_rate_limit_replies_politely(settings: Settings, fake: FakeTelegram) -> None:
    async with running_bot(settings, fake):
        for i in range(6):
            fake.send_text(8, f"What is DMT21{i}?")
            await until(fake, lambda f, n=i: len(f.texts(8)) >= n + 1)
        assert "wait" in fake.texts(8)[-1]


async def test_non_text_long_and_unknown_commands(settings: Settings, fake: FakeTelegram) -> None:
    async with running_bot(settings, fake):
        fake.send_sticker(10)
        await until(fake, lambda f: f.texts(10))
        assert "only read text" in fake.texts(10)[0]
        fake.send_text(10, "x" * 2000)
        await until(fake, lambda f: len(f.texts(10)) == 2)
        assert "too long" in fake.texts(10)[1]
        fake.send_text(10, "/frobnicate")
        await until(fake, lambda f: len(f.texts(10)) == 3)
        assert "/help" in fake.texts(10)[2]


async def test_group_chat_answers_only_mentions_replies_and_commands(
        settings: Settings, fake: FakeTelegram) -> None:
    group = -100
    async with running_bot(settings, fake):
        fake.send_text(11, "What is DMT210?", chat_id=group)
        fake.send_text(11, "@careerbot_test_bot What is DMT210?", chat_id=group)
        await until(fake, lambda f: f.texts(group))
        fake.send_text(11, "and its credits?", chat_id=group, reply_to_bot=True)
        fake.send_text(11, "/help", chat_id=group)
        await until(fake, lambda f: len(f.texts(group)) >= 3)
        import asyncio

        await asyncio.sleep(0.5)
        assert len(fake.texts(group)) == 3, "the un-addressed message got no answer"


async def test_upload_by_admin_and_refusal_for_others(settings: Settings, fake: FakeTelegram) -> None:
    jd = "# Junior Web Developer (Example Co.)\n\n## Requirements\n\nHTML, CSS and Vue.js; 岗位职责：前端开发。\n"
    async with running_bot(settings, fake):
        fake.send_document(12, "web_dev.md", jd.encode())
        await until(fake, lambda f: f.texts(12))
        assert "can't add documents" in fake.texts(12)[0]
        fake.send_document(ADMIN, "web_dev.md", jd.encode())
        await until(fake, lambda f: f.texts(ADMIN))
        assert "Stored web_dev.md as enterprise_requirement" in fake.texts(ADMIN)[0]
        fake.send_document(ADMIN, "broken.pdf", b"%PDF-1.4 nope")
        await until(fake, lambda f: len(f.texts(ADMIN)) == 2)
        assert "broken.pdf" in fake.texts(ADMIN)[1] and "corrupt" in fake.texts(ADMIN)[1]
        fake.send_text(13, "Which framework does the junior web developer at Example Co. need?")
        await until(fake, lambda f: f.texts(13))
        assert "Vue.js" in fake.texts(13)[0]


async def test_admin_commands_and_forget(settings: Settings, fake: FakeTelegram) -> None:
    async with running_bot(settings, fake):
        fake.send_text(14, "学校有游泳池吗？", language="zh")
        await until(fake, lambda f: f.texts(14))
        fake.send_text(14, "/stats", language="zh")
        await until(fake, lambda f: len(f.texts(14)) == 2)
        assert "管理员" in fake.texts(14)[1]
        fake.send_text(ADMIN, "/unanswered")
        await until(fake, lambda f: f.texts(ADMIN))
        assert "学校有游泳池吗？" in fake.texts(ADMIN)[0]
        fake.send_text(ADMIN, "/stats")
        await until(fake, lambda f: len(f.texts(ADMIN)) == 2)
        assert "Unanswered: 1" in fake.texts(ADMIN)[1]
        fake.send_text(14, "/forget", language="zh")
        await until(fake, lambda f: len(f.texts(14)) == 3)
        assert "1 条问答" in fake.texts(14)[2]


async def test_majors_browsing(settings: Settings, fake: FakeTelegram) -> None:
    async with running_bot(settings, fake):
        fake.send_text(15, "/majors")
        await until(fake, lambda f: f.texts(15))
        buttons = [b for row in last_keyboard(fake, 15) for b in row]
        assert any("数字媒体技术" in b["text"] for b in buttons)
        target = next(b for b in buttons if "数字媒体技术" in b["text"])
        fake.press(15, target["callback_data"])
        await until(fake, lambda f: len(f.texts(15)) == 2)
        assert "/major 510204" in fake.texts(15)[1]
        fake.send_text(15, "/major 510204")
        await until(fake, lambda f: len(f.texts(15)) == 3)
        assert "数字媒体技术" in fake.texts(15)[2]


async def test_telegram_429_is_retried_and_the_answer_arrives_once(
        settings: Settings, fake: FakeTelegram) -> None:
    from tests.auxil.fake_telegram import ApiError

    fake.failures["sendMessage"] = [ApiError(429, "Too Many Requests: retry after 1",
                                             retry_after=1)]
    async with running_bot(settings, fake):
        fake.send_text(16, "/help")
        await until(fake, lambda f: f.texts(16), timeout=15)
        import asyncio

        await asyncio.sleep(1.5)
        assert len(fake.texts(16)) == 1, "answered exactly once after the retry"


async def test_course_and_internships_commands_filter_by_type(
        settings: Settings, fake: FakeTelegram) -> None:
    async with running_bot(settings, fake):
        fake.send_text(17, "/course BD220")
        await until(fake, lambda f: f.texts(17))
        assert "Spark Data Processing" in fake.texts(17)[0] and "courses.csv" in fake.texts(17)[0]
        fake.send_text(17, "/internships")
        await until(fake, lambda f: len(f.texts(17)) == 2)
        assert "internships_2026.pdf" in fake.texts(17)[1] or "实习岗位.md" in fake.texts(17)[1]


async def test_enterprise_upload_when_allowed_with_caption_type(
        settings: Settings, fake: FakeTelegram) -> None:
    settings.telegram.enterprise_uploads = True
    settings.telegram.enterprise_upload_ids = [18]  # the role alone is self-declared (issue 12, item 9)
    async with running_bot(settings, fake):
        fake.press(18, "role:enterprise")
        await until(fake, lambda f: f.texts(18))
        fake.send_document(18, "summer.md", b"# Summer internship\n\nUI intern, 8 weeks.\n",
                           caption="internship")
        await until(fake, lambda f: len(f.texts(18)) == 2)
        assert "Stored summer.md as internship" in fake.texts(18)[1]


async def test_webhook_mode_answers_posted_updates(settings: Settings, fake: FakeTelegram,
                                                   unused_tcp_port: int) -> None:
    import httpx

    from bot.telegram.app import build_application

    app = build_application(settings)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_webhook(listen="127.0.0.1", port=unused_tcp_port, url_path="telegram",
                                    webhook_url="https://example.invalid/telegram",
                                    secret_token="s3cret-token")
    try:
        update = {"update_id": 77, "message": {
            "message_id": 1, "date": 0, "chat": {"id": 19, "type": "private"},
            "from": fake.user(19), "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}
        url = f"http://127.0.0.1:{unused_tcp_port}/telegram"
        async with httpx.AsyncClient() as client:
            refused = await client.post(url, json=update,
                                        headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
            assert refused.status_code == 403
            ok = await client.post(url, json=update,
                                   headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"})
            assert ok.status_code == 200
        await until(fake, lambda f: f.texts(19))
        assert "/majors" in fake.texts(19)[0]
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def test_store_outage_gets_a_clear_message_and_the_bot_keeps_running(
        settings: Settings, fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch) -> None:
    from knowledge.errors import StoreUnavailableError

    async with running_bot(settings, fake) as app:
        chat = app.bot_data.services.chat
        original = chat.ask

        def down(**kwargs):  # type: ignore[no-untyped-def]
            raise StoreUnavailableError("cannot reach the database")

        monkeypatch.setattr(chat, "ask", down)
        fake.send_text(20, "What is DMT210?")
        await until(fake, lambda f: f.texts(20))
        assert "unavailable right now" in fake.texts(20)[0]
        monkeypatch.setattr(chat, "ask", original)
        fake.send_text(20, "What is DMT210?")
        await until(fake, lambda f: len(f.texts(20)) == 2)
        assert "DMT210" in fake.texts(20)[1]


async def test_unexpected_errors_apologise_and_log(settings: Settings, fake: FakeTelegram,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    async with running_bot(settings, fake) as app:
        def boom(**kwargs):  # type: ignore[no-untyped-def]
            raise RuntimeError("kaboom")

        monkeypatch.setattr(app.bot_data.services.chat, "ask", boom)
        fake.send_text(21, "What is DMT210?")
        await until(fake, lambda f: f.texts(21))
        assert "Sorry, something went wrong" in fake.texts(21)[0]
        assert "kaboom" not in fake.texts(21)[0]
    assert any("kaboom" in str(r.exc_info) for r in caplog.records if r.exc_info)


async def test_generated_answer_streams_by_editing_at_most_once_a_second(
        settings: Settings, fake: FakeTelegram) -> None:
    from tests.auxil.fake_openai import FakeOpenAI

    class StepClock:
        """Half a second passes each time the bot reads the time (once per streamed piece)."""

        now = 0.0

        def __call__(self) -> float:
            self.now += 0.5
            return self.now

    clock = StepClock()
    fake.clock = lambda: clock.now  # requests are stamped with the bot's (fake) time
    llm = FakeOpenAI(model="fake-model").start()
    # Every sentence cites its passage, so each can be shown as soon as it has been checked.
    llm.reply = lambda messages: ("DMT210 is assessed by modeling assignments, an animation "
                                  "project and a final exam [1]. " * 30)
    settings.llm.base_url = llm.base_url
    settings.llm.model = "fake-model"
    try:
        async with running_bot(settings, fake, clock=clock):
            fake.send_text(22, "How is DMT210 assessed?")
            await until(fake, lambda f: any(p.get("reply_markup")
                                            for p in f.sent("editMessageText", 22) + f.sent("sendMessage", 22)))
        edits = [(m, p, at) for (m, p), at in zip(fake.requests, fake.times, strict=True)
                 if m in ("sendMessage", "editMessageText") and int(p.get("chat_id", 0)) == 22]
        assert len(edits) >= 3, "the answer appeared progressively"
        stamps = [at for _, _, at in edits[:-1]]
        # A second apart by the injected clock, whatever the load on this machine.
        assert all(b - a >= 0.7 for a, b in zip(stamps, stamps[1:], strict=False)), stamps
        assert all(len(visible_html(str(p["text"]))) <= 4096 for _, p, _ in edits)
        final = visible_html(str(edits[-1][1]["text"]))
        assert "Sources" in final and "DMT210_3d_modeling.html" in final
    finally:
        llm.stop()


async def test_hr_asks_which_majors_fit_a_job(settings: Settings, fake: FakeTelegram) -> None:
    async with running_bot(settings, fake):
        fake.press(23, "role:enterprise", language="zh")
        await until(fake, lambda f: f.texts(23))
        fake.send_text(23, "我们招数据分析师，要求熟悉 SQL、Python 和数据可视化，哪些专业合适？", language="zh")
        await until(fake, lambda f: len(f.texts(23)) == 2)
        assert "510205 Big Data Technology" in fake.texts(23)[1]
        assert "big_data_technology.md" in fake.texts(23)[1]
        photo = fake.sent("sendPhoto", 23)
        assert photo and bytes(photo[0]["photo"]).startswith(b"\x89PNG"), "the coverage chart"


async def test_skills_and_match_commands(settings: Settings, fake: FakeTelegram) -> None:
    async with running_bot(settings, fake):
        fake.send_text(24, "/skills 510204")
        await until(fake, lambda f: f.texts(24))
        assert "Core courses: 3D modeling and animation" in fake.texts(24)[0]
        fake.send_text(24, "/match Junior UI designer: Figma, prototyping and Blender")
        await until(fake, lambda f: len(f.texts(24)) == 2)
        assert "510204 数字媒体技术 — 100%" in fake.texts(24)[1]
        assert fake.sent("sendPhoto", 24)
        fake.send_text(24, "/skills")
        await until(fake, lambda f: len(f.texts(24)) == 3)
        assert "Usage: /skills" in fake.texts(24)[2]
        fake.send_text(24, "/skills Underwater Basket Weaving")
        await until(fake, lambda f: len(f.texts(24)) == 4)
        assert "No training plan" in fake.texts(24)[3]


async def test_the_token_never_reaches_the_logs(settings: Settings, fake: FakeTelegram,
                                                caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    async with running_bot(settings, fake):
        fake.send_text(25, "What is DMT210?")
        await until(fake, lambda f: f.texts(25))
    assert "getUpdates" in caplog.text or "sendMessage" in caplog.text, "HTTP requests were logged"
    assert TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text


async def test_uploads_are_queued_when_a_queue_is_configured(
        settings: Settings, fake: FakeTelegram, redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import uuid

    from ingest.jobs import jobs

    settings.queue.redis_url = redis_url
    settings.queue.queue_name = f"careerbot-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("CAREERBOT_DATA_DIR", str(settings.store.data_dir))
    monkeypatch.setenv("CAREERBOT_QUEUE_NAME", settings.queue.queue_name)
    monkeypatch.setenv("CAREERBOT_REDIS_URL", redis_url)
    async with running_bot(settings, fake):
        # Unique content: upload job ids are derived from key and content, and test runs may
        # share this Redis.
        fake.send_document(ADMIN, "queued_jd.md", b"# Night shift QA tester\n\nTest cases, SQL.\n"
                           + f"Reference {settings.queue.queue_name}.\n".encode())
        await until(fake, lambda f: f.texts(ADMIN))
        assert "queued for ingestion" in fake.texts(ADMIN)[0]
        import asyncio
        import os
        import subprocess
        import sys

        # A separate worker process, as deployed (``careerbot worker``).
        done = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "bot.cli", "worker", "--burst"],
                                       env=dict(os.environ), capture_output=True, timeout=300)
        assert done.returncode == 0, done.stderr
        assert jobs(settings)[0]["result"]["status"] == "new"
        fake.send_text(ADMIN, "/stats")
        await until(fake, lambda f: len(f.texts(ADMIN)) == 2)
        assert "finished 1" in fake.texts(ADMIN)[1]


async def test_network_errors_are_retried_and_nothing_is_sent_twice(
        settings: Settings, fake: FakeTelegram) -> None:
    # Telegram cannot be reached for a moment, just as the answer is ready: the send never
    # left, so repeating it is safe. (A lost response is not repeated: test_telegram_security.)
    fake.outage_after["sendChatAction"] = 1.0
    async with running_bot(settings, fake):
        fake.send_text(26, "What is DMT210?")
        await until(fake, lambda f: f.texts(26), timeout=20)
        import asyncio

        await asyncio.sleep(1.0)
        assert len(fake.texts(26)) == 1 and "DMT210" in fake.texts(26)[0]
