"""The one door into ingestion for every front end (CLI, Telegram, web).

A front end says *what* to ingest; this module decides *how*: inline under the store's write
lock, or as a background job when Redis is configured. Uploads are checked here (size, type
named by a caption) so that no front end can forget a check another one makes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.pipeline import FileResult, Ingestor, IngestReport
from knowledge.errors import FileTooLargeError
from knowledge.schema import DocType
from knowledge.store.base import KnowledgeBase

# Types an uploader may name in a caption. Anything else (or nothing) is stored as the
# default type: an upload cannot pose as, say, a training plan by accident of wording.
UPLOAD_TYPES = (DocType.ENTERPRISE_REQUIREMENT, DocType.INTERNSHIP, DocType.COURSE,
                DocType.TRAINING_PLAN, DocType.OCCUPATION_PROFILE, DocType.MAJOR_CATALOG,
                DocType.OTHER)


@dataclass(frozen=True)
class Submitted:
    """What became of a submission: ``queued`` (with its job id) or a finished report."""

    job: str = ""
    report: IngestReport | None = None


@dataclass(frozen=True)
class UploadOutcome:
    """What became of one uploaded file."""

    name: str
    status: str  # "stored", "unchanged", "failed" or "queued"
    doc_type: str = ""
    chunks: int = 0
    error: str = ""
    job: str = ""


def upload_type(caption: str | None, default: DocType = DocType.ENTERPRISE_REQUIREMENT) -> DocType:
    """The document type a caption's first word names, if it is one uploads may take."""
    if not caption or not caption.split():
        return default
    try:
        named = DocType.parse(caption.split()[0])
    except ValueError:
        return default
    return named if named in UPLOAD_TYPES else default


def submit_paths(
    kb: KnowledgeBase,
    paths: Iterable[Path],
    *,
    doc_type: DocType | None = None,
    full: bool = False,
    queue: bool = False,
    on_file: Callable[[FileResult, int], None] | None = None,
) -> Submitted:
    """Ingest files and folders now, or queue them (``queue=True`` needs Redis)."""
    paths = list(paths)
    if queue:
        from ingest.jobs import enqueue_paths

        return Submitted(job=enqueue_paths(kb.settings, paths, doc_type.value if doc_type else None,
                                           full))
    report = Ingestor(kb, doc_type=doc_type, full=full, on_file=on_file).run(paths)
    return Submitted(report=report)


def submit_upload(kb: KnowledgeBase, data: bytes, name: str, *, uploader: str,
                  doc_type: DocType | None = None) -> UploadOutcome:
    """Store one uploaded file under ``uploader``'s name space: queued when Redis is
    configured, else ingested inline. Files over the size limit are refused here."""
    doc_type = doc_type or DocType.ENTERPRISE_REQUIREMENT
    if len(data) > kb.settings.store.max_file_bytes:
        limit = f"{kb.settings.store.max_file_mb:g} MB"
        return UploadOutcome(name, "failed", doc_type.value,
                             error=str(FileTooLargeError(name, f"limit {limit}")))
    key = f"{uploader}/{name}"
    if kb.settings.queue.redis_url:
        from ingest.jobs import enqueue_upload

        job = enqueue_upload(kb.settings, data, name, key, doc_type.value)
        return UploadOutcome(name, "queued", doc_type.value, job=job)
    result = Ingestor(kb).ingest_bytes(data, name, key=key, doc_type=doc_type)
    status = result.status if result.status in ("failed", "unchanged") else "stored"
    return UploadOutcome(name, status, result.doc_type, chunks=result.chunks_added,
                         error=result.error or "")


@dataclass(frozen=True)
class LoadedTexts:
    """Plain text of each readable file (by source name), and the files that were skipped."""

    texts: dict[str, str]
    skipped: tuple[str, ...]


def load_texts(paths: Iterable[Path], max_bytes: int, limit: int = 50000) -> LoadedTexts:
    """Read files without storing them (a requirement folder for a gap report, say)."""
    from ingest.chunking import blocks_text
    from ingest.discovery import discover
    from ingest.loaders import is_supported, load_file
    from knowledge.errors import UserFacingError

    targets, _ = discover(paths)
    texts: dict[str, str] = {}
    skipped: list[str] = []
    for target in targets:
        if not is_supported(target.path) and not target.explicit:
            continue
        try:
            doc = load_file(target.path, max_bytes, name=target.source)
        except UserFacingError as exc:
            skipped.append(str(exc))
            continue
        texts[target.source] = blocks_text(doc.blocks, limit=limit)
    return LoadedTexts(texts, tuple(skipped))
