"""Skill pages: match a job to majors, a major's gap report (with CSV, XLSX and HTML export)
and requirement drift."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from bot.web import exports, skills_adapter
from bot.web.deps import Kb, Lang, PageRate, T
from bot.web.templating import render
from ingest.service import load_texts
from knowledge.errors import UserFacingError
from knowledge.ops.curation import documents
from knowledge.retrieval import majors

router = APIRouter(include_in_schema=False, dependencies=[PageRate])
MAX_TEXT = 20000


def upload_text(kb: Kb, upload: UploadFile | None) -> dict[str, str]:
    """The plain text of an uploaded file, read (not stored) by the ingest service."""
    if upload is None or not upload.filename:
        return {}
    data = upload.file.read(kb.settings.store.max_file_bytes + 1)
    name = Path(upload.filename).name or "upload"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        loaded = load_texts([path], kb.settings.store.max_file_bytes, limit=MAX_TEXT)
    if loaded.skipped and not loaded.texts:
        raise UserFacingError(loaded.skipped[0])
    return loaded.texts


@router.get("/match", response_class=HTMLResponse)
def match_form(request: Request, t: T) -> Response:
    return render(request, "match.html", t, text="", top=10, result=None, segments=[])


@router.post("/match", response_class=HTMLResponse)
def match_page(request: Request, kb: Kb, t: T, text: Annotated[str, Form()] = "",
               top: Annotated[int, Form()] = 10, file: Annotated[UploadFile | None, File()] = None) -> Response:
    """The job text with its skills highlighted, and majors ranked by coverage."""
    text = (text or "\n\n".join(upload_text(kb, file).values())).strip()[:MAX_TEXT]
    if not text:
        raise UserFacingError(t("no_skill"))
    extraction = skills_adapter.extract(kb, text)
    try:
        result: dict[str, Any] | None = skills_adapter.match(kb, text, top=max(1, min(top, 30)))
    except UserFacingError:
        result = None
    return render(request, "match.html", t, text=text, top=top, result=result,
                  segments=skills_adapter.segments(extraction), extraction=extraction)


def _requirements(kb: Kb) -> list[Any]:
    _, rows = documents(kb, doc_type="enterprise_requirement", limit=500)
    return sorted(rows, key=lambda d: d.source)


def _gap_texts(kb: Kb, sources: list[str], text: str) -> dict[str, str]:
    texts: dict[str, str] = {}
    chosen = [d for d in _requirements(kb) if d.source in set(sources)]
    if chosen:
        texts.update(load_texts([Path(d.path) for d in chosen], kb.settings.store.max_file_bytes).texts)
    if text.strip():
        texts["pasted requirement"] = text.strip()[:MAX_TEXT]
    return texts


@router.get("/gap", response_class=HTMLResponse)
def gap_page(request: Request, kb: Kb, t: T, lang: Lang, major: str = "", text: str = "") -> Response:
    """Pick a major and requirement documents; with both, the report (its state is in the URL)."""
    sources = request.query_params.getlist("doc")
    report = None
    if major and (sources or text.strip()):
        texts = _gap_texts(kb, sources, text)
        if not texts:
            raise UserFacingError(t("pick_requirements"))
        report = skills_adapter.gap(kb, major, texts)
    return render(request, "gap.html", t, major=major, sources=sources, text=text, report=report,
                  requirements=_requirements(kb), planned=majors.search(kb, plans_only=True, limit=500).items,
                  query=request.url.query)


@router.post("/gap", response_class=HTMLResponse)
def gap_upload(request: Request, kb: Kb, t: T, major: Annotated[str, Form()],
               file: Annotated[UploadFile | None, File()] = None,
               text: Annotated[str, Form()] = "") -> Response:
    """A gap report against an uploaded requirement file (read, not stored)."""
    texts = upload_text(kb, file)
    if text.strip():
        texts["pasted requirement"] = text.strip()[:MAX_TEXT]
    if not texts:
        raise UserFacingError(t("pick_requirements"))
    report = skills_adapter.gap(kb, major, texts)
    return render(request, "gap.html", t, major=major, sources=[], text="\n\n".join(texts.values()),
                  report=report, requirements=_requirements(kb),
                  planned=majors.search(kb, plans_only=True, limit=500).items, query="")


def _export(kb: Kb, lang: str, major: str, sources: list[str], text: str, fmt: str) -> Response:
    texts = _gap_texts(kb, sources, text)
    if not texts:
        raise UserFacingError("no requirement documents chosen")
    return exports.gap_response(kb, major, texts, fmt, lang)


@router.get("/gap/export.{fmt}")
def gap_export(request: Request, kb: Kb, lang: Lang, fmt: str, major: str, text: str = "") -> Response:
    """The report as CSV, XLSX or the self-contained HTML of ``skills gap --out``."""
    return _export(kb, lang, major, request.query_params.getlist("doc"), text, fmt)


@router.post("/gap/export.{fmt}")
def gap_export_post(kb: Kb, lang: Lang, fmt: str, major: Annotated[str, Form()],
                    text: Annotated[str, Form()] = "") -> Response:
    return _export(kb, lang, major, [], text, fmt)


@router.get("/drift", response_class=HTMLResponse)
def drift_page(request: Request, kb: Kb, t: T) -> Response:
    """Skills re-ingested enterprise documents added or dropped, and the majors affected."""
    return render(request, "drift.html", t, result=skills_adapter.drift(kb))
