"""Follow-ups keep their subject: "那它的实习实训呢？" after a question about 软件技术 is about
软件技术. Without this, a follow-up that names no entity is searched on its own and answered
for whatever major retrieval happens to rank first."""

from __future__ import annotations

import re

from knowledge.answering.attributes import detect_attribute
from knowledge.answering.entities import Outcome, Resolution
from knowledge.language import tokenize

# Words that point back at the previous subject, or mark a question as elliptical.
_ZH_CUE = re.compile(r"它|^那|那(?![么样])|其(?![他中实余])|该(专业|课程|课|职业)|这个|那个|这门|那门|这些|"
                     r"呢[？?]?\s*$|还有|另外")
_EN_CUE = re.compile(r"\b(it|its|it's|this|that|these|those|they|their|them|there|same)\b|^\s*(and|also|"
                     r"then|what about|how about|and what about)\b|\bthe (major|course|occupation|program)\b",
                     re.I)


def is_followup(question: str) -> bool:
    """Whether the question reads as continuing the previous one: it points back ("and which
    internships does it have?", "那它的核心课程呢？") or is too short to stand alone ("tuition?").
    The one rule for every front end: the chat service, the terminal chat, `ask --batch`
    sessions and the evaluation's sessions decide by it whether to pass the previous question,
    and the assistant by it whether to carry the previous subject."""
    return bool(_ZH_CUE.search(question) or _EN_CUE.search(question)) or len(tokenize(question)) < 3


def carry_subject(previous: Resolution | None, question: str,
                  current: Resolution | None = None) -> str | Resolution:
    """The question's subject: the previous turn's entity when the follow-up names none.

    Returns a Resolution (previous entity, this question's attribute) when the follow-up asks
    for an attribute; the question with the entity's name prefixed when it asks something
    else (so retrieval searches the right subject); the question unchanged when there is
    nothing to carry. ``current`` is this question's own resolution, when the caller has it:
    a question that names its own entity keeps it.
    """
    subject = previous.entity if previous is not None else None
    if previous is None or subject is None:
        return question
    if current is not None and current.outcome != Outcome.NONE:
        return question
    if not is_followup(question):
        return question
    attribute = detect_attribute(question, subject.kind)
    if attribute is None:
        return f"{subject.label} {question}"
    held = previous.candidates[0]
    outcome = Outcome.UNHELD if attribute.never else Outcome.RESOLVED
    if outcome == Outcome.RESOLVED and subject.kind == "major" and not subject.has_plan \
            and all(h.startswith(("plan:", "chunk:")) for h in attribute.held):
        outcome = Outcome.UNHELD
    return Resolution(outcome, question, previous.language, (held,), attribute, previous.named)
