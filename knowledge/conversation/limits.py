"""Per-user limits: questions per minute and the daily model-token budget.

Both are checked and charged by ONE UPDATE of the user's row (``user_limits``), so a burst of
concurrent questions, on any number of workers, is admitted exactly as far as the limits allow:
PostgreSQL re-evaluates the UPDATE's condition after waiting for the row lock, and SQLite runs
one writer at a time. The rate is a generic cell-rate limiter: ``N`` per minute admits a burst
of ``N`` and then one question every ``60/N`` seconds. Model tokens are *held* when a question
is admitted (an upper bound of what answering may cost) and settled afterwards with what was
spent, so concurrent questions cannot all spend the same remaining budget.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import case, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from knowledge.errors import UserFacingError
from knowledge.store.db import Database
from knowledge.store.models import UserLimit

WINDOW = 60.0  # seconds the rate is counted over


class RateLimited(UserFacingError):
    """Too many questions in the last minute."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"too many questions; try again in {retry_after} s")


@dataclass(frozen=True)
class Admission:
    """A question let through: whether the model may be used, and the tokens held for it."""

    user_id: int
    day: str
    held: int

    @property
    def generate(self) -> bool:
        return self.held > 0


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def _ensure_row(session: Session, user_id: int) -> None:
    dialect = session.get_bind().dialect.name
    values = {"user_id": user_id, "next_at": 0.0, "day": "", "tokens": 0, "held": 0}
    if dialect == "postgresql":
        session.execute(postgresql.insert(UserLimit).values(**values).on_conflict_do_nothing())
    elif dialect == "sqlite":
        session.execute(sqlite.insert(UserLimit).values(**values).on_conflict_do_nothing())
    elif session.get(UserLimit, user_id) is None:  # other databases: best effort
        session.execute(insert(UserLimit).values(**values))


class Limits:
    def __init__(self, db: Database, *, questions_per_minute: int, daily_tokens: int) -> None:
        self.db = db
        self.questions_per_minute = questions_per_minute
        self.daily_tokens = daily_tokens

    @property
    def _interval(self) -> float:
        return WINDOW / self.questions_per_minute if self.questions_per_minute > 0 else 0.0

    def admit(self, user_id: int, hold: int = 0) -> Admission:
        """Count one question and hold up to ``hold`` model tokens, or raise RateLimited.

        The tokens are held only while the day's budget is not spent; ``Admission.generate``
        says whether they were.
        """
        now, today, interval = time.time(), _today(), self._interval
        with self.db.session() as s:
            _ensure_row(s, user_id)
        due = case((UserLimit.next_at > now, UserLimit.next_at), else_=literal(now))
        spent = case((UserLimit.day == today, UserLimit.tokens), else_=0)
        held = case((spent < self.daily_tokens, hold), else_=0) if hold > 0 else literal(0)
        statement = (
            update(UserLimit)
            .where(UserLimit.user_id == user_id, due + interval - now <= WINDOW + 1e-6)
            .values(next_at=due + interval, tokens=spent + held, held=held, day=today)
            .returning(UserLimit.held)
        )
        with self.db.session() as s:
            row = s.execute(statement).first()
        if row is None:
            raise RateLimited(self._retry_after(user_id, now))
        return Admission(user_id=user_id, day=today, held=int(row[0]))

    def _retry_after(self, user_id: int, now: float) -> int:
        with self.db.session() as s:
            due = s.scalar(select(UserLimit.next_at).where(UserLimit.user_id == user_id)) or now
        return max(1, math.ceil(max(due, now) + self._interval - now - WINDOW))

    def settle(self, admission: Admission, spent: int) -> None:
        """Replace the tokens held for ``admission`` with what was ``spent``."""
        delta = spent - admission.held
        if delta == 0:
            return
        total = UserLimit.tokens + delta
        with self.db.session() as s:
            s.execute(update(UserLimit)
                      .where(UserLimit.user_id == admission.user_id, UserLimit.day == admission.day)
                      .values(tokens=case((total < 0, 0), else_=total)))

    def tokens_today(self, user_id: int) -> int:
        """Model tokens spent (or held) today."""
        with self.db.session() as s:
            value = s.scalar(select(UserLimit.tokens).where(UserLimit.user_id == user_id,
                                                            UserLimit.day == _today()))
        return int(value or 0)
