"""Skill profiles, job-to-major matching and courses per skill, across languages, with evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import Ingestor
from knowledge.errors import UserFacingError
from knowledge.skills import courses_for, find_skills, to_json
from knowledge.skills import match as _match
from knowledge.skills import profile as _profile
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import Course, Major, PlanItem
from tests.auxil import files
from tests.conftest import make_settings


def profile(kb: KnowledgeBase, query: str) -> dict:
    return to_json(_profile(kb, query))


def match(kb: KnowledgeBase, requirement: str) -> dict:
    return to_json(_match(kb, requirement))


def test_vocabulary_is_shared_across_languages() -> None:
    assert set(find_skills("数据库技术及应用、用户界面设计")) == {"database", "ui_design"}
    assert set(find_skills("SQL joins and user interface design in Figma")) == {"database", "ui_design"}
    # Open vocabulary: a phrase no concept names is kept, as an unrecognised requirement.
    assert all(key.startswith("new:") for key in find_skills("We value a positive attitude"))


def test_profile_groups_skills_with_evidence(sample_kb: KnowledgeBase) -> None:
    data = profile(sample_kb, "510204")
    assert (data["major"]["code"], data["major"]["name"]) == ("510204", "数字媒体技术")
    core = {s["id"] for s in data["skills"] if s["group"] == "core"}
    assert {"3d_modeling", "ui_design", "video_production", "virtual_reality"} <= core
    ev = next(s for s in data["skills"] if s["id"] == "ui_design" and s["group"] == "core")["evidence"][0]
    assert ev["source"] == "majors/digital_media_technology.md" and "用户界面设计" in ev["quote"]
    assert profile(sample_kb, "Big Data Technology")["major"]["code"] == "510205"
    with pytest.raises(UserFacingError):
        profile(sample_kb, "Underwater Basket Weaving")


@pytest.mark.parametrize("requirement,best", [
    ("We are hiring a data analyst: SQL, Python, Power BI dashboards and statistics.", "510205"),
    ("招聘 UI 设计师：熟练使用 Figma，具备交互设计和三维建模能力。", "510204"),
    ("Junior UI designer: Figma, prototyping, some Blender.", "510204"),
    ("数据分析师：熟悉 SQL 和 Python，会做数据可视化。", "510205"),
])
def test_match_ranks_majors_across_languages(sample_kb: KnowledgeBase, requirement: str, best: str) -> None:
    data = match(sample_kb, requirement)
    top = data["majors"][0]
    assert top["code"] == best and top["coverage"] >= 0.6
    skill = top["matched"][0]
    assert top["evidence"][skill]["major"][0]["source"].startswith("majors/")
    assert top["evidence"][skill]["requirement"]


def test_courses_that_teach_a_skill_in_either_language(sample_kb: KnowledgeBase) -> None:
    for name in ("database", "数据库"):
        data = to_json(courses_for(sample_kb, name))
        assert data["courses"][0]["code"] == "BD120"
        assert data["courses"][0]["prerequisites"] == "CS101"


def test_entities_follow_re_ingest(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    files.write(root / "c.csv", "course_code,title,credits\nX101,Python Basics,3\n")
    kb = KnowledgeBase(make_settings(tmp_path / "data"))
    Ingestor(kb).run([root])
    files.write(root / "c.csv", "course_code,title,credits\nX102,SQL Basics,3\n")
    Ingestor(kb).run([root])
    with kb.db.session() as s:
        assert [c.code for c in s.query(Course).all()] == ["X102"]
    (root / "c.csv").unlink()
    Ingestor(kb, full=True).run([root])
    with kb.db.session() as s:
        assert s.query(Course).count() == 0 and s.query(Major).count() == 0
        assert s.query(PlanItem).count() == 0


def test_real_corpus_profile_and_match(corpus: Path, tmp_path: Path) -> None:
    kb = KnowledgeBase(make_settings(tmp_path / "data"))
    source = corpus / "training_plans" / "cn_moe_vocational_major_profiles_2022" / "5102计算机类.md"
    root = tmp_path / "plans"
    files.write(root / source.name, source.read_bytes())
    Ingestor(kb).run([root])
    data = profile(kb, "数字媒体技术")
    core = {s["id"] for s in data["skills"] if s["group"] == "core"}
    assert {"ui_design", "interaction_design", "3d_modeling"} <= core  # 用户界面设计, 交互设计, 三维动画
    ranked = match(kb, "Network engineer: routing and switching, Linux, network security.")
    assert ranked["majors"][0]["name"] == "计算机网络技术"


def test_gap_report_marks_covered_partial_missing(sample_kb: KnowledgeBase, tmp_path: Path) -> None:
    from bot.render.charts import gap_chart, match_chart
    from knowledge.skills import gap

    requirements = {
        "a.md": "UI designer: Figma, interaction design, 3D modeling in Blender, SQL databases.",
        "b.md": "界面设计师：熟悉 Figma 和数据库（SQL），会做数据可视化。",
    }
    report = gap(sample_kb, "510204", requirements)
    data = to_json(report)
    status = {r["id"]: r for r in data["skills"]}
    assert status["ui_design"]["status"] == "covered" and status["ui_design"]["demand"] == 2
    assert status["database"]["status"] == "missing" and status["database"]["demand"] == 2
    assert data["skills"][0]["demand"] == 2, "most demanded first"
    assert data["summary"]["most_demanded_missing"][0] == "databases and SQL"
    assert {e["source"] for e in status["database"]["requirement_evidence"]} == {"a.md", "b.md"}
    assert status["ui_design"]["major_evidence"][0]["source"] == "majors/digital_media_technology.md"
    png = gap_chart(report)
    assert png.startswith(b"\x89PNG")
    assert match_chart(_match(sample_kb, requirements["a.md"])).startswith(b"\x89PNG")


def test_gap_cli_writes_a_self_contained_html_report(sample_kb: KnowledgeBase, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from typer.testing import CliRunner

    from bot.cli import app
    from tests.conftest import SAMPLES

    monkeypatch.setenv("CAREERBOT_DATA_DIR", str(sample_kb.settings.store.data_dir))
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["skills", "gap", "--major", "数字媒体技术", "--requirements",
                                      str(SAMPLES / "kb" / "enterprise"), "--json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["requirements"] == 2 and data["skills"]
    html = out.read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and "数字媒体技术" in html and "http" not in html.split("<body>")[1]


def test_drift_reports_added_and_dropped_skills_and_affected_majors(tmp_path: Path) -> None:
    from knowledge.skills import drift as _drift

    def drift(kb: KnowledgeBase) -> dict:
        return to_json(_drift(kb))
    from tests.conftest import SAMPLES

    root = tmp_path / "docs"
    files.write(root / "plan.md", (SAMPLES / "kb" / "majors" / "big_data_technology.md").read_bytes())
    files.write(root / "jd.md", "---\ntype: enterprise_requirement\n---\n# Analyst\n\nSQL and Excel.\n")
    kb = KnowledgeBase(make_settings(tmp_path / "data"))
    Ingestor(kb).run([root])
    assert drift(kb) == {"changes": []}
    files.write(root / "jd.md", "---\ntype: enterprise_requirement\n---\n# Analyst\n\n"
                "Python, Spark and data visualization in Power BI.\n")
    Ingestor(kb).run([root])
    (change,) = drift(kb)["changes"]
    # Excel was invisible to the old 60-skill vocabulary; now it is a tool the JD dropped too.
    assert change["source"] == "jd.md" and change["dropped"] == ["databases and SQL", "Microsoft Excel"]
    assert {"Python", "big data platforms", "data visualization"} <= set(change["added"])
    assert change["majors_affected"][0]["code"] == "510205"


@pytest.mark.parametrize("question,expected", [
    ("what can graduates of 510204 do?", "Core courses: 3D modeling and animation"),
    ("数字媒体技术专业的毕业生具备哪些技能？", "专业核心课程: 三维建模与动画"),
    ("我们招数据分析师，要求熟悉 SQL、Python 和数据可视化，哪些专业合适？", "510205 Big Data Technology — 100%"),
    ("Which majors fit a job that needs Figma and 3D modeling?", "510204 数字媒体技术"),
    ("哪些课程教数据库？", "BD120 Database Technology and SQL (先修：CS101)"),
    ("Which courses teach user interface design?", "DMT230 User Interface Design"),
])
def test_skill_questions_are_routed_in_both_languages(sample_kb: KnowledgeBase, question: str,
                                                      expected: str) -> None:
    from knowledge.answering.assistant import Assistant

    answer = Assistant(sample_kb).ask(question)
    assert answer.grounded and expected in answer.text, answer.text
    assert answer.citations and "[1]" in answer.text


def test_other_questions_are_not_routed(sample_kb: KnowledgeBase) -> None:
    from knowledge.answering.intents import route

    assert route(sample_kb, "What is the salary of the junior data analyst at DataWorks?") is None
    assert route(sample_kb, "Which majors fit a job in underwater welding?") is None


def test_real_crosswalk_links_majors_to_occupations(corpus: Path) -> None:
    from ingest.entities import extract
    from ingest.loaders import load_file
    from knowledge.schema import DocType

    doc = load_file(corpus / "training_plans" / "cn_major_occupation_crosswalk_2023.xlsx", 10**9)
    links = extract(doc, DocType.OCCUPATION_PROFILE).links
    mine = {(link["occupation_code"], link["occupation_name"]) for link in links if link["major_code"] == "510204"}
    assert {("2-09-06-01", "视觉传达设计人员"), ("4-13-01-05", "全媒体运营师")} <= mine
    nursing = {link["occupation_name"] for link in links if link["major_code"] == "520201"}
    assert "内科护士" in nursing


def test_occupation_profiles_give_skills_and_drive_matching(corpus: Path, tmp_path: Path) -> None:
    from knowledge.skills import occupation_skills

    root = tmp_path / "docs"
    files.write(root / "2512.4.md", (corpus / "taxonomy" / "esco_occupation_profiles_md" / "2512.4.md").read_bytes())
    files.write(root / "15-1252.00.md",
                (corpus / "taxonomy" / "onet_occupation_profiles_md" / "15-1252.00.md").read_bytes())
    source = corpus / "training_plans" / "cn_moe_vocational_major_profiles_2022" / "5102计算机类.md"
    files.write(root / source.name, source.read_bytes())
    crosswalk = "专业代码,专业名称,职业编码,职业名称\n510203,软件技术,2-02-10-03,计算机软件工程技术人员\n"
    files.write(root / "crosswalk.csv", crosswalk)
    kb = KnowledgeBase(make_settings(tmp_path / "data"))
    Ingestor(kb).run([root])
    esco = to_json(occupation_skills(kb, "software developer"))
    assert esco["occupation"] == {"system": "esco", "code": "2512.4", "name": "software developer"}
    assert {"programming", "project_management"} <= {s["id"] for s in esco["skills"]}
    onet = to_json(occupation_skills(kb, "15-1252.00"))
    assert onet["occupation"]["name"] == "Software Developers"
    # The profile's own skill list, by O*NET importance: its Skills and Knowledge tables first.
    assert onet["skills"][0]["skill"] == "Computers and Electronics" and onet["skills"][0]["importance"] == 0.94
    assert {"skill": "Programming", "importance": 0.75} in [{k: s[k] for k in ("skill", "importance")}
                                                            for s in onet["skills"]]
    ranked = to_json(_match(kb, occupation="software developer"))
    assert ranked["occupation"]["code"] == "2512.4", "says which profile it resolved to"
    assert ranked["majors"][0]["name"] in {"软件技术", "计算机应用技术", "工业软件开发技术", "移动应用开发"}
    assert profile(kb, "510203")["occupations"][0]["name"] == "计算机软件工程技术人员"


def test_requirements_are_entities(sample_kb: KnowledgeBase) -> None:
    from knowledge.store.models import Requirement

    with sample_kb.db.session() as s:
        rows = {(r.company, r.role) for r in s.query(Requirement).all()}
    assert ("星河传媒有限公司", "星河传媒 UI 设计师岗位需求") in rows


def test_esco_essential_skills_extend_the_vocabulary(corpus: Path, tmp_path: Path) -> None:
    from knowledge.skills import index_for
    from knowledge.store.models import SkillTerm

    root = tmp_path / "docs"
    files.write(root / "2511.3.md", (corpus / "taxonomy" / "esco_occupation_profiles_md" / "2511.3.md").read_bytes())
    kb = KnowledgeBase(make_settings(tmp_path / "data"))
    Ingestor(kb).run([root])
    with kb.db.session() as s:
        terms = {t.term: t.skill_id for t in s.query(SkillTerm).all()}
    assert terms["analyse big data"] == "data_analysis", "a known skill gets one more alias"
    # Any other ESCO term is its ESCO concept now that the whole taxonomy ships (it was a
    # slug invented at ingest when the vocabulary had 60 skills).
    assert terms["define data quality criteria"] == "esco:54c9c155-9293-4329-8ed2-2e76e8b519d4"
    found = index_for(kb).extract("We define data quality criteria").skills
    assert [s.uri for s in found] == ["http://data.europa.eu/esco/skill/54c9c155-9293-4329-8ed2-2e76e8b519d4"]
