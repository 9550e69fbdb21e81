"""``careerbot stats``, ``doctor``, ``eval`` and ``bot``: running and checking the service."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.common import console, print_json, runtime
from knowledge.errors import UserFacingError


def stats(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """Documents, chunks and types in the store."""
    data = runtime().kb.stats()
    if as_json:
        print_json(data)
        return
    table = Table(title="knowledge base", show_header=False)
    for key, value in data.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "-"
        table.add_row(key, escape(str(value)))
    console.print(table)


def doctor() -> None:
    """Check the configuration (stores, embedding model, language model) and say what to fix."""
    from knowledge.ops.doctor import diagnose

    checks = diagnose(runtime().settings)
    table = Table(title="careerbot doctor", show_header=False)
    for check in checks:
        mark = "[green]✓[/]" if check.ok else "[red]✗[/]"
        table.add_row(mark, escape(check.name), escape(check.detail))
    console.print(table)
    if not all(c.ok for c in checks):
        raise typer.Exit(1)


METRICS = ("n", "hit@1", "hit@5", "mrr", "cited", "key_facts", "answer_key_facts", "refusal_accuracy")


def evaluate(
    file: Annotated[Path, typer.Argument(help="JSON lines eval set")],
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
    details: Annotated[Path | None, typer.Option("--details", help="write per-question results")] = None,
) -> None:
    """Score retrieval and answers on an eval set: hit@1, hit@5, MRR, key facts, refusals."""
    from knowledge.answering.assistant import Assistant
    from knowledge.ops.evaluation import evaluate as run_eval
    from knowledge.ops.evaluation import load_eval_set

    items = load_eval_set(file)
    report = run_eval(Assistant(runtime().kb), items)
    if details:
        details.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in report["items"]),
                           encoding="utf-8")
    summary = {k: v for k, v in report.items() if k != "items"}
    if as_json:
        print_json(summary)
        return
    table = Table(title=f"eval: {escape(file.name)}")
    table.add_column("slice")
    for metric in METRICS:
        table.add_column(metric, justify="right")
    for name, metrics in summary["slices"].items():
        table.add_row(name, *(f"{metrics.get(m, 0):.3f}" if isinstance(metrics.get(m), float)
                              else str(metrics.get(m, "-")) for m in METRICS))
    console.print(table)


def run_bot(
    webhook: Annotated[bool, typer.Option("--webhook", help="receive updates by webhook")] = False,
    url: Annotated[str | None, typer.Option("--url", help="public HTTPS URL for the webhook")] = None,
    listen: Annotated[str, typer.Option("--listen", help="address the webhook server binds")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port the webhook server binds")] = 8443,
    secret_token: Annotated[str | None, typer.Option(
        "--secret-token", envvar="CAREERBOT_WEBHOOK_SECRET",
        help="the secret Telegram sends with each webhook call")] = None,
) -> None:
    """Run the Telegram bot (polling, or webhook with --webhook --url)."""
    from telegram.error import InvalidToken

    from bot.telegram.app import check_token, run_polling, run_webhook

    settings = runtime().settings
    try:
        check_token(settings)
        if webhook:
            if not url:
                raise UserFacingError("--webhook needs --url https://your.host/path")
            run_webhook(settings, url=url, listen=listen, port=port, secret=secret_token)
        else:
            run_polling(settings)
    except InvalidToken:
        raise UserFacingError("Telegram rejected TELEGRAM_BOT_TOKEN: check it with @BotFather") from None
