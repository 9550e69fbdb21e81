"""Ranking postings for a major, on postings that arrive under neutral file names with no front
matter (typed from their content), in both languages and three formats; plans written here.

The postings are not those of test_path.py: other wording, other formats, a posting that shares
only common skills with a major, and one whose skills no plan teaches."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document as Docx

from ingest.pipeline import Ingestor
from knowledge.errors import UserFacingError
from knowledge.skills import index_for, to_json
from knowledge.skills.internships import internships, postings_for, qualified
from knowledge.skills.path import path
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import Document
from tests.conftest import make_settings


def plan(code: str, name: str, abilities: str, foundation: str, core: str) -> str:
    return f"""---
type: training_plan
title: {name}专业人才培养方案
---
# {name}专业人才培养方案

专业代码 {code}

专业名称 {name}

## 主要专业能力要求

{abilities}

## 课程设置

专业基础课程：{foundation}。

专业核心课程：{core}。
"""


PLANS = {
    "nursing.md": plan("520201", "护理",
                       "1. 具备基础护理、静脉输液和良好的沟通能力；\n2. 具备生命体征监测与急救护理的能力。",
                       "人体解剖学、药理学、办公软件应用", "基础护理学、内科护理、外科护理、急救护理、健康评估"),
    "mechanical.md": plan("460104", "机械制造及自动化",
                          "1. 具备识读机械图纸和沟通能力；\n2. 具备数控机床编程与操作的能力。",
                          "机械制图、AutoCAD 绘图、办公软件应用", "机械制造技术、数控编程与加工、液压与气动技术"),
    "media.md": plan("510204", "数字媒体技术", "1. 具备三维建模与动画制作的能力；\n2. 具备视频剪辑和良好的沟通能力。",
                     "图形图像处理（Photoshop）、摄影基础", "三维建模、三维动画设计、视频剪辑与后期（Premiere）"),
    # 软件建模 is software (UML) modelling, not the 3D modelling its alias 建模 names.
    "software.md": plan("510203", "软件技术", "1. 具备 Java 程序设计与数据库应用的能力；\n2. 具备良好的沟通能力。",
                        "程序设计基础、数据库技术、图形图像处理（Photoshop）",
                        "Java 程序设计、软件建模与设计、软件测试、Web 前端开发"),
    "accounting.md": plan("530302", "大数据与会计", "1. 具备会计核算与纳税申报的能力；\n2. 具备沟通能力。",
                          "会计基础、Excel 在财务中的应用", "财务会计实务、成本会计、税务实务"),
}

# No front matter, neutral names: each is typed from its content.
NURSING_ZH = """康复科护理实习生

岗位职责：在护士长指导下开展基础护理，完成静脉输液，定时监测生命体征，参与急救护理。
任职要求：护理专业在读；沟通能力好。
实习期 8 个月，实习补贴 1800 元/月。
"""

MACHINING_EN = """Machining Trainee

Responsibilities:
- Set up CNC machines and write CNC programs for turned parts
- Read engineering drawings and check parts against them

Requirements:
- AutoCAD, good communication
Internship length: 6 months. Location: Ningbo. Stipend provided.
"""

ANIMATION_ZH_DOCX = ("短视频与三维动画实习生", [
    "工作内容：用 Maya 完成三维建模与角色动画，用 Premiere 剪辑短视频。",
    "岗位要求：熟悉视频剪辑和三维动画流程，有摄影基础者优先。",
    "实习时间：3 个月，工作地点：成都，薪资面议。",
])

JAVA_EN = """Junior Java Developer Intern

What you will do
Build web pages with Java and HTML, write SQL against our database, and help with software testing.

What we are looking for
Java programming, SQL, software testing. Git, Linux and Docker. Good communication.

Internship, 4 days a week, paid. Location: Xi'an.
"""

# What the media major teaches, and what the software plan's "软件建模与设计" seems to.
ARTIST_EN = """3D Artist Intern

Requirements: 3D modelling in Blender, textures in Photoshop, video editing.
Internship, 3 months, stipend paid. Location: Hangzhou.
"""

# What most majors here ask for too (communication, office software, Photoshop).
OFFICE_EN = """Office Assistant Intern

