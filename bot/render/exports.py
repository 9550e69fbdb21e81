"""Skill reports as spreadsheets: CSV (UTF-8 with a BOM, so Excel shows Chinese) and XLSX.
The one writer for the CLI's ``--out`` and the web console's downloads; both hand it the JSON
form of a result (``knowledge.skills.to_json``), so the columns match ``--json``."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

__all__ = ["GAP_COLUMNS", "MATCH_COLUMNS", "gap_rows", "match_rows", "to_csv", "to_xlsx",
           "match_csv", "match_xlsx"]

GAP_COLUMNS = ("skill", "skill_zh", "status", "demand", "training_plan_evidence", "requirement_evidence")
MATCH_COLUMNS = ("rank", "code", "major", "coverage", "matched", "missing")


def _cite(evidence: list[dict[str, Any]]) -> str:
    return " | ".join(f"{e.get('quote', '')} ({e.get('source', '')}"
                      f"{', ' + e['locator'] if e.get('locator') else ''})" for e in evidence[:3])


def gap_rows(report: dict[str, Any]) -> list[list[Any]]:
    """One row per required skill, cited on both sides."""
    return [[r["skill"], r.get("skill_zh", ""), r["status"], r["demand"],
             _cite(r.get("major_evidence", [])), _cite(r.get("requirement_evidence", []))]
            for r in report["skills"]]


def match_rows(result: dict[str, Any]) -> list[list[Any]]:
    """One row per ranked major; coverage as a share from 0 to 1 (a spreadsheet formats it)."""
    return [[n, m["code"], m["name"], round(float(m["coverage"]), 4), ", ".join(m.get("matched", [])),
             ", ".join(m.get("missing", []))] for n, m in enumerate(result.get("majors", []), start=1)]


# A cell a spreadsheet would read as a formula: requirement texts are anyone's, and a skill or
# quote "=cmd|' /C calc'!A0" or "@SUM(…)" must stay text (OWASP's CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _inert(value: Any) -> Any:
    """A text cell that starts like a formula, behind an apostrophe (shown as text by Excel, LibreOffice)."""
    return "'" + value if isinstance(value, str) and value.lstrip(" ").startswith(_FORMULA_START) else value


def _csv(columns: Sequence[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    writer.writerows([_inert(v) for v in row] for row in rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _xlsx(title: str, sheet_name: str, columns: Sequence[str], rows: list[list[Any]],
          widths: Sequence[int], summary: Sequence[tuple[str, Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_name
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(columns))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for n, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    if summary:
        extra = book.create_sheet("summary")
        for key, value in summary:
            extra.append([key, ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else value])
    _as_text(book)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _as_text(book: Any) -> None:
    """Every string cell stays text: openpyxl stores a string starting with "=" as a formula."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def to_csv(report: dict[str, Any]) -> bytes:
    """A gap report as CSV."""
    return _csv(GAP_COLUMNS, gap_rows(report))


def to_xlsx(report: dict[str, Any]) -> bytes:
    """A gap report as a workbook: the rows under the major's name, and a summary sheet."""
    major = report["major"]
    return _xlsx(f"{major['code']} {major['name']}", "gap", GAP_COLUMNS, gap_rows(report),
                 (28, 20, 10, 8, 70, 70), list(report["summary"].items()))


def match_csv(result: dict[str, Any]) -> bytes:
    """Ranked majors for a requirement as CSV."""
    return _csv(MATCH_COLUMNS, match_rows(result))


def match_xlsx(result: dict[str, Any]) -> bytes:
    """Ranked majors as a workbook, with the required and unrecognised skills on a summary sheet."""
    summary: list[tuple[str, Any]] = [("required", list(result.get("required_skills", []))),
                                      ("not in the taxonomy", list(result.get("unrecognised", [])))]
    occupation = result.get("occupation")
    if occupation:
        summary.insert(0, ("occupation", f"{occupation.get('code', '')} {occupation.get('name', '')}".strip()))
    return _xlsx("Majors by coverage", "match", MATCH_COLUMNS, match_rows(result),
                 (6, 10, 28, 10, 60, 60), summary)
