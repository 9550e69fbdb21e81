"""A gap report as a file: CSV (UTF-8 with BOM, so Excel shows Chinese), XLSX, or the
self-contained HTML report of ``careerbot skills gap --out`` with a chart that carries its font."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import quote

from fastapi.responses import Response

from bot.web import skills_adapter
from knowledge.errors import UserFacingError
from knowledge.store.base import KnowledgeBase

COLUMNS = ("skill", "skill_zh", "status", "demand", "training_plan_evidence", "requirement_evidence")
MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "html": "text/html; charset=utf-8"}


def _cite(evidence: list[dict[str, Any]]) -> str:
    return " | ".join(f"{e.get('quote', '')} ({e.get('source', '')}"
                      f"{', ' + e['locator'] if e.get('locator') else ''})" for e in evidence[:3])


def rows(report: dict[str, Any]) -> list[list[Any]]:
    """One row per required skill, cited on both sides."""
    return [[r["skill"], r.get("skill_zh", ""), r["status"], r["demand"],
             _cite(r.get("major_evidence", [])), _cite(r.get("requirement_evidence", []))]
            for r in report["skills"]]


def to_csv(report: dict[str, Any]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    writer.writerows(rows(report))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(report: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    major = report["major"]
    sheet.title = "gap"
    sheet.append([f"{major['code']} {major['name']}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(COLUMNS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows(report):
        sheet.append(row)
    for column, width in zip("ABCDEF", (28, 20, 10, 8, 70, 70), strict=True):
        sheet.column_dimensions[column].width = width
    summary = book.create_sheet("summary")
    for key, value in report["summary"].items():
        summary.append([key, ", ".join(value) if isinstance(value, list) else value])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def gap_response(kb: KnowledgeBase, major: str, texts: dict[str, str], fmt: str, language: str) -> Response:
    """The report as a download: CSV, XLSX, or the HTML of ``skills gap --out``."""
    if fmt not in MEDIA:
        raise UserFacingError(f"unknown export format {fmt!r}; use csv, xlsx or html")
    if fmt == "html":
        body = skills_adapter.gap_report_html(kb, major, texts, language).encode("utf-8")
        code = major
    else:
        report = skills_adapter.gap(kb, major, texts)
        body = to_csv(report) if fmt == "csv" else to_xlsx(report)
        code = report["major"]["code"] or major
    name = f"gap-{code}.{fmt}"
    return Response(body, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})
