"""Conversation state in SQL: roles, the question log (turns), context for follow-ups,
feedback and forgetting. Context is kept per (chat, user): in a group, one member's follow-up
leans on that member's previous question, and /reset clears only that member's context.

Every text a user sends is cleaned of control characters and bidirectional overrides before it
is stored, so what curators see (``/unanswered``, a terminal) is what was typed."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select, update

from knowledge.answering.assistant import ROLES
from knowledge.errors import UserFacingError
from knowledge.schema import Answer
from knowledge.store.db import Database
from knowledge.store.models import ChatUser, Feedback, Turn, utcnow

HISTORY_WINDOW = timedelta(minutes=30)
# C0/C1 controls except tab and newline, and the Unicode bidi embeddings, overrides and
# isolates (a U+202E in a question reverses what a curator reads after it).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """User text without control characters or direction overrides."""
    return _UNSAFE.sub("", text)


def _count(result: Any) -> int:
    """Rows a DELETE or UPDATE touched."""
    return int(getattr(result, "rowcount", 0) or 0)


class ConversationState:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- roles -------------------------------------------------------------------

    def role(self, user_id: int) -> str | None:
        with self.db.session() as s:
            user = s.get(ChatUser, user_id)
            return user.role if user else None

    def set_role(self, user_id: int, role: str) -> None:
        if role not in ROLES:
            raise UserFacingError(f"unknown role {role!r}; valid roles: {', '.join(ROLES)}")
        with self.db.session() as s:
            user = s.get(ChatUser, user_id)
            if user is None:
                s.add(ChatUser(id=user_id, role=role))
            else:
                user.role = role

    # -- turns -------------------------------------------------------------------

    def previous_question(self, chat_id: int, user_id: int) -> str:
        """The user's last question in this chat within the history window, if any."""
        since = utcnow() - HISTORY_WINDOW
        with self.db.session() as s:
            last = s.scalars(
                select(Turn.question).where(Turn.chat_id == chat_id, Turn.user_id == user_id,
                                            Turn.in_context.is_(True), Turn.created_at > since)
                .order_by(Turn.id.desc()).limit(1)
            ).first()
        return last or ""

    def log_turn(self, user_id: int, chat_id: int, text: str, answer: Answer) -> int:
        """Store a question and its answer; the turn's id."""
        citations = [{**c.as_json(), "quote": c.quote} for c in answer.citations]
        with self.db.session() as s:
            turn = Turn(chat_id=chat_id, user_id=user_id, question=clean_text(text)[:4000],
                        answer=answer.text, grounded=answer.grounded, tokens=answer.tokens,
                        citations=json.dumps(citations, ensure_ascii=False))
            s.add(turn)
            s.flush()
            return int(turn.id)

    def sources(self, turn_id: int, user_id: int) -> list[dict[str, Any]] | None:
        """The quoted passages of the user's own turn; None when it is not theirs (or gone)."""
        with self.db.session() as s:
            citations = s.scalar(select(Turn.citations).where(Turn.id == turn_id,
                                                              Turn.user_id == user_id))
        return None if citations is None else list(json.loads(citations))

    def feedback(self, turn_id: int, user_id: int, value: int) -> bool:
        """Record 👍/👎 on the user's own turn; a second press replaces the first."""
        with self.db.session() as s:
            owned = s.scalar(select(Turn.id).where(Turn.id == turn_id, Turn.user_id == user_id))
            if owned is None:
                return False
            existing = s.scalars(select(Feedback).where(Feedback.turn_id == turn_id,
                                                        Feedback.user_id == user_id)).first()
            if existing:
                existing.value = value
            else:
                s.add(Feedback(turn_id=turn_id, user_id=user_id, value=value))
        return True

    # -- memory ------------------------------------------------------------------

    def reset(self, chat_id: int, user_id: int) -> int:
        """Forget the user's context in this chat (the question log stays for curators)."""
        with self.db.session() as s:
            return _count(s.execute(update(Turn).where(Turn.chat_id == chat_id,
                                                       Turn.user_id == user_id,
                                                       Turn.in_context.is_(True))
                                    .values(in_context=False)))

    def forget(self, user_id: int) -> dict[str, int]:
        """Delete everything stored about a user; say how much."""
        with self.db.session() as s:
            feedback = _count(s.execute(delete(Feedback).where(Feedback.user_id == user_id)))
            turn_ids = select(Turn.id).where(Turn.user_id == user_id)
            s.execute(delete(Feedback).where(Feedback.turn_id.in_(turn_ids)))
            turns = _count(s.execute(delete(Turn).where(Turn.user_id == user_id)))
            users = _count(s.execute(delete(ChatUser).where(ChatUser.id == user_id)))
        return {"messages": turns, "feedback": feedback, "profile": users}

    # -- curators ----------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        with self.db.session() as s:
            users = s.scalar(select(func.count(func.distinct(Turn.user_id)))) or 0
            known = s.scalar(select(func.count()).select_from(ChatUser)) or 0
            questions = s.scalar(select(func.count()).select_from(Turn)) or 0
            unanswered = s.scalar(select(func.count()).select_from(Turn)
                                  .where(Turn.grounded.is_(False))) or 0
            up = s.scalar(select(func.count()).select_from(Feedback).where(Feedback.value > 0)) or 0
            down = s.scalar(select(func.count()).select_from(Feedback)
                            .where(Feedback.value < 0)) or 0
        rated = up + down
        return {"users": max(users, known), "questions": questions, "unanswered": unanswered,
                "thumbs_up": up, "thumbs_down": down,
                "up_rate": round(up / rated, 3) if rated else None}

    def unanswered(self, limit: int = 20) -> list[tuple[str, str]]:
        """Recent questions the knowledge base could not answer: the curators' to-do list."""
        with self.db.session() as s:
            rows = s.execute(select(Turn.question, Turn.created_at)
                             .where(Turn.grounded.is_(False))
                             .order_by(Turn.id.desc()).limit(limit)).all()
        # Cleaned again on the way out: rows stored before cleaning existed.
        return [(clean_text(q), when.strftime("%Y-%m-%d %H:%M")) for q, when in rows]
