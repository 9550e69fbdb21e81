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


def test_a_model_number_in_brackets_is_a_name_not_a_sentence() -> None:
    assert "西门子S7-1200/1500" in _mentions("熟悉PLC编程（西门子S7-1200/1500），懂变频器调试。")


def test_a_qualification_certificate_keeps_its_usual_name() -> None:
    assert "护士执业资格证" in _mentions("具有护士执业资格证书，熟练掌握静脉输液。")


def test_a_labelled_pay_line_names_no_skill() -> None:
    assert _mentions("薪资待遇：8-12K，五险一金，周末双休，带薪年假。") == set()
    assert _mentions("福利待遇：包吃住，节日福利。") == set()


def test_a_known_name_keeps_its_head_and_a_spaced_tool_splits_from_its_duty() -> None:
    found = _mentions("掌握数据结构与算法；会用 Premiere 剪辑视频。")
    assert {"数据结构", "算法", "Premiere", "剪辑视频"} <= found, found


def test_frame_adverbs_are_not_part_of_a_duty() -> None:
    found = _mentions("开展基础护理，定时监测生命体征，及时记录护理文书。")
    assert {"基础护理", "监测生命体征", "记录护理文书"} <= found, found


def test_majors_asked_for_keep_their_names_and_terms_of_the_post_are_no_skill() -> None:
    found = _mentions("大数据与会计、会计信息管理等专业在校生；能源与动力工程相关专业优先。"
                      "实习期三个月，实习补贴 2000 元/月。")
    assert {"会计信息管理", "能源与动力工程"} <= found, found
    assert not any("实习" in m or "元" in m or "相关" in m for m in found), found


def test_a_generic_word_alone_does_not_name_a_skill_inside_other_phrases() -> None:
    # 运营 (operations) is part of many duties; only 内容运营/新媒体运营 are live-stream work.
    found = {m.text: s.label for s in extractor().extract("熟悉用户运营和产品运营，做过内容运营。").skills
             for m in s.mentions}
    assert found["内容运营"] == "present during live broadcasts"
    assert found["用户运营"] != found["内容运营"] and found["产品运营"] != found["内容运营"], found
