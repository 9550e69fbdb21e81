"""The student's path questions in the chat: "我是软件技术专业的，想做数据分析师，还缺什么？",
"what should I take next to become a network engineer?", "哪些实习适合大数据技术专业？", "I'm in
Nursing, which of these internships suit me?" — answered from ``skills.path`` and
``skills.internships`` with citations. The caller keeps the returned ``PathSubject`` so that a
follow-up ("那我先学哪门课？", "and the second internship?") is answered for the same subject."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from sqlalchemy import select

from knowledge.answering.names import name_table
from knowledge.errors import UserFacingError
from knowledge.language import detect_language, make_question
from knowledge.schema import Answer, Citation
from knowledge.skills.internships import internships, postings_for
from knowledge.skills.path import path
from knowledge.skills.path_results import PathResult, PlanStep, PostingFit
from knowledge.skills.results import Evidence
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import PlanItem

__all__ = ["PathAnswer", "PathSubject", "answer_path", "follow_up", "nth_posting", "plan_answer", "route_path"]

_PATH_ZH = re.compile(r"(想做|想当|想成为|想从事|想去做|目标是|打算做|要成为|成为)(?:一名|一个|名)?\s*"
                      r"(?P<t>[^，,。？?！!]{2,20}?)\s*(?:[，,。？?！!]|还|需要|要|该|的话|应该|怎么|$)")
_PATH_EN = re.compile(r"\b(?:(?:become|work as|career as|aim(?:ing)? (?:at|for))\s+(?:an?\s+)?|be\s+an?\s+)"
                      r"(?P<t>[a-z][a-z \-/]{2,40}?)\s*(?:[,.?!;]|\s+(?:what|which|how|do|should)\b|$)", re.I)
_GAP_CUE = re.compile(r"缺|差|补|学什么|学哪|需要学|要学|该学|准备|修什么|选什么|上什么"
                      r"|missing|lack|gap|take|learn|study|need|prepare|next", re.I)
# Which postings fit: asking for a fit, not what a plan's internship is (a record answer) nor
# which jobs a major leads to (its 职业面向, also a record answer).
_INTERNSHIPS = re.compile(r"(哪些|什么|哪个|哪家)实习.{0,12}(适合|合适|匹配|推荐)|实习.{0,10}(适合|合适|匹配)"
                          r"|(适合|合适|推荐).{0,10}实习|\b(internships?|placements?|postings?)\b.{0,40}"
                          r"\b(suit|fit|match|for me|apply)"
                          r"|\b(suit|fit|match)\w*\b.{0,30}\b(internships?|placements?|postings?)", re.I)
_POSTING_NOUN = re.compile(r"实习|岗位|个|\b(internships?|placements?|postings?|jobs?|ones?)\b", re.I)
_FIRST_COURSE = re.compile(r"先学|先修|先上|第一门|从哪|哪门课|先选|first|start with|begin with|order", re.I)
_ORDINALS = {"第一": 1, "第二": 2, "第三": 3, "第四": 4, "第五": 5, "first": 1, "second": 2, "third": 3,
             "fourth": 4, "fifth": 5, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, "next": 0, "下一": 0}
_CODE = re.compile(r"\b\d{6}[A-Z]?\b")


@dataclass(frozen=True)
class PathSubject:
    """What a path answer was about: the caller keeps it for the next question."""

    major: str  # code or name, as ``path`` and ``internships`` accept it
    target: str = ""  # the job, as the student named it ("" for an internships question)
    postings: tuple[str, ...] = ()  # the postings shown, by "source#locator", in order
    shown: int = 0  # the last posting shown in detail (1-based)


@dataclass(frozen=True)
class PathAnswer(Answer):
    """An Answer from this routing, carrying its subject (and the path's ordered plan), so a
    front end can offer to show the plan or the next posting without asking again."""

    subject: PathSubject | None = None
    plan: tuple[PlanStep, ...] = ()


def _carrying(answer: Answer, **extra: object) -> PathAnswer:
    """``answer`` as a PathAnswer, keeping what it already carries."""
    kept = {f.name: getattr(answer, f.name) for f in fields(answer)}
    return PathAnswer(**{**kept, **extra})


def _major_in(kb: KnowledgeBase, question: str) -> str | None:
    """The major a question names: a code, a plan's own name, or a catalogue name (either
    language) of a major the knowledge base holds a plan for."""
    coded = _CODE.search(question)
    if coded:
        return coded.group(0)
    with kb.db.session() as s:
        planned = {c: n for c, n in s.execute(select(PlanItem.major_code, PlanItem.major_name).distinct())}
    lowered = question.lower()
    found = [(len(n), n) for n in planned.values() if n and n.lower() in lowered]
    for code, (zh, english) in name_table().items():
        if code in planned:
            found += [(len(name), code) for name in (zh, *english)
                      if name and re.search(rf"(?<![a-z]){re.escape(name.lower())}(?![a-z])", lowered)]
    return max(found)[1] if found else None


class _Cites:
    def __init__(self) -> None:
        self.items: list[Citation] = []

    def add(self, source: str, locator: str, doc_type: str, quote: str = "", title: str = "") -> int:
        for n, c in enumerate(self.items, start=1):
            if (c.source, c.locator) == (source, locator):
                return n
        self.items.append(Citation(source, title or source, doc_type, locator, 1.0, quote[:300]))
        return len(self.items)

    def ev(self, e: Evidence) -> int:
        return self.add(e.source, e.locator, "training_plan", e.quote)


def _target_text(kb: KnowledgeBase, target: str) -> tuple[str, str]:
    """(job text, occupation) for a job the student names: a posting titled like it (in
    either language, by words or by skill), else an occupation profile, else the words."""
    from knowledge.skills.index import index_for
    from knowledge.skills.occupations import occupation_skills

    names = [target, make_question(target).gloss]
    index = index_for(kb)
    wanted = {s.key for name in names for s in index.extract(name, embed=False).skills if s.known}
    for posting in postings_for(kb):
        stems = [re.sub(r"(实习生|师|员|intern|s)$", "", n.strip(), flags=re.I).strip().lower() for n in names]
        titled = {s.key for s in index.extract(posting.title, embed=False).skills if s.known}
        if any(stem and stem in posting.title.lower() for stem in stems) or (wanted and wanted <= titled):
            return f"title: {posting.title}\n{posting.text}", ""
    # The profile named so, else one named by the job's field ("network engineer" -> "network").
    fields = [re.sub(r"\s*(engineer|specialist|technician|worker|officer|工程师|师|员)$", "", n.strip(), flags=re.I)
              for n in names]
    for name in [*names, *(f for f in fields if len(f) >= 4 and f not in names)]:
        try:
            return "", occupation_skills(kb, name).occupation.name
        except UserFacingError:
            continue
    return target, ""


def _render_path(data: PathResult, language: str) -> Answer:
    zh = language == "zh"
    cites = _Cites()
    m = data.major
    lines = [f"{m.code} {m.name} → {data.target.name}"]
    have = [f"{(h.label_zh if zh and h.label_zh else h.label)} [{cites.ev(h.evidence[0])}]" for h in data.have]
    none = "无" if zh else "none"
    lines.append(("已具备：" if zh else "You have: ") + (("、" if zh else ", ").join(have) or none))
    lines.append("还缺：" if zh else "Missing:")
    for s in data.missing[:12]:
        label = s.label_zh if zh and s.label_zh else s.label
        places = [f"{p.code} {p.title}".strip() + f" [{cites.add(p.source, p.locator, _doc_type(p.kind))}]"
                  for p in s.learn[:2]]
        where = ("；".join(places) if zh else "; ".join(places)) if places else (
            "知识库中没有教授它的课程或证书" if zh else "nothing in the knowledge base teaches it")
        lines.append(f"- {label}: {where}")
    if data.plan:
        lines.append("建议顺序：" if zh else "Suggested order:")
        for p in data.plan[:6]:
            ref = cites.add(p.source, p.locator, _doc_type(p.kind))
            lines.append(f"{p.step}. {p.code} {p.title} [{ref}]".replace("  ", " "))
    return Answer("\n".join(lines), True, tuple(cites.items), language=language)


def _doc_type(kind: str) -> str:
    return "course" if kind == "course" else "training_plan"


def _render_postings(postings: tuple[PostingFit, ...], who: str, language: str) -> Answer:
    zh = language == "zh"
    cites = _Cites()
    lines = [f"适合 {who} 的实习与岗位（按覆盖率）：" if zh else f"Postings that fit {who}, best first:"]
    for n, p in enumerate(postings, start=1):
        ref = cites.add(p.source, p.locator, p.doc_type or "internship", p.quote, p.title)
        company = f" — {p.company}" if p.company else ""
        lines.append(f"{n}. {p.title}{company}: {p.coverage:.0%} [{ref}]")
    return Answer("\n".join(lines), True, tuple(cites.items), language=language)


def _render_posting(p: PostingFit, n: int, language: str) -> Answer:
    zh = language == "zh"
    cites = _Cites()
    ref = cites.add(p.source, p.locator, p.doc_type or "internship", p.quote, p.title)
    matched, missing = ", ".join(p.matched) or "-", ", ".join(p.missing[:10]) or "-"
    text = (f"第 {n} 个：{p.title}{'（' + p.company + '）' if p.company else ''} [{ref}]\n覆盖率 {p.coverage:.0%}；"
            f"已具备：{matched}；还缺：{missing}") if zh else (
        f"Posting {n}: {p.title}{' — ' + p.company if p.company else ''} [{ref}]\n"
        f"coverage {p.coverage:.0%}; you have: {matched}; missing: {missing}")
    return Answer(text, True, tuple(cites.items), language=language)


def _postings_answer(kb: KnowledgeBase, major: str, language: str) -> tuple[Answer, PathSubject] | None:
    data = internships(kb, major, top=5)
    fitting = tuple(p for p in data.postings if p.coverage > 0)  # a posting the major meets nowhere is no fit
    if not fitting:
        return None
    who = f"{data.major.code} {data.major.name}" if data.major else major
    keys = tuple(f"{p.source}#{p.locator}" for p in fitting)
    return _render_postings(fitting, who, language), PathSubject(major, postings=keys)


def _path_answer(kb: KnowledgeBase, major: str, target: str, language: str) -> tuple[Answer, PathSubject] | None:
    job, occupation = _target_text(kb, target)
    data = path(kb, major, job_text=job or None, occupation=occupation or None)
    if not data.have and not data.missing:  # nothing known about the job: let retrieval try
        return None
    return _carrying(_render_path(data, language), plan=data.plan), PathSubject(major, target=target)


def answer_path(kb: KnowledgeBase, question: str, language: str) -> tuple[Answer, PathSubject] | None:
    """The answer to a student's path or internships question and its subject, or None when
    the question is not one (or names no major the knowledge base has a plan for)."""
    wants_target = _PATH_ZH.search(question) or _PATH_EN.search(question)
    wants_gap = bool(_GAP_CUE.search(question))
    wants_postings = bool(_INTERNSHIPS.search(question))
    if not (wants_target and wants_gap) and not wants_postings:
        return None
    major = _major_in(kb, question)
    if major is None:
        return None
    try:
        if wants_target and wants_gap:
            return _path_answer(kb, major, wants_target.group("t").strip(), language)
        return _postings_answer(kb, major, language)
    except UserFacingError:
        return None


def route_path(kb: KnowledgeBase, question: str, language: str, context: str = "") -> Answer | None:
    """The Assistant's hook: an answer for a path question, or for a follow-up of one when
    ``context`` (the previous question, as the chat passes it) was a path question; None
    sends the question on to normal routing. Without a kept ``PathSubject`` the subject is
    re-derived from ``context`` (cheap: the indexes are cached per store revision)."""
    found = answer_path(kb, question, language)
    if found is None and context.strip():
        previous = answer_path(kb, context, detect_language(context))
        found = follow_up(kb, previous[1], question, language) if previous else None
    return _carrying(found[0], subject=found[1]) if found else None


def plan_answer(kb: KnowledgeBase, subject: PathSubject, language: str) -> Answer | None:
    """The whole ordered plan of a path subject (prerequisites first), each step cited; None
    when the subject has no target or nothing missing is taught anywhere."""
    if not subject.target:
        return None
    try:
        job, occupation = _target_text(kb, subject.target)
        data = path(kb, subject.major, job_text=job or None, occupation=occupation or None)
    except UserFacingError:
        return None
    if not data.plan:
        return None
    zh = language == "zh"
    cites = _Cites()
    lines = [f"学习计划：{data.major.code} {data.major.name} → {data.target.name}" if zh
             else f"Study plan: {data.major.code} {data.major.name} → {data.target.name}"]
    for p in data.plan:
        ref = cites.add(p.source, p.locator, _doc_type(p.kind))
        why = ("、" if zh else ", ").join(p.skills) or ("先修课" if zh and p.why == "prerequisite" else p.why)
        lines.append(f"{p.step}. {p.code} {p.title}".replace("  ", " ")
                     + (f"（{why}）" if zh and why else f" ({why})" if why else "") + f" [{ref}]")
    return Answer("\n".join(lines), True, tuple(cites.items), language=language)


_ALL_POSTINGS = 100_000


def nth_posting(kb: KnowledgeBase, subject: PathSubject, number: int,
                language: str) -> tuple[Answer, PathSubject] | None:
    """The ``number``-th (1-based) posting the subject's answer listed, in detail (matched and
    missing skills, the posting cited), and the subject with it marked shown; None past the end."""
    if not 1 <= number <= len(subject.postings):
        return None
    # Every posting, not the first few: new postings may have moved this one down the ranks.
    ranked = internships(kb, subject.major, top=_ALL_POSTINGS).postings
    wanted = subject.postings[number - 1]  # the posting shown at that place, even if ranks moved
    posting = next((p for p in ranked if f"{p.source}#{p.locator}" == wanted), None)
    shown = PathSubject(subject.major, subject.target, subject.postings, number)
    if posting is None:  # removed or re-ingested since the list was given: say so, show no other
        text = (f"第 {number} 个岗位已不在知识库中。" if language == "zh"
                else f"Posting {number} is no longer in the knowledge base.")
        return Answer(text, False, (), language=language), shown
    return _render_posting(posting, number, language), shown


def _ordinal(question: str) -> int | None:
    lowered = question.lower()
    hits = [(lowered.find(word), n) for word, n in _ORDINALS.items() if word in lowered]
    return min(hits)[1] if hits else None


def follow_up(kb: KnowledgeBase, subject: PathSubject, question: str,
              language: str) -> tuple[Answer, PathSubject] | None:
    """A follow-up on the same subject: which course first, the n-th posting, the internships
    of the major just discussed; None when the question is not such a follow-up."""
    named = _major_in(kb, question)
    if named is not None and named != subject.major:  # a new subject: not a follow-up
        return None
    try:
        target = _PATH_ZH.search(question) or _PATH_EN.search(question)
        if target and _GAP_CUE.search(question):  # a new job for the same major
            return _path_answer(kb, subject.major, target.group("t").strip(), language)
        if _FIRST_COURSE.search(question) and (subject.target or re.search(r"课|course", question, re.I)):
            if not subject.target:
                return None
            job, occupation = _target_text(kb, subject.target)
            data = path(kb, subject.major, job_text=job or None, occupation=occupation or None)
            if data.plan:
                first = data.plan[0]
                cites = _Cites()
                ref = cites.add(first.source, first.locator, _doc_type(first.kind))
                why = ", ".join(first.skills) or first.why
                text = (f"先学 {first.code} {first.title}（{why}）[{ref}]" if language == "zh"
                        else f"Start with {first.code} {first.title} ({why}) [{ref}]").replace("  ", " ")
                return _carrying(Answer(text, True, tuple(cites.items), language=language), plan=data.plan), subject
        n = _ordinal(question)
        if subject.postings and n is not None and _POSTING_NOUN.search(question):
            # "next" after the ranked list is the second posting, as the Next-posting button is:
            # the list already put the first one on top.
            found = nth_posting(kb, subject, max(subject.shown, 1) + 1 if n == 0 else n, language)
            if found is not None:
                return found
        if _INTERNSHIPS.search(question):
            return _postings_answer(kb, subject.major, language)
    except UserFacingError:
        return None
    return None
