"""Hypothesis: the Telegram formatter always produces messages Telegram accepts, and loaders
turn any bytes into a document or an IngestError, never a crash."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.telegram.format import LIMIT, answer_messages, pack
from ingest.loaders import LOADERS, load_bytes
from knowledge.errors import IngestError
from knowledge.schema import Answer, Citation
from tests.auxil.fake_telegram import visible_html

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12000)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, source=st.text(min_size=1, max_size=200))
def test_answers_always_fit_and_parse(text: str, source: str) -> None:
    answer = Answer(text=text, grounded=True, citations=(Citation(source, "t", "course", "<b>", 0.5),))
    messages = answer_messages(answer, "Sources")
    shown = "".join(visible_html(m) for m in messages)  # raises where Telegram would refuse
    assert all(len(m) <= LIMIT for m in messages)
    compact = re.sub(r"\s+", "", shown)
    assert re.sub(r"\s+", "", text)[:200] in compact
    assert re.sub(r"\s+", "", source)[:100] in compact


@settings(max_examples=60, deadline=None)
@given(paragraphs=st.lists(st.tuples(texts, st.sampled_from(["{}", "<b>{}</b>", "<i>{}</i>"])),
                           min_size=1, max_size=5))
def test_pack_keeps_markup_balanced(paragraphs: list[tuple[str, str]]) -> None:
    for message in pack(paragraphs):
        assert len(message) <= LIMIT
        visible_html(message)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4000), suffix=st.sampled_from(sorted(LOADERS)))
def test_loaders_never_crash_on_arbitrary_bytes(data: bytes, suffix: str) -> None:
    try:
        doc = load_bytes(data, f"fuzz{suffix}")
    except IngestError as exc:
        assert f"fuzz{suffix}" in str(exc)
    else:
        assert doc.blocks
