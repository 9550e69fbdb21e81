"""Internship and job postings ranked for a student: how much of what each asks the major (or
the student's own skill list) covers, with matched and missing skills and the posting cited.

One document often holds several postings (a heading or a numbered entry each), so postings
are cut from the stored chunks, not taken per document; they are read and their skills found
once per store revision (``PostingIndex``)."""

from __future__ import annotations

import difflib
import re
import threading
import weakref
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select

from knowledge.errors import MajorNotFound, UserFacingError
from knowledge.skills.gap import requirement_lines
from knowledge.skills.index import COVERING_GROUPS, find_majors, index_for
from knowledge.skills.path_results import InternshipsResult, PostingFit
from knowledge.skills.results import FoundSkill, Major
from knowledge.skills.taxonomy import Taxonomy, norm
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import ChunkRow, Document, PlanItem

POSTING_TYPES = ("internship", "enterprise_requirement")
# Longer than any one posting: a catalogue or a data set filed under a posting type by mistake.
MAX_POSTING_CHARS = 6000
# Shorter than any posting: a title line or a company line cut off by the loader.
MIN_POSTING_CHARS = 120
_LEVEL_RANK = {"4": 0, "5": 0, "3": 1, "6": 2, "7": 2}
# Headings that are a section of one posting, not a posting of their own.
_SECTION = re.compile(
    r"requirement|qualification|responsibilit|dut(y|ies)|about|benefit|salary|apply|contact|overview|skills?$"
    r"|what (?:you|we)|you will|you'll|who you are|looking for|your role|the role|job description|key tasks"
    r"|nice to have|must have|offer|perks|location|how to"
    r"|任职|要求|职责|资格|技能|福利|待遇|薪资|简介|介绍|申请|联系|概况|说明|描述|工作内容|希望你|你将|负责"
    r"|地点|时间", re.I)
_PLACE = re.compile(r"^(page|row|sheet|slide)\s*\d+$|^第\s*\d+\s*页$|, row \d+$", re.I)
# "1. Data Analyst Intern - DataWorks Analytics Ltd." / "二、护理实习生（市人民医院）"
_ENTRY = re.compile(r"^\s*(?:\d{1,2}[.、)）]|[一二三四五六七八九十]{1,2}[、.])\s*(.{2,100})$")
_MARKER = re.compile(r"^\s*(?:【(.+)】|\[(.+)\])\s*$")
_POSTING_WORD = re.compile(
    r"\b(intern|trainee|assistant|engineer|analyst|designer|developer|technician|nurse|operator|specialist"
    r"|artist|editor|programmer|machinist|inspector)s?\b|实习生|实习岗|岗位|工程师|设计师|专员|助理|技术员|护士|操作员|剪辑师",
    re.I)
# A first line that names a post, for a posting whose file name does not; broader than the
# words that open a numbered entry, where "1. 会计、财务管理专业" is a requirement.
_POST_NAME = re.compile(
    _POSTING_WORD.pattern + r"|\b(driver|clerk|accountant|cashier|chef|teacher|agent|manager|officer)s?\b"
    r"|司机|文员|会计|出纳|收银|厨师|导游|客服|前台|店员|教师|主管|经理|招聘", re.I)
_COMPANY = re.compile(
    r"(?:(?:公司名称|实习单位|用人单位|企业名称)\s*[:：]?|(?:公司|单位|招聘单位|招聘企业|Company|Employer|Organi[sz]ation)\s*[:：])"
    r"\s*([^\n，,。;；（(]+)", re.I)
# A section label the loader ran into its first line ("What we are looking for Java, SQL…"):
# the label is about the employer, the rest is asked for, so they go on lines of their own.
# The label's own line only ("\n" is not in the class): one that spans lines is quadratic.
_LABEL_RUN_ON = re.compile(
    r"^([^\w\n]*(?:what you(?:'ll| will) do|what we(?:'re| are) looking for|who you are|about you|about the role"
    r"|requirements|responsibilities|qualifications|job description|duties)\s*[:：]?)[ \t]+(?=\S)", re.I | re.M)
_TITLE_SPLIT = re.compile(r"\s+[-–—]\s+|[：:]\s*")


@dataclass(frozen=True)
class Posting:
    """One posting and the skills it asks for."""

    source: str
    doc_type: str
    title: str
    company: str
    locator: str
    text: str
    skills: tuple[FoundSkill, ...]


def _join(parts: list[str]) -> str:
    """Chunk texts in order, the overlap the splitter repeats at each seam dropped once.
    Pieces are joined once at the end: growing one string copies it at every chunk, quadratic
    in a document of thousands of chunks (a 6 MB one took 4 s at each index build)."""
    pieces: list[str] = []
    tail = ""  # the last 150 characters so far: where a seam's overlap can be
    for part in parts:
        cut = next((n for n in range(min(len(tail), len(part), 150), 20, -1) if tail.endswith(part[:n])), 0)
        piece = f"\n{part[cut:]}" if tail and not cut else part[cut:]
        pieces.append(piece)
        tail = (tail + piece)[-150:]
    return "".join(pieces).strip()


