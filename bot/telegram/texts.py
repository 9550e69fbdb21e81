"""What the bot says, in English and Chinese. Answers follow the question's language; these
follow the user's Telegram language."""

from __future__ import annotations

from prompts import catalogue

TEXTS: dict[str, dict[str, str]] = catalogue('telegram')  # prompts/catalogue/*.toml


def language_of(language_code: str | None) -> str:
    return "zh" if (language_code or "").lower().startswith("zh") else "en"


def t(language: str, key: str, **values: object) -> str:
    table = TEXTS.get(language, TEXTS["en"])
    return table.get(key, TEXTS["en"][key]).format(**values)
