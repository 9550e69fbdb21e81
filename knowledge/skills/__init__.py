"""Skills: an open-vocabulary extractor linked to a shipped taxonomy (ESCO, O*NET tools, the
project's canonical skills), and what stands on it: graduate profiles, job-to-major matching,
gap reports, requirement drift, courses per skill and occupation profiles. Results are frozen
dataclasses (``knowledge.skills.results``); ``to_json`` gives their JSON form."""

from __future__ import annotations

from knowledge.skills.courses import courses_for
from knowledge.skills.drift import drift
from knowledge.skills.extract import Extractor, extractor, mentions
from knowledge.skills.gap import gap, requirement_lines
from knowledge.skills.index import COVERING_GROUPS, GROUP_ORDER, SkillIndex, find_majors, index_for
from knowledge.skills.link import THRESHOLDS, Link, Linker
from knowledge.skills.match import match
from knowledge.skills.occupations import occupation_skills
from knowledge.skills.profile import profile
from knowledge.skills.results import (
    CoursesResult,
    DriftReport,
    Evidence,
    Extraction,
    FoundSkill,
    GapReport,
    GapRow,
    Major,
    MatchResult,
    Mention,
    OccupationSkills,
    Profile,
    to_json,
)
from knowledge.skills.taxonomy import Canonical, Concept, Taxonomy, taxonomy
from knowledge.skills.terms import find_skills, skill_id_for

__all__ = [
    "COVERING_GROUPS",
    "GROUP_ORDER",
    "THRESHOLDS",
    "Canonical",
    "Concept",
    "CoursesResult",
    "DriftReport",
    "Evidence",
    "Extraction",
    "Extractor",
    "FoundSkill",
    "GapReport",
    "GapRow",
    "Link",
    "Linker",
    "Major",
    "MatchResult",
    "Mention",
    "OccupationSkills",
    "Profile",
    "SkillIndex",
    "Taxonomy",
    "courses_for",
    "drift",
    "extractor",
    "find_majors",
    "find_skills",
    "gap",
    "index_for",
    "match",
    "mentions",
    "occupation_skills",
    "profile",
    "requirement_lines",
    "skill_id_for",
    "taxonomy",
    "to_json",
]
