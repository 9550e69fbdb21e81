"""Fast unit tests of the Telegram formatter."""

from __future__ import annotations

from bot.telegram.format import answer_messages, esc, pack
from knowledge.schema import Answer, Citation
from tests.auxil.fake_telegram import visible_html


def test_escapes_only_what_telegram_html_needs() -> None:
    assert esc("a < b & c > d \"q\"") == "a &lt; b &amp; c &gt; d \"q\""


def test_splits_at_paragraph_boundaries() -> None:
    paragraphs = [(f"para {i} " + "x" * 1500, "{}") for i in range(5)]
    messages = pack(paragraphs)
    assert len(messages) == 3
    assert all(m.startswith("para") for m in messages), "no paragraph is cut in two"


def test_a_paragraph_longer_than_a_message_is_cut_at_spaces() -> None:
    messages = pack([("word " * 2000, "<b>{}</b>")])
    assert len(messages) >= 3 and all(len(m) <= 4096 for m in messages)
    assert all(m.startswith("<b>") and m.endswith("</b>") for m in messages)


def test_answer_then_numbered_sources() -> None:
    answer = Answer(text="From the knowledge base:\n\n[1] BD220: prerequisites BD110", grounded=True,
                    citations=(Citation("courses/courses.csv", "courses", "course", "row 16", 0.9),))
    (message,) = answer_messages(answer, "Sources")
    shown = visible_html(message)
    assert shown.endswith("Sources\n\n[1] courses/courses.csv — row 16")
