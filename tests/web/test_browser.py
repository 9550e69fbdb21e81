"""The main flows in a real browser: Debian's chromium driven by Playwright against a real
uvicorn server on 127.0.0.1 — find a major, match a pasted job, download a gap report, log
in and upload — in both languages, with screenshots checked for rendered Chinese text."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.store.base import KnowledgeBase

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(os.environ.get("CAREERBOT_TEST_SCREENSHOTS", "/tmp/careerbot-web-screenshots"))


def _need_browser() -> None:
    problem = None
    if not Path(CHROMIUM).exists():
        problem = f"{CHROMIUM} is missing (apt-get install -y chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "Playwright for Python is not installed (pip install -e '.[dev]')"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"{problem} — CI must run the browser tests")
        pytest.skip(problem)


@pytest.fixture(scope="module")
def server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The app under a real uvicorn server in a thread, on a free port of 127.0.0.1."""
    import uvicorn

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _page(browser, locale: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale=locale, accept_downloads=True,
                                  viewport={"width": 1200, "height": 900})
    return context, context.new_page()


def _shot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _assert_chinese_rendered(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    """The Chinese text of an element on the page is drawn as glyphs, not boxes: the CJK face
    loaded, the text looks the same when laid out anew (not drawn before the font came and left
    so), and different once its Chinese characters become private-use code points (boxes in
    every font)."""
    loaded = page.evaluate("""async () => { await document.fonts.ready;
        return [...document.fonts].filter(f => f.family.includes('careerbot CJK')).map(f => f.status); }""")
    assert "loaded" in loaded, loaded
    element = page.locator(selector).first
    text = element.inner_text()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
    chinese = element.screenshot()
    # Text shaped before the font arrived and never redrawn differs from the same text set anew.
    element.evaluate("e => { e.innerHTML = e.innerHTML; }")
    assert element.screenshot() == chinese, f"{selector} ({text!r}) was not redrawn with the CJK font"
    element.evaluate(r"""e => { const walk = document.createTreeWalker(e, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode())
            n.data = [...n.data].map(c => /[\u3000-\u9fff\uff00-\uffef]/.test(c) ? '\ue000' : c).join(''); }""")
    boxes = element.screenshot()
    assert chinese != boxes, f"{selector} ({text!r}) renders as boxes"


def test_find_a_major_in_chinese_with_the_keyboard(server, browser) -> None:
    context, page = _page(browser, "zh-CN")
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    _assert_chinese_rendered(page, "header nav a")  # the first Chinese text of the first page
    page.reload()
    page.keyboard.press("Tab")  # the first stop is the skip link
    assert page.evaluate("document.activeElement.className") == "skip"
    page.get_by_label("按专业代码或名称搜索").fill("数字媒体")
    page.keyboard.press("Enter")
    page.wait_for_url("**/majors/510204")
    assert page.locator("h1").inner_text() == "510204 数字媒体技术"
    assert page.get_by_role("heading", name="毕业生能力画像").is_visible()
    shot = _shot(page, "major-510204-zh")
    assert shot.stat().st_size > 20_000
    _assert_chinese_rendered(page, "h1")
    _assert_chinese_rendered(page, "table.bars th")
    page.goto(server + "/majors")
    _assert_chinese_rendered(page, "select#level")  # form controls do not inherit the font by default
    context.close()


def test_find_a_major_in_english_by_its_english_name(server, browser) -> None:
    context, page = _page(browser, "en-GB")
    page.goto(server + "/majors")
    page.get_by_label("Search majors by code or name").fill("big data")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/majors/510205")
    assert "Big Data Technology" in page.locator("h1").inner_text()
    page.get_by_role("link", name="中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    context.close()


def test_match_a_pasted_job(server, browser) -> None:
    context, page = _page(browser, "zh-CN")
    page.goto(server + "/match")
    page.get_by_label("岗位描述").fill("招聘数据分析师：熟悉 SQL 和 Python，会用 Power BI 做数据可视化。")
    page.get_by_role("button", name="匹配专业").click()
    page.wait_for_selector("ol.ranked")
    assert page.locator("mark.skill").count() >= 3
    assert "510205" in page.locator("ol.ranked > li").first.inner_text()
    _shot(page, "match-zh")
    context.close()


def test_download_a_gap_report(server, browser, tmp_path: Path) -> None:
    context, page = _page(browser, "zh-CN")
    page.goto(server + "/gap")
    page.get_by_label("专业").fill("510204")
    page.get_by_label("Xinghe", exact=False).first.check()
    page.get_by_role("button", name="生成报告").first.click()
    page.wait_for_selector("table.gap")
    assert page.locator("table.gap tbody tr").count() >= 1
    _shot(page, "gap-510204-zh")
    _assert_chinese_rendered(page, "figure.chart figcaption")
    _assert_chinese_rendered(page, "table.gap td.status")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    target = tmp_path / "gap.csv"
    download.value.save_as(target)
    text = target.read_text(encoding="utf-8-sig")
    assert text.startswith("skill,skill_zh,status,demand")
    context.close()


def test_log_in_and_upload(server, browser, web_kb: KnowledgeBase, tmp_path: Path) -> None:
    from knowledge.ops.tokens import create_token

    _, key = create_token(web_kb, "browser-curator", scope="admin")
    upload = tmp_path / "devops_engineer.md"
    upload.write_text("# DevOps engineer\n\nLinux, Docker, Kubernetes, SQL.\n", encoding="utf-8")
    context, page = _page(browser, "en-US")
    page.goto(server + "/admin/documents")
    page.wait_for_url("**/login?next=/admin/documents")
    page.get_by_label("Access key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/documents")
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_label("Document type").select_option("enterprise_requirement")
    page.get_by_role("button", name="Upload").click()
    page.wait_for_selector("p[role=status]")
    assert "devops_engineer.md: stored" in page.locator("p[role=status]").inner_text()
    assert "devops_engineer.md" in page.locator("table.data").inner_text()
    _shot(page, "admin-upload-en")
    context.close()

