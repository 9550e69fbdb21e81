"""Language detection and search tokens for English and Chinese text."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

import jieba
import snowballstemmer

jieba.setLogLevel(logging.WARNING)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:[.\-+#][a-z0-9]+)*[+#]*")

EN_STOP = frozenset("""
a an and are as at be by can do does for from how i in is it me my of on or our that the
their them there these this those to was we what when where which who whom why will with
you your about any have has tell please list give show some into than then they also
""".split())

ZH_STOP = frozenset("""
的 了 是 吗 呢 吧 啊 和 与 及 或 在 有 我 你 他 她 它 我们 你们 哪些 什么 哪个 哪 如何 怎么
怎样 请 请问 一下 一些 这个 那个 这些 那些 可以 能 能够 会 要 需要 为 对 从 把 被 让 给 就 都 也
还 又 多少 几 个 吗 么 之 其 等 以及 以 于 中 上 下 里 啥 咱们 谁 该 所 着 过
""".split())


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def detect_language(text: str) -> str:
    """``zh`` when a fair share of the letters are Chinese, else ``en``."""
    cjk = len(_CJK.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    if cjk == 0:
        return "en"
    # A Chinese character carries about as much as a short English word.
    return "zh" if cjk * 3 >= latin else "en"


_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """Snowball (Porter 2) stems for words, so "assessed" finds "Assessment"; codes such as
    "dmt210" and "cosc" pass through unchanged."""
    if not word.isalpha() or len(word) < 4:
        return word
    return str(_STEMMER.stemWord(word))


@lru_cache(maxsize=4096)
def _cut(run: str) -> tuple[str, ...]:
    return tuple(t for t in jieba.cut_for_search(run) if t.strip())


def tokenize(text: str, *, drop_stopwords: bool = True) -> list[str]:
    """Search tokens: jieba words for Chinese, lower-cased words and codes for the rest.

    Codes such as ``15-1252.00`` or ``2-02-10-03`` stay whole and also give their parts, so
    both the exact code and its pieces can be matched.
    """
    out: list[str] = []
    for match in _RUNS.finditer(text.lower()):
        run = match.group(0)
        if _CJK.match(run):
            words = _cut(run) if len(run) > 1 else (run,)
            out.extend(w for w in words if not (drop_stopwords and w in ZH_STOP))
            continue
        if drop_stopwords and run in EN_STOP:
            continue
        out.append(_stem(run))
        if any(sep in run for sep in ".-"):
            out.extend(p for p in re.split(r"[.\-]", run) if len(p) >= 2)
    return out
