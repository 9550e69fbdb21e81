"""``careerbot chat``: a conversation in the terminal."""

from __future__ import annotations

import itertools

from rich.console import Console
from rich.markup import escape
from rich.prompt import Prompt

from bot.render.terminal import print_answer
from knowledge.answering.assistant import ROLES, Assistant
from knowledge.conversation.chat import is_follow_up
from knowledge.errors import UserFacingError
from knowledge.schema import Answer
from knowledge.store.base import KnowledgeBase

HELP = ("Ask about majors, courses, internships or what enterprises need, in English or "
        "Chinese. Commands: /role student|enterprise, /help, /quit")


def run_chat(kb: KnowledgeBase, console: Console, role: str | None = None) -> None:
    assistant = Assistant(kb)
    previous = ""  # the last question: a follow-up ("and its internships?") keeps its subject
    console.print(f"[bold]careerbot[/] — {HELP}")
    while True:
        try:
            line = Prompt.ask("[bold cyan]you[/]", console=console).strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            return
        if not line:
            continue
        if line in ("/quit", "/exit"):
            return
        if line == "/help":
            console.print(HELP)
            continue
        if line.startswith("/role"):
            wanted = line.removeprefix("/role").strip()
            if wanted in ROLES:
                role = wanted
                console.print(f"role: {role}")
            else:
                console.print(f"roles: {', '.join(ROLES)}")
            continue
        try:
            context = previous if is_follow_up(line) else ""  # the bot's rule
            answer, streamed = _stream(console, assistant, line, role, context)
            previous = f"{context} {line}".strip() if context else line
        except UserFacingError as exc:
            console.print(f"[red]{exc}[/]")
            continue
        # What streamed has passed the answer check; when the check rejected the answer as a
        # whole, the answer given instead (quotes) follows it.
        print_answer(console, answer, text=answer.text != streamed)


def _stream(console: Console, assistant: Assistant, question: str,
            role: str | None, context: str = "") -> tuple[Answer, str]:
    """Print a generated answer a checked sentence at a time; return the answer and what
    streamed."""
    streamed = ""
    with console.status("searching…"):
        items = assistant.ask_stream(question, role=role, context=context)
        first = next(items)
    for item in itertools.chain([first], items):
        if isinstance(item, Answer):
            if streamed:
                console.print()
                if item.text != streamed:
                    console.rule()
            return item, streamed
        console.print(escape(item), end="", highlight=False)
        streamed += item
    raise AssertionError("ask_stream ends with an Answer")  # pragma: no cover
