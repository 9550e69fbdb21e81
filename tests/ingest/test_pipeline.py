"""Incremental sync, removal, typing, bad files, the writer lock and crash safety."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.pipeline import Ingestor
from knowledge.errors import StoreBusyError
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import ChunkRow, Document
from tests.auxil import files
from tests.auxil.counting import count_embeddings
from tests.conftest import make_settings


def write_docs(root: Path) -> None:
    files.write(root / "plan.md", "---\ntype: training_plan\n---\n# Big Data\n\n## Core courses\n\n"
                "Spark Data Processing (BD220), Data Warehouse Design (BD230).\n")
    files.write(root / "courses.csv", "code,title,credits\nBD220,Spark Data Processing,4\n"
                "BD230,Data Warehouse Design,3\n")
    files.write(root / "jd" / "analyst.md", "# Junior Data Analyst\n\n## Requirements\n\n"
                "SQL, Python and Power BI.\n")


def store_state(kb: KnowledgeBase) -> tuple[set[str], set[str]]:
    """(chunk ids in SQL, vector ids in Chroma)."""
    with kb.db.session() as s:
        sql_ids = {row[0] for row in s.query(ChunkRow.id).all()}
    chroma_ids = set(kb.vector_store._collection.get(include=[])["ids"])
    return sql_ids, chroma_ids


def test_rerun_embeds_nothing_and_changes_embed_only_the_change(tmp_path: Path,
                                                                 database_url: str) -> None:
    root = tmp_path / "docs"
    write_docs(root)
    kb = KnowledgeBase(make_settings(tmp_path / "data", database_url=database_url))
    counter = count_embeddings(kb)
    first = Ingestor(kb).run([root])
    assert first.count("new") == 3 and not first.failed
    embedded = counter.documents
    assert embedded == first.chunks_added > 0

    again = Ingestor(kb).run([root])
    assert again.count("unchanged") == 3
    assert counter.documents == embedded, "an unchanged tree embeds nothing"

    files.write(root / "courses.csv", "code,title,credits\nBD220,Spark Data Processing,4\n"
                "BD230,Data Warehouse Design,3\nBD240,Data Visualization,3\n")
    changed = Ingestor(kb).run([root])
    assert [r.source for r in changed.results if r.status == "changed"] == ["courses.csv"]
    assert counter.documents == embedded + 1, "only the new row is embedded"

    sql_ids, chroma_ids = store_state(kb)
    assert sql_ids == chroma_ids and len(sql_ids) == first.chunks_added + 1
    kb.close()


def test_full_removes_deleted_files(kb: KnowledgeBase, tmp_path: Path) -> None:
    root = tmp_path / "docs"
    write_docs(root)
    Ingestor(kb).run([root])
    (root / "jd" / "analyst.md").unlink()
    kept = Ingestor(kb).run([root])
    assert kept.count("removed") == 0, "without --full nothing is removed"
    report = Ingestor(kb, full=True).run([root])
    assert [r.source for r in report.results if r.status == "removed"] == ["jd/analyst.md"]
    sql_ids, chroma_ids = store_state(kb)
    assert sql_ids == chroma_ids
    with kb.db.session() as s:
        assert {d.source for d in s.query(Document).all()} == {"plan.md", "courses.csv"}


def test_types_from_front_matter_content_and_override(kb: KnowledgeBase, tmp_path: Path) -> None:
    root = tmp_path / "docs"
    write_docs(root)
    Ingestor(kb).run([root])
    with kb.db.session() as s:
        types = {d.source: d.doc_type for d in s.query(Document).all()}
    assert types["plan.md"] == "training_plan"
    Ingestor(kb, doc_type=__import__("knowledge.schema").schema.DocType.INTERNSHIP).run(
        [root / "jd" / "analyst.md"])
    with kb.db.session() as s:
        doc = s.query(Document).filter(Document.source == "analyst.md").one()
        assert doc.doc_type == "internship"


def test_bad_files_are_reported_and_the_rest_ingested(kb: KnowledgeBase, tmp_path: Path) -> None:
    root = tmp_path / "mixed"
    expected = files.hostile_folder(root)
    report = Ingestor(kb).run([root])
    failed = {r.source: r.error for r in report.failed}
    assert set(failed) == set(expected)
    for name, word in expected.items():
        assert name in failed[name] and word in failed[name].lower(), failed[name]
    assert {r.source for r in report.results if r.status == "new"} == files.GOOD_IN_HOSTILE
    with kb.db.session() as s:
        gbk = s.query(Document).filter(Document.source == "good_gbk.csv").one()
        assert gbk.encoding in ("gb18030", "gbk")
        stored = " ".join(c.text for c in s.query(ChunkRow).all())
    assert "steal()" not in stored and "Ignore previous instructions" not in stored
    assert "HIDDEN" not in stored and "\x00" not in stored
    assert [r.source for r in report.results if r.status == "skipped"] == ["passwd.txt"]
    assert "Teaches secure coding" in stored and "数字影像技术" in stored


def test_second_writer_waits_then_refuses_clearly(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "data", lock_timeout=0.5)
    settings.store.data_dir.mkdir(parents=True)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from filelock import FileLock; "
         f"l = FileLock({str(settings.store.data_dir / 'ingest.lock')!r}); l.acquire(); "
         "print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        kb = KnowledgeBase(settings)
        root = tmp_path / "docs"
        write_docs(root)
        with pytest.raises(StoreBusyError, match="another careerbot process"):
            Ingestor(kb).run([root])
        with kb.db.session() as s:
            assert s.query(Document).count() == 0
    finally:
        holder.kill()
        holder.wait()


def _ingest_cmd(data_dir: Path, root: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "CAREERBOT_DATA_DIR": str(data_dir)}
    return [sys.executable, "-m", "bot.cli", "ingest", str(root), "--json"], env


@pytest.mark.slow
def test_kill_9_mid_ingest_then_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    for i in range(40):
        body = "\n\n".join(f"Course DMT{i:02d}{j}: lesson {j} on topic {i}, with practice and review."
                           for j in range(12))
        files.write(root / f"course_{i:02d}.md", f"# Course file {i}\n\n{body}\n")
    crashed = tmp_path / "crashed"
    cmd, env = _ingest_cmd(crashed, root)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db = crashed / "careerbot.db"
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as conn:
                    done = conn.execute("select count(*) from documents").fetchone()[0]
            except sqlite3.Error:
                done = 0
            if done >= 5:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "the ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 5 <= done < 40

    subprocess.run(cmd, env=env, check=True, capture_output=True)
    clean = tmp_path / "clean"
    cmd_clean, env_clean = _ingest_cmd(clean, root)
    subprocess.run(cmd_clean, env=env_clean, check=True, capture_output=True)

    states = []
    for data_dir in (crashed, clean):
        kb = KnowledgeBase(make_settings(data_dir))
        states.append(store_state(kb))
        kb.close()
    (sql_a, vec_a), (sql_b, vec_b) = states
    assert sql_a == vec_a, "no orphan or missing vectors after the crash"
    assert sql_a == sql_b and vec_a == vec_b, "the re-run store equals a clean run"


def test_chroma_server_mode(tmp_path: Path, chroma_url: str) -> None:
    """The same sync and search against a Chroma server (CAREERBOT_CHROMA_URL)."""
    from knowledge.answering.assistant import Assistant

    root = tmp_path / "docs"
    write_docs(root)
    settings = make_settings(tmp_path / "data", chroma_url=chroma_url,
                             collection=f"t{os.getpid()}{time.monotonic_ns()}")
    kb = KnowledgeBase(settings)
    first = Ingestor(kb).run([root])
    assert first.count("new") == 3 and not (settings.store.data_dir / "chroma").exists()
    assert Ingestor(kb).run([root]).count("unchanged") == 3
    sql_ids, chroma_ids = store_state(kb)
    assert sql_ids == chroma_ids
    answer = Assistant(kb).ask("Which skills does the junior data analyst need?")
    assert answer.grounded and answer.citations[0].source == "jd/analyst.md"


def test_a_loader_upgrade_reads_every_file_again_and_embeds_only_new_text(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hidden text ingested before the loaders learnt to drop it must not stay in the store."""
    root = tmp_path / "docs"
    write_docs(root)
    counter = count_embeddings(kb)
    Ingestor(kb).run([root])
    embedded = counter.documents
    monkeypatch.setattr("ingest.pipeline.REVISION", "next", raising=False)
    again = Ingestor(kb).run([root])
    assert again.count("changed") == 3, "a new loader revision loads every file again"
    assert counter.documents == embedded, "text that did not change is not embedded again"


