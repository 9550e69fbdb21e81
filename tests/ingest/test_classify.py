"""Typing documents from their content: postings under neutral names, in both languages and
several formats, typed internship or job posting; plans, catalogues and profiles left alone."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document as Docx

from ingest.chunking import blocks_text
from ingest.classify import classify
from ingest.loaders import load_bytes
from ingest.pipeline import Ingestor
from knowledge.schema import DocType
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import Document

INTERN_ZH = """东方齿轮制造有限公司招收机加工实习生 4 名

工作内容：跟随师傅操作普通车床和数控铣床，完成齿轮毛坯的粗加工，做好设备日常点检。
要求：机电类专业在读，能识读零件图，会用量具。
实习时长 5 个月，实习补贴 2500 元/月，地点：台州。
"""

JOB_ZH = """# 客服主管

我们正在招聘一名客服主管，负责华东区售后团队。

## 岗位职责
带领 12 人客服团队，制定服务流程，处理重大投诉。

## 任职要求
三年以上客服管理经验，熟悉呼叫中心系统，大专及以上学历。

薪资面议，五险一金，工作地点：南京。
"""

JOB_EN = """# Warehouse Supervisor

Harbourline Freight is hiring a supervisor for its night shift.

## Key responsibilities
- Lead a team of 15 pickers and packers
- Keep stock records accurate in the WMS

## Requirements
- Two years of warehouse experience
- Forklift licence is an advantage

Salary: 42,000 per year. Location: Felixstowe. Full-time.
"""

# A list of places, each a numbered entry naming the post, with one line of requirements.
PLACES_EN = """Placement list, spring term

1. Pharmacy Assistant Intern - Lakeside Clinic
Requirements: dispensing basics and stock records.

2. Lab Technician Trainee - Harbor Labs
Requirements: sample handling and lab safety.
"""

PLAN_ZH = """# 现代物流管理专业人才培养方案

专业代码 530802

## 培养目标
培养能够从事仓储、配送管理工作的技术技能人才，具有物流师证书者优先推荐就业。

## 课程设置
专业基础课程：物流管理基础、经济学基础。
专业核心课程：仓储管理、配送管理、供应链管理。

## 实习实训
在物流企业进行岗位实习，实习时间 6 个月。
"""

CATALOGUE_EN = """course_code,title,credit hours,description
MKTG 4397,Marketing Internship,3,Supervised internship in a marketing firm.
ACCT 4398,Accounting Internship,3,Internship in public accounting; prerequisite ACCT 3367.
COSC 4390,Computing Internship,3,Internship with a software employer.
"""

PROFILE_EN = """# warehouse manager

## Description
Warehouse managers are responsible for warehouse operations. Duties include stock control.

## Essential Skills
- apply health and safety standards
- apply company policies
- manage staff

ISCO Code 1324.2
"""


def docx_bytes(*paragraphs: str, heading: str = "") -> bytes:
    doc = Docx()
    if heading:
        doc.add_heading(heading, 1)
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


INTERN_EN_DOCX = docx_bytes(
    "Pinecrest Labs is looking for a summer intern in our QA team.",
    "You will write automated tests in Python and log defects in Jira.",
    "Computing students; some Selenium experience is a plus.",
    "Duration: 10 weeks. Stipend: 1,200 per month.",
    heading="QA Testing Internship")


def typed(name: str, data: bytes, path: str | None = None) -> DocType:
    doc = load_bytes(data, name)
    return classify(doc, path or f"/srv/uploads/{name}", blocks_text(doc.blocks))


@pytest.mark.parametrize("name,data,expected", [
    ("2026-11.txt", INTERN_ZH.encode(), DocType.INTERNSHIP),
    ("文档1.md", JOB_ZH.encode(), DocType.ENTERPRISE_REQUIREMENT),
    ("notes.md", JOB_EN.encode(), DocType.ENTERPRISE_REQUIREMENT),
    ("file.docx", INTERN_EN_DOCX, DocType.INTERNSHIP),
    ("导出.txt", INTERN_ZH.encode("gb18030"), DocType.INTERNSHIP),
    ("list.md", PLACES_EN.encode(), DocType.INTERNSHIP),
])
def test_a_posting_under_a_neutral_name_is_typed_from_its_content(name: str, data: bytes,
                                                                   expected: DocType) -> None:
    assert typed(name, data) == expected


def test_content_decides_internship_over_a_path_that_says_job() -> None:
    assert typed("a.txt", INTERN_ZH.encode(), "/data/jobs/2026/a.txt") == DocType.INTERNSHIP
    assert typed("b.md", JOB_EN.encode(), "/data/jobs/2026/b.md") == DocType.ENTERPRISE_REQUIREMENT


@pytest.mark.parametrize("name,text,expected", [
    # "岗位实习", "实习时间" and "优先" are a plan's words too; duties, requirements and pay are not.
    ("p.md", PLAN_ZH, DocType.TRAINING_PLAN),
    # A catalogue of internship courses is a catalogue of courses.
    ("c.csv", CATALOGUE_EN, DocType.COURSE),
    # "apply …" and "Duties include" in an occupation profile are not a posting's sections.
    ("o.md", PROFILE_EN, DocType.OCCUPATION_PROFILE),
])
def test_other_documents_that_use_posting_words_keep_their_type(name: str, text: str,
                                                                 expected: DocType) -> None:
    assert typed(name, text.encode()) == expected


def test_one_posting_word_alone_is_not_a_posting() -> None:
    assert typed("memo.md", "# 会议纪要\n\n下周一讨论招聘计划，请各部门准备材料。\n".encode()) == DocType.OTHER


def test_front_matter_wins_over_content() -> None:
    text = "---\ntype: enterprise_requirement\n---\n" + INTERN_ZH
    assert typed("x.md", text.encode()) == DocType.ENTERPRISE_REQUIREMENT


def test_postings_ingested_under_neutral_names_are_stored_with_their_type(kb: KnowledgeBase,
                                                                          tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    root.mkdir()
    (root / "a1.txt").write_text(INTERN_ZH, encoding="utf-8")
    (root / "a2.md").write_text(JOB_EN, encoding="utf-8")
    (root / "a3.docx").write_bytes(INTERN_EN_DOCX)
    (root / "a4.md").write_text(PLAN_ZH, encoding="utf-8")
    assert not Ingestor(kb).run([root]).failed
    upload = Ingestor(kb).ingest_bytes(JOB_ZH.encode(), "招聘.md", key="upload/42/doc.md")
    assert upload.doc_type == "enterprise_requirement"
    with kb.db.session() as s:
        types = {d.source: d.doc_type for d in s.query(Document).all()}
    assert types == {"a1.txt": "internship", "a2.md": "enterprise_requirement", "a3.docx": "internship",
                     "a4.md": "training_plan", "招聘.md": "enterprise_requirement"}
