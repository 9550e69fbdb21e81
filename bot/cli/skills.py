"""``careerbot skills …``: graduate profiles, job-to-major matching, gap reports, drift."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.common import console, err, print_json, runtime
from knowledge.errors import UserFacingError

if TYPE_CHECKING:
    from knowledge.skills.results import GapReport, GapSummary

skills_app = typer.Typer(help="Skill extraction, profiles, job-to-major matching, gap reports, courses per skill.")


def _extraction_json(data: object) -> list[object]:
    from knowledge.skills import to_json

    return [to_json(skill) for skill in data.skills]  # type: ignore[attr-defined]


def _finite(text: str) -> float:
    """A JSON number as a float, refused when out of range (1e999 would print back as Infinity, not JSON)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {text[:20]}")
    return value


def _not_json(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _batch(path: Path) -> None:
    """One output line per input line, in order; a bad line gets an error object."""
    from knowledge.skills import extractor

    records: list[tuple[object, str | None, str | None]] = []
    with path.open("rb") as fh:  # read by line, decoded per line: one bad line is that line's error
        for n, raw in enumerate(fh, start=1):
            try:
                line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                records.append((n, None, f"line {n}: not UTF-8 (byte {exc.start + 1})"))
                continue
            if not line.strip():
                continue
            try:
                record = json.loads(line, parse_float=_finite, parse_constant=_not_json)
                text = record.get("text") if isinstance(record, dict) else None
                rid = record.get("id", n) if isinstance(record, dict) else n
                if not isinstance(text, str):
                    records.append((rid, None, "each line needs a string \"text\""))
                    continue
                records.append((rid, text, None))
            except json.JSONDecodeError as exc:
                records.append((n, None, f"line {n}: not JSON ({exc.msg})"))
            except RecursionError:  # "[[[[…": json.loads recurses once per level
                records.append((n, None, f"line {n}: JSON nested too deeply"))
            except ValueError as exc:  # NaN, 1e999, an integer of over 4,300 digits
                records.append((n, None, f"line {n}: not usable JSON ({str(exc)[:80]})"))
    texts = [text for _, text, _ in records if text is not None]
    # Embedding the batch's unmatched phrases together is what makes a batch fast.
    results = iter(extractor().extract_many(texts))
    for rid, text, error in records:
        if text is None:
            print_json({"id": rid, "error": error})
        else:
            print_json({"id": rid, "skills": _extraction_json(next(results))})


@skills_app.command("extract")
def skills_extract(
    text: Annotated[str | None, typer.Argument(help="a requirement text")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="read the text from a file (any format)")] = None,
    batch: Annotated[Path | None, typer.Option("--batch", help='JSONL: {"id", "text"} per line')] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """The skills a text asks for, linked to ESCO; unrecognised requirements are kept (known: false)."""
    from knowledge.skills import extractor

    if batch is not None:
        if not batch.is_file():
            raise UserFacingError(f"no such file: {batch}")
        _batch(batch)
        return
    if file is not None:
        from ingest.chunking import blocks_text
        from ingest.loaders import load_file

        text = blocks_text(load_file(file, runtime().settings.store.max_file_bytes).blocks, limit=200000)
    if not text:
        raise UserFacingError("give the TEXT, --file PATH or --batch F.jsonl")
    result = extractor().extract(text)
    if as_json:
        print_json({"skills": _extraction_json(result)})
        return
    table = Table()
    for column in ("skill", "type", "known", "score", "mentions"):
        table.add_column(column)
    for skill in result.skills:
        label = skill.label + (f" / {skill.label_zh}" if skill.label_zh and skill.label_zh != skill.label else "")
        table.add_row(escape(label), skill.type, "yes" if skill.known else "no", f"{skill.score:.2f}",
                      escape(", ".join(m.text for m in skill.mentions)))
    console.print(table)


@skills_app.command("profile")
def skills_profile(
    major: Annotated[str, typer.Argument(help="major code or name, e.g. 510204 or 数字媒体技术")],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """The graduate skill profile of a major, grouped by where each skill is taught."""
    from knowledge.skills import profile, to_json

    data = profile(runtime().kb, major)
    if as_json:
        print_json(to_json(data))
        return
    m = data.major
    table = Table(title=escape(f"{m.code} {m.name}"))
    for column in ("group", "skill", "evidence"):
        table.add_column(column)
    for item in data.skills:
        ev = item.evidence[0]
        table.add_row(item.group, escape(f"{item.skill} / {item.skill_zh}"),
                      escape(f"{ev.quote[:80]} ({ev.source}, {ev.locator})"))
    console.print(table)


@skills_app.command("match")
def skills_match(
    text: Annotated[str | None, typer.Argument(help="the job requirement")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="read the requirement from a file")] = None,
    occupation: Annotated[str | None, typer.Option(
        "--occupation", help="use an occupation profile's skills (O*NET/ESCO code or name)")] = None,
    top: Annotated[int, typer.Option("--top")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    chart: Annotated[Path | None, typer.Option("--chart", help="write a coverage chart (PNG)")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="write the ranking as .csv or .xlsx")] = None,
) -> None:
    """Rank majors by how much of a job requirement (or an occupation) their training plans cover."""
    from bot.render.charts import match_chart
    from ingest.chunking import blocks_text
    from ingest.loaders import load_file
    from knowledge.skills import match, to_json

    if file is not None:
        text = blocks_text(load_file(file, runtime().settings.store.max_file_bytes).blocks, limit=20000)
    if not text and occupation is None:
        raise UserFacingError("give the requirement TEXT, --file PATH or --occupation NAME")
    fmt = _out_format(out, ("csv", "xlsx"))
    data = match(runtime().kb, text or "", top=top, occupation=occupation)
    if chart is not None:
        chart.write_bytes(match_chart(data))
    if out is not None:
        from bot.render.exports import match_csv, match_xlsx

        out.write_bytes((match_csv if fmt == "csv" else match_xlsx)(to_json(data)))
        err.print(f"ranking written to {out}", highlight=False, markup=False)
    if as_json:
        print_json(to_json(data))
        return
    if data.occupation is not None:
        o = data.occupation
        console.print(f"occupation profile: {o.system.upper()} {o.code} {o.name}", highlight=False)
    console.print(f"required: {', '.join(data.required_skills)}", highlight=False, markup=False)
    if data.unrecognised:
        console.print(f"not in the taxonomy: {', '.join(data.unrecognised)}", highlight=False, markup=False)
    table = Table()
    for column in ("major", "coverage", "matched", "missing"):
        table.add_column(column)
    for m in data.majors:
        table.add_row(escape(f"{m.code} {m.name}"), f"{m.coverage:.0%}", escape(", ".join(m.matched)),
                      escape(", ".join(m.missing)))
    console.print(table)


@skills_app.command("gap")
def skills_gap(
    major: Annotated[str, typer.Option("--major", help="major code or name")],
    requirements: Annotated[list[Path], typer.Option("--requirements", help="files or folders")],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    out: Annotated[Path | None, typer.Option(
        "--out", help="write the report: .html (self-contained, with its chart), .csv or .xlsx")] = None,
) -> None:
    """A major against enterprise requirements: covered / partial / missing, most-demanded first."""
    from ingest.service import load_texts
    from knowledge.skills import gap, to_json

    fmt = _out_format(out, ("html", "csv", "xlsx"))
    loaded = load_texts(requirements, runtime().settings.store.max_file_bytes)
    for problem in loaded.skipped:
        err.print(f"skipped {problem}", highlight=False, markup=False)
    if not loaded.texts:
        raise UserFacingError("no readable requirement files in " + ", ".join(map(str, requirements)))
    texts = loaded.texts
    data = gap(runtime().kb, major, texts)
    if out is not None:
        _write_gap(data, out, fmt)
    if as_json:
        print_json(to_json(data))
        return
    table = Table(title=escape(f"{data.major.code} {data.major.name}"))
    for column in ("skill", "status", "demand", "known"):
        table.add_column(column)
    for row in data.skills:
        table.add_row(escape(f"{row.skill} / {row.skill_zh}"), row.status, str(row.demand),
                      "yes" if row.known else "no")
    console.print(table)
    console.print(gap_summary(data.summary), highlight=False, markup=False)
    if out is not None:
        console.print(f"report written to {out}", highlight=False, markup=False)


def _out_format(out: Path | None, allowed: tuple[str, ...]) -> str:
    """The format an ``--out`` file's suffix names, checked before any work is done."""
    if out is None:
        return ""
    fmt = out.suffix.lower().lstrip(".")
    fmt = "html" if fmt == "htm" else fmt
    if fmt not in allowed:
        names = ", ".join(f".{f}" for f in allowed[:-1]) + f" or .{allowed[-1]}"
        raise UserFacingError(f"--out {out.name}: name a {names} file")
    return fmt


def _write_gap(data: GapReport, out: Path, fmt: str) -> None:
    from bot.render.charts import gap_chart
    from bot.render.exports import to_csv, to_xlsx
    from bot.render.report import gap_html
    from knowledge.skills import to_json

    if fmt == "html":
        out.write_text(gap_html(data, gap_chart(data)), encoding="utf-8")
    else:
        out.write_bytes((to_csv if fmt == "csv" else to_xlsx)(to_json(data)))


def gap_summary(summary: GapSummary) -> str:
    """The gap report's summary as a sentence a committee member reads aloud."""
    unrecognised = f" ({summary.unrecognised} not in the taxonomy)" if summary.unrecognised else ""
    line = (f"{summary.requirements} requirement(s) ask for {summary.required_skills} skill(s): "
            f"{summary.covered} covered, {summary.partial} partly covered, "
            f"{summary.missing} missing{unrecognised}.")
    if summary.most_demanded_missing:
        line += "\nMost-demanded missing: " + ", ".join(summary.most_demanded_missing) + "."
    return line


@skills_app.command("drift")
def skills_drift(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """Skills that re-ingested enterprise documents added or dropped, and the majors affected."""
    from knowledge.skills import drift, to_json

    data = drift(runtime().kb)
    if as_json:
        print_json(to_json(data))
        return
    if not data.changes:
        console.print("no enterprise document changed its skills since it was first ingested")
    for change in data.changes:
        console.print(f"{change.source}: +{', '.join(change.added) or '-'}  −{', '.join(change.dropped) or '-'}",
                      highlight=False, markup=False)
        for m in change.majors_affected:
            console.print(f"  affects {m.code} {m.name}: {', '.join(m.skills)}", highlight=False, markup=False)


@skills_app.command("courses")
def skills_courses(
    skill: Annotated[str, typer.Argument(help="a skill, e.g. database or 用户界面设计")],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Courses that teach a skill, with their prerequisites."""
    from knowledge.skills import courses_for, to_json

    data = courses_for(runtime().kb, skill)
    if as_json:
        print_json(to_json(data))
        return
    table = Table(title=escape(f"{data.skill} / {data.skill_zh}"))
    for column in ("course", "credits", "prerequisites", "source"):
        table.add_column(column)
    for c in data.courses:
        table.add_row(escape(f"{c.code} {c.title}"), escape(c.credits), escape(c.prerequisites or "-"),
                      escape(c.evidence.source))
    console.print(table)
