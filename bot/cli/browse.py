"""``careerbot majors``, ``documents``, ``unanswered`` and ``feedback``: what the store holds and
what curators have to work through, read in a terminal. Every string a user or a document wrote
is escaped before Rich sees it: a course called "[bold]" stays a course."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.common import console, print_json, runtime

JsonOption = Annotated[bool, typer.Option("--json", help="print JSON instead of a table")]


def majors(
    query: Annotated[str, typer.Argument(metavar="QUERY",
                                         help="code or name in either language, e.g. 5102 or 数字媒体")] = "",
    level: Annotated[str, typer.Option("--level", help="only majors of this level, e.g. 高职专科")] = "",
    page: Annotated[int, typer.Option("--page", min=1, help="page of the list, from 1")] = 1,
    per_page: Annotated[int, typer.Option("--per-page", min=1, max=500, help="majors per page")] = 30,
    as_json: JsonOption = False,
) -> None:
    """Browse the majors, or search them by code or name (English finds Chinese names too)."""
    from knowledge.retrieval.majors import search

    found = search(runtime().kb, query, level=level, limit=per_page, offset=(page - 1) * per_page)
    pages = max(1, -(-found.total // per_page))
    if as_json:
        print_json({"total": found.total, "page": page, "pages": pages,
                    "majors": [dataclasses.asdict(m) for m in found.items]})
        return
    if not found.items:
        what = f" matching {query!r}" if query else ""
        console.print(f"no majors{what}" + (f" at level {level!r}" if level else "")
                      + (f" on page {page} of {pages}" if found.total else ""), highlight=False, markup=False)
        return
    table = Table(title=f"majors {page}/{pages} ({found.total} in all)")
    for column in ("code", "name", "level", "class", "plan"):
        table.add_column(column)
    table.add_column("sources", overflow="fold")
    for m in found.items:
        table.add_row(escape(m.code), escape(m.name), escape(m.level or "-"), escape(m.category or "-"),
                      "yes" if m.has_plan else "no", escape(", ".join(m.sources)))
    console.print(table)
    if page < pages:
        console.print(f"more: --page {page + 1}", highlight=False, markup=False)


def documents(
    doc_type: Annotated[str, typer.Option("--type", help="only documents of this type")] = "",
    query: Annotated[str, typer.Option("--search", help="only sources or titles containing this")] = "",
    as_json: JsonOption = False,
) -> None:
    """Documents in the store with their type, size, chunks and last ingest, newest first."""
    from knowledge.ops.curation import documents as list_documents

    total, rows = list_documents(runtime().kb, doc_type=doc_type, query=query, limit=1000)
    if as_json:
        print_json({"total": total, "documents": [_plain(r) for r in rows]})
        return
    if not rows:
        console.print("no documents: run careerbot ingest PATH first" if not (doc_type or query)
                      else "no documents match", highlight=False, markup=False)
        return
    table = Table(title=f"documents ({total})")
    table.add_column("source", overflow="fold")
    table.add_column("type")
    table.add_column("lang")
    table.add_column("size", justify="right", no_wrap=True)
    table.add_column("chunks", justify="right")
    table.add_column("ingested", no_wrap=True)
    for r in rows:
        table.add_row(escape(r.source), escape(r.doc_type), escape(r.language), _size(r.size_bytes),
                      str(r.chunks), _when(r.ingested_at))
    console.print(table)


def unanswered(
    include_done: Annotated[bool, typer.Option("--all", help="include questions marked done")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="at most this many, newest first")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Questions the knowledge base could not answer: what to add to it next."""
    _queue("unanswered", include_done, limit, as_json)


def feedback(
    include_done: Annotated[bool, typer.Option("--all", help="include questions marked done")] = False,
    limit: Annotated[int, typer.Option("--limit", min=1, help="at most this many, newest first")] = 50,
    as_json: JsonOption = False,
) -> None:
    """Answers users rated 👎, with the question, the answer and its sources; and the 👍/👎 totals."""
    _queue("rated_down", include_done, limit, as_json)


def _queue(kind: str, include_done: bool, limit: int, as_json: bool) -> None:
    from knowledge.ops.curation import queue_counts, work_queue

    kb = runtime().kb
    items = work_queue(kb, include_done=include_done, limit=limit, kind=kind)
    counts = queue_counts(kb)
    if as_json:
        key = "questions" if kind == "unanswered" else "rated_down"
        print_json({"counts": counts, key: [_plain(i) for i in items]})
        return
    if kind == "rated_down":
        console.print(f"👍 {counts['thumbs_up']}  👎 {counts['thumbs_down']}", highlight=False, markup=False)
    if not items:
        console.print("nothing unanswered" if kind == "unanswered" else "no answer rated 👎",
                      highlight=False, markup=False)
        return
    table = Table(title="unanswered questions" if kind == "unanswered" else "answers rated 👎")
    columns = ["#", "asked", "question", "answer"] + (["👎"] if kind == "rated_down" else []) + ["sources"]
    if include_done:
        columns.append("done")
    for column in columns:
        table.add_column(column, overflow="fold")
    for i in items:
        row = [str(i.turn_id), _when(i.asked_at), escape(i.question), escape(_short(i.answer))]
        if kind == "rated_down":
            row.append(str(i.thumbs_down))
        row.append(escape(", ".join(s for s in i.sources if s)) or "-")
        if include_done:
            row.append(escape(f"{_when(i.done_at)} {i.done_by}".strip()) if i.done_at else "")
        table.add_row(*row)
    console.print(table)


def _plain(row: Any) -> dict[str, Any]:
    """A row as JSON: datetimes as ISO 8601 strings."""
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in dataclasses.asdict(row).items()}


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at else "-"


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
