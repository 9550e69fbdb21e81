"""What every handler shares: the user's language, sending with safe retries, the typing
indicator while blocking work runs in a thread, and an answer with its buttons."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut

from bot.render.charts import bars_chart
from bot.telegram.context import BotContext
from bot.telegram.format import answer_messages
from bot.telegram.texts import language_of, t
from knowledge.conversation.chat import Reply
from knowledge.conversation.paths import PathButtons, buttons_for

log = logging.getLogger(__name__)
T = TypeVar("T")
TYPING_EVERY = 4.0
RETRY_DELAYS = (0.5, 1.0, 2.0)
# Failures that prove the request never reached Telegram: no connection was made.
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def lang(update: Update) -> str:
    user = update.effective_user
    return language_of(user.language_code if user else None)


def never_sent(exc: TelegramError) -> bool:
    """True when ``exc`` shows the request did not reach Telegram, so repeating it is safe."""
    return isinstance(exc.__cause__, _NEVER_SENT)


async def send(message: Message, text: str, **kwargs: Any) -> Message | None:
    """Reply with HTML. A failed send is repeated only when it never reached Telegram: after a
    lost response Telegram may well have delivered it, and a second copy is worse than none.
    (429 RetryAfter is the rate limiter's to wait out.)"""
    for delay in (*RETRY_DELAYS, None):
        try:
            return await message.reply_text(text, parse_mode=ParseMode.HTML, **kwargs)
        except BadRequest:
            raise
        except (TimedOut, NetworkError) as exc:
            if not never_sent(exc):
                log.warning("sending a message may or may not have worked (%s); not repeating it", exc)
                return None
            if delay is None:
                raise
            log.warning("send failed before reaching Telegram (%s); retrying", exc)
            await asyncio.sleep(delay)
    return None  # pragma: no cover


async def edit(message: Message, text: str, **kwargs: Any) -> None:
    """Edit a message with HTML; an edit is safe to repeat, so network errors are retried."""
    for delay in (*RETRY_DELAYS, None):
        try:
            await message.edit_text(text, parse_mode=ParseMode.HTML, **kwargs)
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return
            raise
        except (TimedOut, NetworkError):
            if delay is None:
                raise
            await asyncio.sleep(delay)


async def with_typing(update: Update, context: BotContext, work: Callable[[], T]) -> T:
    """Run blocking ``work`` in a thread while Telegram shows "typing…" (re-sent every ~4 s)."""
    chat = update.effective_chat

    async def typing() -> None:
        while True:
            with contextlib.suppress(Exception):
                if chat is not None:
                    await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
            await asyncio.sleep(TYPING_EVERY)

    ticker = asyncio.create_task(typing())
    try:
        return await asyncio.to_thread(work)
    finally:
        ticker.cancel()


def answer_keyboard(turn_id: int, language: str, has_sources: bool,
                    path: PathButtons | None = None) -> InlineKeyboardMarkup:
    """👍/👎 and Sources; under a student's path answer also "see the plan" / "next posting"
    (callback data names the turn only: what to show is kept in SQL, see ``paths``)."""
    row = [InlineKeyboardButton("👍", callback_data=f"fb:{turn_id}:1"),
           InlineKeyboardButton("👎", callback_data=f"fb:{turn_id}:-1")]
    if has_sources:
        row.append(InlineKeyboardButton(t(language, "sources_button"), callback_data=f"src:{turn_id}"))
    rows = [row]
    extra = []
    if path is not None and path.plan:
        extra.append(InlineKeyboardButton(t(language, "plan_button"), callback_data=f"plan:{turn_id}"))
    if path is not None and path.next_posting:
        extra.append(next_posting_button(turn_id, language))
    if extra:
        rows.append(extra)
    return InlineKeyboardMarkup(rows)


def next_posting_button(turn_id: int, language: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(t(language, "next_posting_button"), callback_data=f"post:{turn_id}")


async def send_chart(message: Message, reply: Reply) -> None:
    """The chart that goes with an answer, if any (a failure to draw it is not fatal)."""
    if reply.answer.bars:
        with contextlib.suppress(BadRequest, NetworkError):
            await message.reply_photo(photo=bars_chart(reply.answer.bars))


async def reply_answer(message: Message, reply: Reply, language: str,
                       shown: Message | None = None) -> None:
    """The answer in as many messages as it needs, buttons under the last one; the first part
    replaces ``shown`` (a streamed preview) when there is one."""
    await send_chart(message, reply)
    parts = answer_messages(reply.answer, t(reply.answer.language, "sources"))
    keyboard = answer_keyboard(reply.turn_id, language, bool(reply.answer.citations),
                               buttons_for(reply.answer))
    for n, part in enumerate(parts):
        markup = keyboard if n == len(parts) - 1 else None
        if n == 0 and shown is not None:
            await edit(shown, part, reply_markup=markup, disable_web_page_preview=True)
        else:
            await send(message, part, reply_markup=markup, disable_web_page_preview=True)
