"""A student's path and the internships that fit a major, in the web console: the printable
path page, the postings page, their JSON under /api, in both languages, on a plan and postings
written here (with the samples' majors and course catalogue) and ingested for real."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ingest.pipeline import Ingestor
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
}

POSTINGS = """---
type: internship
title: 2027 年合作企业实习岗位
---
# 2027 年合作企业实习岗位

## 江滨市人民医院：护理实习生

实习单位：江滨市人民医院

岗位要求：具备基础护理和静脉输液能力，能进行生命体征监测，熟悉急救护理。

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

2. Warehouse Assistant - Riverside Logistics Ltd.
Requirements: forklift licence, German at B2 level.
"""

DATA_ANALYST = ("Data analyst: SQL and Python for data cleaning, Power BI dashboards, statistics, "
                "data warehouse design.")
# Asked for, and taught by nothing in this knowledge base.
UNTAUGHT = "仓储物流助理：持有叉车证，德语 B2 水平。"


@pytest.fixture(scope="module")
def path_kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    """Plans and postings written here, with the samples' majors and course catalogue."""
    root = tmp_path_factory.mktemp("webpath")
    docs = root / "docs"
    written = {**{f"plans/{name}": text for name, text in PLANS.items()},
               "postings/实习岗位2027.md": POSTINGS, "postings/places_2027.md": POSTINGS_EN}
    for name, text in written.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    base = KnowledgeBase(make_settings(root / "data"))
    assert not Ingestor(base).run([docs, SAMPLES / "kb" / "majors", SAMPLES / "kb" / "courses"]).failed
    yield base
    base.close()


@pytest.fixture(scope="module")
def app(path_kb: KnowledgeBase):  # type: ignore[no-untyped-def]
    from bot.web.app import create_app
    from bot.web.deps import WebOptions

    return create_app(path_kb.settings, kb=path_kb, 
                      options=WebOptions(anonymous_per_minute=10_000, pages_per_minute=10_000))


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, headers={"Accept-Language": "en"}) as test_client:
        yield test_client


def section(html: str, name: str) -> str:
    """The HTML of the page's ``<section id=name>``."""
    found = re.search(rf'<section id="{name}".*?</section>', html, re.S)
    assert found, f"the page has no {name} section"
    return found.group(0)


def text_of(html: str) -> str:
    """Visible text, entities decoded, whitespace collapsed: what a reader (or a printer) gets."""
    import html as entities

    return " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_path_page_shows_have_missing_and_the_plan(client: TestClient) -> None:
    query = {"major": "软件技术", "job": DATA_ANALYST}
    page = client.get("/path", params=query)
    assert page.status_code == 200, page.text
    data = client.get("/api/path", params=query).json()
    assert data["have"] and data["missing"] and data["plan"]
    have, missing, plan = (text_of(section(page.text, s)) for s in ("have", "missing", "plan"))
    for h in data["have"]:  # each skill the major gives, with its plan line and the plan's source
        assert h["label"] in have
        assert h["evidence"][0]["quote"] in have and h["evidence"][0]["source"] in have
    assert "plans/software.md" in have and "数据库" in have
    for s in data["missing"]:  # each missing skill, with every place to learn it and its source
        assert s["label"] in missing
        for place in s["learn"]:
            assert place["title"] in missing and f"{place['source']} — {place['locator']}" in missing
    assert "courses.csv — row" in missing  # the course catalogue, by row
    positions = [plan.index(step["title"]) for step in data["plan"]]  # the plan in its order
    assert positions == sorted(positions)
    assert all(step["source"] in plan for step in data["plan"])
    assert "data-print" in page.text and "/static/print.js" in page.text
    # The shareable URL is the page: the form is a GET form and comes back filled in.
    assert 'method="get" action="/path"' in page.text and DATA_ANALYST in page.text


