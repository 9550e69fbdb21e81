"""Chroma, embedded (PersistentClient under the data dir) or a server (HttpClient).

``VectorStore`` is the one owner of Chroma: nothing else imports ``chromadb`` or touches a
collection. It hands LangChain's indexing API the ``Chroma`` wrapper it needs and answers
the few questions retrieval and doctor ask (count, nearest ids, stored vectors).

An embedded Chroma keeps its index in memory: when another process ingests, a long-running
process (the bot, the web console, ``careerbot chat``) would go on searching a stale index
and fail with "Error finding id". ``refresh`` reopens it; the knowledge base calls it when the
store's revision moved and this process is not itself writing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings

from knowledge.config import Settings
from knowledge.errors import ConfigError, StoreUnavailableError
from knowledge.store.errors import StaleVectorsError, map_backend_errors


def make_client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if not settings.store.chroma_url:
        settings.store.chroma_path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.store.chroma_path), settings=chroma_settings)
    url = urlparse(settings.store.chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ConfigError(
            f"CAREERBOT_CHROMA_URL must look like http://host:port, not {settings.store.chroma_url!r}"
        )
    with map_backend_errors("reach", f"the Chroma server at {settings.store.chroma_url}"):
        return chromadb.HttpClient(
            host=url.hostname,
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )


def _forget_embedded_client(path: str) -> None:
    """Drop chromadb's process-wide cached system for ``path`` so the next client reloads
    it from disk. chromadb has no public call for one path (``clear_system_cache`` drops
    every client in the process), hence the private registry."""
    from chromadb.api.shared_system_client import SharedSystemClient

    system = SharedSystemClient._identifier_to_system.pop(path, None)
    if system is not None:
        system.stop()


class VectorStore:
    """One Chroma collection, opened on first use, reopened by ``refresh``."""

    def __init__(self, settings: Settings, embeddings: Embeddings, name: str,
                 client_factory: Callable[[Settings], Any] = make_client) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.name = name
        self._client_factory = client_factory
        self._langchain: Any = None
        self._lock = threading.RLock()
        self.where = settings.store.chroma_url or str(settings.store.chroma_path)

    @property
    def embedded(self) -> bool:
        return not self.settings.store.chroma_url

    @property
    def langchain(self) -> Any:
        """LangChain's ``Chroma`` over the collection (what the indexing API writes to)."""
        with self._lock:
            if self._langchain is None:
                self._langchain = self._open()
            return self._langchain

    def _open(self) -> Any:
        from langchain_chroma import Chroma

        with map_backend_errors("open", f"the Chroma store at {self.where}"):
            return Chroma(
                collection_name=self.name,
                embedding_function=self.embeddings,
                client=self._client_factory(self.settings),
                collection_metadata={"hnsw:space": "cosine"},
            )

    @property
    def _collection(self) -> Any:
        return self.langchain._collection

    def refresh(self) -> None:
        """Reopen an embedded store from disk (no-op for a Chroma server)."""
        if not self.embedded:
            return
        with self._lock:
            if self._langchain is not None:
                _forget_embedded_client(str(self.settings.store.chroma_path))
                self._langchain = None

    def _call(self, action: str, fn: Callable[[Any], Any]) -> Any:
        """Run ``fn(collection)``; on a stale embedded index, reopen once and retry."""
        with self._lock:
            try:
                with map_backend_errors(action, f"the vector store at {self.where}"):
                    return fn(self._collection)
            except StaleVectorsError:
                if not self.embedded:
                    raise
                self.refresh()
                with map_backend_errors(action, f"the vector store at {self.where}"):
                    return fn(self._collection)

    def count(self) -> int:
        return int(self._call("read", lambda c: c.count()))

    def ids(self) -> set[str]:
        return set(self._call("read", lambda c: c.get(include=[])["ids"]))

    def nearest(self, vector: list[float], n: int, doc_types: set[str] | None = None) -> list[str]:
        """Ids of the ``n`` nearest chunks, optionally only of some document types."""
        where = {"doc_type": {"$in": sorted(doc_types)}} if doc_types else None

        def query(collection: Any) -> list[str]:
            count = collection.count()
            if count == 0:
                return []
            found = collection.query(query_embeddings=[vector], n_results=min(n, count),
                                     where=where, include=[])
            return list(found["ids"][0])

        return list(self._call("search", query))

    def vectors(self, ids: list[str]) -> tuple[list[str], list[list[float]]]:
        """The stored embeddings of ``ids`` (those that exist), with their ids."""
        got = self._call("read", lambda c: c.get(ids=ids, include=["embeddings"]))
        embeddings = got["embeddings"]
        return list(got["ids"]), [] if embeddings is None else [list(v) for v in embeddings]


def make_vector_store(settings: Settings, embeddings: Embeddings, name: str) -> VectorStore:
    return VectorStore(settings, embeddings, name)


__all__ = ["StoreUnavailableError", "VectorStore", "make_client", "make_vector_store"]
