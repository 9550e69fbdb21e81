"""The knowledge base: SQL registry, Chroma vectors and the record manager that keeps them
in step. Its parts are constructor arguments (tests and services inject them); each one
left out is built from the settings on first use."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from filelock import FileLock, Timeout
from langchain_core.embeddings import Embeddings
from sqlalchemy import func, select

from knowledge.config import Settings
from knowledge.errors import StoreBusyError, StoreUnavailableError
from knowledge.store.db import Database
from knowledge.store.embeddings import index_name, make_embeddings
from knowledge.store.models import ChunkRow, Document
from knowledge.store.vectors import VectorStore


class KnowledgeBase:
    def __init__(self, settings: Settings, *, db: Database | None = None,
                 embeddings: Embeddings | None = None, vectors: VectorStore | None = None) -> None:
        self.settings = settings
        if db is not None:
            self.__dict__["db"] = db
        if embeddings is not None:
            self.__dict__["embeddings"] = embeddings
        if vectors is not None:
            self.__dict__["vectors"] = vectors
        self._writing = 0
        self._vectors_revision: str | None = None
        self._revision_lock = threading.Lock()

    @cached_property
    def db(self) -> Database:
        return Database(self.settings.store.sql_url)

    @cached_property
    def embeddings(self) -> Embeddings:
        return make_embeddings(self.settings)

    @property
    def index_name(self) -> str:
        return index_name(self.settings)

    @cached_property
    def vectors(self) -> VectorStore:
        return VectorStore(self.settings, self.embeddings, self.index_name)

    @property
    def vector_store(self) -> Any:
        """LangChain's ``Chroma`` over the collection, for the indexing API."""
        return self.vectors.langchain

    def follow_revision(self, revision: str) -> None:
        """Another process changed the store since this one last looked: reopen the
        embedded vector index, which would otherwise be stale (see ``VectorStore``)."""
        with self._revision_lock:
            if self._vectors_revision is None or self._writing:
                self._vectors_revision = revision
                return
            if revision != self._vectors_revision:
                self.vectors.refresh()
                self._vectors_revision = revision

    @cached_property
    def record_manager(self) -> Any:
        # LangChain's indexing API: it knows which chunk hashes are in the vector store, so
        # a re-run embeds only what changed and a killed run leaves nothing duplicated.
        from langchain_classic.indexes import SQLRecordManager

        return SQLRecordManager(f"chroma/{self.index_name}", engine=self.db.engine)

    @contextmanager
    def writer(self) -> Iterator[None]:
        """Hold the write lock of the embedded store (two writers corrupt it)."""
        if self.settings.store.chroma_url:
            with self._own_writes():
                yield
            return
        try:
            self.settings.store.data_dir.mkdir(parents=True, exist_ok=True)
            lock = FileLock(str(self.settings.store.data_dir / "ingest.lock"))
            lock.acquire(timeout=self.settings.store.lock_timeout)
        except Timeout:  # before OSError: filelock's Timeout is one
            raise StoreBusyError(
                f"another careerbot process is writing to {self.settings.store.data_dir} and did not "
                f"finish within {self.settings.store.lock_timeout:.0f} s; try again later, or run a "
                "Chroma server (CAREERBOT_CHROMA_URL) for several writers"
            ) from None
        except OSError as exc:
            raise StoreUnavailableError(
                f"cannot write to the data dir {self.settings.store.data_dir}: {exc.strerror}"
            ) from exc
        try:
            with self._own_writes():
                yield
        finally:
            lock.release()

    @contextmanager
    def _own_writes(self) -> Iterator[None]:
        """What this process writes keeps its own index current: no reopen for it."""
        with self._revision_lock:
            self._writing += 1
        try:
            yield
        finally:
            with self._revision_lock:
                self._writing -= 1
                if not self._writing and "db" in self.__dict__:
                    self._vectors_revision = None  # re-read on the next look

    def writer_busy(self) -> bool:
        if self.settings.store.chroma_url:
            return False
        lock = FileLock(str(self.settings.store.data_dir / "ingest.lock"))
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return True
        lock.release()
        return False

    def stats(self) -> dict[str, Any]:
        """Documents, chunks and types in the store."""
        with self.db.session() as s:
            documents = s.scalar(select(func.count()).select_from(Document)) or 0
            chunks = s.scalar(select(func.count()).select_from(ChunkRow)) or 0
            by_type = dict(
                s.execute(
                    select(Document.doc_type, func.count()).group_by(Document.doc_type)
                ).all()
            )
            by_language = dict(
                s.execute(select(ChunkRow.language, func.count()).group_by(ChunkRow.language)).all()
            )
        return {
            "documents": documents,
            "chunks": chunks,
            "types": {str(k): int(v) for k, v in sorted(by_type.items())},
            "languages": {str(k): int(v) for k, v in sorted(by_language.items())},
            "database": self.db.url.split("@")[-1] if "@" in self.db.url else self.db.url,
            "vector_store": self.settings.store.chroma_url or str(self.settings.store.chroma_path),
            "index": self.index_name,
        }

    def close(self) -> None:
        if "db" in self.__dict__:
            self.db.dispose()
