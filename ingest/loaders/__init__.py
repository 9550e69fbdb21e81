"""Loaders per format: bytes in, a ``LoadedDocument`` out, or an ``IngestError`` naming the file.

A loader is a function ``(data, path) -> LoadedDocument``; ``LOADERS`` maps file suffixes to
them and is the one place a new format is added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ingest.encoding import strip_controls
from ingest.loaders.docx import load_docx
from ingest.loaders.html import load_html
from ingest.loaders.json import load_json
from ingest.loaders.pdf import load_pdf
from ingest.loaders.spreadsheet import load_csv, load_xlsx
from ingest.loaders.text import load_markdown, load_text
from knowledge.errors import (
    EmptyDocumentError,
    FileTooLargeError,
    IngestError,
    UnsupportedFormatError,
)
from knowledge.schema import Block, LoadedDocument, RecordBlock, TextBlock

Loader = Callable[[bytes, str], LoadedDocument]

# Bumped when a loader reads the same bytes differently (here: hidden text dropped), so that
# the next ingest loads every file again; chunks whose text did not change are not re-embedded.
REVISION = "2"

LOADERS: dict[str, Loader] = {
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
    ".text": load_text,
    ".tsv": load_csv,
    ".csv": load_csv,
    ".html": load_html,
    ".htm": load_html,
    ".xlsx": load_xlsx,
    ".xlsm": load_xlsx,
    ".json": load_json,
    ".jsonl": load_json,
    ".pdf": load_pdf,
    ".docx": load_docx,
}


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in LOADERS


def load_bytes(data: bytes, name: str) -> LoadedDocument:
    """Load ``data`` as the format its ``name`` says; errors name the file."""
    loader = LOADERS.get(Path(name).suffix.lower())
    if loader is None:
        raise UnsupportedFormatError(name, f"supported: {', '.join(sorted(LOADERS))}")
    if not data:
        raise EmptyDocumentError(name)
    try:
        doc = loader(data, name)
    except IngestError:
        raise
    except (MemoryError, RecursionError) as exc:
        raise FileTooLargeError(name, type(exc).__name__) from exc
    doc = _clean(doc)
    if not doc.blocks:
        raise EmptyDocumentError(name)
    return doc


def _clean_block(block: Block) -> Block | None:
    if isinstance(block, TextBlock):
        text = strip_controls(block.text)
        if not text.strip():
            return None
        return replace(block, text=text, headings=tuple(strip_controls(h) for h in block.headings),
                       entity=strip_controls(block.entity), locator=strip_controls(block.locator))
    if isinstance(block, RecordBlock):
        fields = tuple((strip_controls(k), strip_controls(v)) for k, v in block.fields)
        return replace(block, fields=fields, table=strip_controls(block.table),
                       locator=strip_controls(block.locator))
    return block


def _clean(doc: LoadedDocument) -> LoadedDocument:
    """Every loader's output without NUL, terminal escapes or other control characters: a
    document's bytes must neither break the database nor reach a terminal as commands."""
    blocks = [b for b in map(_clean_block, doc.blocks) if b is not None]
    metadata = {strip_controls(str(k)): strip_controls(str(v)) for k, v in doc.metadata.items()}
    return replace(doc, title=strip_controls(doc.title), blocks=blocks, metadata=metadata)


def load_file(path: Path, max_bytes: int, name: str | None = None) -> LoadedDocument:
    """Read and load a file, refusing it before reading when it is over ``max_bytes``."""
    label = name or str(path)
    if path.suffix.lower() not in LOADERS:
        raise UnsupportedFormatError(label, f"supported: {', '.join(sorted(LOADERS))}")
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLargeError(label, f"{size / 1048576:.1f} MB > {max_bytes / 1048576:.1f} MB")
    return load_bytes(path.read_bytes(), label)
