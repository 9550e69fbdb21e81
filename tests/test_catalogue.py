"""The text catalogue (prompts/catalogue/*.toml): both languages say the same things."""

from __future__ import annotations

import string
import tomllib

from prompts import CATALOGUE, catalogue


def _load(language: str) -> dict[str, dict[str, str]]:
    with (CATALOGUE / f"{language}.toml").open("rb") as f:
        return tomllib.load(f)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_text_exists_in_both_languages_with_the_same_placeholders() -> None:
    en, zh = _load("en"), _load("zh")
    assert en.keys() == zh.keys()
    for section in en:
        assert en[section].keys() == zh[section].keys(), section
        for key, text in en[section].items():
            assert _fields(text) == _fields(zh[section][key]), (section, key)


def test_front_ends_read_their_text_from_the_catalogue() -> None:
    from bot.telegram.texts import t
    from bot.web.i18n import TEXTS as WEB

    assert t("zh", "sources") == catalogue("telegram")["zh"]["sources"]
    assert WEB["en"] == _load("en")["web"]
