"""Browsing what the knowledge base holds: training-plan documents as categories, and the
majors (records) inside each, for the bot's /majors buttons."""

from __future__ import annotations

from sqlalchemy import func, select

from knowledge.schema import DocType
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import ChunkRow, Document

BROWSABLE = (DocType.TRAINING_PLAN.value,)


def categories(kb: KnowledgeBase, limit: int = 40) -> list[tuple[str, str, int]]:
    """``(document id, title, majors in it)`` for each training-plan document."""
    with kb.db.session() as s:
        rows = s.execute(
            select(Document.id, Document.title, func.count(func.distinct(ChunkRow.entity)))
            .join(ChunkRow, ChunkRow.document_id == Document.id)
            .where(Document.doc_type.in_(BROWSABLE), ChunkRow.entity != "")
            .group_by(Document.id, Document.title)
            .order_by(Document.title)
            .limit(limit)
        ).all()
    return [(doc_id, title, int(n)) for doc_id, title, n in rows]


def majors_in(kb: KnowledgeBase, document_id: str) -> list[str]:
    """The records ("510204 数字媒体技术") a training-plan document holds, in document order."""
    with kb.db.session() as s:
        rows = s.execute(
            select(ChunkRow.entity, func.min(ChunkRow.ordinal))
            .where(ChunkRow.document_id == document_id, ChunkRow.entity != "")
            .group_by(ChunkRow.entity)
            .order_by(func.min(ChunkRow.ordinal))
        ).all()
    return [entity for entity, _ in rows]


def find_document(kb: KnowledgeBase, prefix: str) -> str | None:
    """The full id of a document from the prefix carried in a button."""
    with kb.db.session() as s:
        return s.scalars(select(Document.id).where(Document.id.startswith(prefix)).limit(1)).first()
