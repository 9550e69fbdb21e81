"""Generated answers through ChatOpenAI (OpenAI or any OpenAI-compatible server), grounded in
the retrieved passages and checked after generation.

Grounding: only the passages go in, fenced and numbered, with a system prompt that calls them
data. Everything taken from a document (text, heading, source, locator) is escaped so it cannot
close its fence, and a line that gives orders to an assistant is marked as document text. The
output is checked sentence by sentence before any of it is shown (``checking.AnswerChecker``).
Token counts are approximated offline (tiktoken downloads its tables at first use): a CJK
character counts as one token, other text as one per four characters, which errs high for
English and so keeps prompts inside the budget.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from knowledge.answering.checking import AnswerChecker
from knowledge.answering.guard import Evidence, addressed_to_assistant, document_sentences, escape, without_orders
from knowledge.config import Settings
from knowledge.errors import ConfigError, LLMUnavailable
from knowledge.language import detect_language
from knowledge.schema import Answer, Hit
from prompts import render

__all__ = ["ChatModel", "LLMUnavailable", "Prompt", "build_prompt", "check_answer", "count_tokens"]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
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
    evidence: list[Evidence]  # what each passage says, orders to an assistant left out


def _line(line: str) -> str:
    """One line of a passage, escaped; marked when it gives orders to an assistant."""
    if any(addressed_to_assistant(s) for s in document_sentences(line)):
        return f"{render('document_orders.txt')} {escape(line)}"
    return escape(line)


def _passage(number: int, hit: Hit) -> str:
    body = "\n".join(_line(ln) for ln in f"{hit.header}\n{hit.text}".splitlines() if ln.strip())
    return render("passage.txt", number=number, source=escape(hit.source, attribute=True),
                  where=escape(hit.locator, attribute=True), body=body)


def build_prompt(settings: Settings, question: str, hits: list[Hit], role: str | None) -> Prompt:
    """System prompt for the role, then the passages (within the token budget) and question."""
    language = detect_language(question)
    system = render(f"system.{role if role in ('student', 'enterprise') else 'student'}.txt",
                    language=LANGUAGE_NAMES[language])
    budget = settings.llm.context_tokens - count_tokens(system) - count_tokens(question) - 50
    parts: list[str] = []
    used: list[Hit] = []
    for hit in hits:
        block = _passage(len(used) + 1, hit)
        cost = count_tokens(block)
        if cost > budget:
            break
        parts.append(block)
        used.append(hit)
        budget -= cost
    user = render("answer.txt", passages="\n\n".join(parts), question=escape(question))
    evidence = [Evidence(without_orders(f"{h.header}\n{h.text}")) for h in used]
    return Prompt(messages=[("system", system), ("human", user)], hits=used, system=system,
                  tokens=count_tokens(system) + count_tokens(user), evidence=evidence)


def check_answer(text: str, prompt: Prompt, question: str) -> Answer | None:
    """The generated text as a checked, cited Answer, or None when none of it may be shown."""
    checker = AnswerChecker(prompt)
    checker.feed(text)
    checker.finish()
    return checker.answer(question, tokens=prompt.tokens + count_tokens(text))


class ChatModel:
    """ChatOpenAI with careerbot's settings; the openai client retries once with backoff."""

    def __init__(self, settings: Settings) -> None:
        if not settings.llm.enabled:
            raise ConfigError("no language model configured: set OPENAI_API_KEY or OPENAI_BASE_URL")
        from langchain_openai import ChatOpenAI
        from pydantic import SecretStr

        self.settings = settings
        self.model = ChatOpenAI(
            model=settings.llm.model,
            base_url=settings.llm.base_url,
            api_key=settings.llm.api_key or SecretStr("not-needed"),
            timeout=settings.llm.timeout,
            max_retries=1,
            max_completion_tokens=settings.llm.max_tokens,
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
        where = self.settings.llm.base_url or "api.openai.com"
        if models and self.settings.llm.model not in models:
            return f"{where} answers, but it does not list model {self.settings.llm.model!r}"
        return f"{where} answers; model {self.settings.llm.model}"


def _describe(exc: BaseException) -> str:
    """A short reason without secrets (the key is never part of openai's messages)."""
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    return f"{name} (HTTP {status})" if status else name
