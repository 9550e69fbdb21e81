"""Prompt and reply templates: plain text files under ``templates/`` and one ``render``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"


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
