"""A self-contained HTML gap report for curriculum committees (chart embedded as base64)."""

from __future__ import annotations

import base64
import html

from knowledge.skills.results import Evidence, GapReport

STYLE = """body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;max-width:60rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.4rem;vertical-align:top}
.covered{color:#2e7d32}.partial{color:#f9a825}.missing{color:#c62828;font-weight:bold}
blockquote{margin:.2rem 0;color:#555;font-size:.9em}"""


def _quotes(evidence: tuple[Evidence, ...], limit: int = 2) -> str:
    return "".join(
        f"<blockquote>{html.escape(e.quote)}<br><small>{html.escape(e.source)}"
        f"{(' — ' + html.escape(e.locator)) if e.locator else ''}</small></blockquote>"
        for e in evidence[:limit])


def gap_html(result: GapReport, chart_png: bytes) -> str:
    """The report page: summary, chart, and one row per required skill with its quotes (every
    requirement quote is kept: the committee sees each source that asks)."""
    major, summary = result.major, result.summary
    rows = "".join(
        f"<tr><td>{html.escape(r.skill)}<br><small>{html.escape(r.skill_zh)}"
        f"{'' if r.known else '<br><em>not in the taxonomy</em>'}</small></td>"
        f"<td class='{r.status}'>{r.status}</td><td>{r.demand}</td>"
        f"<td>{_quotes(r.major_evidence) or '–'}</td>"
        f"<td>{_quotes(r.requirement_evidence, limit=len(r.requirement_evidence))}</td></tr>"
        for r in result.skills)
    chart = base64.b64encode(chart_png).decode()
    missing = ", ".join(html.escape(s) for s in summary.most_demanded_missing) or "none"
    return f"""<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">
<title>Gap report: {html.escape(major.code)} {html.escape(major.name)}</title><style>{STYLE}</style></head>
<body><h1>Gap report: {html.escape(major.code)} {html.escape(major.name)}</h1>
<p>{summary.requirements} enterprise requirements ask for {summary.required_skills} skills:
{summary.covered} covered by core or foundation courses, {summary.partial} only partly
(abilities, internships, certificates), {summary.missing} missing, of which
{summary.unrecognised} are requirements the taxonomy does not name.
Most-demanded missing: <b>{missing}</b>.</p>
<img alt="coverage chart" src="data:image/png;base64,{chart}">
<table><tr><th>skill</th><th>status</th><th>demand</th><th>training plan</th><th>requirements</th></tr>
{rows}</table></body></html>"""
