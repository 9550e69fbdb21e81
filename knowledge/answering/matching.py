"""The ways a question can name an entity, strictest first: codes, names and aliases
(stemmed for English), a marked name scored by n-grams and difflib, and for Chinese
occupation names the e5 embedding model. Each returns groups of candidates, one group per
name found; ``entities.resolve`` decides between them."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

import snowballstemmer

from knowledge.answering.attributes import detect_attribute
from knowledge.answering.names import (
    Candidate,
    NameIndex,
    nearest_profiles,
    ngrams,
    norm_code,
    norm_name,
)
from knowledge.store.base import KnowledgeBase

AMBIGUITY_MARGIN = 0.05
FUZZY_ACCEPT = 0.86
FUZZY_FLOOR = 0.5
_MAJOR_CODE = re.compile(r"(?<![\d.\-])(\d{6}[TK]{0,2})(?![\d])")
_CIP = re.compile(r"(?<![\d.])(\d{2}\.\d{4})(?![\d])")
_ONET = re.compile(r"(?<![\d])(\d{2}-\d{4}(?:\.\d{2})?)(?![\d])")
_ISCO = re.compile(r"(?<![\d.\-])(\d{4}\.\d{1,2})(?![\d])")
_COURSE = re.compile(r"\b([A-Za-z]{2,5})\s?(\d{3,4}[A-Za-z]?)\b")
# A name the question marks as a major/course/occupation, so an unknown one is "nonexistent".
_ZH_MARK = re.compile(r"([\u4e00-\u9fffA-Za-z0-9（）()]{2,24}?)(专业|这门课|课程|职业|岗位)")
# where a marked name starts: after the last of these (not 与 or 学, which names contain: 大数据与会计)
_ZH_CUT = re.compile(r".*(?:的|了|是|读|报|选|问|解|关于|请|我|想|个|和|或|在|对|从|有|该|把|给)")
_EN_MARK = re.compile(r"((?:[A-Za-z&\-]+\s+){1,6}?)(?:major|programme|program|degree)\b", re.I)
_EN_MAJOR_IN = re.compile(r"\bmajor(?:ing)? in ((?:[A-Za-z&\-]+\s?){1,6})", re.I)
_EN_STOP = frozenset("a an the in on for about to is are what which who how do does can my i want "
                     "study studying or its this that your graduates students courses course "
                     "core internships certificates jobs choose should".split())
# Words that point at a major without naming one ("哪些专业", "该专业").
_ZH_GENERIC = re.compile(r"什么|哪|这|那|该|本|其|相关|对口|热门|其他|所学|各|每|同一|不同|一个|几个")
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """"nurse" and "Nursing" meet at "nurs": the user's word form rarely matches the name's."""
    return str(_STEMMER.stemWord(word)) if word.isalpha() and len(word) >= 4 else word


def by_code(index: NameIndex, question: str) -> tuple[list[list[Candidate]], str, list[Candidate]]:
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


def _probes(index: NameIndex) -> list[tuple[str, str, str]]:
    """Each alias as searched for: itself (Chinese), " words " and " stemmed words " (English);
    computed once per index, since every question scans them all."""
    if index.probes is None:
        probes = []
        for alias in index.by_name:
            if re.search(r"[\u4e00-\u9fff]", alias):
                probes.append((alias, alias, ""))
            else:
                stemmed = " " + " ".join(_stem(w) for w in alias.split()) + " " if len(alias) >= 5 else ""
                probes.append((alias, f" {alias} ", stemmed))
        index.probes = probes
    return index.probes


def by_name(index: NameIndex, question: str) -> tuple[list[list[Candidate]], str]:
    """Exact names and aliases inside the question; a longer match hides the ones inside it."""
    text, stemmed = _question_views(question)
    hits: list[tuple[int, int, str, str]] = []
    for alias, probe, sprobe in _probes(index):
        pos = text.find(probe)
        if pos >= 0:
            hits.append((pos, pos + len(probe), alias, "name"))
        elif sprobe and (pos := stemmed.find(sprobe)) >= 0:
            hits.append((pos + 10_000, pos + 10_000 + len(sprobe), alias, "stem"))
    hits = [h for h in hits if not any(o[0] <= h[0] and h[1] <= o[1] and (o[1] - o[0]) > (h[1] - h[0])
                                       for o in hits)]
    if any(h[3] == "name" for h in hits):  # a stemmed match inside an exact one is noise
        hits = [h for h in hits if h[3] == "name"]
    hits.sort(key=lambda h: h[0])  # in the order the question names them
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


def marked_names(question: str) -> list[str]:
    """The names a question marks as majors, courses or occupations, as written."""
    return [span for span, _ in _spans(question)]


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


def similar(index: NameIndex, name: str, kind: str, limit: int = 4) -> list[Candidate]:
    """Entities of a kind whose names are closest to ``name`` (a major without a plan gets
    the planned majors with similar names offered instead)."""
    key = norm_name(name)
    pool = {a for gram in ngrams(key) for a in index.grams.get(gram, ())}
    scored = sorted(((_similarity(key, a), a) for a in pool if a != key), reverse=True)
    out: list[Candidate] = []
    for score, alias in scored:
        for e in index.by_name[alias]:
            if e.kind == kind and (kind != "major" or e.has_plan) and e not in [c.entity for c in out]:
                out.append(Candidate(e, round(score, 3), "nearest"))
    return out[:limit]


def by_fuzzy(index: NameIndex, question: str) -> tuple[list[list[Candidate]], str, list[Candidate]]:
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
        close = [c for c in cands if c.confidence >= cands[0].confidence - AMBIGUITY_MARGIN]
        if cands and cands[0].confidence >= FUZZY_ACCEPT and len({c.entity.name for c in close}) == 1:
            return [close], span, []  # one clear name (several levels of it are narrowed later)
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


_ZH_OCCUPATION = re.compile(r"人员|员|师|士|工程师|专员|经理|顾问|开发者")
_ZH_SUBJECT = re.compile(r"^(?:[A-Za-z*\s]+中?|在|请问)?\s*([\u4e00-\u9fff]{2,12}?)"
                         r"(?:的|需要|要求|有哪些|是什么|主要|负责|做什么|干什么|[？?，,。（(])")
# calibrated on two dozen Chinese occupation names against the O*NET/ESCO profile names:
# right matches score 0.88-0.92, unrelated names (厨师, 律师, 导游) stay below 0.84
EMBEDDING_ACCEPT, EMBEDDING_MARGIN = 0.88, 0.015


def by_meaning(kb: KnowledgeBase, index: NameIndex, question: str) -> list[list[Candidate]]:
    """A Chinese occupation name ("软件开发人员") for an English profile, by embedding; only
    when the question asks an occupation attribute and the best name clearly wins."""
    attribute = detect_attribute(question, "occupation")
    subject = _ZH_SUBJECT.search(question)
    if attribute is None or attribute.kind != "occupation" or subject is None \
            or not _ZH_OCCUPATION.search(subject.group(1)):
        return []
    ranked = nearest_profiles(kb, index, subject.group(1))
    if not ranked:
        return []
    top, best = ranked[0]
    same = [(e, s) for e, s in ranked if _stemmed(e.name) == _stemmed(top.name)]
    rival = next((s for e, s in ranked if _stemmed(e.name) != _stemmed(top.name)), 0.0)
    if best < EMBEDDING_ACCEPT or best - rival < EMBEDDING_MARGIN:
        return []
    # the same occupation in O*NET and ESCO: one answer that cites both, not a question back
    return [[Candidate(e, round(s, 3), "embedding")] for e, s in same]


def _stemmed(name: str) -> str:
    return " ".join(_stem(w) for w in name.lower().split())


def _similarity(a: str, b: str) -> float:
    """difflib ratio, raised when one name contains the other (Chinese names nest)."""
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    if a in b or b in a:
        ratio = max(ratio, 0.5 + 0.5 * min(len(a), len(b)) / max(len(a), len(b)))
    return ratio

