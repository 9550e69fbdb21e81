"""``careerbot skills path`` and ``skills internships``: a student's way from a major to a job,
and the postings that fit the major (or the student's own skills)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.common import console, print_json, runtime
from knowledge.errors import UserFacingError

MajorOption = Annotated[str, typer.Option("--major", help="major code or name, e.g. 510203 or 软件技术")]
JsonOption = Annotated[bool, typer.Option("--json", help="print JSON")]


def _read(file: Path) -> str:
    from ingest.chunking import blocks_text
    from ingest.loaders import load_file

    if not file.is_file():
        raise UserFacingError(f"no such file: {file}")
    loaded = load_file(file, runtime().settings.store.max_file_bytes)
    # The title line names the target; ``path`` leaves it out of what is asked for.
    return f"title: {loaded.title}\n" + blocks_text(loaded.blocks, limit=20000)


def path(
    major: MajorOption,
    job: Annotated[str | None, typer.Option("--job", help="the job text")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="read the job text from a file (any format)")] = None,
    occupation: Annotated[str | None, typer.Option(
        "--occupation", help="an occupation profile (O*NET/ESCO code or name) as the target")] = None,
    as_json: JsonOption = False,
) -> None:
    """What a major gives towards a job, what is missing, where to learn it, in what order."""
    from knowledge.skills import to_json
    from knowledge.skills.path import path as student_path

    if sum(x is not None for x in (job, file, occupation)) != 1:
        raise UserFacingError("give exactly one of --job TEXT, --file PATH or --occupation NAME")
    text = _read(file) if file is not None else job
    data = student_path(runtime().kb, major, job_text=text, occupation=occupation)
    if as_json:
        print_json(to_json(data))
        return
    m, t = data.major, data.target
    console.print(f"[bold]{escape(f'{m.code} {m.name}')}[/] → {escape(t.name)}"
                  + (f" ({escape(t.kind)} {escape(t.code)})" if t.code else ""), highlight=False)
    have = Table(title="have")
    for column in ("skill", "status", "plan line", "source"):
        have.add_column(column)
    for h in data.have:
        ev = h.evidence[0]
        have.add_row(escape(h.label), h.status, escape(ev.quote[:70]), escape(f"{ev.source} · {ev.locator}"))
    console.print(have)
    missing = Table(title="missing")
    for column in ("skill", "where to learn it", "source"):
        missing.add_column(column)
    for s in data.missing:
        where = "\n".join(escape(f"{p.kind}: {p.code} {p.title}".replace("  ", " ")) for p in s.learn)
        sources = "\n".join(escape(f"{p.source} · {p.locator}") for p in s.learn)
        missing.add_row(escape(s.label) + ("" if s.known else " (not in the taxonomy)"),
                        where or "[dim]nothing in the knowledge base teaches it[/]", sources)
    console.print(missing)
    if data.plan:
        console.print("[bold]plan[/]")
    for step in data.plan:
        why = ", ".join(step.skills) or step.why
        console.print(f"{step.step}. {escape(f'{step.code} {step.title}'.strip())} [dim]({escape(why)}; "
                      f"{escape(step.source)})[/]", highlight=False)


def internships(
    major: Annotated[str | None, typer.Option("--major", help="major code or name")] = None,
    top: Annotated[int, typer.Option("--top", help="how many postings")] = 5,
    skills: Annotated[str | None, typer.Option("--skills", help="your own skills, comma-separated")] = None,
    as_json: JsonOption = False,
) -> None:
    """Internship and job postings ranked by how much of what they ask the major covers."""
    from knowledge.skills import to_json
    from knowledge.skills.internships import internships as rank

    own = [s for s in (skills or "").replace("，", ",").split(",") if s.strip()]
    data = rank(runtime().kb, major, skills=own or None, top=top)
    if as_json:
        print_json(to_json(data))
        return
    who = f"{data.major.code} {data.major.name}" if data.major else "your skills"
    table = Table(title=escape(f"postings for {who}"))
    for column in ("#", "posting", "coverage", "matched", "missing", "source"):
        table.add_column(column)
    for n, p in enumerate(data.postings, start=1):
        title = p.title + (f" — {p.company}" if p.company else "")
        where = p.source + (f" · {p.locator}" if p.locator else "")
        table.add_row(str(n), escape(title), f"{p.coverage:.0%}", escape(", ".join(p.matched)),
                      escape(", ".join(p.missing[:8])), escape(where))
    if not data.postings:
        console.print("no internship or job postings in the knowledge base")
        return
    console.print(table)
