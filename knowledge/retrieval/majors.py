"""Browsing and searching majors: catalogue rows (level, class, catalogue status) joined with
the majors that have a training plan, filtered by level and class and searched by code or by
name in either language (an English query finds 数字媒体技术 through the glossary).

The list is small (a few thousand rows for a whole national catalogue), so it is read once per
store revision and filtered in memory: a browse page costs no SQL beyond the revision check.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from knowledge.language import detect_language, find_terms
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import Document, Major, PlanItem

__all__ = ["MajorEntry", "MajorPage", "Facets", "all_majors", "facets", "find", "get", "search"]


@dataclass(frozen=True)
class MajorEntry:
    """One major: its catalogue facts (when a catalogue lists it) and whether a training plan
    describes it (only then has it a skill profile)."""

    code: str
    name: str
    level: str = ""
    category: str = ""
    status: str = ""
    has_plan: bool = False
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class MajorPage:
    """One page of a search: the matching entries and how many matched in all."""

    total: int
    items: tuple[MajorEntry, ...]


@dataclass(frozen=True)
class Facets:
    """The levels and classes to filter by, each with its number of majors."""

    levels: tuple[tuple[str, int], ...]
    categories: tuple[tuple[str, int], ...]


_CACHE: dict[tuple[int, str], tuple[MajorEntry, ...]] = {}
_LOCK = threading.Lock()


def all_majors(kb: KnowledgeBase) -> tuple[MajorEntry, ...]:
    """Every major the store knows, by code (cached per store revision)."""
    key = (id(kb), kb.db.revision())
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None:
        return cached
    with kb.db.session() as s:
        catalogue = s.execute(
            select(Major.code, Major.name, Major.level, Major.category, Major.status, Document.source)
            .join(Document, Document.id == Major.document_id)
        ).all()
        planned = s.execute(
            select(PlanItem.major_code, PlanItem.major_name, Document.source)
            .join(Document, Document.id == PlanItem.document_id).distinct()
        ).all()
    merged: dict[tuple[str, str], dict[str, object]] = {}
    by_code: dict[str, dict[str, object]] = {}
    for code, name, level, category, status, source in catalogue:
        entry = merged.setdefault((code, name), {"code": code, "name": name, "level": "",
                                                 "category": "", "status": "", "plan": False,
                                                 "sources": []})
        # A catalogue row fills what a training plan leaves empty; the first non-empty wins.
        for field, value in (("level", level), ("category", category), ("status", status)):
            if value and not entry[field]:
                entry[field] = value
        _add_source(entry, source)
        if code:
            by_code.setdefault(code, entry)
    for code, name, source in planned:
        entry = merged.get((code, name)) or merged.setdefault((code, name), {
            "code": code, "name": name, "level": "", "category": "", "status": "", "plan": False,
            "sources": []})
        entry["plan"] = True
        _add_source(entry, source)
        catalogued = by_code.get(code)
        if catalogued is not None and catalogued is not entry:
            for field in ("level", "category", "status"):
                if not entry[field]:
                    entry[field] = catalogued[field]
    entries = tuple(sorted(
        (MajorEntry(code=str(e["code"]), name=str(e["name"]), level=str(e["level"]),
                    category=str(e["category"]), status=str(e["status"]), has_plan=bool(e["plan"]),
                    sources=tuple(str(x) for x in e["sources"]))  # type: ignore[attr-defined]
         for e in merged.values() if e["code"] or e["name"]),
        key=lambda m: (m.code or "~", m.name)))
    with _LOCK:
        _CACHE.clear()
        _CACHE[key] = entries
    return entries


def _add_source(entry: dict[str, object], source: str) -> None:
    sources = entry["sources"]
    assert isinstance(sources, list)
    if source not in sources:
        sources.append(source)


def _matches(entry: MajorEntry, query: str, terms: list[tuple[str, tuple[str, ...]]]) -> int:
    """0 for no match, else a rank: exact code, code prefix, exact name, name contains, glossary."""
    q = query.casefold()
    name = entry.name.casefold()
    if entry.code and entry.code.casefold() == q:
        return 1
    if entry.code and q.isalnum() and entry.code.casefold().startswith(q):
        return 2
    if name == q:
        return 3
    if q in name:
        return 4
    # Another language: every glossary term of the query must appear translated in the name.
    if terms and all(any(t.casefold() in name for t in translations) for _, translations in terms):
        return 5
    return 0


def search(kb: KnowledgeBase, query: str = "", *, level: str = "", category: str = "",
           plans_only: bool = False, limit: int = 50, offset: int = 0) -> MajorPage:
    """Majors filtered by level and class and matching ``query`` (code or name, either
    language), best match first."""
    entries = [m for m in all_majors(kb)
               if (not level or m.level == level) and (not category or m.category == category)
               and (not plans_only or m.has_plan)]
    q = query.strip()
    if q:
        terms = find_terms(q) if detect_language(q) in ("en", "zh") else []
        ranked = [(rank, m) for m in entries if (rank := _matches(m, q, terms))]
        ranked.sort(key=lambda rm: rm[0])  # stable: code order inside a rank
        entries = [m for _, m in ranked]
    return MajorPage(total=len(entries), items=tuple(entries[offset:offset + limit]))


def facets(kb: KnowledgeBase) -> Facets:
    """Levels and classes present, most majors first."""
    majors = all_majors(kb)
    levels = Counter(m.level for m in majors if m.level)
    categories = Counter(m.category for m in majors if m.category)
    return Facets(levels=tuple(levels.most_common()), categories=tuple(categories.most_common()))


def get(kb: KnowledgeBase, code: str) -> MajorEntry | None:
    """The major with this exact code (a training plan's entry first), if any."""
    return next((m for m in all_majors(kb) if m.code == code), None)


def find(kb: KnowledgeBase, query: str) -> MajorEntry | None:
    """The best major for a code or name, if any."""
    page = search(kb, query, limit=1)
    return page.items[0] if page.items else None
