"""One entry point for questions, shared by the CLI, the terminal chat and the bot."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace

from knowledge.answering.checking import AnswerChecker
from knowledge.answering.entities import Outcome, Resolution, resolve
from knowledge.answering.extractive import extractive_answer, refuse
from knowledge.answering.followup import carry_subject
from knowledge.answering.intents import route
from knowledge.answering.llm import ChatModel, build_prompt, count_tokens
from knowledge.answering.path_intent import route_path
from knowledge.answering.records import answer_from_record
from knowledge.errors import LLMUnavailable, UserFacingError
from knowledge.language import detect_language, translate_terms
from knowledge.retrieval.hybrid import Retriever
from knowledge.schema import Answer, DocType, Hit
from knowledge.store.base import KnowledgeBase
from prompts import localized, render

log = logging.getLogger(__name__)
# Attributes answered from passages even when the entity resolves: a major's internships are
# in its plan and in the postings that name it.
PASSAGE_ATTRIBUTES = frozenset({"internships"})
ROLES = ("student", "enterprise")


class Assistant:
    """Retrieval, then a generated answer (when a model is configured) or an extractive one."""

    def __init__(self, kb: KnowledgeBase, llm: ChatModel | None = None) -> None:
        self.kb = kb
        self.retriever = Retriever(kb)
        settings = kb.settings
        self.llm = llm if llm is not None else (ChatModel(settings) if settings.llm.enabled else None)

    def search(self, question: str, *, role: str | None = None,
               doc_types: set[DocType] | None = None, k: int | None = None) -> list[Hit]:
        types = {t.value for t in doc_types} if doc_types else None
        return self.retriever.search(question, k=k, doc_types=types, role=role)

    def _clean(self, question: str, role: str | None) -> str:
        question = " ".join(question.split())
        if not question:
            raise UserFacingError("the question is empty")
        if role is not None and role not in ROLES:
            raise UserFacingError(f"unknown role {role!r}; valid roles: {', '.join(ROLES)}")
        return question[:self.kb.settings.telegram.max_question_chars]

    def _query(self, question: str, context: str) -> str:
        """What to search for: the question, made standalone when it is a follow-up."""
        if not context:
            return question
        if self.llm is not None:
            try:
                rewritten = self.llm.complete(
                    [("human", render("condense.txt", previous=context, question=question))])
                if rewritten.strip():
                    return rewritten.strip()[:self.kb.settings.telegram.max_question_chars]
            except LLMUnavailable as exc:
                log.warning("condensing the follow-up failed (%s); searching with context", exc)
        return f"{context} {question}"

    def ask(self, question: str, *, role: str | None = None,
            doc_types: set[DocType] | None = None, context: str = "",
            generate: bool = True) -> Answer:
        """Answer from the knowledge base, with citations, or say it holds no answer.

        ``context`` (the previous question, for a follow-up) joins the search but not the
        answer's wording: the reply stays in the language of ``question``. ``generate=False``
        keeps to the extractive answer (e.g. when a user's daily model budget is spent).
        """
        answer: Answer | None = None
        for item in self.ask_stream(question, role=role, doc_types=doc_types, context=context,
                                    generate=generate):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def ask_stream(self, question: str, *, role: str | None = None,
                   doc_types: set[DocType] | None = None, context: str = "",
                   generate: bool = True) -> Iterator[str | Answer]:
        """Checked text as it is generated, then the cited ``Answer`` (always last).

        Each piece has passed the same check as the final answer (see ``checking``): nothing a
        front end shows while the answer streams is unchecked. When the check rejects the
        answer, the final Answer is the extractive one and replaces what was shown.
        """
        question = self._clean(question, role)
        subject = ""
        if not doc_types:
            direct, subject = self._direct(question, role, context, generate)
            if direct is not None:
                yield direct
                return
        if context and self.llm is not None and generate:
            query = self._query(question, context)  # the model makes the follow-up standalone
        else:
            query = subject or self._query(question, context)
        hits = self.search(query, role=role, doc_types=doc_types)
        floor = self.kb.settings.store.relevance_floor
        relevant = [h for h in hits if h.relevance >= floor]
        if not relevant:
            yield refuse(question, hits)  # below the floor the model is never called
            return
        extractive = extractive_answer(question, hits, floor, gloss=translate_terms(query),
                                       weight=self.retriever.keyword_index().idf,
                                       search_text=query)
        if self.llm is None or not generate:
            if self.llm is not None:
                extractive = _with_note(extractive, "llm_budget")
            yield extractive
            return
        prompt = build_prompt(self.kb.settings, question, relevant, role)
        checker = AnswerChecker(prompt)
        try:
            for delta in self.llm.stream(prompt.messages):
                yield from checker.feed(delta)
                if checker.rejected:
                    break  # nothing more of this answer will be shown
        except LLMUnavailable as exc:
            log.warning("language model unavailable (%s); giving the extractive answer", exc)
            yield _with_note(extractive, "llm_fallback")
            return
        yield from checker.finish()
        spent = prompt.tokens + count_tokens(checker.raw)
        checked = checker.answer(question, tokens=spent)
        if checked is None:
            log.info("generated answer did not pass the check; giving the extractive answer")
            yield replace(extractive, tokens=spent)  # the model's tokens were spent all the same
            return
        yield checked


    def _direct(self, question: str, role: str | None, context: str,
                generate: bool) -> tuple[Answer | None, str]:
        """An answer that needs no passage search — a student's path, the skills functions,
        the record of the entity the question (or, in a follow-up, the conversation) names —
        or None and, when a follow-up carried its subject, the question to search with."""
        language = detect_language(question)
        path = route_path(self.kb, question, language, context)
        if path is not None:
            return path, ""
        if not context:
            routed = route(self.kb, question)
            if routed is not None:
                return routed, ""
        resolution = resolve(self.kb, question, language)
        subject = ""
        if context:
            previous = resolve(self.kb, context, detect_language(context))
            carried = carry_subject(previous, question, resolution)
            if isinstance(carried, Resolution):
                resolution = carried
            elif carried != question:
                subject = carried
        if resolution.outcome == Outcome.RESOLVED and (
                resolution.attribute is None or resolution.attribute.name in PASSAGE_ATTRIBUTES):
            # An entity, but a field its record alone does not answer: its passages do,
            # searched with the entity named (internship postings sit beside the plan).
            entity = resolution.entity
            return None, subject or (f"{entity.label} {question}" if entity and context else "")
        answer = answer_from_record(self.kb, resolution, role, language)
        if answer is not None and answer.grounded and self.llm is not None and generate:
            # A model is configured: it answers from the passages, found with the subject.
            return None, subject
        return answer, subject


def _with_note(answer: Answer, note: str) -> Answer:
    text = f"{localized(note, answer.language)}\n\n{answer.text}"
    return replace(answer, text=text)
