"""A student's path in the bot: a path answer offers its ordered plan, an internships answer
the next posting (pressed again, the one after, then "no more"); only the asking user's own
turn is served. Real PTB client against the fake Bot API server, on a small knowledge base of
plans and postings written here, in both languages."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.telegram.texts import t
from knowledge.config import Settings
from knowledge.store.base import KnowledgeBase
from tests.auxil import botrun
from tests.auxil.botrun import last_keyboard, running_bot, until
from tests.auxil.fake_telegram import TOKEN, FakeTelegram

pytestmark = pytest.mark.asyncio
fake = botrun.fake

PLANS = {
    "software.md": """---
type: training_plan
title: 软件技术专业人才培养方案
---
# 软件技术专业人才培养方案

专业代码 510203

专业名称 软件技术

## 主要专业能力要求

1. 具备使用 Java 和 Python 进行程序设计的能力；
2. 具备数据库设计与 SQL 编程的能力。

## 课程设置

专业基础课程：程序设计基础（CS101）、数据库技术（SE120）、计算机网络基础（SE130）。

专业核心课程：Java 程序设计（SE210）、Web 前端开发（SE220）、软件测试（SE230）。
""",
    "nursing.md": """---
type: training_plan
title: 护理专业人才培养方案
---
# 护理专业人才培养方案

专业代码 520201

专业名称 护理

## 主要专业能力要求

1. 具备基础护理和静脉输液的能力；
2. 具备生命体征监测和急救护理的能力；
3. 具备健康评估和老年护理的能力。

## 课程设置

专业基础课程：人体解剖学、生理学、药理学。

专业核心课程：基础护理学、内科护理、外科护理、急救护理、健康评估、老年护理。
""",
}

POSTINGS_ZH = """---
type: internship
title: 2027 年合作企业实习岗位
---
# 2027 年合作企业实习岗位

## 江滨市人民医院：护理实习生

实习单位：江滨市人民医院

岗位要求：具备基础护理和静脉输液能力，能进行生命体征监测，熟悉急救护理。

## 江滨康养中心：老年护理实习生

实习单位：江滨康养中心

岗位要求：熟悉老年护理，能做健康评估，会使用 Excel 记录数据，持有驾驶证。

## 江滨精工：数控加工实习生

实习单位：江滨精工机械有限公司

岗位要求：能识读机械图纸，会使用 AutoCAD 或 SolidWorks 绘图，熟悉数控机床编程。
"""

POSTINGS_EN = """---
type: internship
title: Internship places 2027
---
Internship places 2027, Career Services Office

1. Ward Nursing Intern - Riverside General Hospital
Requirements: basic nursing care, intravenous infusion and monitoring vital signs.

2. CNC Machining Intern - Riverside Precision Ltd.
Requirements: read engineering drawings, AutoCAD and CNC programming.
"""

OCCUPATION = """# data analyst

## Basic Information

| Field | Value |
|-------|-------|
| **Title** | data analyst |
| **ISCO Code** | 2511.3 |

## Essential Skills

- **analyse big data**
- **apply statistical analysis techniques**
- **perform data cleansing**
- **SQL**
- **Python (computer programming)**
"""


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plans, postings and profile above, with the samples' majors and courses, ingested
    once; each test copies the data dir."""
    from ingest.pipeline import Ingestor
    from tests.conftest import SAMPLES, make_settings

    root = tmp_path_factory.mktemp("botpath")
    docs = root / "docs"
    written = {**{f"plans/{name}": text for name, text in PLANS.items()},
               "postings/实习岗位2027.md": POSTINGS_ZH, "postings/places_2027.md": POSTINGS_EN,
               "occupations/2511.3.md": OCCUPATION}
    for name, text in written.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    kb = KnowledgeBase(make_settings(root / "data"))
    assert not Ingestor(kb).run([docs, SAMPLES / "kb" / "majors", SAMPLES / "kb" / "courses"]).failed
    kb.close()
    return root / "data"


