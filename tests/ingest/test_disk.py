"""The data dir on a read-only or full disk: a clear error, nothing half-written, and a
re-run finishes the job once there is room. Uses real tmpfs mounts (root only)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.pipeline import Ingestor
from knowledge.errors import StoreUnavailableError
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import ChunkRow, Document
from tests.auxil import files
from tests.conftest import SAMPLES, make_settings


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[Path]:
    """A small tmpfs for the data dir."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        if os.environ.get("CI"):
            pytest.fail("CI runs as root and must exercise the disk-fault tests")
        pytest.skip("mounting a tmpfs needs root")
    point = tmp_path / "disk"
    point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200m", "tmpfs", str(point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"cannot mount a tmpfs: {done.stderr}")
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield point
    subprocess.run(["umount", "-l", str(point)], check=False)


def remount(point: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(point)], check=True)


def counts(kb: KnowledgeBase) -> tuple[int, int, int]:
    with kb.db.session() as s:
        return (s.query(Document).count(), s.query(ChunkRow).count(),
                kb.vector_store._collection.count())


def test_read_only_data_dir_is_a_clear_error_and_nothing_changes(mount: Path, tmp_path: Path) -> None:
    # The first ingest runs in its own process, so that no file stays open for writing.
    env = {**os.environ, "CAREERBOT_DATA_DIR": str(mount / "data")}
    subprocess.run([sys.executable, "-m", "bot.cli", "ingest", str(SAMPLES / "kb" / "majors")],
                   env=env, check=True, capture_output=True)
    with sqlite3.connect(mount / "data" / "careerbot.db") as conn:
        before = (conn.execute("select count(*) from documents").fetchone()[0],
                  conn.execute("select count(*) from chunks").fetchone()[0])
    conn.close()
    assert before[0] == 2
    remount(mount, "ro")
    extra = files.write(tmp_path / "new" / "note.md", "# Note\n\nA new course: BD999 Quantum Data.\n")
    with pytest.raises(StoreUnavailableError, match="Read-only file system|cannot write"):
        Ingestor(KnowledgeBase(make_settings(mount / "data"))).run([extra.parent])
    remount(mount, "rw")
    kb = KnowledgeBase(make_settings(mount / "data"))
    documents, chunks, vectors = counts(kb)
    assert (documents, chunks) == before and vectors == chunks, "nothing half-written"
    assert Ingestor(kb).run([extra.parent]).count("new") == 1


def test_full_disk_is_a_clear_error_and_a_rerun_finishes(mount: Path, tmp_path: Path) -> None:
    settings = make_settings(mount / "data")
    KnowledgeBase(settings).db  # schema and empty store first  # noqa: B018
    remount(mount, "size=6m")
    root = tmp_path / "docs"
    for i in range(30):
        files.write(root / f"doc{i:02d}.md", f"# Doc {i}\n\n" + f"Topic {i} paragraph. " * 400)
    filler = mount / "filler"
    used = sum(f.stat().st_size for f in mount.rglob("*") if f.is_file())
    filler.write_bytes(b"\0" * max(0, 6 * 1024 * 1024 - used - 1_500_000))
    with pytest.raises(StoreUnavailableError):
        Ingestor(KnowledgeBase(settings)).run([root])
    filler.unlink()
    remount(mount, "size=200m")
    kb = KnowledgeBase(settings)
    report = Ingestor(kb).run([root])
    assert not report.failed
    documents, chunks, vectors = counts(kb)
    assert documents == 30 and chunks == vectors, "the re-run leaves a consistent store"
