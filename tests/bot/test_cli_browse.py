"""The CLI's browsing and curation commands (``majors``, ``documents``, ``unanswered``,
``feedback``), spreadsheet exports of ``skills gap/match --out``, and charts that draw Chinese
names with a CJK font instead of boxes."""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.conftest import SAMPLES

ENTERPRISE = SAMPLES / "kb" / "enterprise"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One ingest of samples/kb for the module (ingesting is the slow part)."""
    folder = tmp_path_factory.mktemp("browse") / "data"
    result = CliRunner().invoke(app, ["ingest", str(SAMPLES / "kb")], env={"CAREERBOT_DATA_DIR": str(folder)})
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def runner(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CAREERBOT_DATA_DIR", str(data_dir))
    monkeypatch.chdir(tmp_path)  # no stray .env
    return CliRunner()


def _json(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_majors_are_found_by_code_or_name_in_either_language_and_paged(runner: CliRunner) -> None:
    assert [m["code"] for m in _json(runner, "majors")["majors"]] == ["510204", "510205"]
    assert [m["name"] for m in _json(runner, "majors", "510204")["majors"]] == ["数字媒体技术"]
    assert [m["code"] for m in _json(runner, "majors", "数字媒体")["majors"]] == ["510204"]
    # English finds the Chinese name through the glossary.
    assert [m["code"] for m in _json(runner, "majors", "digital media")["majors"]] == ["510204"]
    second = _json(runner, "majors", "--per-page", "1", "--page", "2")
    assert (second["total"], second["pages"], second["majors"][0]["code"]) == (2, 2, "510205")
    assert _json(runner, "majors", "--level", "本科")["total"] == 0

    result = runner.invoke(app, ["majors", "数字"])
    assert result.exit_code == 0 and "510204" in result.stdout and "数字媒体技术" in result.stdout
    assert "510205" not in result.stdout
    result = runner.invoke(app, ["majors", "--per-page", "1"])
    assert "--page 2" in result.stdout
    result = runner.invoke(app, ["majors", "nursing"])
    assert result.exit_code == 0 and "no majors matching 'nursing'" in result.stdout


def test_documents_show_type_size_chunks_and_last_ingest(runner: CliRunner) -> None:
    data = _json(runner, "documents")
    by_source = {d["source"]: d for d in data["documents"]}
    assert data["total"] == 8 and len(by_source) == 8
    courses = by_source["courses/courses.csv"]
    assert courses["doc_type"] == "course" and courses["size_bytes"] > 1000 and courses["chunks"] > 5
    assert courses["ingested_at"][:4].isdigit() and "T" in courses["ingested_at"]
    assert by_source["enterprise/xinghe_ui_designer.docx"]["doc_type"] == "enterprise_requirement"
    courses_only = _json(runner, "documents", "--type", "course")
    assert {d["source"] for d in courses_only["documents"]} == {s for s in by_source if s.startswith("courses/")}

    table = runner.invoke(app, ["documents"]).stdout
    assert "documents (8)" in table and "training_plan" in table and " KB" in table
    assert "no documents match" in runner.invoke(app, ["documents", "--search", "nothing-like-it"]).stdout


@pytest.fixture
def logged(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """Three logged turns: one unanswered, one answered but rated 👎 (its text looks like Rich
    markup), one answered and rated 👍."""
    from knowledge.config import Settings
    from knowledge.conversation.state import ConversationState
    from knowledge.ops.curation import mark_done
    from knowledge.schema import Answer
    from knowledge.store.base import KnowledgeBase

    monkeypatch.setenv("CAREERBOT_DATA_DIR", str(data_dir))
    kb = KnowledgeBase(Settings())
    state = ConversationState(kb.db)
    ids = {
        "pool": state.log_turn(7, 7, "学校有游泳池吗？", Answer("I could not find that.", False, ())),
        "down": state.log_turn(7, 7, "What is [b]BD220[/b]?", Answer("[red]Spark[/red] course", True, ())),
        "up": state.log_turn(8, 8, "Who teaches Blender?", Answer("DMT210", True, ())),
    }
    assert state.feedback(ids["down"], 7, -1) and state.feedback(ids["up"], 8, 1)
    try:
        yield ids
    finally:
        for turn in ids.values():  # leave the module's store as other tests found it
            mark_done(kb, turn, by="test")
        kb.close()


def test_unanswered_and_rated_down_questions_are_separate_queues(runner: CliRunner,
                                                                 logged: dict[str, int]) -> None:
    from knowledge.config import Settings
    from knowledge.ops.curation import mark_done
    from knowledge.store.base import KnowledgeBase

    unanswered = _json(runner, "unanswered")
    assert [q["turn_id"] for q in unanswered["questions"]] == [logged["pool"]]
    assert unanswered["questions"][0]["question"] == "学校有游泳池吗？"
    assert unanswered["questions"][0]["grounded"] is False

    rated = _json(runner, "feedback")
    assert [q["turn_id"] for q in rated["rated_down"]] == [logged["down"]]
    assert rated["rated_down"][0]["thumbs_down"] == 1
    assert (rated["counts"]["thumbs_up"], rated["counts"]["thumbs_down"]) == (1, 1)

    table = runner.invoke(app, ["feedback"]).stdout
    # Escaped: the user's and the answer's brackets are shown, not interpreted.
    assert "[b]BD220[/b]" in table and "[red]Spark[/red]" in table
    assert "👍 1  👎 1" in table
    assert "游泳池" in runner.invoke(app, ["unanswered"]).stdout

    kb = KnowledgeBase(Settings())
    try:
        assert mark_done(kb, logged["pool"], by="curator")
    finally:
        kb.close()
    assert "nothing unanswered" in runner.invoke(app, ["unanswered"]).stdout
    again = _json(runner, "unanswered", "--all")
    assert again["questions"][0]["done_by"] == "curator"


def test_gap_and_match_write_csv_and_xlsx_and_summarise_in_words(runner: CliRunner, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    result = runner.invoke(app, ["skills", "gap", "--major", "510204", "--requirements", str(ENTERPRISE),
                                 "--out", str(tmp_path / "gap.csv")])
    assert result.exit_code == 0, result.output
    assert "{" not in result.stdout and "covered" in result.stdout and "requirement(s) ask for" in result.stdout
    raw = (tmp_path / "gap.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["skill", "skill_zh", "status", "demand"]
    assert len(rows) > 2 and {r[2] for r in rows[1:]} <= {"covered", "partial", "missing"}

    result = runner.invoke(app, ["skills", "gap", "--major", "510204", "--requirements", str(ENTERPRISE),
                                 "--out", str(tmp_path / "gap.xlsx")])
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "gap.xlsx")
    assert str(book["gap"]["A1"].value).startswith("510204") and book["gap"]["C3"].value in (
        "covered", "partial", "missing")
    assert "summary" in book.sheetnames

    result = runner.invoke(app, ["skills", "match", "SQL databases, Python, data visualisation", "--json",
                                 "--out", str(tmp_path / "match.xlsx")])
    assert result.exit_code == 0, result.output
    ranked = json.loads(result.stdout)["majors"]
    sheet = load_workbook(tmp_path / "match.xlsx")["match"]
    assert [sheet.cell(row=3 + n, column=2).value for n in range(len(ranked))] == [m["code"] for m in ranked]
    result = runner.invoke(app, ["skills", "match", "SQL", "--out", str(tmp_path / "match.csv")])
    assert result.exit_code == 0 and (tmp_path / "match.csv").read_text("utf-8-sig").startswith("rank,code")

    result = runner.invoke(app, ["skills", "gap", "--major", "510204", "--requirements", str(ENTERPRISE),
                                 "--out", str(tmp_path / "gap.txt")])
    assert result.exit_code == 2 and ".html, .csv or .xlsx" in result.output
    assert not (tmp_path / "gap.txt").exists()
    result = runner.invoke(app, ["skills", "match", "SQL", "--out", str(tmp_path / "match.html")])
    assert result.exit_code == 2 and ".csv or .xlsx" in result.output


def _drawn_texts(draw: Any) -> tuple[list[str], list[str]]:
    """The strings a chart draws and any missing-glyph warnings (boxes instead of Chinese)."""
    from matplotlib.text import Text

    drawn: list[str] = []
    original = Text.draw

    def spy(self: Text, renderer: Any) -> None:
        if self.get_visible() and self.get_text():
            drawn.append(self.get_text())
        original(self, renderer)

    with warnings.catch_warnings(record=True) as caught, pytest.MonkeyPatch.context() as patch:
        warnings.simplefilter("always")
        patch.setattr(Text, "draw", spy)
        assert draw().startswith(b"\x89PNG")
    return drawn, [str(w.message) for w in caught if "missing from" in str(w.message)]


def test_charts_draw_chinese_names_values_and_a_legend() -> None:
    from bot.render.charts import bars_chart, gap_chart, match_chart
    from knowledge.schema import Bar
    from knowledge.skills.results import Evidence, GapReport, GapRow, GapSummary, MajorMatch, MatchResult
    from knowledge.skills.results import Major as MajorRef

    ranked = MatchResult(required_skills=("ui_design",), majors=(
        MajorMatch("510204", "数字媒体技术", 0.67, 1, 1, ("ui_design",), (), {}),))
    drawn, boxes = _drawn_texts(lambda: match_chart(ranked))
    assert "510204 数字媒体技术" in drawn and "67%" in drawn and not boxes

    drawn, boxes = _drawn_texts(lambda: bars_chart((Bar("510205 大数据技术", 0.5),)))
    assert any("大数据技术" in t for t in drawn) and "50%" in drawn and not boxes

    quote = Evidence(quote="熟悉 Figma", source="a.md", locator="")
    report = GapReport(
        major=MajorRef(code="510204", name="数字媒体技术"),
        skills=(GapRow("user interface design", "用户界面设计", "ui_design", "covered", 2, True, (quote,), (quote,)),
                GapRow("databases and SQL", "数据库", "database", "missing", 1, True, (), (quote,))),
        summary=GapSummary(2, 2, 1, 0, 1, 0, ("databases and SQL",)))
    drawn, boxes = _drawn_texts(lambda: gap_chart(report))
    assert {"covered", "partial", "missing"} <= set(drawn), "a legend names each status"
    assert "user interface design" in drawn and "2" in drawn and not boxes
    assert any("数字媒体技术" in t for t in drawn), "the title names the major in Chinese"
