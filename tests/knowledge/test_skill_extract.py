"""The extraction interface (``careerbot skills extract``): mentions are the words of the
requirement with exact offsets, linked to ESCO or kept as unrecognised, in both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from knowledge.skills import Linker, extractor, taxonomy
from knowledge.skills.results import Extraction


def _found(text: str) -> dict[str, tuple[str, bool, str]]:
    """Mention text -> (skill label, known, type)."""
    result = extractor().extract(text)
    _check_offsets(result)
    return {m.text: (s.label, s.known, s.type) for s in result.skills for m in s.mentions}


def _check_offsets(result: Extraction) -> None:
    for skill in result.skills:
        for m in skill.mentions:
            assert result.text[m.start:m.end] == m.text


def test_mixed_chinese_and_english_tool_list_gives_one_mention_per_item() -> None:
    found = _found("熟悉Python、SQL和Tableau，会使用Docker/Kubernetes容器化部署。")
    assert {"Python", "SQL", "Tableau", "Docker", "Kubernetes"} <= set(found)
    assert found["Tableau"] == ("Tableau", True, "tool")
    assert found["Python"][0] == "Python (computer programming)", "label is the ESCO preferred label"


def test_frames_degree_words_and_generic_heads_are_not_part_of_the_mention() -> None:
    found = _found("熟练掌握Java语言，具备良好的沟通能力，熟悉TCP/IP协议，持有一级建造师证书者优先。")
    assert set(found) == {"Java", "沟通能力", "TCP/IP", "一级建造师"}


def test_certificates_and_languages_with_levels() -> None:
    found = _found("持叉车证，英语六级，日语N2及以上，普通话二级甲等，有CPA证书者优先。")
    assert set(found) == {"叉车证", "英语六级", "日语N2", "普通话二级甲等", "CPA"}
    assert found["叉车证"] == ("forklift licence", True, "certificate")
    english = _found("Fluency in German and English; a full UK driving licence; forklift licence.")
    assert english["German"] == ("German", True, "language")
    assert english["forklift licence"][1:] == (True, "certificate")


def test_posting_style_list_markers_titles_and_degree_qualifiers() -> None:
    assert set(_found("①熟悉 MySQL/Redis/MongoDB 等数据库")) == {"MySQL", "Redis", "MongoDB"}
    assert set(_found("（二）统招本科及以上学历")) == {"本科"}
    assert set(_found("熟悉《企业会计准则》及相关税收法规")) >= {"企业会计准则"}
    assert set(_found("持有护士执业证书，持健康证上岗")) == {"护士执业证", "健康证"}
    assert set(_found("具备扎实的C/C++编程功底")) == {"C", "C++"}
    assert "客户维护" in _found("做好客户维护及售后服务工作")


def test_what_is_said_of_a_skill_workplaces_and_objects_are_not_part_of_it() -> None:
    assert set(_found("逻辑思维能力强，镜头感好，英语口语流利")) == {"逻辑思维能力", "镜头感", "英语口语"}
    assert set(_found("有3年以上4S店或汽修厂工作经验，精通C语言")) == {"C语言"}
    assert set(_found("熟悉 SpringBoot/SpringCloud 框架，了解 webpack/vite 等构建工具")) == {
        "SpringBoot", "SpringCloud", "webpack", "vite"}
    assert set(_found("2026届全日制本科/硕士毕业生")) == {"本科", "硕士"}
    assert set(_found("每月组织盘点，对仓库进行6S管理，负责对账")) == {"盘点", "6S管理", "对账"}
    assert set(_found("会弹琴、唱歌、画画")) == {"弹琴", "唱歌", "画画"}
    assert set(_found("熟悉国家标准和行业标准，普通话标准")) == {"国家标准", "行业标准", "普通话"}
    assert "需求分析" in _found("负责产品的需求分析、原型设计")
    assert {"Excel", "用友"} <= set(_found("用 Excel 整理数据，熟练操作金蝶/用友财务软件"))
    assert "有限元分析" in _found("会使用有限元分析软件")
    assert set(_found("有医院药房工作经验，熟悉GSP规范")) == {"GSP"}


def test_conditions_and_company_lines_in_posting_style_name_no_skill() -> None:
    for text in ("男女不限，年龄18-35周岁，身体健康，无不良嗜好，能接受长白班。",
                 "优秀应届毕业生亦可，公司提供完善的培训体系和晋升通道",
                 "公司简介：我们是一家专注于智能制造的高新技术企业，拥有员工500余人。",
                 "我们是一家专注于智能制造的高新技术企业，拥有员工500余人。",
                 "【岗位职责】", "【工作时间】周一至周五 9:00-18:00，单休。", "医院为二级综合医院，开放床位300余张。",
                 "实习补贴150元/天，可转正。", "五官端正，身高女160cm以上。"):
        assert extractor().extract(text).skills == (), text


def test_english_requirement_phrases_are_short_and_linked() -> None:
    found = _found("Proficient with Microsoft Word, Excel, Outlook; strong attention to detail. "
                   "Experience with Docker and Kubernetes.")
    assert {"Microsoft Word", "Excel", "Outlook", "attention to detail", "Docker", "Kubernetes"} <= set(found)
    assert found["Excel"][:2] == ("Microsoft Excel", True)
    assert all(len(text) <= 40 for text in found)


def test_benefits_company_and_industry_lines_name_no_skill() -> None:
    for text in ("员工福利：五险一金、带薪年假、周末双休。", "行业：互联网", "公司规模：500-999人",
                 "我们的产品是一套面向金融行业的高可用分布式交易平台。", "加入我们年轻有活力的运营团队！",
                 "We offer a competitive salary, a pension scheme and 25 days holiday.",
                 "Please send your CV to the email below.", "Industry: Construction", "运营团队负责人"):
        assert extractor().extract(text).skills == (), text
    # 高可用 describes the system; the requirement is the usability test.
    assert set(_found("负责高可用系统的可用性测试")) == {"可用性测试"}


def test_english_enumerations_give_one_mention_per_item() -> None:
    found = _found("Experience with Python, SQL and Tableau. "
                   "Knowledge of Kubernetes, Helm and Prometheus is an advantage.")
    assert set(found) == {"Python", "SQL", "Tableau", "Kubernetes", "Helm", "Prometheus"}
    # Two things joined by "and" are two mentions; words sharing one head stay one.
    found = _found("Prepare balance sheet reconciliations and variance analysis. "
                   "Excellent written and verbal communication skills. Honest, reliable and punctual.")
    assert {"variance analysis", "written and verbal communication", "Honest", "reliable", "punctual"} <= set(found)
    assert [t for t in found if " and " in t] == ["written and verbal communication"]
    # A name the taxonomy may not know is a tool after "using" and a skill before "experience".
    found = _found("Infrastructure as code using Terraform. Phlebotomy experience would be an advantage.")
    assert {"Terraform", "Phlebotomy"} <= set(found)


def test_english_certificates_licences_and_languages_with_levels() -> None:
    found = _found("Must hold a valid counterbalance forklift licence and a CSCS card; CPA qualified. "
                   "Fluent German and C1 English are essential. Spanish (B2 or above).")
    assert set(found) == {"counterbalance forklift licence", "CSCS card", "CPA", "German", "English", "Spanish"}
    assert found["counterbalance forklift licence"][1:] == (True, "certificate")
    assert found["English"] == ("English", True, "language"), "the level is not part of the language's name"


def test_english_soft_skills_in_everyday_wording() -> None:
    found = _found("Strong attention to detail and the ability to work under pressure; good time management "
                   "and a caring, compassionate nature.")
    assert {"attention to detail", "work under pressure", "time management", "caring"} <= set(found)


def test_a_known_name_keeps_its_frame_like_words() -> None:
    # "working" and "team" are frame and people words, but "team working" is a name the taxonomy knows.
    found = _found("An analytical approach to problem solving. Excellent team working skills.")
    assert "team working" in found and found["team working"][0] == "work in teams"


def test_english_job_titles_money_and_grades_are_not_mentions() -> None:
    found = _found("An enthusiastic and confident Team Secretary, you will manage budgets over £1m "
                   "and hold a valid forklift licence (B1/B2).")
    assert set(found) == {"enthusiastic", "confident", "manage budgets", "forklift licence"}


def test_english_lines_about_pay_employer_industry_or_equality_name_no_skill() -> None:
    for text in ("We offer a competitive salary, 25 days holiday, medical insurance and a cycle-to-work scheme.",
                 "Perks and benefits: health insurance, PF, cab facility and performance incentives.",
                 "Industry: Construction", "Job function: Engineering and Information Technology",
                 "We are building the future of payments with Kotlin and Kubernetes.",
                 "We are an equal opportunity employer; all qualified applicants will receive consideration "
                 "without regard to race, religion or disability.",
                 "Operating within the financial services industry, our client is a leading investment bank.",
                 "Reporting to the Operations Director, you will join a team of 15 engineers.",
                 "Interviews will take place in the week commencing 12th May.",
                 "You'll be joining a friendly team of 12 in our Manchester office.",
                 "Must be eligible to work in the United States without sponsorship."):
        assert extractor().extract(text).skills == (), text


def test_a_phrase_the_taxonomy_does_not_know_is_kept_unrecognised() -> None:
    result = extractor().extract("熟悉鸿蒙ArkTS开发，能做静脉穿刺。")
    by_text = {m.text: s for s in result.skills for m in s.mentions}
    unknown = by_text["鸿蒙ArkTS开发"]
    assert not unknown.known and unknown.id.startswith("new:") and unknown.label == "鸿蒙ArkTS开发"
    assert "静脉穿刺" in by_text


def test_linker_threshold_decides_known() -> None:
    tax = taxonomy()
    phrase = "sorting incoming parcels"
    assert tax.lookup(phrase) is None and tax.within(phrase) is None
    (cid, score), = Linker(tax).nearest([phrase])
    above = Linker(tax, {"en": score - 0.01, "zh": 0.9}).link([phrase])[0]
    assert above.concept is not None and above.concept.id == cid and above.how == "embedding"
    below = Linker(tax, {"en": score + 0.01, "zh": 0.9}).link([phrase])[0]
    assert below.concept is None and below.how == "none" and below.score == pytest.approx(score, abs=1e-3)


def test_cli_batch_keeps_order_and_reports_bad_lines(tmp_path: Path) -> None:
    batch = tmp_path / "in.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "a", "text": "熟悉MySQL、Redis"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "c"}),
        json.dumps({"id": "d", "text": "Knowledge of SQL and Power BI."}),
    ]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["skills", "extract", "--batch", str(batch), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", 2, "c", "d"]
    assert "error" in lines[1] and "error" in lines[2]
    first = lines[0]["skills"][0]
    assert {"id", "label", "type", "known", "score", "mentions"} <= set(first)
    assert first["mentions"][0] == {"start": 2, "end": 7, "text": "MySQL"}
    assert {s["label"] for s in lines[3]["skills"]} >= {"SQL", "Power BI"}


def test_cli_extract_text_as_json() -> None:
    result = CliRunner().invoke(app, ["skills", "extract", "持有护士执业资格证，熟练掌握静脉穿刺", "--json"])
    assert result.exit_code == 0, result.output
    texts = [m["text"] for s in json.loads(result.stdout)["skills"] for m in s["mentions"]]
    assert texts == ["护士执业资格证", "静脉穿刺"]


def test_english_job_titles_are_not_mentions_but_skills_with_their_words_are() -> None:
    # ESCO occupation labels and their heads (operator, lecturer, adjuster …), with seniority words.
    for text in ("Experience as a Loss Adjuster is essential.", "You will support the Bulldozer Operator.",
                 "Senior Plumber wanted", "We need a Junior Software Developer.", "Trainee Medicine Lecturer",
                 "Previous experience as a Sous Chef.", "Audit Senior"):
        assert extractor().extract(text).skills == (), text
    # A duty towards people and a credential named after its holder stay; so do skills with a title's word.
    found = _found("Strong project management and management accounting; mentoring junior engineers; "
                   "SQL Server Management Studio; nursing; AWS Certified Solutions Architect.")
    assert {"project management", "management accounting", "mentoring junior engineers",
            "SQL Server Management Studio", "nursing", "AWS Certified Solutions Architect"} <= set(found)


def test_english_industries_as_the_setting_of_the_work_are_not_mentions() -> None:
    for text in ("Experience in FMCG or fintech.", "A background in financial services.", "Within retail or banking.",
                 "Proven record in a B2B environment.", "Retail or hospitality experience is a plus."):
        assert extractor().extract(text).skills == (), text
    assert {"retail banking", "Excel"} <= set(_found("Knowledge of retail banking, Excel and FMCG."))


def test_a_degree_keeps_its_subject_in_lower_case() -> None:
    found = _found("Degree in computer science or related field. A degree in business, finance or accounting.")
    assert {"Degree in computer science", "degree in business"} <= set(found)


def test_the_vendored_esco_occupation_labels_load() -> None:
    from knowledge.skills import words_en

    labels = words_en.occupations()
    assert len(labels) > 30_000
    assert {"sous chef", "software developer", "plumber", "loss adjuster"} <= labels
    # Labels that name a skill or a tool, or are everyday verbs, were left out at build time.
    assert not {"chef", "journalist", "cook", "guide", "network support", "hospital portering"} & labels
    assert {"operator", "lecturer", "engineer"} <= words_en.occupation_heads()
    assert "driver" not in words_en.occupation_heads()


def test_english_headline_gives_only_the_names_in_it() -> None:
    assert set(_found("Mechanical Design Engineer SolidWorks Bristol")) == {"SolidWorks"}
    assert set(_found("Senior Data Engineer - Remote - Python, Spark, AWS")) == {"Python", "Spark", "AWS"}
    assert set(_found("BI Developer SQL Server SSIS Data Warehouse Leeds")) >= {"SQL Server", "SSIS"}
    assert _found("Class 1 HGV Driver Nights Tramping Work Immediate Start") == {}
    assert "C#" not in _found("C# .Net Developer ASP.NET MVC, SQL Server Manchester City Centre")
    # A duty in a title makes it a sentence: its phrase is kept.
    assert any(m.startswith("Lead EYFS") for m in _found("Assistant Head Teacher to Lead EYFS Inner London"))


def test_english_perks_employers_and_qualification_subjects() -> None:
    assert _found("No previous experience is necessary as full training will be given.") == {}
    assert _found("Own van and fuel card provided.") == {}
    found = _found("Our client, a leading food manufacturer in Norfolk, is seeking a multiskilled engineer.")
    assert "leading food manufacturer" not in found
    assert "NVQ Level 2 in Health and Social Care" in _found(
        "NVQ Level 2 in Health and Social Care would be an advantage.")


def test_english_set_phrases_of_degree_are_not_part_of_the_skill() -> None:
    assert set(_found("You will need hands on experience of Cisco routers and switches.")) == {
        "Cisco routers and switches"}
    assert set(_found("You must have up to date knowledge of employment law.")) == {"employment law"}


def test_mentions_never_begin_or_end_with_space_or_punctuation() -> None:
    root = Path(__file__).resolve().parents[2] / "eval" / "skills"
    texts = [json.loads(line)["text"] for name in ("zh_dev3.jsonl", "en_dev3.jsonl")
             for line in (root / name).read_text(encoding="utf-8").splitlines()]
    texts += ["专业基础课：云计算技术、Linux 操作系统、工程识图与 BIM 技术基础。", "基本修业年限 三年",
              "Senior Data Engineer - Remote - Python, Spark, Airflow, AWS"]
    for result in extractor().extract_many(texts):
        _check_offsets(result)
        for skill in result.skills:
            for m in skill.mentions:
                assert m.text == m.text.strip(), (m.text, result.text)
                assert not re.match(r"[,;:.、，；：。)）/-]", m.text), (m.text, result.text)
                assert not re.search(r"[,;:、，；：(（/-]$", m.text), (m.text, result.text)


def test_a_word_with_two_senses_is_read_by_its_context() -> None:
    sales = _found("You will generate leads through cold calling, networking and door knocking.")
    assert [label for text, (label, _, _) in sales.items() if "networking" in text] == ["develop professional network"]
    it = _found("Knowledge of networking, routing and switching.")
    assert it["networking"][0] == "design computer network"
    assert "TCP/IP" in " ".join(_found("Knowledge of TCP/IP is essential.")), "a known slash name stays whole"


def test_cli_batch_line_that_is_not_utf8_is_that_lines_error(tmp_path: Path) -> None:
    batch = tmp_path / "in.jsonl"
    batch.write_bytes(b'\xef\xbb\xbf{"id": "a", "text": "SQL"}\n\xff\xfe{"id": "b"}\n[1]\n'
                      b'{"id": "c", "text": "Excel"}\n')
    result = CliRunner().invoke(app, ["skills", "extract", "--batch", str(batch), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", 2, 3, "c"]
    assert "not UTF-8" in lines[1]["error"] and "error" in lines[2]
    assert lines[0]["skills"] and lines[3]["skills"]  # the BOM of the first line is no error


def test_cli_batch_deep_or_out_of_range_json_is_that_lines_error(tmp_path: Path) -> None:
    batch = tmp_path / "in.jsonl"
    batch.write_text("\n".join(['{"id": "a", "text": "SQL"}', "[" * 100_000 + "]" * 100_000,
                                '{"id": 1e999, "text": "SQL"}', '{"id": NaN, "text": "SQL"}',
                                '{"id": ' + "9" * 5000 + ', "text": "SQL"}', '{"id": "b", "text": "Excel"}']) + "\n")
    result = CliRunner().invoke(app, ["skills", "extract", "--batch", str(batch), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]  # all of it valid JSON (no NaN)
    assert [line["id"] for line in lines] == ["a", 2, 3, 4, 5, "b"]
    assert all("error" in line for line in lines[1:5]) and "nested too deeply" in lines[1]["error"]
