"""The other ways an English requirement phrase may be written in ESCO, for linking.

Job ads say "reducing costs", "strong budget management skills", "knowledge of accounting";
ESCO labels say "reduce costs", "manage budgets", "accounting". ``forms`` gives the phrase's
variants, most literal first: the frame ("knowledge of", "ability to") and degree words
("strong", "excellent") dropped, a generic tail ("skills", "approach") dropped, the first
word's "-ing" form turned back into the verb, the last word's number switched, and a
"<noun> management" turned into "manage <noun>". ``core`` is the one variant worth embedding.

No lemmatiser ships with the project, so a verb's base form is the candidate ("reduc",
"reduce", "control" for "reducing", "controlling") that ESCO's own labels use as a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_FRAME = re.compile(
    r"^(?:(?:proven|demonstrable|demonstrated|previous|prior|some|good|strong|excellent|solid|sound|working|"
    r"thorough|basic|in-depth|extensive|sufficient|relevant|practical|hands-on|a|an|the)\s+)*"
    r"(?:experience|knowledge|understanding|awareness|command|grasp|track record|record|ability|abilities|"
    r"capability|capabilities|familiarity|proficiency|expertise|background|competence|exposure|"
    r"able|willing|willingness|fluent|fluency|proficient|familiar|experienced|skilled|competent|"
    r"focus|responsible|responsibility|involvement|comfortable|confident|keen|passion|interest)\s+"
    r"(?:of|in|with|to|for|on|at|working with|working in|using)\s+", re.I)
_DEGREE = frozenset(
    "a an the strong good excellent great proven high highly solid sound effective outstanding exceptional "
    "very advanced relevant key overall all any some demonstrable thorough confident clear first-class "
    "first class superb exemplary strong excellent effective efficient robust professional".split())
_TAIL = frozenset("skills skill ability abilities approach experience knowledge background orientation "
                  "capability capabilities competence competencies expertise techniques".split())
# "<noun> management" -> "manage <noun>": ESCO names most skills as verb phrases.
_NOUN_VERB = {"management": "manage", "control": "control", "analysis": "analyse", "development": "develop",
              "design": "design", "maintenance": "maintain", "planning": "plan", "testing": "test",
              "handling": "handle", "preparation": "prepare", "monitoring": "monitor", "reporting": "report",
              "administration": "administer", "installation": "install", "repair": "repair",
              "creation": "create", "negotiation": "negotiate", "coordination": "coordinate",
              "supervision": "supervise", "training": "train", "evaluation": "evaluate", "assessment": "assess",
              "recruitment": "recruit", "inspection": "inspect", "operation": "operate", "processing": "process",
              "writing": "write", "selling": "sell", "building": "build", "forecasting": "forecast"}
# "-ing" words that name a field before a noun ("accounting records", "marketing plan"), not a verb.
_ING_NOUNS = frozenset("accounting marketing engineering building planning cleaning welding processing programming "
                       "nursing banking catering manufacturing publishing printing mining farming computing plumbing "
                       "clothing housekeeping bookkeeping modelling modeling networking training pricing "
                       "purchasing invoicing billing licensing tendering costing auditing recruiting".split())
_WORD = re.compile(r"[a-z0-9][a-z0-9+#.&'/-]*")


def words(phrase: str) -> list[str]:
    return _WORD.findall(phrase.lower())


def base_verb(word: str, vocabulary: frozenset[str]) -> str:
    """The verb an "-ing" word comes from, when ESCO's labels use it ("controlling" -> "control")."""
    if not word.endswith("ing") or len(word) < 6:
        return word
    stem = word[:-3]
    for candidate in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else "",
                      stem[:-1] + "ie" if stem.endswith("y") else ""):
        if candidate and candidate in vocabulary:
            return candidate
    return word


def _number(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ss") or len(word) < 4:
        return word + "es" if word.endswith("ss") else word
    if word.endswith("s"):
        return word[:-1]
    return word[:-1] + "ies" if word.endswith("y") and word[-2] not in "aeiou" else word + "s"


def core(phrase: str, vocabulary: frozenset[str]) -> str:
    """The phrase without frame, degree words and generic tail, its first verb in base form."""
    text = _FRAME.sub("", phrase.strip().lower())
    tokens = [w for w in words(text) if w not in _DEGREE]
    while len(tokens) > 1 and tokens[-1] in _TAIL:
        tokens.pop()
    if len(tokens) > 1 and tokens[0] not in _ING_NOUNS:  # "reducing costs", not "accounting" alone
        tokens[0] = base_verb(tokens[0], vocabulary)
    return " ".join(tokens) or phrase.strip().lower()


def forms(phrase: str, vocabulary: frozenset[str]) -> list[str]:
    """Variants of an English phrase to look up, most literal first, without repeats."""
    out: list[str] = [phrase.strip().lower()]
    main = core(phrase, vocabulary)
    tokens = main.split()
    out.append(main)
    if tokens:
        out.append(" ".join([*tokens[:-1], _number(tokens[-1])]))
    if len(tokens) >= 2 and tokens[-1] in _NOUN_VERB:
        obj = tokens[:-1]
        out.append(" ".join([_NOUN_VERB[tokens[-1]], *obj]))
        out.append(" ".join([_NOUN_VERB[tokens[-1]], *obj[:-1], _number(obj[-1])]))
    return list(dict.fromkeys(f for f in out if f))


def conjuncts(phrase: str) -> list[str]:
    """The parts of an enumeration ("planning, resourcing and executing X") longer phrases
    split into, each at least one word."""
    parts = re.split(r"\s*(?:,|;|/|\band\b|\bor\b|\bas well as\b|&)\s*", phrase)
    return [p for p in (part.strip() for part in parts) if p and p.lower() not in _DEGREE]


def vocabulary_of(labels: Iterable[str]) -> frozenset[str]:
    """Every word ESCO's labels use: the dictionary ``base_verb`` checks against."""
    return frozenset(w for label in labels for w in words(label))
