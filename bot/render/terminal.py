"""Rich rendering of answers for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from knowledge.schema import Answer


def print_answer(console: Console, answer: Answer, text: bool = True) -> None:
    """The answer (unless it was already streamed), then its numbered sources."""
    style = "" if answer.grounded else "yellow"
    if text:
        console.print(escape(answer.text), style=style, highlight=False)
    if answer.citations:
        console.print()
        for n, c in enumerate(answer.citations, start=1):
            where = f" — {c.locator}" if c.locator else ""
            console.print(f"[dim][{n}] {escape(c.source)}{escape(where)} ({c.doc_type})[/]",
                          highlight=False)
