"""Concept-level scores for the skill-extraction scorer (``bench/skills_extract.py``): did the extractor
name the right ESCO concept, not only find the words?

A gold record carries concept gold when it has a ``"concepts"`` list (ESCO URIs the sentence asks for,
empty when none fits). Two scores come from it:

* **sentence** — the set of URIs the output names for the sentence (every skill with a ``uri``) against
  the record's ``"concepts"``: micro precision, recall and F1 over all sentences, the way sentence →
  ESCO-skill benchmarks count. Works for records without spans (``eval/skills/en_concepts_dev.jsonl``
  holds sentences written with concepts only).
* **span** — for records that also have spans: a mention whose skill has a ``uri`` pairs one-to-one with an
  overlapping gold span carrying the *same* ``uri``. Precision = such pairs / mentions with a URI; recall =
  pairs / gold spans with a URI. A mention that links where the annotator found no concept counts against
  precision.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

Span = tuple[int, int]
Pairing = Callable[[list[Span], list[Span]], list[tuple[int, int]]]


def _prf(tp: int, predicted: int, actual: int) -> dict[str, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / actual if actual else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def same_concept_pairs(mentions: list[tuple[Span, str]], gold: list[tuple[Span, str]], pair: Pairing) -> int:
    """How many (mention, gold span) pairs overlap and share a URI, each side used at most once
    (``pair`` is the scorer's one-to-one overlap pairing, run per URI)."""
    by_uri: dict[str, tuple[list[Span], list[Span]]] = defaultdict(lambda: ([], []))
    for span, uri in mentions:
        by_uri[uri][0].append(span)
    for span, uri in gold:
        by_uri[uri][1].append(span)
    return sum(len(pair(ms, gs)) for ms, gs in by_uri.values() if ms and gs)


def named_uris(prediction: dict | None) -> set[str]:
    """The ESCO URIs an output line names (skills with a non-empty ``uri``)."""
    skills = (prediction or {}).get("skills") or []
    return {s["uri"] for s in skills if isinstance(s, dict) and isinstance(s.get("uri"), str) and s["uri"]}


def table_notes(report: dict) -> list[str]:
    """The concept scores of one language's report, for the scorer's plain-text table."""
    return [f"{key} P/R/F1={c['precision']:.3f}/{c['recall']:.3f}/{c['f1']:.3f}"
            for key in ("concept_span", "concept_sentence") if (c := report.get(key))]


def check_concepts(rec: dict) -> list[str]:
    """Problems with the concept fields of one gold record (empty when valid or absent)."""
    problems = []
    concepts = rec.get("concepts")
    if concepts is not None and not (isinstance(concepts, list) and all(isinstance(c, str) for c in concepts)):
        problems.append(f"{rec.get('id')}: concepts must be a list of URI strings")
    for s in rec.get("spans") or []:
        if "uri" in s and not isinstance(s["uri"], str):
            problems.append(f"{rec.get('id')}: span {s.get('text')!r} has a non-string uri")
    return problems


@dataclass
class ConceptTally:
    """Running concept counts for one language."""

    sentences: int = 0
    sentence_tp: int = 0
    sentence_pred: int = 0
    sentence_gold: int = 0
    span_sentences: int = 0
    span_tp: int = 0
    span_pred: int = 0
    span_gold: int = 0

    def add(self, rec: dict, predicted: set[str], mentions: list[tuple[Span, str]] | None,
            gold: list[tuple[Span, str]] | None, pair: Pairing) -> None:
        """One record with concept gold: the output's URIs, its (span, uri) mentions and the gold
        (span, uri) pairs (``None`` for both when the record has no spans)."""
        wanted = set(rec["concepts"])
        self.sentences += 1
        self.sentence_tp += len(predicted & wanted)
        self.sentence_pred += len(predicted)
        self.sentence_gold += len(wanted)
        if mentions is not None and gold is not None:
            self.span_sentences += 1
            self.span_tp += same_concept_pairs(mentions, gold, pair)
            self.span_pred += len(mentions)
            self.span_gold += len(gold)

    def report(self) -> dict:
        out: dict = {"concept_sentence": _prf(self.sentence_tp, self.sentence_pred, self.sentence_gold)
                     | {"sentences": self.sentences, "named": self.sentence_pred, "gold": self.sentence_gold}}
        if self.span_sentences:
            out["concept_span"] = _prf(self.span_tp, self.span_pred, self.span_gold) | {
                "sentences": self.span_sentences, "paired": self.span_tp, "linked_mentions": self.span_pred,
                "gold": self.span_gold}
        return out
