"""Linking phrases to ESCO: the calibrated threshold decides (just under it a phrase stays an
unrecognised requirement), plainer forms of a phrase find ESCO's wording (plural, "-ing",
frames and degree words), and a linked skill reports ESCO's own preferred label and URI."""

from __future__ import annotations

import pytest

from knowledge.skills import Extractor, Linker, taxonomy
from knowledge.skills.forms import base_verb, conjuncts, core, forms, vocabulary_of
from knowledge.skills.taxonomy import DATA, ESCO_PREFIX, _lines


@pytest.fixture(scope="module")
def esco_labels() -> dict[str, str]:
    """ESCO URI -> preferred label, read straight from the shipped file, not through the taxonomy."""
    return {ESCO_PREFIX + row[0]: row[2] for row in _lines(DATA / "esco.tsv.gz")}


@pytest.fixture(scope="module")
def vocabulary() -> frozenset[str]:
    return vocabulary_of(label for _, _, label, *_ in _lines(DATA / "esco.tsv.gz"))


def test_a_phrase_just_under_the_threshold_stays_unknown_and_just_over_links() -> None:
    tax = taxonomy()
    sentence = "Experience of sorting parcels by postcode."
    phrase = next(m.text for s in Extractor(tax).extract(sentence).skills for m in s.mentions if "parcels" in m.text)
    assert Linker(tax)._alias(phrase) is None and tax.within(phrase) is None  # only the embedding can link it
    (concept_id, score), = Linker(tax).nearest([phrase])
    under = Linker(tax, {"en": score + 0.001, "zh": 0.9}).link([phrase])[0]
    over = Linker(tax, {"en": score - 0.001, "zh": 0.9}).link([phrase])[0]
    assert under.concept is None and under.how == "none" and under.score == pytest.approx(score, abs=0.001)
    assert over.concept is not None and over.concept.id == concept_id and over.how == "embedding"
    # Through the extractor, the phrase under the threshold is kept as an unrecognised requirement.
    for thresholds, known in (({"en": score + 0.001, "zh": 0.9}, False), ({"en": score - 0.001, "zh": 0.9}, True)):
        found = Extractor(tax, Linker(tax, thresholds)).extract(sentence).skills
        kept = [s for s in found if any(m.text == phrase for m in s.mentions)]
        assert len(kept) == 1 and kept[0].known is known and bool(kept[0].uri) is known


def test_plainer_forms_of_a_phrase(vocabulary: frozenset[str]) -> None:
    assert base_verb("reducing", vocabulary) == "reduce"
    assert base_verb("controlling", vocabulary) == "control"
    assert base_verb("maintaining", vocabulary) == "maintain"
    assert base_verb("string", vocabulary) == "string"  # not a verb form ESCO knows: unchanged
    assert core("Strong knowledge of the accounting skills", vocabulary) == "accounting"
    assert core("accounting records", vocabulary) == "accounting records"  # a field, not a verb
    assert core("proven ability to influence suppliers", vocabulary) == "influence suppliers"
    assert "reduce costs" in forms("reducing costs", vocabulary)
    assert "manage budgets" in forms("excellent budget management skills", vocabulary)
    assert "cash flow forecast" in forms("cash flow forecasts", vocabulary)  # plural -> singular
    assert conjuncts("planning, resourcing and executing supply chains") == \
        ["planning", "resourcing", "executing supply chains"]


@pytest.mark.parametrize(("phrase", "label"), [
    ("reducing costs", "control of expenses"),                # a reviewed English alias
    ("excellent budget management skills", "manage budgets"),  # degree word, tail, noun -> verb
    ("knowledge of accounting", "accounting"),                 # frame
    ("greeting guests", "greet guests"),                       # -ing form
    ("controlling expenses", "control of expenses"),            # an ESCO alternative label
    ("supply chain", "supply chain management"),               # canonical skill -> its nearest ESCO concept
])
def test_variants_reach_esco_concepts(phrase: str, label: str, esco_labels: dict[str, str]) -> None:
    link = Linker(taxonomy()).link([phrase], embed=False)[0]
    assert link.concept is not None and link.how == "alias"
    assert link.concept.label == label and esco_labels[link.concept.uri] == label


