"""Turn lines of prose into blocks that keep their headings and the record they belong to.

Markdown, HTML (after conversion), DOCX and PDF text all pass through here, so "which major
is this paragraph about?" is answered the same way for every format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.schema import Block, TextBlock

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
# Lines that name the record the following text belongs to. A key seen again starts a new
# record: a file with 13 majors yields 13 records, each chunk knowing its major.
_IDENTITY = re.compile(
    r"^\s*(?:\*\*)?(专业代码|专业名称|课程代码|课程编号|课程名称|岗位名称|职位名称|企业名称|公司名称|"
    r"major code|major name|program code|program name|course code|course title|course name|job title|position|company)(?:\*\*)?"
    r"\s*[:：]?\s*(?:\*\*)?\s*(\S.{0,80}?)\s*$",
    re.IGNORECASE,
)
_CODE_KEYS = {"专业代码", "课程代码", "课程编号", "major code", "program code", "course code"}


@dataclass
class OutlineParser:
    """Feed lines (with a locator such as a page); collect ``TextBlock``s."""

    title: str = ""
    # Join soft-wrapped lines (Markdown, plain text, PDF); formats whose lines are real
    # paragraphs (HTML blocks, DOCX paragraphs) keep them.
    unwrap: bool = False
    blocks: list[Block] = field(default_factory=list)
    _headings: list[tuple[int, str]] = field(default_factory=list)
    _entity: dict[str, str] = field(default_factory=dict)
    _lines: list[str] = field(default_factory=list)
    _locator: str = ""
    # Headings seen since the last line of text: they introduce whatever comes next, so a
    # record that starts right after them keeps them.
    _fresh: list[tuple[int, str]] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)
    _title_seen: bool = False

    @property
    def current_heading(self) -> str:
        return self._headings[-1][1] if self._headings else ""

    @property
    def entity(self) -> str:
        return " ".join(self._entity.values())

    def feed(self, text: str, locator: str = "") -> None:
        for line in text.split("\n"):
            self.line(line, locator)

    def line(self, line: str, locator: str = "") -> None:
        if locator != self._locator and self._lines:
            self.flush()
        self._locator = locator
        heading = _HEADING.match(line)
        if heading:
            self.flush()
            level, text = len(heading.group(1)), heading.group(2).strip()
            if not self.title:
                self.title = text
                self._title_seen = True
                return
            if text == self.title or (level == 1 and not self._title_seen and not self.blocks
                                      and not self._lines):
                # The document's own title (front matter may word it differently).
                self._title_seen = True
                return
            if self._entity and text in self._seen:
                # The same section again inside one record: a record began whose name line
                # was lost (common in PDF conversions). Better no name than the wrong one.
                self.flush()
                self._entity = {}
                self._headings = []
                self._seen = set()
            self._seen.add(text)
            self._headings = [(lv, h) for lv, h in self._headings if lv < level]
            self._headings.append((level, text))
            self._fresh = [(lv, h) for lv, h in self._fresh if lv < level] + [(level, text)]
            return
        identity = _IDENTITY.match(line)
        if identity:
            key = identity.group(1).lower()
            value = identity.group(2).strip(" *")
            repeated = key in self._entity or (key in _CODE_KEYS and self._entity_has_code())
            if repeated or not self._entity:
                # A record starts (the first, or the same key again): headings restart inside
                # it, keeping only those that directly introduced it.
                self.flush()
                self._entity = {}
                self._headings = list(self._fresh)
                self._seen = {h for _, h in self._fresh}
            self._entity[key] = value
        if line.strip():
            self._fresh = []
        self._lines.append(line.rstrip())

    def _entity_has_code(self) -> bool:
        return any(k in _CODE_KEYS for k in self._entity)

    def flush(self) -> None:
        text = "\n".join(self._lines).strip()
        self._lines = []
        if self.unwrap:
            text = unwrap(text)
        if text:
            self.blocks.append(
                TextBlock(
                    text=_squeeze(text),
                    headings=tuple(h for _, h in self._headings),
                    entity=self.entity,
                    locator=self._locator,
                )
            )

    def finish(self) -> list[Block]:
        self.flush()
        return self.blocks


_KEEP_LINE = re.compile(r"^\s*(?:[-*+•]\s|\d{1,3}[.)、]\s?|\(\d{1,3}\)|[|#>]|[A-Za-z\u4e00-\u9fff ]{1,24}[:：])")
_CJK_END = re.compile(r"[\u3400-\u9fff，、（）：；]$")
_CJK_START = re.compile(r"^[\u3400-\u9fff，、（）。；]")


def unwrap(text: str) -> str:
    """Join lines that a converter or an editor wrapped inside one paragraph. List items,
    table rows, headings and "Label: value" lines start lines of their own."""
    # Each paragraph is kept as its pieces and joined once at the end: growing one string (and
    # searching it) per wrapped line made a long paragraph quadratic (80,000 lines took 16 s).
    out: list[list[str]] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped or not out or not out[-1][0] or _KEEP_LINE.match(line):
            out.append([line.rstrip()])
            continue
        glue = "" if _CJK_END.search(out[-1][-1][-1:]) and _CJK_START.match(stripped) else " "
        out[-1] += [glue, stripped]
    return "\n".join("".join(pieces) for pieces in out)


def _squeeze(text: str) -> str:
    """Collapse runs of blank lines and trailing spaces left by converters."""
    text = re.sub(r"[ \t\u3000]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return re.sub(r"[ \t]{2,}", " ", text)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """A leading ``---`` block of ``key: value`` lines (YAML-style front matter)."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    meta: dict[str, str] = {}
    for line in text[3:end].splitlines():
        if ":" in line:
            key, _, value = line.partition(":")
            meta[key.strip().lower()] = value.strip().strip("'\"")
    rest = text[end + 4 :]
    return meta, rest.lstrip("-").lstrip("\n")
