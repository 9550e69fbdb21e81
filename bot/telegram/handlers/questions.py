"""Questions: any text (in groups, only when addressed to the bot), and the commands that
search some document types only (/major, /course, /internships)."""

from __future__ import annotations

import asyncio
import re

from telegram import Update
from telegram.constants import ChatType, MessageEntityType

from bot.telegram.context import BotContext
from bot.telegram.format import esc
from bot.telegram.handlers.common import lang, reply_answer, send, with_typing
from bot.telegram.handlers.streaming import stream_answer
from bot.telegram.texts import t
from knowledge.conversation.limits import RateLimited
from knowledge.errors import UserFacingError
from knowledge.schema import DocType
from knowledge.skills.internships import resolve_major
from knowledge.store.base import KnowledgeBase


async def answer_question(update: Update, context: BotContext, text: str,
                          doc_types: set[DocType] | None = None) -> None:
    """Answer ``text`` as ``careerbot ask`` would, in the user's context in this chat."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or update.effective_chat is None:
        return
    language = lang(update)
    svc = context.services
    limit = svc.settings.telegram.max_question_chars
    if len(text) > limit:
        await send(message, esc(t(language, "too_long", limit=limit)))
        return
    chat_id = update.effective_chat.id
    try:
        if svc.chat.assistant.llm is None:
            reply = await with_typing(update, context, lambda: svc.chat.ask(
                user_id=user.id, chat_id=chat_id, text=text, doc_types=doc_types))
            await reply_answer(message, reply, language)
        else:
            await stream_answer(update, context, message, language, lambda: svc.chat.ask_stream(
                user_id=user.id, chat_id=chat_id, text=text, doc_types=doc_types))
    except RateLimited as exc:
        await send(message, esc(t(language, "rate_limited", seconds=exc.retry_after)))


def addressed_text(update: Update, bot_username: str, bot_id: int) -> str | None:
    """In a group, the text if it mentions or replies to the bot (mention removed), else None."""
    message = update.effective_message
    if message is None or not message.text:
        return None
    if message.chat.type == ChatType.PRIVATE:
        return message.text
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return message.text
    mention = f"@{bot_username}".lower()
    for entity in message.entities:
        if entity.type == MessageEntityType.MENTION:
            value = message.parse_entity(entity)
            if value.lower() == mention:
                return re.sub(re.escape(value), "", message.text, flags=re.IGNORECASE).strip()
    return None


async def on_text(update: Update, context: BotContext) -> None:
    """Any text is a question (in groups: only when it mentions or replies to the bot)."""
    text = addressed_text(update, context.bot.username, context.bot.id)
    if text:
        await answer_question(update, context, text)


async def on_other(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice…: a short polite reply (private chats only)."""
    message = update.effective_message
    if message is not None and message.chat.type == ChatType.PRIVATE:
        await send(message, esc(t(lang(update), "not_text")))


async def _search_command(update: Update, context: BotContext, usage: str,
                          doc_types: set[DocType]) -> None:
    """A command whose argument is searched in some document types only."""
    query = " ".join(context.args or [])
    if not query:
        if update.effective_message:
            await send(update.effective_message, esc(t(lang(update), usage)))
        return
    await answer_question(update, context, query, doc_types=doc_types)


async def major(update: Update, context: BotContext) -> None:
    """/major CODE or NAME: the major's training plan and catalogue entries."""
    await _search_command(update, context, "usage_major",
                          {DocType.TRAINING_PLAN, DocType.MAJOR_CATALOG})


async def course(update: Update, context: BotContext) -> None:
    """/course CODE: one course."""
    await _search_command(update, context, "usage_course", {DocType.COURSE})


async def internships(update: Update, context: BotContext) -> None:
    """/internships [major or topic]: a major with a training plan gets the postings ranked for it
    (with the Next posting button), as the question "which internships suit it?" would; any
    other topic searches the internship places."""
    language = lang(update)
    topic = " ".join(context.args or [])
    planned = bool(topic) and await asyncio.to_thread(_plan_major, context.services.kb, topic)
    if planned:
        question = f"哪些实习适合{topic}专业？" if language == "zh" else f"Which internships suit {topic}?"
        await answer_question(update, context, question)
        return
    await answer_question(update, context, topic or ("实习岗位" if language == "zh" else "internship places"),
                          doc_types={DocType.INTERNSHIP})


def _plan_major(kb: KnowledgeBase, topic: str) -> bool:
    """Whether ``topic`` names a major that has a training plan (the ranking needs one)."""
    try:
        resolve_major(kb, topic)
    except UserFacingError:
        return False
    return True
