"""Background ingestion on a real Redis queue (RQ): enqueue, work, state, idempotence."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from ingest.jobs import counts, enqueue_paths, jobs, work
from knowledge.store.base import KnowledgeBase
from tests.auxil import files
from tests.conftest import make_settings


@pytest.fixture
def queued(tmp_path: Path, redis_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    queue = f"careerbot-test-{uuid.uuid4().hex[:8]}"
    data = tmp_path / "data"
    # Workers read their settings from the environment, like any careerbot process.
    monkeypatch.setenv("CAREERBOT_DATA_DIR", str(data))
    monkeypatch.setenv("CAREERBOT_REDIS_URL", redis_url)
    monkeypatch.setenv("CAREERBOT_QUEUE_NAME", queue)
    monkeypatch.chdir(tmp_path)
    settings = make_settings(data, redis_url=redis_url, queue_name=queue)
    yield settings
    from redis import Redis
    from rq import Queue

    Queue(queue, connection=Redis.from_url(redis_url)).empty()


def test_queued_ingest_runs_on_a_worker_and_reports_its_state(queued, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "docs"
    files.write(root / "plan.md", "# Plan\n\nCore courses: Spark Data Processing (BD220).\n")
    files.write(root / "bad.pdf", b"%PDF-1.4 broken")
    result = CliRunner().invoke(app, ["ingest", str(root), "--queue", "--json"])
    assert result.exit_code == 0, result.output
    job_id = json.loads(result.stdout)["job"]
    again = enqueue_paths(queued, [root], None, False)
    assert again == job_id, "the same request is the same job"
    assert counts(queued)["queued"] == 1
    work(queued, burst=True, fork=False)
    (job,) = jobs(queued)
    assert job["id"] == job_id and job["state"] == "finished"
    assert job["result"]["new"] == 1 and job["result"]["failed"] == 1
    assert "bad.pdf" in job["result"]["errors"][0]["source"]
    kb = KnowledgeBase(queued)
    assert kb.stats()["documents"] == 1
    listing = CliRunner().invoke(app, ["jobs", "--json"])
    assert json.loads(listing.stdout)[0]["state"] == "finished"


def test_queue_unreachable_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREERBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CAREERBOT_REDIS_URL", "redis://127.0.0.1:9/0")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["ingest", str(tmp_path), "--queue"])
    assert result.exit_code == 2 and "cannot reach Redis" in result.output
    assert os.environ["CAREERBOT_REDIS_URL"] in result.output


def test_a_redis_password_never_reaches_the_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREERBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CAREERBOT_REDIS_URL", "redis://:s3cret-pass@127.0.0.1:9/0")  # nothing listens on 9
    for command in (["jobs"], ["ingest", "--queue", str(tmp_path)]):
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2 and "cannot reach Redis" in result.output, result.output
        assert "s3cret-pass" not in result.output
