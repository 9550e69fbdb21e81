"""Crafted texts cost the skills extractor little: 100 KB of one repeated pattern (a run of
frames, digits, one long word, a list of thousands of "and"s or names) took minutes to hours
before (a search retried from every character of a run, a lookup of every sub-phrase of a
run, a copy of the clause per frame cut). Each check runs in a child process with a bound far
above what the linear code needs (about a second), so it fails only on a runaway."""

from __future__ import annotations

import pytest

from tests.auxil.bounded import run_bounded

BOUND = 60  # seconds

_MENTIONS = "from knowledge.skills.extract import mentions\n"
CHECKS = {
    # A run of 37,500 words joined by "and": each "and" looked up both sides (cubic).
    "en_and_run": _MENTIONS + "mentions('SQL and ' * 12_500)\n"
                              "assert mentions('Knowledge of SQL and Power BI.')\n",
    # One 100,000-letter word: GLUED was searched from each of its letters.
    "en_long_word": _MENTIONS + "mentions('a' * 100_000)\n",
    # A list of 16,000 names: the cue before each ("using") was searched from the sentence start.
    "en_name_list": _MENTIONS + "mentions('Xero, ' * 16_000)\n",
    # Pay words in every clause: each one rebuilt the sentence.
    "en_noise_run": _MENTIONS + "mentions('salary ' * 15_000)\nmentions('salary, ' * 12_000)\n",
    # Digits after a frame: "\\d+ cm" and "N年以上" were searched from each digit.
    "zh_digits": _MENTIONS + "mentions('熟悉' + '1' * 100_000)\nmentions('至少' + '1' * 100_000)\n",
    # A megabyte of frames: each cut copied the rest of the clause.
    "zh_frames": _MENTIONS + "assert mentions('熟悉' * 500_000 + 'Python') == [(1_000_000, 1_000_006)]\n"
                             "mentions('等' * 1_000_000)\n",
    # The strong alias inside a phrase: every sub-phrase of a 15,000-word phrase was joined and tried.
    "within": "from knowledge.skills.taxonomy import taxonomy\n"
              "assert taxonomy().piece_within('sql and ' * 5_000) == ''\n"
              "assert taxonomy().piece_within('SQL joins') == 'sql'\n",
}


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_crafted_text_costs_linear_time(name: str) -> None:
    run_bounded(CHECKS[name], BOUND, f"{name}: the extractor on about 100 KB")


def test_a_long_run_of_subjects_and_verbs_is_no_recursion_error() -> None:
    from knowledge.skills.extract import mentions

    assert mentions("team managing " * 2_000) == []  # _split_subject recursed once per pair


def test_a_text_of_thousands_of_distinct_phrases_embeds_only_a_few_hundred() -> None:
    # Each distinct unlinked phrase was embedded (about 8 ms each): 12,000 of them took minutes.
    code = ("from knowledge.skills.extract import MAX_EMBEDDED, extractor\n"
            "text = '熟悉' + '、'.join(f'鸿蒙开发{i}号' for i in range(12_000))\n"
            "found = extractor().extract(text).skills\n"
            "assert len(found) == 12_000 and not any(s.known for s in found)\n"
            "assert MAX_EMBEDDED <= 1000\n")
    run_bounded(code, BOUND, "linking 12,000 distinct phrases")
