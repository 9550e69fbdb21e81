"""What a student's path and the internship ranking hand out: frozen dataclasses, serialised by
the skills room's one ``to_json`` (empty optional fields are left out)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from knowledge.skills.results import Evidence, Major


def _optional() -> Any:
    """A field ``to_json`` leaves out when empty, as the skills room's results do."""
    return field(default="", metadata={"omit_empty": True})


@dataclass(frozen=True)
class Target:
    """What the student aims at: a job text or an occupation profile."""

    kind: str  # "job" or "occupation"
    name: str
    source: str = _optional()
    code: str = _optional()


@dataclass(frozen=True)
class HaveSkill:
    """A required skill the major already gives: ``covered`` by core or foundation courses,
    ``partial`` when only abilities, internships or certificates name it; the plan lines quoted."""

    skill: str  # the same id as ``skills extract``
    label: str
    status: str
    evidence: tuple[Evidence, ...]
    label_zh: str = _optional()
    uri: str = _optional()


@dataclass(frozen=True)
class LearnPlace:
    """Where the knowledge base teaches a skill: a course, another major's core course (an
    elective) or a certificate, with the document that says so."""

    title: str
    source: str
    locator: str
    kind: str  # "course", "elective" or "certificate"
    code: str = _optional()
    prerequisites: str = _optional()
    major: str = _optional()


@dataclass(frozen=True)
class MissingSkill:
    """A required skill the major does not give; ``learn`` is empty when nothing in the
    knowledge base teaches it (the skill is still listed)."""

    skill: str
    label: str
    learn: tuple[LearnPlace, ...]
    known: bool = True
    label_zh: str = _optional()
    uri: str = _optional()
    quote: str = _optional()


@dataclass(frozen=True)
class PlanStep:
    """One step of the plan; prerequisites come before the courses that need them."""

    step: int
    title: str
    kind: str
    source: str
    locator: str
    skills: tuple[str, ...]
    code: str = _optional()
    why: str = _optional()


@dataclass(frozen=True)
class PathResult:
    major: Major
    target: Target
    have: tuple[HaveSkill, ...]
    missing: tuple[MissingSkill, ...]
    plan: tuple[PlanStep, ...]


@dataclass(frozen=True)
class PostingFit:
    """One posting, how much of what it asks the major (or the student's list) covers."""

    source: str
    title: str
    coverage: float
    matched: tuple[str, ...]
    missing: tuple[str, ...]
    locator: str = _optional()
    company: str = _optional()
    doc_type: str = _optional()
    quote: str = _optional()
    # The posting names the major among those it wants: it ranks a quarter higher than its
    # coverage alone would put it (printed only when true).
    names_major: bool = field(default=False, metadata={"omit_empty": True})


@dataclass(frozen=True)
class InternshipsResult:
    major: Major | None
    postings: tuple[PostingFit, ...]
    skills: tuple[str, ...] = ()
