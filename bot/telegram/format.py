"""Telegram HTML for answers: every piece of document or user text escaped, messages kept
under Telegram's 4096-character limit by splitting at paragraph boundaries."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from knowledge.schema import Answer

LIMIT = 4096


def esc(text: str) -> str:
    """Escape text for Telegram's HTML parse mode (only &, < and > matter there)."""
    return html.escape(text, quote=False)


def _hard_split(text: str, size: int) -> list[str]:
    """Plain text in pieces of at most ``size``, cut at line ends or spaces when possible."""
    pieces: list[str] = []
    while len(text) > size:
        cut = max(text.rfind("\n", 0, size), text.rfind(" ", 0, size))
        if cut < size // 2:
            cut = size
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def pack(paragraphs: Iterable[tuple[str, str]], limit: int = LIMIT) -> list[str]:
    """Join ``(plain, wrap)`` paragraphs into messages of at most ``limit`` characters.

    ``wrap`` is a format string with one ``{}`` for the escaped text (e.g. ``"<b>{}</b>"``),
    so markup is always balanced inside one message, whatever is split.
    """
    messages: list[str] = []
    current = ""
    for plain, wrap in paragraphs:
        overhead = len(wrap) - 2
        parts = [esc(p) for p in _hard_split(plain, (limit - overhead) // 5)] \
            if len(esc(plain)) + overhead > limit else [esc(plain)]
        for part in parts:
            block = wrap.format(part)
            candidate = f"{current}\n\n{block}" if current else block
            if len(candidate) <= limit:
                current = candidate
            else:
                messages.append(current)
                current = block
    if current:
        messages.append(current)
    return messages


def answer_messages(answer: Answer, sources_title: str, limit: int = LIMIT) -> list[str]:
    """An answer and its numbered source list, as Telegram HTML messages."""
    paragraphs: list[tuple[str, str]] = [(p, "{}") for p in answer.text.split("\n\n") if p.strip()]
    if answer.citations:
        lines = [f"[{n}] {c.source}" + (f" — {c.locator}" if c.locator else "")
                 for n, c in enumerate(answer.citations, start=1)]
        paragraphs.append((sources_title, "<b>{}</b>"))
        paragraphs.append(("\n".join(lines), "<i>{}</i>"))
    return pack(paragraphs, limit)


def sources_messages(citations: Sequence[dict[str, Any]], title: str,
                     limit: int = LIMIT) -> list[str]:
    """The quoted passages behind an answer."""
    paragraphs: list[tuple[str, str]] = [(title, "<b>{}</b>")]
    for n, c in enumerate(citations, start=1):
        where = f" — {c.get('locator')}" if c.get("locator") else ""
        paragraphs.append((f"[{n}] {c.get('title') or c.get('source')}{where}", "<b>{}</b>"))
        paragraphs.append((f"{c.get('source')}", "<i>{}</i>"))
        if c.get("quote"):
            paragraphs.append((str(c["quote"]), "<blockquote>{}</blockquote>"))
    return pack(paragraphs, limit)
