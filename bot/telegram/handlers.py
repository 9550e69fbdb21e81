"""Handlers: parse the update, call one knowledge function (in a worker thread, since they
block), format the reply. No SQL or LangChain here."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType, MessageEntityType, ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.render.charts import bars_chart
from bot.telegram.format import answer_messages, esc, pack, sources_messages
from bot.telegram.texts import language_of, t
from ingest.pipeline import Ingestor
from knowledge.answering import intents
from knowledge.config import Settings
from knowledge.conversation.chat import ChatService, RateLimited, Reply
from knowledge.errors import StoreUnavailableError, UserFacingError
from knowledge.retrieval import browse
from knowledge.schema import DocType
from knowledge.store.base import KnowledgeBase

log = logging.getLogger(__name__)
T = TypeVar("T")
TYPING_EVERY = 4.0
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # what the Bot API lets a bot download


@dataclass
class Services:
    """What the handlers need, built once in ``main`` and kept in ``bot_data``."""

    settings: Settings
    kb: KnowledgeBase
    chat: ChatService


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data["services"]  # type: ignore[no-any-return]


def lang(update: Update) -> str:
    user = update.effective_user
    return language_of(user.language_code if user else None)


async def send(message: Message, text: str, **kwargs: Any) -> Message | None:
    """Reply with HTML, retrying network errors; RetryAfter is handled by the rate limiter."""
    for attempt in range(3):
        try:
            return await message.reply_text(text, parse_mode=ParseMode.HTML, **kwargs)
        except (TimedOut, NetworkError) as exc:
            if isinstance(exc, BadRequest) or attempt == 2:
                raise
            log.warning("send failed (%s), retrying", exc)
            await asyncio.sleep(0.5 * 2**attempt)
    return None


async def with_typing(update: Update, context: ContextTypes.DEFAULT_TYPE,
                      work: Callable[[], T]) -> T:
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


def answer_keyboard(turn_id: int, language: str, has_sources: bool) -> InlineKeyboardMarkup:
    row = [InlineKeyboardButton("👍", callback_data=f"fb:{turn_id}:1"),
           InlineKeyboardButton("👎", callback_data=f"fb:{turn_id}:-1")]
    if has_sources:
        row.append(InlineKeyboardButton(t(language, "sources_button"), callback_data=f"src:{turn_id}"))
    return InlineKeyboardMarkup([row])


async def reply_answer(message: Message, reply: Reply, language: str) -> None:
    """The answer in as many messages as it needs; buttons under the last one."""
    parts = answer_messages(reply.answer, t(reply.answer.language, "sources"))
    keyboard = answer_keyboard(reply.turn_id, language, bool(reply.answer.citations))
    if reply.answer.bars:
        with contextlib.suppress(BadRequest, NetworkError):
            await message.reply_photo(photo=bars_chart(reply.answer.bars))
    for n, part in enumerate(parts):
        await send(message, part, reply_markup=keyboard if n == len(parts) - 1 else None,
                   disable_web_page_preview=True)


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str,
                          doc_types: set[DocType] | None = None) -> None:
    """Answer ``text`` as ``careerbot ask`` would, in the chat's context."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or update.effective_chat is None:
        return
    language = lang(update)
    svc = services(context)
    limit = svc.settings.max_question_chars
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


EDIT_EVERY = 1.0  # seconds between edits of a streaming answer (Telegram's flood limits)


