"""The bot's handlers, one module per concern; ``register`` wires them to an Application.

Each handler parses the update, calls one knowledge function (in a worker thread, since they
block) and formats the reply: no SQL or LangChain here. Buttons get one handler per kind,
chosen by ``CallbackQueryHandler(pattern=...)``."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, TypeHandler, filters

from bot.telegram.handlers import admin, browse, buttons, errors, path, questions, roles, skills, uploads

__all__ = ["register"]

_OTHER = (filters.Sticker.ALL | filters.PHOTO | filters.VOICE | filters.AUDIO | filters.VIDEO
          | filters.VIDEO_NOTE | filters.ANIMATION | filters.LOCATION | filters.CONTACT
          | filters.POLL | filters.Dice.ALL)


def register(application: Any) -> None:
    """Add every handler, the update de-duplication in front and the one error handler."""
    application.add_handler(TypeHandler(Update, errors.once), group=-1)
    commands = {
        "start": roles.start, "role": roles.role, "help": roles.help_command,
        "reset": roles.reset, "forget": roles.forget,
        "majors": browse.majors, "major": questions.major, "course": questions.course,
        "internships": questions.internships,
        "stats": admin.stats, "unanswered": admin.unanswered,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(CommandHandler(["skills", "match"], skills.skills_command))
    application.add_handler(CallbackQueryHandler(roles.on_role_button, pattern=roles.ROLE_PATTERN))
    application.add_handler(CallbackQueryHandler(buttons.on_feedback, pattern=buttons.FEEDBACK_PATTERN))
    application.add_handler(CallbackQueryHandler(buttons.on_sources, pattern=buttons.SOURCES_PATTERN))
    application.add_handler(CallbackQueryHandler(browse.on_category, pattern=browse.CATEGORY_PATTERN))
    application.add_handler(CallbackQueryHandler(path.on_plan, pattern=path.PLAN_PATTERN))
    application.add_handler(CallbackQueryHandler(path.on_next_posting, pattern=path.NEXT_POSTING_PATTERN))
    application.add_handler(CallbackQueryHandler(buttons.on_stale_button))
    application.add_handler(MessageHandler(filters.COMMAND, roles.unknown_command))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, questions.on_text))
    application.add_handler(MessageHandler(filters.Document.ALL, uploads.on_document))
    application.add_handler(MessageHandler(_OTHER, questions.on_other))
    application.add_error_handler(errors.on_error)
