"""Which majors fit a job: the share of the job's skills (weighted by importance when they
come from an occupation profile) that a major's training plan covers."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.errors import UserFacingError
from knowledge.skills.index import COVERING_GROUPS, index_for, sentence
from knowledge.skills.occupations import occupation_skills
from knowledge.skills.results import MajorMatch, MatchEvidence, MatchResult, OccupationRef
from knowledge.store.base import KnowledgeBase


@dataclass(frozen=True)
class _Required:
    key: str
    label: str
    weight: float
    quote: str


def _from_text(kb: KnowledgeBase, requirement: str) -> tuple[list[_Required], list[str]]:
    index = index_for(kb)
    extraction = index.extract(requirement)
    required: dict[str, _Required] = {}
    unknown: list[str] = []
    for skill in extraction.skills:
        if not skill.known:
            unknown.append(skill.label)
            continue
        label = index.labels.en(skill.key, skill.label)
        required.setdefault(skill.key, _Required(skill.key, label, 1.0,
                                                 sentence(requirement, skill.mentions[0].text)))
    return list(required.values()), unknown


def match(kb: KnowledgeBase, requirement: str = "", top: int = 5, occupation: str | None = None) -> MatchResult:
    """Majors ranked by the (weighted) share of the requirement's skills their plans cover."""
    index = index_for(kb)
    ref: OccupationRef | None = None
    if occupation:
        occ = occupation_skills(kb, occupation)
        ref = occ.occupation
        required = [_Required(s.id, s.skill, s.importance if s.importance is not None else 1.0,
                              s.evidence[0].quote if s.evidence else s.skill) for s in occ.skills]
        unknown: list[str] = []
    else:
        required, unknown = _from_text(kb, requirement)
    if not required:
        raise UserFacingError("no known skill found in the requirement text")
    total = sum(r.weight for r in required) or 1.0
    ranked: list[MajorMatch] = []
    for (code, name), have in index.major_skills().items():
        matched = [r for r in required if r.key in have]
        if not matched:
            continue
        taught = sum(1 for r in matched if any(e.group in COVERING_GROUPS for e in have[r.key]))
        weight = sum(r.weight for r in matched)
        ranked.append(MajorMatch(
            code=code, name=name, coverage=round(weight / total, 3), taught_in_courses=taught,
            evidence_count=sum(len(have[r.key]) for r in matched),
            matched=tuple(r.label for r in matched),
            missing=tuple(r.label for r in required if r.key not in have),
            evidence={r.label: MatchEvidence(major=tuple(have[r.key][:2]), requirement=r.quote) for r in matched},
            weight=round(weight, 3)))
    # Ties go to the major that teaches more of the skills in its courses.
    ranked.sort(key=lambda m: (-m.coverage, -m.taught_in_courses, -m.evidence_count, m.code))
    return MatchResult(required_skills=tuple(r.label for r in required), majors=tuple(ranked[:top]),
                       occupation=ref, unrecognised=tuple(unknown))