async def stream_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message,
                        language: str, produce: Callable[[], Iterator[str | Reply]]) -> None:
    """Show a generated answer as it is written, editing one message at most once a second,
    never past 4096 characters, and end with the checked answer and its citations."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | Reply | BaseException] = asyncio.Queue()

    def pump() -> None:
        try:
            for item in produce():
                loop.call_soon_threadsafe(queue.put_nowait, item)
        except BaseException as exc:  # handed to the event loop, raised there
            loop.call_soon_threadsafe(queue.put_nowait, exc)

    worker = loop.run_in_executor(None, pump)
    shown: Message | None = None
    text = ""
    last_edit = 0.0
    chat = update.effective_chat
    if chat is not None:
        with contextlib.suppress(Exception):
            await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
    while True:
        item = await queue.get()
        if isinstance(item, BaseException):
            await worker
            raise item
        if isinstance(item, Reply):
            break
        text += item
        now = loop.time()
        if now - last_edit >= EDIT_EVERY and text.strip():
            preview = esc(text[:4000] + ("…" if len(text) > 4000 else ""))
            if shown is None:
                shown = await send(message, preview)
            else:
                with contextlib.suppress(BadRequest):  # "message is not modified"
                    await shown.edit_text(preview, parse_mode=ParseMode.HTML)
            last_edit = now
    await worker
    reply = item
    if reply.answer.bars:
        with contextlib.suppress(BadRequest, NetworkError):
            await message.reply_photo(photo=bars_chart(reply.answer.bars))
    parts = answer_messages(reply.answer, t(reply.answer.language, "sources"))
    keyboard = answer_keyboard(reply.turn_id, language, bool(reply.answer.citations))
    for n, part in enumerate(parts):
        markup = keyboard if n == len(parts) - 1 else None
        if n == 0 and shown is not None:
            await shown.edit_text(part, parse_mode=ParseMode.HTML, reply_markup=markup,
                                  disable_web_page_preview=True)
        else:
            await send(message, part, reply_markup=markup, disable_web_page_preview=True)


async def once(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every handler: an update already taken (by this or another worker sharing
    the database) stops here, so a redelivered update is answered once."""
    taken = await asyncio.to_thread(services(context).chat.claim_update, update.update_id)
    if not taken:
        log.info("update %s was already handled; skipping", update.update_id)
        raise ApplicationHandlerStop


# -- commands -----------------------------------------------------------------------


def role_keyboard(language: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(t(language, "role_student"), callback_data="role:student"),
        InlineKeyboardButton(t(language, "role_enterprise"), callback_data="role:enterprise"),
    ]])


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet and ask for the user's role."""
    if update.effective_message:
        await send(update.effective_message, esc(t(lang(update), "start")),
                   reply_markup=role_keyboard(lang(update)))


