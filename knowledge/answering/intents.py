"""Questions that the skills functions answer better than passages: "what can graduates of
510204 do?", "which majors fit this job: …", "哪些课程教数据库？". Routed by patterns in both
languages; anything not matched (or not answerable this way) goes to normal retrieval."""

from __future__ import annotations

import re

from sqlalchemy import select

from knowledge.errors import UserFacingError
from knowledge.language import detect_language
from knowledge.schema import Answer, Bar, Citation
from knowledge.skills import GROUP_ORDER, courses_for, index_for, match, profile
from knowledge.skills.results import CoursesResult, Evidence, MatchResult, Profile
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import PlanItem
from prompts import catalogue

_PROFILE = re.compile(
    r"(毕业生|学生|graduates?|students?).{0,24}"
    r"(能做什么|能干什么|会什么|具备|掌握|技能|能力|skills?|can\b.{0,20}\bdo|able to)"
    r"|(技能|能力)画像|skill profile|what can .{0,40} do", re.I)
_MATCH = re.compile(
    r"(哪些|什么|哪个)专业.{0,12}(合适|适合|对口|匹配|符合)|(适合|匹配|对口).{0,6}(哪些|什么)专业"
    r"|which majors?\b.{0,40}\b(fit|match|suit)|majors? (that|which) (fit|match|suit)", re.I)
_COURSES = re.compile(
    r"(哪些|什么|哪门)课程?.{0,8}(教|讲授|讲|学|培养|涉及)|which courses?\b.{0,20}\b(teach|cover|train)"
    r"|courses? (that|which) (teach|cover)", re.I)
_CODE = re.compile(r"\b\d{6}[A-Z]?\b")
GROUP_LABELS = catalogue('skill_groups')  # prompts/catalogue/*.toml


def _major_in(kb: KnowledgeBase, question: str) -> str | None:
    code = _CODE.search(question)
    if code:
        return code.group(0)
    with kb.db.session() as s:
        names = s.scalars(select(PlanItem.major_name).distinct()).all()
    lowered = question.lower()
    found = [n for n in names if n and n.lower() in lowered]
    return max(found, key=len) if found else None


class _Citations:
    def __init__(self) -> None:
        self.items: list[Citation] = []
        self.index: dict[tuple[str, str], int] = {}

    def cite(self, evidence: Evidence, doc_type: str) -> int:
        key = (evidence.source, evidence.locator)
        if key not in self.index:
            self.items.append(Citation(source=key[0], title=key[0], doc_type=doc_type,
                                       locator=key[1], score=1.0, quote=evidence.quote))
            self.index[key] = len(self.items)
        return self.index[key]


def route(kb: KnowledgeBase, question: str) -> Answer | None:
    """An answer from the skills functions, or None to use normal retrieval."""
    language = detect_language(question)
    try:
        wants_match, wants_courses = _MATCH.search(question), _COURSES.search(question)
        if wants_match or wants_courses:
            # The question's own words ("which majors fit") are frames, not skills: only
            # skills the taxonomy knows route the question.
            index = index_for(kb)
            known = [s.key for s in index.extract(question).skills if s.known]
            known += [c.canonical or c.id for c in index.extractor.taxonomy.scan(question)]
            if wants_match and known:
                return _render_match(match(kb, question), language, _zh_labels(kb))
            if wants_courses and known:
                return _render_courses(courses_for(kb, known[0]), language)
        if _PROFILE.search(question):
            major = _major_in(kb, question)
            if major:
                return _render_profile(profile(kb, major), language)
    except UserFacingError:
        return None
    return None


def _render_profile(data: Profile, language: str) -> Answer | None:
    if not data.skills:
        return None
    cites = _Citations()
    major = data.major
    head = (f"{major.code} {major.name} 毕业生的技能画像（按培养环节）：" if language == "zh"
            else f"What graduates of {major.code} {major.name} can do, by where it is taught:")
    lines = [head]
    for group in GROUP_ORDER:
        items = [s for s in data.skills if s.group == group]
        if not items:
            continue
        parts = [f"{s.skill_zh if language == 'zh' else s.skill} "
                 f"[{cites.cite(s.evidence[0], 'training_plan')}]" for s in items]
        lines.append(f"{GROUP_LABELS[language][group]}: " + ", ".join(parts))
    return Answer(text="\n\n".join(lines), grounded=True, citations=tuple(cites.items),
                  backend="extractive", language=language)


def _render_match(data: MatchResult, language: str, zh_labels: dict[str, str] | None = None) -> Answer | None:
    if not data.majors:
        return None
    names = zh_labels or {}

    def label(name: str) -> str:
        return names.get(name, name) if language == "zh" else name

    cites = _Citations()
    required = ", ".join(label(s) for s in data.required_skills)
    lines = [f"岗位要求的技能：{required}。最匹配的专业：" if language == "zh"
             else f"Skills the job asks for: {required}. Majors that fit best:"]
    for n, m in enumerate(data.majors, start=1):
        first = next(iter(m.evidence.values()))
        ref = cites.cite(first.major[0], "training_plan")
        missing = ", ".join(label(s) for s in m.missing) or ("无" if language == "zh" else "none")
        matched = ", ".join(label(s) for s in m.matched)
        lines.append(f"{n}. {m.code} {m.name} — {m.coverage:.0%} "
                     + (f"（具备：{matched}；缺少：{missing}）" if language == "zh"
                        else f"(has: {matched}; missing: {missing})") + f" [{ref}]")
    return Answer(text="\n\n".join(lines), grounded=True, citations=tuple(cites.items),
                  backend="extractive", language=language,
                  bars=tuple(Bar(f"{m.code} {m.name}", float(m.coverage)) for m in data.majors))


def _zh_labels(kb: KnowledgeBase) -> dict[str, str]:
    """English skill label -> Chinese, for answers in Chinese."""
    labels = index_for(kb).labels
    return {c.label: c.label_zh for c in labels.taxonomy.concepts.values() if c.label_zh}


def _render_courses(data: CoursesResult, language: str) -> Answer | None:
    if not data.courses:
        return None
    cites = _Citations()
    skill = data.skill_zh if language == "zh" else data.skill
    lines = [f"讲授「{skill}」的课程：" if language == "zh" else f"Courses that teach {skill}:"]
    for c in data.courses[:10]:
        ref = cites.cite(c.evidence, "course")
        prereq = c.prerequisites or ("无" if language == "zh" else "none")
        lines.append(f"- {c.code} {c.title} (" + (f"先修：{prereq}" if language == "zh"
                                                   else f"prerequisites: {prereq}") + f") [{ref}]")
    return Answer(text="\n".join(lines), grounded=True, citations=tuple(cites.items),
                  backend="extractive", language=language)


def profile_answer(kb: KnowledgeBase, major: str, language: str) -> Answer | None:
    """The skill profile of a major as an answer (for /skills)."""
    try:
        return _render_profile(profile(kb, major), language)
    except UserFacingError:
        return None


def match_answer(kb: KnowledgeBase, requirement: str, language: str) -> Answer | None:
    """Majors that fit a job requirement, as an answer with a chart (for /match)."""
    try:
        return _render_match(match(kb, requirement), language, _zh_labels(kb))
    except UserFacingError:
        return None
