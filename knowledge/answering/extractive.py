"""The extractive answerer: no LLM, never an invented fact. It quotes the lines of the best
passages that bear on the question, numbers them, and cites where each came from; below the
relevance floor it says the knowledge base holds no answer and names the closest topics.
A line that gives orders to an assistant ("ignore previous instructions…", however
keyword-stuffed to be picked) is document text, not an answer: it is never quoted."""

from __future__ import annotations

import re
from collections.abc import Callable

from knowledge.answering.guard import addressed_to_assistant, printable
from knowledge.language import detect_language, tokenize
from knowledge.schema import Answer, Citation, Hit
from prompts import localized

MAX_PASSAGES = 3
MAX_UNIT_CHARS = 320
_SENTENCE = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s+(?=[A-Z0-9])|\n+")


_LIST_MARK = re.compile(r"^\(?\d{1,2}[.)、]?$|^[-*•]$")


def _units(hit: Hit) -> list[str]:
    units: list[str] = []
    pending = ""
    for unit in (u.strip() for u in _SENTENCE.split(printable(hit.text)) if u and u.strip()):
        if _LIST_MARK.match(unit):
            pending = unit  # a bare "1." belongs to the line it numbers
            continue
        if not addressed_to_assistant(unit):
            units.append(f"{pending} {unit}".strip())
        pending = ""
    return [u if len(u) <= MAX_UNIT_CHARS else u[: MAX_UNIT_CHARS - 1] + "…" for u in units]


def excerpt(hit: Hit, question_tokens: set[str], max_units: int = 3,
            weight: Callable[[str], float] | None = None) -> str:
    """The lines of ``hit`` that share the most (rare) words with the question, in order."""
    units = _units(hit)
    if not units:
        return ""
    weigh = weight or (lambda _token: 1.0)
    is_record = all(":" in u for u in units[:2]) and hit.locator.split(",")[-1].strip().startswith("row")
    scored = [(sum(weigh(t) for t in question_tokens & set(tokenize(u))), i)
              for i, u in enumerate(units)]
    best = sorted(scored, key=lambda s: (-s[0], s[1]))
    chosen = {i for score, i in best[:max_units] if score > 0}
    if is_record:
        chosen |= set(range(min(2, len(units))))  # a record's identifying fields
    if not chosen:
        chosen = {0, 1} & set(range(len(units)))
    for i in sorted(chosen):
        # A heading-only line ("Description") says nothing by itself: take the line after it.
        if len(units[i]) < 20 and i + 1 < len(units):
            chosen.add(i + 1)
        # A detail line ("Majors: …") belongs to the item line above it ("1. Data Analyst
        # Intern – DataWorks"): take that too.
        if i > 0 and (len(units[i - 1]) <= 60 or not units[i - 1].endswith(("。", ".", "；", ";"))):
            chosen.add(i - 1)
    return " ".join(units[i] for i in sorted(chosen))


def _label(hit: Hit) -> str:
    for label in (hit.header.split("\n")[0], hit.title):
        if label and not addressed_to_assistant(label):
            return printable(label)
    return hit.source


def refuse(question: str, hits: list[Hit]) -> Answer:
    language = detect_language(question)
    topics: list[str] = []
    for hit in hits:
        label = _label(hit)
        if label not in topics:
            topics.append(label)
        if len(topics) == 3:
            break
    sep = "；" if language == "zh" else "; "
    text = (localized("no_answer", language, topics=sep.join(topics)) if topics
            else localized("no_topics", language))
    return Answer(text=text, grounded=False, citations=(), language=language)


def extractive_answer(question: str, hits: list[Hit], floor: float, gloss: str = "",
                      weight: Callable[[str], float] | None = None,
                      search_text: str = "") -> Answer:
    """Quote the passages above ``floor``; refuse when there are none."""
    language = detect_language(question)
    question_for_quotes = search_text or question
    relevant = [h for h in hits if h.relevance >= floor]
    if not relevant:
        return refuse(question, hits)
    best = relevant[0].relevance
    chosen = [h for h in relevant if h.relevance >= best - 0.3][:MAX_PASSAGES]
    question_tokens = set(tokenize(question_for_quotes)) | set(tokenize(gloss))
    parts = [localized("answer_intro", language)]
    citations: list[Citation] = []
    for hit in chosen:
        quote = excerpt(hit, question_tokens, weight=weight)
        if not quote:
            continue  # nothing in it may be quoted
        parts.append(f"[{len(citations) + 1}] {_label(hit)}: {quote}")
        citations.append(Citation(source=hit.source, title=hit.title, doc_type=hit.doc_type,
                                  locator=hit.locator, score=hit.relevance, quote=quote))
    if not citations:
        return refuse(question, hits)
    return Answer(text="\n\n".join(parts), grounded=True, citations=tuple(citations),
                  language=language)
