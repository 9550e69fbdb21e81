"""Small entry points for ingest: the skill keys a text names (for requirement snapshots) and
the key a found term is filed under (for ESCO profile terms)."""

from __future__ import annotations

from knowledge.skills.extract import extractor
from knowledge.skills.index import skill_key


def find_skills(text: str) -> dict[str, str]:
    """Skill key -> the words that named it, for every requirement ``text`` states (known or
    not). Alias linking only: ingest calls this for every enterprise document."""
    found: dict[str, str] = {}
    for skill in extractor().extract(text, embed=False).skills:
        found.setdefault(skill.key, skill.mentions[0].text)
    return found


def skill_id_for(term: str) -> str:
    """The key a found term is filed under: its canonical skill, its concept, or a new id."""
    return skill_key(term)
