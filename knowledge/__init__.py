"""careerbot's core, as rooms (dependencies point down this list; import-linter checks it):

    conversation/, ops/   chat state and limits; doctor, evaluation, logs
    answering/            the Assistant: intents, extractive and LLM answers
    skills/, retrieval/   skills engine; keyword + dense hybrid search
    store/                SQL models and migrations, embeddings, the vector store
    config, errors, schema, language   shared by every room

The names below are the public API; importing one loads only what it needs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Settings": "knowledge.config",
    "CareerbotError": "knowledge.errors",
    "UserFacingError": "knowledge.errors",
    "ConfigError": "knowledge.errors",
    "StoreUnavailableError": "knowledge.errors",
    "StoreBusyError": "knowledge.errors",
    "IngestError": "knowledge.errors",
    "Answer": "knowledge.schema",
    "Citation": "knowledge.schema",
    "Chunk": "knowledge.schema",
    "DocType": "knowledge.schema",
    "Hit": "knowledge.schema",
    "KnowledgeBase": "knowledge.store.base",
    "Retriever": "knowledge.retrieval.hybrid",
    "Assistant": "knowledge.answering.assistant",
}

__all__ = [
    "Answer", "Assistant", "CareerbotError", "Chunk", "Citation", "ConfigError", "DocType",
    "Hit", "IngestError", "KnowledgeBase", "Retriever", "Settings", "StoreBusyError",
    "StoreUnavailableError", "UserFacingError",
]

if TYPE_CHECKING:
    from knowledge.answering.assistant import Assistant
    from knowledge.config import Settings
    from knowledge.errors import (
        CareerbotError,
        ConfigError,
        IngestError,
        StoreBusyError,
        StoreUnavailableError,
        UserFacingError,
    )
    from knowledge.retrieval.hybrid import Retriever
    from knowledge.schema import Answer, Chunk, Citation, DocType, Hit
    from knowledge.store.base import KnowledgeBase


def __getattr__(name: str) -> Any:
    """Load a public name on first use (PEP 562): ``from knowledge import Settings`` must
    not pull in the embedding model, Chroma and LangChain."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'knowledge' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
