"""An entity's own record, field by field, each with the citation it comes from: the raw
material of record answers. Whole fields only (a cut list loses the fact users asked for)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.answering.names import Entity, norm_code
from knowledge.schema import Citation
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import ChunkRow, Course, Document, Major, MajorOccupation, Occupation, PlanItem


@dataclass(frozen=True)
class Field:
    """One held field: the attribute it answers, its label in the record, its whole text."""

    attribute: str  # core_courses, prerequisites, job_zone, …
    text: str
    citation: Citation
    value: str = ""  # the bare value for a first line ("3", "高职专科"), when there is one
    language: str = ""  # the source document's language


_PLAN_ATTRIBUTE = {"core": "core_courses", "foundation": "foundation_courses",
                   "internship": "internships", "certificate": "certificates",
                   "ability": "abilities", "occupation": "occupations"}
# O*NET / ESCO profile sections (chunk headers) per attribute.
_SECTIONS = (("tasks", re.compile(r"^Tasks$", re.I)),
             ("technology", re.compile(r"^Technology Skills$", re.I)),
             ("skills", re.compile(r"^Essential Skills|^Worker Requirements › (Skills|Knowledge)$", re.I)),
             ("titles", re.compile(r"^Alternative Terms$", re.I)),
             ("education", re.compile(r"› Education$", re.I)),
             ("description", re.compile(r"^(Summary|Description)$", re.I)))
_MARKER = re.compile(r"^\[([^\]]{2,80})\]$")  # "[Essential Skills › Skills]" inside a chunk
_TABLE_HEADS = {"Importance", "Impact", "Hot Technology", "Occupational Interest", "Field"}
_DESCRIPTION = re.compile(r"Description\s*\n+(.+?)(?:\n\s*\n\s*(?:Repeatability|Note|Typically Offered|"
                          r"Additional Fee|From|TCCNS)\b|\Z)", re.S)
_DURATION = re.compile(r"(?:基本)?修业年限\s*[:：]?\s*(\S+)")
_LABELS = ((re.compile(r"^(专业)?核心课(程)?\s*[:：]|^core courses?\s*:", re.I), "core_courses"),
           (re.compile(r"^(专业)?基础课(程)?\s*[:：]|^foundation courses?\s*:", re.I), "foundation_courses"),
           (re.compile(r"^实习实训\s*[:：]"), "internships"),
           (re.compile(r"^(职业资格证书|职业技能等级证书)\s*[:：]"), "certificates"),
           (re.compile(r"^接续"), "follow_on"))
_FOLLOW_ON = re.compile(r"^接续.{0,16}举例\s*[:：]")
_GLUED = re.compile(r"接续专业举例\s*$")  # a PDF artefact: the next heading glued to the line


def _cite(doc: Document, locator: str, quote: str, score: float) -> Citation:
    return Citation(doc.source, doc.title, doc.doc_type, locator, score, quote)


def _value(text: str) -> str:
    """The text after a "label：" prefix, if any."""
    head, sep, rest = text.partition("：") if "：" in text[:16] else text.partition(":")
    return rest.strip() if sep and len(head) <= 16 else text.strip()


def record_fields(kb: KnowledgeBase, entity: Entity, score: float = 1.0) -> list[Field]:
    """Every held field of the entity, in record order."""
    with kb.db.session() as s:
        if entity.kind == "major":
            return _major(s, entity, score)
        if entity.kind == "course":
            return _course(s, entity, score)
        return _occupation(s, entity, score)


def _docs(s: Session, ids: set[str]) -> dict[str, Document]:
    return {d.id: d for d in s.scalars(select(Document).where(Document.id.in_(ids)))} if ids else {}


def _major(s: Session, entity: Entity, score: float) -> list[Field]:
    items = s.scalars(select(PlanItem).where(PlanItem.major_code == entity.code).order_by(PlanItem.id)).all()
    rows = s.scalars(select(Major).where(Major.code == entity.code)).all()
    links = s.scalars(select(MajorOccupation).where(MajorOccupation.major_code == entity.code)
                      .order_by(MajorOccupation.id)).all()
    docs = _docs(s, {i.document_id for i in items} | {r.document_id for r in rows}
                 | {link.document_id for link in links})
    out: list[Field] = []
    for item in items:
        doc, text = docs[item.document_id], _GLUED.sub("", item.text.strip())
        # a line's own label beats the group ingest filed it under ("专业核心课：" reads as core)
        attribute = next((a for rx, a in _LABELS if rx.match(text)), _PLAN_ATTRIBUTE.get(item.group, item.group))
        out.append(Field(attribute, text, _cite(doc, item.locator, text, score), _value(text), doc.language))
    if items:
        out.extend(_from_passages(s, docs[items[0].document_id], entity, score,
                                  has_follow_on=any(f.attribute == "follow_on" for f in out)))
    for row in rows:
        doc = docs[row.document_id]
        if doc.doc_type != "major_catalog":
            continue
        raw = s.scalars(select(ChunkRow.text).where(ChunkRow.document_id == doc.id,
                                                    ChunkRow.locator == row.locator).limit(1)).first()
        # the catalogue row itself, whole ("备注: 2025年12月新增"), is the field users can check
        text = "; ".join(ln.strip() for ln in raw.splitlines() if ln.strip()) if raw else \
            f"{row.code} {row.name}; {row.level}; {row.category}; {row.status}"
        for attribute, value in (("level", row.level), ("category", row.category),
                                 ("status", row.status or "unchanged")):
            if value:
                out.append(Field(attribute, text, _cite(doc, row.locator, text, score), value, doc.language))
    if links:
        doc = docs[links[0].document_id]
        names = "；".join(f"{link.occupation_code} {link.occupation_name}".strip() for link in links)
        text = f"{entity.code} {entity.name}：{names}"
        out.append(Field("occupations", text, _cite(doc, links[0].locator, text, score), names, doc.language))
    return out


def _from_passages(s: Session, doc: Document, entity: Entity, score: float,
                   has_follow_on: bool) -> list[Field]:
    """Duration and follow-on majors, which ingest keeps in the profile's passages only."""
    chunks = s.scalars(select(ChunkRow).where(ChunkRow.document_id == doc.id,
                                              ChunkRow.entity.like(f"{entity.code}%"))
                       .order_by(ChunkRow.ordinal)).all()
    out: list[Field] = []
    for chunk in chunks:
        locator = chunk.locator or chunk.entity
        found = _DURATION.search(chunk.text)
        if found and not any(f.attribute == "duration" for f in out):
            line = found.group(0)
            out.append(Field("duration", line, _cite(doc, locator, line, score), found.group(1), doc.language))
        for line in chunk.text.splitlines():
            line = _GLUED.sub("", line.strip())
            if not has_follow_on and _FOLLOW_ON.match(line) and all(f.text != line for f in out):
                out.append(Field("follow_on", line, _cite(doc, locator, line, score), _value(line), doc.language))
    return out


