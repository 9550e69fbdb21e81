"""The buttons under a student's path answer: the ordered plan (``plan:<turn>``) and the next
posting (``post:<turn>``; pressed again, it moves on). The data names only the turn, which can
be forged: what to show, and how far the student has paged, is the user's own turn's, kept in
SQL (``knowledge.conversation.paths``), so any worker can answer a press."""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardMarkup, Message, Update

from bot.telegram.context import BotContext
from bot.telegram.format import answer_messages, esc
from bot.telegram.handlers.common import lang, next_posting_button, send
from bot.telegram.texts import t
from knowledge.conversation.limits import RateLimited
from knowledge.conversation.paths import PathPress
from knowledge.errors import UserFacingError
from knowledge.schema import Answer

PLAN_PATTERN = r"^plan:\d{1,18}$"
NEXT_POSTING_PATTERN = r"^post:\d{1,18}$"


async def _show(message: Message, answer: Answer, markup: InlineKeyboardMarkup | None) -> None:
    """An answer with its numbered sources (in the answer's language), ``markup`` under the last part."""
    parts = answer_messages(answer, t(answer.language, "sources"))
    for n, part in enumerate(parts):
        await send(message, part, reply_markup=markup if n == len(parts) - 1 else None,
                   disable_web_page_preview=True)


async def _press(update: Update, context: BotContext, kind: str) -> tuple[PathPress, Message, int] | None:
    """The press's outcome for the user's own turn, the query answered; None when there is
    nothing to show (not their turn, forged data, rate-limited)."""
    query = update.callback_query
    if query is None or query.data is None or update.effective_user is None:
        return None
    language = lang(update)
    turn = int(query.data.partition(":")[2])
    chat = context.services.chat
    work = chat.path_plan if kind == "plan" else chat.next_posting
    try:
        pressed = await asyncio.to_thread(work, turn, update.effective_user.id)
    except RateLimited as exc:
        await query.answer(t(language, "rate_limited", seconds=exc.retry_after))
        return None
    except UserFacingError:  # e.g. the major's plan was removed since: say so, and stop the spinner
        # The engine's reason is English prose; the notice says what happened in the user's language.
        await query.answer(t(language, "press_failed")[:200])  # Telegram's limit for this notice
        return None
    if pressed is None:
        await query.answer(t(language, "expired"))
        return None
    await query.answer()
    if not isinstance(query.message, Message):  # too old to reply to
        return None
    return pressed, query.message, turn


async def on_plan(update: Update, context: BotContext) -> None:
    """The ordered plan of the user's own path answer, each step cited."""
    found = await _press(update, context, "plan")
    if found is None:
        return
    pressed, message, _ = found
    if pressed.answer is None:
        await send(message, esc(t(lang(update), "no_plan")))
        return
    await _show(message, pressed.answer, None)


async def on_next_posting(update: Update, context: BotContext) -> None:
    """The next posting of the user's own internships answer, with a button for the one after."""
    found = await _press(update, context, "post")
    if found is None:
        return
    pressed, message, turn = found
    if pressed.answer is None:
        await send(message, esc(t(lang(update), "no_more_postings")))
        return
    more = InlineKeyboardMarkup([[next_posting_button(turn, lang(update))]]) if pressed.more else None
    await _show(message, pressed.answer, more)