@pytest.fixture
def settings(kb_dir: Path, fake: FakeTelegram, tmp_path: Path) -> Settings:
    from tests.conftest import make_settings

    data = tmp_path / "data"
    shutil.copytree(kb_dir, data)
    return make_settings(data, telegram_token=TOKEN, telegram_api_base_url=fake.base_url,
                         questions_per_minute=20)


def callbacks(fake: FakeTelegram, chat_id: int) -> list[str]:
    """The callback data of the newest keyboard the bot sent to ``chat_id``."""
    return [b["callback_data"] for row in last_keyboard(fake, chat_id) for b in row]


def labels(fake: FakeTelegram, chat_id: int) -> dict[str, str]:
    """Callback data -> button label, of the newest keyboard."""
    return {b["callback_data"]: b["text"] for row in last_keyboard(fake, chat_id) for b in row}


def last_callback_answer(fake: FakeTelegram) -> dict[str, Any]:
    return fake.sent("answerCallbackQuery")[-1]


async def ask(fake: FakeTelegram, user: int, text: str, language: str) -> str:
    """Ask, wait for the answer with its keyboard; the answer's text."""
    before = len(fake.texts(user))
    fake.send_text(user, text, language=language)
    await until(fake, lambda f: len(f.texts(user)) > before
                and bool(f.sent("sendMessage", user)[-1].get("reply_markup")))
    return fake.texts(user)[-1]


async def press(fake: FakeTelegram, user: int, data: str, language: str, *, replies: int = 1) -> list[str]:
    """Press a button and wait for ``replies`` new messages (0: for the query's answer only)."""
    texts, answered = len(fake.texts(user)), len(fake.sent("answerCallbackQuery"))
    fake.press(user, data, language=language)
    await until(fake, lambda f: len(f.sent("answerCallbackQuery")) > answered
                and len(f.texts(user)) >= texts + replies)
    return fake.texts(user)[texts:]


async def test_a_path_answer_offers_its_plan_in_chinese(settings: Settings, fake: FakeTelegram) -> None:
    from knowledge.skills.path import path

    user = 21
    async with running_bot(settings, fake) as app:
        answer = await ask(fake, user, "我是软件技术专业的，想做数据分析师，还缺什么？", "zh")
        assert "510203 软件技术" in answer and "还缺" in answer
        data = callbacks(fake, user)
        turn = data[0].split(":")[1]
        assert data[:3] == [f"fb:{turn}:1", f"fb:{turn}:-1", f"src:{turn}"], "the usual buttons stay"
        assert f"plan:{turn}" in data and not any(d.startswith("post:") for d in data)
        assert labels(fake, user)[f"plan:{turn}"] == "查看学习计划"
        assert all(len(d.encode()) <= 64 for d in data)

        [plan] = await press(fake, user, f"plan:{turn}", "zh")
        lines = plan.splitlines()
        assert lines[0].startswith("学习计划：510203 软件技术")
        steps = path(app.bot_data.services.kb, "510203", occupation="data analyst").plan
        assert steps, "the knowledge base teaches something the software major misses"
        for step, line in zip(steps, lines[1:], strict=False):
            assert line.startswith(f"{step.step}. {step.code}") and "[" in line, line
        assert "来源" in plan and "courses.csv" in plan, "each step cited"

        # 👍 and Sources still work on the same answer.
        await press(fake, user, f"fb:{turn}:1", "zh", replies=0)
        assert last_callback_answer(fake)["text"] == t("zh", "thanks")
        [sources] = await press(fake, user, f"src:{turn}", "zh")
        assert "plans/software.md" in sources


def listed(answer: str) -> list[str]:
    """The titles an internships answer lists, best first ("1. 护理实习生 — …: 83% [1]")."""
    return [line.split(". ", 1)[1].split(" — ")[0].split(":")[0]
            for line in answer.splitlines() if line[:1].isdigit() and ". " in line]


