"""Infer a document's type from its front matter, path and content.

Rules, not a model: each type has path words and content patterns; content counts double,
since folder names are often about something else ("uh_catalog/…/course.html").

A posting (a job or an internship) is recognised by how many *different* posting signals its
text carries (duties, requirements, pay, place, how to apply), not by one word: a training
plan says "岗位实习" and a course catalogue lists "Internship" courses, but neither has duties,
requirements and a salary. Which of the two posting types it is follows from its content
("实习生", "internship"), so a neutral file name ("posting1.md", "岗位A.txt") is typed right."""

from __future__ import annotations

import re

from knowledge.schema import DocType, LoadedDocument, RecordBlock, TextBlock

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
    DocType.MAJOR_CATALOG: r"专业大类|cipcode|专业类代码|cip code|className|categoryName",
    DocType.OCCUPATION_PROFILE: r"o\*net-soc|soc code|isco|essential skills|职业编码|(?<![\w-])occupation|alternate title|职业名称"
                                r"|reported job titles|job zone",
}
# Each is one kind of thing a posting says; a posting says several of them. English labels
# count at the start of a line or heading only: "apply" and "duties" run through occupation
# profiles ("apply statistical analysis"), "Requirements:" heads a posting's section.
# What may come before a label stops at the line's end: a class that takes "\n" lets every line
# start scan the rest of the text, quadratic in a sample of blank or "1." lines.
_LABEL = r"(?:^|\n)(?:[^\w\n]|\d)*"
_POSTING_SIGNALS = (
    # what the job is / what the holder does
    r"岗位职责|工作职责|职位职责|职位描述|岗位描述|岗位说明|工作内容|主要职责|你将负责|你的职责|岗位介绍"
    rf"|{_LABEL}(?:job description|(?:key |main |your )?responsibilities|(?:main |your )?duties|what you(?:'ll| will) do"
    r"|about the (?:role|job|position)|the role|your role|role overview|key tasks)\b",
    # what the applicant must bring
    r"任职要求|任职资格|岗位要求|职位要求|招聘要求|应聘条件|我们希望你|希望你|具备以下|(?:^|\n)[^\w\n]*(?:基本)?要求\s*[:：]"
    rf"|{_LABEL}(?:requirements|qualifications|what we(?:'re| are) looking for|who you are|you have|must have"
    r"|nice to have|skills (?:and|&) experience|about you)\b",
    # an opening offered
    r"招聘|招募|诚聘|急聘|招收|聘用|实习生|\binterns?\b|\btrainees?\b|internship (?:places|positions|opportunit|vacanc)"
    r"|we(?:'re| are) hiring|now hiring|is hiring|we are looking for|is looking for"
    r"|is seeking|welcomes applications|join (?:our|the) team|vacancy|job opening|open position",
    # pay and conditions
    r"薪资|薪酬|工资|月薪|待遇|补贴|津贴|餐补|包住|员工宿舍|五险一金|salary|stipend|monthly allowance"
    r"|compensation\s*[:：]|competitive pay|per month|/month|paid (?:internship|leave)",
    # where and when
    r"工作地点|实习地点|上班地点|办公地点|工作时间|实习时间|实习期|到岗|每周\s*\d|每周[一二三四五]"
    r"|(?:^|\n)[^\w\n]*(?:地点|时间|地址)\s*[:：]"
    rf"|{_LABEL}(?:location|start(?:ing)? date|duration|working hours|work(?:ing)? pattern)\s*[:：]"
    r"|full[- ]time|part[- ]time|hours per week|days a week",
    # how to apply and what counts extra
    r"投递|简历|应聘|留用|录用|优先|加分|how to apply|to apply|apply (?:now|online|by|via|to)|résumé"
    r"|\bresume\b|\bcv\b|is a plus|an advantage|(?:is|are|strongly) preferred|preferred (?:qualifications|skills)",
)
# A post named at the top ("数控车铣实习生", "Software Developer Intern"): one more signal.
_POST_TITLE = re.compile(
    r"实习生|实习岗|岗位|职位|工程师|设计师|专员|助理|技术员|护士|操作员|剪辑师|运营|会计|文员|主管|经理"
    r"|\b(?:intern|trainee|assistant|engineer|analyst|designer|developer|technician|nurse|operator|specialist"
    r"|artist|editor|programmer|machinist|inspector|accountant|clerk|manager|coordinator|officer)s?\b", re.I)