def test_a_lone_generic_word_in_an_enumeration_does_not_link() -> None:
    # "guide" is one of ESCO's one-word labels, not a reviewed name: it does not speak for the phrase,
    # while a reviewed name ("Selenium") or a part of two words or more does.
    tax = taxonomy()
    assert "guide" in tax.aliases and "guide" not in tax.strong
    linker = Linker(tax)
    assert linker.link(["guide and fund flows"], embed=False)[0].concept is None
    named = linker.link(["fund flows and Selenium"], embed=False)[0]
    assert named.how == "part" and named.concept is not None and named.concept.label == "tools for ICT test automation"


def test_linked_skills_carry_esco_preferred_label_and_uri(esco_labels: dict[str, str]) -> None:
    text = ("Excellent communication skills.\nAttention to detail.\nBudget control.\nSelenium.\n"
            "Fluent in German.\nSupply chain.\n熟悉Python。\n具备团队合作精神。")
    skills = Extractor().extract(text).skills
    linked = [s for s in skills if s.uri]
    assert len(linked) >= 6
    for skill in linked:
        assert skill.known and skill.uri.startswith(ESCO_PREFIX)
        assert skill.label == esco_labels[skill.uri], f"{skill.label!r} is not ESCO's label of {skill.uri}"
    labels = {s.label for s in linked}
    assert {"communication", "attend to detail", "tools for ICT test automation", "manage budgets"} <= labels


def test_a_canonical_skill_reports_the_esco_concept_the_words_name(esco_labels: dict[str, str]) -> None:
    # "market research" is an alias of the project's marketing skill and ESCO's own label of a concept:
    # the link names that concept and keeps marketing as its group (what match and gap count under).
    link = Linker(taxonomy()).link(["market research"], embed=False)[0]
    assert link.concept is not None and link.concept.label == "market research"
    assert esco_labels[link.concept.uri] == "market research" and link.concept.canonical == "marketing"


@pytest.mark.parametrize(("phrase", "label", "group"), [
    ("conduct market research", "perform market research", "marketing"),  # a doing verb: ESCO's own
    ("prepare monthly financial statements", "prepare financial statements", "accounting"),
])
def test_a_duty_on_a_field_of_knowledge_names_the_skill(phrase: str, label: str, group: str,
                                                        esco_labels: dict[str, str]) -> None:
    link = Linker(taxonomy()).link([phrase], embed=False)[0]
    assert link.concept is not None and link.concept.type == "skill" and link.concept.label == label
    assert esco_labels[link.concept.uri] == label and link.concept.canonical == group


def test_a_tool_esco_files_under_a_broader_concept_carries_its_uri(esco_labels: dict[str, str]) -> None:
    # ESCO lists "Microsoft Office Excel" as an alternative label of "use spreadsheets software": Excel
    # stays the tool it is (its own id and label), and its URI says which ESCO skill it is.
    result = Extractor().extract("Proficient with Microsoft Word, Excel, Outlook and AutoCAD.")
    found = {m.text: s for s in result.skills for m in s.mentions}
    expected = {"Microsoft Word": "use word processing software", "Excel": "use spreadsheets software",
                "Outlook": "use personal organization software", "AutoCAD": "use CAD software"}
    for text, label in expected.items():
        assert found[text].id.startswith("tool:") and found[text].label != label
        assert esco_labels[found[text].uri] == label
    # A tool ESCO has no concept for, and files under none, has no URI.
    assert Extractor().extract("Experience with Docker.").skills[0].uri == ""


def test_a_language_use_is_reported_as_the_language(esco_labels: dict[str, str]) -> None:
    # "speak German" is an alternative label of "interact verbally in German"; a job ad asking for it
    # asks for German, the concept ESCO's language pillar has for the language itself.
    link = Linker(taxonomy()).link(["be fluent in German"], embed=False)[0]
    assert link.concept is not None and link.concept.type == "language"
    assert esco_labels[link.concept.uri] == "German"


def test_a_long_duty_embeds_what_its_preposition_governs() -> None:
    linker = Linker(taxonomy())
    assert "electronic design" in linker._queries("industry experience of electronic design")
    assert linker._queries("Analyse large data sets") == ["analyse large data sets"]  # short: whole


def test_unrelated_words_stay_unrecognised_at_the_shipped_threshold() -> None:
    # The threshold keeps place names and company talk out, and ".NET" is not the word "net".
    links = Linker(taxonomy()).link(["Newcastle", "pleasant working environment", "net investor"])
    assert [link.concept for link in links] == [None, None, None]
