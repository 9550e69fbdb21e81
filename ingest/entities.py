"""Entities from a loaded document: majors (catalogue rows, training plans), training-plan
items filed by group (core and foundation courses, internships, certificates, occupations,
abilities) and courses (course pages and course lists). Rules over structure, both languages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.schema import DocType, LoadedDocument, RecordBlock, TextBlock

# Line labels first ("专业核心课程：…"), then the section heading decides.
_LINE_GROUPS = [
    ("core", re.compile(r"^\s*(专业核心课程|核心课程|core courses?)\s*[:：]", re.I)),
    ("foundation", re.compile(r"^\s*(专业基础课程|基础课程|foundation courses?)\s*[:：]", re.I)),
    ("internship", re.compile(r"^\s*(实习实训|岗位实习|internships?)\s*[:：]", re.I)),
    ("certificate", re.compile(r"^\s*(职业资格证书|职业技能等级证书|certificates?)\s*[:：]", re.I)),
]
_HEADING_GROUPS = [
    ("occupation", re.compile(r"职业面向|career|occupation|就业面向", re.I)),
    ("ability", re.compile(r"能力要求|培养目标|learning outcomes|abilities|objectives", re.I)),
    ("internship", re.compile(r"实习|internship|placement", re.I)),
    ("certificate", re.compile(r"证书|certificate", re.I)),
    ("core", re.compile(r"核心课程|core courses", re.I)),
    ("foundation", re.compile(r"基础课程|foundation courses", re.I)),
]
_COURSE_TITLE = re.compile(r"^([A-Z]{2,5}\s?\d{3,4}[A-Z]?)\s*[-–—:]\s*(.+)$")
_CODE_KEYS = ("专业代码", "major_code", "cipcode", "code")
_NAME_KEYS = ("专业名称", "major_name", "ciptitle", "name")
_LEVEL_KEYS = ("层次", "education_level", "level")
_CATEGORY_KEYS = ("专业类", "专业大类", "classname", "categoryname", "category")
_STATUS_KEYS = ("备注", "action", "status")
_COURSE_CODE_KEYS = ("course_code", "课程代码", "课程编号", "coursecode")
_COURSE_TITLE_KEYS = ("title", "课程名称", "course_title", "coursename", "name")


@dataclass
class Entities:
    majors: list[dict[str, str]] = field(default_factory=list)
    plan_items: list[dict[str, str]] = field(default_factory=list)
    courses: list[dict[str, str]] = field(default_factory=list)
    occupations: list[dict[str, str]] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)
    requirements: list[dict[str, str]] = field(default_factory=list)
    skill_terms: list[str] = field(default_factory=list)


_ONET_TITLE = re.compile(r"^(\d{2}-\d{4}\.\d{2})\s*[-–]\s*(.+)$")
_ISCO = re.compile(r"ISCO Code\s*\|?\s*([\d.]+)", re.I)
# ESCO profiles exported page by page (PDF text): "Code" on its own line, then the ISCO code;
# the skill sections are runs of labels with no separators between them.
_PAGE_CODE = re.compile(r"\bCode\s+(\d{4}(?:\.\d+)?)\b")
_PAGE_SECTIONS = re.compile(r"\b(Essential Skills and Competences|Essential Knowledge|Optional Skills and Competences|"
                            r"Optional Knowledge|Concept URI|Regulatory Aspect)\b", re.I)
_SKILL_SECTIONS = re.compile(r"skills|knowledge|tasks|abilities|技能|能力|任务", re.I)
_REQUIREMENT_SECTIONS = re.compile(
    r"requirement|qualification|responsibilit|任职|要求|职责|资格|技能", re.I)


def _get(fields: dict[str, str], keys: tuple[str, ...]) -> str:
    lowered = {k.lower().replace(" ", ""): v for k, v in fields.items()}
    return next((lowered[k] for k in keys if lowered.get(k)), "")


def status_of(text: str) -> str:
    """Catalogue status words, normalised: new / renamed / deleted / unchanged."""
    t = text.lower()
    if not t:
        return ""
    if "新增" in t or t.startswith("new"):
        return "new"
    if "更名" in t or "moved" in t or "renamed" in t:
        return "renamed"
    if "删除" in t or "撤销" in t or "deleted" in t:
        return "deleted"
    if "no substantive" in t or "unchanged" in t or "保留" in t:
        return "unchanged"
    return ""


def split_major(entity: str) -> tuple[str, str]:
    """"510204 数字媒体技术" -> ("510204", "数字媒体技术")."""
    head, _, rest = entity.partition(" ")
    if re.fullmatch(r"[0-9A-Z.]{4,10}", head):
        return head, rest.strip()
    return "", entity.strip()


def extract(doc: LoadedDocument, doc_type: DocType) -> Entities:
    out = Entities()
    if doc_type == DocType.TRAINING_PLAN:
        _training_plan(doc, out)
    if doc_type == DocType.OCCUPATION_PROFILE:
        _occupation(doc, out)
    if doc_type in (DocType.ENTERPRISE_REQUIREMENT, DocType.INTERNSHIP):
        _requirement(doc, out)
    for block in doc.blocks:
        if isinstance(block, RecordBlock):
            fields = dict(block.fields)
            _crosswalk(fields, block.locator, out)
            _occupation_row(fields, block.locator, out)
            code, name = _get(fields, _CODE_KEYS), _get(fields, _NAME_KEYS)
            course_code = _get(fields, _COURSE_CODE_KEYS)
            if course_code:
                out.courses.append({
                    "code": course_code, "title": _get(fields, _COURSE_TITLE_KEYS),
                    "credits": _get(fields, ("credits", "学分", "credit hours")),
                    "prerequisites": _get(fields, ("prerequisites", "prerequisite", "先修课程")),
                    "description": _get(fields, ("description", "课程描述", "课程简介")),
                    "locator": block.locator})
            elif code and name and doc_type == DocType.MAJOR_CATALOG:
                out.majors.append({
                    "code": code, "name": name.rstrip("."), "level": _get(fields, _LEVEL_KEYS) or block.table,
                    "category": _get(fields, _CATEGORY_KEYS),
                    "status": status_of(_get(fields, _STATUS_KEYS)), "locator": block.locator})
    if doc_type == DocType.COURSE:
        match = _COURSE_TITLE.match(doc.title.strip())
        if match:
            text = "\n".join(b.text for b in doc.blocks if isinstance(b, TextBlock))
            credits = re.search(r"Credit Hours:\s*([\d.]+)|学分[:：]?\s*([\d.]+)|Credits:\s*([\d.]+)", text)
            prereq = re.search(r"Prerequisites?:\s*(.+)|先修课程[:：]\s*(.+)", text)
            out.courses.append({
                "code": match.group(1), "title": match.group(2).strip(),
                "credits": next((g for g in credits.groups() if g), "") if credits else "",
                "prerequisites": next((g for g in prereq.groups() if g), "").strip() if prereq else "",
                "description": text[:2000], "locator": ""})
    return out


def _training_plan(doc: LoadedDocument, out: Entities) -> None:
    seen: set[str] = set()
    for block in doc.blocks:
        if not isinstance(block, TextBlock) or not block.entity:
            continue
        code, name = split_major(block.entity)
        if block.entity not in seen:
            seen.add(block.entity)
            out.majors.append({"code": code, "name": name, "level": "", "category": doc.title,
                               "status": "", "locator": block.entity})
        heading = block.headings[-1] if block.headings else ""
        default = next((g for g, rx in _HEADING_GROUPS if rx.search(heading)), "")
        locator = " › ".join(p for p in (block.entity, heading) if p)
        for line in block.text.split("\n"):
            line = line.strip()
            if not line or line.startswith(("专业代码", "专业名称", "Major code", "Major name")):
                continue
            group = next((g for g, rx in _LINE_GROUPS if rx.match(line)), default)
            if group:
                out.plan_items.append({"major_code": code, "major_name": name, "group": group,
                                       "text": line, "locator": locator})


def _crosswalk(fields: dict[str, str], locator: str, out: Entities) -> None:
    """Rows linking a major to occupations (folded: "职业编码 / 职业名称": "c / n; c / n")."""
    code, name = fields.get("专业代码", ""), fields.get("专业名称", "")
    if not code:
        return
    folded = next((v for k, v in fields.items() if "职业编码" in k and "/" in k), "")
    pairs: list[tuple[str, str]] = []
    if folded:
        for entry in folded.split("; "):
            occ_code, _, occ_name = entry.partition(" / ")
            pairs.append((occ_code.strip(), occ_name.strip()))
    elif fields.get("职业编码") or fields.get("职业名称"):
        pairs.append((fields.get("职业编码", ""), fields.get("职业名称", "")))
    for occ_code, occ_name in pairs:
        out.links.append({"major_code": code, "major_name": name, "occupation_code": occ_code,
                          "occupation_name": occ_name, "locator": locator})


def _occupation_row(fields: dict[str, str], locator: str, out: Entities) -> None:
    """O*NET-style rows: code, title and a description."""
    code = fields.get("O*NET-SOC Code", "")
    title, description = fields.get("Title", ""), fields.get("Description", "")
    if code and title and description:
        out.occupations.append({"system": "onet", "code": code, "name": title,
                                "skills_text": description, "locator": locator})


def _esco_pages(title: str, text: str, out: Entities) -> bool:
    """An ESCO profile in the page-by-page format; False when the text is not one."""
    code = _PAGE_CODE.search(text)
    marks = list(_PAGE_SECTIONS.finditer(text))
    if not code or not marks:
        return False
    from knowledge.skills import taxonomy

    essential: list[str] = []
    for mark, nxt in zip(marks, [*marks[1:], None], strict=True):
        if not mark.group(1).lower().startswith("essential"):
            continue
        body = text[mark.end():nxt.start() if nxt else len(text)]
        essential.extend(taxonomy().segment(body))
    out.skill_terms.extend(essential)
    out.occupations.append({"system": "esco", "code": code.group(1), "name": title,
                            "skills_text": "\n".join(f"- {term}" for term in essential)[:20000], "locator": ""})
    return True


def _occupation(doc: LoadedDocument, out: Entities) -> None:
    """An occupation profile file (O*NET or ESCO): its name, code and skill sections."""
    title = doc.title.strip()
    onet = _ONET_TITLE.match(title)
    texts = [b.text for b in doc.blocks if isinstance(b, TextBlock)]
    isco = _ISCO.search("\n".join(texts[:3]))
    if not onet and not isco:
        _esco_pages(title, "\n".join(texts), out)
        return
    skills = [
        b.text for b in doc.blocks
        if isinstance(b, TextBlock) and any(_SKILL_SECTIONS.search(h) for h in b.headings)
        and not any(h.lower().startswith("optional") for h in b.headings)
    ]
    if isco:  # ESCO's essential skills and knowledge extend the skill vocabulary
        for b in doc.blocks:
            if isinstance(b, TextBlock) and b.headings and b.headings[0].lower().startswith("essential"):
                out.skill_terms.extend(ln.strip("-*• ").strip() for ln in b.text.split("\n")
                                       if ln.strip().startswith(("-", "*", "•")))
    out.occupations.append({
        "system": "onet" if onet else "esco",
        "code": onet.group(1) if onet else (isco.group(1) if isco else ""),
        "name": onet.group(2).strip() if onet else title,
        "skills_text": "\n".join(skills)[:20000], "locator": "",
    })


def _requirement(doc: LoadedDocument, out: Entities) -> None:
    """Company, role and what an enterprise document asks for, per record it holds."""
    by_entity: dict[str, list[str]] = {}
    for block in doc.blocks:
        if isinstance(block, TextBlock) and any(_REQUIREMENT_SECTIONS.search(h) for h in block.headings):
            by_entity.setdefault(block.entity, []).append(block.text)
    if not by_entity:
        text = "\n".join(b.text for b in doc.blocks if isinstance(b, TextBlock))
        by_entity[""] = [text]
    company = next((m.group(2).strip() for b in doc.blocks if isinstance(b, TextBlock)
                    for m in [re.search(r"(公司名称|实习单位|Company)\s*[:：]?\s*([^\n，,。]+)", b.text)] if m), "")
    for entity, parts in by_entity.items():
        role = entity if entity and entity != company else doc.title
        out.requirements.append({"company": company, "role": role,
                                 "qualifications": "\n".join(parts)[:20000], "locator": entity})
