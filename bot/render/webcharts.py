"""Charts for the web console and its reports: horizontal bars with major names and values,
a legend, colour-blind-safe colours (Okabe–Ito) and a CJK font shipped from PyPI (Noto Sans
CJK, SIL Open Font License), so Chinese labels render on a server with no fonts installed.
SVG output has its text drawn as paths: a browser needs no CJK font to show it."""

from __future__ import annotations

import io
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

# Okabe & Ito: distinguishable with the common colour-vision deficiencies; missing is also hatched.
STATUS_COLOURS = {"covered": "#009E73", "partial": "#E69F00", "missing": "#D55E00"}
STATUS_HATCH = {"covered": "", "partial": "..", "missing": "//"}
BAR_COLOUR = "#0072B2"
LABELS = {
    "en": {"coverage": "coverage of the required skills (%)", "majors": "Majors by coverage",
           "demand": "requirements asking for the skill", "covered": "covered", "partial": "partial",
           "missing": "missing", "gap": "{major}: required skills by demand"},
    "zh": {"coverage": "覆盖所需技能的比例（%）", "majors": "各专业的覆盖率",
           "demand": "提出该技能的企业要求数", "covered": "已覆盖", "partial": "部分覆盖",
           "missing": "缺失", "gap": "{major}：按需求排序的技能"},
}
_LOCK = threading.Lock()  # matplotlib's font and text caches are not thread-safe


def font_path() -> Path | None:
    """The shipped CJK font file, if its package is installed."""
    try:
        import cvttf_NotoSansCJK_Regular as package
    except ImportError:
        return None
    found = sorted(Path(package.__file__).parent.glob("*.otf"))
    return found[0] if found else None


@lru_cache(maxsize=1)
def _font() -> Any:
    from matplotlib import font_manager

    path = font_path()
    if path is None:
        return font_manager.FontProperties(family=["sans-serif"])
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path))


def _figure(height: float) -> tuple[Any, Any]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.5, height))
    return fig, fig.add_subplot()


def _save(fig: Any, fmt: str) -> bytes:
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "axes.unicode_minus": False}):
        fig.tight_layout()
        fig.savefig(buf, format=fmt, dpi=110)
    return buf.getvalue()


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def match_chart(result: dict[str, Any], language: str = "en", fmt: str = "svg") -> bytes:
    """Each ranked major's coverage of the requirement: "510204 数字媒体技术" and "67%" on its bar."""
    words = LABELS.get(language, LABELS["en"])
    majors = list(result.get("majors", []))
    with _LOCK:
        font = _font()
        fig, ax = _figure(1.4 + 0.5 * max(len(majors), 1))
        labels = [_short(f"{m['code']} {m['name']}") for m in majors][::-1]
        values = [float(m["coverage"]) * 100 for m in majors][::-1]
        bars = ax.barh(range(len(values)), values, color=BAR_COLOUR, label=words["coverage"])
        ax.set_yticks(range(len(values)), labels, fontproperties=font)
        ax.bar_label(bars, labels=[f"{v:.0f}%" for v in values], padding=3, fontproperties=font)
        ax.set_xlim(0, 112)
        ax.set_xlabel(words["coverage"], fontproperties=font)
        ax.set_title(words["majors"], fontproperties=font)
        ax.legend(prop=font, loc="lower right")
        return _save(fig, fmt)


def gap_chart(result: dict[str, Any], language: str = "en", fmt: str = "svg", limit: int = 25) -> bytes:
    """Demand per required skill, coloured and hatched by the major's coverage, with a legend."""
    from matplotlib.patches import Patch

    words = LABELS.get(language, LABELS["en"])
    rows = list(result.get("skills", []))[:limit]
    major = result.get("major", {})
    with _LOCK:
        font = _font()
        fig, ax = _figure(1.6 + 0.36 * max(len(rows), 1))
        labels = [_short(r["skill_zh"] if language == "zh" and r.get("skill_zh") else r["skill"])
                  for r in rows][::-1]
        values = [int(r["demand"]) for r in rows][::-1]
        statuses = [str(r["status"]) for r in rows][::-1]
        bars = ax.barh(range(len(values)), values, color=[STATUS_COLOURS[s] for s in statuses],
                       edgecolor="#333333", linewidth=0.4)
        for bar, status in zip(bars, statuses, strict=True):
            bar.set_hatch(STATUS_HATCH[status])
        ax.set_yticks(range(len(values)), labels, fontproperties=font)
        ax.bar_label(bars, labels=[str(v) for v in values], padding=3, fontproperties=font)
        ax.set_xlim(0, max(values or [1]) * 1.15 + 0.5)
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(words["demand"], fontproperties=font)
        ax.set_title(words["gap"].format(major=f"{major.get('code', '')} {major.get('name', '')}".strip()),
                     fontproperties=font)
        ax.legend(handles=[Patch(facecolor=STATUS_COLOURS[s], hatch=STATUS_HATCH[s], edgecolor="#333333",
                                 label=words[s]) for s in ("covered", "partial", "missing")],
                  prop=font, loc="lower right")
        return _save(fig, fmt)
