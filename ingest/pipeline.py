"""The sync pipeline: files in, chunks in SQL and vectors in Chroma, incrementally.

Per file: hash the bytes; skip when the registry holds that hash and the vectors are there;
otherwise load, type and chunk it, hand the chunks to LangChain's indexing API (which embeds
only hashes it has not seen, and drops this file's stale vectors), then replace its SQL rows
in one transaction. A run killed at any point is finished by the next one: vectors are keyed
by content, so nothing is embedded twice or left orphaned.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from langchain_core.documents import Document as LCDocument
from langchain_core.indexing import index
from sqlalchemy import delete, select
from sqlalchemy.exc import DataError, IntegrityError

from ingest.chunking import blocks_text, chunk_document, chunk_key, embedding_text
from ingest.classify import classify
from ingest.discovery import Target, discover, document_id
from ingest.encoding import strip_controls
from ingest.entities import Entities
from ingest.entities import extract as extract_entities
from ingest.loaders import REVISION, is_supported, load_bytes
from knowledge.errors import FileTooLargeError, IngestError, StoreUnavailableError
from knowledge.language import detect_language, tokenize
from knowledge.schema import Chunk, DocType, LoadedDocument
from knowledge.skills import find_skills, skill_id_for
from knowledge.store.base import KnowledgeBase
from knowledge.store.models import (
    ChunkRow,
    Course,
    Document,
    Major,
    MajorOccupation,
    Occupation,
    PlanItem,
    Requirement,
    RequirementSnapshot,
    SkillTerm,
    utcnow,
)

log = logging.getLogger(__name__)
_STORAGE_FAULTS = ("disk is full", "no space", "read-only", "readonly", "disk i/o", "quota")


@dataclass
class FileResult:
    source: str
    status: str  # new | changed | unchanged | removed | failed | skipped
    doc_type: str = ""
    chunks_added: int = 0
    chunks_removed: int = 0
    error: str = ""


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def chunks_added(self) -> int:
        return sum(r.chunks_added for r in self.results)

    @property
    def chunks_removed(self) -> int:
        return sum(r.chunks_removed for r in self.results)

    def as_json(self) -> dict[str, object]:
        return {
            **{s: self.count(s) for s in ("new", "changed", "unchanged", "removed", "failed", "skipped")},
            "chunks_added": self.chunks_added,
            "chunks_removed": self.chunks_removed,
            "seconds": round(self.seconds, 2),
            "errors": [{"source": r.source, "error": r.error} for r in self.failed],
            "skipped_files": [{"source": r.source, "reason": r.error}
                              for r in self.results if r.status == "skipped"],
        }


@contextmanager
def _storage_faults(kb: KnowledgeBase) -> Iterator[None]:
    """A full or read-only disk is a store problem for the whole run, said clearly."""
    try:
        yield
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES):
            raise StoreUnavailableError(
                f"cannot write to the data dir {kb.settings.store.data_dir}: {exc.strerror}") from exc
        raise


Progress = Callable[[FileResult, int], None]
# Called with a stage name and the file's source at each point where a crash must leave the
# store recoverable ("indexed": vectors written, SQL not yet; "saved": both). Tests use it to
# stop a run at an exact point instead of racing a SIGKILL against the clock.
Checkpoint = Callable[[str, str], None]


class Ingestor:
    """Runs one ingest over files and folders; see the module docstring."""

    def __init__(
        self,
        kb: KnowledgeBase,
        *,
        doc_type: DocType | None = None,
        full: bool = False,
        on_file: Progress | None = None,
        checkpoint: Checkpoint | None = None,
    ) -> None:
        self.kb = kb
        self.doc_type = doc_type
        self.full = full
        self.on_file = on_file or (lambda result, chunks: None)
        self.checkpoint = checkpoint or (lambda stage, source: None)

    def run(self, paths: Iterable[Path]) -> IngestReport:
        started = time.perf_counter()
        targets, roots = discover(paths)
        report = IngestReport()
        with self.kb.writer(), _storage_faults(self.kb):
            for target in targets:
                result = self._one(target)
                report.results.append(result)
                self.on_file(result, result.chunks_added)
            if self.full:
                for root in roots:
                    report.results.extend(self._remove_missing(root))
        report.seconds = time.perf_counter() - started
        return report

    def ingest_bytes(
        self, data: bytes, name: str, *, key: str, doc_type: DocType | None = None
    ) -> FileResult:
        """Ingest an upload (e.g. from Telegram) under a stable ``key``."""
        with self.kb.writer():
            return self._store(data, name, doc_id=document_id(key), path=key, root="upload",
                               doc_type=doc_type or self.doc_type)

    # -- one file -----------------------------------------------------------------

    def _one(self, target: Target) -> FileResult:
        source = target.source
        if target.skip:  # a copy ingested before the link was turned outward goes too
            with self.kb.db.session() as s:
                known = s.get(Document, target.doc_id) is not None
            if known:
                self.remove(target.doc_id)
            return FileResult(source, "skipped", error=target.skip + (
                "; its earlier copy removed" if known else "; skipped"))
        if not target.path.exists():
            return FileResult(source, "failed", error=f"{target.path}: no such file")
        if not is_supported(target.path) and not target.explicit:
            return FileResult(source, "skipped", error="unsupported format")
        try:
            size = target.path.stat().st_size
            if size > self.kb.settings.store.max_file_bytes:
                limit = self.kb.settings.store.max_file_bytes / 1048576
                raise FileTooLargeError(source, f"{size / 1048576:.1f} MB > {limit:.1f} MB")
            data = target.path.read_bytes()
        except IngestError as exc:
            return FileResult(source, "failed", error=str(exc))
        except OSError as exc:
            return FileResult(source, "failed", error=f"{source}: cannot read ({exc.strerror})")
        return self._store(data, source, doc_id=target.doc_id, path=str(target.path),
                           root=str(target.root), doc_type=self.doc_type)

    def _store(
        self, data: bytes, source: str, *, doc_id: str, path: str, root: str,
        doc_type: DocType | None,
    ) -> FileResult:
        source = strip_controls(source)  # an upload's name is the sender's choice
        if len(data) > self.kb.settings.store.max_file_bytes:  # uploads: the limit holds for bytes too
            limit = self.kb.settings.store.max_file_bytes / 1048576
            error = FileTooLargeError(source, f"{len(data) / 1048576:.1f} MB > {limit:.1f} MB")
            return FileResult(source, "failed", error=str(error))
        content_hash = hashlib.sha256(REVISION.encode() + data).hexdigest()  # bytes, as loaded
        with self.kb.db.session() as s:
            existing = s.get(Document, doc_id)
            if (
                existing is not None
                and existing.content_hash == content_hash
                and (doc_type is None or existing.doc_type == doc_type.value)
                and self._vectors_present(doc_id)
            ):
                if existing.source != source or existing.root != root:
                    existing.source, existing.root = source, root
                return FileResult(source, "unchanged", doc_type=existing.doc_type)
            status = "changed" if existing is not None else "new"
            old_chunks = existing.chunk_count if existing is not None else 0
        try:
            loaded = load_bytes(data, source)
            sample = blocks_text(loaded.blocks)
            kind = doc_type or classify(loaded, path, sample)
            chunks = chunk_document(loaded, doc_id=doc_id, source=source, doc_type=kind)
        except IngestError as exc:
            return FileResult(source, "failed", error=str(exc))
        if not chunks:
            return FileResult(source, "failed", error=f"{source}: no text could be extracted")
        try:
            self._index(doc_id, chunks)
            self.checkpoint("indexed", source)
            self._save(doc_id, path, root, source, kind, content_hash, loaded, chunks, data,
                       sample, extract_entities(loaded, kind))
            self.checkpoint("saved", source)
        except (DataError, IntegrityError) as exc:
            # The database refused this file's rows (not an outage): undo its vectors, go on.
            self._drop_unsaved_vectors(doc_id)
            detail = str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__
            return FileResult(source, "failed", error=f"{source}: could not be stored ({detail})")
        return FileResult(
            source, status, doc_type=kind.value, chunks_added=len(chunks), chunks_removed=old_chunks
        )

    def _drop_unsaved_vectors(self, doc_id: str) -> None:
        """Delete the vectors and record-manager keys of ``doc_id`` that have no SQL chunk."""
        rm = self.kb.record_manager
        with self.kb.db.session() as s:
            saved = set(s.scalars(select(ChunkRow.id).where(ChunkRow.document_id == doc_id)))
        extra = [k for k in rm.list_keys(group_ids=[doc_id]) if k not in saved]
        if extra:
            self.kb.vector_store.delete(extra)
            rm.delete_keys(extra)

    def _vectors_present(self, doc_id: str) -> bool:
        return bool(self.kb.record_manager.list_keys(group_ids=[doc_id], limit=1))

    def _index(self, doc_id: str, chunks: list[Chunk]) -> None:
        docs = [
            LCDocument(
                page_content=embedding_text(c),
                metadata={"doc_id": doc_id, "doc_type": c.doc_type.value,
                          "language": c.language, "chunk_key": chunk_key(doc_id, c.content)},
            )
            for c in chunks
        ]
        try:
            index(
                docs,
                self.kb.record_manager,
                self.kb.vector_store,
                cleanup="incremental",
                source_id_key="doc_id",
                key_encoder=lambda d: d.metadata["chunk_key"],
                batch_size=64,
            )
        except (StoreUnavailableError, IngestError):
            raise
        except ConnectionError as exc:
            raise StoreUnavailableError(f"the vector store is unavailable: {exc}") from exc
        except Exception as exc:  # chromadb's own error types, e.g. on a full or read-only disk
            text = str(exc).lower()
            if any(word in text for word in _STORAGE_FAULTS):
                raise StoreUnavailableError(f"the vector store cannot be written: {exc}") from exc
            raise

    def _save(
        self, doc_id: str, path: str, root: str, source: str, kind: DocType, content_hash: str,
        loaded: LoadedDocument, chunks: list[Chunk], data: bytes, sample: str, entities: Entities,
    ) -> None:
        with self.kb.db.session() as s:
            for table in (ChunkRow, Major, PlanItem, Course, Occupation, MajorOccupation, Requirement, SkillTerm):
                s.execute(delete(table).where(table.document_id == doc_id))
            doc = s.get(Document, doc_id) or Document(id=doc_id)
            doc.path, doc.root, doc.source = path, root, source
            doc.doc_type, doc.content_hash = kind.value, content_hash
            doc.title = loaded.title or source
            doc.language = detect_language(sample)
            doc.encoding = loaded.encoding
            doc.size_bytes = len(data)
            doc.chunk_count = len(chunks)
            doc.ingested_at = utcnow()
            s.merge(doc)
            s.flush()  # the document row first: entity rows refer to it
            s.add_all(
                ChunkRow(
                    id=chunk_key(doc_id, c.content),
                    document_id=doc_id,
                    ordinal=c.ordinal,
                    header=c.header,
                    text=c.text,
                    locator=c.locator,
                    entity=c.entity,
                    doc_type=c.doc_type.value,
                    language=c.language,
                    tokens=" ".join(tokenize(c.content)),
                )
                for c in chunks
            )
            s.add_all(Major(document_id=doc_id, **m) for m in entities.majors)
            s.add_all(PlanItem(document_id=doc_id, **p) for p in entities.plan_items)
            s.add_all(Course(document_id=doc_id, **c) for c in entities.courses)
            s.add_all(Occupation(document_id=doc_id, **o) for o in entities.occupations)
            s.add_all(MajorOccupation(document_id=doc_id, **link) for link in entities.links)
            s.add_all(Requirement(document_id=doc_id, **r) for r in entities.requirements)
            s.add_all(SkillTerm(document_id=doc_id, term=term, skill_id=skill_id_for(term))
                      for term in dict.fromkeys(entities.skill_terms) if 2 < len(term) <= 80)
            if kind in (DocType.ENTERPRISE_REQUIREMENT, DocType.INTERNSHIP):
                # Kept across re-ingests (not replaced): ``skills drift`` compares them. The same
                # bytes loaded again after a loader upgrade are not a new version.
                file_hash = hashlib.sha256(data).hexdigest()
                last = s.scalars(select(RequirementSnapshot.content_hash).where(
                    RequirementSnapshot.document_id == doc_id).order_by(RequirementSnapshot.id.desc())).first()
                if last != file_hash:
                    text = blocks_text(loaded.blocks, limit=200_000)
                    s.add(RequirementSnapshot(document_id=doc_id, content_hash=file_hash,
                                              skills=json.dumps(sorted(find_skills(text)))))
            self.kb.db.bump_revision(s)

    # -- removal --------------------------------------------------------------------

    def _remove_missing(self, root: Path) -> list[FileResult]:
        """``--full``: forget documents under ``root`` whose files are gone."""
        results: list[FileResult] = []
        prefix = str(root)
        with self.kb.db.session() as s:
            rows = s.execute(select(Document.id, Document.path, Document.source, Document.chunk_count)
                             .where(Document.path.startswith(prefix))).all()
        for doc_id, path, source, count in rows:
            if not Path(path).exists():
                self.remove(doc_id)
                results.append(FileResult(source, "removed", chunks_removed=count))
        return results

    def remove(self, doc_id: str) -> None:
        """Delete a document's vectors, records and rows."""
        rm = self.kb.record_manager
        keys = rm.list_keys(group_ids=[doc_id])
        if keys:
            self.kb.vector_store.delete(keys)
            rm.delete_keys(keys)
        with self.kb.db.session() as s:
            doc = s.get(Document, doc_id)
            if doc is not None:
                s.delete(doc)
            self.kb.db.bump_revision(s)
