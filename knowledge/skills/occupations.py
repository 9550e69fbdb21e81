"""Occupation profiles (O*NET, ESCO) as skill lists: an ESCO profile's essential skills and
knowledge by their own labels; an O*NET profile's Skills and Knowledge tables weighted by their
importance (0-100, as a share), and its hot technologies."""

from __future__ import annotations

import re

from sqlalchemy import or_, select

from knowledge.errors import UserFacingError
from knowledge.skills.index import evidence, index_for, skill_key
from knowledge.skills.results import OccupationRef, OccupationSkill, OccupationSkills
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import Document, Occupation

_ESCO_ITEM = re.compile(r"^\s*[-*•]\s*(?:\*\*)?([^*(\n]+?)(?:\*\*)?\s*(?:\(\[link\].*)?$")
_ONET_HEADER = re.compile(r"^\|\s*Importance\s*\|\s*(.+?)\s*\|\s*$")
_ONET_ROW = re.compile(r"^\|\s*(\d+(?:\.\d+)?)\s*\|\s*([^|—]+?)\s+—")
_ONET_TECH = re.compile(r"^\|\s*[^|]+\|\s*(.+?)\s*\|?\s*$")
ONET_MIN_IMPORTANCE = 40  # below this a skill is incidental to the occupation
# Dozens of hot technologies per profile: together they should not outweigh the skills table.
HOT_TECHNOLOGY_WEIGHT = 0.1


def _terms(system: str, text: str) -> list[tuple[str, float | None]]:
    """(skill words, importance 0..1 or None) from a profile's skill sections."""
    out: list[tuple[str, float | None]] = []
    table = ""
    for line in text.splitlines():
        header = _ONET_HEADER.match(line)
        if header:  # "| Importance | Skill |", "| Importance | Category | Task |" …
            table = header.group(1).lower()
            continue
        row = _ONET_ROW.match(line)
        if row and table in ("skill", "knowledge"):
            importance = float(row.group(1))
            if importance >= ONET_MIN_IMPORTANCE:
                out.append((row.group(2).strip(), importance / 100))
            continue
        if system == "onet" and "Hot Technology" in line:
            tech = _ONET_TECH.match(line)
            for name in (tech.group(1).split(";") if tech else []):
                if "Hot Technology" in name:
                    out.append((name.replace("Hot Technology", "").strip(), HOT_TECHNOLOGY_WEIGHT))
            continue
        item = _ESCO_ITEM.match(line)
        if item and system == "esco":
            out.append((item.group(1).strip(), None))
    return out


def occupation_skills(kb: KnowledgeBase, query: str) -> OccupationSkills:
    """An occupation (O*NET or ESCO, by code or name) and the skills its own profile lists."""
    index = index_for(kb)
    q = query.strip()
    with kb.db.session() as s:
        rows = s.execute(
            select(Occupation.system, Occupation.code, Occupation.name, Occupation.skills_text,
                   Occupation.locator, Document.source)
            .join(Document, Document.id == Occupation.document_id)
            .where(or_(Occupation.code == q, Occupation.name.ilike(q), Occupation.name.ilike(f"%{q}%")))).all()
    if not rows:
        raise UserFacingError(f"no occupation profile matching {query!r}")
    # An exact name or code first, then the profile with the most to say.
    system, code, name, text, locator, source = sorted(
        rows, key=lambda r: (r[1] != q and r[2].lower() != q.lower(), -len(r[3])))[0]
    terms = _terms(system, text)
    if not terms:  # a catalogue row or an unparsed profile: its text is the requirement
        terms = [(text, None)]
    # A profile's entries are skill names: each is linked whole and keeps its own wording (the
    # link decides only what it is compared under); a long text is extracted like a requirement.
    names = [t for t, _ in terms if len(t.split()) <= 6]
    links = dict(zip(names, index.extractor.linker.link(names), strict=True))
    long_texts = [t for t, _ in terms if t not in links]
    extractions = dict(zip(long_texts, index.extractor.extract_many(long_texts), strict=True))
    skills: dict[str, OccupationSkill] = {}
    for term, importance in terms:
        link = links.get(term)
        if link is not None:
            c = link.concept
            key = (c.canonical or c.id) if c else skill_key(term)
            found = [(key, term, (c.label_zh if c else "") or term, c.uri if c else "")]
        else:
            found = [(f.key, f.label, f.label_zh or f.label, f.uri) for f in extractions[term].skills]
        for key, label, label_zh, uri in found:
            previous = skills.get(key)
            weight = max(importance or 0.0, previous.importance or 0.0) if previous else importance
            ev = (previous.evidence if previous else ()) + (evidence(source, locator, term),)
            skills[key] = OccupationSkill(skill=label, skill_zh=label_zh, id=key, evidence=ev[:3],
                                          importance=weight, uri=uri)
    ranked = sorted(skills.values(), key=lambda s: -(s.importance or 0.0))
    return OccupationSkills(occupation=OccupationRef(system, code, name), skills=tuple(ranked), text=text)
