"""The JSON API: the same objects as the CLI's ``--json``. Anonymous callers are rate-limited
per address; a bearer token (``careerbot tokens create``) gets its own rate, and the admin
scope opens the document endpoints."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, UploadFile
from pydantic import BaseModel, Field

from bot.web import skills_adapter
from bot.web.deps import ApiAdmin, ApiClient, Kb, get_assistant
from bot.web.i18n import Translator
from bot.web.routes.path import MAX_FIELD, MAX_JOB, MAX_TOP, bounded, skill_list
from ingest.service import UPLOAD_TYPES, submit_upload
from knowledge.answering.assistant import Assistant
from knowledge.errors import UserFacingError
from knowledge.ops import curation
from knowledge.retrieval import majors
from knowledge.schema import DocType

router = APIRouter(prefix="/api", tags=["api"])


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=4000, examples=["数字媒体技术专业的核心课程有哪些？"])
    role: str | None = Field(default=None, examples=["student"])
    type: list[str] | None = Field(default=None, description="only these document types")


class Citation(BaseModel):
    source: str
    title: str
    doc_type: str
    locator: str
    score: float


class AskResponse(BaseModel):
    answer: str
    grounded: bool
    citations: list[Citation]
    backend: str


class TextRequest(BaseModel):
    text: str = Field(min_length=1, max_length=50000)
    top: int = Field(default=5, ge=1, le=50)


MAX_GAP_TEXTS = 20


class GapRequest(BaseModel):
    # Bounded like TextRequest: unbounded, one request of many megabytes of texts cost minutes.
    major: str = Field(max_length=MAX_FIELD, description="major code or name")
    requirements: dict[Annotated[str, Field(max_length=MAX_FIELD)], Annotated[str, Field(max_length=50000)]] = Field(
        max_length=MAX_GAP_TEXTS, description=f"requirement texts by source name (at most {MAX_GAP_TEXTS})")


@router.post("/ask", response_model=AskResponse)
def api_ask(body: AskRequest, kb: Kb, client: ApiClient,
            assistant: Annotated[Assistant, Depends(get_assistant)]) -> dict[str, object]:
    """Answer a question with citations: the object ``careerbot ask --json`` prints."""
    try:
        types = {DocType.parse(t) for t in body.type} if body.type else None
    except ValueError as exc:
        raise UserFacingError(str(exc)) from None
    answer = assistant.ask(body.question, role=body.role, doc_types=types)
    curation.log_web_question(kb, body.question, answer)
    return answer.as_json()


@router.get("/majors")
def api_majors(kb: Kb, client: ApiClient, q: str = "", level: str = "", category: str = "",
               plans: bool = False, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Majors by level and class, searched by code or name in either language."""
    page = majors.search(kb, q, level=level, category=category, plans_only=plans,
                         limit=max(1, min(limit, 500)), offset=max(offset, 0))
    out: dict[str, Any] = skills_adapter.plain({"total": page.total, "items": page.items})
    return out


@router.get("/majors/{code}")
def api_profile(code: str, kb: Kb, client: ApiClient) -> dict[str, Any]:
    """A major's graduate skill profile: ``careerbot skills profile CODE --json``."""
    return skills_adapter.profile(kb, code)


@router.post("/skills/extract")
def api_extract(body: TextRequest, kb: Kb, client: ApiClient) -> dict[str, Any]:
    """The skills a text names, with their character offsets."""
    return skills_adapter.extract(kb, body.text)


@router.post("/skills/match")
def api_match(body: TextRequest, kb: Kb, client: ApiClient) -> dict[str, Any]:
    """Majors ranked by coverage of a job text: ``careerbot skills match --json``."""
    return skills_adapter.match(kb, body.text, top=body.top)


@router.post("/skills/gap")
def api_gap(body: GapRequest, kb: Kb, client: ApiClient) -> dict[str, Any]:
    """A major against requirement texts: ``careerbot skills gap --json``."""
    if not body.requirements:
        raise UserFacingError("give at least one requirement text")
    return skills_adapter.gap(kb, body.major, body.requirements)


@router.get("/skills/drift")
def api_drift(kb: Kb, client: ApiClient) -> dict[str, Any]:
    return skills_adapter.drift(kb)


@router.get("/skills/courses")
def api_courses(skill: str, kb: Kb, client: ApiClient) -> dict[str, Any]:
    """Courses that teach a skill: ``careerbot skills courses SKILL --json``."""
    return skills_adapter.courses_for(kb, skill)


@router.get("/path")
def api_path(kb: Kb, client: ApiClient, major: str = "", job: str = "", occupation: str = "") -> dict[str, Any]:
    """A student's path from a major to a job text or an occupation: ``careerbot skills path
    --json``. An unknown major is a 404 naming the closest ones."""
    t = Translator("en")
    major, job = bounded(t, "major", major, MAX_FIELD), bounded(t, "job_text", job, MAX_JOB)
    occupation = bounded(t, "occupation", occupation, MAX_FIELD)
    if not major:
        raise UserFacingError(t("give_major"))
    if bool(job) == bool(occupation):
        raise UserFacingError(t("job_or_occupation"))
    return skills_adapter.student_path(kb, major, job_text=job or None, occupation=occupation or None)


@router.get("/internships")
def api_internships(kb: Kb, client: ApiClient, major: str = "", top: int = 5,
                    skills: str = "") -> dict[str, Any]:
    """Postings ranked for a major (or a comma-separated skill list): ``careerbot skills
    internships --json``."""
    t = Translator("en")
    own = skill_list(bounded(t, "own_skills", skills, MAX_FIELD * 5))
    return skills_adapter.internships(kb, bounded(t, "major", major, MAX_FIELD) or None,
                                      top=max(1, min(top, MAX_TOP)), skills=own)


@router.get("/documents")
def api_documents(kb: Kb, admin: ApiAdmin, type: str = "", q: str = "", limit: int = 100,
                  offset: int = 0) -> dict[str, Any]:
    """Documents in the store (admin token)."""
    total, rows = curation.documents(kb, doc_type=type, query=q, limit=max(1, min(limit, 1000)),
                                     offset=max(offset, 0))
    items = [{k: v for k, v in skills_adapter.plain(r).items() if k not in ("id", "path")} for r in rows]
    return {"total": total, "items": items}


@router.post("/documents", status_code=201)
def api_upload(kb: Kb, admin: ApiAdmin, file: Annotated[UploadFile, File()],
               type: Annotated[str, Form()] = "") -> dict[str, Any]:
    """Upload a file through the ingest service (admin token); queued when Redis is configured."""
    data = file.file.read(kb.settings.store.max_file_bytes + 1)
    try:
        chosen = DocType.parse(type) if type else None
    except ValueError as exc:
        raise UserFacingError(str(exc)) from None
    if chosen is not None and chosen not in UPLOAD_TYPES:
        raise UserFacingError(f"uploads may not be of type {chosen.value}")
    outcome = submit_upload(kb, data, Path(file.filename or "upload").name,
                            uploader=f"api-{admin.name}", doc_type=chosen)
    if outcome.status == "failed":
        raise UserFacingError(outcome.error or f"{outcome.name} could not be ingested")
    result: dict[str, Any] = skills_adapter.plain(outcome)
    return result
