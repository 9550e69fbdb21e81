"""The admin area (a signed session from an admin access key): documents and upload, the
curators' work queue, statistics. Every form that changes something carries a CSRF token."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.web import security
from bot.web.deps import Admin, Csrf, Kb, Session, T
from bot.web.templating import render, set_session
from ingest.service import UPLOAD_TYPES, submit_upload
from knowledge.ops import curation, tokens
from knowledge.schema import DocType

router = APIRouter(include_in_schema=False)


def _safe_next(url: str) -> str:
    """Only a path on this site (no //host or scheme): no open redirect after login."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else "/admin"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, t: T, session: Session, next: str = "/admin") -> Response:
    return render(request, "admin/login.html", t, session=session, next=_safe_next(next), error="")


@router.post("/login", response_class=HTMLResponse, dependencies=[Csrf])
def login(request: Request, kb: Kb, t: T, key: Annotated[str, Form()],
          next: Annotated[str, Form()] = "/admin") -> Response:
    """An admin access key opens a session (a fresh one: no fixation of an older cookie)."""
    info = tokens.verify_token(kb, key.strip())
    if info is None or info.scope != "admin":
        return render(request, "admin/login.html", t, status=401, next=_safe_next(next), error=t("bad_key"))
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session(request, response, security.new_session(admin=info.id, name=info.name))
    return response


@router.post("/logout", dependencies=[Csrf])
def logout(request: Request) -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(security.COOKIE, path="/")
    return response


@router.get("/admin")
def admin_home(admin: Admin) -> Response:
    return RedirectResponse("/admin/documents", status_code=303)


@router.get("/admin/documents", response_class=HTMLResponse)
def documents_page(request: Request, kb: Kb, t: T, admin: Admin, session: Session,
                   type: str = "", q: str = "", page: str = "1") -> Response:
    """Documents with type, size, chunks and last ingest; the upload form; statistics."""
    number = max(int(page), 1) if page.isdigit() else 1
    total, rows = curation.documents(kb, doc_type=type, query=q, limit=100, offset=(number - 1) * 100)
    return render(request, "admin/documents.html", t, session=session, rows=rows, total=total,
                  doc_type=type, q=q, page=number, pages=max(1, -(-total // 100)),
                  stats=kb.stats(), counts=curation.queue_counts(kb),
                  upload_types=[d.value for d in UPLOAD_TYPES], outcome=None)


@router.post("/admin/upload", response_class=HTMLResponse, dependencies=[Csrf])
def upload(request: Request, kb: Kb, t: T, admin: Admin, session: Session,
           file: Annotated[UploadFile, File()], doc_type: Annotated[str, Form()] = "") -> Response:
    """A file through the same ingest service as the CLI and the bot (queued with Redis)."""
    data = file.file.read(kb.settings.store.max_file_bytes + 1)
    chosen = DocType.parse(doc_type) if doc_type else None
    outcome = submit_upload(kb, data, Path(file.filename or "upload").name, uploader=f"web-{admin.name}",
                            doc_type=chosen if chosen in UPLOAD_TYPES else None)
    total, rows = curation.documents(kb, limit=100)
    return render(request, "admin/documents.html", t, session=session, rows=rows, total=total,
                  doc_type="", q="", page=1, pages=max(1, -(-total // 100)), stats=kb.stats(),
                  counts=curation.queue_counts(kb), upload_types=[d.value for d in UPLOAD_TYPES],
                  outcome=outcome, status=200 if outcome.status != "failed" else 422)


@router.get("/admin/queue", response_class=HTMLResponse)
def queue_page(request: Request, kb: Kb, t: T, admin: Admin, session: Session, done: bool = False) -> Response:
    """Unanswered and 👎-rated questions, a curator's to-do list."""
    return render(request, "admin/queue.html", t, session=session, done=done,
                  items=curation.work_queue(kb, include_done=done), counts=curation.queue_counts(kb))


@router.post("/admin/queue/{turn_id}", dependencies=[Csrf])
def queue_mark(kb: Kb, admin: Admin, turn_id: int, action: Annotated[str, Form()] = "done",
               show_done: Annotated[str, Form()] = "") -> Response:
    curation.mark_done(kb, turn_id, by=admin.name, done=action != "reopen")
    return RedirectResponse("/admin/queue" + ("?done=true" if show_done else ""), status_code=303)
