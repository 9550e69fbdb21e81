"""``careerbot doctor``: check each part of the configuration and say what to fix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from knowledge.answering.llm import ChatModel, LLMUnavailable
from knowledge.config import Settings
from knowledge.errors import CareerbotError
from knowledge.store.base import KnowledgeBase


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _run(name: str, probe: Callable[[], str], fix: str) -> Check:
    try:
        return Check(name, True, probe())
    except (CareerbotError, LLMUnavailable, OSError, ValueError) as exc:
        return Check(name, False, f"{exc} — {fix}")


def diagnose(settings: Settings) -> list[Check]:
    """Every check, in the order a user would fix them."""
    kb = KnowledgeBase(settings)

    def sql() -> str:
        kb.db.revision()
        return str(kb.stats()["database"])

    def vectors() -> str:
        count = kb.vectors.count()
        return f"{settings.store.chroma_url or settings.store.chroma_path}: {count} vectors in {kb.index_name}"

    def embeddings() -> str:
        dim = len(kb.embeddings.embed_query("数据库 database"))
        return f"{settings.store.embedding_backend}: {dim}-dimensional vectors"

    checks = [
        _run("database", sql, "check CAREERBOT_DATABASE_URL and that the server is up"),
        _run("vector store", vectors, "check CAREERBOT_CHROMA_URL (or unset it for embedded Chroma)"),
        _run("embedding model", embeddings,
             "check CAREERBOT_EMBEDDING_BACKEND and its model settings"),
    ]
    if settings.llm.enabled:
        checks.append(_run("language model", lambda: ChatModel(settings).check(),
                           "check OPENAI_BASE_URL, OPENAI_API_KEY and CAREERBOT_LLM_MODEL; "
                           "answers fall back to quotes until it works"))
    else:
        checks.append(Check("language model", True,
                            "none configured: extractive answers (set OPENAI_API_KEY or OPENAI_BASE_URL)"))
    if settings.telegram.token is not None:
        from_token = settings.telegram.token.get_secret_value()
        ok = ":" in from_token and from_token.split(":")[0].isdigit()
        checks.append(Check("telegram token", ok, "looks valid" if ok else
                            "TELEGRAM_BOT_TOKEN is malformed (expected 123456:ABC…)"))
    kb.close()
    return checks
