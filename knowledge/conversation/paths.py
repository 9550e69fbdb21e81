"""What a student's path answer leaves behind for its buttons: the subject (major, target, the
postings listed) and how far the student has paged through the postings, in SQL so that any
bot worker can serve the next press. A press is answered only for the pressing user's own turn
(callback data can be forged and turn ids are sequential)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import ForeignKey, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.answering.path_intent import PathAnswer, PathSubject, nth_posting, plan_answer
from knowledge.schema import Answer
from knowledge.store.base import KnowledgeBase
from knowledge.store.db import Database
from knowledge.store.models import Base, Turn

__all__ = ["PathButtons", "PathPress", "PathTurns", "buttons_for"]


class PathTurn(Base):
    """Migration 0008. Kept beside its only user rather than in ``store.models``: nothing but
    the path buttons reads it."""

    __tablename__ = "path_turns"

    turn_id: Mapped[int] = mapped_column(Integer, ForeignKey("turns.id", ondelete="CASCADE"),
                                         primary_key=True, autoincrement=False)
    major: Mapped[str] = mapped_column(String(200))
    target: Mapped[str] = mapped_column(Text, default="")
    postings: Mapped[str] = mapped_column(Text, default="[]")  # JSON: "source#locator", in order
    shown: Mapped[int] = mapped_column(Integer, default=0)  # the last posting shown (1-based)
    language: Mapped[str] = mapped_column(String(8), default="en")


@dataclass(frozen=True)
class PathButtons:
    """Which buttons a path answer gets."""

    plan: bool = False
    next_posting: bool = False


@dataclass(frozen=True)
class PathPress:
    """What a press gives: the answer to show (None: no plan / no more postings) and whether
    a further posting follows it."""

    answer: Answer | None
    more: bool = False


def _position(subject: PathSubject) -> int:
    # An internships answer lists the postings best first: its first one counts as seen, so
    # "next" shows the second; a posting shown in detail is where paging goes on from.
    return max(subject.shown, 1) if subject.postings else 0


def buttons_for(answer: Answer) -> PathButtons:
    """The path buttons an answer gets: the plan when it carries one, the next posting when
    it listed (or showed) a posting with another after it."""
    if not isinstance(answer, PathAnswer) or answer.subject is None:
        return PathButtons()
    subject = answer.subject
    return PathButtons(plan=bool(answer.plan and subject.target),
                       next_posting=_position(subject) < len(subject.postings))


class PathTurns:
    def __init__(self, kb: KnowledgeBase, db: Database) -> None:
        self.kb = kb
        self.db = db

    def keep(self, turn_id: int, answer: Answer) -> None:
        """Remember a path answer's subject for its buttons (other answers: nothing)."""
        buttons = buttons_for(answer)
        if not (buttons.plan or buttons.next_posting):
            return
        assert isinstance(answer, PathAnswer) and answer.subject is not None
        subject = answer.subject
        with self.db.session() as s:
            s.add(PathTurn(turn_id=turn_id, major=subject.major[:200], target=subject.target,
                           postings=json.dumps(list(subject.postings), ensure_ascii=False),
                           shown=_position(subject), language=answer.language))

    def _owned(self, turn_id: int, user_id: int) -> PathTurn | None:
        with self.db.session() as s:
            return s.scalars(select(PathTurn).join(Turn, Turn.id == PathTurn.turn_id)
                             .where(PathTurn.turn_id == turn_id, Turn.user_id == user_id)).first()

    @staticmethod
    def _subject(row: PathTurn, shown: int) -> PathSubject:
        return PathSubject(row.major, row.target, tuple(json.loads(row.postings)), shown)

    def plan(self, turn_id: int, user_id: int) -> PathPress | None:
        """The ordered plan behind the user's own path answer; None when the turn is not
        theirs (or is gone)."""
        row = self._owned(turn_id, user_id)
        if row is None or not row.target:
            return None
        return PathPress(plan_answer(self.kb, self._subject(row, row.shown), row.language))

    def next_posting(self, turn_id: int, user_id: int) -> PathPress | None:
        """The next posting of the user's own internships answer, moving their place on by
        one; None when the turn is not theirs or listed no postings (a path answer's turn
        offers no such button: the data is forged). Moving on is one conditional UPDATE, so
        two workers serving two quick presses show two different postings."""
        row = self._owned(turn_id, user_id)
        total = len(json.loads(row.postings)) if row is not None else 0
        if row is None or not total:
            return None
        with self.db.session() as s:
            number = s.scalar(update(PathTurn)
                              .where(PathTurn.turn_id == turn_id, PathTurn.shown < total)
                              .values(shown=PathTurn.shown + 1).returning(PathTurn.shown))
        if number is None:
            return PathPress(None)
        found = nth_posting(self.kb, self._subject(row, number), number, row.language)
        return PathPress(found[0] if found else None, more=number < total)
