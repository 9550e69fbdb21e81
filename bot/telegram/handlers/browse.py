"""/majors: training-plan documents as buttons; a button (``cat:<doc id>``) lists its majors."""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.telegram.context import BotContext
from bot.telegram.format import esc, pack
from bot.telegram.handlers.common import lang, send
from bot.telegram.texts import t
from knowledge.retrieval import browse

CATEGORY_PATTERN = r"^cat:"


async def majors(update: Update, context: BotContext) -> None:
    """/majors: training-plan documents as buttons."""
    message = update.effective_message
    if message is None:
        return
    language = lang(update)
    found = await asyncio.to_thread(browse.categories, context.services.kb)
    if not found:
        await send(message, esc(t(language, "majors_none")))
        return
    buttons = [[InlineKeyboardButton(f"{title} ({n})"[:60], callback_data=f"cat:{doc_id[:24]}")]
               for doc_id, title, n in found]
    await send(message, esc(t(language, "majors_title")), reply_markup=InlineKeyboardMarkup(buttons))


async def on_category(update: Update, context: BotContext) -> None:
    """A category button: the majors in that document, as /major commands."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    prefix = query.data.partition(":")[2]
    kb = context.services.kb

    def listing() -> list[str]:
        doc_id = browse.find_document(kb, prefix)
        return browse.majors_in(kb, doc_id) if doc_id else []

    names = await asyncio.to_thread(listing)
    await query.answer()
    if query.message is not None and names:
        lines = [(f"/major {name.split()[0]} — {name}", "{}") for name in names]
        for part in pack(lines):
            await send(query.message, part)  # type: ignore[arg-type]
