"""Answers from an entity's own record: a direct first line composed from its fields, then
the whole fields quoted and cited; honest declines (grounded=False) when the attribute is
never held, the code or name does not exist, or the name fits several entities.

Every user-visible sentence is in MESSAGES and LABELS below (en + zh), so they can move to
the prompts catalogue in one piece.
"""

from __future__ import annotations

from knowledge.answering.attributes import held_attributes
from knowledge.answering.entities import Candidate, Outcome, Resolution, related
from knowledge.answering.fields import Field, record_fields
from knowledge.schema import Answer, Citation
from knowledge.store.base import KnowledgeBase
from prompts import catalogue

MESSAGES: dict[str, dict[str, str]] = catalogue('records')  # prompts/catalogue/*.toml
LABELS: dict[str, dict[str, str]] = catalogue('record_labels')  # prompts/catalogue/*.toml
# What each role sees first when no single attribute is asked for.
ROLE_ORDER: dict[str, tuple[str, ...]] = {
    "enterprise": ("abilities", "occupations", "certificates", "core_courses", "foundation_courses",
                   "internships", "follow_on", "duration", "skills", "tasks", "technology",
                   "description", "prerequisites", "credits", "job_zone", "level", "category", "status"),
    "student": ("core_courses", "foundation_courses", "internships", "follow_on", "duration",
                "certificates", "occupations", "abilities", "description", "prerequisites", "credits",
                "tasks", "skills", "technology", "job_zone", "education", "level", "category", "status"),
}
# "what will I study" is both course groups; "what can graduates do" is abilities and jobs
_EXPANDS = {"courses": ("core_courses", "foundation_courses"), "abilities": ("abilities", "occupations")}
_OVERVIEW_FIELDS = 4


def _lang(language: str) -> str:
    return "zh" if language == "zh" else "en"


def _name(candidate: Candidate, lang: str) -> str:
    """"510203 软件技术 (Software Technology)": both names, so either reader recognises it."""
    e = candidate.entity
    if e.english and e.english.lower() != e.name.lower():
        return f"{e.label}（{e.english}）" if lang == "zh" else f"{e.label} ({e.english})"
    return e.label


def _label(key: str, lang: str) -> str:
    return LABELS[lang].get(key, key.replace("_", " "))


def answer_from_record(kb: KnowledgeBase, resolution: Resolution, role: str | None,
                       language: str) -> Answer | None:
    """The record answer for a resolution, or None when no entity is named (use retrieval)."""
    lang = _lang(language)
    if resolution.outcome == Outcome.NONE:
        return None
    if resolution.outcome == Outcome.NONEXISTENT:
        return _nonexistent(resolution, lang)
    if resolution.outcome == Outcome.AMBIGUOUS:
        return _ambiguous(resolution, lang)
    lead = resolution.candidates[0]
    fields = record_fields(kb, lead.entity, lead.confidence)
    if resolution.outcome == Outcome.UNHELD:
        return _unheld(kb, resolution, lead, fields, lang)
    parts: list[str] = []
    citations: list[Citation] = []
    for candidate in (lead, *resolution.also[:2]):
        own = fields if candidate is lead else record_fields(kb, candidate.entity, candidate.confidence)
        parts.append(_compose(candidate, own, resolution, role or "student", lang, citations))
    others = [c for c in resolution.candidates[1:] if c.entity.name == lead.entity.name]
    if others and lead.entity.kind == "major":
        parts.append(MESSAGES[lang]["other_levels"].format(candidates=MESSAGES[lang]["sep"].join(
            f"{c.entity.label}（{c.entity.level}）" if lang == "zh" else f"{c.entity.label} ({c.entity.level})"
            for c in others[:4])))
    if not citations or not parts[0]:  # the entity asked about lacks the field: never a neighbour's
        return _unheld(kb, resolution, lead, fields, lang)
    return Answer("\n\n".join(p for p in parts if p), True, tuple(citations), backend="extractive",
                  language=lang)


