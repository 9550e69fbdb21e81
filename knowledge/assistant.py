"""One entry point for questions, shared by the CLI, the terminal chat and the bot."""

from __future__ import annotations

from knowledge.answer import extractive_answer
from knowledge.base import KnowledgeBase
from knowledge.errors import UserFacingError
from knowledge.lexicon import translate_terms
from knowledge.retrieval import Retriever
from knowledge.schema import Answer, DocType, Hit

MAX_QUESTION_CHARS = 2000
ROLES = ("student", "enterprise")


class Assistant:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.retriever = Retriever(kb)

    def search(self, question: str, *, role: str | None = None,
               doc_types: set[DocType] | None = None, k: int | None = None) -> list[Hit]:
        types = {t.value for t in doc_types} if doc_types else None
        return self.retriever.search(question, k=k, doc_types=types, role=role)

    def ask(self, question: str, *, role: str | None = None,
            doc_types: set[DocType] | None = None, context: str = "") -> Answer:
        """Answer from the knowledge base, with citations, or say it holds no answer.

        ``context`` (the previous question, for a follow-up) joins the search but not the
        answer's wording: the reply stays in the language of ``question``.
        """
        question = " ".join(question.split())
        if not question:
            raise UserFacingError("the question is empty")
        if role is not None and role not in ROLES:
            raise UserFacingError(f"unknown role {role!r}; valid roles: {', '.join(ROLES)}")
        question = question[:MAX_QUESTION_CHARS]
        query = f"{context} {question}".strip() if context else question
        hits = self.search(query, role=role, doc_types=doc_types)
        return extractive_answer(question, hits, self.kb.settings.relevance_floor,
                                 gloss=translate_terms(query),
                                 weight=self.retriever.keyword_index().idf,
                                 search_text=query)
