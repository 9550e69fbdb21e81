"""PDF text per page (pypdf), without text drawn where no one can read it (``pdf_visible``);
encrypted, corrupt and image-only files are refused by name."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from ingest.loaders.pdf_visible import drop_unreadable_text
from ingest.outline import OutlineParser
from knowledge.errors import CorruptDocumentError, EmptyDocumentError, EncryptedDocumentError
from knowledge.schema import LoadedDocument

logging.getLogger("pypdf").setLevel(logging.ERROR)


def load_pdf(data: bytes, path: str) -> LoadedDocument:
    if not data.lstrip().startswith(b"%PDF"):
        raise CorruptDocumentError(path, "not a PDF file")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise EncryptedDocumentError(path)
        meta_title = (reader.metadata.title if reader.metadata else None) or ""
        parser = OutlineParser(unwrap=True)
        for number, page in enumerate(reader.pages, start=1):
            drop_unreadable_text(page, reader)
            parser.feed(page.extract_text() or "", locator=f"page {number}")
    except (EncryptedDocumentError, EmptyDocumentError):
        raise
    except FileNotDecryptedError as exc:
        raise EncryptedDocumentError(path) from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise CorruptDocumentError(path, str(exc) or type(exc).__name__) from exc
    blocks = parser.finish()
    if not blocks:
        raise EmptyDocumentError(path, "no text layer (scanned image?)")
    return LoadedDocument(title=str(meta_title) or parser.title or "", blocks=blocks)
