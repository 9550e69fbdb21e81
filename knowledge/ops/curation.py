"""What curators work through: the documents in the store, and the questions the knowledge
base could not answer or that users rated 👎, each markable as done."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from knowledge.schema import Answer
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import CuratorMark, Document, Feedback, Turn

__all__ = ["DocumentRow", "QueueItem", "documents", "work_queue", "mark_done", "queue_counts", "log_web_question"]


@dataclass(frozen=True)
class DocumentRow:
    id: str
    path: str
    source: str
    title: str
    doc_type: str
    language: str
    size_bytes: int
    chunks: int
    ingested_at: datetime


@dataclass(frozen=True)
class QueueItem:
    """A question to look at: unanswered (not grounded) and/or rated down, with its answer."""

    turn_id: int
    question: str
    answer: str
    grounded: bool
    thumbs_down: int
    asked_at: datetime
    sources: tuple[str, ...]
    done_at: datetime | None = None
    done_by: str = ""


def documents(kb: KnowledgeBase, *, doc_type: str = "", query: str = "",
              limit: int = 200, offset: int = 0) -> tuple[int, list[DocumentRow]]:
    """Documents (newest ingest first) with their type, size and chunks; and how many match."""
    where = []
    if doc_type:
        where.append(Document.doc_type == doc_type)
    if query:
        where.append(or_(Document.source.contains(query), Document.title.contains(query)))
    with kb.db.session() as s:
        total = s.scalar(select(func.count()).select_from(Document).where(*where)) or 0
        rows = s.scalars(select(Document).where(*where)
                         .order_by(Document.ingested_at.desc(), Document.source)
                         .limit(limit).offset(offset)).all()
        return int(total), [DocumentRow(r.id, r.path, r.source, r.title, r.doc_type, r.language, r.size_bytes,
                                        r.chunk_count, r.ingested_at) for r in rows]


QUEUE_KINDS = ("", "unanswered", "rated_down")


def work_queue(kb: KnowledgeBase, *, include_done: bool = False, limit: int = 100,
               kind: str = "") -> list[QueueItem]:
    """Unanswered and 👎-rated questions, newest first; done ones only when asked for.
    ``kind`` keeps one of the two (filtered in SQL, so ``limit`` counts only those)."""
    if kind not in QUEUE_KINDS:
        raise ValueError(f"kind must be one of {QUEUE_KINDS}")
    down = (select(Feedback.turn_id, func.count().label("n")).where(Feedback.value < 0)
            .group_by(Feedback.turn_id).subquery())
    wanted = {"": or_(Turn.grounded.is_(False), down.c.n > 0), "unanswered": Turn.grounded.is_(False),
              "rated_down": down.c.n > 0}[kind]
    query = (select(Turn, func.coalesce(down.c.n, 0), CuratorMark.done_at, CuratorMark.done_by)
             .outerjoin(down, down.c.turn_id == Turn.id)
             .outerjoin(CuratorMark, CuratorMark.turn_id == Turn.id)
             .where(wanted)
             .order_by(Turn.id.desc()).limit(limit))
    if not include_done:
        query = query.where(CuratorMark.turn_id.is_(None))
    with kb.db.session() as s:
        rows = s.execute(query).all()
    items = []
    for turn, n_down, done_at, done_by in rows:
        try:
            sources = tuple(dict.fromkeys(str(c.get("source", "")) for c in json.loads(turn.citations)))
        except (ValueError, AttributeError):
            sources = ()
        items.append(QueueItem(turn.id, turn.question, turn.answer, turn.grounded, int(n_down),
                               turn.created_at, sources, done_at, done_by or ""))
    return items


def mark_done(kb: KnowledgeBase, turn_id: int, *, by: str, note: str = "", done: bool = True) -> bool:
    """Mark a question dealt with (or not any more); False when there is no such question."""
    with kb.db.session() as s:
        if s.get(Turn, turn_id) is None:
            return False
        mark = s.get(CuratorMark, turn_id)
        if done and mark is None:
            s.add(CuratorMark(turn_id=turn_id, done_by=by[:120], note=note[:2000]))
        elif not done and mark is not None:
            s.delete(mark)
    return True


def queue_counts(kb: KnowledgeBase) -> dict[str, int]:
    """Questions, unanswered ones, 👍/👎 and what is still open in the queue."""
    with kb.db.session() as s:
        questions = s.scalar(select(func.count()).select_from(Turn)) or 0
        unanswered = s.scalar(select(func.count()).select_from(Turn).where(Turn.grounded.is_(False))) or 0
        up = s.scalar(select(func.count()).select_from(Feedback).where(Feedback.value > 0)) or 0
        down = s.scalar(select(func.count()).select_from(Feedback).where(Feedback.value < 0)) or 0
        done = s.scalar(select(func.count()).select_from(CuratorMark)) or 0
    return {"questions": int(questions), "unanswered": int(unanswered), "thumbs_up": int(up),
            "thumbs_down": int(down), "done": int(done)}


WEB_USER = 0  # questions asked on the web console are logged under this user and chat id


def log_web_question(kb: KnowledgeBase, question: str, answer: Answer) -> int:
    """Log a web question and its answer, so an unanswered one reaches the curators' queue."""
    citations = [{**c.as_json(), "quote": c.quote} for c in answer.citations]
    with kb.db.session() as s:
        turn = Turn(chat_id=WEB_USER, user_id=WEB_USER, question=" ".join(question.split())[:4000],
                    answer=answer.text, grounded=answer.grounded, in_context=False,
                    tokens=int(getattr(answer, "tokens", 0) or 0),
                    citations=json.dumps(citations, ensure_ascii=False))
        s.add(turn)
        s.flush()
        return int(turn.id)
