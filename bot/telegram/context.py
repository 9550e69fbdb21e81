"""The typed context every handler gets (PTB ``ContextTypes``): ``context.services`` instead of
``bot_data["services"]``."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from knowledge.config import Settings
from knowledge.conversation.chat import ChatService
from knowledge.store.base import KnowledgeBase


@dataclass
class Services:
    """What the handlers need, built once in ``build_application``."""

    settings: Settings
    kb: KnowledgeBase
    chat: ChatService
    # Time for the streaming-edit throttle; tests inject a fake clock.
    clock: Callable[[], float] = field(default=time.monotonic)


class BotData:
    """``application.bot_data``: the services, set once before the bot starts."""

    services: Services


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """The context handlers are called with."""

    @property
    def services(self) -> Services:
        return self.bot_data.services


BotApplication = Application[Any, BotContext, dict[Any, Any], dict[Any, Any], BotData, Any]
