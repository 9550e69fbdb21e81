"""/skills MAJOR (what graduates of a major can do) and /match JOB (majors that fit a job),
counted against the question rate like any question."""

from __future__ import annotations

from telegram import Update

from bot.telegram.context import BotContext
from bot.telegram.format import esc
from bot.telegram.handlers.common import lang, reply_answer, send, with_typing
from bot.telegram.texts import t
from knowledge.conversation.limits import RateLimited


async def skills_command(update: Update, context: BotContext) -> None:
    """/skills MAJOR: what graduates of a major can do; /match JOB TEXT: majors that fit."""
    message = update.effective_message
    user, chat = update.effective_user, update.effective_chat
    if message is None or user is None or chat is None:
        return
    language = lang(update)
    command = (message.text or "").split()[0].lstrip("/").split("@")[0]
    arg = " ".join(context.args or [])
    if not arg:
        await send(message, esc(t(language, f"usage_{command}")))
        return
    service = context.services.chat
    try:
        reply = await with_typing(update, context, lambda: service.skills(
            user_id=user.id, chat_id=chat.id, command=command, arg=arg,
            text=message.text or arg, language=language))
    except RateLimited as exc:
        await send(message, esc(t(language, "rate_limited", seconds=exc.retry_after)))
        return
    if reply is None:
        await send(message, esc(t(language, f"none_{command}")))
        return
    await reply_answer(message, reply, language)