_ENTRY = re.compile(r"^\s*(?:\d{1,2}[.、)）]|[一二三四五六七八九十]{1,2}[、.]|#+)\s*\S")
# An internship, not a job: the posting names its intern, period or allowance.
_INTERNSHIP = re.compile(
    r"实习生|实习岗|实习期|实习时间|实习时长|实习周期|实习补贴|实习津贴|实习地点|实习护士|实习职位|[（(]实习[)）]"
    r"|招收实习|实习招募|实习机会|暑期实习|顶岗实习|见习|\bintern(?:s|ship|ships)?\b|\btrainee|work placement",
    re.I)
# A job or internship title near the top: "数控车铣实习生" / "Software Developer Intern".
_TITLE_INTERN = re.compile(r"实习|见习|\bintern|trainee", re.I)


def posting_signals(text: str) -> int:
    """How many different kinds of thing a posting says that the text says."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    # The post named at the top, or two numbered entries naming posts ("1. Ward Nursing Intern").
    named = (bool(_POST_TITLE.search("\n".join(lines[:2]))) and len("\n".join(lines[:2])) < 200
             or sum(1 for ln in lines if len(ln) <= 80 and _ENTRY.match(ln) and _POST_TITLE.search(ln)) >= 2)
    return named + sum(1 for pattern in _POSTING_SIGNALS if re.search(pattern, text, re.I))


def _posting_kind(title: str, text: str, lowered_path: str) -> DocType:
    """Internship when the posting names an intern, its period or allowance (or its title or
    path says so); a job posting otherwise."""
    head = "\n".join([title, *text.strip().splitlines()[:3]])
    if _TITLE_INTERN.search(head) or _INTERNSHIP.search(text) or re.search(_PATH[DocType.INTERNSHIP], lowered_path):
        return DocType.INTERNSHIP
    return DocType.ENTERPRISE_REQUIREMENT


def classify(doc: LoadedDocument, path: str, sample: str) -> DocType:
    """The best-scoring type, or ``other`` when nothing points anywhere."""
    declared = doc.metadata.get("type") or doc.metadata.get("doc_type")
    if declared:
        try:
            return DocType.parse(declared)
        except ValueError:
            pass
    lowered_path = path.lower()
    # Headings are where a posting names its sections ("## Requirements"); the sample has none.
    headings = dict.fromkeys(h for b in doc.blocks[:200] if isinstance(b, TextBlock) for h in b.headings)
    text = "\n".join([doc.title, *headings, sample]).lower()
    scores: dict[DocType, float] = {}
    for doc_type, pattern in _PATH.items():
        if re.search(pattern, lowered_path, re.IGNORECASE):
            scores[doc_type] = scores.get(doc_type, 0) + 1.5
    for doc_type, pattern in _CONTENT.items():
        hits = len(re.findall(pattern, text, re.IGNORECASE))
        if hits:
            scores[doc_type] = scores.get(doc_type, 0) + 2 + min(hits, 6) * 0.25
    # Both posting types share one score: the path may name either ("jobs/intern_2027.md").
    path_says = max(scores.pop(DocType.INTERNSHIP, 0.0), scores.pop(DocType.ENTERPRISE_REQUIREMENT, 0.0))
    signals = posting_signals(text)
    # One signal alone is a word any document may use ("优先", "location"); two make a posting.
    posting = path_says + (2 + signals * 0.5 if signals >= 2 else 0.0)
    if posting:
        scores[_posting_kind(doc.title, sample, lowered_path)] = posting
    records = [b for b in doc.blocks if isinstance(b, RecordBlock)]
    if records and len(records) >= 0.8 * len(doc.blocks):
        names = {k for k, _ in records[0].fields}
        if {"专业代码", "专业名称"} <= names or "CIPCode" in names or {"code", "name"} <= names:
            scores[DocType.MAJOR_CATALOG] = scores.get(DocType.MAJOR_CATALOG, 0) + 2
    if not scores:
        return DocType.OTHER
    return max(scores.items(), key=lambda item: item[1])[0]
