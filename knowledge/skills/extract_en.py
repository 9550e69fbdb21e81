"""Candidate requirement phrases in English text: the content phrases between the frame
words of a job ad ("you will have", "experience of", "ability to", "the successful candidate").

A sentence is cut at punctuation and at function words (articles, pronouns, auxiliaries,
most prepositions); "and", "or", "of" and "with" join a phrase only where a content word
follows. Each piece loses its frame at both ends (proven/excellent/strong …, "skills",
"experience", "knowledge of"), and survives only with a content word in it. A piece naming two
things is split at and/or ("balance sheet reconciliations and variance analysis", but not
"written and verbal communication"), a subject is cut from its verb ("client requires"), and a
lone name in a list beside a skill is one too ("Jira and Confluence"). Job titles (ESCO's
occupation labels and their heads: "Sous Chef", "Bulldozer Operator"), industries named as the
setting of the work ("experience in FMCG"), employers, places, perks, money and grades are not
skills. Clauses about applying, pay or the recruiter, and sentences about the employer, its
benefits or equal opportunities, are dropped: their nouns are not requirements. The word lists
are in ``words_en``. Returned as (start, end) offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from knowledge.skills import words_en as fw
from knowledge.skills.taxonomy import norm, taxonomy

Span = tuple[int, int]


def _tech(word: str) -> bool:
    """An acronym, product or version name: SQL, iTrent, C#, .Net, B2B, SalesForce.com."""
    return bool(re.search(r"[+#]|\d|^\.|[a-z][A-Z]|^[A-Z]{2,}s?$|\.[a-z]", word))


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in fw.TOKEN.finditer(text)]


def _sentences(text: str) -> list[Span]:
    out: list[Span] = []
    start = 0
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z*])|\n+|(?<=[a-z]):\s+", text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [(a, b) for a, b in out if b > a]


def _is_break(word: str) -> bool:
    low = word.lower().replace("’", "'")
    if word in ("IT", "US", "IS"):
        return False  # "IT skills", "US GAAP": an acronym, not the pronoun
    return (low in fw.BREAK or fw.UNIT.fullmatch(low) is not None
            or not re.search(r"[A-Za-z0-9]", word) and word not in fw.JOIN)


def _glued(prev: str, word: str, nxt: str) -> bool:
    """A break word that belongs to the phrase: a version or standard number after a name ("Sage 50",
    "ISO 9001", "Level 2"), but not a year or a date; "in" between a degree and its subject."""
    if word.isdigit():
        year = len(word) == 4 and word[:2] in ("19", "20")
        return ((prev[:1].isupper() or prev.lower() == "level") and prev.lower() not in fw.MONTHS and not year
                and not fw.UNIT.fullmatch(nxt.lower()))
    return word.lower() == "in" and prev.lower() in fw.DEGREE and nxt[:1].isalpha() and not _is_break(nxt)


