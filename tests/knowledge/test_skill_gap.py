"""Gap reports never drop a requirement, and every ESCO profile yields its skills."""

from __future__ import annotations

from pathlib import Path

from ingest.entities import extract
from ingest.loaders import load_file
from knowledge.schema import DocType
from knowledge.skills import gap, requirement_lines, to_json
from knowledge.store.base import KnowledgeBase


def test_gap_lists_chinese_requirements_outside_the_taxonomy_with_quote_and_source(sample_kb: KnowledgeBase) -> None:
    text = ("岗位要求：\n"
            "1. 熟悉鸿蒙ArkTS开发和Figma。\n"
            "2. 日语N2及以上。\n"
            "3. 能适应弹性工作制。\n")
    report = gap(sample_kb, "510204", {"jd/harmony.md": text})
    rows = {r.skill: r for r in report.skills}
    harmony = rows["鸿蒙ArkTS开发"]
    assert not harmony.known and harmony.status == "missing"
    assert harmony.requirement_evidence[0].source == "jd/harmony.md"
    assert "鸿蒙ArkTS开发" in harmony.requirement_evidence[0].quote
    assert rows["user interface design"].status == "covered", "Figma is a UI design tool the major teaches"
    assert any("日语N2" in r.requirement_evidence[0].quote for r in report.skills)
    assert report.summary.unrecognised >= 1 and report.summary.missing >= 2
    # No requirement line disappears: each is quoted by some row.
    quotes = " ".join(e.quote for r in report.skills for e in r.requirement_evidence)
    for line in requirement_lines(text):
        assert line in quotes or any(m in quotes for m in line.split("，")), line
    assert to_json(report)["summary"]["unrecognised"] == report.summary.unrecognised


def test_every_requirement_line_of_the_sample_enterprise_documents_is_in_the_report(sample_kb: KnowledgeBase) -> None:
    from ingest.service import load_texts
    from tests.conftest import SAMPLES

    texts = load_texts([SAMPLES / "kb" / "enterprise"], 10**8).texts
    report = gap(sample_kb, "数字媒体技术", texts)
    quotes = {(e.source, e.quote) for r in report.skills for e in r.requirement_evidence}
    for source, text in texts.items():
        for line in requirement_lines(text):
            assert any(s == source and (line in q or q in line) for s, q in quotes), (source, line)


def test_all_esco_profiles_yield_their_essential_skills(corpus: Path) -> None:
    folder = corpus / "taxonomy" / "esco_occupation_profiles_md"
    empty = []
    for path in sorted(folder.glob("*.md")):
        found = extract(load_file(path, 10**9), DocType.OCCUPATION_PROFILE)
        if not found.skill_terms or not found.occupations or not found.occupations[0]["code"]:
            empty.append(path.name)
    assert empty == []
    illustrator = extract(load_file(folder / "2166.10.md", 10**9), DocType.OCCUPATION_PROFILE)
    assert illustrator.occupations[0]["code"] == "2166.10"
    assert {"consult with business clients", "follow a brief", "art history"} <= set(illustrator.skill_terms)


def test_the_posts_terms_are_not_requirements_but_every_requirement_stays(sample_kb: KnowledgeBase) -> None:
    text = ("招聘单位：江滨市人民医院\n"
            "实习时长不少于4个月，每周到岗4天\n"
            "Duration: 6 months\n"
            "3 days a week, Monday to Wednesday\n"
            "岗位要求：\n"
            "1. 具备基础护理和静脉输液能力。\n"
            "2. 能用 Power BI 做数据可视化。\n")
    lines = requirement_lines(text)
    assert not any(w in " ".join(lines) for w in ("江滨市人民医院", "不少于4个月", "6 months", "days a week")), lines
    report = gap(sample_kb, "510204", {"jd/ward.md": text})
    quotes = " ".join(e.quote for r in report.skills for e in r.requirement_evidence)
    assert "到岗" not in quotes and "Duration" not in quotes
    for line in lines:
        assert line in quotes, line
    assert "静脉输液" in {r.skill for r in report.skills}, [r.skill for r in report.skills]
    assert not any(r.skill.startswith("岗位要求") for r in report.skills), "a section label is not a requirement"
