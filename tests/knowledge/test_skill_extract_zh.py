"""Chinese frames around a tool: "会用 X 做 Y" names the tool and the duty, each its own mention."""

from __future__ import annotations

from knowledge.skills import extractor


def _mentions(text: str) -> set[str]:
    result = extractor().extract(text)
    found = set()
    for skill in result.skills:
        for m in skill.mentions:
            assert result.text[m.start:m.end] == m.text
            found.add(m.text)
    return found


def test_a_tool_and_the_duty_done_with_it_are_two_mentions() -> None:
    found = _mentions("会用 Power BI 做数据可视化，能用Python进行数据清洗，会用AutoCAD绘制零件图。")
    assert {"Power BI", "数据可视化", "Python", "数据清洗", "AutoCAD"} <= found
    assert not any(len(m) > 12 for m in found), found


def test_a_name_with_a_generic_head_keeps_only_the_name() -> None:
    assert "Oracle" in _mentions("熟悉Oracle数据库的日常运维。")
