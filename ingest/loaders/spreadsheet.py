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
from knowledge.schema import Block, LoadedDocument

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
        # Merged cells hold their value in the top-left cell only; spread it over the range.
        merged = list(sheet.merged_cells.ranges)
        grid = [[clean_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        for rng in merged:
            value = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(grid) else ""
            for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
                for c in range(rng.min_col - 1, min(rng.max_col, len(grid[r]))):
                    grid[r][c] = value
        rows = [r for r in grid if any(r)]
        if not rows:
            continue
        head = _header_index(rows)
        notes.extend(" ".join(c for c in r if c) for r in rows[:head])
        first_row = grid.index(rows[head]) + 2
        blocks.extend(
            records_from_rows(rows[head], rows[head + 1 :], table=sheet.title, first_row=first_row)
        )
    if not blocks:
        raise EmptyDocumentError(path, "every sheet is empty")
    return LoadedDocument(title=_title(path), blocks=blocks, metadata={"notes": " ".join(notes)})
