"""A generated answer shown as it is written: one message edited at most once a second
(Telegram's flood limits), never past 4096 characters, ending with the checked answer."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator

from telegram import Message, Update
from telegram.constants import ChatAction

from bot.telegram.context import BotContext
from bot.telegram.format import esc
from bot.telegram.handlers.common import edit, reply_answer, send
from knowledge.conversation.chat import Reply

EDIT_EVERY = 1.0  # seconds between edits of a streaming answer
PREVIEW_CHARS = 4000


class Throttle:
    """Says when enough time has passed for the next edit, by an injected clock."""

    def __init__(self, clock: Callable[[], float], every: float = EDIT_EVERY) -> None:
        self.clock = clock
        self.every = every
        self.last = float("-inf")

    def ready(self) -> bool:
        """True (and the time noted) when the last edit was at least ``every`` ago."""
        now = self.clock()
        if now - self.last >= self.every:
            self.last = now
            return True
        return False


async def stream_answer(update: Update, context: BotContext, message: Message, language: str,
                        produce: Callable[[], Iterator[str | Reply]]) -> None:
    """Show what ``produce`` (run in a thread) streams, then its Reply."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | Reply | BaseException] = asyncio.Queue()

    def pump() -> None:
        try:
            for item in produce():
                loop.call_soon_threadsafe(queue.put_nowait, item)
        except BaseException as exc:  # handed to the event loop, raised there
            loop.call_soon_threadsafe(queue.put_nowait, exc)

    worker = loop.run_in_executor(None, pump)
    throttle = Throttle(context.services.clock)
    shown: Message | None = None
    text = ""
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
        if text.strip() and throttle.ready():
            preview = esc(text[:PREVIEW_CHARS] + ("…" if len(text) > PREVIEW_CHARS else ""))
            if shown is None:
                shown = await send(message, preview)
            else:
                await edit(shown, preview)
    await worker
    await reply_answer(message, item, language, shown=shown)
