"""Markdown and plain text; a tab-separated ``.txt`` (O*NET style) is read as a table."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.encoding import decode
from ingest.outline import OutlineParser, split_front_matter
from ingest.tables import clean_cell, records_from_rows
from knowledge.schema import Block, LoadedDocument


def _title_from(path: str) -> str:
    return Path(path).stem.replace("_", " ")


_GENERIC_LINK = re.compile(r"\s*\(?\[(?:link|here|more|source|url)\]\([^)]*\)\)?", re.IGNORECASE)
_LINK = re.compile(r"!?\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def plain_markdown(text: str) -> str:
    """Inline markup off: links keep their text (URLs only cost embedding time), bare
    "[link]" references go, bold markers go. Headings, lists and tables stay."""
    text = _GENERIC_LINK.sub("", text)
    text = _LINK.sub(lambda m: m.group(1), text)
    return _EMPHASIS.sub(lambda m: m.group(2), text)


_FENCE = re.compile(r"^ {0,3}(```|~~~)", re.MULTILINE)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


def drop_comments(text: str) -> str:
    """HTML comments render as nothing, so they are not text (an unclosed one hides the rest);
    inside a fenced code block they are what the page shows."""
    out: list[str] = []
    pos, fence = 0, ""
    for m in _FENCE.finditer(text):
        if not fence:
            out.append(_COMMENT.sub("", text[pos : m.start()]))
            pos, fence = m.start(), m.group(1)
        elif m.group(1) == fence:
            end = text.find("\n", m.end())
            end = len(text) if end < 0 else end
            out.append(text[pos:end])
            pos, fence = end, ""
    out.append(text[pos:] if fence else _COMMENT.sub("", text[pos:]))
    return "".join(out)


def load_markdown(data: bytes, path: str) -> LoadedDocument:
    text, encoding = decode(data, path)
    meta, body = split_front_matter(drop_comments(text))
    body = plain_markdown(body)
    parser = OutlineParser(title=meta.get("title", ""), unwrap=True)
    parser.feed(body)
    blocks = parser.finish()
    return LoadedDocument(
        title=parser.title or _title_from(path), blocks=blocks, metadata=meta, encoding=encoding
    )


def _looks_tabular(lines: list[str]) -> bool:
    sample = [ln for ln in lines[:30] if ln.strip()]
    if len(sample) < 3:
        return False
    counts = [ln.count("\t") for ln in sample]
    return counts[0] >= 1 and sum(c == counts[0] for c in counts) >= 0.9 * len(counts)


def load_text(data: bytes, path: str) -> LoadedDocument:
    text, encoding = decode(data, path)
    lines = text.split("\n")
    if _looks_tabular(lines):
        rows = [[clean_cell(c) for c in ln.split("\t")] for ln in lines if ln.strip()]
        records: list[Block] = list(records_from_rows(rows[0], rows[1:]))
        return LoadedDocument(title=_title_from(path), blocks=records, encoding=encoding)
    meta, body = split_front_matter(text)
    parser = OutlineParser(title=meta.get("title", ""), unwrap=True)
    parser.feed(body)
    blocks = parser.finish()
    # Plain text has no markup: its first line is a title only when it looks like one.
    title = parser.title or meta.get("title") or _title_from(path)
    return LoadedDocument(title=title, blocks=blocks, metadata=meta, encoding=encoding)