def _course(s: Session, entity: Entity, score: float) -> list[Field]:
    rows = [c for c in s.scalars(select(Course).where(Course.code == entity.code)).all()]
    rows = rows or [c for c in s.scalars(select(Course)).all() if norm_code(c.code) == norm_code(entity.code)]
    docs = _docs(s, {c.document_id for c in rows})
    out: list[Field] = []
    for course in rows:
        doc = docs[course.document_id]
        locator = course.locator or f"{course.code} {course.title}"
        found = _DESCRIPTION.search(course.description)
        description = " ".join((found.group(1) if found else course.description).split())
        for attribute, value, text in (
                ("prerequisites", course.prerequisites, f"Prerequisite: {course.prerequisites}"),
                ("credits", course.credits, f"Credit Hours: {course.credits}"),
                ("description", description, description)):
            if value:
                text = " ".join(text.split())
                out.append(Field(attribute, text, _cite(doc, locator, text, score), value, doc.language))
    return out


def _occupation(s: Session, entity: Entity, score: float) -> list[Field]:
    occupations = s.scalars(select(Occupation).where(Occupation.code == entity.code)).all()
    docs = _docs(s, {o.document_id for o in occupations})
    out: list[Field] = []
    for occ in occupations:
        doc = docs[occ.document_id]
        if occ.locator:  # one row of a table (O*NET Occupation Data): that row only
            text = s.scalars(select(ChunkRow.text).where(ChunkRow.document_id == doc.id,
                                                         ChunkRow.locator == occ.locator).limit(1)).first()
            text = " ".join((text or occ.skills_text).split())
            out.append(Field("description", text, _cite(doc, occ.locator, text, score), "", doc.language))
            continue
        chunks = s.scalars(select(ChunkRow).where(ChunkRow.document_id == doc.id)
                           .order_by(ChunkRow.ordinal)).all()
        for section, text in _sections(chunks).items():
            attribute = next((name for name, rx in _SECTIONS if rx.search(section)), "")
            if not attribute and "Also called" in text:
                attribute = "titles"
            if attribute:
                out.append(Field(attribute, text, _cite(doc, section, text, score),
                                 _items(text), doc.language))
    if entity.code and re.fullmatch(r"\d{2}-\d{4}\.\d{2}", entity.code):
        zone = s.execute(select(ChunkRow, Document).join(Document, Document.id == ChunkRow.document_id)
                         .where(Document.source.like("%Job Zones%"),
                                ChunkRow.text.like(f"%{entity.code}%")).limit(1)).first()
        if zone:
            chunk, doc = zone
            text = " ".join(chunk.text.split())
            value = re.search(r"Job Zone:\s*(\d)", chunk.text)
            out.append(Field("job_zone", text, _cite(doc, chunk.locator, text, score),
                             value.group(1) if value else "", doc.language))
            if value:  # what the zone means, from O*NET's Job Zone Reference (its "Name" row)
                ref = s.execute(select(ChunkRow, Document).join(Document, Document.id == ChunkRow.document_id)
                                .where(Document.source.like("%Job Zone Reference%"),
                                       ChunkRow.text.like(f"Job Zone: {value.group(1)}%Name:%"))
                                .limit(1)).first()
                if ref:
                    text = " ".join(ref[0].text.split())
                    name = re.search(r"Name:\s*(.+?)(?:\s+Experience:|$)", text)
                    out.append(Field("job_zone", text, _cite(ref[1], ref[0].locator, text, score),
                                     name.group(1) if name else "", ref[1].language))
    return out


