"""On real files from ../shared/corpus: structure survives chunking, and questions in both
languages (and across them) reach the facts the files hold."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.loaders import load_file
from ingest.pipeline import Ingestor
from knowledge.answering.assistant import Assistant
from knowledge.schema import TextBlock
from knowledge.store.base import KnowledgeBase
from tests.conftest import make_settings

FILES = [
    "training_plans/cn_moe_vocational_major_profiles_2022/5102计算机类.md",
    "training_plans/cn_moe_vocational_major_profiles_2022/5202护理类.md",
    "courses/uh_catalog_2024_2025_undergraduate/html/52-268616.html",
    "courses/uh_catalog_2024_2025_undergraduate/html/52-268664.html",
    "courses/uh_catalog_2024_2025_undergraduate/html/52-268599.html",
    "taxonomy/esco_occupation_profiles_md/2511.3.md",
    "taxonomy/onet_occupation_profiles_md/29-1141.00.md",
]


def test_every_major_in_a_profile_file_is_its_own_record(corpus: Path) -> None:
    doc = load_file(corpus / FILES[0], 20 * 1024 * 1024)
    entities = {b.entity for b in doc.blocks if isinstance(b, TextBlock) and b.entity}
    assert {"510201 计算机应用技术", "510204 数字媒体技术", "510216 密码技术应用"} <= entities
    core = [b for b in doc.blocks if isinstance(b, TextBlock) and b.entity == "510204 数字媒体技术"
            and "专业核心课程" in b.text]
    assert core and "用户界面设计" in core[0].text


@pytest.fixture(scope="module")
def assistant(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("corpus-subset")
    for rel in FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(corpus / rel, root / rel)
    kb = KnowledgeBase(make_settings(tmp_path_factory.mktemp("corpus-data")))
    report = Ingestor(kb).run([root])
    assert not report.failed and report.count("new") == len(FILES)
    return Assistant(kb)


@pytest.mark.parametrize("question,source,fact", [
    ("数字媒体技术专业的专业核心课程有哪些？", "5102计算机类.md", "用户界面设计"),
    ("护理专业可以考什么职业资格证书？", "5202护理类.md", "护士执业资格"),
    ("What are the prerequisites for COSC 3380?", "52-268616.html", "COSC 2320"),
    ("What are the essential skills of a data analyst?", "2511.3.md", "analyse big data"),
    ("哪门课程可以准备 OSHA 10 小时安全认证考试？", "52-268664.html", "CNST 3205"),
    ("COSC 1304 这门课讲什么内容？", "52-268599.html", "C language"),
    ("What are the core courses of the Digital Media Technology major (510204)?", "5102计算机类.md",
     "用户界面设计"),
])
def test_questions_reach_the_facts(assistant: Assistant, question: str, source: str, fact: str) -> None:
    answer = assistant.ask(question)
    assert answer.grounded, answer.text
    assert answer.citations[0].source.endswith(source)
    hits = assistant.search(question)
    assert any(fact in f"{h.header} {h.text}" for h in hits)


def test_what_the_corpus_does_not_hold_is_refused(assistant: Assistant) -> None:
    for question in ("How much is the tuition at the University of Houston?", "学校宿舍是几人间？"):
        assert not assistant.ask(question).grounded
