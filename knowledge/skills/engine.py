"""Skills: one canonical vocabulary across English and Chinese (``data/skills.tsv``), found
in training plans, courses and requirement texts, always with the evidence behind them.

- ``profile``: what graduates of a major can do, grouped by where it is taught.
- ``match``: a job requirement -> majors ranked by how much of it they cover.
- ``gap``: a major against enterprise requirements: each required skill covered (taught in
  core or foundation courses), partial (only in abilities, internships, certificates or
  occupations) or missing, most-demanded first.
- ``courses_for``: which courses teach a skill, with their prerequisites.
- ``drift``: skills a re-ingested enterprise document added or dropped, and whom it affects.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select

from knowledge.errors import UserFacingError
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import (
    Course,
    Document,
    Major,
    MajorOccupation,
    Occupation,
    PlanItem,
    RequirementSnapshot,
    SkillTerm,
)

_PATH = Path(__file__).parent / "data" / "skills.tsv"
GROUP_ORDER = ("core", "foundation", "internship", "certificate", "ability", "occupation")


@dataclass(frozen=True)
class Skill:
    id: str
    en: str
    zh: str

    def label(self, language: str = "en") -> str:
        return self.zh if language == "zh" else self.en


Vocabulary = tuple[dict[str, Skill], list[tuple[re.Pattern[str], str]]]


def _compile(skills: dict[str, Skill], aliases: list[tuple[str, str]]) -> Vocabulary:
    aliases = sorted(set(aliases), key=lambda a: len(a[0]), reverse=True)
    patterns = []
    for alias, sid in aliases:
        body = re.escape(alias).replace(r"\ ", r"\s*")
        if re.search(r"[a-z0-9]", alias[:1]) or re.search(r"[a-z0-9]", alias[-1:]):
            body = rf"(?<![a-z0-9]){body}(?![a-z0-9])"
        patterns.append((re.compile(body, re.IGNORECASE), sid))
    return skills, patterns


def _base() -> tuple[dict[str, Skill], list[tuple[str, str]]]:
    skills: dict[str, Skill] = {}
    aliases: list[tuple[str, str]] = []
    for line in _PATH.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sid, en, zh, alias_field = (line.split("\t") + ["", "", ""])[:4]
        skills[sid] = Skill(sid, en, zh)
        for alias in {en.lower(), zh.lower(), *(a.strip().lower() for a in alias_field.split("|"))}:
            if alias:
                aliases.append((alias, sid))
    return skills, aliases


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The shipped vocabulary: skills by id, and (pattern, skill id) pairs, longest first."""
    return _compile(*_base())


_KB_VOCAB: dict[tuple[int, str], Vocabulary] = {}


def vocabulary_for(kb: KnowledgeBase) -> Vocabulary:
    """The shipped vocabulary extended by the skill terms ingest found (ESCO essential skills):
    a term naming a known skill becomes one more alias of it, any other a skill of its own."""
    key = (id(kb), kb.db.revision())
    if key in _KB_VOCAB:
        return _KB_VOCAB[key]
    skills, aliases = _base()
    with kb.db.session() as s:
        terms = s.execute(select(SkillTerm.term, SkillTerm.skill_id).distinct()).all()
    for term, sid in terms:
        if sid not in skills:
            skills[sid] = Skill(sid, term, term)
        aliases.append((term.lower(), sid))
    _KB_VOCAB.clear()
    _KB_VOCAB[key] = _compile(skills, aliases)
    return _KB_VOCAB[key]


def skill_id_for(term: str) -> str:
    """The canonical skill a found term names, or a new id for it."""
    found = find_skills(term)
    if found:
        return next(iter(found))
    return "esco:" + re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")[:100]


def find_skills(text: str, vocab: Vocabulary | None = None) -> dict[str, str]:
    """Skill id -> the words that named it, for every skill ``text`` mentions."""
    _, patterns = vocab or vocabulary()
    found: dict[str, str] = {}
    taken = [False] * len(text)
    for pattern, sid in patterns:
        for m in pattern.finditer(text):
            if any(taken[m.start():m.end()]):
                continue
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
            found.setdefault(sid, m.group(0))
    return found