def _sections(chunks: Sequence[ChunkRow]) -> dict[str, str]:
    """A profile's sections, whole, from its chunks: a chunk's locator names its section,
    "[Section]" lines inside a chunk start the next one, and chunk overlaps are dropped."""
    lines: dict[str, list[str]] = {}
    current = ""
    for chunk in chunks:
        current = chunk.locator or current
        for line in chunk.text.splitlines():
            marker = _MARKER.match(line.strip())
            if marker:
                current = marker.group(1)
                continue
            kept = lines.setdefault(current, [])
            if line.strip() and line not in kept:
                kept.append(line)
    return {name: "\n".join(body) for name, body in lines.items() if body}


def _items(text: str, limit: int = 8) -> str:
    """The first entries of a table or list ("Programming; Critical Thinking; …") for a first line."""
    items: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if any(set(c) <= set("-: ") for c in cells) or cells[0] in _TABLE_HEADS:
                continue
            line = max(cells, key=lambda c: sum(ch.isalpha() for ch in c))
        elif line.startswith(("-", "*")):
            line = line.lstrip("-* ").replace(" Related occupations", "")
        else:
            continue
        items.append(line.split(" — ")[0].strip())
    more = "; …" if len(items) > limit else ""
    return "; ".join(items[:limit]) + more
