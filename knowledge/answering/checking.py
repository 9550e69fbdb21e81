"""A generated answer, checked sentence by sentence as it streams, before any of it is shown.

A sentence passes when it cites at least one existing passage, every passage it cites bears
it out (``guard.supported``), it does not talk like an instruction to an assistant, and it does
not repeat the system prompt. A sentence that fails is dropped; an answer that says NO_ANSWER
or repeats the system prompt anywhere is rejected whole (the caller falls back to quotes).
Citations are renumbered in order of first appearance, so the text that streamed is the text
of the final answer. Entities the model copied from the escaped passages are read back.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from knowledge.answering.guard import addressed_to_assistant, leaks, printable, seen, supported, without_orders
from knowledge.language import detect_language
from knowledge.schema import Answer, Citation

if TYPE_CHECKING:
    from knowledge.answering.llm import Prompt

_CITE = re.compile(r"\[(\d{1,2})\]")
_END = re.compile(r"\n|[。！？；]|[.!?;](?=\s|\[|$)")
_TRAIL = re.compile(r"(?:[ \t]*\[\d{1,2}\])+(?:[ \t]*[.。])?")
_ABBREVIATION = re.compile(r"\b(mr|ms|mrs|dr|prof|st|no|vs|etc|e\.g|i\.e|approx|dept|inc|ltd|co)\.$",
                           re.IGNORECASE)
_PARTIAL_CITE = re.compile(r"\[\d{0,2}$")


def next_sentence(buffer: str, final: bool) -> tuple[str, str] | None:
    """``(sentence, rest)`` when ``buffer`` starts with a complete sentence, else None.

    A sentence keeps the whitespace before it and the citations right after its full stop;
    until more text arrives (``final`` False), a sentence that might still grow is not taken.
    """
    for match in _END.finditer(buffer):
        end = match.start() if match.group() == "\n" else match.end()
        trail = _TRAIL.match(buffer, end)
        if trail:
            end = trail.end()
        if not buffer[:end].strip():
            continue
        following = buffer[end:].lstrip()
        if not following or _PARTIAL_CITE.fullmatch(following):
            break  # citations may follow; wait for them
        if match.group() == "." and (following[0].islower() or _ABBREVIATION.search(buffer[:end])):
            continue
        return buffer[:end], buffer[end:]
    if final and buffer.strip():
        return buffer, ""
    return None


class AnswerChecker:
    """Feed the model's text as it arrives; get back only text that passed."""

    def __init__(self, prompt: Prompt) -> None:
        self.prompt = prompt
        self.raw = ""
        self.rejected = False
        self._buffer = ""
        self._entity = ""  # the tail of the text that may be the start of an entity
        self._lead = ""  # a lead-in ("It is assessed by:") waiting for the line it introduces
        self._shown: list[str] = []
        self._order: dict[int, int] = {}

    def feed(self, delta: str) -> list[str]:
        self.raw += delta
        # The passages were escaped, so a model may copy "&amp;": read entities back, but not
        # one cut in half between two pieces.
        self._entity += delta
        cut = self._entity.rfind("&")
        if cut != -1 and ";" not in self._entity[cut:] and len(self._entity) - cut < 10:
            ready, self._entity = self._entity[:cut], self._entity[cut:]
        else:
            ready, self._entity = self._entity, ""
        self._buffer += html.unescape(ready)
        return self._drain(final=False)

    def finish(self) -> list[str]:
        self._buffer += html.unescape(self._entity)
        self._entity = ""
        passed = self._drain(final=True)
        if leaks(self.raw, self.prompt.system):
            self.rejected = True
        return passed

    def _drain(self, final: bool) -> list[str]:
        passed: list[str] = []
        while not self.rejected:
            taken = next_sentence(self._buffer, final)
            if taken is None:
                break
            sentence, self._buffer = taken
            text = self._judge(sentence)
            if text:
                self._shown.append(text)
                passed.append(text)
        return passed

    def _judge(self, sentence: str) -> str:
        """The sentence as shown (renumbered), or "" when it does not pass."""
        if "no_answer" in seen(sentence) or leaks(sentence, self.prompt.system):
            self.rejected = True
            return ""
        text, self._lead = self._lead + sentence, ""
        valid = range(1, len(self.prompt.hits) + 1)
        cited = [n for n in (int(c) for c in _CITE.findall(text)) if n in valid]
        if not cited:
            if text.rstrip().endswith((":", "：")):
                self._lead = text
            return ""
        evidence = [self.prompt.evidence[n - 1] for n in dict.fromkeys(cited)]
        if addressed_to_assistant(text) or not supported(text, evidence):
            return ""
        for n in cited:
            self._order.setdefault(n, len(self._order) + 1)
        text = _CITE.sub(lambda m: f"[{self._order[int(m.group(1))]}]"
                         if int(m.group(1)) in valid else "", text)
        text = re.sub(r"[ \t]+([,.;:，。；：])", r"\1", printable(text)).rstrip()
        return text if self._shown else text.lstrip()

    def answer(self, question: str, tokens: int) -> Answer | None:
        """The checked answer, or None when nothing may be shown."""
        if self.rejected or not self._shown:
            return None
        hits = [self.prompt.hits[n - 1] for n in sorted(self._order, key=self._order.__getitem__)]
        citations = tuple(
            Citation(source=h.source, title=h.title, doc_type=h.doc_type, locator=h.locator,
                     score=h.relevance, quote=without_orders(h.text)[:300])
            for h in hits
        )
        return Answer(text="".join(self._shown), grounded=True, citations=citations,
                      backend="llm", language=detect_language(question), tokens=tokens)
