"""The ``careerbot`` command as a user runs it: exit codes, JSON shapes, batch mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.auxil import files
from tests.conftest import SAMPLES


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("CAREERBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no stray .env
    return CliRunner()


def test_ingest_reports_bad_files_and_exits_non_zero(runner: CliRunner, tmp_path: Path) -> None:
    files.write(tmp_path / "docs" / "ok.md", "# Plan\n\nCore course: Spark (BD220).\n")
    files.write(tmp_path / "docs" / "broken.pdf", b"%PDF-1.4 broken")
    result = runner.invoke(app, ["ingest", str(tmp_path / "docs"), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["new"] == 1 and report["failed"] == 1
    assert "broken.pdf" in report["errors"][0]["error"]


def test_ingest_ask_stats_and_batch(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(SAMPLES / "kb")])
    assert result.exit_code == 0, result.output
    assert "chunks added" in result.stdout

    result = runner.invoke(app, ["ask", "--json", "What are the prerequisites of BD220?"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["backend"] == "extractive" and answer["grounded"] is True
    first = answer["citations"][0]
    assert set(first) == {"source", "title", "doc_type", "locator", "score"}
    assert first["source"] == "courses/courses.csv" and first["locator"].startswith("row ")

    stats = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert stats["documents"] == 8 and stats["chunks"] > 20

    batch = tmp_path / "q.jsonl"
    batch.write_bytes((
        '{"id": "a", "question": "数字媒体技术专业的核心课程", "role": "student"}\n'
        '{"id": "b", "question": "学校有游泳池吗？"}\nnot json\n' + "[" * 100_000 + "\n").encode("utf-8")
        + b'{"id": "\xff", "question": "x"}\n' + '{"id": "c", "question": "学校有游泳池吗？"}\n'.encode())
    result = runner.invoke(app, ["ask", "--json", "--batch", str(batch)])
    assert result.exit_code == 0, result.output  # deep JSON and a line not in UTF-8 stopped the batch
    lines = [json.loads(x) for x in result.stdout.strip().splitlines()]
    assert [x.get("id") for x in lines] == ["a", "b", None, None, "\ufffd", "c"]
    assert lines[0]["grounded"] is True and lines[1]["grounded"] is False
    assert "line 3" in lines[2]["error"] and "line 4" in lines[3]["error"]


def test_eval_reports_metrics(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(app, ["ingest", str(SAMPLES / "kb")])
    eval_file = tmp_path / "eval.jsonl"
    eval_file.write_text(
        '{"question": "Which course teaches Blender?", "gold_sources": ["courses/courses.csv",'
        ' "courses/DMT210_3d_modeling.html"], "key_facts": ["Blender"]}\n'
        '{"question": "学校有游泳池吗？", "answerable": false}\n', encoding="utf-8")
    result = runner.invoke(app, ["eval", str(eval_file), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["slices"]["all"]
    assert summary["hit@5"] == 1.0 and summary["refusal_accuracy"] == 1.0


def test_user_errors_are_messages_not_tracebacks(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ask", "   "])
    assert result.exit_code == 2 and "empty" in result.output
    result = runner.invoke(app, ["ingest", "x", "--type", "nonsense"])
    assert result.exit_code == 2 and "valid types" in result.output
    result = runner.invoke(app, ["ask", "hi", "--role", "teacher"])
    assert result.exit_code == 2 and "valid roles" in result.output


def test_bot_token_problems_are_clear_start_up_errors(runner: CliRunner,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    result = runner.invoke(app, ["bot"])
    assert result.exit_code == 2 and "TELEGRAM_BOT_TOKEN is not set" in result.output
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "not-a-token")
    result = runner.invoke(app, ["bot"])
    assert result.exit_code == 2 and "malformed" in result.output
    assert "not-a-token" not in result.output


def test_a_token_telegram_rejects_is_a_clear_error(runner: CliRunner,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.auxil.fake_telegram import FakeTelegram

    fake = FakeTelegram().start()
    try:
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "987654321:AAWrongTokenWrongTokenWrongToken")
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", fake.base_url)
        result = runner.invoke(app, ["bot"])
        assert result.exit_code == 2 and "rejected TELEGRAM_BOT_TOKEN" in result.output
        assert "WrongToken" not in result.output
    finally:
        fake.stop()


def test_batch_sessions_keep_their_subject(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(app, ["ingest", str(SAMPLES / "kb")])
    batch = tmp_path / "session.jsonl"
    follow_up = "and how many credits of internship does it have?"
    batch.write_text("\n".join(json.dumps(line) for line in [
        {"id": "q1", "session": "s", "question": "What are the core courses of the Big Data Technology major?"},
        {"id": "q2", "session": "s", "question": follow_up},
        {"id": "q3", "question": follow_up},
    ]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["ask", "--json", "--batch", str(batch)])
    assert result.exit_code == 0, result.output
    answers = {a["id"]: a for a in map(json.loads, result.stdout.strip().splitlines())}
    assert answers["q2"]["citations"][0]["source"] == "majors/big_data_technology.md"
    # The same words outside the session have no subject to lean on.
    assert answers["q3"]["citations"][0]["source"] != "majors/big_data_technology.md"


def test_ask_declines_unheld_attributes_and_unknown_codes(runner: CliRunner) -> None:
    runner.invoke(app, ["ingest", str(SAMPLES / "kb")])
    for question in ("数字媒体技术专业的学费是多少？",
                     "What is the average starting salary of Big Data Technology graduates?",
                     "999999专业的核心课程有哪些？"):
        result = runner.invoke(app, ["ask", "--json", question])
        assert result.exit_code == 0, result.output
        answer = json.loads(result.stdout)
        assert answer["grounded"] is False and answer["citations"] == [], (question, answer)
    held = json.loads(runner.invoke(app, ["ask", "--json", "数字媒体技术专业的核心课程有哪些？"]).stdout)
    assert held["grounded"] is True
    assert held["citations"][0]["source"] == "majors/digital_media_technology.md"


def test_eval_follows_sessions_and_scores_citations(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(app, ["ingest", str(SAMPLES / "kb")])
    eval_file = tmp_path / "eval.jsonl"
    details = tmp_path / "details.jsonl"
    eval_file.write_text("\n".join(json.dumps(line) for line in [
        {"id": "t1", "session": "s", "kind": "conversation",
         "question": "What are the core courses of the Big Data Technology major?",
         "gold_sources": ["majors/big_data_technology.md"]},
        {"id": "t2", "session": "s", "kind": "conversation",
         "question": "and how many credits of internship does it have?",
         "gold_sources": ["majors/big_data_technology.md"], "key_facts": ["16 credits"]},
    ]) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(eval_file), "--json", "--details", str(details)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["slices"]
    assert summary["kind=conversation"]["cited"] == 1.0
    rows = {r["id"]: r for r in map(json.loads, details.read_text(encoding="utf-8").splitlines())}
    assert rows["t2"]["cited"] and rows["t2"]["answer_key_facts"] == 1.0


def test_terminal_chat_keeps_the_subject_of_a_follow_up(runner: CliRunner) -> None:
    runner.invoke(app, ["ingest", str(SAMPLES / "kb")])
    said = "What are the core courses of the Big Data Technology major?\n" \
           "and how many credits of internship does it have?\n/quit\n"
    result = runner.invoke(app, ["chat"], input=said)
    assert result.exit_code == 0, result.output
    second = result.output.split("you", 2)[2]  # what came after the second prompt
    assert "16 credits" in second and "big_data_technology.md" in second, second
