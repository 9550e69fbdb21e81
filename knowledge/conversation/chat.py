"""The conversation service every front end with per-user state uses (the Telegram bot): a
question goes through the limits, picks up the user's context, is answered by the Assistant
and logged. All state is in SQL (see ``state``, ``limits``, ``updates``), so several bot
workers can serve one chat."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from knowledge.answering import intents
from knowledge.answering.assistant import Assistant
from knowledge.answering.followup import is_followup
from knowledge.answering.llm import count_tokens
from knowledge.conversation.limits import Limits, RateLimited
from knowledge.conversation.paths import PathPress, PathTurns
from knowledge.conversation.state import ConversationState, clean_text
from knowledge.conversation.updates import claim_update
from knowledge.schema import Answer, DocType
from prompts import localized, render

__all__ = ["ChatService", "RateLimited", "Reply", "is_follow_up"]



@dataclass(frozen=True)
class Reply:
    turn_id: int
    answer: Answer
    question: str


def is_follow_up(question: str) -> bool:
    """A question that leans on the one before ("and which internships does it have?"): the
    assistant's own rule, so the context passed and the subject carried agree."""
    return is_followup(question)


class ChatService:
    def __init__(self, assistant: Assistant, *, questions_per_minute: int = 20) -> None:
        self.assistant = assistant
        self.db = assistant.kb.db
        self.state = ConversationState(self.db)
        self.limits = Limits(self.db, questions_per_minute=questions_per_minute,
                             daily_tokens=assistant.kb.settings.llm.daily_tokens)
        self.paths = PathTurns(assistant.kb, self.db)
        self._offline: Assistant | None = None

    @property
    def questions_per_minute(self) -> int:
        return self.limits.questions_per_minute

    # -- questions ---------------------------------------------------------------

    def ask(self, *, user_id: int, chat_id: int, text: str,
            doc_types: set[DocType] | None = None) -> Reply:
        """Answer ``text`` in the user's context in this chat, and log the turn."""
        for item in self.ask_stream(user_id=user_id, chat_id=chat_id, text=text,
                                    doc_types=doc_types):
            if isinstance(item, Reply):
                return item
        raise AssertionError("ask_stream ends with a Reply")  # pragma: no cover

    def ask_stream(self, *, user_id: int, chat_id: int, text: str,
                   doc_types: set[DocType] | None = None) -> Iterator[str | Reply]:
        """Whatever text the Assistant streams (when a model is configured), then the logged
        Reply. The question counts against the rate limit and holds model tokens before any
        work is done; the hold is settled with an estimate of what was spent."""
        text = clean_text(text)
        context = self.state.previous_question(chat_id, user_id) if is_follow_up(text) else ""
        model = self.assistant.llm is not None
        admission = self.limits.admit(user_id, self._hold(text, context) if model else 0)
        assistant = self.assistant
        if model and not admission.generate and context:
            # The follow-up rewrite is a model call too: with the budget spent, search with the
            # previous question joined instead (what the Assistant does without a model).
            assistant = self._without_model()
        streamed: list[str] = []
        answer: Answer | None = None
        try:
            for item in assistant.ask_stream(text, role=self.state.role(user_id), context=context,
                                             doc_types=doc_types, generate=admission.generate):
                if isinstance(item, Answer):
                    answer = item
                else:
                    streamed.append(item)
                    yield item
        finally:
            if admission.held:
                self.limits.settle(admission, self._spent(text, context, streamed, answer))
        assert answer is not None
        if assistant is not self.assistant and answer.grounded:
            answer = replace(answer, text=f"{localized('llm_budget', answer.language)}\n\n{answer.text}")
        yield self.log_answer(user_id, chat_id, text, answer)

    def _without_model(self) -> Assistant:
        if self._offline is None:
            offline = copy.copy(self.assistant)
            offline.llm = None
            self._offline = offline
        return self._offline

    def _condense_tokens(self, text: str, context: str) -> int:
        if not context:
            return 0
        return count_tokens(render("condense.txt", previous=context, question=text)) + count_tokens(text)

    def _hold(self, text: str, context: str) -> int:
        """The most one answer may cost: the rewrite, a full prompt and a full answer."""
        settings = self.assistant.kb.settings
        return (self._condense_tokens(text, context) + settings.llm.context_tokens
                + settings.llm.max_tokens)

    def _spent(self, text: str, context: str, streamed: list[str], answer: Answer | None) -> int:
        """Model tokens this question cost, as well as can be told from outside the model:
        the answer's own count, else (a generated answer that failed its check) what was
        streamed plus a full prompt; the follow-up rewrite on top."""
        spent = self._condense_tokens(text, context)
        if answer is not None and answer.tokens:
            return spent + answer.tokens
        if streamed:
            spent += count_tokens("".join(streamed)) + self.assistant.kb.settings.llm.context_tokens
        return spent

    def skills(self, *, user_id: int, chat_id: int, command: str, arg: str, text: str,
               language: str) -> Reply | None:
        """``/skills MAJOR`` (a profile) or ``/match JOB`` (majors that fit), counted against
        the rate limit like any question; None when nothing matched."""
        self.limits.admit(user_id)
        render_answer = intents.profile_answer if command == "skills" else intents.match_answer
        answer = render_answer(self.assistant.kb, arg, language)
        return None if answer is None else self.log_answer(user_id, chat_id, text, answer)

    def log_answer(self, user_id: int, chat_id: int, text: str, answer: Answer) -> Reply:
        """Store a turn for an answer made elsewhere (e.g. a /skills command)."""
        text = clean_text(text)
        turn_id = self.state.log_turn(user_id, chat_id, text, answer)
        self.paths.keep(turn_id, answer)
        return Reply(turn_id=turn_id, answer=answer, question=text)

    def path_plan(self, turn_id: int, user_id: int) -> PathPress | None:
        """The plan behind the user's own path answer (None: not theirs); counted against the
        rate limit, since it is worked out again."""
        self.limits.admit(user_id)
        return self.paths.plan(turn_id, user_id)

    def next_posting(self, turn_id: int, user_id: int) -> PathPress | None:
        """The next posting of the user's own internships answer (None: not theirs)."""
        self.limits.admit(user_id)
        return self.paths.next_posting(turn_id, user_id)

    def tokens_today(self, user_id: int) -> int:
        return self.limits.tokens_today(user_id)

    # -- state, by delegation ----------------------------------------------------

    def role(self, user_id: int) -> str | None:
        return self.state.role(user_id)

    def set_role(self, user_id: int, role: str) -> None:
        self.state.set_role(user_id, role)

    def previous_question(self, chat_id: int, user_id: int) -> str:
        return self.state.previous_question(chat_id, user_id)

    def sources(self, turn_id: int, user_id: int) -> list[dict[str, Any]] | None:
        return self.state.sources(turn_id, user_id)

    def feedback(self, turn_id: int, user_id: int, value: int) -> bool:
        return self.state.feedback(turn_id, user_id, value)

    def reset(self, chat_id: int, user_id: int) -> int:
        return self.state.reset(chat_id, user_id)

    def forget(self, user_id: int) -> dict[str, int]:
        return self.state.forget(user_id)

    def claim_update(self, update_id: int) -> bool:
        return claim_update(self.db, update_id)

    def stats(self) -> dict[str, Any]:
        return self.state.stats()

    def unanswered(self, limit: int = 20) -> list[tuple[str, str]]:
        return self.state.unanswered(limit)
