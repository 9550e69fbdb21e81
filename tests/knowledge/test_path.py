"""A student's path (what the major gives, what is missing, where to learn it) and the postings
that fit a major, on plans and postings written here and ingested for real, in both languages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from ingest.pipeline import Ingestor
from knowledge.answering.path_intent import answer_path, follow_up, nth_posting, route_path
from knowledge.errors import MajorNotFound, UserFacingError
from knowledge.skills import index_for, to_json
from knowledge.skills.internships import internships, postings_for
from knowledge.skills.path import path
from knowledge.store.base import KnowledgeBase
from tests.conftest import SAMPLES, make_settings

PLANS = {
    "software.md": """---
type: training_plan
title: 软件技术专业人才培养方案
---
# 软件技术专业人才培养方案

专业代码 510203

专业名称 软件技术

## 主要专业能力要求

1. 具备使用 Java 和 Python 进行程序设计的能力；
2. 具备数据库设计与 SQL 编程的能力。

## 课程设置

专业基础课程：程序设计基础（CS101）、数据库技术（SE120）、计算机网络基础（SE130）。

专业核心课程：Java 程序设计（SE210）、Web 前端开发（SE220）、软件测试（SE230）。

## 职业类证书

Web 前端开发职业技能等级证书（1+X）。
""",
    "nursing.md": """---
type: training_plan
title: 护理专业人才培养方案
---
# 护理专业人才培养方案

专业代码 520201

专业名称 护理

## 主要专业能力要求

1. 具备基础护理和静脉输液的能力；
2. 具备生命体征监测和急救护理的能力。

## 课程设置

专业基础课程：人体解剖学、生理学、药理学。

专业核心课程：基础护理学、内科护理、外科护理、急救护理、健康评估。
""",
    "mechanical.md": """---
type: training_plan
title: 机械制造及自动化专业人才培养方案
---
# 机械制造及自动化专业人才培养方案

专业代码 460104

专业名称 机械制造及自动化

## 主要专业能力要求

1. 具备识读机械图纸和使用 AutoCAD、SolidWorks 绘图的能力；
2. 具备数控机床编程与操作的能力。

## 课程设置

专业基础课程：机械制图、工程力学、电工电子技术。

专业核心课程：机械制造技术、数控编程与加工、PLC 应用技术、液压与气动技术。
""",
}

POSTINGS = """---
type: internship
title: 2027 年合作企业实习岗位
---
# 2027 年合作企业实习岗位

## 江滨市人民医院：护理实习生

实习单位：江滨市人民医院

岗位要求：具备基础护理和静脉输液能力，能进行生命体征监测，熟悉急救护理。

## 江滨精工：数控加工实习生

实习单位：江滨精工机械有限公司

岗位要求：能识读机械图纸，会使用 AutoCAD 或 SolidWorks 绘图，熟悉数控机床编程。

## 星河传媒：三维动画实习生

实习单位：星河传媒有限公司

岗位要求：熟练使用 Blender、3ds Max 进行三维建模与动画制作，会用 Premiere 剪辑视频。

## 数海科技：数据分析实习生

实习单位：数海科技有限公司

岗位要求：熟悉 SQL 和 Python，会用 Power BI 做数据可视化，具备统计学基础。
"""

POSTINGS_EN = """---
type: internship
title: Internship places 2027
---
Internship places 2027, Career Services Office

1. Ward Nursing Intern - Riverside General Hospital
Requirements: basic nursing care, intravenous infusion and monitoring vital signs.

2. CNC Machining Intern - Riverside Precision Ltd.
Requirements: read engineering drawings, AutoCAD and CNC programming.
"""

OCCUPATION = """# data analyst

## Basic Information

| Field | Value |
|-------|-------|
| **Title** | data analyst |
| **ISCO Code** | 2511.3 |

## Essential Skills

- **analyse big data**
- **apply statistical analysis techniques**
- **perform data cleansing**
- **SQL**
- **Python (computer programming)**
"""

# Asked for, and taught by nothing in this knowledge base.
UNTAUGHT = "仓储物流助理：持有叉车证，德语 B2 水平。"

DATA_ANALYST = ("Data analyst: SQL and Python for data cleaning, Power BI dashboards, statistics, "
                "data warehouse design.")


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    """Plans, postings and an occupation profile written here, with the samples' plans and courses."""
    root = tmp_path_factory.mktemp("path")
    docs = root / "docs"
    written = {**{f"plans/{name}": text for name, text in PLANS.items()}, "postings/实习岗位2027.md": POSTINGS,
               "postings/places_2027.md": POSTINGS_EN, "occupations/2511.3.md": OCCUPATION}
    for name, text in written.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    base = KnowledgeBase(make_settings(root / "data"))
    assert not Ingestor(base).run([docs, SAMPLES / "kb" / "majors", SAMPLES / "kb" / "courses"]).failed
    yield base
    base.close()