def _compose(candidate: Candidate, fields: list[Field], resolution: Resolution, role: str,
             lang: str, citations: list[Citation]) -> str:
    """First line from the fields asked for, then each whole field quoted with its number."""
    m = MESSAGES[lang]
    attribute = resolution.attribute.name if resolution.attribute else ""
    wanted = _EXPANDS.get(attribute, (attribute,) if attribute else ())
    chosen = [f for f in fields if f.attribute in wanted]
    if not chosen and wanted:  # asked for, but this record lacks it: the caller declines
        return ""
    if not chosen:  # no attribute asked: the role's first fields
        order = ROLE_ORDER.get(role, ROLE_ORDER["student"])
        chosen = sorted((f for f in fields if f.attribute in order), key=lambda f: order.index(f.attribute))
        chosen = [f for i, f in enumerate(chosen) if f.attribute not in {g.attribute for g in chosen[:i]}]
        chosen = chosen[:_OVERVIEW_FIELDS]
        if not chosen:
            return ""
        lines = [m["overview"].format(entity=_name(candidate, lang))]
    else:
        value = m["sep"].join(_label(f"status_{f.value}", lang) if f.attribute == "status" else f.value or f.text
                              for f in chosen if f.attribute == chosen[0].attribute)
        key = "first_course" if candidate.entity.kind != "major" else "first"
        first = m[key].format(entity=_name(candidate, lang), attribute=_label(chosen[0].attribute, lang),
                              value=_shorten(value))
        lines = [f"{first[0].upper()}{first[1:]} [{len(citations) + 1}]", m["quoted"]]
    for field in chosen:
        citations.append(field.citation)
        lines.append(f"> {field.text} [{len(citations)}]")
    sources = {f.language for f in chosen if f.language and f.language != lang}
    if sources:
        lines.append(m["source_language"].format(source=_label(sources.pop(), lang)))
    return "\n".join(lines)


def _shorten(value: str, limit: int = 400) -> str:
    """The first line stays a line; the whole field follows in the quote."""
    value = " ".join(value.split())
    return value if len(value) <= limit else value[:limit].rstrip() + "…"


def _unheld(kb: KnowledgeBase, resolution: Resolution, lead: Candidate, fields: list[Field],
            lang: str) -> Answer:
    m = MESSAGES[lang]
    attribute = resolution.attribute
    name = _name(lead, lang)
    label = _label(attribute.name if attribute else "description", lang)
    plan_missing = attribute is not None and not attribute.never and lead.entity.kind == "major" \
        and not lead.entity.has_plan
    text = [m["unheld_plan" if plan_missing else "unheld"].format(entity=name, attribute=label)]
    held = [a for a in held_attributes(lead.entity.kind) if any(f.attribute == a for f in fields)]
    text.append(m["held"].format(entity=name, held=m["sep"].join(_label(a, lang) for a in held))
                if held else m["nothing_held"])
    if plan_missing:
        others = related(kb, lead.entity)
        if others:
            text.append(m["related"].format(candidates=m["sep"].join(_name(c, lang) for c in others)))
    # A decline cites nothing: no passage backs an answer it does not give.
    return Answer(" ".join(text), False, (), backend="extractive", language=lang)


def _nonexistent(resolution: Resolution, lang: str) -> Answer:
    m = MESSAGES[lang]
    kind = resolution.candidates[0].entity.kind if resolution.candidates else "major"
    text = m["nonexistent"].format(kind=_label(kind, lang), named=resolution.named)
    if resolution.candidates:
        text += " " + m["nearest"].format(candidates=m["sep"].join(
            _name(c, lang) for c in resolution.candidates[:5]))
    return Answer(text, False, (), backend="extractive", language=lang)


def _ambiguous(resolution: Resolution, lang: str) -> Answer:
    m = MESSAGES[lang]
    kinds = {c.entity.kind for c in resolution.candidates}
    kind = kinds.pop() if len(kinds) == 1 else "major"
    listed = m["sep"].join(
        _name(c, lang) + (f" [{c.entity.level}]" if c.entity.level else "")
        for c in resolution.candidates[:8])
    text = m["ambiguous"].format(named=resolution.named, candidates=listed,
                                 kinds=_label(f"{kind}s" if kind == "major" else f"{kind}s_kind", lang))
    return Answer(text, False, (), backend="extractive", language=lang)
