"""JSON and JSON Lines: arrays of objects become records; other shapes become text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ingest.encoding import decode
from ingest.tables import clean_cell, records_from_rows
from knowledge.errors import CorruptDocumentError
from knowledge.schema import Block, LoadedDocument, TextBlock


def _flatten(value: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        out: dict[str, str] = {}
        for key, inner in value.items():
            out.update(_flatten(inner, f"{prefix}{key}."))
        return out
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            return {prefix.rstrip("."): "; ".join(clean_cell(v) for v in value)}
        return {prefix.rstrip("."): json.dumps(value, ensure_ascii=False)}
    return {prefix.rstrip("."): clean_cell(value)}


def _records(items: list[Any], table: str) -> list[Block]:
    flat = [_flatten(item) if isinstance(item, dict) else {"value": clean_cell(item)} for item in items]
    header: list[str] = []
    for row in flat:
        header.extend(k for k in row if k not in header)
    rows = [[row.get(k, "") for k in header] for row in flat]
    # JSON records are numbered from 1 (there is no header line).
    return list(records_from_rows(header, rows, table=table, first_row=1))


def load_json(data: bytes, path: str) -> LoadedDocument:
    text, encoding = decode(data, path)
    try:
        if path.lower().endswith(".jsonl"):
            value: Any = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CorruptDocumentError(path, f"invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    title = Path(path).stem.replace("_", " ")
    blocks: list[Block] = []
    if isinstance(value, list):
        blocks = _records(value, "")
    elif isinstance(value, dict):
        tables = {k: v for k, v in value.items() if isinstance(v, list) and v and isinstance(v[0], dict)}
        for key, items in tables.items():
            blocks.extend(_records(items, key))
        rest = {k: v for k, v in value.items() if k not in tables}
        if rest:
            lines = [f"{k}: {v}" for k, v in _flatten(rest).items() if v]
            if lines:
                blocks.insert(0, TextBlock(text="\n".join(lines)))
        title = str(value.get("title") or value.get("name") or title)
    else:
        blocks = [TextBlock(text=clean_cell(value))]
    return LoadedDocument(title=title, blocks=blocks, encoding=encoding)
