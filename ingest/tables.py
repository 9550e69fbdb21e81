"""Rows of a spreadsheet, CSV or JSON array become records that carry their column names.

A "long" table, where one key repeats over consecutive rows (a major listed once per
occupation it leads to), is folded into one record per key, so that everything about the
major sits in one place; a table with a unique column keeps one record per row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge.schema import RecordBlock

_INDEX_NAMES = {"序号", "编号", "no", "no.", "#", "index", "row", "s/n", "sn"}
# Past this many characters a folded group is cut into several records (each keeps the key).
MAX_GROUP_CHARS = 700


def clean_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return re.sub(r"\s+", " ", text)


def _is_index(name: str, values: Sequence[str]) -> bool:
    if name.strip().lower() in _INDEX_NAMES:
        return True
    try:
        numbers = [int(v) for v in values if v]
    except ValueError:
        return False
    return len(numbers) == len(values) and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def records_from_rows(
    header: Sequence[str], rows: Sequence[Sequence[str]], table: str = "", first_row: int = 2
) -> list[RecordBlock]:
    """Records for a table whose first data row is row ``first_row`` of its sheet or file."""
    names = [h or f"column {i + 1}" for i, h in enumerate(header)]
    width = len(names)
    data = [list(r[:width]) + [""] * (width - len(r)) for r in rows]
    numbered = [(first_row + i, r) for i, r in enumerate(data) if any(r)]
    if not numbered:
        return []
    keep = [j for j in range(width) if any(r[j] for _, r in numbered)]
    names = [names[j] for j in keep]
    numbered = [(n, [r[j] for j in keep]) for n, r in numbered]
    key = _group_key(names, [r for _, r in numbered])
    where = f"{table}, " if table else ""
    if key is None:
        return [
            RecordBlock(
                fields=tuple((names[j], v) for j, v in enumerate(r) if v),
                table=table,
                locator=f"{where}row {n}",
            )
            for n, r in numbered
        ]
    return _fold(names, numbered, key, table, where)


def _group_key(names: list[str], rows: list[list[str]]) -> int | None:
    """The column that groups a long table, or None when rows are entities of their own.

    The key is the first column whose values repeat over consecutive rows. When some other
    column is unique (a code per row), the table is folded only if rows sharing the key
    differ in at most half of the columns: a major listed once per occupation folds, a
    catalogue whose rows share only their category does not.
    """
    if len(rows) < 4:
        return None
    columns = list(zip(*rows, strict=True))
    index_cols = {j for j, col in enumerate(columns) if _is_index(names[j], col)}
    key = None
    for j, col in enumerate(columns):
        if j in index_cols or not all(col):
            continue
        runs = 1 + sum(1 for a, b in zip(col, col[1:], strict=False) if a != b)
        distinct = len(set(col))
        # Mostly contiguous runs (a stray repeat is tolerated) of two or more rows on average.
        if runs <= distinct * 1.1 and len(col) / distinct >= 2 and distinct > 1:
            key = j
            break
    if key is None:
        return None
    has_unique = any(
        j not in index_cols and all(col) and len(set(col)) == len(col)
        for j, col in enumerate(columns)
    )
    if has_unique:
        groups: dict[str, list[list[str]]] = {}
        for row in rows:
            groups.setdefault(row[key], []).append(row)
        considered = [j for j in range(len(names))
                      if j not in index_cols and len(set(columns[j])) > 1]
        varying = [j for j in considered
                   if any(len({r[j] for r in g}) > 1 for g in groups.values())]
        if len(varying) > len(considered) / 2:
            return None
    return key


def _fold(
    names: list[str], numbered: list[tuple[int, list[str]]], key: int, table: str, where: str
) -> list[RecordBlock]:
    groups: list[list[tuple[int, list[str]]]] = []
    for item in numbered:
        if groups and groups[-1][0][1][key] == item[1][key]:
            groups[-1].append(item)
        else:
            groups.append([item])
    out: list[RecordBlock] = []
    for group in groups:
        rows = [r for _, r in group]
        constant = [j for j in range(len(names)) if len({r[j] for r in rows}) == 1]
        varying = [
            j for j in range(len(names))
            if j not in constant and not _is_index(names[j], [r[j] for r in rows])
        ]
        fixed = tuple((names[j], rows[0][j]) for j in constant if rows[0][j])
        label = " / ".join(names[j] for j in varying)
        entries = [" / ".join(r[j] for j in varying if r[j]) for r in rows]
        parts: list[list[tuple[int, str]]] = [[]]
        size = 0
        for (n, _), entry in zip(group, entries, strict=True):
            if parts[-1] and size + len(entry) > MAX_GROUP_CHARS:
                parts.append([])
                size = 0
            parts[-1].append((n, entry))
            size += len(entry) + 2
        for part in parts:
            first, last = part[0][0], part[-1][0]
            rows_label = f"row {first}" if first == last else f"rows {first}-{last}"
            fields = fixed + ((label, "; ".join(e for _, e in part if e)),) if varying else fixed
            out.append(RecordBlock(fields=fields, table=table, locator=f"{where}{rows_label}"))
    return out
