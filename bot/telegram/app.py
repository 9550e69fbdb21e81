"""Build the python-telegram-bot Application: handlers, rate limiter, commands menu."""

from __future__ import annotations

import re

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.telegram import handlers as h
from knowledge.answering.assistant import Assistant
from knowledge.config import Settings
from knowledge.conversation.chat import ChatService
from knowledge.errors import ConfigError
from knowledge.ops.logs import install_redaction
from knowledge.store.base import KnowledgeBase

_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")

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

_OTHER = (filters.Sticker.ALL | filters.PHOTO | filters.VOICE | filters.AUDIO | filters.VIDEO
          | filters.VIDEO_NOTE | filters.ANIMATION | filters.LOCATION | filters.CONTACT
          | filters.POLL | filters.Dice.ALL)


def check_token(settings: Settings) -> str:
    """The bot token, or a clear error saying what is wrong with it (never the token itself)."""
    if settings.telegram_token is None:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set: get a token from @BotFather and "
                          "export TELEGRAM_BOT_TOKEN=123456:ABC…")
    token = settings.telegram_token.get_secret_value().strip()
    if not _TOKEN.match(token):
        raise ConfigError("TELEGRAM_BOT_TOKEN is malformed: it should look like "
                          "123456789:AAE… (digits, a colon, then at least 20 letters)")
    return token


async def _post_init(application: Application) -> None:  # type: ignore[type-arg]
    await application.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])


def build_application(settings: Settings, kb: KnowledgeBase | None = None) -> Application:  # type: ignore[type-arg]
    """The bot, wired to the same engine as ``careerbot ask``."""
    token = check_token(settings)
    install_redaction(settings)
    kb = kb or KnowledgeBase(settings)
    chat = ChatService(Assistant(kb), questions_per_minute=settings.questions_per_minute)
    builder = (
        Application.builder()
        .token(token)
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(16)
        .post_init(_post_init)
    )
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(base.replace("/bot", "/file/bot", 1)
                                                      if base.endswith("/bot") else base + "/file")
    application = builder.build()
    application.bot_data["services"] = h.Services(settings=settings, kb=kb, chat=chat)

    application.add_handler(TypeHandler(Update, h.once), group=-1)
    application.add_handler(CommandHandler("start", h.start))
    application.add_handler(CommandHandler("help", h.help_command))
    application.add_handler(CommandHandler("role", h.role))
    application.add_handler(CommandHandler("reset", h.reset))
    application.add_handler(CommandHandler("forget", h.forget))
    application.add_handler(CommandHandler("majors", h.majors))
    application.add_handler(CommandHandler("major", h.major))
    application.add_handler(CommandHandler("course", h.course))
    application.add_handler(CommandHandler("internships", h.internships))
    application.add_handler(CommandHandler(["skills", "match"], h.skills_command))
    application.add_handler(CommandHandler("stats", h.stats))
    application.add_handler(CommandHandler("unanswered", h.unanswered))
    application.add_handler(CallbackQueryHandler(h.on_button))
    application.add_handler(MessageHandler(filters.COMMAND, h.unknown_command))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, h.on_text))
    application.add_handler(MessageHandler(filters.Document.ALL, h.on_document))
    application.add_handler(MessageHandler(_OTHER, h.on_other))
    application.add_error_handler(h.on_error)
    return application


def run_polling(settings: Settings) -> None:
    build_application(settings).run_polling(allowed_updates=Update.ALL_TYPES)


def run_webhook(settings: Settings, *, url: str, listen: str, port: int, secret: str | None) -> None:
    application = build_application(settings)
    path = "telegram"
    application.run_webhook(listen=listen, port=port, url_path=path,
                            webhook_url=f"{url.rstrip('/')}/{path}", secret_token=secret,
                            allowed_updates=Update.ALL_TYPES)
