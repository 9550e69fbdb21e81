"""Everything careerbot says: the LLM prompts and reply templates (plain text files under
``templates/``, filled by one ``render``) and the catalogue of every other user-visible text
(``catalogue/en.toml`` and ``catalogue/zh.toml``, one section per front end or answer kind)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
CATALOGUE = Path(__file__).parent / "catalogue"
LANGUAGES = ("en", "zh")


class _Strict(dict[str, object]):
    def __missing__(self, key: str) -> object:
        raise KeyError(f"template variable {key!r} was not given")


@lru_cache(maxsize=64)
def _read(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def render(name: str, **values: object) -> str:
    """Fill template ``name`` (e.g. ``no_answer.zh.txt``); a missing variable is an error."""
    return _read(name).format_map(_Strict(values)).strip()


def localized(name: str, language: str, **values: object) -> str:
    """``render("{name}.{language}.txt")``, falling back to English."""
    lang = language if (TEMPLATES / f"{name}.{language}.txt").exists() else "en"
    return render(f"{name}.{lang}.txt", **values)


@lru_cache(maxsize=2)
def _catalogue(language: str) -> dict[str, dict[str, str]]:
    with (CATALOGUE / f"{language}.toml").open("rb") as f:
        return tomllib.load(f)


def catalogue(section: str) -> dict[str, dict[str, str]]:
    """One section of the text catalogue, by language: ``{"en": {key: text}, "zh": {...}}``.
    A key missing in Chinese falls back to its English text."""
    english = _catalogue("en")[section]
    return {language: {**english, **_catalogue(language).get(section, {})} for language in LANGUAGES}
