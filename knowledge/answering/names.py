"""The name index behind entity resolution: every major, course and occupation the store
holds, under its codes, names and aliases (the bilingual name table adds English names for
Chinese majors). Built once per store revision, so a question costs dictionary look-ups."""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select

from knowledge.store.base import KnowledgeBase
from knowledge.store.models import ChunkRow, Course, Major, Occupation, PlanItem

DATA = Path(__file__).resolve().parents[1] / "data"

# Level a vocational code implies (first digit), for majors the catalogue row does not cover.
_LEVEL_BY_DIGIT = {"2": "职教本科", "3": "职教本科", "4": "高职专科", "5": "高职专科",
                   "6": "中职", "7": "中职"}
_ALSO_CALLED = re.compile(r"Also called:\s*(.+)")


@dataclass(frozen=True)
class Entity:
    """A major, course or occupation as the knowledge base holds it."""

    kind: str  # major / course / occupation
    code: str
    name: str  # as the documents write it
    english: str = ""  # majors: from the name table; others: the name itself
    level: str = ""  # majors: 高职专科 / 职教本科 / 中职 / 本科 / CIP
    has_plan: bool = False  # majors: a training-plan profile is held

    @property
    def label(self) -> str:
        """"510203 软件技术", "COSC 3380 Database Systems": how answers name it."""
        return f"{self.code} {self.name}".strip()


@dataclass(frozen=True)
class Candidate:
    entity: Entity
    confidence: float  # 1.0 exact code or name, lower for aliases, fuzzy and embedding matches
    how: str  # code / name / stem / fuzzy / partial (a name containing it) / nearest


@dataclass
class NameIndex:
    """Codes and names to entities; ``grams`` maps character n-grams to names for fuzzy search."""

    revision: str  # the store's URL and revision it was built from
    by_code: dict[str, list[Entity]] = field(default_factory=dict)
    by_name: dict[str, list[Entity]] = field(default_factory=dict)
    grams: dict[str, set[str]] = field(default_factory=dict)
    course_prefixes: frozenset[str] = frozenset()
    profiles: list[Entity] = field(default_factory=list)  # occupations with a profile document
    vectors: Any = None  # their names' embeddings, computed on first use
    probes: list[tuple[str, str, str]] | None = None  # aliases as matching searches for them


def norm_code(code: str) -> str:
    """Codes compare without spaces and case: "cosc 3380" is "COSC3380"."""
    return re.sub(r"\s+", "", code).upper()


def norm_name(name: str) -> str:
    """Names compare lower-cased with single spaces and no trailing full stop."""
    return re.sub(r"\s+", " ", name).strip().rstrip(".").lower()


def ngrams(text: str) -> set[str]:
    """Character bigrams for Chinese, trigrams for the rest: enough overlap to rank names."""
    size = 2 if re.search(r"[\u4e00-\u9fff]", text) else 3
    text = text.replace(" ", "")
    return {text[i:i + size] for i in range(max(1, len(text) - size + 1))}


