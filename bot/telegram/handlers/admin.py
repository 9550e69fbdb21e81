"""Administrators' commands: /stats and /unanswered (the curators' to-do list)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from telegram import Update

from bot.telegram.context import BotContext, Services
from bot.telegram.format import esc, pack
from bot.telegram.handlers.common import lang, send
from bot.telegram.texts import t
from knowledge.errors import UserFacingError


def is_admin(update: Update, context: BotContext) -> bool:
    user = update.effective_user
    return bool(user and user.id in context.services.settings.telegram.admin_ids)


def _gather_stats(svc: Services) -> dict[str, Any]:
    data: dict[str, Any] = {**svc.chat.stats(), **svc.kb.stats(), "jobs": ""}
    if svc.settings.queue.redis_url:
        from ingest.jobs import counts

        with contextlib.suppress(UserFacingError):
            data["jobs"] = "\n" + ", ".join(f"{k} {v}" for k, v in counts(svc.settings).items())
    return data


async def stats(update: Update, context: BotContext) -> None:
    """/stats (admins): users, questions, unanswered, feedback."""
    message = update.effective_message
    if message is None:
        return
    if not is_admin(update, context):
        await send(message, esc(t(lang(update), "admins_only")))
        return
    data = await asyncio.to_thread(_gather_stats, context.services)
    rate = f"{data['up_rate']:.0%}" if data["up_rate"] is not None else "–"
    await send(message, esc(t(lang(update), "stats", rate=rate, **data)))


async def unanswered(update: Update, context: BotContext) -> None:
    """/unanswered (admins): recent questions the knowledge base could not answer."""
    message = update.effective_message
    if message is None:
        return
    language = lang(update)
    if not is_admin(update, context):
        await send(message, esc(t(language, "admins_only")))
        return
    rows = await asyncio.to_thread(context.services.chat.unanswered)
    if not rows:
        await send(message, esc(t(language, "unanswered_empty")))
        return
    paragraphs = [(t(language, "unanswered_title"), "<b>{}</b>")]
    paragraphs += [(f"{when} — {question}", "{}") for question, when in rows]
    for part in pack(paragraphs):
        await send(message, part)