def test_the_path_page_in_chinese(client: TestClient) -> None:
    job = "数据分析师：熟悉 SQL 和 Python，会用 Power BI 做数据可视化。"
    page = client.get("/path", params={"major": "510203", "job": job}, headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert page.status_code == 200
    assert '<html lang="zh-CN">' in page.text
    for heading in ("你已具备", "缺少", "学习计划", "打印"):
        assert heading in page.text, heading
    assert "510203 软件技术" in text_of(page.text)


def test_a_skill_nothing_teaches_is_listed_with_nothing_to_learn(client: TestClient) -> None:
    data = client.get("/api/path", params={"major": "510203", "job": UNTAUGHT}).json()
    untaught = [s for s in data["missing"] if not s["learn"]]
    assert untaught, data
    for language, sentence in (("en", "Nothing in the knowledge base teaches this."),
                               ("zh", "知识库中没有教授这项技能的课程或证书。")):
        page = client.get("/path", params={"major": "510203", "job": UNTAUGHT, "lang": language})
        missing = section(page.text, "missing")
        assert missing.count(sentence) == len(untaught)
        for s in untaught:  # never dropped: each is named
            assert (s.get("label_zh") if language == "zh" and s.get("label_zh") else s["label"]) in missing


def test_an_occupation_or_no_target(client: TestClient) -> None:
    form = client.get("/path", params={"major": "510203"})  # the major page's link: a filled-in form
    assert form.status_code == 200 and 'value="510203"' in form.text and 'id="have"' not in form.text
    both = client.get("/path", params={"major": "510203", "job": DATA_ANALYST, "occupation": "data analyst"})
    assert both.status_code == 400 and "one of the two" in both.text
    neither = client.get("/api/path", params={"major": "510203"})
    assert neither.status_code == 400 and "one of the two" in neither.json()["error"]
    unknown = client.get("/api/path", params={"major": "510203", "occupation": "astronaut"})
    assert unknown.status_code == 400 and "occupation" in unknown.json()["error"]


def test_an_unknown_major_names_the_closest(client: TestClient) -> None:
    page = client.get("/path", params={"major": "护里", "job": DATA_ANALYST})
    assert page.status_code == 404
    error = re.search(r'<div class="error" role="alert">(.*?)</div>', page.text, re.S)
    assert error and "No training plan matches the major “护里”." in error.group(1)
    assert "closest" in error.group(1)  # the engine's own words, as the CLI prints them
    # Each candidate is a link to the same path for that major.
    link = re.search(r'<a href="(/path\?[^"]+)">520201 护理</a>', error.group(1))
    assert link, error.group(1)
    again = client.get(link.group(1).replace("&amp;", "&"))
    assert again.status_code == 200 and "My path: <span class=\"code\">520201</span> 护理" in again.text
    assert 'value="护里"' in page.text  # the form is kept, to correct the major
    api = client.get("/api/path", params={"major": "Underwater Basket Weaving", "job": DATA_ANALYST})
    assert api.status_code == 404 and "closest" in api.json()["error"]
    listing = client.get("/internships", params={"major": "护里", "lang": "zh"})
    assert listing.status_code == 404 and "没有与“护里”相符的专业培养方案。" in listing.text
    assert '<a href="/internships?major=520201&amp;skills=&amp;top=5">520201 护理</a>' in listing.text
    assert client.get("/api/internships", params={"major": "护里"}).status_code == 404


def test_inputs_are_bounded(client: TestClient) -> None:
    from bot.web.routes.path import MAX_JOB

    long = client.get("/path", params={"major": "510203", "job": "SQL " * MAX_JOB})
    assert long.status_code == 400 and "too long" in long.text
    assert client.get("/api/path", params={"major": "510203", "job": "x" * (MAX_JOB + 1)}).status_code == 400
    assert client.get("/api/path", params={"job": DATA_ANALYST}).json()["error"].startswith("Give a major")
    assert client.get("/api/internships").status_code == 400
    whitespace = client.get("/path", params={"major": " ", "job": " \n "})
    assert whitespace.status_code == 200 and 'id="have"' not in whitespace.text
    hostile = client.get("/path", params={"major": "510203", "job": "<script>alert(1)</script> SQL, Python"})
    assert hostile.status_code == 200 and "<script>alert" not in hostile.text and "&lt;script&gt;" in hostile.text
    # A hand-edited top is a default, not an error page.
    assert client.get("/internships", params={"major": "520201", "top": "lots"}).status_code == 200


def test_internships_rank_postings_for_a_major(client: TestClient) -> None:
    for language in ("en", "zh"):
        page = client.get("/internships", params={"major": "护理", "lang": language})
        assert page.status_code == 200
        ranked = page.text.split('<ol class="ranked postings">', 1)[1]
        first = ranked.split("</li>", 1)[0]
        assert "护理实习生" in first or "Ward Nursing Intern" in first
        assert "postings/" in first  # the posting is cited
    data = client.get("/api/internships", params={"major": "护理", "top": 1}).json()
    assert data["major"]["code"] == "520201" and len(data["postings"]) == 1
    page = client.get("/internships", params={"major": "护理", "top": "1"})
    assert page.text.count('<li id="p-') == 1
    listed = text_of(page.text)
    posting = data["postings"][0]
    assert f"{round(posting['coverage'] * 100)}%" in listed
    assert all(skill in listed for skill in posting["matched"] + posting["missing"])


def test_a_students_own_skills(client: TestClient) -> None:
    data = client.get("/api/internships", params={"skills": "SQL, Python，Power BI"}).json()
    assert data["major"] is None and data["postings"][0]["title"] == "数据分析实习生"
    page = client.get("/internships", params={"skills": "SQL, Python，Power BI"})
    assert page.status_code == 200 and "数据分析实习生" in page.text


def test_a_majors_page_links_its_path_and_postings(client: TestClient) -> None:
    page = client.get("/majors/520201")
    assert page.status_code == 200
    assert 'href="/path?major=520201"' in page.text and 'href="/internships?major=520201"' in page.text
    # Public like the match and gap pages: no sign-in on the way.
    for url in ("/path?major=520201", "/internships?major=520201"):
        assert client.get(url, follow_redirects=False).status_code == 200


def test_the_api_prints_what_the_cli_prints(client: TestClient, path_kb: KnowledgeBase, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from bot.cli import app as cli

    monkeypatch.setenv("CAREERBOT_DATA_DIR", str(path_kb.settings.store.data_dir))
    monkeypatch.chdir(tmp_path)  # no stray .env
    runner = CliRunner()

    def cli_json(*args: str) -> Any:
        result = runner.invoke(cli, ["skills", *args, "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    assert client.get("/api/path", params={"major": "510203", "job": DATA_ANALYST}).json() == cli_json(
        "path", "--major", "510203", "--job", DATA_ANALYST)
    assert client.get("/api/internships", params={"major": "护理", "top": 3}).json() == cli_json(
        "internships", "--major", "护理", "--top", "3")
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/path" in paths and "/api/internships" in paths
