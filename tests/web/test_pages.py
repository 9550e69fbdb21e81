"""Pages a visitor uses: majors, a major's profile, matching a job, gap reports, questions."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

GAP = [("major", "510204"), ("doc", "enterprise/xinghe_ui_designer.docx"),
       ("doc", "enterprise/dataworks_data_analyst.md")]


def test_health_and_openapi_schema(client) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/ask", "/api/majors", "/api/majors/{code}", "/api/skills/match",
                 "/api/skills/gap", "/api/skills/extract", "/api/documents"):
        assert path in paths


def test_major_page_is_its_profile_with_evidence(client) -> None:
    page = client.get("/majors/510204")
    assert page.status_code == 200
    assert "<h1><span class=\"code\">510204</span> 数字媒体技术</h1>" in page.text
    assert "Core courses" in page.text  # skills grouped by where they are taught
    assert "majors/digital_media_technology.md" in page.text  # evidence names its source
    assert "<blockquote class=\"evidence\">" in page.text


def test_unknown_major_is_a_404_page(client) -> None:
    page = client.get("/majors/000000")
    assert page.status_code == 404
    assert "000000" in page.text and "<h1>Error</h1>" in page.text


def test_search_by_name_in_the_other_language_finds_the_major(client) -> None:
    found = client.get("/majors", params={"q": "digital media"}, follow_redirects=False)
    assert found.status_code == 303 and found.headers["location"] == "/majors/510204"
    listing = client.get("/majors", params={"q": "51020"})
    assert "510204" in listing.text and "510205" in listing.text
    assert "No major matches." in client.get("/majors", params={"q": "zzzz"}).text


def test_hand_edited_browse_parameters_are_defaults_not_errors(client) -> None:
    for query in ({"plans": "", "page": "2"}, {"page": "abc"}, {"plans": "true", "page": "-3"}):
        assert client.get("/majors", params=query).status_code == 200, query


def test_match_highlights_skills_and_ranks_majors(client) -> None:
    page = client.post("/match", data={"text": "Data analyst: SQL, Python and Power BI dashboards."})
    assert page.status_code == 200
    assert '<mark class="skill" title="' in page.text and ">SQL</mark>" in page.text
    ranked = page.text.split('<ol class="ranked">', 1)[1]
    assert ranked.index("510205") < ranked.index("</li>")  # Big Data Technology first


def test_match_without_known_skills_says_so(client) -> None:
    page = client.post("/match", data={"text": "Friendly, punctual, likes cats."})
    assert page.status_code == 200
    assert "No known skill was found" in page.text or 'class="skill unknown"' in page.text


def test_page_language_follows_the_browser_then_the_switch(client) -> None:
    zh = client.get("/majors", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert '<html lang="zh-CN">' in zh.text and "按专业代码或名称搜索" in zh.text
    en = client.get("/majors", params={"lang": "en"}, headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en">' in en.text and en.cookies.get("lang") == "en"


def test_gap_report_page_and_exports(client) -> None:
    page = client.get("/gap", params=GAP)
    assert page.status_code == 200
    assert "Most-demanded missing" in page.text or "missing" in page.text
    assert 'class="status covered"' in page.text or 'class="status missing"' in page.text

    exported = client.get("/gap/export.csv", params=GAP)
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["skill", "skill_zh", "status", "demand"]
    assert len(rows) > 2 and {r[2] for r in rows[1:]} <= {"covered", "partial", "missing"}

    book = load_workbook(io.BytesIO(client.get("/gap/export.xlsx", params=GAP).content))
    assert book["gap"]["A1"].value == "510204 数字媒体技术"
    assert book["gap"].max_row == len(rows) + 1

    report = client.get("/gap/export.html", params=GAP).text
    assert "Gap report: 510204" in report and "data:image/png;base64," in report


def test_gap_without_requirements_is_explained(client) -> None:
    page = client.post("/gap", data={"major": "510204"})
    assert page.status_code == 400
    assert "requirement" in page.text


def test_ask_page_cites_and_opens_the_quote(client) -> None:
    page = client.post("/ask", data={"question": "What are the core courses of Big Data Technology?"})
    assert page.status_code == 200
    assert '<ol class="citations">' in page.text and "<details>" in page.text
    assert "majors/big_data_technology.md" in page.text


def test_pages_have_labels_headings_and_a_skip_link(client) -> None:
    for path in ("/", "/majors", "/match", "/gap", "/ask", "/login"):
        html = client.get(path).text
        assert 'class="skip" href="#main"' in html and "<h1>" in html, path
        inputs = html.count("<input id=") + html.count("<textarea id=") + html.count("<select id=")
        assert html.count("<label for=") >= inputs, path


def test_no_asset_comes_from_another_site(client) -> None:
    for path in ("/", "/majors/510204", "/match"):
        html = client.get(path).text
        assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html, path
    assert client.get("/static/style.css").status_code == 200
    font = client.get("/fonts/cjk.otf")
    assert font.status_code == 200 and font.content[:4] == b"OTTO"


def test_match_and_gap_take_an_uploaded_file(client) -> None:
    job = "# 数据分析师\n\n熟悉 SQL 与 Python，能用 Power BI 做数据可视化。\n".encode()
    matched = client.post("/match", files={"file": ("jd.md", job, "text/markdown")}, data={"text": ""})
    assert matched.status_code == 200 and '<ol class="ranked">' in matched.text
    report = client.post("/gap", data={"major": "510204"}, files={"file": ("jd.md", job, "text/markdown")})
    assert report.status_code == 200 and 'class="data gap"' in report.text
    # The uploaded text rides along in the export forms, so the report downloads without re-uploading.
    exported = client.post("/gap/export.csv", data={"major": "510204", "text": job.decode()})
    assert exported.status_code == 200 and exported.content.decode("utf-8-sig").startswith("skill,")
    broken = client.post("/match", files={"file": ("jd.pdf", b"%PDF-1.4 not really", "application/pdf")})
    assert broken.status_code == 400 and "jd.pdf" in broken.text


def test_an_unexpected_error_is_a_500_page_with_the_security_headers(web_kb) -> None:
    from fastapi.testclient import TestClient

    from bot.web.app import create_app
    from bot.web.deps import WebOptions

    app = create_app(web_kb.settings, kb=web_kb, 
                      options=WebOptions(anonymous_per_minute=10_000, pages_per_minute=10_000))

    def boom() -> None:
        raise RuntimeError("secret-ish internal detail")

    app.add_api_route("/boom", boom)
    app.add_api_route("/api/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        for url in ("/boom", "/api/boom"):
            response = client.get(url)
            assert response.status_code == 500
            assert "Content-Security-Policy" in response.headers, url
            assert "X-Content-Type-Options" in response.headers, url
            assert "internal detail" not in response.text


def test_searching_pages_are_rate_limited_per_address(web_kb) -> None:
    from fastapi.testclient import TestClient

    from bot.web.app import create_app
    from bot.web.deps import WebOptions

    app = create_app(web_kb.settings, kb=web_kb, options=WebOptions(pages_per_minute=3))
    with TestClient(app, headers={"Accept-Language": "en"}, client=("203.0.113.9", 5000)) as client:
        answers = [client.get("/match", params={"skills": "Python"}).status_code for _ in range(3)]
        assert answers == [200, 200, 200]
        limited = client.get("/path", params={"major": "x"})
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
        assert "<html" in limited.text.lower() and "Content-Security-Policy" in limited.headers
        assert client.get("/majors").status_code == 200, "browsing is not charged"
