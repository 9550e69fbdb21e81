"""Crafted postings cost little: the patterns that find a posting's labels at a line start
must not rescan the rest of the text from every line (quadratic: 20,000 blank lines took a
minute, a megabyte hours). Each check runs in a child process with a bound two orders of
magnitude above what the linear patterns need, so it fails only on a runaway, not on a busy
machine."""

from __future__ import annotations

import pytest

from tests.auxil.bounded import run_bounded

BOUND = 120  # seconds; the linear patterns take well under one on a megabyte

CHECKS = {
    "classify": (
        "from ingest.classify import posting_signals\n"
        "for text in ('\\n' * 1_000_000, '1.\\n' * 300_000, '-\\n' * 500_000):\n"
        "    assert posting_signals(text) == 0\n"
        "assert posting_signals('\\n\\n  - Requirements: SQL\\n\\n* Location: Leeds\\n 要求：SQL') >= 2\n"),
    "internships": (
        "from knowledge.skills.internships import _LABEL_RUN_ON\n"
        "for text in ('\\n' * 1_000_000, '-\\n' * 500_000, ' \\n' * 500_000):\n"
        "    assert _LABEL_RUN_ON.sub(r'\\1\\n', text) == text\n"
        "text = '\\n\\n-\\n## Requirements: Java, SQL\\nnothing'\n"
        "assert _LABEL_RUN_ON.sub(r'\\1\\n', text) == '\\n\\n-\\n## Requirements:\\nJava, SQL\\nnothing'\n"),
    # A posting document of 40,000 chunks (the store's chunks are joined back into postings).
    "join": (
        "from knowledge.skills.internships import _join\n"
        "parts = [f'basic nursing care {n} ' * 50 for n in range(40_000)]\n"
        "assert len(_join(parts)) == sum(len(p) for p in parts) + len(parts) - 1 - 1\n"
        "seam = 'x' * 30\n"
        "joined = _join(['a' * 200 + seam, seam + 'b' * 50, 'c' * 40])\n"
        "assert joined == 'a' * 200 + seam + 'b' * 50 + '\\n' + 'c' * 40\n"),
}


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_posting_text_costs_linear_time(name: str) -> None:
    run_bounded(CHECKS[name], BOUND, f"{name}: the label patterns on a megabyte of blank lines")
