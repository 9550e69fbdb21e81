"""DOCX: paragraphs in order with heading styles, tables as records; hidden runs dropped."""

from __future__ import annotations

import io

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.loaders.archive import check_zip
from ingest.outline import OutlineParser
from ingest.tables import clean_cell, records_from_rows
from knowledge.errors import CorruptDocumentError
from knowledge.schema import Block, LoadedDocument


def _paragraph_text(paragraph: Paragraph) -> str:
    return "".join(run.text for run in paragraph.runs if not run.font.hidden) or (
        paragraph.text if not paragraph.runs else ""
    )


def _heading_level(paragraph: Paragraph) -> int:
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name == "Title":
        return 1
    if name.startswith("Heading"):
        digits = name.removeprefix("Heading").strip()
        return int(digits) if digits.isdigit() else 1
    return 0


def load_docx(data: bytes, path: str) -> LoadedDocument:
    check_zip(data, path)
    try:
        document: DocxDocument = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise CorruptDocumentError(path, f"not a readable DOCX: {exc}") from exc
    parser = OutlineParser(title=(document.core_properties.title or "").strip())
    records: list[Block] = []
    tables = 0
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = _paragraph_text(item).strip()
            if not text:
                continue
            level = _heading_level(item)
            parser.line(f"{'#' * level} {text}" if level else text)
        elif isinstance(item, Table):
            tables += 1
            rows = [[clean_cell(cell.text) for cell in row.cells] for row in item.rows]
            rows = [r for r in rows if any(r)]
            if len(rows) >= 2 and len(rows[0]) >= 2:
                parser.flush()
                label = parser.current_heading or f"table {tables}"
                records.extend(records_from_rows(rows[0], rows[1:], table=label))
            else:
                for row in rows:
                    parser.line(" ".join(r for r in row if r))
    blocks = parser.finish()
    return LoadedDocument(title=parser.title, blocks=blocks + records)
