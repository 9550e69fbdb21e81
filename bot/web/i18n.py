"""Every text the web console shows, in English and Chinese, and the choice between them
(``?lang=``, then the ``lang`` cookie, then the browser's Accept-Language)."""

from __future__ import annotations

from prompts import catalogue

LANGUAGES = ("en", "zh")

TEXTS: dict[str, dict[str, str]] = catalogue('web')  # prompts/catalogue/*.toml


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The page language: an explicit choice, a remembered one, then the browser's preference."""
    for choice in (query, cookie):
        if choice in LANGUAGES:
            return choice
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return sorted(ranked)[0][2] if ranked else "en"


class Translator:
    """``t("key", n=3)`` in templates: the text in the page language, English when missing."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else "en"

    def __call__(self, key: str, **values: object) -> str:
        text = TEXTS[self.language].get(key) or TEXTS["en"].get(key) or key
        return text.format(**values) if values else text
