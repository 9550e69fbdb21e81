"""The keyword side of retrieval: BM25 (bm25s) over the jieba/Snowball tokens stored with
each chunk, rebuilt in memory when the store's revision changes."""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import bm25s
import numpy as np
from sqlalchemy import select

from knowledge.store.base import KnowledgeBase
from knowledge.store.models import ChunkRow


@dataclass
class KeywordIndex:
    """Every chunk's tokens at one store revision, with BM25 and document frequencies."""

    revision: str
    ids: list[str]
    types: np.ndarray
    bm25: Any
    df: Counter[str]
    token_sets: list[frozenset[str]]

    def idf(self, token: str) -> float:
        n = len(self.ids)
        return math.log(1 + (n - self.df.get(token, 0) + 0.5) / (self.df.get(token, 0) + 0.5))

    @classmethod
    def build(cls, kb: KnowledgeBase, revision: str) -> KeywordIndex:
        logging.getLogger("bm25s").setLevel(logging.WARNING)
        with kb.db.session() as s:
            rows = s.execute(select(ChunkRow.id, ChunkRow.tokens, ChunkRow.doc_type)).all()
        ids = [r[0] for r in rows]
        corpus = [r[1].split() or ["\u2205"] for r in rows]
        df: Counter[str] = Counter()
        token_sets = []
        for tokens in corpus:
            unique = frozenset(tokens)
            token_sets.append(unique)
            df.update(unique)
        bm25 = bm25s.BM25()
        if corpus:
            bm25.index(corpus, show_progress=False)
        types = np.array([r[2] for r in rows], dtype=object)
        return cls(revision, ids, types, bm25, df, token_sets)

    def search(self, tokens: list[str], n: int, doc_types: set[str] | None) -> list[str]:
        """Ids of the ``n`` best BM25 matches (only those scoring above zero)."""
        if not self.ids or not tokens:
            return []
        known = [t for t in tokens if t in self.df]
        if not known:
            return []
        mask = None
        if doc_types:
            mask = np.isin(self.types, list(doc_types)).astype(np.float32)
        docs, scores = self.bm25.retrieve([known], k=min(n, len(self.ids)), show_progress=False,
                                          weight_mask=mask)
        return [self.ids[int(d)] for d, s in zip(docs[0], scores[0], strict=True) if s > 0]
