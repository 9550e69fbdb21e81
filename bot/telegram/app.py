"""Build the python-telegram-bot Application (typed context, handlers, rate limiter, commands
menu) and run it by polling or by webhook."""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Callable

from telegram import BotCommand, Update
from telegram.ext import AIORateLimiter, Application, ContextTypes

from bot.telegram.context import BotApplication, BotContext, BotData, Services
from bot.telegram.handlers import register
from knowledge.answering.assistant import Assistant
from knowledge.config import Settings
from knowledge.conversation.chat import ChatService
from knowledge.errors import ConfigError
from knowledge.ops.logs import install_redaction
from knowledge.store.base import KnowledgeBase

log = logging.getLogger(__name__)
_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
# Telegram accepts 1-256 of these characters; fewer than 16 can be guessed or were typed.
_SECRET = re.compile(r"^[A-Za-z0-9_-]{16,256}$")
WEBHOOK_PATH = "telegram"

COMMANDS = [
    ("start", "choose your role / 选择身份"),
    ("help", "what I can do / 帮助"),
    ("role", "change your role / 更改身份"),
    ("majors", "browse majors / 浏览专业"),
    ("major", "one major: /major 510204"),
    ("course", "one course: /course COSC 3380"),
    ("internships", "internship places / 实习岗位"),
    ("skills", "what graduates of a major can do / 技能画像"),
    ("match", "majors that fit a job / 岗位匹配专业"),
    ("reset", "new conversation / 新对话"),
    ("forget", "delete my data / 删除我的数据"),
]


def check_token(settings: Settings) -> str:
    """The bot token, or a clear error saying what is wrong with it (never the token itself)."""
    if settings.telegram.token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and "
                          "export TELEGRAM_BOT_TOKEN=123456:ABC…")
    token = settings.telegram.token.get_secret_value().strip()
    if not _TOKEN.match(token):
        raise ConfigError("TELEGRAM_BOT_TOKEN is malformed: it should look like "
                          "123456789:AAE… (digits, a colon, then at least 20 letters)")
    return token


def webhook_secret(given: str | None) -> str:
    """The secret Telegram must send with every webhook POST: ``given`` if it is strong enough,
    else a ConfigError; a fresh random one when none is given (the bot passes it to
    setWebhook itself, so nobody needs to know it)."""
    if given is None or not given.strip():
        log.warning("no webhook secret given; using a random one for this run")
        return secrets.token_urlsafe(32)
    if not _SECRET.match(given.strip()):
        raise ConfigError("the webhook secret (--secret-token / CAREERBOT_WEBHOOK_SECRET) is too "
                          "weak: use 16-256 characters from A-Z, a-z, 0-9, _ and -, e.g. "
                          "python -c 'import secrets; print(secrets.token_urlsafe(32))', or "
                          "leave it unset for a random one")
    return given.strip()


async def _post_init(application: BotApplication) -> None:
    await application.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])


def build_application(settings: Settings, kb: KnowledgeBase | None = None, *,
                      clock: Callable[[], float] = time.monotonic) -> BotApplication:
    """The bot, wired to the same engine as ``careerbot ask``."""
    token = check_token(settings)
    install_redaction(settings)
    kb = kb or KnowledgeBase(settings)
    chat = ChatService(Assistant(kb), questions_per_minute=settings.telegram.questions_per_minute)
    builder = (
        Application.builder()
        .token(token)
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(16)
        .post_init(_post_init)
    )
    if settings.telegram.api_base_url:
        base = settings.telegram.api_base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(base.replace("/bot", "/file/bot", 1)
                                                      if base.endswith("/bot") else base + "/file")
    application: BotApplication = builder.build()
    application.bot_data.services = Services(settings=settings, kb=kb, chat=chat, clock=clock)
    register(application)
    return application


def run_polling(settings: Settings) -> None:
    build_application(settings).run_polling(allowed_updates=Update.ALL_TYPES)


def run_webhook(settings: Settings, *, url: str, listen: str, port: int, secret: str | None) -> None:
    """Serve Telegram's webhook POSTs; a POST without the secret header gets 403."""
    secret = webhook_secret(secret)
    application = build_application(settings)
    application.run_webhook(listen=listen, port=port, url_path=WEBHOOK_PATH,
                            webhook_url=f"{url.rstrip('/')}/{WEBHOOK_PATH}", secret_token=secret,
                            allowed_updates=Update.ALL_TYPES)
