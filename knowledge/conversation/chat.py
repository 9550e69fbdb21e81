"""Conversations: roles, follow-up questions, the question log, feedback, rate limits and
forgetting. Shared by every front end that keeps per-user state (the Telegram bot); all state
is in SQL, so several bot workers can serve one chat."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from knowledge.answering.assistant import ROLES, Assistant
from knowledge.errors import UserFacingError
from knowledge.language import tokenize
from knowledge.schema import Answer, DocType
from knowledge.store.models import ChatUser, Feedback, ProcessedUpdate, Turn, utcnow

HISTORY_WINDOW = timedelta(minutes=30)
_FOLLOW_UP = re.compile(
    r"^(and|also|what about|how about|then)\b|\b(it|its|this|that|these|those|they|them|there)\b"
    r"|它|这个|那个|这门|那门|该专业|该课程|这些|那些|还有|呢[？?]?$|^那",
    re.IGNORECASE,
)


class RateLimited(UserFacingError):
    """Too many questions in the last minute."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"too many questions; try again in {retry_after} s")


@dataclass(frozen=True)
class Reply:
    turn_id: int
    answer: Answer
    question: str


def _count(result: Any) -> int:
    """Rows a DELETE or UPDATE touched."""
    return int(getattr(result, "rowcount", 0) or 0)


def is_follow_up(question: str) -> bool:
    """A question that leans on the one before ("and which internships does it have?")."""
    return bool(_FOLLOW_UP.search(question)) or len(tokenize(question)) < 3


class ChatService:
    def __init__(self, assistant: Assistant, *, questions_per_minute: int = 20) -> None:
        self.assistant = assistant
        self.db = assistant.kb.db
        self.questions_per_minute = questions_per_minute

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

    # -- questions ---------------------------------------------------------------

    def check_rate(self, user_id: int) -> None:
        since = utcnow() - timedelta(minutes=1)
        with self.db.session() as s:
            recent = s.scalars(
                select(Turn.created_at).where(Turn.user_id == user_id, Turn.created_at > since)
                .order_by(Turn.created_at)
            ).all()
        if len(recent) >= self.questions_per_minute:
            oldest = recent[0]
            if oldest.tzinfo is None:  # SQLite returns naive datetimes
                oldest = oldest.replace(tzinfo=since.tzinfo)
            wait = 60 - (utcnow() - oldest).total_seconds()
            raise RateLimited(max(1, int(wait) + 1))

    def previous_question(self, chat_id: int) -> str:
        since = utcnow() - HISTORY_WINDOW
        with self.db.session() as s:
            last = s.scalars(
                select(Turn.question).where(Turn.chat_id == chat_id, Turn.in_context.is_(True),
                                            Turn.created_at > since)
                .order_by(Turn.id.desc()).limit(1)
            ).first()
        return last or ""

    def ask(self, *, user_id: int, chat_id: int, text: str,
            doc_types: set[DocType] | None = None) -> Reply:
        """Answer ``text`` in the context of the chat, and log the turn."""
        for item in self.ask_stream(user_id=user_id, chat_id=chat_id, text=text,
                                    doc_types=doc_types):
            if isinstance(item, Reply):
                return item
        raise AssertionError("ask_stream ends with a Reply")  # pragma: no cover

    def tokens_today(self, user_id: int) -> int:
        start = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
        with self.db.session() as s:
            return int(s.scalar(select(func.coalesce(func.sum(Turn.tokens), 0))
                                .where(Turn.user_id == user_id, Turn.created_at >= start)) or 0)

    def ask_stream(self, *, user_id: int, chat_id: int, text: str,
                   doc_types: set[DocType] | None = None) -> Iterator[str | Reply]:
        """Generated text as it comes (when a model is configured), then the logged Reply."""
        self.check_rate(user_id)
        context = self.previous_question(chat_id) if is_follow_up(text) else ""
        budget_left = (self.assistant.llm is None
                       or self.tokens_today(user_id) < self.assistant.kb.settings.llm_daily_tokens)
        answer: Answer | None = None
        for item in self.assistant.ask_stream(text, role=self.role(user_id), context=context,
                                              doc_types=doc_types, generate=budget_left):
            if isinstance(item, Answer):
                answer = item
            else:
                yield item
        assert answer is not None
        yield self.log_answer(user_id, chat_id, text, answer)

    def log_answer(self, user_id: int, chat_id: int, text: str, answer: Answer) -> Reply:
        """Store a turn for an answer made elsewhere (e.g. a /skills command)."""
        citations = [
            {**c.as_json(), "quote": c.quote} for c in answer.citations
        ]
        with self.db.session() as s:
            turn = Turn(chat_id=chat_id, user_id=user_id, question=text[:4000],
                        answer=answer.text, grounded=answer.grounded, tokens=answer.tokens,
                        citations=json.dumps(citations, ensure_ascii=False))
            s.add(turn)
            s.flush()
            turn_id = turn.id
        return Reply(turn_id=turn_id, answer=answer, question=text)

    def sources(self, turn_id: int) -> list[dict[str, Any]]:
        with self.db.session() as s:
            turn = s.get(Turn, turn_id)
            return json.loads(turn.citations) if turn else []

    def feedback(self, turn_id: int, user_id: int, value: int) -> bool:
        """Record 👍/👎; a second press by the same user replaces the first."""
        with self.db.session() as s:
            if s.get(Turn, turn_id) is None:
                return False
            existing = s.scalars(select(Feedback).where(Feedback.turn_id == turn_id,
                                                        Feedback.user_id == user_id)).first()
            if existing:
                existing.value = value
            else:
                s.add(Feedback(turn_id=turn_id, user_id=user_id, value=value))
        return True

    # -- memory ------------------------------------------------------------------

    def reset(self, chat_id: int) -> int:
        """Forget the conversation's context (the question log stays for curators)."""
        with self.db.session() as s:
            return _count(s.execute(update(Turn).where(Turn.chat_id == chat_id,
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

    # -- delivery ----------------------------------------------------------------

    def claim_update(self, update_id: int) -> bool:
        """True for the first worker to see ``update_id``; False for a redelivery."""
        try:
            with self.db.session() as s:
                s.add(ProcessedUpdate(update_id=update_id))
        except IntegrityError:
            return False
        if update_id % 500 == 0:  # now and then, forget ids older than a day
            with self.db.session() as s:
                s.execute(delete(ProcessedUpdate).where(
                    ProcessedUpdate.received_at < utcnow() - timedelta(days=1)))
        return True

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
        return [(q, when.strftime("%Y-%m-%d %H:%M")) for q, when in rows]
