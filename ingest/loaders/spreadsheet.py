"""CSV/TSV and XLSX (every sheet): one record per row, or per key in a long table."""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ingest.encoding import decode
from ingest.loaders.archive import check_zip
from ingest.tables import clean_cell, records_from_rows
from knowledge.errors import CorruptDocumentError, EmptyDocumentError
from knowledge.schema import Block, LoadedDocument, TextBlock

csv.field_size_limit(10 * 1024 * 1024)


def _title(path: str) -> str:
    return Path(path).stem.replace("_", " ")


def load_csv(data: bytes, path: str) -> LoadedDocument:
    text, encoding = decode(data, path)
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel
    try:
        rows = [[clean_cell(c) for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as exc:
        raise CorruptDocumentError(path, f"malformed CSV: {exc}") from exc
    rows = [r for r in rows if any(r)]
    if len(rows) < 2:
        raise EmptyDocumentError(path, "no data rows under the header")
    blocks = records_from_rows(rows[0], rows[1:])
    return LoadedDocument(title=_title(path), blocks=list(blocks), encoding=encoding)


def _header_index(rows: list[list[str]]) -> int:
    """The header is the first row as wide as the table; notes above it are skipped."""
    width = max(sum(1 for c in r if c) for r in rows)
    for i, row in enumerate(rows[:20]):
        if sum(1 for c in row if c) >= max(2, width - 1):
            return i
    return 0


def load_xlsx(data: bytes, path: str) -> LoadedDocument:
    check_zip(data, path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise CorruptDocumentError(path, f"not a readable XLSX: {exc}") from exc
    blocks: list[Block] = []
    notes: list[str] = []
    for sheet in book.worksheets:
        # Merged cells hold their value in the top-left cell only. A vertical merge (one
        # category over several rows) is spread down its column; a merge across a whole row
        # is a note or a title, and stays in one cell.
        grid = [[clean_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for rng in sheet.merged_cells.ranges:
            if rng.min_row == rng.max_row or rng.min_row > len(grid):
                continue
            value = grid[rng.min_row - 1][rng.min_col - 1]
            for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
                for c in range(rng.min_col - 1, min(rng.max_col, len(grid[r]))):
                    grid[r][c] = value
        numbered = [(n, r) for n, r in enumerate(grid, start=1) if any(r)]
        if not numbered:
            continue
        rows = [r for _, r in numbered]
        head = _header_index(rows)
        notes.extend(" ".join(c for c in r if c) for r in rows[:head])
        width = sum(1 for c in rows[head] if c)
        table: list[list[str]] = []
        first_row = numbered[head][0] + 1
        for n, row in numbered[head + 1 :]:
            filled = [c for c in row if c]
            if width >= 3 and len(filled) == 1 and len(filled[0]) > 30:
                # A footnote under the table: text, not a record with every column.
                blocks.append(TextBlock(text=filled[0], headings=(sheet.title,),
                                        locator=f"{sheet.title}, row {n}"))
                continue
            if not table:
                first_row = n
            table.append(row)
        blocks.extend(records_from_rows(rows[head], table, table=sheet.title, first_row=first_row))
    if not blocks:
        raise EmptyDocumentError(path, "every sheet is empty")
    return LoadedDocument(title=_title(path), blocks=blocks, metadata={"notes": " ".join(notes)})
