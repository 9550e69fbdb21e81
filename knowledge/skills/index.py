"""The skills of one knowledge base, kept per store revision: the taxonomy extended by the
skill terms ingest found, an extractor over it, and the skills of every training-plan line.

One ``SkillIndex`` per knowledge base (``index_for``); it rebuilds under its lock when the
store's revision moves, the way the hybrid retriever keeps its keyword index.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import or_, select

from knowledge.errors import UserFacingError
from knowledge.skills.extract import Extractor
from knowledge.skills.link import Linker
from knowledge.skills.results import Evidence, Extraction, Major
from knowledge.skills.taxonomy import Concept, Taxonomy, taxonomy, unknown_id
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import Document, PlanItem, SkillTerm
from knowledge.store.models import Major as MajorRow

GROUP_ORDER = ("core", "foundation", "internship", "certificate", "ability", "occupation")
COVERING_GROUPS = ("core", "foundation")
MATCH_GROUPS = ("core", "foundation", "ability", "internship", "certificate")


def evidence(source: str, locator: str, quote: str, group: str = "") -> Evidence:
    return Evidence(source=source, locator=locator, quote=quote[:300], group=group)


def sentence(text: str, words: str) -> str:
    """The sentence or line of ``text`` that holds ``words``."""
    for part in re.split(r"(?<=[。！？；.!?;])\s*|\n+", text):
        if words.lower() in part.lower():
            return part.strip()[:300]
    return words


def quote_at(text: str, offset: int) -> str:
    """The line of ``text`` around a character offset (a mention's own line, not the first
    line that happens to hold the same words)."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start:end if end >= 0 else len(text)].strip()[:300]


def skill_key(term: str) -> str:
    """The key a found term is counted under: its canonical skill, its concept, or a new id."""
    concept = taxonomy().lookup(term)
    if concept is not None:
        return concept.canonical or concept.id
    return unknown_id(term)


@dataclass(frozen=True)
class Labels:
    """English and Chinese display names of skill keys, for results."""

    taxonomy: Taxonomy

    def en(self, key: str, fallback: str = "") -> str:
        concept = self.taxonomy.concepts.get(key)
        return concept.label if concept else fallback or key.split(":", 1)[-1]

    def zh(self, key: str, fallback: str = "") -> str:
        concept = self.taxonomy.concepts.get(key)
        return (concept.label_zh or concept.label) if concept else fallback or self.en(key)

    def uri(self, key: str) -> str:
        concept = self.taxonomy.concepts.get(key)
        return concept.uri if concept else ""


@dataclass(frozen=True)
class _State:
    revision: str
    extractor: Extractor
    labels: Labels
    # (major code, major name) -> skill key -> evidence (each with its group)
    majors: dict[tuple[str, str], dict[str, list[Evidence]]]


class SkillIndex:
    """Skills of one knowledge base, rebuilt when its store revision changes."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._lock = threading.Lock()
        self._state: _State | None = None

    def _current(self) -> _State:
        revision = self.kb.db.revision()
        with self._lock:
            if self._state is None or self._state.revision != revision:
                self._state = self._build(revision)
            return self._state

    def _build(self, revision: str) -> _State:
        base = taxonomy()
        with self.kb.db.session() as s:
            terms = s.execute(select(SkillTerm.term, SkillTerm.skill_id).distinct()).all()
            items = s.execute(
                select(PlanItem.major_code, PlanItem.major_name, PlanItem.group, PlanItem.text,
                       PlanItem.locator, Document.source)
                .join(Document, Document.id == PlanItem.document_id)
                .where(PlanItem.group.in_(MATCH_GROUPS))).all()
        tax = base.extended([(term, sid) for term, sid in terms]) if terms else base
        extractor = Extractor(tax, Linker(tax))
        majors: dict[tuple[str, str], dict[str, list[Evidence]]] = defaultdict(lambda: defaultdict(list))
        # Plan lines are matched by alias only: embedding thousands of lines would take minutes,
        # and a requirement is compared by the same keys.
        found = extractor.extract_many([text for *_, text, _locator, _source in items], embed=False)
        for (code, name, group, text, locator, source), extraction in zip(items, found, strict=True):
            for skill in extraction.skills:
                majors[(code, name)][skill.key].append(evidence(source, locator, text, group))
        return _State(revision, extractor, Labels(tax), majors)

    @property
    def extractor(self) -> Extractor:
        return self._current().extractor

    @property
    def labels(self) -> Labels:
        return self._current().labels

    def major_skills(self) -> dict[tuple[str, str], dict[str, list[Evidence]]]:
        return self._current().majors

    def extract(self, text: str, embed: bool = True) -> Extraction:
        return self.extractor.extract(text, embed=embed)

    def resolve(self, name: str) -> Concept | None:
        """A skill by key, name or alias (for ``courses``)."""
        tax = self.extractor.taxonomy
        concept = tax.find(name)
        if concept is None:
            found = self.extract(name).skills
            known = [s for s in found if s.known]
            concept = tax.concepts.get(known[0].key) if known else None
        if concept is not None and concept.canonical and concept.canonical in tax.concepts:
            concept = tax.concepts[concept.canonical]
        return concept


_INDEXES: weakref.WeakKeyDictionary[KnowledgeBase, SkillIndex] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def index_for(kb: KnowledgeBase) -> SkillIndex:
    """The skill index of a knowledge base (one per knowledge-base object)."""
    with _INDEXES_LOCK:
        index = _INDEXES.get(kb)
        if index is None:
            index = _INDEXES[kb] = SkillIndex(kb)
        return index


# No major's code or name is longer; a longer query is refused before SQLite's LIKE (which
# fails on patterns over 50,000 bytes) and the closest-name search (difflib, per major) see it.
MAX_MAJOR_QUERY = 200


def find_majors(kb: KnowledgeBase, query: str) -> list[Major]:
    """Majors with a training plan whose code or name matches ``query``, best first."""
    q = query.strip()
    if len(q) > MAX_MAJOR_QUERY:
        raise UserFacingError(f"a major is named by its code or name, at most {MAX_MAJOR_QUERY} characters; "
                              f"this one has {len(q):,}")
    with kb.db.session() as s:
        rows = s.execute(
            select(PlanItem.major_code, PlanItem.major_name)
            .where(or_(PlanItem.major_code == q, PlanItem.major_name == q, PlanItem.major_name.contains(q)))
            .distinct()).all()
        catalogue = s.execute(select(MajorRow.code, MajorRow.name, MajorRow.level, MajorRow.category,
                                     MajorRow.status).where(or_(MajorRow.code == q, MajorRow.name == q))).all()
    exact = sorted(rows, key=lambda r: (r[0] != q and r[1] != q, len(r[1])))
    out = []
    for code, name in exact:
        extra = next((r for r in catalogue if r[0] == code), None)
        out.append(Major(code, name, *(extra[2:] if extra else ("", "", ""))))
    return out
