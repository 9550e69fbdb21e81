"""What graduates of a major can do: every skill its training plan names, filed by where it is
taught (core and foundation courses, internships, certificates, abilities, occupations)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from knowledge.errors import UserFacingError
from knowledge.skills.index import GROUP_ORDER, evidence, find_majors, index_for
from knowledge.skills.results import Evidence, OccupationLink, Profile, ProfileSkill
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import Document, MajorOccupation, PlanItem


def profile(kb: KnowledgeBase, query: str) -> Profile:
    """The graduate skill profile of a major, each skill with the plan lines behind it."""
    index = index_for(kb)
    majors = find_majors(kb, query)
    if not majors:
        raise UserFacingError(f"no training plan for a major matching {query!r}")
    major = majors[0]
    with kb.db.session() as s:
        items = s.execute(
            select(PlanItem.group, PlanItem.text, PlanItem.locator, Document.source)
            .join(Document, Document.id == PlanItem.document_id)
            .where(PlanItem.major_code == major.code, PlanItem.major_name == major.name)).all()
        links = s.execute(
            select(MajorOccupation.occupation_code, MajorOccupation.occupation_name,
                   MajorOccupation.locator, Document.source)
            .join(Document, Document.id == MajorOccupation.document_id)
            .where(MajorOccupation.major_code == major.code)).all()
    found = index.extractor.extract_many([text for _, text, _, _ in items], embed=False)
    by_skill: dict[tuple[str, str], list[Evidence]] = defaultdict(list)
    names: dict[str, str] = {}
    for (group, text, locator, source), extraction in zip(items, found, strict=True):
        for skill in extraction.skills:
            by_skill[(skill.key, group)].append(evidence(source, locator, text))
            names.setdefault(skill.key, skill.label)
    labels = index.labels
    ordered = sorted(by_skill.items(), key=lambda kv: (GROUP_ORDER.index(kv[0][1]), kv[0][0]))
    occupations: dict[str, list[Evidence]] = defaultdict(list)
    occupation_names: dict[str, str] = {}
    for code, name, locator, source in links:
        occupation_names.setdefault(code, name)
        occupations[code].append(evidence(source, locator, f"{major.code} → {code} {name}"))
    return Profile(
        major=major,
        skills=tuple(ProfileSkill(skill=labels.en(key, names[key]), skill_zh=labels.zh(key, names[key]), id=key,
                                  group=group, evidence=tuple(ev), uri=labels.uri(key))
                     for (key, group), ev in ordered),
        occupations=tuple(OccupationLink(code, occupation_names[code], tuple(ev)) for code, ev in occupations.items()),
    )
