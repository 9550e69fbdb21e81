"""The web console's fixtures: the sample knowledge base ingested into a data dir of its own
(these tests write tokens, questions and uploads), the app under TestClient, admin tokens."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.store.base import KnowledgeBase
from tests.conftest import SAMPLES, make_settings


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives Debian's chromium with Playwright; skipped outside CI only "
                   "when chromium or Playwright is absent")


@pytest.fixture(scope="session")
def web_kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    from ingest.pipeline import Ingestor

    base = KnowledgeBase(make_settings(tmp_path_factory.mktemp("web") / "data"))
    report = Ingestor(base).run([SAMPLES / "kb"])
    assert not report.failed, report.failed
    yield base
    base.close()


@pytest.fixture(scope="session")
def app(web_kb: KnowledgeBase):  # type: ignore[no-untyped-def]
    from bot.web.app import create_app
    from bot.web.deps import WebOptions

    return create_app(web_kb.settings, kb=web_kb, 
                      options=WebOptions(anonymous_per_minute=10_000, pages_per_minute=10_000))


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    with TestClient(app, headers={"Accept-Language": "en"}) as test_client:
        yield test_client


@pytest.fixture
def admin_key(web_kb: KnowledgeBase) -> str:
    from knowledge.ops.tokens import create_token

    _, secret = create_token(web_kb, f"curator-{os.urandom(3).hex()}", scope="admin", per_minute=1000)
    return secret


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def login(client, key: str) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/login")
    response = client.post("/login", data={"key": key, "csrf": csrf_of(page.text), "next": "/admin"},
                           follow_redirects=False)
    assert response.status_code == 303, response.text


def write_file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
