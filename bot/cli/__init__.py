"""The ``careerbot`` command: one module per command group, one error boundary
(``bot.cli.common.CareerbotGroup``), settings built once per invocation."""

from __future__ import annotations

import typer

from bot.cli import admin, ask, browse, ingest, path, skills, web
from bot.cli.common import CareerbotGroup

app = typer.Typer(cls=CareerbotGroup, add_completion=False, no_args_is_help=True,
                  rich_markup_mode=None, pretty_exceptions_enable=False,
                  help="careerbot: answers from a college's training plans, courses and "
                       "enterprise requirements, with citations.")
app.command()(ingest.ingest)
app.command()(ask.ask)
app.command()(ask.chat)
app.command()(ingest.worker)
app.command(name="jobs")(ingest.list_jobs)
app.command(name="bot")(admin.run_bot)
app.command()(admin.stats)
app.command()(admin.doctor)
app.command(name="eval")(admin.evaluate)
skills.skills_app.command("path")(path.path)
skills.skills_app.command("internships")(path.internships)
app.add_typer(skills.skills_app, name="skills")
app.command(name="web")(web.web)
app.add_typer(web.tokens_app, name="tokens")
app.command()(browse.majors)
app.command()(browse.documents)
app.command()(browse.unanswered)
app.command()(browse.feedback)

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point."""
    app()
