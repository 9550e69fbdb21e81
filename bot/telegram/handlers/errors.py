"""Runs around every handler: update de-duplication before, the one error handler after."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import Update
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.ext import ApplicationHandlerStop

from bot.telegram.context import BotContext
from bot.telegram.format import esc
from bot.telegram.handlers.common import lang, send
from bot.telegram.texts import t
from knowledge.errors import StoreUnavailableError, UserFacingError

log = logging.getLogger(__name__)


async def once(update: Update, context: BotContext) -> None:
    """Runs before every handler: an update already taken (by this or another worker sharing
    the database) stops here, so a redelivered update is answered once."""
    taken = await asyncio.to_thread(context.services.chat.claim_update, update.update_id)
    if not taken:
        log.info("update %s was already handled; skipping", update.update_id)
        raise ApplicationHandlerStop


async def on_error(update: object, context: BotContext) -> None:
    """The one error handler: a short apology to the user, the traceback to the log."""
    error = context.error
    if isinstance(error, RetryAfter | TimedOut | NetworkError) and update is None:
        log.warning("Telegram network problem: %s", error)
        return
    language = lang(update) if isinstance(update, Update) else "en"
    if isinstance(error, StoreUnavailableError):
        log.error("store unavailable: %s", error)
        key = "store_down"
    elif isinstance(error, UserFacingError):
        log.info("user-facing error: %s", error)
        key = ""
    else:
        log.error("unhandled error while handling an update", exc_info=error)
        key = "error"
    if isinstance(update, Update) and update.effective_message is not None:
        text = t(language, key) if key else str(error)
        with contextlib.suppress(Exception):
            await send(update.effective_message, esc(text))
