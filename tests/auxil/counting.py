"""An embeddings wrapper that counts what it is asked to embed (the model still runs)."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings


class CountingEmbeddings(Embeddings):
    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.documents = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.documents += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def count_embeddings(kb) -> CountingEmbeddings:  # type: ignore[no-untyped-def]
    """Make ``kb`` embed through a counter; call before the vector store is first used."""
    counting = CountingEmbeddings(kb.embeddings)
    kb.__dict__["embeddings"] = counting
    kb.__dict__.pop("vector_store", None)
    return counting
