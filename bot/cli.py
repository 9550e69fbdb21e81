"""The ``careerbot`` command: ingest, ask, chat, stats, eval."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.render.terminal import print_answer
from knowledge.config import Settings
from knowledge.errors import UserFacingError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="careerbot: answers from a college's training plans, courses and "
                       "enterprise requirements, with citations.")
console = Console()
err = Console(stderr=True)

RoleOption = Annotated[str | None, typer.Option("--role", help="student or enterprise")]


def _settings() -> Settings:
    from knowledge.ops.logs import configure

    settings = Settings()
    configure(settings)
    return settings


def _kb():  # type: ignore[no-untyped-def]
    from knowledge.store.base import KnowledgeBase

    return KnowledgeBase(_settings())


def _fail(exc: Exception) -> None:
    err.print(f"[red]error:[/] {exc}", highlight=False, markup=True)
    raise typer.Exit(2)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="files or folders")],
    doc_type: Annotated[str | None, typer.Option("--type", help="force a document type")] = None,
    full: Annotated[bool, typer.Option("--full", help="also remove what was deleted")] = False,
    queue: Annotated[bool, typer.Option("--queue", help="run as a background job (CAREERBOT_REDIS_URL)")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Ingest files and folders; only new or changed files are embedded."""
    from ingest.pipeline import Ingestor, discover
    from knowledge.schema import DocType

    try:
        forced = DocType.parse(doc_type) if doc_type else None
    except ValueError as exc:
        _fail(exc)
    if queue:
        from ingest.jobs import enqueue_paths

        try:
            job_id = enqueue_paths(_settings(), paths, forced.value if forced else None, full)
        except UserFacingError as exc:
            _fail(exc)
        print(json.dumps({"job": job_id}) if as_json else f"queued as job {job_id}")
        return
    kb = _kb()
    targets, _ = discover(paths)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[chunks]} chunks"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=as_json) as progress:
        task = progress.add_task("ingesting", total=len(targets), chunks=0)
        added = 0

        def on_file(result, chunks):  # type: ignore[no-untyped-def]
            nonlocal added
            added += chunks
            progress.update(task, advance=1, chunks=added, description=result.source[-40:])
            if result.status == "failed":
                progress.console.print(f"[red]failed[/] {result.error}", highlight=False)

        try:
            if kb.writer_busy():
                err.print("another ingest holds the store; waiting for it to finish…")
            report = Ingestor(kb, doc_type=forced, full=full, on_file=on_file).run(paths)
        except UserFacingError as exc:
            _fail(exc)
    if as_json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        table = Table(title="ingest summary", show_header=False)
        for key, value in report.as_json().items():
            if key != "errors":
                table.add_row(key.replace("_", " "), str(value))
        console.print(table)
        for failed in report.failed:
            console.print(f"[red]✗[/] {failed.error}", highlight=False)
    if report.failed:
        raise typer.Exit(1)


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument()] = None,
    role: RoleOption = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    batch: Annotated[Path | None, typer.Option("--batch", help="JSON lines {id, question, role?}")] = None,
    doc_type: Annotated[list[str] | None, typer.Option("--type", help="only these document types")] = None,
) -> None:
    """Answer a question from the knowledge base, with citations."""
    from knowledge.answering.assistant import Assistant
    from knowledge.schema import DocType

    try:
        types = {DocType.parse(t) for t in doc_type} if doc_type else None
    except ValueError as exc:
        _fail(exc)
    assistant = Assistant(_kb())
    if batch is not None:
        _batch(assistant, batch, types)
        return
    if not question:
        _fail(UserFacingError("give a QUESTION, or --batch FILE"))
    try:
        answer = assistant.ask(question or "", role=role, doc_types=types)
    except UserFacingError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(answer.as_json(), ensure_ascii=False))
    else:
        print_answer(console, answer)


def _batch(assistant, path: Path, types) -> None:  # type: ignore[no-untyped-def]
    lines = sys.stdin if str(path) == "-" else path.open(encoding="utf-8")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            answer = assistant.ask(str(item["question"]), role=item.get("role"), doc_types=types)
            out = {"id": item.get("id"), **answer.as_json()}
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            out = {"id": None, "error": f"line {number}: not a JSON object with a question ({exc})"}
        except UserFacingError as exc:
            out = {"id": item.get("id"), "error": str(exc)}
        print(json.dumps(out, ensure_ascii=False), flush=True)


@app.command()
def chat(role: RoleOption = None) -> None:
    """A conversation in the terminal on the same engine as ``ask``."""
    from bot.chat_terminal import run_chat

    run_chat(_kb(), console, role=role)