def resolve_skill(name: str) -> Skill:
    skills, _ = vocabulary()
    if name in skills:
        return skills[name]
    found = find_skills(name)
    if not found:
        raise UserFacingError(f"no known skill in {name!r}; examples: database, 用户界面设计, nursing")
    return skills[next(iter(found))]


def _evidence(source: str, locator: str, quote: str) -> dict[str, str]:
    return {"source": source, "locator": locator, "quote": quote[:300]}


def find_majors(kb: KnowledgeBase, query: str) -> list[dict[str, Any]]:
    """Majors with a training plan whose code or name matches ``query``, best first."""
    q = query.strip()
    with kb.db.session() as s:
        rows = s.execute(
            select(PlanItem.major_code, PlanItem.major_name)
            .where(or_(PlanItem.major_code == q, PlanItem.major_name == q,
                       PlanItem.major_name.contains(q)))
            .distinct()
        ).all()
        catalogue = s.execute(select(Major.code, Major.name, Major.level, Major.category, Major.status)
                              .where(or_(Major.code == q, Major.name == q))).all()
    exact = sorted(rows, key=lambda r: (r[0] != q and r[1] != q, len(r[1])))
    majors = [{"code": c, "name": n} for c, n in exact]
    for major in majors:
        extra = next((r for r in catalogue if r[0] == major["code"]), None)
        if extra:
            major.update(level=extra[2], category=extra[3], status=extra[4])
    return majors


def profile(kb: KnowledgeBase, query: str) -> dict[str, Any]:
    """The graduate skill profile of a major: each skill, where it is taught, the evidence."""
    vocab = vocabulary_for(kb)
    majors = find_majors(kb, query)
    if not majors:
        raise UserFacingError(f"no training plan for a major matching {query!r}")
    major = majors[0]
    with kb.db.session() as s:
        items = s.execute(
            select(PlanItem.group, PlanItem.text, PlanItem.locator, Document.source)
            .join(Document, Document.id == PlanItem.document_id)
            .where(PlanItem.major_code == major["code"], PlanItem.major_name == major["name"])
        ).all()
    by_skill: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for group, text, locator, source in items:
        for sid in find_skills(text, vocab):
            by_skill[(sid, group)].append(_evidence(source, locator, text))
    skills, _ = vocab
    ordered = sorted(by_skill.items(), key=lambda kv: (GROUP_ORDER.index(kv[0][1]), kv[0][0]))
    with kb.db.session() as s:
        links = s.execute(
            select(MajorOccupation.occupation_code, MajorOccupation.occupation_name,
                   MajorOccupation.locator, Document.source)
            .join(Document, Document.id == MajorOccupation.document_id)
            .where(MajorOccupation.major_code == major["code"])
        ).all()
    occupations: dict[str, dict[str, Any]] = {}
    for code, name, locator, source in links:
        entry = occupations.setdefault(code, {"code": code, "name": name, "evidence": []})
        entry["evidence"].append(_evidence(source, locator, f"{major['code']} → {code} {name}"))
    return {
        "major": major,
        "skills": [{"skill": skills[sid].en, "skill_zh": skills[sid].zh, "id": sid, "group": group,
                    "evidence": evidence} for (sid, group), evidence in ordered],
        "occupations": list(occupations.values()),
    }


_MAJOR_SKILLS_CACHE: dict[tuple[int, str], dict[tuple[str, str], dict[str, list[dict[str, str]]]]] = {}


