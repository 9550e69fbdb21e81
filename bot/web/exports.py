"""A gap report as a download: CSV or XLSX (written by ``bot.render.exports``, the same writer
as the CLI's ``--out``), or the self-contained HTML report of ``careerbot skills gap --out``."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import Response

from bot.render.exports import to_csv, to_xlsx
from bot.web import skills_adapter
from knowledge.errors import UserFacingError
from knowledge.store.base import KnowledgeBase

MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "html": "text/html; charset=utf-8"}


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
