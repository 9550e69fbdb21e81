"""The web's small parts: language choice, the skills adapter, sessions, the rate limiter,
majors search and the charts' font."""

from __future__ import annotations

import dataclasses
import time

import pytest

from bot.web import security, skills_adapter
from bot.web.i18n import TEXTS, negotiate
from knowledge.errors import UserFacingError
from knowledge.ops import tokens
from knowledge.retrieval import majors


@pytest.mark.parametrize(("query", "cookie", "header", "expected"), [
    (None, None, "zh-CN,zh;q=0.9,en;q=0.8", "zh"),
    (None, None, "en-US,en;q=0.9,zh;q=0.8", "en"),
    (None, None, "fr-FR,zh;q=0.5,en;q=0.4", "zh"),
    (None, None, "zh;q=0", "en"),
    (None, "zh", "en", "zh"),
    ("en", "zh", "zh-CN", "en"),
    ("xx", None, None, "en"),
])
def test_language_choice(query, cookie, header, expected) -> None:
    assert negotiate(query, cookie, header) == expected


def test_both_languages_have_every_text() -> None:
    assert set(TEXTS["en"]) == set(TEXTS["zh"])


def test_plain_uses_the_results_own_json_form() -> None:
    @dataclasses.dataclass(frozen=True)
    class Inner:
        quote: str

    @dataclasses.dataclass(frozen=True)
    class Outer:
        items: tuple[Inner, ...]

    class WithJson:
        def to_json(self) -> dict[str, object]:
            return {"x": (1, 2)}

    assert skills_adapter.plain(Outer((Inner("q"),))) == {"items": [{"quote": "q"}]}
    assert skills_adapter.plain(WithJson()) == {"x": [1, 2]}
    assert skills_adapter.plain({"a": {"b": (Inner("z"),)}}) == {"a": {"b": [{"quote": "z"}]}}


def test_segments_mark_each_mention_once() -> None:
    text = "SQL and Power BI"
    extraction = {"text": text, "skills": [
        {"id": "db", "label": "SQL", "known": True, "mentions": [{"start": 0, "end": 3, "text": "SQL"}]},
        {"id": "bi", "label": "Power BI", "known": False, "mentions": [{"start": 8, "end": 16, "text": "Power BI"},
                                                                        {"start": 14, "end": 16, "text": "BI"}]},
    ]}
    segments = skills_adapter.segments(extraction)
    assert "".join(s["text"] for s in segments) == text
    assert [s["text"] for s in segments if "skill" in s] == ["SQL", "Power BI"]


def test_sessions_are_signed_and_expire() -> None:
    key = b"k" * 32
    value = security.sign(security.new_session(admin=3), key)
    assert security.unsign(value, key)["admin"] == 3
    assert security.unsign(value, b"other" * 8) == {}
    assert security.unsign(value.replace(".", "x.", 1), key) == {}
    expired = security.sign({"csrf": "c", "exp": time.time() - 1}, key)
    assert security.unsign(expired, key) == {}
    assert security.csrf_ok({"csrf": "abc"}, "abc") and not security.csrf_ok({"csrf": "abc"}, "abd")
    assert not security.csrf_ok({}, "")


def test_rate_limit_allows_a_burst_then_the_steady_rate(web_kb) -> None:
    now = 1_000_000.0
    key = f"test:{time.time_ns()}"
    assert [tokens.allow(web_kb, key, 60, burst=3, now=now) for _ in range(4)][:3] == [0.0, 0.0, 0.0]
    assert tokens.allow(web_kb, key, 60, burst=3, now=now) > 0
    assert tokens.allow(web_kb, key, 60, burst=3, now=now + 2.0) == 0.0  # one interval later


def test_revoking_by_an_ambiguous_name_asks_for_the_id(web_kb) -> None:
    first, _ = tokens.create_token(web_kb, "twin")
    tokens.create_token(web_kb, "twin")
    with pytest.raises(UserFacingError, match="revoke by id"):
        tokens.revoke_token(web_kb, "twin")
    assert tokens.revoke_token(web_kb, str(first.id)).revoked
    with pytest.raises(UserFacingError, match="scope"):
        tokens.create_token(web_kb, "x", scope="root")


def test_majors_search_by_code_name_and_other_language(web_kb) -> None:
    assert majors.search(web_kb, "510204").items[0].name == "数字媒体技术"
    assert majors.search(web_kb, "Digital Media").items[0].code == "510204"
    assert majors.search(web_kb, "大数据").items[0].code == "510205"
    assert majors.search(web_kb, "5102").total == 2
    assert majors.get(web_kb, "510205").has_plan
    assert majors.search(web_kb, "510204", level="no such level").total == 0


def test_chart_font_is_shipped_under_the_open_font_licence() -> None:
    from fontTools.ttLib import TTFont

    from bot.render.webcharts import font_path

    path = font_path()
    assert path is not None, "the CJK font package is not installed"
    names = {r.nameID: r.toUnicode() for r in TTFont(str(path), lazy=True)["name"].names if r.platformID == 3}
    assert "SIL Open Font License" in names[13]


def test_charts_draw_chinese_labels_without_missing_glyphs(recwarn) -> None:
    """matplotlib warns "Glyph … missing from font" when it draws a box for a character."""
    from bot.render import webcharts

    report = {"major": {"code": "510204", "name": "数字媒体技术"},
              "skills": [{"skill": "UI design", "skill_zh": "用户界面设计", "status": "missing", "demand": 3},
                         {"skill": "3D", "skill_zh": "三维建模", "status": "covered", "demand": 2}]}
    png = webcharts.gap_chart(report, "zh", fmt="png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    svg = webcharts.match_chart({"majors": [{"code": "510204", "name": "数字媒体技术", "coverage": 0.5}]},
                                "zh", fmt="svg").decode()
    assert "<text" not in svg and "<path" in svg  # text drawn as outlines: no client font needed
    assert not [w for w in recwarn if "missing from" in str(w.message)]
