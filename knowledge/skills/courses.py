"""Courses that teach a skill (by title first, then description), with their prerequisites."""

from __future__ import annotations

from sqlalchemy import select

from knowledge.errors import UserFacingError
from knowledge.skills.index import evidence, index_for, sentence
from knowledge.skills.results import CourseHit, CoursesResult
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import Course, Document


def courses_for(kb: KnowledgeBase, skill_name: str) -> CoursesResult:
    """Courses whose title or description teaches a skill, with their prerequisites."""
    index = index_for(kb)
    concept = index.resolve(skill_name)
    if concept is None:
        raise UserFacingError(f"no known skill in {skill_name!r}; examples: database, 用户界面设计, nursing")
    key = concept.canonical or concept.id
    with kb.db.session() as s:
        rows = s.execute(select(Course.code, Course.title, Course.credits, Course.prerequisites,
                                Course.description, Course.locator, Document.source)
                         .join(Document, Document.id == Course.document_id)).all()
    texts = [t for row in rows for t in (row[1], row[4] or "")]
    found = index.extractor.extract_many(texts, embed=False)
    hits: list[tuple[bool, CourseHit]] = []
    for n, (code, title, credits, prereq, description, locator, source) in enumerate(rows):
        in_title = found[2 * n].keys().get(key)
        in_text = found[2 * n + 1].keys().get(key)
        if in_title is None and in_text is None:
            continue
        quote = title if in_title else sentence(description, in_text.mentions[0].text)  # type: ignore[union-attr]
        hits.append((in_title is not None, CourseHit(code, title, credits, prereq, evidence(source, locator, quote))))
    hits.sort(key=lambda h: (not h[0], h[1].code))
    labels = index.labels
    return CoursesResult(skill=labels.en(key), skill_zh=labels.zh(key), courses=tuple(h for _, h in hits))
