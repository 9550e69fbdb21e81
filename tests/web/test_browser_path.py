"""A student's path in a real browser (Debian's chromium driven by Playwright against uvicorn on
127.0.0.1): fill the form, submit, read have / missing / plan, press Print, and check what the
print stylesheet leaves on paper."""

from __future__ import annotations

import pytest

from tests.web.test_browser import _need_browser, _page, _shot, browser, server  # noqa: F401  (fixtures)
from tests.web.test_path_pages import DATA_ANALYST, UNTAUGHT, app, path_kb  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


def _visible(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.locator(selector).first.is_visible())


def test_fill_the_form_see_the_path_and_print_it(server, browser) -> None:  # noqa: F811
    context, page = _page(browser, "en-GB")
    page.goto(server + "/majors/510203")
    page.get_by_role("link", name="Path from 软件技术 to a job").click()
    page.wait_for_url("**/path?major=510203")
    assert page.get_by_label("Major").input_value() == "510203"  # carried over from the major page
    page.get_by_label("Job description").fill(DATA_ANALYST)
    page.get_by_role("button", name="Show my path").click()
    page.wait_for_url("**/path?*job=*")
    assert "510203 软件技术" in page.locator("h1").inner_text()
    have = page.locator("section#have")
    assert have.get_by_role("row", name="SQL").is_visible()
    assert "plans/software.md" in have.inner_text()  # the plan line's source
    missing = page.locator("section#missing")
    assert missing.locator("ul.learn li").count() >= 1 and "courses.csv" in missing.inner_text()
    steps = page.locator("section#plan ol.plan > li")
    assert steps.count() >= 1
    # The address is the path: opened afresh, it shows the same plan.
    again = context.new_page()
    again.goto(page.url)
    assert again.locator("section#plan ol.plan > li").all_inner_texts() == steps.all_inner_texts()

    # Print: the button calls window.print() (recorded here instead of opening the dialog).
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed") == 1
    assert _visible(page, "header nav") and _visible(page, "#path-form")
    page.emulate_media(media="print")
    for hidden in ("header nav", "#path-form", "button[data-print]", "body > footer", "a.lang"):
        assert not _visible(page, hidden), hidden
    assert _visible(page, "section#plan ol.plan") and _visible(page, "section#have table")
    # Sources stay on paper, as text: the plan line's, each place to learn's, each step's.
    for cited in (have, missing, page.locator("section#plan")):
        assert cited.locator("cite").first.is_visible()
    assert "plans/software.md" in have.inner_text()
    ink = page.evaluate("""() => ['main', 'section#plan li', 'section#missing cite'].map(s => {
        const style = getComputedStyle(document.querySelector(s));
        return [style.color, getComputedStyle(document.body).backgroundColor]; })""")
    for color, background in ink:
        assert color == "rgb(0, 0, 0)" and background in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), ink
    pdf = page.pdf(format="A4")  # the page as it prints
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.emulate_media(media="screen")
    assert _visible(page, "#path-form")
    _shot(page, "path-510203-en")
    context.close()


def test_the_path_in_chinese_with_a_skill_nothing_teaches(server, browser) -> None:  # noqa: F811
    context, page = _page(browser, "zh-CN")
    page.goto(server + "/path")
    page.get_by_label("专业").fill("软件技术")
    page.get_by_label("岗位描述").fill(UNTAUGHT)
    page.get_by_role("button", name="查看我的路径").click()
    page.wait_for_url("**/path?*")
    missing = page.locator("section#missing")
    assert missing.get_by_text("知识库中没有教授这项技能的课程或证书。").count() >= 1
    assert page.get_by_role("heading", name="学习计划").is_visible()
    _shot(page, "path-510203-zh")
    page.emulate_media(media="print")
    assert not _visible(page, "header nav") and missing.is_visible()
    context.close()


def test_from_a_major_to_its_internships(server, browser) -> None:  # noqa: F811
    context, page = _page(browser, "zh-CN")
    page.goto(server + "/majors/520201")
    page.get_by_role("link", name="适合护理的实习岗位").click()
    page.wait_for_url("**/internships?major=520201")
    first = page.locator("ol.postings > li").first
    assert "护理实习生" in first.inner_text() or "Ward Nursing Intern" in first.inner_text()
    assert "postings/" in first.locator("cite").inner_text()
    page.get_by_label("显示岗位数").fill("1")
    page.get_by_role("button", name="查找岗位").click()
    page.wait_for_url("**/internships?*top=1*")
    assert page.locator("ol.postings > li").count() == 1
    _shot(page, "internships-520201-zh")
    context.close()
