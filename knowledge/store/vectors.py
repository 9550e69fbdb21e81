"""Chroma, embedded (PersistentClient under the data dir) or a server (HttpClient)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings

from knowledge.config import Settings
from knowledge.errors import ConfigError, StoreUnavailableError


def make_client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if not settings.chroma_url:
        settings.chroma_path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)
    url = urlparse(settings.chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ConfigError(
            f"CAREERBOT_CHROMA_URL must look like http://host:port, not {settings.chroma_url!r}"
        )
    try:
        return chromadb.HttpClient(
            host=url.hostname,
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    except Exception as exc:  # chromadb raises plain ValueError/ConnectionError here
        raise StoreUnavailableError(
            f"cannot reach the Chroma server at {settings.chroma_url}: {exc}"
        ) from exc


def make_vector_store(settings: Settings, embeddings: Embeddings, name: str) -> Any:
    from langchain_chroma import Chroma

    try:
        return Chroma(
            collection_name=name,
            embedding_function=embeddings,
            client=make_client(settings),
            collection_metadata={"hnsw:space": "cosine"},
        )
    except (ConfigError, StoreUnavailableError):
        raise
    except Exception as exc:
        where = settings.chroma_url or str(settings.chroma_path)
        raise StoreUnavailableError(f"cannot open the Chroma store at {where}: {exc}") from exc