@app.command()
def worker(burst: Annotated[bool, typer.Option("--burst", help="stop when the queue is empty")] = False) -> None:
    """Run a background ingestion worker (RQ on CAREERBOT_REDIS_URL)."""
    from ingest.jobs import work

    try:
        work(_settings(), burst=burst)
    except UserFacingError as exc:
        _fail(exc)


@app.command(name="jobs")
def list_jobs(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Background ingestion jobs and their state."""
    from ingest.jobs import jobs

    try:
        found = jobs(_settings())
    except UserFacingError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(found, ensure_ascii=False, default=str))
        return
    table = Table(title="ingestion jobs")
    for column in ("job", "state", "enqueued", "result"):
        table.add_column(column)
    for job in found:
        result = job["result"] or job["error"] or ""
        if isinstance(result, dict):
            result = ", ".join(f"{k} {v}" for k, v in result.items() if k in ("new", "changed", "failed"))
        table.add_row(job["id"], job["state"], job["enqueued_at"] or "", str(result))
    console.print(table)


@app.command(name="bot")
def run_bot(
    webhook: Annotated[bool, typer.Option("--webhook", help="receive updates by webhook")] = False,
    url: Annotated[str | None, typer.Option("--url", help="public HTTPS URL for the webhook")] = None,
    listen: Annotated[str, typer.Option("--listen")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8443,
    secret_token: Annotated[str | None, typer.Option("--secret-token", envvar="CAREERBOT_WEBHOOK_SECRET")] = None,
) -> None:
    """Run the Telegram bot (polling, or webhook with --webhook --url)."""
    from telegram.error import InvalidToken

    from bot.telegram.app import check_token, run_polling, run_webhook

    settings = _settings()
    try:
        check_token(settings)
        if webhook:
            if not url:
                raise UserFacingError("--webhook needs --url https://your.host/path")
            run_webhook(settings, url=url, listen=listen, port=port, secret=secret_token)
        else:
            run_polling(settings)
    except UserFacingError as exc:
        _fail(exc)
    except InvalidToken:
        _fail(UserFacingError("Telegram rejected TELEGRAM_BOT_TOKEN: check it with @BotFather"))


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Documents, chunks and types in the store."""
    try:
        data = _kb().stats()
    except UserFacingError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    table = Table(title="knowledge base", show_header=False)
    for key, value in data.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "-"
        table.add_row(key, str(value))
    console.print(table)


@app.command()
def doctor() -> None:
    """Check the configuration (stores, embedding model, language model) and say what to fix."""
    from knowledge.ops.doctor import diagnose

    checks = diagnose(_settings())
    table = Table(title="careerbot doctor", show_header=False)
    for check in checks:
        mark = "[green]✓[/]" if check.ok else "[red]✗[/]"
        table.add_row(mark, check.name, check.detail)
    console.print(table)
    if not all(c.ok for c in checks):
        raise typer.Exit(1)


@app.command(name="eval")
def evaluate(
    file: Annotated[Path, typer.Argument(help="JSON lines eval set")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    details: Annotated[Path | None, typer.Option("--details", help="write per-question results")] = None,
) -> None:
    """Score retrieval and answers on an eval set: hit@1, hit@5, MRR, key facts, refusals."""
    from knowledge.answering.assistant import Assistant
    from knowledge.ops.evaluation import evaluate as run_eval
    from knowledge.ops.evaluation import load_eval_set

    try:
        items = load_eval_set(file)
    except UserFacingError as exc:
        _fail(exc)
    report = run_eval(Assistant(_kb()), items)
    if details:
        details.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in report["items"]),
                           encoding="utf-8")
    summary = {k: v for k, v in report.items() if k != "items"}
    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
        return
    table = Table(title=f"eval: {file.name}")
    table.add_column("slice")
    for metric in ("n", "hit@1", "hit@5", "mrr", "key_facts", "refusal_accuracy"):
        table.add_column(metric, justify="right")
    for name, metrics in summary["slices"].items():
        table.add_row(name, *(f"{metrics.get(m, 0):.3f}" if isinstance(metrics.get(m), float)
                              else str(metrics.get(m, "-"))
                              for m in ("n", "hit@1", "hit@5", "mrr", "key_facts", "refusal_accuracy")))
    console.print(table)


skills_app = typer.Typer(help="Skill profiles, job-to-major matching, courses per skill.")
app.add_typer(skills_app, name="skills")


