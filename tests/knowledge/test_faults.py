"""Faults: the Chroma server stopping mid-conversation, PostgreSQL connections dropping."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ingest.pipeline import Ingestor
from knowledge.answering.assistant import Assistant
from knowledge.errors import StoreUnavailableError
from knowledge.store.base import KnowledgeBase
from tests.conftest import SAMPLES, make_settings


def start_chroma(path: Path, port: int) -> subprocess.Popen[bytes]:
    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    proc = subprocess.Popen([exe, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            return proc
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail("the Chroma server did not start")
            time.sleep(0.2)


def test_chroma_server_stopped_mid_conversation_then_back(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = tmp_path / "chroma"
    proc = start_chroma(store, port)
    try:
        kb = KnowledgeBase(make_settings(tmp_path / "data", chroma_url=f"http://127.0.0.1:{port}"))
        Ingestor(kb).run([SAMPLES / "kb" / "majors"])
        assistant = Assistant(kb)
        # A question no entity record answers: it needs the vector store.
        question = "Where do students work with Hadoop and Spark?"
        assert assistant.ask(question).grounded
        proc.terminate()
        proc.wait(timeout=10)
        with pytest.raises(StoreUnavailableError, match="vector store"):
            assistant.ask(question)
        proc = start_chroma(store, port)
        answer = assistant.ask(question)
        assert answer.grounded, "the same process recovers once the server is back"
    finally:
        proc.kill()
        proc.wait()


def test_postgres_connections_killed_are_replaced(tmp_path: Path, postgres_url: str) -> None:
    """A PostgreSQL restart drops every connection; pool_pre_ping replaces them unseen."""
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    kb = KnowledgeBase(make_settings(tmp_path / "data", database_url=postgres_url))
    Ingestor(kb).run([SAMPLES / "kb" / "majors"])
    assistant = Assistant(kb)
    assert assistant.ask("What are the core courses of Big Data Technology?").grounded
    database = postgres_url.rsplit("/", 1)[1]
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = %s AND pid <> pg_backend_pid()", (database,))
    assert assistant.ask("What are the core courses of Big Data Technology?").grounded
    kb.close()
