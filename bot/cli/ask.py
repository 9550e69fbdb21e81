"""``careerbot ask`` and ``chat``: questions answered with citations."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.common import console, print_json, runtime
from bot.render.terminal import print_answer
from knowledge.answering.assistant import Assistant
from knowledge.errors import UserFacingError
from knowledge.schema import DocType

RoleOption = Annotated[str | None, typer.Option("--role", help="student or enterprise")]


def _types(doc_type: list[str] | None) -> set[DocType] | None:
    try:
        return {DocType.parse(t) for t in doc_type} if doc_type else None
    except ValueError as exc:
        raise UserFacingError(str(exc)) from None


def ask(
    question: Annotated[str | None, typer.Argument(help="the question, in English or Chinese")] = None,
    role: RoleOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the answer as JSON")] = False,
    batch: Annotated[Path | None, typer.Option("--batch", help="JSON lines {id, question, role?}")] = None,
    doc_type: Annotated[list[str] | None, typer.Option("--type", help="only these document types")] = None,
) -> None:
    """Answer a question from the knowledge base, with citations."""
    types = _types(doc_type)
    assistant = Assistant(runtime().kb)
    if batch is not None:
        # errors="replace": a line that is not UTF-8 is that line's problem, not the batch's end.
        lines = sys.stdin if str(batch) == "-" else batch.open(encoding="utf-8", errors="replace")
        answer_batch(assistant, lines, types)
        return
    if not question:
        raise UserFacingError("give a QUESTION, or --batch FILE")
    answer = assistant.ask(question, role=role, doc_types=types)
    if as_json:
        print_json(answer.as_json())
    else:
        print_answer(console, answer)


def answer_batch(assistant: Assistant, lines: Iterable[str], types: set[DocType] | None) -> None:
    """One JSON answer per input line, in order; a bad line gets an error object. Lines that
    share a ``session`` are one conversation, in file order: a follow-up is answered with the
    session's previous question as its context, as the chat does."""
    from knowledge.conversation.chat import is_follow_up

    previous: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item: dict[str, object] = {}
        try:
            item = json.loads(line)
        except RecursionError:  # "[[[[…": json.loads recurses once per level
            print_json({"id": None, "error": f"line {number}: JSON nested too deeply"})
            continue
        except ValueError as exc:  # not JSON, or an integer of over 4,300 digits
            print_json({"id": None, "error": f"line {number}: not a JSON object with a question ({str(exc)[:80]})"})
            continue
        try:
            role = item.get("role")
            question = str(item["question"])
            session = str(item["session"]) if item.get("session") is not None else None
            context = previous.get(session, "") if session and is_follow_up(question) else ""
            answer = assistant.ask(question, role=str(role) if role else None,
                                   doc_types=types, context=context)
            if session:
                previous[session] = f"{context} {question}".strip() if context else question
            out = {"id": item.get("id"), **answer.as_json()}
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            out = {"id": None, "error": f"line {number}: not a JSON object with a question ({exc})"}
        except UserFacingError as exc:
            out = {"id": item.get("id"), "error": str(exc)}
        print_json(out)


def chat(role: RoleOption = None) -> None:
    """A conversation in the terminal, answered by the same engine as ask."""
    from bot.chat_terminal import run_chat

    run_chat(runtime().kb, console, role=role)
