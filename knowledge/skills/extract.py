"""Open-vocabulary skill extraction: candidate phrases (rules per language), each linked to the
taxonomy; what links to nothing is kept as an unrecognised requirement (``known=False``).

    >>> extractor().extract("熟悉Python、SQL，持叉车证").skills[0].label
    'Python'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from knowledge.skills import extract_en, extract_zh, words_en
from knowledge.skills.link import Link, Linker
from knowledge.skills.results import Extraction, FoundSkill, Mention
from knowledge.skills.taxonomy import DATA, Concept, Taxonomy, norm, taxonomy, unknown_id

Span = tuple[int, int]
_CJK = re.compile(r"[\u3400-\u9fff]")
_CERTIFICATE = re.compile(r"证|资格|执照|职称|licen[cs]e|certificat|qualifi|accredit|chartered", re.I)
MAX_EMBEDDED = 300  # distinct phrases of one text embedded at most (see Extractor._links)
_LANGUAGE = re.compile(r"[英日德法韩俄]语|普通话|粤语|\b(english|german|french|spanish|japanese|mandarin)\b", re.I)


def mentions(text: str) -> list[Span]:
    """Candidate requirement phrases: Chinese rules on lines with Chinese, English rules elsewhere."""
    spans: list[Span] = []
    for line in re.finditer(r"[^\r\n]+", text):  # CRLF and old Mac files: "\r" ends a line too
        body = line.group(0)
        found = extract_zh.candidates(body) if _CJK.search(body) else extract_en.candidates(body)
        spans.extend(_trimmed(text, line.start() + a, line.start() + b) for a, b in found)
    return sorted({(a, b) for a, b in spans if b > a})


def _invisible(char: str) -> bool:
    """Spaces, controls, format marks (zero-width joiner, bidi overrides, BOM) and pictographs:
    no skill name starts or ends with one, and a label carrying a bidi override misleads."""
    return char.isspace() or unicodedata.category(char)[0] in "CZ" or unicodedata.category(char) in ("So", "Sk")


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        end -= 1
    return start, end


def about_the_employer(line: str) -> bool:
    """A line about pay, benefits, the company or how to apply: no requirement in it."""
    if _CJK.search(line):
        return extract_zh.is_noise(line)
    return bool(words_en.NOISE.search(line) or words_en.ABOUT.search(line))


@lru_cache(maxsize=1)
def _senses() -> dict[str, list[tuple[re.Pattern[str], str]]]:
    """Words with a second sense that the words around them pick (``data/senses_en.tsv``):
    "networking" beside sales and clients is building contacts, not computer networks."""
    out: dict[str, list[tuple[re.Pattern[str], str]]] = {}
    for line in (DATA / "senses_en.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            phrase, context, uuid, _label = line.split("\t")
            out.setdefault(norm(phrase), []).append((re.compile(context, re.IGNORECASE), "esco:" + uuid))
    return out


def _in_context(tax: Taxonomy, link: Link, phrase: str, text: str, start: int, end: int) -> Link:
    """The link of a phrase whose line picks its other sense (else the link as it was). The
    context is read within 300 characters either side, so a huge one-line text costs no more."""
    words = norm(phrase).split()
    ambiguous = _senses().keys() & set(words)
    if not ambiguous:
        return link
    line_start = text.rfind("\n", max(0, start - 300), start) + 1 or max(0, start - 300)
    line_end = text.find("\n", end, end + 300)
    line = text[line_start:line_end if line_end >= 0 else min(len(text), end + 300)]
    for word in ambiguous:
        default = tax.lookup(word)
        same = link.concept is not None and default is not None and (
            link.concept.id == default.id or bool(default.uri) and link.concept.uri == default.uri)
        if len(words) > 1 and not same:
            continue  # the phrase names something else ("network security"): not this word's sense
        for context, concept_id in _senses()[word]:
            if context.search(line) and concept_id in tax.concepts:
                return Link(tax.concepts[concept_id], link.score, "context")
    return link


def _kind(phrase: str) -> str:
    if _CERTIFICATE.search(phrase):
        return "certificate"
    if _LANGUAGE.search(phrase):
        return "language"
    return "skill"


def _skill(tax: Taxonomy, concept: Concept | None, link: Link, phrase: str, found: list[Mention]) -> FoundSkill:
    if concept is not None and concept.id in tax.canonical and concept.uri:
        # A canonical skill's words name its main ESCO concept: report that, grouped.
        esco = tax.concepts.get("esco:" + concept.uri.rsplit("/", 1)[-1])
        if esco is not None:
            concept = Concept(esco.id, esco.label, esco.type, concept.label_zh, esco.uri, concept.id)
    if concept is None:
        return FoundSkill(id=unknown_id(phrase), label=phrase, type=_kind(phrase), known=False,
                          score=link.score, mentions=tuple(found))
    return FoundSkill(id=concept.id, label=concept.label, type=concept.type, known=True, score=link.score,
                      mentions=tuple(found), label_zh=concept.label_zh, uri=concept.uri,
                      canonical=concept.canonical)


class Extractor:
    """Finds the skills of texts; one per process is enough (see ``extractor()``)."""

    def __init__(self, tax: Taxonomy | None = None, linker: Linker | None = None) -> None:
        self.taxonomy = tax or taxonomy()
        self.linker = linker or Linker(self.taxonomy)

    def extract(self, text: str, embed: bool = True) -> Extraction:
        """The skills one text asks for, each with its mentions."""
        return self.extract_many([text], embed=embed)[0]

    def extract_many(self, texts: Sequence[str], embed: bool = True) -> list[Extraction]:
        """Like ``extract`` for many texts, embedding all their unmatched phrases in one batch."""
        spans = [mentions(text) for text in texts]
        phrases = [text[a:b] for text, found in zip(texts, spans, strict=True) for a, b in found]
        links = iter(self._links(phrases, [len(found) for found in spans], embed))
        out: list[Extraction] = []
        for text, found in zip(texts, spans, strict=True):
            grouped: dict[str, tuple[Concept | None, Link, str, list[Mention]]] = {}
            for a, b in found:
                phrase = text[a:b]
                link = _in_context(self.taxonomy, next(links), phrase, text, a, b)
                key = link.concept.id if link.concept else unknown_id(phrase)
                entry = grouped.setdefault(key, (link.concept, link, phrase, []))
                entry[3].append(Mention(a, b, phrase))
            skills = tuple(_skill(self.taxonomy, c, link, phrase, ms) for c, link, phrase, ms in grouped.values())
            out.append(Extraction(text=text, skills=skills))
        return out


    def _links(self, phrases: list[str], counts: list[int], embed: bool) -> list[Link]:
        """Links of the phrases of texts (``counts`` phrases each, in order). Only the first
        MAX_EMBEDDED distinct phrases of a text may be embedded; the rest are linked by alias
        only: embedding costs about 8 ms a phrase, and a crafted text of thousands of distinct
        phrases cost minutes (a job ad has a few dozen)."""
        if not embed:
            return self.linker.link(phrases, embed=False)
        allowed: list[bool] = []
        cursor = 0
        for count in counts:
            seen: set[str] = set()
            for phrase in phrases[cursor:cursor + count]:
                if phrase not in seen and len(seen) < MAX_EMBEDDED:
                    seen.add(phrase)
                allowed.append(phrase in seen)
            cursor += count
        embedded = iter(self.linker.link([p for p, ok in zip(phrases, allowed, strict=True) if ok]))
        plain = iter(self.linker.link([p for p, ok in zip(phrases, allowed, strict=True) if not ok], embed=False))
        return [next(embedded) if ok else next(plain) for ok in allowed]


@lru_cache(maxsize=1)
def extractor() -> Extractor:
    """The process-wide extractor over the shipped taxonomy."""
    return Extractor()
