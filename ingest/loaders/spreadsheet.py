"""CSV/TSV and XLSX (every sheet): one record per row, or per key in a long table."""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from bisect import bisect_left, bisect_right
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.worksheet.cell_range import CellRange

from ingest.encoding import decode
from ingest.loaders.archive import check_zip
from ingest.tables import clean_cell, records_from_rows
from knowledge.errors import CorruptDocumentError, EmptyDocumentError, FileTooLargeError
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


# A sheet is read as a grid of the rows and columns that hold values; past this many grid cells
# (a diagonal of scattered values, say) it is refused rather than spread out in memory.
MAX_GRID_CELLS = 2_000_000


def _sheet_values(book: Any, sheet: Any) -> tuple[dict[tuple[int, int], str], list[CellRange]]:
    """The cells holding a value and the merged ranges, straight from the sheet's XML.

    openpyxl pads every row to the sheet's widest column and builds a cell object for each
    cell of a merged range: one styled empty cell at XFD1048576 (or a merge over the whole
    sheet) then costs 17 billion cells. Parsing the XML costs only what is written in it.
    """
    values: dict[tuple[int, int], str] = {}
    with sheet._get_source() as src:
        parser = WorkSheetParser(src, sheet._shared_strings, data_only=True, epoch=book.epoch,
                                 date_formats=book._date_formats,
                                 timedelta_formats=book._timedelta_formats)
        for _, cells in parser.parse():
            for cell in cells:
                text = clean_cell(cell["value"])
                if text:
                    values[(cell["row"], cell["column"])] = text
        merged = parser.merged_cells.mergeCell if parser.merged_cells is not None else []
    return values, [CellRange(m.ref) for m in merged]


def _grid(path: str, title: str, values: dict[tuple[int, int], str], merged: list[CellRange],
          ) -> list[tuple[int, list[str]]]:
    """``(row number, cells)`` for the rows holding values, over the columns holding values."""
    rows = sorted({r for r, _ in values})
    cols = sorted({c for _, c in values})
    if len(rows) * len(cols) > MAX_GRID_CELLS:
        raise FileTooLargeError(path, f"sheet {title!r} spreads {len(values)} values over "
                                      f"{len(rows)} rows and {len(cols)} columns")
    at = {c: j for j, c in enumerate(cols)}
    grid = {r: [""] * len(cols) for r in rows}
    for (r, c), text in values.items():
        grid[r][at[c]] = text
    budget = MAX_GRID_CELLS
    for rng in merged:
        # Merged cells hold their value in the top-left cell only. A vertical merge (one
        # category over several rows) is spread down its column; a merge across a whole row
        # is a note or a title, and stays in one cell.
        value = values.get((rng.min_row, rng.min_col), "")
        if rng.min_row == rng.max_row or not value:
            continue
        span_rows = rows[bisect_left(rows, rng.min_row):bisect_right(rows, rng.max_row)]
        span_cols = cols[bisect_left(cols, rng.min_col):bisect_right(cols, rng.max_col)]
        budget -= len(span_rows) * len(span_cols)
        if budget < 0:
            raise FileTooLargeError(path, f"sheet {title!r} has too many merged cells")
        for r in span_rows:
            for c in span_cols:
                grid[r][at[c]] = value
    return [(r, grid[r]) for r in rows]


def load_xlsx(data: bytes, path: str) -> LoadedDocument:
    check_zip(data, path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = [(sheet.title, *_sheet_values(book, sheet)) for sheet in book.worksheets]
        finally:
            book.close()
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise CorruptDocumentError(path, f"not a readable XLSX: {exc}") from exc
    blocks: list[Block] = []
    notes: list[str] = []
    for title, values, merged in sheets:
        numbered = _grid(path, title, values, merged)
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
                blocks.append(TextBlock(text=filled[0], headings=(title,),
                                        locator=f"{title}, row {n}"))
                continue
            if not table:
                first_row = n
            table.append(row)
        blocks.extend(records_from_rows(rows[head], table, table=title, first_row=first_row))
    if not blocks:
        raise EmptyDocumentError(path, "every sheet is empty")
    return LoadedDocument(title=_title(path), blocks=blocks, metadata={"notes": " ".join(notes)})
