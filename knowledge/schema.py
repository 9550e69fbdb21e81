"""What crosses a layer: document types, loaded blocks, chunks, hits, citations, answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class DocType(StrEnum):
    TRAINING_PLAN = "training_plan"
    COURSE = "course"
    ENTERPRISE_REQUIREMENT = "enterprise_requirement"
    INTERNSHIP = "internship"
    MAJOR_CATALOG = "major_catalog"
    OCCUPATION_PROFILE = "occupation_profile"
    OTHER = "other"

    @classmethod
    def parse(cls, value: str) -> DocType:
        """Accept ``training-plan``, ``Training Plan`` and the like."""
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        try:
            return cls(key)
        except ValueError:
            valid = ", ".join(t.value for t in cls)
            raise ValueError(f"unknown document type {value!r}; valid types: {valid}") from None


@dataclass(frozen=True)
class TextBlock:
    """A run of prose under its headings; ``entity`` names the record it belongs to
    (e.g. "510201 计算机应用技术" inside a file that holds many majors)."""

    text: str
    headings: tuple[str, ...] = ()
    entity: str = ""
    locator: str = ""


@dataclass(frozen=True)
class RecordBlock:
    """One row (or one group of rows sharing a key) of a table, with its column names."""

    fields: tuple[tuple[str, str], ...]
    table: str = ""
    locator: str = ""


Block = TextBlock | RecordBlock


@dataclass
class LoadedDocument:
    """What a loader returns: a title, front-matter metadata and the blocks in order."""

    title: str
    blocks: list[Block]
    metadata: dict[str, str] = field(default_factory=dict)
    encoding: str = ""


@dataclass(frozen=True)
class Chunk:
    """A retrievable unit: ``header`` names where it is from, ``text`` is what it says."""

    doc_id: str
    ordinal: int
    header: str
    text: str
    locator: str
    doc_type: DocType
    language: str
    title: str
    source: str
    entity: str = ""

    @property
    def content(self) -> str:
        """What is embedded and keyword-indexed: the header keeps the chunk's context."""
        return f"{self.header}\n{self.text}" if self.header else self.text

    @property
    def chunk_id(self) -> str:
        return f"{self.doc_id}:{self.ordinal}"


@dataclass(frozen=True)
class Question:
    """A question as every stage needs it, derived once (``knowledge.language.make_question``):
    its language, search tokens, glossary terms with their translations, and the same terms
    put into the other language (``gloss``) for cross-lingual search."""

    text: str
    language: str
    tokens: tuple[str, ...]
    terms: tuple[tuple[str, tuple[str, ...]], ...]
    gloss: str
    gloss_tokens: tuple[str, ...]
    role: str | None = None


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the evidence behind it."""

    chunk_id: str
    doc_id: str
    source: str
    title: str
    header: str
    text: str
    locator: str
    doc_type: str
    language: str
    score: float
    dense: float = 0.0
    lexical: float = 0.0
    relevance: float = 0.0


@dataclass(frozen=True)
class Citation:
    source: str
    title: str
    doc_type: str
    locator: str
    score: float
    quote: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "title": self.title,
            "doc_type": self.doc_type,
            "locator": self.locator,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Bar:
    """One bar of a chart that goes with an answer (a major's coverage of a job, say);
    front ends draw it, so the core needs no plotting library."""

    label: str
    value: float


@dataclass(frozen=True)
class Answer:
    text: str
    grounded: bool
    citations: tuple[Citation, ...]
    backend: str = "extractive"
    language: str = "en"
    tokens: int = 0  # model tokens spent (generated answers only)
    bars: tuple[Bar, ...] = ()  # a chart that goes with the answer (skills match), if any

    def as_json(self) -> dict[str, object]:
        return {
            "answer": self.text,
            "grounded": self.grounded,
            "citations": [c.as_json() for c in self.citations],
            "backend": self.backend,
        }