def test_software_major_aiming_at_data_analyst(kb: KnowledgeBase) -> None:
    data = to_json(path(kb, "软件技术", job_text=DATA_ANALYST))
    assert data["major"]["code"] == "510203" and data["target"]["kind"] == "job"
    assert (have := {h["label"]: h for h in data["have"]})["SQL"]["status"] == "covered"
    ev = have["SQL"]["evidence"][0]  # the plan line quoted: 数据库技术 is where SQL is taught
    assert "数据库" in ev["quote"] and ev["source"] == "plans/software.md" and ev["group"] == "foundation"
    assert data["missing"], "a software major does not already give everything a data analyst needs"
    index = index_for(kb)
    keys = {f.id: f.key for f in index.extract(DATA_ANALYST).skills}
    taught_elsewhere = {key for (code, _), skills in index.major_skills().items() if code != "510203"
                        for key, ev in skills.items() if any(e.group in ("core", "foundation") for e in ev)}
    for skill in data["missing"]:
        if keys[skill["skill"]] in taught_elsewhere:
            assert skill["learn"], f"{skill['label']} is taught in the knowledge base but no place is given"
        for place in skill["learn"]:
            assert place["source"] and place["kind"] in ("course", "elective", "certificate")
    assert any(p["kind"] == "course" and p.get("code") for s in data["missing"] for p in s["learn"])
    # The plan takes a course only after the courses it needs.
    codes = [step["code"] for step in data["plan"] if step.get("code")]
    assert codes and len(codes) == len(set(codes))
    prereq = {p["code"]: p.get("prerequisites", "") for s in data["missing"] for p in s["learn"] if p.get("code")}
    for n, code in enumerate(codes):
        assert not any(later in prereq.get(code, "") for later in codes[n + 1:])


def test_skills_no_course_teaches_are_missing_with_nothing_to_learn(kb: KnowledgeBase) -> None:
    data = to_json(path(kb, "510203", job_text=UNTAUGHT))
    asked = {f.id for f in index_for(kb).extract(UNTAUGHT).skills}
    listed = {s["skill"] for s in data["have"]} | {s["skill"] for s in data["missing"]}
    assert asked and asked == listed  # nothing dropped
    untaught = [s for s in data["missing"] if not s["learn"]]
    labels = " ".join(s["label"] for s in untaught).lower()
    assert ("german" in labels or "德语" in labels) and ("forklift" in labels or "叉车" in labels)


def test_occupation_profile_as_the_target(kb: KnowledgeBase) -> None:
    data = to_json(path(kb, "Software Technology", occupation="data analyst"))
    assert data["major"]["code"] == "510203"
    assert data["target"] == {"kind": "occupation", "name": "data analyst", "code": "2511.3",
                              "source": "occupations/2511.3.md"}
    have = {s["label"] for s in data["have"]}
    missing = {s["label"] for s in data["missing"]}
    assert "SQL" in have and "apply statistical analysis techniques" in missing
    assert not have & missing


def test_unknown_major_names_the_closest(kb: KnowledgeBase) -> None:
    with pytest.raises(UserFacingError, match="护里.*closest: 520201 护理") as failed:
        path(kb, "护里", job_text=DATA_ANALYST)
    assert isinstance(failed.value, MajorNotFound) and failed.value.closest[0] == ("520201", "护理")
    with pytest.raises(UserFacingError, match="closest"):
        internships(kb, "Underwater Basket Weaving")


def test_english_major_name(kb: KnowledgeBase) -> None:
    # "Nursing" is the bilingual name table's English name of 520201 护理.
    data = to_json(internships(kb, "Nursing", top=1))
    assert data["major"]["code"] == "520201"


def test_postings_are_cut_per_heading_and_per_numbered_entry(kb: KnowledgeBase) -> None:
    titles = {(p.source, p.title) for p in postings_for(kb)}
    assert ("postings/实习岗位2027.md", "护理实习生") in titles
    assert ("postings/实习岗位2027.md", "数据分析实习生") in titles
    assert ("postings/places_2027.md", "Ward Nursing Intern") in titles
    assert ("postings/places_2027.md", "CNC Machining Intern") in titles
    company = {p.title: p.company for p in postings_for(kb)}
    assert company["护理实习生"] == "江滨市人民医院"
    assert company["CNC Machining Intern"] == "Riverside Precision Ltd."


