"""Bilingual glossary for cross-language keyword search.

BM25 cannot see that 数据库 and "database" are the same word; the embedding model can, but
not reliably for short technical terms. A question is therefore also searched with its known
terms put into the other language. The glossary is data (``data/lexicon.tsv``), not code.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from knowledge.text import detect_language

_PATH = Path(__file__).parent / "data" / "lexicon.tsv"
_CODE = re.compile(r"\b[A-Za-z]{2,5}\s?\d{3,4}[A-Z]?\b|\b\d[\d\-.]{3,}\d[A-Z]?\b")


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    zh_en: dict[str, tuple[str, ...]] = {}
    en_zh: dict[str, tuple[str, ...]] = {}
    for line in _PATH.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        zh_side, en_side = line.split("\t", 1)
        zh_terms = tuple(t.strip() for t in zh_side.split("|") if t.strip())
        en_terms = tuple(t.strip().lower() for t in en_side.split("|") if t.strip())
        for term in zh_terms:
            zh_en[term] = zh_en.get(term, ()) + en_terms
        for term in en_terms:
            en_zh[term] = en_zh.get(term, ()) + zh_terms
    return zh_en, en_zh


def _longest_matches(text: str, terms: dict[str, tuple[str, ...]], words: bool) -> list[str]:
    """Terms found in ``text``, longest first and not overlapping one another."""
    taken = [False] * len(text)
    found: list[tuple[int, str]] = []
    for term in sorted(terms, key=len, reverse=True):
        pattern = re.escape(term)
        if words:
            pattern = rf"(?<![a-z0-9]){pattern}(?:e?s)?(?![a-z0-9])"
        for m in re.finditer(pattern, text):
            if not any(taken[m.start():m.end()]):
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
                found.append((m.start(), term))
    return [term for _, term in sorted(found)]


def find_terms(question: str) -> list[tuple[str, tuple[str, ...]]]:
    """Glossary terms in ``question`` with their translations, in question order."""
    zh_en, en_zh = _load()
    if detect_language(question) == "zh":
        return [(t, zh_en[t]) for t in _longest_matches(question, zh_en, words=False)]
    return [(t, en_zh[t]) for t in _longest_matches(question.lower(), en_zh, words=True)]


def translate_terms(question: str) -> str:
    """The question's known terms in the other language, plus any codes it names."""
    out = [translations[0] for _, translations in find_terms(question)]
    seen: list[str] = []
    for word in [*out, *_CODE.findall(question)]:
        if word not in seen:
            seen.append(word)
    return " ".join(seen)