async def test_next_posting_pages_through_the_ranking_in_english_across_a_restart(
        settings: Settings, fake: FakeTelegram) -> None:
    user = 22
    async with running_bot(settings, fake):
        answer = await ask(fake, user, "I'm in Nursing, which internships suit me?", "en")
        titles = listed(answer)
        assert len(titles) == 3 and "Ward Nursing Intern" in titles
        data = callbacks(fake, user)
        turn = data[0].split(":")[1]
        assert f"post:{turn}" in data and not any(d.startswith("plan:") for d in data)
        assert labels(fake, user)[f"post:{turn}"] == "Next posting"
        [second] = await press(fake, user, f"post:{turn}", "en")
    assert second.startswith(f"Posting 2: {titles[1]}")
    assert "you have:" in second and "missing:" in second
    assert "postings/places_2027.md" in second, "the posting cited"
    assert callbacks(fake, user) == [f"post:{turn}"], "the next posting's own button, same turn"

    # Another bot process (as a webhook worker would be) knows how far the student has paged.
    async with running_bot(settings, fake, KnowledgeBase(settings)):
        [third] = await press(fake, user, f"post:{turn}", "en")  # the first message's button again
        assert third.startswith(f"Posting 3: {titles[2]}") and "missing:" in third
        assert "Microsoft Excel" in third, "what the posting asks that nursing does not teach"
        assert not fake.sent("sendMessage", user)[-1].get("reply_markup"), "the last posting"
        [end] = await press(fake, user, f"post:{turn}", "en")
        assert end == t("en", "no_more_postings")


async def test_next_posting_in_chinese_from_the_postings_own_button(
        settings: Settings, fake: FakeTelegram) -> None:
    user = 23
    async with running_bot(settings, fake):
        answer = await ask(fake, user, "哪些实习适合护理专业？", "zh")
        titles = listed(answer)
        assert answer.startswith("适合 520201 护理") and len(titles) == 3
        turn = callbacks(fake, user)[0].split(":")[1]
        assert labels(fake, user)[f"post:{turn}"] == "下一个岗位"
        [second] = await press(fake, user, f"post:{turn}", "zh")
        assert second.startswith(f"第 2 个：{titles[1]}") and "已具备" in second and "还缺" in second
        [button] = callbacks(fake, user)
        [third] = await press(fake, user, button, "zh")
        assert third.startswith(f"第 3 个：{titles[2]}") and "postings/实习岗位2027.md" in third
        [end] = await press(fake, user, button, "zh")
        assert end == t("zh", "no_more_postings")


async def test_another_users_press_and_forged_data_are_refused(
        settings: Settings, fake: FakeTelegram) -> None:
    owner, other = 24, 25
    async with running_bot(settings, fake):
        await ask(fake, owner, "I'm in Nursing, which internships suit me?", "en")
        turn = int(callbacks(fake, owner)[0].split(":")[1])
        path_answer = await ask(fake, owner, "I'm in Software Technology and want to become a data analyst, "
                                "what am I missing?", "en")
        assert "Missing:" in path_answer
        plan_turn = int(callbacks(fake, owner)[0].split(":")[1])
        await ask(fake, other, "What is DMT210?", "en")  # an ordinary answer of the other user's
        plain_turn = int(callbacks(fake, other)[0].split(":")[1])
        sent = len(fake.sent("sendMessage"))
        for data, user in [(f"post:{turn}", other), (f"plan:{plan_turn}", other),  # not theirs
                           (f"post:{plain_turn}", other), (f"plan:{plain_turn}", other),  # no path
                           (f"plan:{turn}", owner),  # an internships answer has no plan
                           (f"post:{turn + 1000}", other), (f"plan:{10 ** 17}", owner)]:  # no such turn
            await press(fake, user, data, "en", replies=0)
            assert last_callback_answer(fake).get("text") == t("en", "expired"), data
        fake.press(other, "post:1:2", language="en")  # not this button's form: acknowledged only
        await until(fake, lambda f: not f.sent("answerCallbackQuery")[-1].get("text"))
        assert len(fake.sent("sendMessage")) == sent, "nothing shown to anyone"
        # The other user's presses did not move the owner on.
        [second] = await press(fake, owner, f"post:{turn}", "en")
        assert second.startswith("Posting 2:")


