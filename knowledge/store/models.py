"""SQL models: the documents registry, chunks for keyword search and citations, and the
store revision that tells readers when to rebuild their keyword index."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Document(Base):
    """One ingested file (or upload). ``id`` is stable for a path; ``source`` is what users see."""

    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    path: Mapped[str] = mapped_column(Text)
    root: Mapped[str] = mapped_column(Text, index=True)
    source: Mapped[str] = mapped_column(Text)
    doc_type: Mapped[str] = mapped_column(String(32), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8), default="")
    encoding: Mapped[str] = mapped_column(String(32), default="")
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    chunk_count: Mapped[int] = mapped_column(Integer, default=0)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    chunks: Mapped[list[ChunkRow]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class ChunkRow(Base):
    """A chunk as keyword search and citations need it; its vector lives in Chroma."""

    __tablename__ = "chunks"
    __table_args__ = (Index("ix_chunks_document_ordinal", "document_id", "ordinal"),)

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    header: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    locator: Mapped[str] = mapped_column(Text, default="")
    # The record the chunk belongs to ("510204 数字媒体技术"), for browsing.
    entity: Mapped[str] = mapped_column(Text, default="")
    doc_type: Mapped[str] = mapped_column(String(32), index=True)
    language: Mapped[str] = mapped_column(String(8), default="")
    # Space-joined search tokens (jieba for Chinese), computed once at ingest.
    tokens: Mapped[str] = mapped_column(Text, default="")

    document: Mapped[Document] = relationship(back_populates="chunks")


class StoreMeta(Base):
    """Small key/value facts about the store, e.g. its revision."""

    __tablename__ = "store_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ChatUser(Base):
    """Someone who talks to the bot: their role survives restarts."""

    __tablename__ = "chat_users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    role: Mapped[str | None] = mapped_column(String(16), nullable=True)
    language: Mapped[str] = mapped_column(String(8), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Turn(Base):
    """One question and its answer: conversation memory, the question log and feedback's anchor."""

    __tablename__ = "turns"
    __table_args__ = (Index("ix_turns_chat_created", "chat_id", "created_at"),
                      Index("ix_turns_user_created", "user_id", "created_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    grounded: Mapped[bool] = mapped_column(Boolean, default=False)
    citations: Mapped[str] = mapped_column(Text, default="[]")  # JSON, with the quotes
    in_context: Mapped[bool] = mapped_column(Boolean, default=True)
    tokens: Mapped[int] = mapped_column(Integer, default=0)  # model tokens spent on this turn
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Feedback(Base):
    """👍 (+1) or 👎 (-1) on a turn; one per user and turn."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("turn_id", "user_id", name="uq_feedback_turn_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    turn_id: Mapped[int] = mapped_column(ForeignKey("turns.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    value: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Major(Base):
    """A major named by a catalogue row or a training plan."""

    __tablename__ = "majors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32), index=True, default="")
    name: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="")  # new / renamed / unchanged / deleted
    locator: Mapped[str] = mapped_column(Text, default="")


class PlanItem(Base):
    """One line of a training plan, filed under its major and group (core courses, …)."""

    __tablename__ = "plan_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    major_code: Mapped[str] = mapped_column(String(32), index=True, default="")
    major_name: Mapped[str] = mapped_column(Text, default="")
    group: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    locator: Mapped[str] = mapped_column(Text, default="")


class Course(Base):
    """A course from a course page or a course list."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32), index=True, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    credits: Mapped[str] = mapped_column(String(16), default="")
    prerequisites: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    locator: Mapped[str] = mapped_column(Text, default="")


class RequirementSnapshot(Base):
    """The skills an enterprise document asked for at one ingest, for ``skills drift``."""

    __tablename__ = "requirement_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    skills: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of skill ids
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Occupation(Base):
    """An occupation profile (O*NET, ESCO) or catalogue row, with the text its skills come from."""

    __tablename__ = "occupations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    system: Mapped[str] = mapped_column(String(16), default="")  # onet / esco / cn
    code: Mapped[str] = mapped_column(String(32), index=True, default="")
    name: Mapped[str] = mapped_column(Text, default="")
    skills_text: Mapped[str] = mapped_column(Text, default="")
    locator: Mapped[str] = mapped_column(Text, default="")


class MajorOccupation(Base):
    """A major-to-occupation link from a crosswalk."""

    __tablename__ = "major_occupations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    major_code: Mapped[str] = mapped_column(String(32), index=True)
    major_name: Mapped[str] = mapped_column(Text, default="")
    occupation_code: Mapped[str] = mapped_column(String(32), default="")
    occupation_name: Mapped[str] = mapped_column(Text, default="")
    locator: Mapped[str] = mapped_column(Text, default="")


class Requirement(Base):
    """An enterprise requirement or internship: company, role and what it asks for."""

    __tablename__ = "requirements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    company: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(Text, default="")
    qualifications: Mapped[str] = mapped_column(Text, default="")
    locator: Mapped[str] = mapped_column(Text, default="")


class SkillTerm(Base):
    """A skill name found by ingest (an ESCO essential skill, say), tied to a canonical skill
    when it names one, or a new skill of its own: the vocabulary grows with the corpus."""

    __tablename__ = "skill_terms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    term: Mapped[str] = mapped_column(Text)
    skill_id: Mapped[str] = mapped_column(String(120), index=True)


class ProcessedUpdate(Base):
    """Telegram update ids already taken by a bot worker: a redelivered update is answered once,
    whichever worker it reaches."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class UserLimit(Base):
    """A user's question rate and daily model-token budget, kept in one row so that the check
    and the charge are one UPDATE: a burst of concurrent questions cannot all pass a check made
    before any of them is charged."""

    __tablename__ = "user_limits"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # When the next question is due at the steady rate (epoch seconds, the "virtual time" of
    # a generic cell-rate limiter): a question is refused while this is over a minute ahead.
    next_at: Mapped[float] = mapped_column(Float, default=0.0)
    day: Mapped[str] = mapped_column(String(10), default="")  # UTC date the tokens count for
    tokens: Mapped[int] = mapped_column(Integer, default=0)  # spent and held for that day
    held: Mapped[int] = mapped_column(Integer, default=0)  # what the last admission held


class ApiToken(Base):
    """A bearer token for the web API (and, with the admin scope, the web console's login).
    Only the SHA-256 of the token is stored: tokens are long random strings, so a fast hash is
    enough, and a copy of the database does not give access."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(16), default="api")  # api / admin
    per_minute: Mapped[int] = mapped_column(Integer, default=60)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class WebRateLimit(Base):
    """When a web client's next request is due at its steady rate (epoch seconds): one row per
    token or anonymous address, checked and charged by one UPDATE so several workers agree."""

    __tablename__ = "web_rate_limits"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    next_at: Mapped[float] = mapped_column(Float, default=0.0)


class CuratorMark(Base):
    """A curator marked a question (unanswered, or rated 👎) as dealt with."""

    __tablename__ = "curator_marks"

    turn_id: Mapped[int] = mapped_column(ForeignKey("turns.id", ondelete="CASCADE"), primary_key=True)
    done_by: Mapped[str] = mapped_column(String(120), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    done_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
