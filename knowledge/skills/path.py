"""A student's path: from a major to a target job, what the major gives, what is missing, where
the knowledge base teaches each missing skill, and a short plan with prerequisites first.

Where skills are taught (courses, other majors' courses, certificates) is read once per store
revision (``TeachingIndex``), so a path after the first costs one extraction of the target."""

from __future__ import annotations

import re
import threading
import weakref
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from knowledge.errors import UserFacingError
from knowledge.skills.gap import requirement_lines
from knowledge.skills.index import COVERING_GROUPS, GROUP_ORDER, evidence, index_for, sentence
from knowledge.skills.internships import qualified_lines, resolve_major
from knowledge.skills.occupations import occupation_skills
from knowledge.skills.path_results import HaveSkill, LearnPlace, MissingSkill, PathResult, PlanStep, Target
from knowledge.skills.results import Evidence, Major
from knowledge.skills.taxonomy import Taxonomy
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import Course, Document, PlanItem

COURSE_CODE = re.compile(r"\b[A-Z]{2,5}\s?\d{3,4}[A-Z]?\b")
_LABEL = re.compile(r"^[^:：]{1,20}[:：]\s*")
_NAMED_CODE = re.compile(r"^(.+?)\s*[（(]\s*([A-Z]{2,5}\s?\d{3,4}[A-Z]?)\s*[)）]$")
_PER_KIND = {"course": 3, "elective": 3, "certificate": 2}
_KIND_ORDER = {"course": 0, "elective": 1, "certificate": 2}  # a course names its code and prerequisites


@dataclass(frozen=True)
class Place:
    """A place that teaches skills: the learn entry and the skill keys it teaches."""

    entry: LearnPlace
    keys: frozenset[str]
    named: frozenset[str]  # the keys its title (or plan item) names; the rest only its description
    major: tuple[str, str] = ("", "")


@dataclass(frozen=True)
class Asked:
    """A skill the target asks for, named as ``skills extract`` names it."""

    key: str
    id: str
    label: str
    label_zh: str
    uri: str
    known: bool
    quote: str


def split_items(line: str) -> list[str]:
    """"专业核心课程：软件工程、Web 开发技术等。" -> the items it lists."""
    body = _LABEL.sub("", line.strip(), count=1)
    parts = re.split(r"[、，,;；]|\s+and\s+", body)
    out = [re.sub(r"(等|etc)?[。.\s]*$", "", p.strip()).strip() for p in parts]
    return [p for p in out if 2 <= len(p) <= 60]


def _what_it_teaches(description: str | None) -> str:
    """A course page's description proper: catalogue pages wrap it in credit hours,
    prerequisites ("declared COSC major") and fees, which name no skill the course teaches."""
    text = description or ""
    body = re.search(r"^Description\s*$(.+?)(?=^(?:Repeatability|Note|Additional Fee|From)\b|\Z)", text, re.M | re.S)
    return body.group(1).strip() if body else text


def norm_code(code: str) -> str:
    """Course codes compare without spaces: "COSC 3380" is "COSC3380"."""
    return re.sub(r"\s+", "", code).upper()


@dataclass(frozen=True)
class Teaching:
    """Every place that teaches a skill, each course's prerequisite codes, every course by code."""

    places: list[Place]
    prereqs: dict[str, list[str]]
    courses: dict[str, LearnPlace]


