"""Pages anyone may read: home, majors (browse, search, a major's profile) and questions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.web import skills_adapter
from bot.web.deps import Kb, PageRate, T, get_assistant
from bot.web.templating import render
from knowledge.answering.assistant import Assistant
from knowledge.errors import UserFacingError
from knowledge.ops.curation import log_web_question
from knowledge.retrieval import majors

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
GROUPS = ("core", "foundation", "internship", "certificate", "ability", "occupation")


@router.get("/", response_class=HTMLResponse)
def home(request: Request, kb: Kb, t: T) -> Response:
    """Search box, the majors with a training plan and the other tools."""
    page = majors.search(kb, plans_only=True, limit=24)
    return render(request, "index.html", t, featured=page.items, total=len(majors.all_majors(kb)))


@router.get("/majors", response_class=HTMLResponse)
def majors_page(request: Request, kb: Kb, t: T, q: str = "", level: str = "", category: str = "",
                plans: str = "", page: str = "1") -> Response:
    """Browse majors by level and class; search by code or name in either language."""
    # Lenient query parsing: a hand-edited or empty parameter is a default, not a 422 page.
    number = max(int(page), 1) if page.isdigit() else 1
    only = plans.lower() in ("true", "1", "on", "yes")
    found = majors.search(kb, q, level=level, category=category, plans_only=only,
                          limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
    if q.strip() and found.total == 1 and found.items[0].code:
        return RedirectResponse(f"/majors/{found.items[0].code}", status_code=303)
    return render(request, "majors.html", t, q=q, level=level, category=category, plans=only,
                  page=number, found=found, facets=majors.facets(kb),
                  pages=max(1, -(-found.total // PAGE_SIZE)))


@router.get("/majors/{code}", response_class=HTMLResponse)
def major_page(request: Request, code: str, kb: Kb, t: T) -> Response:
    """A major's graduate skill profile: skills by where they are taught, with evidence."""
    entry = majors.get(kb, code)
    profile: dict[str, Any] | None = None
    if entry is None or entry.has_plan:
        try:
            profile = skills_adapter.profile(kb, code)
        except UserFacingError:
            profile = None
    if entry is None and profile is None:
        raise HTTPException(404, t("major_not_found", code=code))
    grouped: dict[str, list[dict[str, Any]]] = {g: [] for g in GROUPS}
    for skill in (profile or {}).get("skills", []):
        grouped.setdefault(skill["group"], []).append(skill)
    name = entry.name if entry else profile["major"]["name"] if profile else code
    # Majors of the same class in the catalogue (other levels included); by name when unclassed.
    nearby = (majors.search(kb, category=entry.category, limit=40) if entry and entry.category
              else majors.search(kb, name[:2], limit=40))
    related = [m for m in nearby.items if m.code != code][:8]
    return render(request, "major.html", t, code=code, entry=entry, profile=profile,
                  name=name, grouped={g: s for g, s in grouped.items() if s}, related=related)


@router.get("/ask", response_class=HTMLResponse, dependencies=[PageRate])
def ask_form(request: Request, t: T) -> Response:
    return render(request, "ask.html", t, question="", role="", answer=None)


@router.post("/ask", response_class=HTMLResponse, dependencies=[PageRate])
def ask_page(request: Request, kb: Kb, t: T, assistant: Annotated[Assistant, Depends(get_assistant)],
             question: Annotated[str, Form()], role: Annotated[str, Form()] = "") -> Response:
    """The same answer as the chat, with citations that open the quoted passage."""
    answer = assistant.ask(question, role=role or None)
    log_web_question(kb, question, answer)
    return render(request, "ask.html", t, question=question, role=role, answer=answer)
