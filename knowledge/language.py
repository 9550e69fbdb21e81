"""Language: detection, search tokens and the bilingual glossary, for English and Chinese.

The glossary: BM25 cannot see that 数据库 and "database" are the same word; the embedding
model can, but not reliably for short technical terms. A question is therefore also searched
with its known terms put into the other language. The glossary is data (``data/lexicon.tsv``).
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import jieba
import snowballstemmer

from knowledge.schema import Question

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

_PATH = Path(__file__).parent / "data" / "lexicon.tsv"
_CODE = re.compile(r"\b[A-Za-z]{2,5}\s?\d{3,4}[A-Z]?\b|\b\d[\d\-.]{3,}\d[A-Z]?\b")


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    zh_en: dict[str, tuple[str, ...]] = {}
    en_zh: dict[str, tuple[str, ...]] = {}
    for line in _PATH.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        zh_side, en_side = line.split("\t", 1)
        zh_terms = tuple(t.strip() for t in zh_side.split("|") if t.strip())
        en_terms = tuple(t.strip().lower() for t in en_side.split("|") if t.strip())
        for term in zh_terms:
            zh_en[term] = zh_en.get(term, ()) + en_terms
        for term in en_terms:
            en_zh[term] = en_zh.get(term, ()) + zh_terms
    return zh_en, en_zh


def _longest_matches(text: str, terms: dict[str, tuple[str, ...]], words: bool) -> list[str]:
    """Terms found in ``text``, longest first and not overlapping one another."""
    taken = [False] * len(text)
    found: list[tuple[int, str]] = []
    for term in sorted(terms, key=len, reverse=True):
        pattern = re.escape(term)
        if words:
            pattern = rf"(?<![a-z0-9]){pattern}(?:e?s)?(?![a-z0-9])"
        for m in re.finditer(pattern, text):
            if not any(taken[m.start():m.end()]):
                taken[m.start():m.end()] = [True] * (m.end() - m.start())
                found.append((m.start(), term))
    return [term for _, term in sorted(found)]


def find_terms(question: str) -> list[tuple[str, tuple[str, ...]]]:
    """Glossary terms in ``question`` with their translations, in question order."""
    zh_en, en_zh = _load()
    if detect_language(question) == "zh":
        return [(t, zh_en[t]) for t in _longest_matches(question, zh_en, words=False)]
    return [(t, en_zh[t]) for t in _longest_matches(question.lower(), en_zh, words=True)]


def translate_terms(question: str) -> str:
    """The question's known terms in the other language, plus any codes it names."""
    out = [translations[0] for _, translations in find_terms(question)]
    seen: list[str] = []
    for word in [*out, *_CODE.findall(question)]:
        if word not in seen:
            seen.append(word)
    return " ".join(seen)


def make_question(text: str, role: str | None = None) -> Question:
    """Everything later stages need from a question, computed once."""
    tokens = tuple(tokenize(text))
    gloss = translate_terms(text)
    gloss_tokens = tuple(t for t in tokenize(gloss) if t not in tokens)
    return Question(text=text, language=detect_language(text), tokens=tokens,
                    terms=tuple(find_terms(text)), gloss=gloss, gloss_tokens=gloss_tokens, role=role)