@pytest.mark.parametrize("major,best", [
    ("护理", ("护理实习生", "Ward Nursing Intern")),
    ("机械制造及自动化", ("数控加工实习生", "CNC Machining Intern")),
    ("510204", ("三维动画实习生",)),
    ("软件技术", ("数据分析实习生",)),
])
def test_the_fitting_posting_ranks_first(kb: KnowledgeBase, major: str, best: tuple[str, ...]) -> None:
    data = to_json(internships(kb, major, top=3))
    first = data["postings"][0]
    assert first["title"] in best, [(p["title"], p["coverage"]) for p in data["postings"]]
    assert first["matched"] and first["source"].startswith("postings/")
    assert [p["coverage"] for p in data["postings"]] == sorted((p["coverage"] for p in data["postings"]),
                                                                reverse=True)


def test_a_students_own_skills_rank_postings(kb: KnowledgeBase) -> None:
    data = to_json(internships(kb, None, skills=["Blender", "3ds Max", "Premiere", "三维建模"]))
    assert data["major"] is None and data["postings"][0]["title"] == "三维动画实习生"
    # Blender, 3ds Max and 三维建模 are one skill to match on (3D modelling).
    assert data["postings"][0]["coverage"] == 1.0 and data["postings"][0]["matched"]
    assert data["skills"]


def test_chat_path_question_and_its_follow_up_in_chinese(kb: KnowledgeBase) -> None:
    found = answer_path(kb, "我是软件技术专业的，想做数据分析师，还缺什么？", "zh")
    assert found is not None
    answer, subject = found
    assert answer.grounded and "510203 软件技术" in answer.text and "还缺" in answer.text
    sources = {c.source for c in answer.citations}
    assert "plans/software.md" in sources and "courses.csv" in sources
    assert route_path(kb, "数字媒体技术专业的核心课程有哪些？", "zh") is None  # not a path question
    first = follow_up(kb, subject, "那我先学哪门课？", "zh")
    assert first is not None and first[0].text.startswith("先学") and first[0].citations
    # Stateless, as the Assistant calls it: the previous question is the context.
    again = route_path(kb, "那我先学哪门课？", "zh", context="我是软件技术专业的，想做数据分析师，还缺什么？")
    assert again is not None and again.text == first[0].text
    assert route_path(kb, "那我先学哪门课？", "zh") is None


def test_chat_internships_and_the_nth_posting_in_english(kb: KnowledgeBase) -> None:
    found = answer_path(kb, "I'm in Nursing, which of these internships suit me?", "en")
    assert found is not None
    answer, subject = found
    assert answer.text.splitlines()[1].startswith("1. 护理实习生")
    second = follow_up(kb, subject, "and the second internship?", "en")
    assert second is not None and second[0].text.startswith("Posting 2: Ward Nursing Intern")
    assert second[0].citations[0].source == "postings/places_2027.md"
    # "next" after the ranked list moves past its top posting, as the bot's Next-posting button does;
    # after a posting shown in detail, to the one after it.
    following = follow_up(kb, subject, "下一个岗位呢？", "zh")
    assert following is not None and following[0].text.startswith("第 2 个：")
    first = follow_up(kb, subject, "the first posting?", "en")
    assert first is not None and first[0].text.startswith("Posting 1: 护理实习生")
    after = follow_up(kb, first[1], "and the next one?", "en")
    assert after is not None and after[0].text.startswith("Posting 2: Ward Nursing Intern")
    # A question naming another major is a new subject, not a follow-up.
    assert follow_up(kb, subject, "and the second internship for 机械制造及自动化?", "en") is None
    other = route_path(kb, "哪些实习适合机械制造及自动化专业？", "zh")
    assert other is not None and "数控加工实习生" in other.text.splitlines()[1]


def test_chat_english_path_question(kb: KnowledgeBase) -> None:
    answer = route_path(kb, "What should I take next to become a data analyst? I'm in Software Technology.", "en")
    assert answer is not None and "Missing:" in answer.text and "Applied Statistics" in answer.text


def test_a_listed_posting_gone_since_is_said_to_be_gone_not_replaced(kb: KnowledgeBase) -> None:
    found = answer_path(kb, "I'm in Nursing, which of these internships suit me?", "en")
    assert found is not None
    _, subject = found
    gone = replace(subject, postings=(subject.postings[0], "postings/removed.md#3"))
    second = nth_posting(kb, gone, 2, "en")
    assert second is not None
    answer, shown = second
    assert answer.text == "Posting 2 is no longer in the knowledge base." and not answer.grounded
    assert not answer.citations and shown.shown == 2
    first = nth_posting(kb, gone, 1, "zh")
    assert first is not None and first[0].text.startswith("第 1 个：护理实习生")
