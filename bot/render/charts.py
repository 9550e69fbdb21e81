"""Coverage charts (PNG bytes) for the CLI and the Telegram bot. They are the web console's
charts (``bot.render.webcharts``): the CJK font shipped from PyPI, so Chinese major names show
instead of boxes; major names and values on the bars; a legend on the gap chart."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.render import webcharts
from knowledge.schema import Bar
from knowledge.skills.results import GapReport, MatchResult, to_json

__all__ = ["bars_chart", "gap_chart", "match_chart"]


def _plain(result: object) -> dict[str, Any]:
    data: dict[str, Any] = to_json(result)
    return data


def match_chart(result: MatchResult, language: str = "en") -> bytes:
    """Each ranked major's coverage of the requirement, "510204 数字媒体技术" and "67%" on its bar."""
    return webcharts.match_chart(_plain(result), language, fmt="png")


def bars_chart(bars: Sequence[Bar], language: str = "en") -> bytes:
    """Bars that go with an answer (a coverage share from 0 to 1), drawn like ``match_chart``."""
    # A bar's label is already "code name"; the web chart joins code and name with a space.
    majors = [{"code": b.label, "name": "", "coverage": b.value} for b in bars]
    return webcharts.match_chart({"majors": majors}, language, fmt="png")


def gap_chart(result: GapReport, limit: int = 40, language: str = "en") -> bytes:
    """Demand per required skill, coloured and hatched by the major's coverage, with a legend."""
    return webcharts.gap_chart(_plain(result), language, fmt="png", limit=limit)
