"""Which major, course or occupation a question names, and what it asks about it.

Answering from an entity's own record beats retrieval when one is named; saying that a code
does not exist, or that an attribute is never held, beats answering for a neighbour. Order:
exact codes, exact names and aliases (either language), fuzzy n-gram match on a named span,
then (occupations only) the e5 embedding model. The caller falls back to retrieval on NONE.

Use (one question, with the previous turn's resolution when in a conversation)::

    resolution = resolve(kb, question, language)
    carried = carry_subject(previous, question, resolution)          # followup.py
    if isinstance(carried, Resolution):
        resolution = carried                                         # "and its internships?"
    elif carried != question:
        question = carried                                           # retrieve about the subject
    answer = answer_from_record(kb, resolution, role, language)      # records.py; None: retrieve
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select

from knowledge.answering.attributes import Attribute, detect_attribute
from knowledge.answering.matching import (
    AMBIGUITY_MARGIN,
    by_code,
    by_fuzzy,
    by_meaning,
    by_name,
    marked_names,
    similar,
)
from knowledge.answering.names import Candidate, Entity, NameIndex, NameIndexCache, norm_name
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import ChunkRow

__all__ = ["Attribute", "Candidate", "Entity", "Outcome", "Resolution", "related", "resolve"]


class Outcome(StrEnum):
    RESOLVED = "resolved"  # one entity (and maybe an attribute it holds)
    AMBIGUOUS = "ambiguous"  # several entities fit equally: ask which
    NONEXISTENT = "nonexistent"  # a code or name that matches nothing: offer the nearest
    UNHELD = "unheld"  # entity known, attribute not held for it: say what is held
    NONE = "none"  # no entity named: fall back to retrieval


@dataclass(frozen=True)
class Resolution:
    """What the question names and asks; ``candidates[0]`` is the entity unless NONEXISTENT."""

    outcome: Outcome
    question: str
    language: str
    candidates: tuple[Candidate, ...] = ()
    attribute: Attribute | None = None
    named: str = ""  # the code or name as the question wrote it
    also: tuple[Candidate, ...] = ()  # further entities named (comparisons, two documents)

    @property
    def entity(self) -> Entity | None:
        """The entity answered for (RESOLVED and UNHELD only)."""
        if self.outcome in (Outcome.RESOLVED, Outcome.UNHELD) and self.candidates:
            return self.candidates[0].entity
        return None

    @property
    def confidence(self) -> float:
        return self.candidates[0].confidence if self.candidates else 0.0

    def as_json(self) -> dict[str, object]:
        """For ``ask --json`` and the question log: what was understood, not the answer."""
        return {"outcome": self.outcome.value, "named": self.named,
                "attribute": self.attribute.name if self.attribute else None,
                "candidates": [{"kind": c.entity.kind, "code": c.entity.code, "name": c.entity.name,
                                "confidence": c.confidence, "how": c.how} for c in self.candidates[:8]],
                "also": [c.entity.code for c in self.also]}


_LEVEL_WORDS = (("职教本科", "职教本科"), ("职业本科", "职教本科"), ("高职", "高职专科"),
                ("专科", "高职专科"), ("中职", "中职"), ("本科", "本科"),
                ("vocational undergraduate", "职教本科"), ("vocational bachelor", "职教本科"),
                ("higher vocational", "高职专科"), ("associate", "高职专科"),
                ("secondary vocational", "中职"), ("undergraduate", "本科"))
# A vocational college's own majors come first when a name exists at several levels.
_LEVEL_PREFERENCE = {"高职专科": 0, "职教本科": 1, "中职": 2, "本科": 3, "CIP": 4}

_cache = NameIndexCache()
_ASKING = re.compile(r"介绍|了解|一下|请问|想|要|看看|说说|讲讲|查|问|告诉|关于|什么|哪")
_MAJOR_MARK = re.compile(r"专业|\bmajor\b|\bprogram(me)?\b", re.I)
# "接续高职本科专业" names the level of the follow-on majors, not of the one asked about
_FOLLOW_ON_PHRASE = re.compile(r"接续[^，,。？?]*|continue[^,.?]*|follow-on[^,.?]*", re.I)


def resolve(kb: KnowledgeBase, question: str, language: str) -> Resolution:
    """Find the entity the question names, the attribute it asks for and whether it is held."""
    index = _cache.get(kb)
    found, named, missing = by_code(index, question)
    if not found and not missing:
        found, named = by_name(index, question)
    if found and _MAJOR_MARK.search(question) and not any(g[0].entity.kind == "major" for g in found):
        found, named = [], ""  # "the Financial Management major" is not the occupation of that name
    if found and named and _inside_unknown_name(kb, index, question, named):
        found, named = [], ""  # "数据科学与大数据技术专业" is not 大数据技术 (a name inside it)
    if not found and not missing:
        found, named, missing = by_fuzzy(index, question)
    if not found and not named and language == "zh":
        found = by_meaning(kb, index, question)
    if (missing or named) and not found:
        if named and _mentioned(kb, named):  # held as text, just not as an entity: retrieve it
            return Resolution(Outcome.NONE, question, language, (), detect_attribute(question, None))
        return Resolution(Outcome.NONEXISTENT, question, language, tuple(missing[:5]),
                          detect_attribute(_without(question, [named]), None), named)
    if not found:
        return Resolution(Outcome.NONE, question, language, (), detect_attribute(question, None))
    if _MAJOR_MARK.search(question) and any(g[0].entity.kind == "major" for g in found):
        found = [g for g in found if g[0].entity.kind == "major"]  # "… major": not a course title
    first = found[0][0].entity
    # the entity's own words ("Software Developers") must not read as an attribute ("software")
    rest = _without(question, [named, first.code, first.name, first.english])
    attribute = detect_attribute(rest, first.kind)
    groups = [_narrow(g, attribute, question) for g in found]
    best, also = groups[0], tuple(g[0] for g in groups[1:] if g)
    top = best[0]
    if len(best) > 1 and best[1].confidence >= top.confidence - AMBIGUITY_MARGIN:
        return Resolution(Outcome.AMBIGUOUS, question, language, tuple(best), attribute, named, also)
    outcome = Outcome.RESOLVED
    if attribute is not None and (attribute.never or not _holds(top.entity, attribute)):
        outcome = Outcome.UNHELD
    return Resolution(outcome, question, language, tuple(best), attribute, named, also)


def _inside_unknown_name(kb: KnowledgeBase, index: NameIndex, question: str, named: str) -> bool:
    """Whether the matched name is only the end of a longer name the question marks, one the
    passages hold but not as an entity ("数据科学与大数据技术" around "大数据技术"): answering
    for the shorter would answer for a neighbour."""
    key = norm_name(named)
    for span in marked_names(question):
        whole = norm_name(span)
        if whole != key and whole.endswith(key) and whole not in index.by_name \
                and not _ASKING.search(whole[: -len(key)]) and _mentioned(kb, span):
            return True
    return False


def related(kb: KnowledgeBase, entity: Entity, limit: int = 4) -> list[Candidate]:
    """Entities of the same kind with the closest names (for majors: those with a plan)."""
    return similar(_cache.get(kb), entity.name, entity.kind, limit)


def _without(question: str, parts: list[str]) -> str:
    """The question with the given names and codes cut out (case-insensitive)."""
    for part in sorted((p for p in parts if p), key=len, reverse=True):
        question = re.sub(re.escape(part), " ", question, flags=re.I)
    return question


def _mentioned(kb: KnowledgeBase, named: str) -> bool:
    """Whether any passage contains the code or name: then "does not exist" would be false
    (a catalogue ingest may hold rows as text only), and retrieval should answer."""
    with kb.db.session() as s:
        return s.scalar(select(ChunkRow.id).where(ChunkRow.text.contains(named)).limit(1)) is not None


def _holds(entity: Entity, attribute: Attribute) -> bool:
    """Whether this entity can hold the attribute: plan attributes need a training plan."""
    if attribute.kind not in ("any", entity.kind):
        return False
    if entity.kind == "major" and all(h.startswith(("plan:", "chunk:")) for h in attribute.held):
        return entity.has_plan
    return True


def _narrow(group: list[Candidate], attribute: Attribute | None, question: str) -> list[Candidate]:
    """Order same-name candidates: level the question names, records holding the attribute,
    then the college's own level; ties left within the margin stay ambiguous."""
    lowered = _FOLLOW_ON_PHRASE.sub("", question.lower())
    wanted = next((lvl for word, lvl in _LEVEL_WORDS if word in lowered), "")
    if wanted:
        group = [c for c in group if c.entity.level == wanted] or group
    if any(c.how in ("fuzzy", "partial") for c in group):  # different names: the user must choose
        return sorted(group, key=lambda c: -c.confidence)
    asked = attribute is not None and not attribute.never
    if len({c.entity.kind for c in group}) == 1 and group[0].entity.kind == "major":
        # the record that holds what is asked, then the surer name, a plan, the college's level;
        # the others stay in the group, so the answer can say the name exists at other levels
        group = sorted(group, key=lambda c: (asked and attribute is not None and not _holds(c.entity, attribute),
                                             -round(c.confidence, 1), not c.entity.has_plan,
                                             _LEVEL_PREFERENCE.get(c.entity.level, 9)))
        if len(group) > 1 and group[0].confidence - group[1].confidence <= AMBIGUITY_MARGIN:
            # same name at several levels: the preferred one wins, a little less sure
            lead = group[0]
            group = [Candidate(lead.entity, lead.confidence - 0.1, lead.how),
                     *(Candidate(c.entity, c.confidence - 0.2, c.how) for c in group[1:])]
    return sorted(group, key=lambda c: -c.confidence)
