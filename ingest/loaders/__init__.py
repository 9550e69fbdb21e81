"""Loaders per format: bytes in, a ``LoadedDocument`` out, or an ``IngestError`` naming the file.

A loader is a function ``(data, path) -> LoadedDocument``; ``LOADERS`` maps file suffixes to
them and is the one place a new format is added.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

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
from knowledge.schema import LoadedDocument

Loader = Callable[[bytes, str], LoadedDocument]

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
    if not doc.blocks:
        raise EmptyDocumentError(name)
    return doc


def load_file(path: Path, max_bytes: int, name: str | None = None) -> LoadedDocument:
    """Read and load a file, refusing it before reading when it is over ``max_bytes``."""
    label = name or str(path)
    if path.suffix.lower() not in LOADERS:
        raise UnsupportedFormatError(label, f"supported: {', '.join(sorted(LOADERS))}")
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLargeError(label, f"{size / 1048576:.1f} MB > {max_bytes / 1048576:.1f} MB")
    return load_bytes(path.read_bytes(), label)
