"""Entity resolution and record answers: the entity a question names is answered from its own
record, a code that does not exist or an attribute never held is declined (grounded False),
an ambiguous name gets the candidates, and a follow-up keeps its subject."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from knowledge.answering.entities import Outcome, Resolution, resolve
from knowledge.answering.followup import carry_subject
from knowledge.answering.records import answer_from_record
from knowledge.schema import Answer
from knowledge.store.base import KnowledgeBase
from tests.conftest import make_settings


def ask(kb: KnowledgeBase, question: str, language: str, role: str = "student") -> tuple[Resolution, Answer | None]:
    resolution = resolve(kb, question, language)
    return resolution, answer_from_record(kb, resolution, role, language)


# -- the sample knowledge base -------------------------------------------------------------

def test_course_code_answers_the_whole_prerequisite_field(sample_kb: KnowledgeBase) -> None:
    resolution, answer = ask(sample_kb, "What are the prerequisites of dmt 310?", "en")
    assert resolution.outcome == Outcome.RESOLVED
    assert resolution.entity is not None and resolution.entity.code == "DMT310"
    assert resolution.attribute is not None and resolution.attribute.name == "prerequisites"
    assert answer is not None and answer.grounded
    assert "DMT210; CS101" in answer.text.splitlines()[0]  # the whole field, not "DMT210;"
    assert answer.citations[0].source == "courses/courses.csv"
    assert answer.citations[0].locator == "row 10"


def test_english_name_of_a_chinese_major(sample_kb: KnowledgeBase) -> None:
    resolution, answer = ask(sample_kb, "What are the core courses of the Digital Media Technology major?",
                             "en")
    assert resolution.entity is not None and resolution.entity.code == "510204"
    assert answer is not None and answer.grounded
    assert "三维建模与动画（DMT210）" in answer.text
    assert {c.source for c in answer.citations} == {"majors/digital_media_technology.md"}
    assert "Chinese" in answer.text  # says the source is in another language


def test_nonexistent_code_is_declined_with_the_nearest(sample_kb: KnowledgeBase) -> None:
    resolution, answer = ask(sample_kb, "510299专业的核心课程有哪些？", "zh")
    assert resolution.outcome == Outcome.NONEXISTENT
    assert resolution.named == "510299"
    assert {c.entity.code for c in resolution.candidates} == {"510204", "510205"}
    assert answer is not None and not answer.grounded
    assert "510299" in answer.text and "510204" in answer.text
    assert "三维建模" not in answer.text  # never answered for a neighbour


def test_unknown_marked_name_is_nonexistent(sample_kb: KnowledgeBase) -> None:
    resolution, answer = ask(sample_kb, "What internships does the Quantum Cooking major offer?", "en")
    assert resolution.outcome == Outcome.NONEXISTENT and resolution.named == "Quantum Cooking"
    assert answer is not None and not answer.grounded


def test_unheld_attribute_is_declined_listing_what_is_held(sample_kb: KnowledgeBase) -> None:
    resolution, answer = ask(sample_kb, "数字媒体技术专业的学费是多少？", "zh")
    assert resolution.outcome == Outcome.UNHELD
    assert resolution.attribute is not None and resolution.attribute.name == "tuition"
    assert answer is not None and not answer.grounded
    assert "学费" in answer.text and "专业核心课程" in answer.text and "实习实训" in answer.text
    resolution, answer = ask(sample_kb, "What is the starting salary of Big Data Technology graduates?", "en")
    assert resolution.outcome == Outcome.UNHELD
    assert answer is not None and not answer.grounded and "salary" in answer.text


def test_roles_lead_with_different_fields(sample_kb: KnowledgeBase) -> None:
    _, student = ask(sample_kb, "Tell me about 510204", "en", "student")
    _, enterprise = ask(sample_kb, "Tell me about 510204", "en", "enterprise")
    assert student is not None and enterprise is not None
    assert student.text.splitlines()[1].startswith("> 专业核心课程")
    assert "专业核心课程" not in enterprise.text.splitlines()[1]


def test_no_entity_falls_back_to_retrieval(sample_kb: KnowledgeBase) -> None:
    resolution, answer = ask(sample_kb, "Which courses teach Python?", "en")
    assert resolution.outcome == Outcome.NONE and answer is None


def test_followup_carries_the_previous_subject(sample_kb: KnowledgeBase) -> None:
    first = resolve(sample_kb, "数字媒体技术专业的核心课程有哪些？", "zh")
    question = "那它的实习实训呢？"
    carried = carry_subject(first, question, resolve(sample_kb, question, "zh"))
    assert isinstance(carried, Resolution)
    assert carried.entity is not None and carried.entity.code == "510204"
    assert carried.attribute is not None and carried.attribute.name == "internships"
    answer = answer_from_record(sample_kb, carried, "student", "zh")
    assert answer is not None and "16 周" in answer.text

    first = resolve(sample_kb, "What are the core courses of the Big Data Technology major?", "en")
    carried = carry_subject(first, "and its internships?", resolve(sample_kb, "and its internships?", "en"))
    assert isinstance(carried, Resolution) and carried.entity is not None
    assert carried.entity.code == "510205"
    answer = answer_from_record(sample_kb, carried, "student", "en")
    assert answer is not None and "16-week placement" in answer.text


def test_followup_that_names_its_own_entity_keeps_it(sample_kb: KnowledgeBase) -> None:
    first = resolve(sample_kb, "数字媒体技术专业的核心课程有哪些？", "zh")
    question = "What about the Big Data Technology major?"
    assert carry_subject(first, question, resolve(sample_kb, question, "en")) == question
    assert carry_subject(None, "and its internships?") == "and its internships?"
    # a follow-up without an attribute is re-worded for retrieval around the subject
    assert carry_subject(first, "那它呢？") == "510204 数字媒体技术 那它呢？"


# -- a crafted store: one name at several levels, a name inside many -----------------------

PROFILE = """# {cls} 计算机类