def _major_skills(kb: KnowledgeBase) -> dict[tuple[str, str], dict[str, list[dict[str, str]]]]:
    """For every major with a training plan: skill id -> evidence (each with its group).
    Cached per store revision: finding skills in every plan line is the slow part."""
    vocab = vocabulary_for(kb)
    key = (id(kb), kb.db.revision())
    cached = _MAJOR_SKILLS_CACHE.get(key)
    if cached is not None:
        return cached
    with kb.db.session() as s:
        items = s.execute(
            select(PlanItem.major_code, PlanItem.major_name, PlanItem.group, PlanItem.text,
                   PlanItem.locator, Document.source)
            .join(Document, Document.id == PlanItem.document_id)
            .where(PlanItem.group.in_(("core", "foundation", "ability", "internship", "certificate")))
        ).all()
    out: dict[tuple[str, str], dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for code, name, group, text, locator, source in items:
        for sid in find_skills(text, vocab):
            out[(code, name)][sid].append({**_evidence(source, locator, text), "group": group})
    _MAJOR_SKILLS_CACHE.clear()
    _MAJOR_SKILLS_CACHE[key] = out
    return out


def match(kb: KnowledgeBase, requirement: str, top: int = 5) -> dict[str, Any]:
    """Majors ranked by the share of the requirement's skills their training plans cover."""
    vocab = vocabulary_for(kb)
    required = find_skills(requirement, vocab)
    if not required:
        raise UserFacingError("no known skill found in the requirement text")
    skills, _ = vocab
    req_evidence = {sid: _sentence(requirement, words) for sid, words in required.items()}
    ranked: list[dict[str, Any]] = []
    for (code, name), have in _major_skills(kb).items():
        matched = [sid for sid in required if sid in have]
        if not matched:
            continue
        taught = sum(1 for sid in matched if any(e["group"] in COVERING_GROUPS for e in have[sid]))
        ranked.append({
            "code": code, "name": name, "coverage": round(len(matched) / len(required), 3),
            "taught_in_courses": taught,
            "evidence_count": sum(len(have[sid]) for sid in matched),
            "matched": [skills[sid].en for sid in matched],
            "missing": [skills[sid].en for sid in required if sid not in have],
            "evidence": {skills[sid].en: {"major": have[sid][:2], "requirement": req_evidence[sid]}
                         for sid in matched},
        })
    # Ties go to the major that teaches more of the skills in its courses.
    ranked.sort(key=lambda m: (-float(m["coverage"]), -int(m["taught_in_courses"]),
                               -int(m["evidence_count"]), str(m["code"])))
    return {"required_skills": [skills[sid].en for sid in required], "majors": ranked[:top]}


def _sentence(text: str, words: str) -> str:
    """The sentence or line of ``text`` that names a skill."""
    for part in re.split(r"(?<=[。！？；.!?;])\s*|\n+", text):
        if words.lower() in part.lower():
            return part.strip()[:300]
    return words


def courses_for(kb: KnowledgeBase, skill_name: str) -> dict[str, Any]:
    """Courses whose title or description teaches a skill, with their prerequisites."""
    vocab = vocabulary_for(kb)
    skill = resolve_skill(skill_name)
    with kb.db.session() as s:
        rows = s.execute(select(Course.code, Course.title, Course.credits, Course.prerequisites,
                                Course.description, Course.locator, Document.source)
                         .join(Document, Document.id == Course.document_id)).all()
    found = []
    for code, title, credits, prereq, description, locator, source in rows:
        in_title = skill.id in find_skills(title, vocab)
        if in_title or skill.id in find_skills(description, vocab):
            found.append({"code": code, "title": title, "credits": credits,
                          "prerequisites": prereq, "in_title": in_title,
                          "evidence": _evidence(source, locator, title if in_title else
                                                _sentence(description, find_skills(description, vocab)[skill.id]))})
    found.sort(key=lambda c: (not c["in_title"], c["code"]))
    for course in found:
        course.pop("in_title")
    return {"skill": skill.en, "skill_zh": skill.zh, "courses": found}


COVERING_GROUPS = ("core", "foundation")


def requirement_skills(texts: dict[str, str],
                       vocab: Vocabulary | None = None) -> dict[str, list[dict[str, str]]]:
    """Skill id -> evidence in each requirement text (``{source: text}``)."""
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for source, text in texts.items():
        for sid, words in find_skills(text, vocab).items():
            out[sid].append(_evidence(source, "", _sentence(text, words)))
    return out


def gap(kb: KnowledgeBase, major_query: str, requirements: dict[str, str]) -> dict[str, Any]:
    """Each skill the requirements ask for, marked covered / partial / missing for the major."""
    vocab = vocabulary_for(kb)
    prof = profile(kb, major_query)
    taught: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(dict)
    for item in prof["skills"]:
        taught[item["id"]][item["group"]] = item["evidence"]
    skills, _ = vocab
    required = requirement_skills(requirements, vocab)
    if not required:
        raise UserFacingError("no known skill found in the requirements")
    rows: list[dict[str, Any]] = []
    for sid, req_evidence in required.items():
        groups = taught.get(sid, {})
        status = ("covered" if any(g in groups for g in COVERING_GROUPS)
                  else "partial" if groups else "missing")
        major_evidence = [ev for g in GROUP_ORDER for ev in groups.get(g, [])][:3]
        rows.append({"skill": skills[sid].en, "skill_zh": skills[sid].zh, "id": sid, "status": status,
                     "demand": len({e["source"] for e in req_evidence}),
                     "major_evidence": major_evidence, "requirement_evidence": req_evidence})
    order = {"missing": 0, "partial": 1, "covered": 2}
    rows.sort(key=lambda r: (-int(r["demand"]), order[str(r["status"])], str(r["skill"])))
    summary = {
        "requirements": len(requirements),
        "required_skills": len(rows),
        **{status: sum(1 for r in rows if r["status"] == status) for status in order},
        "most_demanded_missing": [r["skill"] for r in rows if r["status"] == "missing"][:5],
    }
    return {"major": prof["major"], "skills": rows, "summary": summary}


def drift(kb: KnowledgeBase) -> dict[str, Any]:
    """Skills each re-ingested enterprise document added or dropped, and the majors affected."""
    vocab = vocabulary_for(kb)
    import json

    with kb.db.session() as s:
        rows = s.execute(
            select(RequirementSnapshot.document_id, RequirementSnapshot.skills,
                   RequirementSnapshot.taken_at, Document.source)
            .join(Document, Document.id == RequirementSnapshot.document_id)
            .order_by(RequirementSnapshot.document_id, RequirementSnapshot.id)
        ).all()
    history: dict[str, list[tuple[set[str], str]]] = defaultdict(list)
    for doc_id, skills_json, _taken, source in rows:
        history[doc_id].append((set(json.loads(skills_json)), source))
    skills, _ = vocab
    majors = _major_skills(kb)
    changes: list[dict[str, Any]] = []
    for versions in history.values():
        if len(versions) < 2:
            continue
        (before, _), (after, source) = versions[-2], versions[-1]
        added, dropped = sorted(after - before), sorted(before - after)
        if not added and not dropped:
            continue
        touched = set(added) | set(dropped)
        affected: list[dict[str, Any]] = [{"code": code, "name": name,
                     "skills": sorted(skills[sid].en for sid in touched if sid in have)}
                    for (code, name), have in majors.items() if touched & set(have)]
        changes.append({"source": source, "added": [skills[sid].en for sid in added],
                        "dropped": [skills[sid].en for sid in dropped],
                        "majors_affected": sorted(affected, key=lambda m: str(m["code"]))})
    return {"changes": changes}


def occupation_skills(kb: KnowledgeBase, query: str) -> dict[str, Any]:
    """An occupation (O*NET or ESCO, by code or name) and the skills its profile names."""
    vocab = vocabulary_for(kb)
    q = query.strip()
    with kb.db.session() as s:
        rows = s.execute(
            select(Occupation.system, Occupation.code, Occupation.name, Occupation.skills_text,
                   Occupation.locator, Document.source)
            .join(Document, Document.id == Occupation.document_id)
            .where(or_(Occupation.code == q, Occupation.name.ilike(q), Occupation.name.ilike(f"%{q}%")))
        ).all()
    if not rows:
        raise UserFacingError(f"no occupation profile matching {query!r}")
    # An exact name or code first, then the profile with the most to say.
    system, code, name, text, locator, source = sorted(
        rows, key=lambda r: (r[1] != q and r[2].lower() != q.lower(), -len(r[3])))[0]
    skills, _ = vocab
    found = find_skills(text, vocab)
    return {
        "occupation": {"system": system, "code": code, "name": name},
        "skills": [{"skill": skills[sid].en, "skill_zh": skills[sid].zh, "id": sid,
                    "evidence": [_evidence(source, locator, _sentence(text, words))]}
                   for sid, words in found.items()],
        "text": text,
    }
