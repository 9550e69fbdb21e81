"""``careerbot skills path`` and ``skills internships`` as a student runs them, on the samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from knowledge.store.base import KnowledgeBase
from tests.conftest import SAMPLES

JOB = "数据分析师：熟悉 SQL 和 Python，会用 Power BI 做数据可视化，具备统计学基础，持有叉车证。"


@pytest.fixture
def runner(sample_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CAREERBOT_DATA_DIR", str(sample_kb.settings.store.data_dir))
    monkeypatch.chdir(tmp_path)  # no stray .env
    return CliRunner()


def test_path_json_has_the_issue_shape(runner: CliRunner) -> None:
    result = runner.invoke(app, ["skills", "path", "--major", "数字媒体技术", "--job", JOB, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"major", "target", "have", "missing", "plan"}
    assert data["major"]["code"] == "510204"
    missing = {s["label"]: s for s in data["missing"]}
    assert "SQL" in missing
    assert {"skill", "label", "learn"} <= set(missing["SQL"]) and missing["SQL"]["uri"].startswith("http")
    learn = missing["SQL"]["learn"][0]
    assert {"title", "source", "locator", "kind"} <= set(learn)
    assert learn["source"] == "courses/courses.csv" and learn["code"] == "BD120"
    # Asked for, taught nowhere: listed with nothing to learn.
    assert any(not s["learn"] and ("forklift" in s["label"].lower() or "叉车" in s["label"])
               for s in data["missing"])
    assert data["plan"][0]["step"] == 1


def test_path_from_a_file_prints_tables(runner: CliRunner) -> None:
    job = SAMPLES / "kb" / "enterprise" / "dataworks_data_analyst.md"
    result = runner.invoke(app, ["skills", "path", "--major", "Digital Media Technology", "--file", str(job)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "Junior Data Analyst" in out and "missing" in out and "BD120" in out and "plan" in out


def test_path_errors_are_messages(runner: CliRunner) -> None:
    result = runner.invoke(app, ["skills", "path", "--major", "Underwater Basket Weaving", "--job", JOB])
    assert result.exit_code == 2 and "closest" in result.stderr and "510204" in result.stderr
    result = runner.invoke(app, ["skills", "path", "--major", "510204"])
    assert result.exit_code == 2 and "--job" in result.stderr
    result = runner.invoke(app, ["skills", "path", "--major", "510204", "--occupation", "astronaut"])
    assert result.exit_code == 2 and "no occupation profile" in result.stderr
    result = runner.invoke(app, ["skills", "internships"])
    assert result.exit_code == 2 and "major" in result.stderr


def test_user_text_is_not_read_as_markup(runner: CliRunner) -> None:
    result = runner.invoke(app, ["skills", "path", "--major", "510204", "--job", "[/red] SQL and [bold]Figma"])
    assert result.exit_code == 0, result.output
    assert "[/red]" in result.stdout


def test_internships_best_first(runner: CliRunner) -> None:
    result = runner.invoke(app, ["skills", "internships", "--major", "510204", "--top", "3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["major"]["code"] == "510204" and len(data["postings"]) == 3
    first = data["postings"][0]
    assert {"source", "title", "coverage", "matched", "missing"} <= set(first)
    # All three cover the major fully and name it (in Chinese, or "Digital Media Technology").
    assert all(p["coverage"] == 1.0 and p["names_major"] for p in data["postings"]), data["postings"]
    assert {p["source"] for p in data["postings"]} == {"internships/实习岗位.md", "internships/internships_2026.pdf"}
    coverages = [p["coverage"] for p in data["postings"]]
    assert coverages == sorted(coverages, reverse=True)
    big_data = json.loads(runner.invoke(app, ["skills", "internships", "--major", "510205", "--json"]).stdout)
    assert big_data["postings"][0]["source"] == "internships/internships_2026.pdf"


def test_internships_for_own_skills_in_a_table(runner: CliRunner) -> None:
    result = runner.invoke(app, ["skills", "internships", "--skills", "Figma，Photoshop, Premiere"])
    assert result.exit_code == 0, result.output
    assert "your skills" in result.stdout and "实习生" in result.stdout
