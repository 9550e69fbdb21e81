"""What a question asks about an entity (core courses, prerequisites, job zone, tuition …)
and where that is held, from ``data/attributes.tsv``: a vocabulary, not code, so curators
can add a trigger word or an attribute the corpus never holds without touching Python."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from knowledge.answering.names import DATA


@dataclass(frozen=True)
class Attribute:
    """An attribute of an entity kind; ``held`` is empty when the corpus never holds it."""

    name: str
    kind: str  # major / course / occupation / any
    held: tuple[str, ...]  # plan:core, course:prerequisites, onet:job_zone, …
    trigger: str = ""  # the words of the question that named it

    @property
    def never(self) -> bool:
        return not self.held


@lru_cache(maxsize=1)
def attribute_table() -> tuple[tuple[Attribute, tuple[str, ...]], ...]:
    """Each attribute with its trigger words (both languages, lower-cased)."""
    rows = []
    for line in (DATA / "attributes.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("#", "attribute\t")):
            continue
        name, kind, held, zh, en = (line.split("\t") + [""] * 5)[:5]
        places = () if held.strip() == "never" else tuple(held.strip().split("+"))
        triggers = tuple(t.strip().lower() for t in f"{zh}|{en}".split("|") if t.strip())
        rows.append((Attribute(name.strip(), kind.strip(), places), triggers))
    return tuple(rows)


def _occurs(trigger: str, text: str) -> bool:
    if re.search(r"[\u4e00-\u9fff]", trigger):
        return trigger in text
    return re.search(rf"(?<![a-z]){re.escape(trigger)}(?![a-z])", text) is not None


def detect_attribute(question: str, kind: str | None) -> Attribute | None:
    """The attribute the question asks for, for an entity of ``kind`` (None: any kind).

    A never-held attribute wins over held ones (a salary question must be declined even if
    it also says "jobs"); otherwise the longest trigger wins ("核心课程" over "课程").
    """
    text = question.lower()
    best: tuple[bool, int, Attribute] | None = None
    for attribute, triggers in attribute_table():
        if kind is not None and attribute.kind not in ("any", kind):
            continue
        for trigger in triggers:
            if _occurs(trigger, text):
                key = (attribute.never, len(trigger), attribute)
                if best is None or key[:2] > best[:2]:
                    best = key
    if best is None:
        return None
    attribute = best[2]
    trigger = max((t for a, ts in attribute_table() if a == attribute for t in ts if _occurs(t, text)),
                  key=len)
    return Attribute(attribute.name, attribute.kind, attribute.held, trigger)


def held_attributes(kind: str) -> tuple[str, ...]:
    """The attributes the knowledge base can hold for an entity kind, in table order."""
    seen: list[str] = []
    for attribute, _ in attribute_table():
        if attribute.kind == kind and not attribute.never and attribute.name not in seen:
            seen.append(attribute.name)
    return tuple(seen)
