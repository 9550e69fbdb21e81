"""Mentions of odd Unicode: offsets stay Python string offsets (text[start:end] is the mention)
and a mention neither starts nor ends with a line break, a space, an invisible format mark (zero
width joiner, bidi override) or a pictograph; CR ends a line as LF does."""

from __future__ import annotations

import unicodedata

from knowledge.skills.extract import mentions

TEXTS = [
    "熟悉Python\u0301、SQL\u200d、👩\u200d💻Java，\u202eExcel\u3000和Word\r\n持有C1驾照\u0000",
    "Knowledge of SQL\u00a0and Power BI.\r\nExperience with\u2067 Excel\u2069 and\ufeff Tableau.",
    "熟悉\U0001F600Python、SQL\rExcel",
]


def test_mentions_are_exact_offsets_without_invisible_edges() -> None:
    for text in TEXTS:
        found = [text[a:b] for a, b in mentions(text)]
        assert found, text
        for mention in found:
            for edge in (mention[0], mention[-1]):
                assert not edge.isspace() and unicodedata.category(edge)[0] not in "CZ", (text, mention)
                assert unicodedata.category(edge) != "So", (text, mention)
    assert [TEXTS[2][a:b] for a, b in mentions(TEXTS[2])] == ["Python", "SQL", "Excel"]
