"""``careerbot chat``: a conversation in the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.prompt import Prompt

from bot.render import print_answer
from knowledge.assistant import ROLES, Assistant
from knowledge.base import KnowledgeBase
from knowledge.errors import UserFacingError

HELP = ("Ask about majors, courses, internships or what enterprises need, in English or "
        "Chinese. Commands: /role student|enterprise, /help, /quit")


def run_chat(kb: KnowledgeBase, console: Console, role: str | None = None) -> None:
    assistant = Assistant(kb)
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
            with console.status("searching…"):
                answer = assistant.ask(line, role=role)
        except UserFacingError as exc:
            console.print(f"[red]{exc}[/]")
            continue
        print_answer(console, answer)
