"""The one place the web calls the skills engine. Whatever the engine returns (dicts today,
frozen dataclasses with a JSON form tomorrow) leaves here as plain JSON-able dicts, so a
change of the engine's API is a change of this file only."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from knowledge.errors import MajorNotFound, UserFacingError
from knowledge.store.base import KnowledgeBase

__all__ = ["plain", "profile", "match", "gap", "gap_report_html", "drift", "courses_for", "extract",
           "segments", "warm_up", "UnknownMajor", "resolve_major", "student_path", "internships"]


def plain(result: Any) -> Any:
    """JSON-able data for any engine result: its own ``to_json``/``as_json`` when it has one,
    the skills room's serializer or ``asdict`` for dataclasses, containers recursively."""
    for method in ("to_json", "as_json"):
        convert = getattr(result, method, None)
        if callable(convert):
            return plain(convert())
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        try:
            from knowledge.skills.results import to_json
        except ImportError:
            return plain(dataclasses.asdict(result))
        return plain(to_json(result))
    if isinstance(result, dict):
        return {str(k): plain(v) for k, v in result.items()}
    if isinstance(result, (list, tuple, set, frozenset)):
        return [plain(v) for v in result]
    return result


def _engine() -> Any:
    from knowledge.skills import engine

    return engine


def profile(kb: KnowledgeBase, query: str) -> dict[str, Any]:
    """A major's graduate skill profile (raises ``UserFacingError`` when there is none)."""
    out: dict[str, Any] = plain(_engine().profile(kb, query))
    return out


def match(kb: KnowledgeBase, text: str, top: int = 5) -> dict[str, Any]:
    out: dict[str, Any] = plain(_engine().match(kb, text, top=top))
    out.setdefault("unrecognised", [])
    return out


def gap(kb: KnowledgeBase, major: str, texts: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = plain(_engine().gap(kb, major, texts))
    return out


def gap_report_html(kb: KnowledgeBase, major: str, texts: dict[str, str], language: str = "en") -> str:
    """The self-contained HTML of ``careerbot skills gap --out``, with the web's chart (which
    carries its own CJK font). ``gap_html`` takes the engine's own result type."""
    from bot.render.report import gap_html
    from bot.render.webcharts import gap_chart

    raw = _engine().gap(kb, major, texts)
    html: str = gap_html(raw, gap_chart(plain(raw), language, fmt="png"))
    return html


def drift(kb: KnowledgeBase) -> dict[str, Any]:
    out: dict[str, Any] = plain(_engine().drift(kb))
    return out


def courses_for(kb: KnowledgeBase, skill: str) -> dict[str, Any]:
    out: dict[str, Any] = plain(_engine().courses_for(kb, skill))
    return out


class UnknownMajor(UserFacingError):
    """No training plan for the major asked about; the message names the closest ones, and
    ``closest`` holds them as ``(code, name)`` for a page to link."""

    def __init__(self, query: str, message: str, closest: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.query = query
        self.closest = [(code, name) for code, name in closest or [] if code.isdigit()]


def resolve_major(kb: KnowledgeBase, query: str) -> dict[str, Any]:
    """The major a code or name means, as ``{"code", "name", ...}``; ``UnknownMajor`` otherwise.
    Resolved here, before the path or the postings, so an unknown major is told apart from an
    unknown occupation or an empty job text (both plain ``UserFacingError``s)."""
    from knowledge.skills.internships import resolve_major as resolve

    try:
        out: dict[str, Any] = plain(resolve(kb, query))
    except MajorNotFound as exc:
        raise UnknownMajor(query, str(exc), exc.closest) from exc
    except UserFacingError as exc:
        raise UnknownMajor(query, str(exc)) from exc
    return out


def student_path(kb: KnowledgeBase, major: str, *, job_text: str | None = None,
                 occupation: str | None = None) -> dict[str, Any]:
    """A student's path: the object ``careerbot skills path --json`` prints."""
    from knowledge.skills.path import path

    resolve_major(kb, major)
    out: dict[str, Any] = plain(path(kb, major, job_text=job_text, occupation=occupation))
    return out


def internships(kb: KnowledgeBase, major: str | None, *, top: int = 5,
                skills: list[str] | None = None) -> dict[str, Any]:
    """Postings ranked for a major or a skill list: ``careerbot skills internships --json``."""
    from knowledge.skills.internships import internships as rank

    if major:
        resolve_major(kb, major)
    out: dict[str, Any] = plain(rank(kb, major, skills=skills or None, top=top))
    return out


def extract(kb: KnowledgeBase, text: str) -> dict[str, Any]:
    """The skills a text names, each with its character spans:
    ``{"text", "skills": [{"id", "label", "label_zh", "known", "mentions": [{"start", "end", "text"}]}]}``."""
    engine = _engine()
    for name in ("extract", "extract_skills"):
        function = getattr(engine, name, None)
        if callable(function):
            try:
                found = plain(function(kb, text))
            except TypeError:
                found = plain(function(text))
            skills = found.get("skills", []) if isinstance(found, dict) else found
            return {"text": text, "skills": [_normalise(s) for s in skills]}
    # Today's engine: a vocabulary of patterns; find where each found skill's words occur.
    vocab = engine.vocabulary_for(kb) if hasattr(engine, "vocabulary_for") else None
    known = vocab[0] if vocab else {}
    skills = []
    for sid, words in engine.find_skills(text, vocab).items():
        skill = known.get(sid)
        spans = [{"start": m.start(), "end": m.end(), "text": m.group(0)}
                 for m in re.finditer(re.escape(words), text)]
        skills.append({"id": sid, "label": getattr(skill, "en", sid), "label_zh": getattr(skill, "zh", ""),
                       "known": True, "mentions": spans})
    return {"text": text, "skills": skills}


def _normalise(skill: dict[str, Any]) -> dict[str, Any]:
    return {"id": skill.get("id", ""), "label": skill.get("label") or skill.get("skill", ""),
            "label_zh": skill.get("label_zh") or skill.get("skill_zh", ""),
            "known": bool(skill.get("known", True)), "mentions": list(skill.get("mentions", []))}


def warm_up(kb: KnowledgeBase, major_code: str | None) -> None:
    """Build the engine's per-process indexes before the first visitor waits for them."""
    from knowledge.skills.internships import postings_for
    from knowledge.skills.path import teaching_for

    try:
        if major_code:
            profile(kb, major_code)
        match(kb, "SQL, Python", top=1)
        # Where skills are taught and the postings: read once per store revision.
        teaching_for(kb).current()
        postings_for(kb)
    except UserFacingError:
        pass  # an empty store: nothing to warm


def segments(extraction: dict[str, Any]) -> list[dict[str, Any]]:
    """The text cut into plain and highlighted pieces, for a page to mark up (overlaps: first wins)."""
    text: str = extraction["text"]
    marks = sorted(((m["start"], m["end"], s) for s in extraction["skills"] for m in s["mentions"]),
                   key=lambda x: (x[0], -x[1]))
    out: list[dict[str, Any]] = []
    pos = 0
    for start, end, skill in marks:
        if start < pos or end <= start:
            continue
        if start > pos:
            out.append({"text": text[pos:start]})
        out.append({"text": text[start:end], "skill": skill})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:]})
    return out