专业代码 {code}

专业名称 {name}

基本修业年限 {years}

# 职业面向

面向网络运维等岗位（群）。

# 主要专业课程与实习实训

{core_label}：{core}。

实习实训：在校内外进行组网实训。

# 职业类证书举例

职业技能等级证书：网络系统建设与运维
"""
# Three rows: ingest folds longer tables whose rows share a category into one record.
CATALOG = """专业大类代码,专业大类,专业类代码,专业类,专业代码,专业名称,层次,备注
51,电子与信息大类,5102,计算机类,510201,计算机应用技术,高职专科,
51,电子与信息大类,5102,计算机类,510220,开源技术应用,高职专科,2025年12月新增
71,信息技术类,7102,计算机类,710201,计算机应用,中职,
"""

ONET_PROFILE = """# 15-1252.00 - Software Developers

**Quick Facts:**
- SOC Code: 15-1252.00
- Also called: Application Developer, Software Engineer

## Summary

Research, design, and develop computer and network software or specialized utility programs.

## Tasks

| Importance | Category | Task |
|------------|----------|------|
| 77 | Core | Analyze user needs and software requirements to determine feasibility of design. |
| 63 | Core | Determine system performance standards. |

## Worker Requirements

### Skills

| Importance | Skill |
|---|---|
| 75 | Programming — Writing computer programs for various purposes. |
| 72 | Critical Thinking — Using logic and reasoning to identify strengths and weaknesses. |
"""
JOB_ZONES = "O*NET-SOC Code\tJob Zone\tDate\tDomain Source\n15-1252.00\t4\t11/2021\tAnalyst\n" \
            "15-1254.00\t3\t07/2017\tAnalyst\n29-1141.00\t4\t08/2021\tAnalyst\n"


@pytest.fixture(scope="module")
def crafted_kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    from ingest.pipeline import Ingestor

    root = tmp_path_factory.mktemp("crafted")
    (root / "plans").mkdir()
    (root / "plans" / "5102计算机类_专业简介.md").write_text(PROFILE.format(
        cls="5102", code="510202", name="计算机网络技术", years="三年", core="路由交换技术与应用、网络系统集成",
        core_label="专业核心课程"),
        encoding="utf-8")
    (root / "plans" / "7102计算机类_专业简介.md").write_text(PROFILE.format(
        cls="7102", code="710202", name="计算机网络技术", years="三年", core="综合布线设计与施工",
        core_label="专业核心课"),  # the short label some profiles use
        encoding="utf-8")
    (root / "onet").mkdir()
    (root / "onet" / "15-1252.00.md").write_text(ONET_PROFILE, encoding="utf-8")
    (root / "onet" / "Job Zones.txt").write_text(JOB_ZONES, encoding="utf-8")
    (root / "catalog").mkdir()
    (root / "catalog" / "专业目录.csv").write_text(CATALOG, encoding="utf-8")
    base = KnowledgeBase(make_settings(root / "data"))
    report = Ingestor(base).run([root / "plans", root / "catalog", root / "onet"])
    assert not report.failed, report.failed
    yield base
    base.close()


def test_same_name_at_two_levels_prefers_the_college_level(crafted_kb: KnowledgeBase) -> None:
    resolution, answer = ask(crafted_kb, "计算机网络技术专业的核心课程有哪些？", "zh")
    assert resolution.outcome == Outcome.RESOLVED
    assert resolution.entity is not None and resolution.entity.code == "510202"
    assert answer is not None and "路由交换技术与应用" in answer.text and "710202" in answer.text
    resolution, answer = ask(crafted_kb, "中职计算机网络技术专业的核心课程", "zh")
    assert resolution.entity is not None and resolution.entity.code == "710202"
    assert answer is not None and answer.grounded and "综合布线设计与施工" in answer.text.splitlines()[0]


def test_a_field_the_record_lacks_is_declined_not_replaced(crafted_kb: KnowledgeBase) -> None:
    resolution, answer = ask(crafted_kb, "中职计算机网络技术专业的专业基础课程有哪些？", "zh")
    assert resolution.outcome == Outcome.RESOLVED and resolution.entity is not None
    assert answer is not None and not answer.grounded
    assert "专业基础课程" in answer.text and "综合布线" not in answer.text


def test_ambiguous_name_lists_the_candidates(crafted_kb: KnowledgeBase) -> None:
    resolution, answer = ask(crafted_kb, "计算机专业学什么？", "zh")
    assert resolution.outcome == Outcome.AMBIGUOUS
    assert {"510201", "510202", "710201"} <= {c.entity.code for c in resolution.candidates}
    assert answer is not None and not answer.grounded and "510201" in answer.text


def test_catalogue_status_and_a_major_without_a_plan(crafted_kb: KnowledgeBase) -> None:
    resolution, answer = ask(crafted_kb, "开源技术应用是新增专业吗？", "zh")
    assert resolution.outcome == Outcome.RESOLVED and resolution.entity is not None
    assert resolution.entity.code == "510220"
    assert answer is not None and answer.grounded and "2025年12月新增" in answer.text
    assert answer.citations[0].source == "专业目录.csv"
    resolution, answer = ask(crafted_kb, "计算机应用技术专业的核心课程有哪些？", "zh")
    assert resolution.outcome == Outcome.UNHELD  # in the catalogue, but no training plan held
    assert answer is not None and not answer.grounded and "培养方案" in answer.text
    assert "510202 计算机网络技术" in answer.text  # a similar major that has a plan


def test_occupation_by_code_by_chinese_name_and_its_job_zone(crafted_kb: KnowledgeBase) -> None:
    resolution, answer = ask(crafted_kb, "What skills do Software Developers need?", "en")
    assert resolution.entity is not None and resolution.entity.code == "15-1252.00"
    assert resolution.attribute is not None and resolution.attribute.name == "skills"  # not "software"
    assert answer is not None and answer.grounded
    assert answer.text.splitlines()[0].startswith("15-1252.00 Software Developers: skills and knowledge: "
                                                  "Programming; Critical Thinking")
    # a Chinese name for an English-only profile, found by the embedding model
    resolution, answer = ask(crafted_kb, "软件开发人员的主要任务是什么？", "zh")
    assert resolution.outcome == Outcome.RESOLVED and resolution.candidates[0].how == "embedding"
    assert answer is not None and "Determine system performance standards." in answer.text
    assert "原文为英文" in answer.text
    assert ask(crafted_kb, "厨师需要哪些技能？", "zh")[0].outcome == Outcome.NONE
    resolution, answer = ask(crafted_kb, "What is the job zone of 15-1252.00?", "en")
    assert answer is not None and "Job Zone: 4" in answer.text
    assert answer.citations[0].source == "Job Zones.txt"