@skills_app.command("profile")
def skills_profile(
    major: Annotated[str, typer.Argument(help="major code or name, e.g. 510204 or 数字媒体技术")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The graduate skill profile of a major, grouped by where each skill is taught."""
    from knowledge.skills.engine import profile

    try:
        data = profile(_kb(), major)
    except UserFacingError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    m = data["major"]
    table = Table(title=f"{m['code']} {m['name']}")
    for column in ("group", "skill", "evidence"):
        table.add_column(column)
    for item in data["skills"]:
        ev = item["evidence"][0]
        table.add_row(item["group"], f"{item['skill']} / {item['skill_zh']}",
                      f"{ev['quote'][:80]} ({ev['source']}, {ev['locator']})")
    console.print(table)


@skills_app.command("match")
def skills_match(
    text: Annotated[str | None, typer.Argument(help="the job requirement")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="read the requirement from a file")] = None,
    occupation: Annotated[str | None, typer.Option(
        "--occupation", help="use an occupation profile's skills (O*NET/ESCO code or name)")] = None,
    top: Annotated[int, typer.Option("--top")] = 5,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    chart: Annotated[Path | None, typer.Option("--chart", help="write a coverage chart (PNG)")] = None,
) -> None:
    """Rank majors by how much of a job requirement (or an occupation) their training plans cover."""
    from bot.render.charts import match_chart
    from ingest.chunking import blocks_text
    from ingest.loaders import load_file
    from knowledge.skills.engine import match

    try:
        if occupation is not None:
            from knowledge.skills.engine import occupation_skills

            text = occupation_skills(_kb(), occupation)["text"]
        if file is not None:
            text = blocks_text(load_file(file, _settings().max_file_bytes).blocks, limit=20000)
        if not text:
            raise UserFacingError("give the requirement TEXT or --file PATH")
        data = match(_kb(), text, top=top)
    except UserFacingError as exc:
        _fail(exc)
    if chart is not None:
        chart.write_bytes(match_chart(data))
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    console.print(f"required: {', '.join(data['required_skills'])}")
    table = Table()
    for column in ("major", "coverage", "matched", "missing"):
        table.add_column(column)
    for m in data["majors"]:
        table.add_row(f"{m['code']} {m['name']}", f"{m['coverage']:.0%}", ", ".join(m["matched"]),
                      ", ".join(m["missing"]))
    console.print(table)


@skills_app.command("gap")
def skills_gap(
    major: Annotated[str, typer.Option("--major", help="major code or name")],
    requirements: Annotated[list[Path], typer.Option("--requirements", help="files or folders")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="write a self-contained HTML report")] = None,
) -> None:
    """A major against enterprise requirements: covered / partial / missing, most-demanded first."""
    from bot.render.charts import gap_chart
    from bot.render.report import gap_html
    from ingest.chunking import blocks_text
    from ingest.loaders import is_supported, load_file
    from ingest.pipeline import discover
    from knowledge.skills.engine import gap

    settings = _settings()
    targets, _ = discover(requirements)
    texts: dict[str, str] = {}
    for target in targets:
        if not is_supported(target.path) and not target.explicit:
            continue
        try:
            doc = load_file(target.path, settings.max_file_bytes, name=target.source)
        except UserFacingError as exc:
            err.print(f"[yellow]skipped[/] {exc}", highlight=False)
            continue
        texts[target.source] = blocks_text(doc.blocks, limit=50000)
    try:
        data = gap(_kb(), major, texts)
    except UserFacingError as exc:
        _fail(exc)
    if out is not None:
        out.write_text(gap_html(data, gap_chart(data)), encoding="utf-8")
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    table = Table(title=f"{data['major']['code']} {data['major']['name']}")
    for column in ("skill", "status", "demand"):
        table.add_column(column)
    for row in data["skills"]:
        table.add_row(f"{row['skill']} / {row['skill_zh']}", row["status"], str(row["demand"]))
    console.print(table)
    console.print(data["summary"])
    if out is not None:
        console.print(f"report written to {out}")


@skills_app.command("drift")
def skills_drift(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Skills that re-ingested enterprise documents added or dropped, and the majors affected."""
    from knowledge.skills.engine import drift

    data = drift(_kb())
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    if not data["changes"]:
        console.print("no enterprise document changed its skills since it was first ingested")
    for change in data["changes"]:
        console.print(f"[bold]{change['source']}[/]: +{', '.join(change['added']) or '-'}  "
                      f"−{', '.join(change['dropped']) or '-'}")
        for m in change["majors_affected"]:
            console.print(f"  affects {m['code']} {m['name']}: {', '.join(m['skills'])}")


@skills_app.command("courses")
def skills_courses(
    skill: Annotated[str, typer.Argument(help="a skill, e.g. database or 用户界面设计")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Courses that teach a skill, with their prerequisites."""
    from knowledge.skills.engine import courses_for

    try:
        data = courses_for(_kb(), skill)
    except UserFacingError as exc:
        _fail(exc)
    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    table = Table(title=f"{data['skill']} / {data['skill_zh']}")
    for column in ("course", "credits", "prerequisites", "source"):
        table.add_column(column)
    for c in data["courses"]:
        table.add_row(f"{c['code']} {c['title']}", c["credits"], c["prerequisites"] or "-",
                      c["evidence"]["source"])
    console.print(table)


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
