"""The buttons under an answer: 👍/👎 (``fb:<turn>:<±1>``) and Sources (``src:<turn>``).

Callback data comes from the user's client and can be forged, and turn ids are sequential:
the turn must be the pressing user's own, checked in SQL, or nothing is shown or stored."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.telegram.context import BotContext
from bot.telegram.format import esc, sources_messages
from bot.telegram.handlers.common import lang, send
from bot.telegram.texts import t

FEEDBACK_PATTERN = r"^fb:\d+:-?1$"
SOURCES_PATTERN = r"^src:\d+$"


async def on_feedback(update: Update, context: BotContext) -> None:
    """👍/👎 on the user's own answer."""
    query = update.callback_query
    if query is None or query.data is None or update.effective_user is None:
        return
    _, turn, value = query.data.split(":")
    ok = await asyncio.to_thread(context.services.chat.feedback, int(turn),
                                 update.effective_user.id, 1 if value == "1" else -1)
    await query.answer(t(lang(update), "thanks" if ok else "expired"))


async def on_sources(update: Update, context: BotContext) -> None:
    """The quoted passages behind the user's own answer."""
    query = update.callback_query
    if query is None or query.data is None or update.effective_user is None:
        return
    language = lang(update)
    turn = int(query.data.partition(":")[2])
    citations = await asyncio.to_thread(context.services.chat.sources, turn,
                                        update.effective_user.id)
    if citations is None:
        await query.answer(t(language, "expired"))
        return
    await query.answer()
    message = query.message
    if message is None:
        return
    if not citations:
        await send(message, esc(t(language, "no_sources")))  # type: ignore[arg-type]
    for part in sources_messages(citations, t(language, "sources")):
        await send(message, part, disable_web_page_preview=True)  # type: ignore[arg-type]


async def on_stale_button(update: Update, context: BotContext) -> None:
    """Any other callback (an old keyboard, forged data): acknowledged, nothing done."""
    if update.callback_query is not None:
        await update.callback_query.answer()
