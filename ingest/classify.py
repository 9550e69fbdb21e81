"""Infer a document's type from its front matter, path and content.

Rules, not a model: each type has path words and content patterns; content counts double,
since folder names are often about something else ("uh_catalog/…/course.html")."""

from __future__ import annotations

import re

from knowledge.schema import DocType, LoadedDocument, RecordBlock

_PATH = {
    DocType.COURSE: r"course|syllab|课程",
    DocType.TRAINING_PLAN: r"training[_\- ]?plan|curricul|programme|培养方案|专业简介|教学标准|major[_\- ]?profile|人才培养",
    DocType.ENTERPRISE_REQUIREMENT: r"requirement|job|hiring|vacanc|recruit|enterprise|招聘|岗位|用人|需求|企业",
    DocType.INTERNSHIP: r"intern|实习|placement",
    DocType.MAJOR_CATALOG: r"catalog|catalogue|目录|\bcip",
    DocType.OCCUPATION_PROFILE: r"occupation|o\*?net|esco|职业|taxonomy",
}
_CONTENT = {
    DocType.COURSE: r"credit hours|prerequisite|先修课程|课程代码|课程编号|学分[:：]|course code|contact hours",
    DocType.TRAINING_PLAN: r"专业核心课程|专业基础课程|培养目标|培养方案|core courses|training plan|graduation requirement|接续专业",
    DocType.ENTERPRISE_REQUIREMENT: r"岗位职责|任职要求|任职资格|招聘|job description|responsibilities|qualifications|we are hiring|requirements:",
    DocType.INTERNSHIP: r"实习岗位|实习生|实习期|internship|intern\b|实习单位|实习要求",
    DocType.MAJOR_CATALOG: r"专业大类|cipcode|专业类代码|cip code|className|categoryName",
    DocType.OCCUPATION_PROFILE: r"o\*net-soc|isco|essential skills|职业编码|occupation|alternate title|职业名称",
}


def classify(doc: LoadedDocument, path: str, sample: str) -> DocType:
    """The best-scoring type, or ``other`` when nothing points anywhere."""
    declared = doc.metadata.get("type") or doc.metadata.get("doc_type")
    if declared:
        try:
            return DocType.parse(declared)
        except ValueError:
            pass
    lowered_path = path.lower()
    text = f"{doc.title}\n{sample}".lower()
    scores: dict[DocType, float] = {}
    for doc_type, pattern in _PATH.items():
        if re.search(pattern, lowered_path, re.IGNORECASE):
            scores[doc_type] = scores.get(doc_type, 0) + 1.5
    for doc_type, pattern in _CONTENT.items():
        hits = len(re.findall(pattern, text, re.IGNORECASE))
        if hits:
            scores[doc_type] = scores.get(doc_type, 0) + 2 + min(hits, 6) * 0.25
    records = [b for b in doc.blocks if isinstance(b, RecordBlock)]
    if records and len(records) >= 0.8 * len(doc.blocks):
        names = {k for k, _ in records[0].fields}
        if {"专业代码", "专业名称"} <= names or "CIPCode" in names or {"code", "name"} <= names:
            scores[DocType.MAJOR_CATALOG] = scores.get(DocType.MAJOR_CATALOG, 0) + 2
    if not scores:
        return DocType.OTHER
    return max(scores.items(), key=lambda item: item[1])[0]
