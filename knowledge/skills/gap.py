"""A major against enterprise requirements: each skill they ask for is covered (taught in core
or foundation courses), partial (only in abilities, internships, certificates or occupations)
or missing. Nothing a requirement says is dropped: a phrase the taxonomy does not know, and a
requirement line with no skill found in it, are listed as unrecognised and missing, with their
quote and source."""

from __future__ import annotations

import re
from collections import defaultdict

from knowledge.errors import UserFacingError
from knowledge.skills.extract import about_the_employer
from knowledge.skills.index import COVERING_GROUPS, GROUP_ORDER, evidence, index_for, quote_at
from knowledge.skills.profile import profile
from knowledge.skills.results import Evidence, GapReport, GapRow, GapSummary
from knowledge.skills.taxonomy import unknown_id
from knowledge.store.base import KnowledgeBase

# Lines that are not requirements: headings, front matter, and the company's own facts.
_NOT_REQUIREMENT = re.compile(
    r"^\s*(#|---|type\s*:|title\s*:|(公司名称|公司|单位|实习单位|地址|工作地点|联系人|联系方式|电话|邮箱|薪资|待遇|福利|"
    r"招聘单位|用人单位|招聘人数|人数|岗位名称|职位名称|工作时间|实习时间|实习时长|实习期|到岗时间|发布日期|"
    r"截止日期|投递方式|报名方式|company|employer|location|salary|contact|email|phone|benefits|job title|"
    r"position|start date|closing date|deadline|duration|hours|working hours|schedule|reference|posted)\s*[:：])"
    # The post's terms, not a skill: how long, how many days a week, when to start.
    r"|^\s*(实习|工作)?(时长|周期|期限)?(不少于|不低于|至少)\s*\d+\s*个?(月|周|天)|每周(到岗|出勤|工作)|"
    r"^(duration|minimum|at least)?\s*\d*\s*(months?|weeks?|days a week)\b", re.I)


def requirement_lines(text: str) -> list[str]:
    """The lines of a requirement text that state something asked for (not headings, the
    company's facts, pay or benefits)."""
    out = []
    for line in text.splitlines():
        line = line.strip().lstrip("-*•·0123456789.、)） ").strip()
        label = len(line) <= 24 and line.endswith((":", "："))  # "岗位要求：" heads what follows
        if len(line) >= 4 and not label and not _NOT_REQUIREMENT.match(line) and not about_the_employer(line):
            out.append(line)
    return out


def gap(kb: KnowledgeBase, major_query: str, requirements: dict[str, str]) -> GapReport:
    """Each skill the requirements ask for, marked covered / partial / missing for the major."""
    index = index_for(kb)
    prof = profile(kb, major_query)
    taught: dict[str, dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
    for item in prof.skills:
        taught[item.id][item.group].extend(item.evidence)
    asked: dict[str, list[Evidence]] = defaultdict(list)
    names: dict[str, tuple[str, str, bool, str]] = {}
    sources = list(requirements)
    extractions = index.extractor.extract_many([requirements[s] for s in sources])
    for source, extraction in zip(sources, extractions, strict=True):
        text = requirements[source]
        covered_lines: set[str] = set()
        for skill in extraction.skills:
            quotes = list(dict.fromkeys(quote_at(text, m.start) for m in skill.mentions))
            asked[skill.key].extend(evidence(source, "", quote) for quote in quotes)
            names.setdefault(skill.key, (index.labels.en(skill.key, skill.label),
                                         index.labels.zh(skill.key, skill.label_zh or skill.label),
                                         skill.known, skill.uri))
            covered_lines.update(line for line in requirement_lines(text) if any(line in q for q in quotes))
        for line in requirement_lines(text):
            if line not in covered_lines:  # no skill found in it: the whole line is the requirement
                key = unknown_id(line)
                asked[key].append(evidence(source, "", line))
                names.setdefault(key, (line[:80], line[:80], False, ""))
    if not asked:
        raise UserFacingError("no requirement found in the given texts")
    rows: list[GapRow] = []
    for key, req_evidence in asked.items():
        groups = taught.get(key, {})
        status = ("covered" if any(g in groups for g in COVERING_GROUPS) else "partial" if groups else "missing")
        en, zh, known, uri = names[key]
        rows.append(GapRow(skill=en, skill_zh=zh, id=key, status=status,
                           demand=len({e.source for e in req_evidence}), known=known,
                           major_evidence=tuple(ev for g in GROUP_ORDER for ev in groups.get(g, []))[:3],
                           requirement_evidence=tuple(req_evidence), uri=uri))
    order = {"missing": 0, "partial": 1, "covered": 2}
    rows.sort(key=lambda r: (-r.demand, not r.known, order[r.status], r.skill))
    summary = GapSummary(
        requirements=len(requirements), required_skills=len(rows),
        covered=sum(r.status == "covered" for r in rows), partial=sum(r.status == "partial" for r in rows),
        missing=sum(r.status == "missing" for r in rows), unrecognised=sum(not r.known for r in rows),
        most_demanded_missing=tuple(r.skill for r in rows if r.status == "missing")[:5])
    return GapReport(major=prof.major, skills=tuple(rows), summary=summary)