Responsibilities: prepare documents in Microsoft Office and edit images in Photoshop.
Requirements: good communication.
Internship, paid. Location: Dalian.
"""

# Asked for, and taught by no plan here.
FORKLIFT_ZH = """仓库叉车司机

岗位职责：驾驶叉车装卸货物。
任职要求：持有叉车证，德语 B2 水平。
薪资 6000 元/月，工作地点：青岛。
"""


def docx_bytes(title: str, paragraphs: list[str]) -> bytes:
    doc = Docx()
    doc.add_paragraph(title)
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    root = tmp_path_factory.mktemp("ranking")
    docs = root / "docs"
    (docs / "plans").mkdir(parents=True)
    (docs / "inbox").mkdir()
    for name, text in PLANS.items():
        (docs / "plans" / name).write_text(text, encoding="utf-8")
    for name, text in {"001.md": NURSING_ZH, "002.txt": MACHINING_EN, "004.md": JAVA_EN, "005.md": OFFICE_EN,
                       "006.txt": FORKLIFT_ZH, "007.md": ARTIST_EN}.items():
        (docs / "inbox" / name).write_text(text, encoding="utf-8")
    (docs / "inbox" / "003.docx").write_bytes(docx_bytes(*ANIMATION_ZH_DOCX))
    base = KnowledgeBase(make_settings(root / "data"))
    assert not Ingestor(base).run([docs]).failed
    yield base
    base.close()


def test_postings_under_neutral_names_are_typed_from_their_content(kb: KnowledgeBase) -> None:
    with kb.db.session() as s:
        types = {d.source: d.doc_type for d in s.query(Document).all() if d.source.startswith("inbox/")}
    assert types == {"inbox/001.md": "internship", "inbox/002.txt": "internship", "inbox/003.docx": "internship",
                     "inbox/004.md": "internship", "inbox/005.md": "internship",
                     "inbox/006.txt": "enterprise_requirement", "inbox/007.md": "internship"}
    titles = {p.source: p.title for p in postings_for(kb)}
    # The first line names the post when the file name does not.
    assert titles["inbox/002.txt"] == "Machining Trainee" and titles["inbox/003.docx"] == "短视频与三维动画实习生"
    # "What you will do" / "What we are looking for" are sections of one posting, not two.
    assert [p.source for p in postings_for(kb)].count("inbox/004.md") == 1


@pytest.mark.parametrize("major,best", [
    ("护理", {"inbox/001.md"}),
    ("Nursing", {"inbox/001.md"}),
    ("460104", {"inbox/002.txt"}),
    ("数字媒体技术", {"inbox/003.docx", "inbox/007.md"}),
    ("Digital Media Technology", {"inbox/003.docx", "inbox/007.md"}),
    ("510203", {"inbox/004.md"}),
])
def test_the_fitting_posting_ranks_first(kb: KnowledgeBase, major: str, best: set[str]) -> None:
    data = to_json(internships(kb, major, top=3))
    ranked = [(p["source"], p["coverage"]) for p in data["postings"]]
    assert ranked[0][0] in best, ranked
    assert [c for _, c in ranked] == sorted((c for _, c in ranked), reverse=True)
    assert set(data) == {"major", "postings"} | ({"skills"} if "skills" in data else set())
    assert {"source", "title", "coverage", "matched", "missing"} <= set(data["postings"][0])


def test_a_qualified_compound_is_weak_evidence(kb: KnowledgeBase) -> None:
    tax = index_for(kb).extractor.taxonomy
    assert qualified(tax, "软件建模") and not qualified(tax, "三维建模") and not qualified(tax, "数据库技术")
    # The software plan's 软件建模与设计 is linked to 3D modelling: by plain count the 3D artist
    # posting (3D modelling, Photoshop of the software plan; video editing not) would come first.
    software = to_json(internships(kb, "软件技术", top=7))["postings"]
    coverage = {p["source"]: p["coverage"] for p in software}
    assert software[0]["source"] == "inbox/004.md", [(p["source"], p["coverage"]) for p in software]
    assert coverage["inbox/004.md"] > coverage["inbox/007.md"]
    media = {p["source"]: p["coverage"] for p in to_json(internships(kb, "数字媒体技术", top=7))["postings"]}
    assert media["inbox/007.md"] > coverage["inbox/007.md"]
    # The path says the same: the software major gives 3D modelling only in part.
    have = to_json(path(kb, "510203", job_text=ARTIST_EN))["have"]
    modelling = [h for h in have if "软件建模" in h["evidence"][0]["quote"]]
    photoshop = [h for h in have if "Photoshop" in h["evidence"][0]["quote"]]
    assert modelling and {h["status"] for h in modelling} == {"partial"}, have
    assert photoshop and {h["status"] for h in photoshop} == {"covered"}, have


def test_skills_no_plan_teaches_are_missing_never_dropped(kb: KnowledgeBase) -> None:
    fits = {p["source"]: p for p in to_json(internships(kb, "护理", top=10))["postings"]}
    forklift = next((p for p in postings_for(kb) if p.source == "inbox/006.txt"), None)
    assert forklift is not None
    asked = {s.label for s in forklift.skills}
    labels = " ".join(asked).lower()
    assert ("forklift" in labels or "叉车" in labels) and ("german" in labels or "德语" in labels)
    if "inbox/006.txt" in fits:  # ranked with nothing matched: all it asks is missing
        assert set(fits["inbox/006.txt"]["missing"]) == asked and not fits["inbox/006.txt"]["matched"]
    data = to_json(path(kb, "520201", job_text=FORKLIFT_ZH))
    missing = {s["label"]: s for s in data["missing"]}
    assert {s["label"] for s in data["have"]} | set(missing) >= {s.label for s in forklift.skills if s.known}
    untaught = [label for label, s in missing.items() if not s["learn"]]
    assert any("forklift" in u.lower() or "叉车" in u for u in untaught)


def test_software_major_to_a_data_job_in_chinese(kb: KnowledgeBase) -> None:
    job = "数据分析助理：熟练使用 SQL 和 Excel，会做财务报表分析，具备会计基础。"
    data = to_json(path(kb, "软件技术", job_text=job))
    assert data["have"] and data["missing"]
    assert "SQL" in {h["label"] for h in data["have"]}
    # What another major teaches is a place to learn it, cited.
    places = [p for s in data["missing"] for p in s["learn"]]
    assert places and all(p["source"].startswith("plans/") for p in places)
    assert any("530302" in p.get("major", "") for p in places)


@pytest.mark.parametrize("query", ["护里", "Underwater Basket Weaving"])
def test_an_unknown_major_is_an_error_naming_candidates(kb: KnowledgeBase, query: str) -> None:
    with pytest.raises(UserFacingError, match=r"closest: \d{6} \S+") as failed:
        internships(kb, query)
    assert query in str(failed.value)
    with pytest.raises(UserFacingError, match="closest"):
        path(kb, query, job_text=NURSING_ZH)
    if query == "护里":
        assert "520201 护理" in str(failed.value)


def test_a_posting_that_names_the_major_ranks_above_one_that_covers_a_little_more(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.md").write_text(PLANS["accounting.md"], encoding="utf-8")
    # Both ask for what the accounting plan gives; only the second is written for the major.
    (docs / "a.md").write_text("数据录入实习生\n\n岗位职责：用 Excel 整理数据，协助纳税申报。\n"
                               "任职要求：沟通能力好。\n实习补贴 1500 元/月。\n", encoding="utf-8")
    (docs / "b.md").write_text("财务助理实习生\n\n岗位职责：协助会计核算和纳税申报，整理审计底稿。\n"
                               "任职要求：大数据与会计专业在校生，会用 Excel，熟悉用友财务软件。\n"
                               "实习期 3 个月。\n", encoding="utf-8")
    base = KnowledgeBase(make_settings(tmp_path / "data"))
    try:
        assert not Ingestor(base).run([docs]).failed
        ranked = to_json(internships(base, "大数据与会计"))["postings"]
        by_source = {p["source"]: p for p in ranked}
        assert by_source["b.md"]["coverage"] < by_source["a.md"]["coverage"], ranked
        assert [p["source"] for p in ranked] == ["b.md", "a.md"], ranked
        assert by_source["b.md"]["names_major"] is True and "names_major" not in by_source["a.md"]
    finally:
        base.close()