def _key(locator: str) -> str:
    """The part of a chunk's locator that names a posting: no sections, pages or rows."""
    parts = [p.strip() for p in re.split(r"\s*[›·]\s*", locator) if p.strip()]
    return " › ".join(p for p in parts if not _PLACE.search(p) and not _SECTION.search(p))


def _start(line: str) -> str:
    """The title a line opens a posting with: a numbered entry naming a post, or a heading the
    chunker kept inline ("【星河传媒：UI 设计实习生】") that is not a section of one posting."""
    marker = _MARKER.match(line)
    if marker:
        head = (marker.group(1) or marker.group(2)).rsplit(" › ", 1)[-1].strip()
        return "" if _SECTION.search(head) else head
    entry = _ENTRY.match(line)
    if entry and _POSTING_WORD.search(entry.group(1)) and not line.rstrip().endswith(("。", "；", ";")):
        return entry.group(1).strip()
    return ""


def _entries(text: str) -> list[tuple[str, str]]:
    """(title, text) of each posting in a run of text; one entry when it holds one posting."""
    starts = [(m.start(), title) for m in re.finditer(r"^.*$", text, re.M) if (title := _start(m.group(0)))]
    if len(starts) < 2:
        return [("", text)]
    ends = [start for start, _ in starts[1:]] + [len(text)]
    return [(title, text[start:end].strip()) for (start, title), end in zip(starts, ends, strict=True)]


def _merge_short(groups: dict[str, list[str]]) -> dict[str, list[str]]:
    """Groups of chunks with a group too short to be a posting (a title line, "Company: …" the
    loader took for a heading) joined to the group after it."""
    out: dict[str, list[str]] = {}
    carry: list[str] = []
    keys = list(groups)
    for n, key in enumerate(keys):
        parts = carry + groups[key]
        if n + 1 < len(keys) and len(_join(parts)) < MIN_POSTING_CHARS:
            carry = parts
            continue
        out[key], carry = parts, []
    return out


def _without(text: str, company: str) -> str:
    """A posting's text without the lines that only name its company: not asked for."""
    if not company:
        return text
    return "\n".join(ln for ln in text.splitlines() if company not in ln or len(ln.strip()) > len(company) + 12)


def _names_post(line: str, source: str = "") -> bool:
    """A short line that names a post ("数控车铣实习生", "Software Developer Intern"), and is
    not just the file's own name."""
    line = line.strip()
    if not line or len(line) > 80 or (source and line in (Path(source).stem, Path(source).name)):
        return False
    return bool(_POST_NAME.search(line))


def _name(heading: str, text: str, fallback: str) -> tuple[str, str]:
    """(title, company) of a posting from its heading ("星河传媒：UI 设计实习生") and text."""
    company = _COMPANY.search(text)
    head = heading.rsplit(" › ", 1)[-1] if heading else fallback
    parts = [p.strip() for p in _TITLE_SPLIT.split(head, maxsplit=1)]
    title, other = (parts[0], parts[1]) if len(parts) == 2 else (head, "")
    if len(parts) == 2 and _POSTING_WORD.search(parts[1]) and not _POSTING_WORD.search(parts[0]):
        title, other = parts[1], parts[0]  # "星河传媒：UI 设计实习生": the company comes first
    other = re.sub(r"\s*(?:招聘|招募|诚聘|急聘|is hiring|hiring)$", "", other.strip(), flags=re.I)
    return title.strip(), (company.group(1).strip() if company else other)


_NAMED_MAJOR = 0.25


def major_name_pattern(major: Major) -> re.Pattern[str]:
    """The major's Chinese name or one of its English names, as a posting would write them;
    built once per ranking, not once per posting."""
    names = [re.escape(en) for en, codes in english_major_names().items() if major.code in codes and len(en) > 4]
    parts = ([re.escape(major.name.lower())] if major.name else []) + [rf"\b{en}\b" for en in names]
    return re.compile("|".join(parts) or r"(?!)")


@lru_cache(maxsize=1)
def english_major_names() -> dict[str, list[str]]:
    """English major name -> codes (one name may be a vocational and an undergraduate major)."""
    table = Path(__file__).resolve().parents[1] / "data" / "major_names.tsv"
    out: dict[str, list[str]] = defaultdict(list)
    for row in (line.split("\t") for line in table.read_text(encoding="utf-8").splitlines()):
        for en in row[2].split("|") if len(row) > 2 else []:
            out[norm(en)].append(row[0].strip())
    return out