class TeachingIndex:
    """Courses, other majors' courses and certificates with the skills each teaches, per revision."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._lock = threading.Lock()
        self._state: tuple[str, Teaching] | None = None

    def current(self) -> Teaching:
        """The teaching of the store as it is now (rebuilt when its revision moved)."""
        revision = self.kb.db.revision()
        with self._lock:
            if self._state is None or self._state[0] != revision:
                self._state = (revision, self._build())
            return self._state[1]

    def _build(self) -> Teaching:
        extractor = index_for(self.kb).extractor
        with self.kb.db.session() as s:
            courses = s.execute(select(Course.code, Course.title, Course.prerequisites, Course.description,
                                       Course.locator, Document.source)
                                .join(Document, Document.id == Course.document_id)).all()
            items = s.execute(select(PlanItem.major_code, PlanItem.major_name, PlanItem.group, PlanItem.text,
                                     PlanItem.locator, Document.source)
                              .join(Document, Document.id == PlanItem.document_id)
                              .where(PlanItem.group.in_(("core", "foundation", "certificate")))).all()
        found = extractor.extract_many([t for c in courses for t in (c[1], _what_it_teaches(c[3]))], embed=False)
        places: list[Place] = []
        prereqs: dict[str, list[str]] = {}
        catalogue: dict[str, LearnPlace] = {}
        for n, (code, title, prereq, _description, locator, source) in enumerate(courses):
            in_title, in_text = set(found[2 * n].keys()), set(found[2 * n + 1].keys())
            prereqs.setdefault(norm_code(code), [norm_code(c) for c in COURSE_CODE.findall(prereq or "")])
            entry = LearnPlace(title=title, source=source, locator=locator, kind="course", code=code,
                               prerequisites=prereq if prereq and prereq.lower() != "none" else "")
            catalogue.setdefault(norm_code(code), entry)
            if in_title | in_text:
                places.append(Place(entry, frozenset(in_title | in_text), frozenset(in_title)))
        named = [(row, name) for row in items for name in split_items(row[3])]
        keys = extractor.extract_many([name for _, name in named], embed=False)
        for ((code, name, group, _text, locator, source), item), extraction in zip(named, keys, strict=True):
            if not extraction.skills:
                continue
            coded = _NAMED_CODE.match(item)
            kind = "certificate" if group == "certificate" else "elective"
            entry = LearnPlace(title=coded.group(1) if coded else item, source=source, locator=locator, kind=kind,
                               code=coded.group(2) if coded else "", major=f"{code} {name}".strip())
            places.append(Place(entry, frozenset(extraction.keys()), frozenset(extraction.keys()), (code, name)))
        return Teaching(places, prereqs, catalogue)


_INDEXES: weakref.WeakKeyDictionary[KnowledgeBase, TeachingIndex] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def teaching_for(kb: KnowledgeBase) -> TeachingIndex:
    """The teaching index of a knowledge base (one per knowledge-base object)."""
    with _INDEXES_LOCK:
        return _INDEXES.setdefault(kb, TeachingIndex(kb))


def identity(tax: Taxonomy, key: str, fallback: str) -> tuple[str, str, str, str]:
    """(id, label, label_zh, uri) of a skill key as ``skills extract`` reports it."""
    concept = tax.concepts.get(key)
    if concept is None:
        return key, fallback, "", ""
    if key in tax.canonical and concept.uri:
        esco = tax.concepts.get("esco:" + concept.uri.rsplit("/", 1)[-1])
        if esco is not None:
            return esco.id, esco.label, concept.label_zh, esco.uri
    return concept.id, concept.label, concept.label_zh, concept.uri


def target_skills(kb: KnowledgeBase, job_text: str | None, occupation: str | None) -> tuple[Target, list[Asked]]:
    """The skills a job text (via the extractor) or an occupation profile (its own list) asks for."""
    index = index_for(kb)
    if occupation:
        occ = occupation_skills(kb, occupation)
        ref = occ.occupation
        asked = []
        tax = index.extractor.taxonomy
        for s in occ.skills:
            quote = s.evidence[0].quote if s.evidence else ""
            # Named as ``skills extract`` names the profile's own words ("SQL", not its group).
            named = tax.lookup(quote) if quote else None
            own = named is not None and (named.canonical or named.id) == s.id
            sid, label, label_zh, uri = identity(tax, named.id if own and named else s.id, s.skill)
            asked.append(Asked(s.id, sid, label, label_zh or s.skill_zh, uri, True, quote))
        source = occ.skills[0].evidence[0].source if occ.skills and occ.skills[0].evidence else ""
        return Target("occupation", ref.name, source, ref.code), asked
    # Front matter, headings and the company's own facts (location, salary) are not asked for.
    text = "\n".join(requirement_lines(job_text or ""))
    if not text:
        raise UserFacingError("give the job text, a file or an occupation")
    found = index.extract(text).skills
    asked = [Asked(f.key, f.id, f.label, f.label_zh, f.uri, f.known, sentence(text, f.mentions[0].text))
             for f in found]
    return Target("job", job_name(job_text or "")), list({a.key: a for a in asked}.values())


def job_name(text: str) -> str:
    """What a job text calls itself: its front-matter title, first heading, or first line."""
    titled = re.search(r"^(?:title\s*:|#+)\s*(.+)$", text, re.M)
    first = next((ln.strip() for ln in text.splitlines() if ln.strip() and ln.strip() != "---"), "")
    return (titled.group(1) if titled else first).strip()[:80]


def _learn(places: list[Place], key: str, major: Major) -> tuple[tuple[LearnPlace, ...], LearnPlace | None]:
    """Where one skill is taught outside the major (named in a title first, courses before
    electives and certificates, a few of each kind), and the first that names it in its title:
    a course whose description only mentions the skill is listed, but not put in the plan."""
    taken: dict[str, int] = defaultdict(int)
    seen: set[str] = set()
    out: list[LearnPlace] = []
    strong: LearnPlace | None = None
    ranked = sorted((p for p in places if key in p.keys), key=lambda p: (key not in p.named, _KIND_ORDER[p.entry.kind]))
    for place in ranked:
        e = place.entry
        if place.major == (major.code, major.name) or e.title.lower() in seen:
            continue
        if taken[e.kind] < _PER_KIND[e.kind]:
            taken[e.kind] += 1
            seen.add(e.title.lower())
            out.append(e)
            strong = strong or (e if key in place.named else None)
    return tuple(out), strong


def _plan(picks: list[tuple[str, LearnPlace]], teaching: Teaching, own: set[str]) -> tuple[PlanStep, ...]:
    """One place per missing skill, prerequisites not yet taken added first (topological order)."""
    chosen: dict[str, tuple[LearnPlace, list[str]]] = {}
    for label, first in picks:
        key = norm_code(first.code) if first.code else first.title
        chosen.setdefault(key, (first, []))[1].append(label)
    order: list[str] = []
    visiting: set[str] = set()

    def visit(code: str) -> None:
        if code in order or code in visiting:  # done, or a cycle in the catalogue: stop there
            return
        visiting.add(code)
        for pre in teaching.prereqs.get(code, []):
            if pre in teaching.courses and pre not in own:
                visit(pre)
        visiting.discard(code)
        order.append(code)

    for key, (place, _) in chosen.items():
        if place.kind == "course":
            visit(key)
    order += [k for kind in ("elective", "certificate") for k, (p, _) in chosen.items() if p.kind == kind]
    steps = []
    for n, key in enumerate(order[:10], start=1):
        place, skills = chosen[key] if key in chosen else (teaching.courses[key], [])
        why = "" if skills else "prerequisite"
        steps.append(PlanStep(step=n, title=place.title, kind=place.kind, source=place.source,
                              locator=place.locator, skills=tuple(skills), code=place.code, why=why))
    return tuple(steps)


def path(kb: KnowledgeBase, major: str, *, job_text: str | None = None,
         occupation: str | None = None) -> PathResult:
    """What a major gives towards a target, what is missing, where to learn it, in what order."""
    found = resolve_major(kb, major)
    target, asked = target_skills(kb, job_text, occupation)
    index = index_for(kb)
    teaching = teaching_for(kb).current()
    gives = _with_own_courses(index.major_skills().get((found.code, found.name), {}), teaching)
    # A skill its plan names only inside another thing's compound ("软件建模" for 3D modelling)
    # is partly given, as by an ability line, however core the course.
    weak = qualified_lines(kb, found)
    have: list[HaveSkill] = []
    missing: list[MissingSkill] = []
    picks: list[tuple[str, LearnPlace]] = []
    for a in asked:
        evidence = sorted(gives.get(a.key, []), key=lambda e: GROUP_ORDER.index(e.group))
        if evidence:
            covering = [e for e in evidence if e.group in COVERING_GROUPS]
            firm = any((e.quote, a.key) not in weak for e in covering)
            status = "covered" if firm else "partial"
            have.append(HaveSkill(a.id, a.label, status, tuple(evidence[:3]), a.label_zh, a.uri))
        else:
            learn, strong = _learn(teaching.places, a.key, found)
            missing.append(MissingSkill(a.id, a.label, learn, a.known, a.label_zh, a.uri, a.quote))
            picks += [(a.label, strong)] if strong else []
    have.sort(key=lambda h: h.status != "covered")
    # Prerequisites that are the major's own courses need not be taken again.
    return PathResult(major=found, target=target, have=tuple(have), missing=tuple(missing),
                      plan=_plan(picks, teaching, set(_own_courses(gives))))


def _own_courses(gives: dict[str, list[Evidence]]) -> dict[str, Evidence]:
    """Course code -> the core or foundation plan line of the major that names it."""
    out: dict[str, Evidence] = {}
    for ev in gives.values():
        for e in ev:
            if e.group in COVERING_GROUPS:
                for code in COURSE_CODE.findall(e.quote):
                    out.setdefault(norm_code(code), e)
    return out


def _with_own_courses(gives: dict[str, list[Evidence]], teaching: Teaching) -> dict[str, list[Evidence]]:
    """The major's skills plus what its own courses (named by code in its plan) teach by the
    course catalogue: a plan line "程序设计基础（CS101）" covers the Python its course page names."""
    out = {key: list(ev) for key, ev in gives.items()}
    own = _own_courses(gives)
    for place in teaching.places:
        line = own.get(norm_code(place.entry.code)) if place.entry.kind == "course" else None
        if line is None:
            continue
        for key in place.keys:
            if not any(e.group in COVERING_GROUPS for e in out.get(key, [])):
                quote = f"{line.quote} — {place.entry.code} {place.entry.title}"
                out.setdefault(key, []).append(evidence(line.source, line.locator, quote, line.group))
    return out