async def test_forget_deletes_what_the_buttons_kept(settings: Settings, fake: FakeTelegram) -> None:
    from sqlalchemy import func, select

    from knowledge.conversation.paths import PathTurn

    user = 26
    async with running_bot(settings, fake) as app:
        await ask(fake, user, "哪些实习适合护理专业？", "zh")
        turn = callbacks(fake, user)[0].split(":")[1]
        db = app.bot_data.services.chat.db

        def kept() -> int:
            with db.session() as s:
                return int(s.scalar(select(func.count()).select_from(PathTurn)) or 0)

        assert kept() == 1
        fake.send_text(user, "/forget", language="zh")
        await until(fake, lambda f: len(f.texts(user)) == 2)
        assert kept() == 0
        await press(fake, user, f"post:{turn}", "zh", replies=0)
        assert last_callback_answer(fake)["text"] == t("zh", "expired")


async def test_quick_presses_on_two_workers_show_different_postings(
        kb_dir: Path, tmp_path: Path, database_url: str) -> None:
    """Each worker has its own handles on one SQL database; six presses at once move the
    student on exactly as far as there are postings, each shown once."""
    import asyncio
    import threading

    from knowledge.answering.path_intent import route_path
    from knowledge.conversation.paths import PathTurns
    from knowledge.conversation.state import ConversationState
    from knowledge.store.db import Database
    from tests.conftest import make_settings

    shutil.copytree(kb_dir, tmp_path / "data")
    kb = KnowledgeBase(make_settings(tmp_path / "data"))
    answer = route_path(kb, "I'm in Nursing, which internships suit me?", "en")
    assert answer is not None
    workers = [Database(database_url), Database(database_url)]
    turn = ConversationState(workers[0]).log_turn(27, 27, "I'm in Nursing, which internships suit me?", answer)
    PathTurns(kb, workers[0]).keep(turn, answer)
    start = threading.Barrier(6)

    def press(n: int) -> str:
        start.wait()
        pressed = PathTurns(kb, workers[n % 2]).next_posting(turn, 27)
        assert pressed is not None
        return pressed.answer.text.split(":")[0] if pressed.answer else "end"

    shown = await asyncio.gather(*(asyncio.to_thread(press, n) for n in range(6)))
    assert sorted(shown) == ["Posting 2", "Posting 3", "end", "end", "end", "end"], shown
    assert PathTurns(kb, workers[1]).next_posting(turn, 28) is None, "not user 28's turn"
    kb.close()


async def test_a_press_whose_plan_was_removed_says_so_in_the_users_language(
        settings: Settings, fake: FakeTelegram) -> None:
    from sqlalchemy import select

    from ingest.pipeline import Ingestor
    from knowledge.store.models import Document

    user = 29
    async with running_bot(settings, fake) as app:
        await ask(fake, user, "哪些实习适合护理专业？", "zh")
        turn = callbacks(fake, user)[0].split(":")[1]
        kb = app.bot_data.services.kb
        with kb.db.session() as s:
            plan_ids = s.scalars(select(Document.id).where(Document.source.like("%plans/%"))).all()
        assert plan_ids
        for doc_id in plan_ids:
            Ingestor(kb).remove(doc_id)
        await press(fake, user, f"post:{turn}", "zh", replies=0)
        notice = last_callback_answer(fake)["text"]
        assert notice == t("zh", "press_failed") and "no training plan" not in notice


async def test_internships_command_with_a_major_ranks_its_postings(settings: Settings, fake: FakeTelegram) -> None:
    user = 30
    async with running_bot(settings, fake):
        answer = await ask(fake, user, "/internships 护理", "zh")
        assert answer.startswith("适合 520201 护理") and len(listed(answer)) == 3
        turn = callbacks(fake, user)[0].split(":")[1]
        assert labels(fake, user)[f"post:{turn}"] == "下一个岗位"
        # A topic that is no major still searches the internship places.
        other = await ask(fake, user, "/internships 数据分析", "zh")
        assert not other.startswith("适合")
