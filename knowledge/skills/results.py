"""What the skills room hands out: frozen dataclasses, and one JSON form for all of them.

Field names follow the JSON that ``careerbot skills … --json`` has always printed, so the
serialised form of a result is the old output (with a few fields added)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any


def to_json(value: Any) -> Any:
    """Plain JSON data (dicts, lists, strings, numbers) for any result below."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)
                if not (f.metadata.get("omit_empty") and not getattr(value, f.name))}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


def _optional() -> Any:
    return field(default="", metadata={"omit_empty": True})


@dataclass(frozen=True)
class Mention:
    """Where a skill is named: ``text[start:end] == self.text`` (Python string offsets)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class FoundSkill:
    """One skill a text asks for. ``known`` is false for a requirement the taxonomy has no
    concept for: it is kept (with its words as the label), never dropped."""

    id: str
    label: str
    type: str
    known: bool
    score: float
    mentions: tuple[Mention, ...]
    label_zh: str = _optional()
    uri: str = _optional()
    canonical: str = _optional()

    @property
    def key(self) -> str:
        """What matching compares: the canonical skill when the concept has one."""
        return self.canonical or self.id

    def display(self, language: str = "en") -> str:
        return self.label_zh if language == "zh" and self.label_zh else self.label


@dataclass(frozen=True)
class Extraction:
    """The skills of one text, in the order they are first mentioned."""

    text: str
    skills: tuple[FoundSkill, ...]

    def keys(self) -> dict[str, FoundSkill]:
        out: dict[str, FoundSkill] = {}
        for skill in self.skills:
            out.setdefault(skill.key, skill)
        return out


@dataclass(frozen=True)
class Evidence:
    source: str
    locator: str
    quote: str
    group: str = _optional()


@dataclass(frozen=True)
class Major:
    code: str
    name: str
    level: str = _optional()
    category: str = _optional()
    status: str = _optional()


@dataclass(frozen=True)
class ProfileSkill:
    skill: str
    skill_zh: str
    id: str
    group: str
    evidence: tuple[Evidence, ...]
    uri: str = _optional()


@dataclass(frozen=True)
class OccupationLink:
    code: str
    name: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Profile:
    major: Major
    skills: tuple[ProfileSkill, ...]
    occupations: tuple[OccupationLink, ...]


@dataclass(frozen=True)
class MatchEvidence:
    major: tuple[Evidence, ...]
    requirement: str


@dataclass(frozen=True)
class MajorMatch:
    code: str
    name: str
    coverage: float
    taught_in_courses: int
    evidence_count: int
    matched: tuple[str, ...]
    missing: tuple[str, ...]
    evidence: dict[str, MatchEvidence]
    weight: float = 0.0


@dataclass(frozen=True)
class MatchResult:
    required_skills: tuple[str, ...]
    majors: tuple[MajorMatch, ...]
    occupation: OccupationRef | None = None
    unrecognised: tuple[str, ...] = ()


@dataclass(frozen=True)
class GapRow:
    skill: str
    skill_zh: str
    id: str
    status: str
    demand: int
    known: bool
    major_evidence: tuple[Evidence, ...]
    requirement_evidence: tuple[Evidence, ...]
    uri: str = _optional()


@dataclass(frozen=True)
class GapSummary:
    requirements: int
    required_skills: int
    covered: int
    partial: int
    missing: int
    unrecognised: int
    most_demanded_missing: tuple[str, ...]


@dataclass(frozen=True)
class GapReport:
    major: Major
    skills: tuple[GapRow, ...]
    summary: GapSummary


@dataclass(frozen=True)
class AffectedMajor:
    code: str
    name: str
    skills: tuple[str, ...]


@dataclass(frozen=True)
class DriftChange:
    source: str
    added: tuple[str, ...]
    dropped: tuple[str, ...]
    majors_affected: tuple[AffectedMajor, ...]


@dataclass(frozen=True)
class DriftReport:
    changes: tuple[DriftChange, ...]


@dataclass(frozen=True)
class CourseHit:
    code: str
    title: str
    credits: str
    prerequisites: str
    evidence: Evidence


@dataclass(frozen=True)
class CoursesResult:
    skill: str
    skill_zh: str
    courses: tuple[CourseHit, ...]


@dataclass(frozen=True)
class OccupationRef:
    system: str
    code: str
    name: str


@dataclass(frozen=True)
class OccupationSkill:
    skill: str
    skill_zh: str
    id: str
    evidence: tuple[Evidence, ...]
    importance: float | None = None
    uri: str = _optional()


@dataclass(frozen=True)
class OccupationSkills:
    occupation: OccupationRef
    skills: tuple[OccupationSkill, ...]
    text: str
