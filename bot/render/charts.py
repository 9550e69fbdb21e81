"""Coverage charts (PNG bytes) for match and gap results; matplotlib without a display."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from knowledge.schema import Bar
from knowledge.skills.results import GapReport, MatchResult

STATUS_COLOURS = {"covered": "#2e7d32", "partial": "#f9a825", "missing": "#c62828"}


def _figure(height: float) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["axes.unicode_minus"] = False
    return plt, plt.subplots(figsize=(8, height))


def _png(plt: Any, fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()


def match_chart(result: MatchResult) -> bytes:
    """Horizontal bars: each ranked major's coverage of the requirement."""
    majors = result.majors
    plt, (fig, ax) = _figure(1.2 + 0.45 * max(len(majors), 1))
    labels = [m.code for m in majors][::-1]
    values = [m.coverage * 100 for m in majors][::-1]
    ax.barh(labels, values, color="#1565c0")
    ax.set_xlim(0, 100)
    ax.set_xlabel("coverage of the required skills (%)")
    ax.set_title("Majors by coverage")
    return _png(plt, fig)


def bars_chart(bars: Sequence[Bar], title: str = "Majors by coverage") -> bytes:
    """Horizontal bars with their labels and values (a coverage share from 0 to 1)."""
    plt, (fig, ax) = _figure(1.2 + 0.45 * max(len(bars), 1))
    labels = [b.label for b in bars][::-1]
    values = [b.value * 100 for b in bars][::-1]
    drawn = ax.barh(labels, values, color="#1565c0")
    ax.bar_label(drawn, labels=[f"{v:.0f}%" for v in values], padding=3)
    ax.set_xlim(0, 110)
    ax.set_xlabel("coverage of the required skills (%)")
    ax.set_title(title)
    return _png(plt, fig)


def gap_chart(result: GapReport, limit: int = 40) -> bytes:
    """Bars: how many requirements ask for each skill, coloured by the major's coverage. The
    most-demanded ``limit`` skills; unrecognised requirements are hatched (their label is
    their own words, cut short)."""
    skills = result.skills[:limit]
    plt, (fig, ax) = _figure(1.2 + 0.35 * max(len(skills), 1))
    # Codes and English labels only: a server may have no CJK font for the chart.
    labels = [(s.skill if s.skill.isascii() else f"requirement {n}")[:40]
              for n, s in enumerate(skills, start=1)][::-1]
    values = [s.demand for s in skills][::-1]
    colours = [STATUS_COLOURS[s.status] for s in skills][::-1]
    drawn = ax.barh(range(len(labels)), values, color=colours, tick_label=labels)
    for bar, skill in zip(drawn, skills[::-1], strict=True):
        if not skill.known:
            bar.set_hatch("//")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("requirements asking for the skill")
    ax.set_title(f"Major {result.major.code}: covered / partial / missing (hatched: not in the taxonomy)")
    return _png(plt, fig)