def test_a_loader_upgrade_is_not_a_new_version_for_skills_drift(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from knowledge.store.models import RequirementSnapshot

    jd = files.write(tmp_path / "jd" / "analyst.md", "---\ntype: enterprise_requirement\n---\n"
                     "# Junior Data Analyst\n\nSQL and Excel.\n")
    Ingestor(kb).run([jd.parent])
    files.write(jd, jd.read_text().replace("SQL and Excel.", "SQL, Python and Tableau."))
    Ingestor(kb).run([jd.parent])
    monkeypatch.setattr("ingest.pipeline.REVISION", "next", raising=False)
    assert Ingestor(kb).run([jd.parent]).count("changed") == 1
    with kb.db.session() as s:
        assert s.query(RequirementSnapshot).count() == 2, "drift still compares the two versions"


# A child process that ingests ``root`` and SIGKILLs itself at a named checkpoint of the
# N-th file: the crash lands exactly where it must, however fast or slow the machine is.
_CRASH_AT = """
import os, signal, sys
from pathlib import Path
from ingest.pipeline import Ingestor
from knowledge.config import Settings
from knowledge.store.base import KnowledgeBase

stage, nth = sys.argv[3], int(sys.argv[4])
seen = []

def checkpoint(name, source):
    if name == stage:
        seen.append(source)
        if len(seen) == nth:
            os.kill(os.getpid(), signal.SIGKILL)

kb = KnowledgeBase(Settings(_env_file=None, data_dir=Path(sys.argv[1])))
Ingestor(kb, checkpoint=checkpoint).run([Path(sys.argv[2])])
"""


@pytest.mark.parametrize("stage", ["indexed", "saved"])
def test_a_crash_at_each_checkpoint_then_rerun_equals_a_clean_run(tmp_path: Path, stage: str) -> None:
    root = tmp_path / "docs"
    for i in range(6):
        files.write(root / f"course_{i}.md", f"# Course file {i}\n\nCourse DMT{i}0: lesson on topic {i}.\n")
    crashed = tmp_path / "crashed"
    died = subprocess.run([sys.executable, "-c", _CRASH_AT, str(crashed), str(root), stage, "3"],
                          capture_output=True, text=True, timeout=300)
    assert died.returncode == -signal.SIGKILL, died.stderr
    with sqlite3.connect(crashed / "careerbot.db") as conn:
        stored = conn.execute("select count(*) from documents").fetchone()[0]
    assert stored == (2 if stage == "indexed" else 3)  # vectors of file 3 without its SQL rows

    Ingestor(KnowledgeBase(make_settings(crashed))).run([root])
    clean = KnowledgeBase(make_settings(tmp_path / "clean"))
    Ingestor(clean).run([root])
    again = KnowledgeBase(make_settings(crashed))
    (sql_a, vec_a), (sql_b, vec_b) = store_state(again), store_state(clean)
    assert sql_a == vec_a, "no orphan or missing vectors after the crash"
    assert sql_a == sql_b and vec_a == vec_b, "the re-run store equals a clean run"
