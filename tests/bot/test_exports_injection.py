"""Spreadsheet exports keep requirement text inert: a skill or a quote from anyone's job ad
that starts like a formula ("=cmd|' /C calc'!A0", "@SUM(…)") is text in the CSV and the XLSX."""

from __future__ import annotations

import csv
import io

from bot.render.exports import to_csv, to_xlsx

HOSTILE = "=cmd|' /C calc'!A0"


def _report() -> dict:  # type: ignore[type-arg]
    evidence = [{"quote": HOSTILE, "source": "@SUM(1+1)", "locator": ""}]
    return {"major": {"code": "=1+1", "name": "-2+3"}, "summary": {"missing": [HOSTILE]},
            "skills": [{"skill": HOSTILE, "skill_zh": "@SUM(A1)", "status": "missing", "demand": 1,
                        "major_evidence": [], "requirement_evidence": evidence},
                       {"skill": "+1", "skill_zh": "\t=2", "status": "missing", "demand": -1,
                        "major_evidence": [], "requirement_evidence": []}]}


def test_csv_cells_that_start_like_a_formula_are_quoted() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(_report()).decode("utf-8-sig"))))
    cells = [c for row in rows[1:] for c in row if not c.lstrip("-").isdigit()]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t")], cells
    assert rows[1][0] == "'" + HOSTILE and rows[2][3] == "-1"  # numbers stay numbers


def test_xlsx_cells_are_text_not_formulas() -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(to_xlsx(_report())))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert HOSTILE in [c.value for c in cells]  # kept as it was written, only not run