def resolve_major(kb: KnowledgeBase, query: str) -> Major:
    """The major a code or name means; an unknown one is an error naming the closest majors."""
    majors = find_majors(kb, query) or [m for code in english_major_names().get(norm(query), [])
                                         for m in find_majors(kb, code)]
    if majors:
        # One name at several levels (510204 and 310204 数字媒体技术): a vocational college's
        # own level first, as entity resolution does.
        exact = [m for m in majors if query.strip() in (m.code, m.name)] or majors
        return sorted(exact, key=lambda m: _LEVEL_RANK.get(m.code[:1], 3))[0]
    with kb.db.session() as s:
        known = s.execute(select(PlanItem.major_code, PlanItem.major_name).distinct()).all()
    q = query.strip().lower()

    def closeness(code: str, name: str) -> float:
        shared = len(set(q) & set(name.lower())) / max(len(set(q) | set(name.lower())), 1)
        return max(difflib.SequenceMatcher(None, q, name.lower()).ratio(), shared,
                   difflib.SequenceMatcher(None, q, code).ratio())

    closest = sorted(known, key=lambda r: -closeness(r[0], r[1]))[:3]
    raise MajorNotFound(query, [(str(c), str(n)) for c, n in closest])


class PostingIndex:
    """The postings of one knowledge base, re-read when its store revision moves."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._lock = threading.Lock()
        self._state: tuple[str, tuple[Posting, ...]] | None = None

    def postings(self) -> tuple[Posting, ...]:
        """The postings as the store holds them now (re-read when its revision moved)."""
        revision = self.kb.db.revision()
        with self._lock:
            if self._state is None or self._state[0] != revision:
                self._state = (revision, self._build())
            return self._state[1]

    def _build(self) -> tuple[Posting, ...]:
        with self.kb.db.session() as s:
            rows = s.execute(select(Document.source, Document.doc_type, Document.title, ChunkRow.locator,
                                    ChunkRow.text)
                             .join(Document, Document.id == ChunkRow.document_id)
                             .where(Document.doc_type.in_(POSTING_TYPES))
                             .order_by(Document.source, ChunkRow.ordinal)).all()
        docs: dict[tuple[str, str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for source, doc_type, title, locator, text in rows:
            groups = docs[(source, doc_type, title)]
            key = _key(locator)
            # A chunk under no posting heading belongs to the posting before it.
            groups[key if key or not groups else next(reversed(groups))].append(text)
        found: list[tuple[str, str, str, str, str, str, str]] = []
        for (source, doc_type, title), groups in docs.items():
            groups = _merge_short(groups)
            if len(groups) == 1:  # one posting, or numbered postings in one run of text
                text = _join(next(iter(groups.values())))
                for head, body in _entries(text):
                    first, rest = (body.split("\n", 1) + [""])[:2]
                    if head and _start(first):
                        found.append((source, doc_type, *_name(head, body, title), head, body, rest))
                    elif not head and _names_post(first) and not _names_post(title, source):
                        # A file named "notice.txt" whose first line is "Software Developer Intern".
                        found.append((source, doc_type, *_name(first.strip(), body, title), "", body, rest))
                    else:
                        found.append((source, doc_type, *_name(head, body, title), head, body, body))
            else:
                for key, parts in groups.items():
                    body = _join(parts)
                    found.append((source, doc_type, *_name(key, body, title), key, body, body))
        found = [f for f in found if len(f[5]) <= MAX_POSTING_CHARS]
        # A posting's own title line ("1. Ward Nursing Intern - …") is not something it asks for.
        asked = ["\n".join(requirement_lines(_LABEL_RUN_ON.sub(r"\1\n", _without(f[6], f[3])))) for f in found]
        extractions = index_for(self.kb).extractor.extract_many(asked)
        return tuple(Posting(source, doc_type, title, company, locator, body, extraction.skills)
                     for (source, doc_type, title, company, locator, body, _), extraction
                     in zip(found, extractions, strict=True))


_INDEXES: weakref.WeakKeyDictionary[KnowledgeBase, PostingIndex] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def postings_for(kb: KnowledgeBase) -> tuple[Posting, ...]:
    """Every posting the knowledge base holds, with its skills (cached per store revision)."""
    with _INDEXES_LOCK:
        index = _INDEXES.setdefault(kb, PostingIndex(kb))
    return index.postings()


_CJK = re.compile(r"[\u3400-\u9fff]")
# How much a plan line's mention of a skill counts when it names the skill only inside a
# compound whose own qualifier comes first ("软件建模" holds 建模 = 3D modelling). Of such
# compounds in the corpus plans most are the skill (智慧物流, 多轴数控加工) but the wrong ones
# (软件建模, 财务机器人) decide rankings: a quarter let a software major's only 3D evidence stay
# below a developer posting (bench: 17 of 18 postings first, against 16 at a half).
_QUALIFIED = 0.25


def qualified(tax: Taxonomy, phrase: str) -> bool:
    """A Chinese phrase that names a skill only as the tail of a compound with a qualifier of its
    own ("软件建模与设计" -> 建模, "用户运营" -> 运营): the qualifier may make it another thing
    (software modelling is not 3D modelling), so such a line is weaker evidence than one that
    names the skill itself ("三维建模", "数据库技术", "数控编程与加工")."""
    key = norm(phrase)
    if not _CJK.search(key) or tax.lookup(phrase) is not None:
        return False
    for size in range(len(key) - 1, 1, -1):  # the longest alias inside, as ``Taxonomy.within``
        if size < 0.5 * len(key):
            return False
        start = next((n for n in range(len(key) - size + 1) if key[n:n + size] in tax.strong), None)
        if start is not None:
            return bool(_CJK.search(key[:start]))
    return False


def qualified_lines(kb: KnowledgeBase, major: Major) -> set[tuple[str, str]]:
    """(plan line, skill key) where the major's plan line names the skill only inside a
    qualified compound (see ``qualified``)."""
    index = index_for(kb)
    skills = index.major_skills().get((major.code, major.name), {})
    quotes = sorted({e.quote for ev in skills.values() for e in ev})
    tax = index.extractor.taxonomy
    return {(quote, s.key) for quote, found in zip(quotes, index.extractor.extract_many(quotes, embed=False),
                                                   strict=True)
            for s in found.skills if all(qualified(tax, m.text) for m in s.mentions)}


def major_strength(kb: KnowledgeBase, major: Major) -> dict[str, float]:
    """Skill key -> how firmly the major's plan gives it: 1.0 when a core or foundation course
    teaches it, 0.5 when only abilities, internships or certificates name it, a quarter of that
    for a line that names it only inside a qualified compound (see ``qualified``)."""
    skills = index_for(kb).major_skills().get((major.code, major.name), {})
    weak = qualified_lines(kb, major)
    return {key: max((1.0 if e.group in COVERING_GROUPS else 0.5) * (_QUALIFIED if (e.quote, key) in weak else 1.0)
                     for e in evidence)
            for key, evidence in skills.items()}


def internships(kb: KnowledgeBase, major: str | None, *, skills: list[str] | None = None,
                top: int = 5) -> InternshipsResult:
    """Postings ranked by how much of what each asks the major or the student's skills cover."""
    if not major and not skills:
        raise UserFacingError("give a major or a list of skills")
    index = index_for(kb)
    found = resolve_major(kb, major) if major else None
    strength = major_strength(kb, found) if found is not None else {}
    named_major = major_name_pattern(found) if found is not None else None
    own = [s.strip() for s in skills or [] if s.strip()]
    # Each item of the student's list is a skill name: the taxonomy first, then the extractor.
    tax = index.extractor.taxonomy
    named = {item: tax.find(item) for item in own}
    listed = [(c.canonical or c.id, c.label) for c in named.values() if c is not None]
    listed += [(s.key, s.label) for e in index.extractor.extract_many([i for i, c in named.items() if c is None])
               for s in e.skills]
    strength.update({key: 1.0 for key, _ in listed})
    fits: list[tuple[float, bool, PostingFit]] = []
    for posting in postings_for(kb):
        asked = {s.key: s for s in posting.skills}
        known = [k for k, s in asked.items() if s.known]
        if not known:
            continue
        matched = [s.label for k, s in asked.items() if k in strength]
        # Unrecognised phrases are listed as missing but do not rank: the taxonomy cannot tell
        # a requirement from a stray phrase, and a major's plan is read by known skills.
        missing = sorted((s.label for k, s in asked.items() if k not in strength), key=lambda label: (
            not any(s.known for s in posting.skills if s.label == label)))
        coverage = round(sum(strength.get(k, 0.0) for k in known) / len(known), 3)
        # A posting that names the major among those it wants ("现代物流管理专业在校生") was
        # written for it: it ranks as if the major covered a quarter more of it.
        names_major = named_major is not None and named_major.search(posting.text.lower()) is not None
        fits.append((coverage + (_NAMED_MAJOR if names_major else 0.0), names_major, PostingFit(
            source=posting.source, title=posting.title, coverage=coverage, matched=tuple(matched),
            missing=tuple(missing), locator=posting.locator, company=posting.company,
            doc_type=posting.doc_type, quote=posting.text[:300], names_major=names_major)))
    fits.sort(key=lambda f: (-f[0], not f[1], -f[2].coverage, -len(f[2].matched), f[2].source, f[2].locator))
    return InternshipsResult(major=found, postings=tuple(f[2] for f in fits[:top]),
                             skills=tuple(dict.fromkeys(label for _, label in listed)))
