"""Hybrid retrieval: dense vectors (Chroma) and BM25 (bm25s over jieba tokens), each run on
the question and on its terms in the other language, fused by reciprocal rank, then scored
for relevance so that a question the knowledge base cannot answer is recognised as such.

Relevance of a candidate blends two signals in [0, 1]: how close its vector is to the
question's, and what share of the question's concepts (IDF-weighted) it contains, where a
concept is a word of the question or a glossary term together with its translations — so
"数据库" is found in a chunk that says "database", but a question whose rare words appear
nowhere is not answered from a chunk that merely shares its common ones. An exact code named
in the question ("COSC 3320", "510204") lifts a chunk that contains it in the ranking.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from typing import Any

import numpy as np
from sqlalchemy import select

from knowledge.language import make_question, tokenize
from knowledge.retrieval.keyword import KeywordIndex
from knowledge.schema import DocType, Hit, Question
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import ChunkRow, Document

RRF_K = 60
# The fused rank orders candidates; relevance decides among close ones and gates answers.
RRF_WEIGHT = 0.25
MAX_PER_DOCUMENT = 2
# e5 cosine similarities sit in a narrow band; this maps it onto [0, 1].
DENSE_LOW, DENSE_HIGH = 0.78, 0.92
DENSE_WEIGHT = 0.4
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


class Retriever:
    """Finds the passages that answer a question; one per process, reused across questions."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._index: KeywordIndex | None = None
        self._lock = threading.Lock()

    # -- keyword index ----------------------------------------------------------------

    def keyword_index(self) -> KeywordIndex:
        revision = self.kb.db.revision()
        self.kb.follow_revision(revision)
        with self._lock:
            if self._index is None or self._index.revision != revision:
                self._index = KeywordIndex.build(self.kb, revision)
            return self._index

    # -- dense --------------------------------------------------------------------------

    def _dense(self, vector: list[float], n: int, doc_types: set[str] | None) -> list[str]:
        return self.kb.vectors.nearest(vector, n, doc_types)

    def _cosines(self, ids: list[str], vectors: list[list[float]]) -> dict[str, float]:
        if not ids:
            return {}
        found, stored = self.kb.vectors.vectors(ids)
        matrix = np.asarray(stored, dtype=np.float32)
        if matrix.size == 0:
            return {}
        queries = np.asarray(vectors, dtype=np.float32)
        sims = (matrix @ queries.T).max(axis=1)
        return dict(zip(found, map(float, sims), strict=True))

    # -- search -------------------------------------------------------------------------

    def search(
        self,
        question: str | Question,
        *,
        k: int | None = None,
        doc_types: set[str] | None = None,
        role: str | None = None,
    ) -> list[Hit]:
        """The ``k`` best passages, best first, each with its relevance in ``score``."""
        q = question if isinstance(question, Question) else make_question(question, role)
        role = role or q.role
        k = k or self.kb.settings.store.top_k
        n = self.kb.settings.store.candidates
        idx = self.keyword_index()
        tokens = list(q.tokens)
        gloss_tokens = list(q.gloss_tokens)
        embed = self.kb.embeddings
        vectors = [embed.embed_query(q.text)]
        if gloss_tokens:
            vectors.append(embed.embed_query(q.gloss))
        lists = [idx.search(tokens, n, doc_types)]
        if gloss_tokens:
            lists.append(idx.search(tokens + gloss_tokens, n, doc_types))
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
        codes = query_codes(q.text)
        top_rrf = max(fused.values())
        preferred = {t.value for t in ROLE_TYPES.get(role or "", set())}
        position = {cid: i for i, cid in enumerate(idx.ids)}
        concepts = concepts_of(q)
        hits: list[Hit] = []
        for chunk_id in candidates:
            row = rows.get(chunk_id)
            if row is None:
                continue  # vector whose SQL row is gone (mid-ingest): skip it
            at = position.get(chunk_id)
            chunk_tokens = idx.token_sets[at] if at is not None else frozenset()
            lexical = self._coverage(idx, concepts, chunk_tokens)
            cos = cosines.get(chunk_id, 0.0)
            dense = min(1.0, max(0.0, (cos - DENSE_LOW) / (DENSE_HIGH - DENSE_LOW)))
            relevance = DENSE_WEIGHT * dense + (1 - DENSE_WEIGHT) * lexical
            score = RRF_WEIGHT * fused[chunk_id] / top_rrf + (1 - RRF_WEIGHT) * relevance
            if codes:
                header = re.sub(r"\s+", "", row["header"]).lower()
                body = re.sub(r"\s+", "", row["text"]).lower()
                if any(code in header for code in codes):
                    score += 0.3
                elif any(code in body for code in codes):
                    score += 0.15
            if row["doc_type"] in preferred:
                score += 0.03
            hits.append(Hit(chunk_id=chunk_id, score=score, dense=cos, lexical=lexical,
                            relevance=relevance, **row))
        hits.sort(key=lambda h: h.score, reverse=True)
        return _diverse(hits, k)

    @staticmethod
    def _coverage(idx: KeywordIndex, concepts: list[list[list[str]]],
                  chunk: frozenset[str]) -> float:
        """IDF-weighted share of the question's concepts that ``chunk`` contains."""
        total = found = 0.0
        for alternatives in concepts:
            source = alternatives[0]
            weight = max((idx.idf(t) for t in source), default=0.0)
            # Part of a multi-word term counts for less than its share: "数据" and "技术"
            # alone are not "大数据技术".
            best = max(
                ((sum(1 for t in alt if t in chunk) / len(alt)) ** 2
                 for alt in alternatives if alt),
                default=0.0,
            )
            total += weight
            found += weight * best
        return found / total if total else 0.0

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


def concepts_of(question: str | Question) -> list[list[list[str]]]:
    """The question as concepts: each is a list of alternative token lists, the first being
    the question's own words (glossary terms also carry their translations)."""
    q = question if isinstance(question, Question) else make_question(question)
    concepts: list[list[list[str]]] = []
    claimed: set[str] = set()
    for term, translations in q.terms:
        source = tokenize(term)
        if not source:
            continue
        concepts.append([source, *(tokenize(t) for t in translations)])
        claimed.update(source)
    for token in dict.fromkeys(q.tokens):
        if token not in claimed:
            concepts.append([[token]])
    return concepts