def _trim(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A piece without its frame: quantities, frame words, determiners and settings at its edges."""
    if " ".join(w for _, _, w in tokens).lower() in fw.traits():
        return tokens  # "confident", "self motivated": a quality, though also a frame word elsewhere
    if len(tokens) > 2 and tokens[1][2].lower() == "of" and (tokens[0][2].lower() in fw.QUANTITY
                                                             or tokens[0][2].lower() in fw.GENERIC_HEAD):
        tokens = tokens[2:]  # "a variety of commercial insurance classes", "the heart of everything"
    while tokens and (tokens[0][2].lower() in fw.EDGE or tokens[0][2].lower() in fw.LEAD_ONLY) \
            and not (tokens[0][2].lower() == "level" and len(tokens) > 1 and tokens[1][2].isdigit()):
        tokens = tokens[1:]
    if len(tokens) == 2 and any(fw.GRADE.fullmatch(w) for _, _, w in tokens):
        other = tokens[1] if fw.GRADE.fullmatch(tokens[0][2]) else tokens[0]
        if other[2].lower() in fw.LANGUAGES:
            return [other]  # "C1 English": the language is the skill, its level a grade of it
    if len(tokens) > 1 and tokens[-1][2].lower() in fw.DOMAIN:
        return []  # "the financial services industry": a domain, not a skill
    while tokens and (tokens[-1][2].lower() in fw.EDGE or tokens[-1][2].lower() in fw.LEAD_ONLY
                      or tokens[-1][2].lower() in fw.DETERMINERS
                      or len(tokens) > 1 and tokens[-1][2].lower() in fw.SETTING
                      or len(tokens) > 1 and fw.ADVERB.fullmatch(tokens[-1][2])
                      and not (_verbal(tokens[-2][2]) or tokens[-2][2] == "working")):
        if tokens[-1][2].lower() not in fw.EDGE_TAIL and _named(tokens):
            break  # "team working (skills)": a frame word that is part of a name the taxonomy knows
        if len(tokens) > 1 and tokens[-1][2].lower() in fw.OBJECT and _verbal(tokens[-2][2]) \
                or tokens[-1][2].lower() in ("records", "record") and len(tokens) > 1:
            break  # "sharing knowledge", "maintain accurate patient records": the object of a verb
        tokens = tokens[:-1]  # "English fluently", "forklift truck safely": the adverb of a verb outside
    return tokens


def _named(tokens: list[tuple[int, int, str]]) -> bool:
    return _named_words([w for _, _, w in tokens])


def _named_words(words: list[str]) -> bool:
    """Whether the words are a multi-word name the taxonomy knows ("team working")."""
    return len(words) > 1 and norm(" ".join(words)) in taxonomy().strong


def _verbal(word: str) -> bool:
    """A verb or gerund ("sharing", "communicate"), whose object or adverb belongs to the phrase."""
    low = word.lower()
    return word.isalpha() and word.islower() and (low in fw.verbs() or low.endswith("ing") and len(low) > 5
                                                  and low not in fw.NOT_GERUND)


def _pieces(tokens: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Runs of tokens between breaks; a joiner joins only between two content words."""
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for i, tok in enumerate(tokens):
        word = tok[2]
        low = word.lower()
        if low in fw.JOIN:
            nxt = tokens[i + 1][2] if i + 1 < len(tokens) else ""
            prev = current[-1][2].lower() if current else ""
            # "X and Y" stays one phrase, but not before a new gerund or after "skills", and "/"
            # between names separates them (Selenium/HTML), while copy/audio typing stays.
            lone_gerund = len(current) == 1 and prev.endswith("ing")
            # "working with Selenium", "deal with agencies" but not "operations with attention".
            loose_with = low == "with" and not (prev.endswith("ing") or prev in fw.verbs())
            new_gerund = nxt.lower().endswith("ing") and len(nxt) > 5 and not lone_gerund
            # ... except between two letters or codes (A/B testing, CI/CD).
            short = low == "/" and (len(prev) <= 2 and len(nxt) <= 2
                                    or taxonomy().lookup(f"{prev}/{nxt}") is not None)  # TCP/IP, UI/UX
            splits = (loose_with
                      or low in ("and", "or") and (new_gerund or prev in fw.EDGE or nxt.lower() in fw.ALIKE)
                      or low == "/" and not short and (nxt[:1].isupper() or prev[:1] != prev[:1].lower()
                                                       or bool(current and current[-1][2][:1].isupper())))
            if current and nxt and not splits and not _is_break(nxt) and nxt.lower() not in fw.JOIN:
                current.append(tok)
                continue
            if current:
                runs.append(current)
            current = []
            continue
        if word == "/":
            continue
        prev_word = current[-1][2] if current else ""
        bullet = (word[:1].isupper() and not _tech(word) and prev_word[:1].islower()
                  and prev_word.lower() not in fw.JOIN and prev_word.lower() not in fw.BREAK
                  and (low in fw.EDGE or low in fw.verbs() or low.endswith("ing") and len(low) > 5))
        if bullet and current:  # "… key reports Ensure patches": a new bullet starts
            runs.append(current)
            current = []
        if low in fw.DETERMINERS and current and len(current[-1][2]) > 5 and current[-1][2].lower().endswith("ing") \
                and i + 1 < len(tokens) and not _is_break(tokens[i + 1][2]):
            current.append(tok)  # "managing the payroll": a gerund keeps its object
            continue
        nxt = tokens[i + 1][2] if i + 1 < len(tokens) else ""
        level = len(current) > 1 and current[-2][2].lower() == "level" and current[-1][2].isdigit()
        if current and (_glued(current[-1][2], word, nxt) or level and low == "in" and nxt[:1].isupper()):
            current.append(tok)  # "Sage 50", "ISO 9001", "a degree in Civil Engineering", "NVQ Level 2 in Care"
            continue
        # An adverb after a noun ends the phrase ("orders accurately using"); after a verb it
        # belongs to it ("deal directly with", "potentially close").
        adverb = (fw.ADVERB.fullmatch(word) is not None and bool(current) and nxt != "" and not _is_break(nxt)
                  and prev_word.lower() not in fw.verbs() and prev_word.lower() not in fw.JOIN)
        if _is_break(word) or adverb:
            if current:
                runs.append(current)
            current = []
            continue
        current.append(tok)
    if current:
        runs.append(current)
    return runs


def _keep(words: list[str]) -> bool:
    content = [w for w in words if fw.CONTENT.search(w) and w.lower() not in fw.EDGE and w.lower() not in fw.JOIN]
    if not content or all(fw.GRADE.fullmatch(w) for w in content):
        return False  # "C1", "B1/B2": the grade of a language or a licence, not a skill
    if all(w.lower() in fw.NOT_SKILL or w.isdigit() or "*" in w for w in content) and not _named_words(words):
        return False  # "team", "the business", but not a name the taxonomy knows ("team working")
    if any(w.lower() == "in" and p.lower() in fw.DEGREE for p, w in zip(words, words[1:], strict=False)):
        return True  # "Degree in business": a qualification, whatever its subject
    phrase = " ".join(words)
    tax = taxonomy()
    concept = tax.lookup(phrase)
    # One common word is a skill only by a reviewed name or an ESCO preferred label
    # ("accounting"), not by one of ESCO's many alternative labels ("report", "board").
    known = concept is not None and (len(content) > 1 or norm(phrase) in tax.strong
                                     or norm(concept.label) == norm(phrase))
    if known or phrase.lower() in fw.traits():
        return True
    if _job_title(words):
        return False
    if len(content) == 2 and content[0].lower().endswith("ly") and content[0].islower():
        return False  # "quickly pick", "fully understand": a verb whose object was cut off
    task = content[0].islower() and _verbal(content[0]) and len(content) > 1  # "opening and closing the store"
    generic = content[-1].lower() in fw.GENERIC_HEAD and not (task and content[-1].lower() in fw.PLACE)
    if generic or (len(content) > 1 and content[0].lower() in fw.PERSON and "of" in (w.lower() for w in words)):
        return False
    # "Art Directors", "Copywriters": a capitalised plural agent noun names people, not a skill.
    if re.search(r"[a-z](ers|ors|ists|ians)$", content[-1]) and content[-1][:1].isupper():
        return False
    # A person or employer is no skill, but a duty towards one is ("influence cross functional teams").
    # "Motivate the team", "mentoring junior engineers": a verb whose object is people.
    duty = len(content) > 1 and _verbal(content[0].lower()) and (
        content[-1] in fw.GROUP or _opens_duty(words) and _singular(content[-1].lower()) in fw.occupation_heads())
    if fw.TIME.search(phrase) or content[-1].lower() in fw.PERSON and not duty or fw.GLUED.search(phrase):
        return False
    if len(content) == 1:
        word = content[0]
        if fw.GRADE.fullmatch(word):
            return False
        low = word.lower()
        return _tech(word) or (low.endswith("ing") and low not in fw.NOT_GERUND and len(low) > 5
                               and (low[:-3] in fw.stems() or low[-4] == low[-5] and low[:-4] in fw.stems()))
    vocabulary = fw.vocabulary()
    return any(_tech(w) or w.lower() in vocabulary for w in content if not (w[:1].isupper() and not _tech(w)
                                                                             and w.lower() not in vocabulary))


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word


def _opens_duty(words: list[str]) -> bool:
    """"mentoring junior engineers", "support the developers": a verb whose object follows (but
    "service advisor" is a noun compound)."""
    return len(words) > 1 and _verbal(words[0]) and (words[0].endswith("ing") or words[1].lower() in fw.DETERMINERS)


def _job_title(words: list[str]) -> bool:
    """"Sous Chef", "Senior CNC Machine Operators", "Trainee Buyer": the phrase is an ESCO occupation
    label, once seniority words are dropped, or ends in the head of many ("… Lecturer", "… Operator")."""
    low = [w.lower() for w in words if re.search(r"[A-Za-z0-9]", w)]
    if not low or _opens_duty(words) or any(fw.CERTIFIED.match(w) for w in low):
        return False  # "mentoring junior engineers" is a duty, "AWS Certified Solutions Architect" a credential
    while len(low) > 1 and low[0] in fw.SENIORITY:
        low = low[1:]
    occupations = fw.occupations()
    phrase = " ".join(low)
    # One word is a title only as an agent noun ("Plumber"), not as a name ("Helm", a tool too).
    agent = len(low) > 1 or fw.AGENT.search(low[0]) is not None
    if agent and (phrase in occupations or " ".join([*low[:-1], _singular(low[-1])]) in occupations):
        return True
    # "Audit Senior", "Office Junior": a grade as the head names the post.
    return _singular(low[-1]) in fw.occupation_heads() or len(low) > 1 and low[-1] in ("senior", "junior")


@lru_cache(maxsize=1)
def _framed() -> frozenset[str]:
    """Reviewed phrases with frame words inside ("attention to detail", "work under pressure"),
    which the cut at frame words would break apart."""
    framed = {t for t in fw.traits() if any(_is_break(w) for w in t.split())}
    framed |= {a for a in taxonomy().aliases if " " in a and len(a) <= 40 and a.isascii()
               and any(w in ("to", "under", "in", "on", "with", "for") for w in a.split()[1:-1])
               and len(a.split()) <= 4}
    return frozenset(framed)


def _fixed(tokens: list[tuple[int, int, str]]) -> list[Span]:
    """Spans of framed phrases among the tokens (longest first; a word-level lookup, which
    unlike one regex of thousands of alternatives costs nothing on long course pages)."""
    framed = _framed()
    words = [w.lower() for _, _, w in tokens]
    out: list[Span] = []
    i = 0
    while i < len(tokens):
        for n in (4, 3, 2):
            if i + n <= len(tokens) and " ".join(words[i:i + n]) in framed:
                out.append((tokens[i][0], tokens[i + n - 1][1]))
                i += n
                break
        else:
            i += 1
    return out


def _split_known(run: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """"SQL joins and user interface design" names two things: split at and/or when the taxonomy
    knows something on both sides (but not "research and development")."""
    tax = taxonomy()
    words = " ".join(w for _, _, w in run)
    if tax.lookup(words) is not None:
        return [run]
    for i, (_, _, word) in enumerate(run):
        if word.lower() in ("and", "or", "&") and 0 < i < len(run) - 1:
            left, right = run[:i], run[i + 1:]
            lw, rw = " ".join(w for _, _, w in left), " ".join(w for _, _, w in right)
            if (tax.lookup(lw) or tax.within(lw)) and (tax.lookup(rw) or tax.within(rw)):
                return [left, *_split_known(right)]
    return [run]


def _verb_form(word: str) -> bool:
    """A verb after its subject: "the team supports", "organisation operating"."""
    if not word.islower():
        return False
    verbs = fw.verbs()
    return (word.endswith("ing") and len(word) > 5 or word.endswith("s") and word[:-1] in verbs
            or word.endswith("es") and word[:-2] in verbs)


def _split_subject(run: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """"team managing performance measurement", "client requires": a person or employer followed by
    its verb is a clause, not one phrase; cut after the noun."""
    for i in range(len(run) - 1):
        nxt = run[i + 1][2]
        # "-s" is a verb only right after the subject that opens the clause ("This client requires"),
        # not inside a compound ("dispatch customer orders").
        named = f"{run[i][2]} {nxt}".lower() in fw.traits()  # "team working" is a skill
        if run[i][2].lower() in fw.PERSON and _verb_form(nxt) and (i == 0 or nxt.endswith("ing")) and not named:
            return [run[:i + 1], *_split_subject(run[i + 1:])]
    return [run]


def _split_and(run: list[tuple[int, int, str]], in_list: bool) -> list[list[tuple[int, int, str]]]:
    """"balance sheet reconciliations and variance analysis" names two things, "written and verbal
    communication" and "prepare and cook dishes" one: split at and/or after a phrase of two or more
    words, after a name or a noun ("HACCP and", "communication and") unless both share an "of"
    complement, and after the adjective of a comma list ("honest, reliable and punctual")."""
    if taxonomy().lookup(" ".join(w for _, _, w in run)) is not None:
        return [run]
    words = [w.lower() for _, _, w in run]
    subject = next((i for i, w in enumerate(words[1:], 1) if w == "in"
                    and (words[i - 1] in fw.DEGREE or words[i - 1].isdigit())), len(run))
    for i, (_, _, word) in enumerate(run):
        if i > subject:
            break  # "NVQ Level 2 in Health and Social Care": the subject of a qualification is one
        if word.lower() not in ("and", "or", "&") or not 0 < i < len(run) - 1:
            continue
        left, right = run[:i], run[i + 1:]
        head = left[-1][2]
        shared = "of" in (w.lower() for _, _, w in right)
        low, first = head.lower(), right[0][2]
        parallel = (head.islower() and fw.ADJECTIVE_END.search(low) is not None and not fw.NOUN_END.search(low)
                    and len(right) > 1)
        names = all(w[:1].isupper() and not _tech(w) for _, _, w in run if w.lower() not in fw.JOIN)
        separate = (len(left) > 1 and not parallel or _tech(head) or len(right) == 1 and _tech(first)
                    or fw.NOUN_END.search(low) is not None and not shared
                    or in_list and head.islower() and not head.endswith("ing") and low not in fw.verbs()
                    and not parallel or in_list and names)
        # Each part must still name something ("hardware, software and services" stays whole).
        words = [w for _, _, w in run]
        # A list of names splits anyway ("Kubernetes, Helm and Prometheus"): each may join as a sibling.
        lw, rw = words[:i], words[i + 1:]
        sibling = len(rw) == 1 and _sibling(rw[0]) and _keep(lw) or len(lw) == 1 and _sibling(lw[0]) and _keep(rw)
        traits = " ".join(lw).lower() in fw.traits() and " ".join(rw).lower() in fw.traits()
        if traits or separate and (in_list and names or sibling or not names and _keep(lw) and _keep(rw)):
            return [left, *_split_and(right, False)]
        return [run]
    return [run]


def _sibling(word: str) -> bool:
    """A single word that is a skill when it stands in a list beside one: a product name (Xero,
    Confluence) or a noun or quality (containerisation, patience, punctual)."""
    low = word.lower()
    if low in fw.NOT_SKILL or low in fw.PERSON or low in fw.GENERIC_HEAD or low in fw.EDGE or low in fw.BREAK \
            or _singular(low) in fw.occupation_heads() or low in fw.MONTHS or low in fw.verbs() \
            or fw.GRADE.fullmatch(word):
        return False
    return word[:1].isupper() and word[1:].islower() or low in fw.traits() or (
        word.islower() and fw.NOUN_END.search(low) is not None and low in fw.vocabulary())


def _traits_before(run: list[tuple[int, int, str]]) -> list[Span]:
    """"a proactive and confident Team Secretary": the qualities before a job title are requirements
    (but not the nouns of a team's name: "senior leadership team")."""
    last = run[-1][2].lower()
    if last in fw.GROUP or last not in fw.PERSON and _singular(last) not in fw.occupation_heads():
        return []
    return [(a, b) for a, b, w in run[:-1] if w.lower() in fw.traits() and not fw.NOUN_END.search(w.lower())]


# A run of more words than this with no break word in it is no phrase but a flattened list or a
# crafted text ("SQL and SQL and …"): the longest in the dev sets and the shared corpus has 25
# tokens, and splitting one at its "and"s looks words up on both sides of each (quadratic, and
# recursive), so longer runs are left out.
MAX_RUN = 40
LIST_GAP = re.compile(r"[\s,/()&]*(?:\b(?:and|or)\b[\s,/()&]*)?")


def candidates(text: str) -> list[Span]:
    """Requirement phrases of an English text as (start, end) offsets."""
    spans: list[Span] = []
    text = fw.MONEY.sub(lambda m: " " * len(m.group(0)), fw.FIELD.sub(lambda m: " " * len(m.group(0)), text))
    text = _DEGREE_PHRASE.sub(lambda m: "," + " " * (len(m.group(0)) - 1), text)  # a break, offsets kept
    for s_start, s_end in _sentences(text):
        sentence = text[s_start:s_end]
        if fw.ABOUT.search(sentence) or len(fw.BENEFIT.findall(sentence)) > 1:
            continue
        # Pay, applying or the recruiter: drop the clause that says it, keep the rest.
        clean = _without_noise(sentence)
        tokens = [(a + s_start, b + s_start, w) for a, b, w in _tokens(clean)]
        if _headline(clean, tokens):
            spans.extend(_named_in(tokens, text))
            continue
        fixed = _fixed(tokens)
        spans.extend(fixed)
        if fixed:
            starts = [fa for fa, _ in fixed]
            tokens = [(a, b, "," if _inside(a, starts, fixed) else w) for a, b, w in tokens]
        runs = [part for whole in _pieces(tokens) if len(whole) <= MAX_RUN for part in _split_subject(_trim(whole))]
        runs = [part for whole in runs for known in _split_known(_trim(whole))
                for part in _split_and(known, bool(known) and _after_mark(text, known[0][0]))]
        runs = [run for run in map(_trim, runs) if run]
        kept = [_accept(run, text, s_end) for run in runs]
        for i, run in enumerate(runs):
            if kept[i] or len(run) != 1 or not _sibling(run[0][2]) or _sector(run, text, s_end):
                continue
            # A name after "using"/"such as", or a word before "experience": "using Terraform",
            # "Phlebotomy experience".
            if _cue_before(text, s_start, run[0][0]) or fw.CUE_AFTER.match(text, run[0][1], s_end):
                kept[i] = True
            # A lone name or noun in a list whose neighbour is a skill: "Jira and Confluence".
            for j in (i - 1, i + 1):
                if 0 <= j < len(runs) and kept[j] and LIST_GAP.fullmatch(
                        text[min(run[-1][1], runs[j][-1][1]):max(run[0][0], runs[j][0][0])]):
                    kept[i] = True
        for i, run in enumerate(runs):
            # "anti-money laundering (AML)": the abbreviation repeats the skill before it.
            if i > 0 and kept[i - 1] and len(run) == 1 and run[0][2].isupper() \
                    and re.fullmatch(r"\s*\(", text[runs[i - 1][-1][1]:run[0][0]]) and text.startswith(")", run[0][1]):
                kept[i] = False
        for run, ok in zip(runs, kept, strict=True):
            spans.extend([(run[0][0], run[-1][1])] if ok else _traits_before(run))
    return sorted(set(spans))


# Set phrases that say how much, not what: "hands on experience of", "up to date knowledge of".
_DEGREE_PHRASE = re.compile(r"\b(?:hands[\s-]+on|up[\s-]+to[\s-]+date|in[\s-]+depth|first[\s-]+hand)\b",
                            re.IGNORECASE)


# Words that make a line a sentence rather than a headline.
_SENTENCE_WORDS = frozenset("""you we will is are be must our your would should have has can""".split())


def _headline(sentence: str, tokens: list[tuple[int, int, str]]) -> bool:
    """An ad's title line ("Mechanical Design Engineer SolidWorks Bristol", "Class 1 HGV Driver Nights
    Immediate Start"): capitalised words without a sentence's grammar. It strings together the post,
    the place and the terms; only the names in it are skills."""
    words = [w for _, _, w in tokens if re.search(r"[A-Za-z]", w)]
    if len(words) < 3 or sentence.rstrip().endswith((".", "!", "?", ";", ":")):
        return False
    if any(w in _SENTENCE_WORDS for w in words):
        return False
    if any(w == "to" and nxt.lower() in fw.verbs() for w, nxt in zip(words, words[1:], strict=False)):
        return False  # "Assistant Head Teacher to Lead EYFS": a duty in the title (but "Temp to Perm")
    capitalised = sum(1 for w in words if w[0].isupper() or _tech(w))
    return capitalised >= 0.6 * len(words)


def _named_in(tokens: list[tuple[int, int, str]], text: str) -> list[Span]:
    """The names the taxonomy knows in a headline, longest first ("SQL Server", "SolidWorks", "ACCA"),
    unless they start a job title ("Marketing Executive", "Test Analyst")."""
    tax = taxonomy()
    out: list[Span] = []
    i = 0
    while i < len(tokens):
        for n in (4, 3, 2, 1):
            window = tokens[i:i + n]
            if len(window) < n or not all(re.search(r"[A-Za-z0-9]", w) for _, _, w in window):
                continue
            if not re.fullmatch(r"[ /]*", "".join(
                    text[a[1]:b[0]] for a, b in zip(window, window[1:], strict=False)).replace(" ", "")):
                continue
            phrase = text[window[0][0]:window[-1][1]]
            concept = tax.lookup(phrase)
            if concept is None or (n == 1 and not (_tech(phrase) or concept.type in ("tool", "certificate", "language")
                                                   or norm(phrase) in tax.strong)):
                continue
            following: list[str] = []
            for _, _, word in tokens[i + n:i + n + 2]:
                if not re.search(r"[A-Za-z0-9]", word):
                    break  # "Python, Spark": the comma ends what could be a title
                following.append(word)
            head = _singular(following[0].lower()) if following else ""
            if head in fw.occupation_heads() or head in fw.occupations() or any(
                    _job_title([w for _, _, w in window] + following[:k]) for k in range(len(following) + 1)):
                continue  # "Marketing Executive", "C# .Net Developer", "Audit Semi Senior"
            out.append((window[0][0], window[-1][1]))
            i += n
            break
        else:
            i += 1
    return out


def _without_noise(sentence: str) -> str:
    """The sentence with each clause about pay, applying or the recruiter blanked out (same
    length): each clause once, however many such words it has, so a crafted line of thousands
    of them costs one pass."""
    cuts = [i for i, ch in enumerate(sentence) if ch in ",;:"]
    clauses = set()
    for m in fw.NOISE.finditer(sentence):
        k, j = bisect_left(cuts, m.start()), bisect_left(cuts, m.end())
        clauses.add((cuts[k - 1] + 1 if k else 0, cuts[j] if j < len(cuts) else len(sentence)))
    parts, cursor = [], 0
    for left, right in sorted(clauses):  # a match across a comma may span clauses blanked already
        left = max(left, cursor)
        if right > left:
            parts += [sentence[cursor:left], " " * (right - left)]
            cursor = right
    return "".join([*parts, sentence[cursor:]])


def _inside(pos: int, starts: list[int], spans: list[Span]) -> bool:
    """Whether pos lies in one of the sorted, disjoint spans."""
    k = bisect_right(starts, pos) - 1
    return k >= 0 and pos < spans[k][1]


def _after_mark(text: str, pos: int) -> bool:
    """Whether the last non-space character before pos is "," or "(" (a list item)."""
    while pos > 0 and text[pos - 1].isspace():
        pos -= 1
    return pos > 0 and text[pos - 1] in ",("


def _cue_before(text: str, start: int, pos: int) -> bool:
    """Whether "using", "such as" … and only punctuation stand before pos. The search starts a
    few characters before that punctuation, not at the sentence start: run per name, a search of
    the whole sentence made a long list quadratic."""
    gap = pos
    while gap > start and not (text[gap - 1].isalnum() or text[gap - 1] == "_"):
        gap -= 1
    return fw.CUE_BEFORE.search(text, max(start, gap - 20), pos) is not None


def _next_words(text: str, pos: int, end: int) -> str:
    """The start of what follows pos (up to end), from its first non-space character: enough to
    read its first word without copying the rest of a long sentence for each phrase."""
    while pos < end and text[pos].isspace():
        pos += 1
    return text[pos:min(end, pos + 100)]


def _sector(run: list[tuple[int, int, str]], text: str, s_end: int) -> bool:
    """"experience in FMCG", "Retail or hospitality experience", "a B2B environment": industries
    named as the setting of the work are a domain, not a skill."""
    parts = _LIST_SEPARATOR.split(text[run[0][0]:run[-1][1]])
    if not all(norm(p) in fw.sectors() for p in parts if p.strip()):
        return False
    before = text[max(0, run[0][0] - 120):run[0][0]]
    return _setting_before(before) or fw.SECTOR_AFTER.match(text, run[-1][1], s_end) is not None


# (?<!\s): a long run of spaces is tried once, from its start, not from each space (quadratic).
_LIST_SEPARATOR = re.compile(r"(?<!\s)\s*(?:,|/|&|\band\b|\bor\b)\s*")


def _setting_before(before: str) -> bool:
    """Whether the text before a sector names it as a setting ("in the", "within financial services or")."""
    while not fw.SECTOR_BEFORE.search(before):
        gap = re.search(r"\s*(?:,|/|&|\band\b|\bor\b)\s*$", before)
        if gap is None:
            return False
        words = before[:gap.start()].split()
        size = next((n for n in (3, 2, 1) if len(words) >= n and norm(" ".join(words[-n:])) in fw.sectors()), 0)
        if not size:
            return False
        before = before[:gap.start()].rsplit(None, size)[0] + " " if len(words) > size else ""
    return True


# "full training will be given", "van and fuel card provided": what the employer gives is a perk.
_GIVEN = re.compile(r"\s*(?:(?:will|shall)\s+be|is|are)\s+(?:given|provided|offered|supplied|included)\b|"
                    r"\s*(?:provided|supplied|included)\b(?!\s+(?:that|by|to|with|for)\b)", re.IGNORECASE)


# Who is hiring: "Our client, a leading food manufacturer, is seeking …", "join a growing software house".
_EMPLOYER_BEFORE = re.compile(r"\b(?:client|company|employer|organisation|organization)\s*,\s*(?:a|an|the)?\s*$|"
                              r"\bjoin\s+(?:a|an|the|our|their|this)\s+$", re.IGNORECASE)
_EMPLOYER_AFTER = re.compile(r"\s*,?\s*(?:(?:is|are)\s+(?:seeking|looking|recruiting|hiring)|requires|seeks)\b|"
                             r"\s+(?:that|who|which)\s+(?:develops|supplies|provides|offers|specialises|specializes|"
                             r"operates|manufactures|delivers)\b", re.IGNORECASE)


def _accept(run: list[tuple[int, int, str]], text: str, s_end: int) -> bool:
    if not _keep([w for _, _, w in run]) or _sector(run, text, s_end):
        return False
    if _GIVEN.match(text, run[-1][1], s_end):
        return False
    employer = (_EMPLOYER_BEFORE.search(text, max(0, run[0][0] - 40), run[0][0])
                or _EMPLOYER_AFTER.match(text, run[-1][1], s_end))
    if employer:
        return taxonomy().lookup(text[run[0][0]:run[-1][1]]) is not None  # the employer, unless a known skill
    following = _next_words(text, run[-1][1], s_end).split(maxsplit=1)
    if len(run) == 2 and run[0][2].lower() in fw.PERSON and re.fullmatch(r"[a-z]+[^s]s", run[1][2]) \
            and following and following[0] in fw.BREAK:
        return False  # "client requires a …", "company caters for …": a subject and its verb
    if len(run) == 1 and run[0][2].lower().endswith("ing") and taxonomy().lookup(run[0][2]) is None:
        after = _next_words(text, run[0][1], s_end)
        # ("multitasking capabilities" lost only its frame word, not an object)
        if after and after[0].isalnum() and not after.startswith(("and ", "or ")) \
                and after.split(maxsplit=1)[0].strip(".,;:").lower() not in fw.FRAME_NOUN:
            return False  # "accessing the community": a gerund whose object was cut off
    return True
