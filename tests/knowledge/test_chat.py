"""Conversation state on SQLite and PostgreSQL: roles, follow-ups, rate limits, feedback,
reset, forget and the curators' numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import Ingestor
from knowledge.answering.assistant import Assistant
from knowledge.conversation.chat import ChatService, RateLimited, is_follow_up
from knowledge.errors import UserFacingError
from knowledge.store.base import KnowledgeBase
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
    assert chat.sources(follow.turn_id)[0]["quote"]
    chat.ask(user_id=7, chat_id=7, text="学校有游泳池吗？")
    with pytest.raises(RateLimited) as limited:
        chat.ask(user_id=7, chat_id=7, text="one more")
    assert 1 <= limited.value.retry_after <= 60
    stats = chat.stats()
    assert stats == {"users": 1, "questions": 3, "unanswered": 1, "thumbs_up": 0,
                     "thumbs_down": 1, "up_rate": 0.0}
    assert [q for q, _ in chat.unanswered()] == ["学校有游泳池吗？"]
    assert chat.reset(7) == 3 and chat.previous_question(7) == ""
    assert chat.forget(7) == {"messages": 3, "feedback": 1, "profile": 1}
    assert chat.role(7) is None and chat.stats()["questions"] == 0


@pytest.mark.parametrize("text,expected", [
    ("and which internships does it have?", True),
    ("那这个专业的实习呢？", True),
    ("它的核心课程有哪些", True),
    ("What are the core courses of Big Data Technology?", False),
    ("数字媒体技术专业的核心课程有哪些？", False),
])
def test_follow_up_detection(text: str, expected: bool) -> None:
    assert is_follow_up(text) is expected