@lru_cache(maxsize=1)
def name_table() -> dict[str, tuple[str, tuple[str, ...]]]:
    """code -> (Chinese name, English names) from ``data/major_names.tsv``."""
    table: dict[str, tuple[str, tuple[str, ...]]] = {}
    for line in (DATA / "major_names.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("#", "code\t")):
            continue
        code, zh, en = (line.split("\t") + ["", ""])[:3]
        table[code.strip()] = (zh.strip(), tuple(a.strip() for a in en.split("|") if a.strip()))
    return table


def _level(code: str, level: str) -> str:
    if level:
        return level
    if re.fullmatch(r"\d{2}\.\d{4}", code):
        return "CIP"
    if re.fullmatch(r"\d{6}", code) and code[0] in _LEVEL_BY_DIGIT:
        return _LEVEL_BY_DIGIT[code[0]]
    return "本科" if re.fullmatch(r"\d{6}[A-Z]{0,2}", code) else ""


def build_index(kb: KnowledgeBase, revision: str) -> NameIndex:
    """Read every entity from SQL (four queries) and file it under its codes and names."""
    with kb.db.session() as s:
        majors = s.execute(select(Major.code, Major.name, Major.level)).all()
        planned = set(s.scalars(select(PlanItem.major_code).distinct()))
        courses = s.execute(select(Course.code, Course.title)).all()
        occupations = s.execute(select(Occupation.code, Occupation.name, Occupation.document_id,
                                       Occupation.locator)).all()
        also = s.execute(select(ChunkRow.document_id, ChunkRow.text).where(
            ChunkRow.doc_type == "occupation_profile", ChunkRow.text.like("%Also called:%"))).all()
    table = name_table()
    index = NameIndex(revision)
    by_code: dict[str, dict[str, str]] = defaultdict(dict)
    for code, name, level in majors:
        if code:
            seen = by_code[code.strip()]
            seen.setdefault("name", name.strip().rstrip("."))
            if level and not seen.get("level"):
                seen["level"] = level
    names: dict[Entity, set[str]] = {}
    for code, info in by_code.items():
        zh, en = table.get(code, ("", ()))
        entity = Entity("major", code, info["name"], en[0] if en else "",
                        _level(code, info.get("level", "")), code in planned)
        names[entity] = {info["name"], zh, *en}
    for code, title in courses:
        if code:
            names[Entity("course", code.strip(), title.strip(), title.strip())] = {title}
    alt = {doc: m.group(1) for doc, text in also if (m := _ALSO_CALLED.search(text))}
    for code, name, doc, locator in occupations:
        if code or name:
            extra = {t.strip() for t in alt.get(doc, "").split(",") if 3 < len(t.strip()) < 60}
            entity = Entity("occupation", code.strip(), name.strip(), name.strip())
            names[entity] = names.get(entity, set()) | {name, *extra}
            if not locator and entity not in index.profiles:
                index.profiles.append(entity)
    for entity, aliases in names.items():
        index.by_code.setdefault(norm_code(entity.code), []).append(entity)
        if re.fullmatch(r"\d{2}(\.\d{2})?", entity.code):
            continue  # a CIP family or series ("14 ENGINEERING."): its title is a word, not a name
        for alias in filter(None, (norm_name(a) for a in aliases)):
            if len(alias) >= 2 and not alias.isdigit():
                index.by_name.setdefault(alias, []).append(entity)
    for alias in index.by_name:
        for gram in ngrams(alias):
            index.grams.setdefault(gram, set()).add(alias)
    index.course_prefixes = frozenset(
        m.group(1) for code, _ in courses if (m := re.match(r"([A-Z]{2,5})\s?\d", code or "")))
    return index


_VECTORS = threading.Lock()


def nearest_profiles(kb: KnowledgeBase, index: NameIndex, text: str) -> list[tuple[Entity, float]]:
    """Occupation profiles whose names mean what the text says, best first: e5 reads Chinese
    and English into one space, and the profiles (O*NET, ESCO) have English names only."""
    if not index.profiles:
        return []
    with _VECTORS:
        if index.vectors is None:
            vectors = np.array(kb.embeddings.embed_documents([e.name for e in index.profiles]))
            index.vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    query = np.array(kb.embeddings.embed_query(text))
    sims = index.vectors @ (query / np.linalg.norm(query))
    return [(index.profiles[i], float(sims[i])) for i in np.argsort(-sims)[:5]]


class NameIndexCache:
    """One name index per store revision, shared by threads (like the Retriever's index)."""

    def __init__(self) -> None:
        self._index: NameIndex | None = None
        self._lock = threading.Lock()

    def get(self, kb: KnowledgeBase) -> NameIndex:
        """The index for the store's current revision, rebuilt only when ingest changed it."""
        revision = f"{kb.db.url}#{kb.db.revision()}"  # two stores never share an index
        with self._lock:
            if self._index is None or self._index.revision != revision:
                self._index = build_index(kb, revision)
            return self._index
