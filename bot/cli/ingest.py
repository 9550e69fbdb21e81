"""``careerbot ingest``, ``worker`` and ``jobs``: getting documents in, inline or queued."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.cli.common import console, err, print_json, runtime
from knowledge.errors import UserFacingError


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders")],
    doc_type: Annotated[str | None, typer.Option("--type", help="force a document type")] = None,
    full: Annotated[bool, typer.Option("--full", help="also remove what was deleted")] = False,
    queue: Annotated[bool, typer.Option("--queue", help="run as a background job (CAREERBOT_REDIS_URL)")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print the summary as JSON")] = False,
) -> None:
    """Ingest files and folders; only new or changed files are embedded."""
    from ingest.discovery import discover
    from ingest.pipeline import FileResult
    from ingest.service import submit_paths
    from knowledge.schema import DocType

    try:
        forced = DocType.parse(doc_type) if doc_type else None
    except ValueError as exc:
        raise UserFacingError(str(exc)) from None
    kb = runtime().kb
    if queue:
        job = submit_paths(kb, paths, doc_type=forced, full=full, queue=True).job
        print_json({"job": job}) if as_json else print(f"queued as job {job}")
        return
    targets, _ = discover(paths)
    # A progress bar on a terminal; plain progress lines when stderr is a file or a pipe.
    live = err.is_terminal and not as_json
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[chunks]} chunks"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=not live) as progress:
        task = progress.add_task("ingesting", total=len(targets), chunks=0)
        added = 0

        def on_file(result: FileResult, chunks: int) -> None:
            nonlocal added
            added += chunks
            progress.update(task, advance=1, chunks=added, description=escape(result.source[-40:]))
            if not live and not as_json:
                err.print(f"{escape(result.status)} {escape(result.source)} ({chunks} chunks)",
                          highlight=False, markup=False)

        if kb.writer_busy():
            err.print("another ingest holds the store; waiting for it to finish…")
        report = submit_paths(kb, paths, doc_type=forced, full=full, on_file=on_file).report
    assert report is not None  # inline submissions always report
    if as_json:
        print_json(report.as_json())
    else:
        table = Table(title="ingest summary", show_header=False)
        for key, value in report.as_json().items():
            if key not in ("errors", "skipped_files"):
                table.add_row(key.replace("_", " "), escape(str(value)))
        console.print(table)
        for skipped in report.results:
            if skipped.status == "skipped" and skipped.error != "unsupported format":
                console.print(f"[yellow]↷[/] {escape(skipped.error)}", highlight=False)
        for failed in report.failed:
            console.print(f"[red]✗[/] {escape(failed.error or failed.source)}", highlight=False)
    if report.failed:
        raise typer.Exit(1)


def worker(burst: Annotated[bool, typer.Option("--burst", help="stop when the queue is empty")] = False) -> None:
    """Run a background ingestion worker (RQ on CAREERBOT_REDIS_URL)."""
    from ingest.jobs import work

    work(runtime().settings, burst=burst)


def list_jobs(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """Background ingestion jobs and their state."""
    from ingest.jobs import jobs

    found = jobs(runtime().settings)
    if as_json:
        print_json(found)
        return
    table = Table(title="ingestion jobs")
    for column in ("job", "state", "enqueued", "result"):
        table.add_column(column)
    for job in found:
        result = job["result"] or job["error"] or ""
        if isinstance(result, dict):
            result = ", ".join(f"{k} {v}" for k, v in result.items() if k in ("new", "changed", "failed"))
        table.add_row(escape(job["id"]), job["state"], job["enqueued_at"] or "", escape(str(result)))
    console.print(table)
    sys.stdout.flush()
