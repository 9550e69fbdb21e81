"""Guard for zip-based formats (DOCX, XLSX): refuse archives that expand far beyond their size."""

from __future__ import annotations

import io
import zipfile

from knowledge.errors import CorruptDocumentError, FileTooLargeError

MAX_EXPANDED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200


def check_zip(data: bytes, path: str) -> None:
    """Raise unless ``data`` is a sane zip: readable, not a zip bomb."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise CorruptDocumentError(path, "not a valid zip container") from exc
    if expanded > MAX_EXPANDED_BYTES or expanded > MAX_RATIO * max(len(data), 1) + 10_000_000:
        raise FileTooLargeError(
            path, f"expands to {expanded / 1048576:.0f} MB (zip bomb?)"
        )