async def role(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Change the role."""
    if update.effective_message:
        await send(update.effective_message, esc(t(lang(update), "role_prompt")),
                   reply_markup=role_keyboard(lang(update)))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List the commands."""
    if update.effective_message:
        await send(update.effective_message, esc(t(lang(update), "help")))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An unknown command gets the help text."""
    if update.effective_message:
        language = lang(update)
        await send(update.effective_message,
                   esc(t(language, "unknown_command") + "\n\n" + t(language, "help")))


async def reset(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Forget the conversation's context."""
    if update.effective_message and update.effective_chat:
        chat_id = update.effective_chat.id
        n = await asyncio.to_thread(services(context).chat.reset, chat_id)
        await send(update.effective_message, esc(t(lang(update), "reset", n=n)))


async def forget(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete everything stored about the user."""
    if update.effective_message and update.effective_user:
        counts = await asyncio.to_thread(services(context).chat.forget, update.effective_user.id)
        await send(update.effective_message, esc(t(lang(update), "forget", **counts)))


async def _search_command(update: Update, context: ContextTypes.DEFAULT_TYPE, usage: str,
                          doc_types: set[DocType]) -> None:
    """A command whose argument is searched in some document types only."""
    query = " ".join(context.args or [])
    if not query:
        if update.effective_message:
            await send(update.effective_message, esc(t(lang(update), usage)))
        return
    await answer_question(update, context, query, doc_types=doc_types)


async def major(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/major CODE or NAME: the major's training plan and catalogue entries."""
    await _search_command(update, context, "usage_major",
                          {DocType.TRAINING_PLAN, DocType.MAJOR_CATALOG})


async def course(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/course CODE: one course."""
    await _search_command(update, context, "usage_course", {DocType.COURSE})


async def internships(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/internships [topic]: internship places."""
    topic = " ".join(context.args or []) or ("实习岗位" if lang(update) == "zh" else "internship places")
    await answer_question(update, context, topic, doc_types={DocType.INTERNSHIP})


async def majors(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/majors: training-plan documents as buttons."""
    message = update.effective_message
    if message is None:
        return
    language = lang(update)
    found = await asyncio.to_thread(browse.categories, services(context).kb)
    if not found:
        await send(message, esc(t(language, "majors_none")))
        return
    buttons = [[InlineKeyboardButton(f"{title} ({n})"[:60], callback_data=f"cat:{doc_id[:24]}")]
               for doc_id, title, n in found]
    await send(message, esc(t(language, "majors_title")), reply_markup=InlineKeyboardMarkup(buttons))


async def skills_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/skills MAJOR: what graduates of a major can do; /match JOB TEXT: majors that fit."""
    message = update.effective_message
    if message is None or update.effective_user is None or update.effective_chat is None:
        return
    language = lang(update)
    command = (message.text or "").split()[0].lstrip("/").split("@")[0]
    arg = " ".join(context.args or [])
    if not arg:
        await send(message, esc(t(language, f"usage_{command}")))
        return
    svc = services(context)
    render = intents.profile_answer if command == "skills" else intents.match_answer
    answer = await with_typing(update, context, lambda: render(svc.kb, arg, language))
    if answer is None:
        await send(message, esc(t(language, f"none_{command}")))
        return
    reply = await asyncio.to_thread(svc.chat.log_answer, update.effective_user.id,
                                    update.effective_chat.id, message.text or arg, answer)
    await reply_answer(message, reply, language)


# -- admins -------------------------------------------------------------------------


def is_admin(update: Update, settings: Settings) -> bool:
    return bool(update.effective_user and update.effective_user.id in settings.admin_ids)


async def stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats (admins): users, questions, unanswered, feedback."""
    message = update.effective_message
    svc = services(context)
    if message is None:
        return
    if not is_admin(update, svc.settings):
        await send(message, esc(t(lang(update), "admins_only")))
        return

    def gather() -> dict[str, Any]:
        data = {**svc.chat.stats(), **svc.kb.stats(), "jobs": ""}
        if svc.settings.redis_url:
            from ingest.jobs import counts

            with contextlib.suppress(UserFacingError):
                data["jobs"] = "\n" + ", ".join(f"{k} {v}" for k, v in counts(svc.settings).items())
        return data

    data = await asyncio.to_thread(gather)
    rate = f"{data['up_rate']:.0%}" if data["up_rate"] is not None else "–"
    await send(message, esc(t(lang(update), "stats", rate=rate, **data)))


async def unanswered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unanswered (admins): the curators' to-do list."""
    message = update.effective_message
    svc = services(context)
    if message is None:
        return
    language = lang(update)
    if not is_admin(update, svc.settings):
        await send(message, esc(t(language, "admins_only")))
        return
    rows = await asyncio.to_thread(svc.chat.unanswered)
    if not rows:
        await send(message, esc(t(language, "unanswered_empty")))
        return
    paragraphs = [(t(language, "unanswered_title"), "<b>{}</b>")]
    paragraphs += [(f"{when} — {question}", "{}") for question, when in rows]
    for part in pack(paragraphs):
        await send(message, part)


# -- messages -----------------------------------------------------------------------


def _addressed_text(update: Update, bot_username: str, bot_id: int) -> str | None:
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


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text is a question (in groups: only when it mentions or replies to the bot)."""
    text = _addressed_text(update, context.bot.username, context.bot.id)
    if text:
        await answer_question(update, context, text)


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice…: a short polite reply (private chats only)."""
    message = update.effective_message
    if message is not None and message.chat.type == ChatType.PRIVATE:
        await send(message, esc(t(lang(update), "not_text")))


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An uploaded file: ingested for admins (and enterprise users when allowed)."""
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or message.document is None:
        return
    svc = services(context)
    language = lang(update)
    allowed = user.id in svc.settings.admin_ids or (
        svc.settings.enterprise_uploads
        and await asyncio.to_thread(svc.chat.role, user.id) == "enterprise")
    if not allowed:
        if message.chat.type == ChatType.PRIVATE:
            await send(message, esc(t(language, "upload_refused")))
        return
    document = message.document
    name = document.file_name or f"upload-{document.file_unique_id}"
    if (document.file_size or 0) > MAX_UPLOAD_BYTES:
        await send(message, esc(t(language, "upload_failed", name=name,
                                  error="file is over the 20 MB the Bot API allows")))
        return
    doc_type = DocType.ENTERPRISE_REQUIREMENT
    if message.caption:
        with contextlib.suppress(ValueError):
            doc_type = DocType.parse(message.caption.split()[0])
    file = await document.get_file()
    data = bytes(await file.download_as_bytearray())
    if svc.settings.redis_url:
        from ingest.jobs import enqueue_upload

        job_id = await asyncio.to_thread(enqueue_upload, svc.settings, data, name,
                                         f"telegram/{user.id}/{name}", doc_type.value)
        await send(message, esc(t(language, "upload_queued", name=name, job=job_id)))
        return

    def store() -> Any:
        return Ingestor(svc.kb).ingest_bytes(data, name, key=f"telegram/{user.id}/{name}",
                                             doc_type=doc_type)

    result = await with_typing(update, context, store)
    if result.status == "failed":
        text = t(language, "upload_failed", name=name, error=result.error)
    elif result.status == "unchanged":
        text = t(language, "upload_unchanged", name=name)
    else:
        text = t(language, "upload_stored", name=name, doc_type=result.doc_type,
                 chunks=result.chunks_added)
    await send(message, esc(text))


# -- buttons ------------------------------------------------------------------------


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Role choice, 👍/👎, Sources, and major categories."""
    query = update.callback_query
    if query is None or query.data is None or update.effective_user is None:
        return
    svc = services(context)
    language = lang(update)
    kind, _, rest = query.data.partition(":")
    user_id = update.effective_user.id
    if kind == "role" and rest in ("student", "enterprise"):
        await asyncio.to_thread(svc.chat.set_role, user_id, rest)
        await query.answer()
        if query.message is not None:
            await send(query.message, esc(t(language, f"role_set_{rest}")))  # type: ignore[arg-type]
    elif kind == "fb":
        turn, _, value = rest.partition(":")
        ok = await asyncio.to_thread(svc.chat.feedback, int(turn), user_id, 1 if value == "1" else -1)
        await query.answer(t(language, "thanks" if ok else "expired"))
    elif kind == "src":
        citations = await asyncio.to_thread(svc.chat.sources, int(rest))
        await query.answer()
        if query.message is not None:
            if not citations:
                await send(query.message, esc(t(language, "no_sources")))  # type: ignore[arg-type]
            for part in sources_messages(citations, t(language, "sources")):
                await send(query.message, part, disable_web_page_preview=True)  # type: ignore[arg-type]
    elif kind == "cat":
        def listing() -> tuple[str | None, list[str]]:
            doc_id = browse.find_document(svc.kb, rest)
            return doc_id, browse.majors_in(svc.kb, doc_id) if doc_id else []

        doc_id, names = await asyncio.to_thread(listing)
        await query.answer()
        if query.message is not None and names:
            lines = [(f"/major {name.split()[0]} — {name}", "{}") for name in names]
            for part in pack(lines):
                await send(query.message, part)  # type: ignore[arg-type]
    else:
        await query.answer()


# -- errors -------------------------------------------------------------------------


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
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


Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]
