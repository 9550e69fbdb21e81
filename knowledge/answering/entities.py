"""Which major, course or occupation a question names, and what it asks about it.

Answering from an entity's own record beats retrieval when one is named; saying that a code
does not exist, or that an attribute is never held, beats answering for a neighbour. Order:
exact codes, exact names and aliases (either language), fuzzy n-gram match on a named span,
then (occupations only) the e5 embedding model. The caller falls back to retrieval on NONE.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

import snowballstemmer
from sqlalchemy import select

from knowledge.answering.attributes import Attribute, detect_attribute
from knowledge.answering.names import Entity, NameIndex, NameIndexCache, ngrams, norm_code, norm_name
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import ChunkRow

__all__ = ["Attribute", "Candidate", "Entity", "Outcome", "Resolution", "resolve"]


class Outcome(StrEnum):
    RESOLVED = "resolved"  # one entity (and maybe an attribute it holds)
    AMBIGUOUS = "ambiguous"  # several entities fit equally: ask which
    NONEXISTENT = "nonexistent"  # a code or name that matches nothing: offer the nearest
    UNHELD = "unheld"  # entity known, attribute not held for it: say what is held
    NONE = "none"  # no entity named: fall back to retrieval


@dataclass(frozen=True)
class Candidate:
    entity: Entity
    confidence: float  # 1.0 exact code or name, lower for aliases, fuzzy and embedding matches
    how: str  # code / name / stem / fuzzy / partial (a name containing it) / nearest


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


_MAJOR_CODE = re.compile(r"(?<![\d.\-])(\d{6}[TK]{0,2})(?![\d])")
_CIP = re.compile(r"(?<![\d.])(\d{2}\.\d{4})(?![\d])")
_ONET = re.compile(r"(?<![\d])(\d{2}-\d{4}(?:\.\d{2})?)(?![\d])")
_ISCO = re.compile(r"(?<![\d.\-])(\d{4}\.\d{1,2})(?![\d])")
_COURSE = re.compile(r"\b([A-Za-z]{2,5})\s?(\d{3,4}[A-Za-z]?)\b")
# A name the question marks as a major/course/occupation, so an unknown one is "nonexistent".
_ZH_MARK = re.compile(r"([\u4e00-\u9fffA-Za-z0-9（）()]{2,24}?)(专业|这门课|课程|职业|岗位)")
_ZH_CUT = re.compile(r".*(?:的|了|是|读|学|报|选|问|解|关于|请|我|想|个|和|与|或|在|对|从|有|该|把|给)")
_EN_MARK = re.compile(r"((?:[A-Za-z&\-]+\s+){1,6}?)(?:major|programme|program|degree)\b", re.I)
_EN_MAJOR_IN = re.compile(r"\bmajor(?:ing)? in ((?:[A-Za-z&\-]+\s?){1,6})", re.I)
_EN_STOP = frozenset("a an the in on for about to is are what which who how do does can my i want "
                     "study studying or its this that your graduates students courses course "
                     "core internships certificates jobs choose should".split())
# Words that point at a major without naming one ("哪些专业", "该专业").
_ZH_GENERIC = re.compile(r"什么|哪|这|那|该|本|其|相关|对口|热门|其他|所学|各|每|同一|不同|一个|几个")
_LEVEL_WORDS = (("职教本科", "职教本科"), ("职业本科", "职教本科"), ("高职", "高职专科"),
                ("专科", "高职专科"), ("中职", "中职"), ("本科", "本科"),
                ("vocational undergraduate", "职教本科"), ("vocational bachelor", "职教本科"),
                ("higher vocational", "高职专科"), ("associate", "高职专科"),
                ("secondary vocational", "中职"), ("undergraduate", "本科"))
# A vocational college's own majors come first when a name exists at several levels.
_LEVEL_PREFERENCE = {"高职专科": 0, "职教本科": 1, "中职": 2, "本科": 3, "CIP": 4}
AMBIGUITY_MARGIN = 0.05
FUZZY_ACCEPT = 0.86
FUZZY_FLOOR = 0.5

_cache = NameIndexCache()
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """"nurse" and "Nursing" meet at "nurs": the user's word form rarely matches the name's."""
    return str(_STEMMER.stemWord(word)) if word.isalpha() and len(word) >= 4 else word


def resolve(kb: KnowledgeBase, question: str, language: str) -> Resolution:
    """Find the entity the question names, the attribute it asks for and whether it is held."""
    index = _cache.get(kb)
    found, named, missing = _by_code(index, question)
    if not found and not missing:
        found, named = _by_name(index, question)
    if not found and not missing:
        found, named, missing = _by_fuzzy(index, question)
    if (missing or named) and not found:
        if named and _mentioned(kb, named):  # held as text, just not as an entity: retrieve it
            return Resolution(Outcome.NONE, question, language, (), detect_attribute(question, None))
        return Resolution(Outcome.NONEXISTENT, question, language, tuple(missing[:5]),
                          detect_attribute(_without(question, [named]), None), named)
    if not found:
        return Resolution(Outcome.NONE, question, language, (), detect_attribute(question, None))
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


def _by_code(index: NameIndex, question: str) -> tuple[list[list[Candidate]], str, list[Candidate]]:
    """Exact codes; a well-formed code that matches nothing gives the nearest real ones."""
    found: list[list[Candidate]] = []
    missing: list[Candidate] = []
    named = ""
    spans = [(m.group(1), "major") for rx in (_MAJOR_CODE, _CIP) for m in rx.finditer(question)]
    spans += [(m.group(1), "occupation") for rx in (_ONET, _ISCO) for m in rx.finditer(question)]
    spans += [(f"{m.group(1)} {m.group(2)}", "course") for m in _COURSE.finditer(question)
              if m.group(1).upper() in index.course_prefixes]
    for code, kind in spans:
        key = norm_code(code)
        hits = index.by_code.get(key) or (index.by_code.get(key + ".00") if kind == "occupation" else None)
        if hits:
            found.append([Candidate(e, 1.0, "code") for e in hits])
        elif not named:
            named, missing = code, _nearest_codes(index, key, kind)
    return found, named, missing


def _nearest_codes(index: NameIndex, key: str, kind: str) -> list[Candidate]:
    """Real codes of the same kind sharing the longest prefix, numerically closest first."""
    def distance(code: str) -> tuple[int, int]:
        shared = len(next(iter([p for p in (code[:i] for i in range(len(key), 0, -1))
                                if key.startswith(p)]), ""))
        digits = re.sub(r"\D", "", code)[:8] or "0"
        return -shared, abs(int(digits) - int(re.sub(r"\D", "", key)[:8] or "0"))
    pool = [e for es in index.by_code.values() for e in es if e.kind == kind]
    pool.sort(key=lambda e: distance(norm_code(e.code)))
    return [Candidate(e, 0.0, "nearest") for e in pool[:5]]


def _question_views(question: str) -> tuple[str, str]:
    """The question lower-cased with spaced words, and the same with English words stemmed."""
    text = " " + re.sub(r"[^\w\u4e00-\u9fff&+#\-]+", " ", question.lower()).strip() + " "
    stemmed = " " + " ".join(_stem(w) for w in text.split()) + " "
    return text, stemmed


def _by_name(index: NameIndex, question: str) -> tuple[list[list[Candidate]], str]:
    """Exact names and aliases inside the question; a longer match hides the ones inside it."""
    text, stemmed = _question_views(question)
    hits: list[tuple[int, int, str, str]] = []
    for alias in index.by_name:
        cjk = bool(re.search(r"[\u4e00-\u9fff]", alias))
        probe = alias if cjk else f" {alias} "
        pos = text.find(probe)
        if pos >= 0:
            hits.append((pos, pos + len(probe), alias, "name"))
        elif not cjk and len(alias) >= 5:
            sprobe = " " + " ".join(_stem(w) for w in alias.split()) + " "
            pos = stemmed.find(sprobe)
            if pos >= 0:
                hits.append((pos + 10_000, pos + 10_000 + len(sprobe), alias, "stem"))
    hits = [h for h in hits if not any(o[0] <= h[0] and h[1] <= o[1] and (o[1] - o[0]) > (h[1] - h[0])
                                       for o in hits)]
    hits.sort(key=lambda h: (h[0] >= 10_000, -(h[1] - h[0])))
    groups: list[list[Candidate]] = []
    for _, _, alias, how in hits:
        score = 1.0 if how == "name" else 0.9
        group = [Candidate(e, score if norm_name(e.name) == alias else score - 0.02, how)
                 for e in index.by_name[alias]]
        if not any({c.entity for c in group} & {c.entity for c in g} for g in groups):
            groups.append(group)
    return groups, hits[0][2] if hits else ""


_MARK_KIND = {"专业": "major", "这门课": "course", "课程": "course", "职业": "occupation",
              "岗位": "occupation"}


def _spans(question: str) -> list[tuple[str, str]]:
    """Names the question marks as such ("…专业", "the … major"), even unknown, with a kind."""
    spans: list[tuple[str, str]] = []
    for m in _ZH_MARK.finditer(question):
        span = _ZH_CUT.sub("", m.group(1))
        if not _ZH_GENERIC.search(span):
            spans.append((span, _MARK_KIND[m.group(2)]))
    for rx in (_EN_MARK, _EN_MAJOR_IN):
        for m in rx.finditer(question):
            words = m.group(1).split()
            cut = max((i + 1 for i, w in enumerate(words) if w.lower() in _EN_STOP), default=0)
            words = words[cut:] if rx is _EN_MARK else words
            while words and words[-1].lower() in _EN_STOP | {"and", "of"}:
                words.pop()
            spans.append((" ".join(words), "major"))
    return [(s, k) for s, k in spans if len(s) >= 2 and not s.isdigit()]


def _by_fuzzy(index: NameIndex, question: str) -> tuple[list[list[Candidate]], str, list[Candidate]]:
    """N-gram candidates scored with difflib; an unmatched marked name gives the nearest."""
    for span, kind in _spans(question):
        key = norm_name(span)
        pool: dict[str, int] = {}
        for gram in ngrams(key):
            for alias in index.grams.get(gram, ()):
                if any(e.kind == kind for e in index.by_name[alias]):
                    pool[alias] = pool.get(alias, 0) + 1
        ranked = sorted(pool, key=lambda a: -pool[a])[:40]
        scored = sorted(((_similarity(key, a), a) for a in ranked), reverse=True)
        cands = [Candidate(e, round(s, 3), "fuzzy") for s, a in scored[:8]
                 for e in index.by_name[a] if e.kind == kind]
        if cands and cands[0].confidence >= FUZZY_ACCEPT:
            return [[c for c in cands if c.confidence >= cands[0].confidence - AMBIGUITY_MARGIN]], span, []
        containing = [a for _, a in scored if key in a]
        if containing:
            # names containing what was written ("计算机", "Big Data"): one name resolves (its
            # levels are narrowed later), several are ambiguous
            how = "stem" if len(containing) == 1 else "partial"
            top = max(_similarity(key, a) for a in containing)
            return [[Candidate(e, top, how) for a in containing[:8] for e in index.by_name[a]
                     if e.kind == kind]], span, []
        return [], span, cands[:5]
    return [], "", []


def _similarity(a: str, b: str) -> float:
    """difflib ratio, raised when one name contains the other (Chinese names nest)."""
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    if a in b or b in a:
        ratio = max(ratio, 0.5 + 0.5 * min(len(a), len(b)) / max(len(a), len(b)))
    return ratio


def _narrow(group: list[Candidate], attribute: Attribute | None, question: str) -> list[Candidate]:
    """Order same-name candidates: level the question names, records holding the attribute,
    then the college's own level; ties left within the margin stay ambiguous."""
    lowered = question.lower()
    wanted = next((lvl for word, lvl in _LEVEL_WORDS if word in lowered), "")
    if wanted:
        group = [c for c in group if c.entity.level == wanted] or group
    if any(c.how in ("fuzzy", "partial") for c in group):  # different names: the user must choose
        return sorted(group, key=lambda c: -c.confidence)
    if attribute is not None and not attribute.never:
        holding = [c for c in group if _holds(c.entity, attribute)]
        group = holding or group
    if len({c.entity.kind for c in group}) == 1 and group[0].entity.kind == "major":
        group = sorted(group, key=lambda c: (-c.confidence, not c.entity.has_plan,
                                             _LEVEL_PREFERENCE.get(c.entity.level, 9)))
        if len(group) > 1 and group[0].confidence - group[1].confidence <= AMBIGUITY_MARGIN:
            # same name at several levels: the preferred one wins, a little less sure
            lead = group[0]
            group = [Candidate(lead.entity, lead.confidence - 0.1, lead.how),
                     *(Candidate(c.entity, c.confidence - 0.2, c.how) for c in group[1:])]
    return sorted(group, key=lambda c: -c.confidence)
