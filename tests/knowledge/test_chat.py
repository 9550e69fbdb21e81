"""Conversation state on SQLite and PostgreSQL: roles, follow-ups, rate limits, feedback,
reset, forget and the curators' numbers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.pipeline import Ingestor
from knowledge.answering.assistant import Assistant
from knowledge.conversation.chat import ChatService, RateLimited, is_follow_up
from knowledge.errors import UserFacingError
from knowledge.store.base import KnowledgeBase
from tests.auxil.fake_openai import FakeOpenAI
from tests.conftest import SAMPLES, make_settings


@pytest.fixture
def chat(tmp_path: Path, database_url: str) -> ChatService:
    kb = KnowledgeBase(make_settings(tmp_path / "data", database_url=database_url))
    Ingestor(kb).run([SAMPLES / "kb" / "majors", SAMPLES / "kb" / "internships"])
    return ChatService(Assistant(kb), questions_per_minute=3)


def test_conversation_state(chat: ChatService) -> None:
    chat.set_role(7, "student")
    assert chat.role(7) == "student"
    with pytest.raises(UserFacingError):
        chat.set_role(7, "teacher")
    first = chat.ask(user_id=7, chat_id=7, text="Tell me about the Big Data Technology major")
    follow = chat.ask(user_id=7, chat_id=7, text="and which internships does it have?")
    assert any(c.source.endswith("internships_2026.pdf") for c in follow.answer.citations)
    assert chat.feedback(first.turn_id, 7, 1) and chat.feedback(first.turn_id, 7, -1)
    assert not chat.feedback(99999, 7, 1)
    assert chat.sources(follow.turn_id, 7)[0]["quote"]
    chat.ask(user_id=7, chat_id=7, text="学校有游泳池吗？")
    with pytest.raises(RateLimited) as limited:
        chat.ask(user_id=7, chat_id=7, text="one more")
    assert 1 <= limited.value.retry_after <= 60
    stats = chat.stats()
    assert stats == {"users": 1, "questions": 3, "unanswered": 1, "thumbs_up": 0,
                     "thumbs_down": 1, "up_rate": 0.0}
    assert [q for q, _ in chat.unanswered()] == ["学校有游泳池吗？"]
    assert chat.reset(7, 7) == 3 and chat.previous_question(7, 7) == ""
    assert chat.forget(7) == {"messages": 3, "feedback": 1, "profile": 1}
    assert chat.role(7) is None and chat.stats()["questions"] == 0


@pytest.mark.parametrize("text,expected", [
    ("and which internships does it have?", True),
    ("那这个专业的实习呢？", True),
    ("它的核心课程有哪些", True),
    ("What are the core courses of Big Data Technology?", False),
    ("数字媒体技术专业的核心课程有哪些？", False),
    ("tuition?", True),  # too short to stand alone
    ("then which certificates?", True),
    ("该专业的证书有哪些？", True),
    ("那些课程哪门最难？", True),
])
def test_follow_up_detection(text: str, expected: bool) -> None:
    # One rule: the context the chat passes and the subject the assistant carries agree.
    from knowledge.answering.followup import is_followup
    assert is_follow_up(text) is expected
    assert is_followup(text) is expected


def test_a_burst_of_questions_lets_through_exactly_the_limit(chat: ChatService) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def one(i: int) -> bool:
        try:
            chat.ask(user_id=9, chat_id=9, text=f"What is DMT21{i % 10}?")
            return True
        except RateLimited:
            return False

    with ThreadPoolExecutor(16) as pool:
        admitted = sum(pool.map(one, range(30)))
    assert admitted == 3


@pytest.fixture
def llm_kb(tmp_path: Path, database_url: str) -> Iterator[tuple[KnowledgeBase, FakeOpenAI]]:
    fake = FakeOpenAI(model="fake-model").start()
    kb = KnowledgeBase(make_settings(tmp_path / "data", database_url=database_url,
                                     openai_base_url=fake.base_url, llm_model="fake-model",
                                     llm_timeout=5.0, llm_daily_tokens=1))
    Ingestor(kb).run([SAMPLES / "kb" / "majors", SAMPLES / "kb" / "courses",
                      SAMPLES / "kb" / "internships"])
    yield kb, fake
    fake.stop()


def test_a_burst_cannot_overspend_the_daily_token_budget(
        llm_kb: tuple[KnowledgeBase, FakeOpenAI]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    kb, fake = llm_kb
    fake.reply = lambda messages: "The final exam weighs 20% [1]."
    chat = ChatService(Assistant(kb), questions_per_minute=100)
    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(lambda i: chat.ask(user_id=3, chat_id=3, text="How is DMT210 assessed?"),
                                range(8)))
    assert [r.answer.backend for r in replies].count("llm") == 1
    assert len(fake.completions()) == 1


def test_answers_that_fail_the_check_and_follow_up_rewrites_are_charged(
        llm_kb: tuple[KnowledgeBase, FakeOpenAI]) -> None:
    kb, fake = llm_kb
    kb.settings.llm.daily_tokens = 100000
    fake.reply = lambda messages: "I will not cite anything."
    chat = ChatService(Assistant(kb))
    failed = chat.ask(user_id=4, chat_id=4, text="How is DMT210 assessed?")
    assert failed.answer.backend == "extractive" and len(fake.completions()) == 1
    assert chat.tokens_today(4) > 0, "the model's work is charged even when the answer is not shown"

    def reply(messages):  # type: ignore[no-untyped-def]
        if "Rewrite the follow-up" in messages[0]["content"]:
            return "What internships does the Big Data Technology major offer?"
        return "DataWorks offers a data analyst internship [1]."

    fake.reply = reply
    first = chat.ask(user_id=5, chat_id=5, text="Tell me about the Big Data Technology major")
    second = chat.ask(user_id=5, chat_id=5, text="and which internships does it have?")
    spent = first.answer.tokens + second.answer.tokens
    assert chat.tokens_today(5) > spent, "the rewriting call is counted"


def test_a_spent_budget_also_stops_the_follow_up_rewrite(
        llm_kb: tuple[KnowledgeBase, FakeOpenAI]) -> None:
    kb, fake = llm_kb
    fake.reply = lambda messages: "Big Data Technology trains data engineers [1]."
    chat = ChatService(Assistant(kb))
    chat.ask(user_id=6, chat_id=6, text="Tell me about the Big Data Technology major")
    follow = chat.ask(user_id=6, chat_id=6, text="and which internships does it have?")
    assert not [r for r in fake.completions() if "Rewrite the follow-up" in r["messages"][0]["content"]]
    assert len(fake.completions()) == 1 and "budget" in follow.answer.text
    assert any(c.source.endswith("internships_2026.pdf") for c in follow.answer.citations)
