"""The per-knowledge-base skill index follows the store's revision."""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import Ingestor
from knowledge.skills import index_for
from knowledge.store.base import KnowledgeBase
from tests.auxil import files
from tests.conftest import SAMPLES, make_settings


def test_index_is_cached_per_revision_and_rebuilt_after_ingest(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    files.write(root / "plan.md", (SAMPLES / "kb" / "majors" / "big_data_technology.md").read_bytes())
    kb = KnowledgeBase(make_settings(tmp_path / "data"))
    Ingestor(kb).run([root])
    index = index_for(kb)
    assert index_for(kb) is index
    first = index.major_skills()
    assert index.major_skills() is first, "unchanged store: the cached skills"
    assert {code for code, _ in first} == {"510205"}
    files.write(root / "plan2.md", (SAMPLES / "kb" / "majors" / "digital_media_technology.md").read_bytes())
    Ingestor(kb).run([root])
    assert {code for code, _ in index.major_skills()} == {"510205", "510204"}
    assert index_for(KnowledgeBase(make_settings(tmp_path / "data"))) is not index, "one index per knowledge base"
