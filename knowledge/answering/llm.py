"""Generated answers through ChatOpenAI (OpenAI or any OpenAI-compatible server), grounded in
the retrieved passages and checked after generation.

Grounding: only the passages go in, fenced and numbered, with a system prompt that calls them
data. The output is checked: citations of passages that do not exist are removed, an answer
left with no valid citation (or one that says NO_ANSWER, or repeats the system prompt) is not
shown. Token counts are approximated offline (tiktoken downloads its tables at first use): a
CJK character counts as one token, other text as one per four characters, which errs high
for English and so keeps prompts inside the budget.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from knowledge.config import Settings
from knowledge.errors import ConfigError, LLMUnavailable
from knowledge.language import detect_language
from knowledge.schema import Answer, Citation, Hit
from prompts import render

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CITE = re.compile(r"\[(\d{1,2})\]")
LANGUAGE_NAMES = {"zh": "Chinese (简体中文)", "en": "English"}


def count_tokens(text: str) -> int:
    """An offline estimate of model tokens (see the module docstring)."""
    cjk = len(_CJK.findall(text))
    return cjk + (len(text) - cjk + 3) // 4


@dataclass(frozen=True)
class Prompt:
    messages: list[tuple[str, str]]
    hits: list[Hit]
    system: str
    tokens: int


def _fence(text: str) -> str:
    """Passage text cannot close its own fence."""
    return text.replace("</passage", "</ passage")


def build_prompt(settings: Settings, question: str, hits: list[Hit], role: str | None) -> Prompt:
    """System prompt for the role, then the passages (within the token budget) and question."""
    language = detect_language(question)
    system = render(f"system.{role if role in ('student', 'enterprise') else 'student'}.txt",
                    language=LANGUAGE_NAMES[language])
    budget = settings.llm_context_tokens - count_tokens(system) - count_tokens(question) - 50
    parts: list[str] = []
    used: list[Hit] = []
    for hit in hits:
        block = (f'<passage id="{len(used) + 1}" source="{hit.source}" where="{hit.locator}">\n'
                 f"{_fence(hit.header)}\n{_fence(hit.text)}\n</passage>")
        cost = count_tokens(block)
        if cost > budget:
            break
        parts.append(block)
        used.append(hit)
        budget -= cost
    user = render("answer.txt", passages="\n\n".join(parts), question=question)
    return Prompt(messages=[("system", system), ("human", user)], hits=used, system=system,
                  tokens=count_tokens(system) + count_tokens(user))


def check_answer(text: str, prompt: Prompt, question: str) -> Answer | None:
    """The generated text as a cited Answer, or None when it must not be shown."""
    text = text.strip()
    if not text or "NO_ANSWER" in text:
        return None
    if _leaks(text, prompt.system):
        return None
    valid = set(range(1, len(prompt.hits) + 1))
    cited = sorted({int(n) for n in _CITE.findall(text)} & valid)
    text = _CITE.sub(lambda m: m.group(0) if int(m.group(1)) in valid else "", text)
    text = re.sub(r"[ \t]+([,.;:，。；：])", r"\1", text).strip()
    if not cited:
        return None
    # Renumber so the citations read [1], [2]… in the order of the source list.
    order = {old: new for new, old in enumerate(cited, start=1)}
    text = _CITE.sub(lambda m: f"[{order[int(m.group(1))]}]", text)
    citations = tuple(
        Citation(source=h.source, title=h.title, doc_type=h.doc_type, locator=h.locator,
                 score=h.relevance, quote=h.text[:300])
        for h in (prompt.hits[n - 1] for n in cited)
    )
    return Answer(text=text, grounded=True, citations=citations, backend="llm",
                  language=detect_language(question))


def _leaks(text: str, system: str) -> bool:
    """True when the answer repeats a sizeable piece of the system prompt."""
    lines = [ln.strip() for ln in system.splitlines() if len(ln.strip()) > 40]
    flat = " ".join(text.split())
    return any(" ".join(ln.split())[:60] in flat for ln in lines)


class ChatModel:
    """ChatOpenAI with careerbot's settings; the openai client retries once with backoff."""

    def __init__(self, settings: Settings) -> None:
        if not settings.llm_enabled:
            raise ConfigError("no language model configured: set OPENAI_API_KEY or OPENAI_BASE_URL")
        from langchain_openai import ChatOpenAI
        from pydantic import SecretStr

        self.settings = settings
        self.model = ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key or SecretStr("not-needed"),
            timeout=settings.llm_timeout,
            max_retries=1,
            max_completion_tokens=settings.llm_max_tokens,
            temperature=0,
        )

    def complete(self, messages: list[tuple[str, str]]) -> str:
        try:
            result = self.model.invoke(messages)
        except Exception as exc:  # openai raises a family of errors; all mean "unavailable"
            raise LLMUnavailable(_describe(exc)) from exc
        return str(result.content)

    def stream(self, messages: list[tuple[str, str]]) -> Iterator[str]:
        try:
            for chunk in self.model.stream(messages):
                if chunk.content:
                    yield str(chunk.content)
        except Exception as exc:
            raise LLMUnavailable(_describe(exc)) from exc

    def check(self) -> str:
        """A one-line description of the server and model, or LLMUnavailable."""
        try:
            client: Any = self.model.root_client
            models = [m.id for m in client.models.list().data]
        except Exception as exc:
            raise LLMUnavailable(_describe(exc)) from exc
        where = self.settings.openai_base_url or "api.openai.com"
        if models and self.settings.llm_model not in models:
            return f"{where} answers, but it does not list model {self.settings.llm_model!r}"
        return f"{where} answers; model {self.settings.llm_model}"


def _describe(exc: BaseException) -> str:
    """A short reason without secrets (the key is never part of openai's messages)."""
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    return f"{name} (HTTP {status})" if status else name
