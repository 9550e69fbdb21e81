"""The old single-module entry point, kept so callers written against it keep working while
they move to ``knowledge.skills`` (which exports the same names and more)."""

from __future__ import annotations

from knowledge.skills import (
    COVERING_GROUPS,
    GROUP_ORDER,
    courses_for,
    drift,
    find_majors,
    find_skills,
    gap,
    match,
    occupation_skills,
    profile,
    skill_id_for,
)
from knowledge.skills.index import index_for
from knowledge.skills.results import Extraction
from knowledge.store.base import KnowledgeBase


def extract(kb: KnowledgeBase, text: str) -> Extraction:
    """The skills a text asks for, linked with the knowledge base's extended vocabulary."""
    return index_for(kb).extract(text)


__all__ = ["COVERING_GROUPS", "GROUP_ORDER", "courses_for", "drift", "extract", "find_majors", "find_skills", "gap",
           "match", "occupation_skills", "profile", "skill_id_for"]
