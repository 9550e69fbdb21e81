"""Requirement drift: the skills each re-ingested enterprise document added or dropped since
its previous version, and the majors whose plans teach them."""

from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import select

from knowledge.skills.index import index_for
from knowledge.skills.results import AffectedMajor, DriftChange, DriftReport
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import Document, RequirementSnapshot


def drift(kb: KnowledgeBase) -> DriftReport:
    """Skills each re-ingested enterprise document added or dropped, and the majors affected."""
    index = index_for(kb)
    with kb.db.session() as s:
        rows = s.execute(
            select(RequirementSnapshot.document_id, RequirementSnapshot.skills, Document.source)
            .join(Document, Document.id == RequirementSnapshot.document_id)
            .order_by(RequirementSnapshot.document_id, RequirementSnapshot.id)).all()
    history: dict[str, list[tuple[set[str], str]]] = defaultdict(list)
    for doc_id, skills_json, source in rows:
        history[doc_id].append((set(json.loads(skills_json)), source))
    labels = index.labels
    majors = index.major_skills()
    changes: list[DriftChange] = []
    for versions in history.values():
        if len(versions) < 2:
            continue
        (before, _), (after, source) = versions[-2], versions[-1]
        added, dropped = sorted(after - before), sorted(before - after)
        if not added and not dropped:
            continue
        touched = set(added) | set(dropped)
        affected = [AffectedMajor(code, name, tuple(sorted(labels.en(k) for k in touched if k in have)))
                    for (code, name), have in majors.items() if touched & set(have)]
        changes.append(DriftChange(source=source, added=tuple(labels.en(k) for k in added),
                                   dropped=tuple(labels.en(k) for k in dropped),
                                   majors_affected=tuple(sorted(affected, key=lambda m: m.code))))
    return DriftReport(changes=tuple(changes))
