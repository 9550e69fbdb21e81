"""/start and /role (the role keyboard and its button), /help, unknown commands, and the
user's own memory: /reset and /forget."""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.telegram.context import BotContext
from bot.telegram.format import esc
from bot.telegram.handlers.common import lang, send
from bot.telegram.texts import t

ROLE_PATTERN = r"^role:(student|enterprise)$"


def role_keyboard(language: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(t(language, "role_student"), callback_data="role:student"),
        InlineKeyboardButton(t(language, "role_enterprise"), callback_data="role:enterprise"),
    ]])


async def start(update: Update, context: BotContext) -> None:
    """Greet and ask for the user's role."""
    if update.effective_message:
        await send(update.effective_message, esc(t(lang(update), "start")),
                   reply_markup=role_keyboard(lang(update)))


async def role(update: Update, context: BotContext) -> None:
    """Change the role."""
    if update.effective_message:
        await send(update.effective_message, esc(t(lang(update), "role_prompt")),
                   reply_markup=role_keyboard(lang(update)))


async def on_role_button(update: Update, context: BotContext) -> None:
    """role:student / role:enterprise: store the (self-declared) role; it grants no rights."""
    query = update.callback_query
    if query is None or query.data is None or update.effective_user is None:
        return
    chosen = query.data.partition(":")[2]
    await asyncio.to_thread(context.services.chat.set_role, update.effective_user.id, chosen)
    await query.answer()
    if query.message is not None:
        await send(query.message, esc(t(lang(update), f"role_set_{chosen}")))  # type: ignore[arg-type]


async def help_command(update: Update, context: BotContext) -> None:
    """List the commands."""
    if update.effective_message:
        await send(update.effective_message, esc(t(lang(update), "help")))


async def unknown_command(update: Update, context: BotContext) -> None:
    """An unknown command gets the help text."""
    if update.effective_message:
        language = lang(update)
        await send(update.effective_message,
                   esc(t(language, "unknown_command") + "\n\n" + t(language, "help")))


async def reset(update: Update, context: BotContext) -> None:
    """Forget the user's context in this chat (other members of a group keep theirs)."""
    if update.effective_message and update.effective_chat and update.effective_user:
        n = await asyncio.to_thread(context.services.chat.reset, update.effective_chat.id,
                                    update.effective_user.id)
        await send(update.effective_message, esc(t(lang(update), "reset", n=n)))


async def forget(update: Update, context: BotContext) -> None:
    """Delete everything stored about the user."""
    if update.effective_message and update.effective_user:
        counts = await asyncio.to_thread(context.services.chat.forget, update.effective_user.id)
        await send(update.effective_message, esc(t(lang(update), "forget", **counts)))
