"""Hybrid retrieval: dense vectors (Chroma) and BM25 (bm25s over jieba tokens), each run on
the question and on its terms in the other language, fused by reciprocal rank, then scored
for relevance so that a question the knowledge base cannot answer is recognised as such.

Relevance of a candidate is the mean of two signals in [0, 1]: how close its vector is to the
question's, and what share of the question's rare words (IDF-weighted) it contains. An exact
code named in the question ("COSC 3320", "510204") found in the chunk sets relevance to 1.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

import bm25s
import numpy as np
from sqlalchemy import select

from knowledge.base import KnowledgeBase
from knowledge.lexicon import translate_terms
from knowledge.models import ChunkRow, Document
from knowledge.schema import DocType, Hit
from knowledge.text import tokenize

RRF_K = 60
MAX_PER_DOCUMENT = 2
# e5 cosine similarities sit in a narrow band; this maps it onto [0, 1].
DENSE_LOW, DENSE_HIGH = 0.78, 0.92
_CODE = re.compile(r"\b([A-Za-z]{2,5})\s?(\d{4})\b|\b(\d{6}[A-Z]?)\b|\b(\d{2}-\d{4}\.\d{2})\b"
                   r"|\b(\d{1,2}-\d{2}-\d{2}-\d{2})\b|\b(\d{4}\.\d{1,2})\b")

ROLE_TYPES = {
    "student": {DocType.COURSE, DocType.TRAINING_PLAN, DocType.INTERNSHIP, DocType.MAJOR_CATALOG},
    "enterprise": {DocType.TRAINING_PLAN, DocType.OCCUPATION_PROFILE,
                   DocType.ENTERPRISE_REQUIREMENT, DocType.MAJOR_CATALOG},
}


def query_codes(question: str) -> list[str]:
    """Codes named in a question, normalised without spaces and lower-cased."""
    codes = []
    for m in _CODE.finditer(question):
        if m.group(1):
            codes.append(f"{m.group(1)}{m.group(2)}".lower())
        else:
            codes.append(next(g for g in m.groups()[2:] if g).lower())
    return codes


@dataclass
class _KeywordIndex:
    revision: str
    ids: list[str]
    types: np.ndarray
    bm25: Any
    df: Counter[str]
    token_sets: list[frozenset[str]]

    def idf(self, token: str) -> float:
        n = len(self.ids)
        return math.log(1 + (n - self.df.get(token, 0) + 0.5) / (self.df.get(token, 0) + 0.5))


class Retriever:
    """Finds the passages that answer a question; one per process, reused across questions."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._index: _KeywordIndex | None = None
        self._lock = threading.Lock()

    # -- keyword index ----------------------------------------------------------------

    def keyword_index(self) -> _KeywordIndex:
        revision = self.kb.db.revision()
        with self._lock:
            if self._index is None or self._index.revision != revision:
                self._index = self._build(revision)
            return self._index

    def _build(self, revision: str) -> _KeywordIndex:
        with self.kb.db.session() as s:
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
        return _KeywordIndex(revision, ids, types, bm25, df, token_sets)

    def _bm25(self, idx: _KeywordIndex, tokens: list[str], n: int,
              doc_types: set[str] | None) -> list[str]:
        if not idx.ids or not tokens:
            return []
        known = [t for t in tokens if t in idx.df]
        if not known:
            return []
        mask = None
        if doc_types:
            mask = np.isin(idx.types, list(doc_types)).astype(np.float32)
        docs, scores = idx.bm25.retrieve([known], k=min(n, len(idx.ids)), show_progress=False,
                                         weight_mask=mask)
        return [idx.ids[int(d)] for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    # -- dense --------------------------------------------------------------------------

    def _dense(self, vector: list[float], n: int, doc_types: set[str] | None) -> list[str]:
        where: dict[str, Any] | None = None
        if doc_types:
            where = {"doc_type": {"$in": sorted(doc_types)}}
        collection = self.kb.vector_store._collection
        count = collection.count()
        if count == 0:
            return []
        result = collection.query(query_embeddings=[vector], n_results=min(n, count), where=where,
                                  include=[])
        return list(result["ids"][0])

    def _cosines(self, ids: list[str], vectors: list[list[float]]) -> dict[str, float]:
        if not ids:
            return {}
        got = self.kb.vector_store._collection.get(ids=ids, include=["embeddings"])
        matrix = np.asarray(got["embeddings"], dtype=np.float32)
        if matrix.size == 0:
            return {}
        queries = np.asarray(vectors, dtype=np.float32)
        sims = (matrix @ queries.T).max(axis=1)
        return dict(zip(got["ids"], map(float, sims), strict=True))

    # -- search -------------------------------------------------------------------------

    def search(
        self,
        question: str,
        *,
        k: int | None = None,
        doc_types: set[str] | None = None,
        role: str | None = None,
    ) -> list[Hit]:
        """The ``k`` best passages, best first, each with its relevance in ``score``."""
        k = k or self.kb.settings.top_k
        n = self.kb.settings.candidates
        idx = self.keyword_index()
        gloss = translate_terms(question)
        tokens = tokenize(question)
        gloss_tokens = [t for t in tokenize(gloss) if t not in tokens]
        embed = self.kb.embeddings
        vectors = [embed.embed_query(question)]
        if gloss_tokens:
            vectors.append(embed.embed_query(gloss))
        lists = [self._bm25(idx, tokens, n, doc_types)]
        if gloss_tokens:
            lists.append(self._bm25(idx, tokens + gloss_tokens, n, doc_types))
        lists.extend(self._dense(v, n, doc_types) for v in vectors)
        fused: dict[str, float] = {}
        for ranked in lists:
            for rank, chunk_id in enumerate(ranked):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        if not fused:
            return []
        candidates = sorted(fused, key=fused.__getitem__, reverse=True)[: n * 2]
        cosines = self._cosines(candidates, vectors)
        rows = self._rows(candidates)
        codes = query_codes(question)
        top_rrf = max(fused.values())
        preferred = {t.value for t in ROLE_TYPES.get(role or "", set())}
        position = {cid: i for i, cid in enumerate(idx.ids)}
        hits: list[Hit] = []
        for chunk_id in candidates:
            row = rows.get(chunk_id)
            if row is None:
                continue  # vector whose SQL row is gone (mid-ingest): skip it
            chunk_tokens = idx.token_sets[position[chunk_id]] if chunk_id in position else frozenset()
            lexical = max(self._coverage(idx, tokens, chunk_tokens),
                          self._coverage(idx, gloss_tokens, chunk_tokens) * 0.9)
            cos = cosines.get(chunk_id, 0.0)
            dense = min(1.0, max(0.0, (cos - DENSE_LOW) / (DENSE_HIGH - DENSE_LOW)))
            relevance = 0.5 * dense + 0.5 * lexical
            compact = re.sub(r"\s+", "", f"{row['header']} {row['text']}").lower()
            if codes and any(code in compact for code in codes):
                relevance = max(relevance, 1.0 if any(c in re.sub(r"\s+", "", row["header"]).lower()
                                                      for c in codes) else 0.8)
            score = 0.35 * fused[chunk_id] / top_rrf + 0.65 * relevance
            if row["doc_type"] in preferred:
                score += 0.03
            hits.append(Hit(chunk_id=chunk_id, score=score, dense=cos, lexical=lexical,
                            relevance=relevance, **row))
        hits.sort(key=lambda h: h.score, reverse=True)
        return _diverse(hits, k)

    @staticmethod
    def _coverage(idx: _KeywordIndex, tokens: list[str], chunk: frozenset[str]) -> float:
        unique = list(dict.fromkeys(tokens))
        if not unique:
            return 0.0
        weights = [idx.idf(t) for t in unique]
        found = sum(w for t, w in zip(unique, weights, strict=True) if t in chunk)
        return found / sum(weights)

    def _rows(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        with self.kb.db.session() as s:
            result = s.execute(
                select(ChunkRow.id, ChunkRow.document_id, ChunkRow.header, ChunkRow.text,
                       ChunkRow.locator, ChunkRow.doc_type, ChunkRow.language,
                       Document.source, Document.title)
                .join(Document, Document.id == ChunkRow.document_id)
                .where(ChunkRow.id.in_(ids))
            ).all()
        return {
            r.id: {"doc_id": r.document_id, "header": r.header, "text": r.text,
                   "locator": r.locator, "doc_type": r.doc_type, "language": r.language,
                   "source": r.source, "title": r.title}
            for r in result
        }


def _diverse(hits: list[Hit], k: int) -> list[Hit]:
    """At most ``MAX_PER_DOCUMENT`` passages of one document among the first ``k``."""
    out: list[Hit] = []
    per_doc: Counter[str] = Counter()
    for hit in hits:
        if per_doc[hit.doc_id] < MAX_PER_DOCUMENT:
            out.append(hit)
            per_doc[hit.doc_id] += 1
        if len(out) == k:
            break
    return out
