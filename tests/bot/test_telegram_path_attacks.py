"""Forged path-button presses on the user's own turns: a "next posting" press on a path
answer (which offered only "see the plan") is refused like any forged data, not answered
with "no more postings"."""

from __future__ import annotations

import shutil
from pathlib import Path

from knowledge.store.base import KnowledgeBase
from tests.bot.test_telegram_path import kb_dir  # noqa: F401  (the shared knowledge base fixture)
from tests.conftest import make_settings


def test_a_next_posting_press_on_a_plan_only_turn_is_refused(kb_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    from knowledge.answering.path_intent import route_path
    from knowledge.conversation.paths import PathTurns, buttons_for
    from knowledge.conversation.state import ConversationState

    shutil.copytree(kb_dir, tmp_path / "data")
    kb = KnowledgeBase(make_settings(tmp_path / "data"))
    try:
        question = "我是软件技术专业的，想做数据分析师，还缺什么？"
        answer = route_path(kb, question, "zh")
        assert answer is not None
        buttons = buttons_for(answer)
        assert buttons.plan and not buttons.next_posting, "a path answer offers its plan only"
        turn = ConversationState(kb.db).log_turn(31, 31, question, answer)
        paths = PathTurns(kb, kb.db)
        paths.keep(turn, answer)
        assert paths.next_posting(turn, 31) is None, "forged post: on the owner's plan turn"
        pressed = paths.plan(turn, 31)
        assert pressed is not None and pressed.answer is not None, "the plan button still works"
        assert paths.next_posting(turn, 32) is None and paths.plan(turn, 32) is None, "not user 32's"
    finally:
        kb.close()
