"""Shared fixtures: settings on a temporary data dir, SQLite and PostgreSQL URLs, and a
knowledge base holding the project's sample documents (ingested once per session)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.config import Settings
from knowledge.store.base import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CORPUS = Path(os.environ.get("CAREERBOT_TEST_CORPUS", ROOT.parent / "shared" / "corpus"))
PG_ADMIN_URL = os.environ.get("CAREERBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


# A developer's own configuration must not reach the tests: with OPENAI_API_KEY exported,
# tests would send traffic to the real API. The test suite's own knobs (CAREERBOT_TEST_*)
# stay. Cleared once for the whole session (session fixtures and child processes see it) and
# again around every test, so one test's setenv cannot leak into the next.
_PRIVATE = ("OPENAI_", "TELEGRAM_", "CAREERBOT_")


def _scrub_environment() -> None:
    for name in list(os.environ):
        if name.startswith(_PRIVATE) and not name.startswith("CAREERBOT_TEST_"):
            del os.environ[name]


def pytest_configure(config: pytest.Config) -> None:
    _scrub_environment()


@pytest.fixture(autouse=True)
def _no_private_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(_PRIVATE) and not name.startswith("CAREERBOT_TEST_"):
            monkeypatch.delenv(name)


def _postgres_available() -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL.replace("postgresql://", "postgresql://", 1),
                             connect_timeout=3):
            return None
    except Exception as exc:  # any failure means: not here
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test session (dropped afterwards)."""
    problem = _postgres_available()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"{problem} — CI must run the PostgreSQL tests")
        pytest.skip(problem)
    import psycopg

    name = f"careerbot_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each SQL test runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    url: str = request.getfixturevalue("postgres_url")
    # Every test gets a clean schema: drop what an earlier test left.
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    return url


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Chroma server: CAREERBOT_TEST_CHROMA_URL when set (as .ci/run does), else one started
    here with the ``chroma`` command that ships in the chromadb package."""
    given = os.environ.get("CAREERBOT_TEST_CHROMA_URL")
    if given:
        yield given
        return
    import shutil
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    exe = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    if not Path(exe).exists():
        pytest.skip("the chroma command (from the chromadb package) is not installed")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen([exe, "run", "--host", "127.0.0.1", "--port", str(port),
                             "--path", str(path)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("the Chroma server did not start")
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def redis_url() -> str:
    """Redis for the background-job tests (CAREERBOT_TEST_REDIS_URL, default 127.0.0.1:6379)."""
    url = os.environ.get("CAREERBOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        from redis import Redis

        Redis.from_url(url, socket_connect_timeout=3).ping()
    except Exception as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis not reachable at {url}: {exc} — CI must run the queue tests")
        pytest.skip(f"Redis not reachable at {url}: {exc}")
    return url


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, **overrides)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture
def kb(settings: Settings) -> Iterator[KnowledgeBase]:
    base = KnowledgeBase(settings)
    yield base
    base.close()


@pytest.fixture(scope="session")
def sample_kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    """The shipped sample knowledge base, ingested once."""
    from ingest.pipeline import Ingestor

    base = KnowledgeBase(make_settings(tmp_path_factory.mktemp("sample") / "data"))
    report = Ingestor(base).run([SAMPLES / "kb"])
    assert not report.failed, report.failed
    yield base
    base.close()


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the shared corpus is missing at {CORPUS}")
        pytest.skip(f"the shared corpus is not at {CORPUS} (set CAREERBOT_TEST_CORPUS)")
    return CORPUS
