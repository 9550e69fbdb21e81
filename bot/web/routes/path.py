"""A student's pages: the path from a major to a job (what the major gives, what is missing,
where to learn it, in what order), printable, and the internship postings that fit a major.

Both are GET forms, so a path or a ranking is a link a student can bookmark or send; the job
text travels in the URL and is bounded (``MAX_JOB``) to stay within what servers accept."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bot.web import skills_adapter
from bot.web.deps import Kb, PageRate, T
from bot.web.i18n import Translator
from bot.web.skills_adapter import UnknownMajor
from bot.web.templating import render
from knowledge.errors import UserFacingError
from knowledge.retrieval import majors
from knowledge.store.base import KnowledgeBase

router = APIRouter(include_in_schema=False, dependencies=[PageRate])
# The job text rides in the query string: 4,000 characters (a long posting) of Chinese are ~36 KB
# percent-encoded. uvicorn takes that; a proxy in front needs a request line that long (nginx:
# large_client_header_buffers 4 64k).
MAX_JOB = 4000
MAX_FIELD = 200  # a major, an occupation or a skill list
MAX_TOP = 50


def bounded(t: Translator, name: str, value: str, limit: int) -> str:
    """The field stripped; longer than ``limit`` is a clear error, not a silent cut. NUL is
    dropped: PostgreSQL refuses it in any text parameter (a 500 for ``?major=%00``)."""
    value = (value or "").replace("\x00", "").strip()
    if len(value) > limit:
        raise UserFacingError(t("too_long", field=t(name), n=len(value), max=limit))
    return value


def top_of(raw: str, default: int = 5) -> int:
    """``top`` from a hand-edited URL: a number within 1..MAX_TOP, else the default. ASCII
    digits only ("²".isdigit() is true, int() refuses it), and a number too long for int()
    (over 4,300 digits) is the most there is."""
    raw = raw.strip()
    if not (raw.isascii() and raw.isdigit()):
        return default
    return MAX_TOP if len(raw.lstrip("0")) > 3 else max(1, min(int(raw), MAX_TOP))


def skill_list(raw: str) -> list[str]:
    """"SQL, Python，Excel" -> its items (either comma), as the CLI's ``--skills`` reads it."""
    return [s.strip() for s in raw.replace("，", ",").split(",") if s.strip()]


def _planned(kb: KnowledgeBase) -> list[Any]:
    return list(majors.search(kb, plans_only=True, limit=500).items)


def _show(request: Request, t: Translator, template: str, form: dict[str, Any], result: Any = None,
          unknown: UnknownMajor | None = None) -> Response:
    """The page with its form filled in; an unknown major is a 404 that links the closest ones."""
    if unknown is not None:
        return render(request, template, t, status=404, result=None, error=str(unknown),
                      closest=unknown.closest, **form)
    return render(request, template, t, result=result, error="", closest=[], **form)


@router.get("/path", response_class=HTMLResponse)
def path_page(request: Request, kb: Kb, t: T, major: str = "", job: str = "",
              occupation: str = "") -> Response:
    """The form; with a major and a target, the student's path (its state is in the URL)."""
    major = bounded(t, "major", major, MAX_FIELD)
    job = bounded(t, "job_text", job, MAX_JOB)
    occupation = bounded(t, "occupation", occupation, MAX_FIELD)
    form = {"major": major, "job": job, "occupation": occupation, "max_job": MAX_JOB, "planned": _planned(kb)}
    if not (job or occupation):
        return _show(request, t, "path.html", form)
    if not major:
        raise UserFacingError(t("give_major"))
    if job and occupation:
        raise UserFacingError(t("job_or_occupation"))
    try:
        result = skills_adapter.student_path(kb, major, job_text=job or None, occupation=occupation or None)
    except UnknownMajor as exc:
        return _show(request, t, "path.html", form, unknown=exc)
    return _show(request, t, "path.html", form, result)


@router.get("/internships", response_class=HTMLResponse)
def internships_page(request: Request, kb: Kb, t: T, major: str = "", top: str = "5",
                     skills: str = "") -> Response:
    """Internship and job postings ranked by how much of what each asks the major covers."""
    major = bounded(t, "major", major, MAX_FIELD)
    own = skill_list(bounded(t, "own_skills", skills, MAX_FIELD * 5))
    form = {"major": major, "skills": ", ".join(own), "top": top_of(top), "planned": _planned(kb)}
    if not (major or own):
        return _show(request, t, "internships.html", form)
    try:
        result = skills_adapter.internships(kb, major or None, top=top_of(top), skills=own)
    except UnknownMajor as exc:
        return _show(request, t, "internships.html", form, unknown=exc)
    return _show(request, t, "internships.html", form, result)
