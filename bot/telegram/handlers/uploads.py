"""Uploaded files: who may upload and as which type is decided in knowledge (``access``),
the size is checked from the update before anything is downloaded, and the file goes through
the one door for uploads (``ingest.service.submit_upload``: inline or queued)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType

from bot.telegram.context import BotContext
from bot.telegram.format import esc
from bot.telegram.handlers.common import lang, send, with_typing
from bot.telegram.texts import t
from ingest.service import UploadOutcome, submit_upload
from knowledge.conversation.access import upload_right

BOT_API_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # the most the Bot API lets a bot download


def outcome_text(language: str, outcome: UploadOutcome) -> str:
    if outcome.status == "queued":
        return t(language, "upload_queued", name=outcome.name, job=outcome.job)
    if outcome.status == "failed":
        return t(language, "upload_failed", name=outcome.name, error=outcome.error)
    if outcome.status == "unchanged":
        return t(language, "upload_unchanged", name=outcome.name)
    return t(language, "upload_stored", name=outcome.name, doc_type=outcome.doc_type,
             chunks=outcome.chunks)


async def on_document(update: Update, context: BotContext) -> None:
    """An uploaded file: ingested for those allowed to add documents, refused for others."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or message.document is None:
        return
    svc = context.services
    language = lang(update)
    right = upload_right(svc.settings, user.id)
    if right is None:
        if message.chat.type == ChatType.PRIVATE:
            await send(message, esc(t(language, "upload_refused")))
        return
    document = message.document
    name = document.file_name or f"upload-{document.file_unique_id}"
    limit = min(svc.settings.store.max_file_bytes, BOT_API_DOWNLOAD_LIMIT)
    if (document.file_size or 0) > limit:
        error = t(language, "upload_too_large", mb=f"{limit / 1024 / 1024:g}")
        await send(message, esc(t(language, "upload_failed", name=name, error=error)))
        return
    file = await document.get_file()
    data = bytes(await file.download_as_bytearray())
    outcome = await with_typing(update, context, lambda: submit_upload(
        svc.kb, data, name, uploader=f"telegram/{user.id}", doc_type=right.doc_type(message.caption)))
    await send(message, esc(outcome_text(language, outcome)))
