"""The JSON API: the CLI's objects, bearer tokens, admin scope, per-token rate limits."""

from __future__ import annotations

from knowledge.answering.assistant import Assistant
from knowledge.ops.tokens import create_token


def test_ask_returns_the_ask_json_object(client, web_kb) -> None:
    question = "数字媒体技术专业的核心课程有哪些？"
    got = client.post("/api/ask", json={"question": question, "role": "student"})
    assert got.status_code == 200
    expected = Assistant(web_kb).ask(question, role="student").as_json()
    assert got.json() == expected
    assert set(got.json()) == {"answer", "grounded", "citations", "backend"}
    assert set(got.json()["citations"][0]) == {"source", "title", "doc_type", "locator", "score"}


def test_ask_rejects_a_bad_role_and_an_empty_question(client) -> None:
    assert client.post("/api/ask", json={"question": "x", "role": "pirate"}).status_code == 400
    assert client.post("/api/ask", json={"question": ""}).status_code == 422


def test_skills_endpoints_return_the_cli_objects(client) -> None:
    profile = client.get("/api/majors/510204").json()
    assert profile["major"]["code"] == "510204" and profile["skills"]
    matched = client.post("/api/skills/match", json={"text": "SQL and Python for data analysis"}).json()
    assert matched["majors"][0]["code"] == "510205"
    extracted = client.post("/api/skills/extract", json={"text": "熟悉 SQL"}).json()
    spans = [m for s in extracted["skills"] for m in s["mentions"]]
    assert any("熟悉 SQL"[m["start"]:m["end"]] == m["text"] for m in spans)
    gap = client.post("/api/skills/gap", json={"major": "510204",
                                               "requirements": {"jd.md": "用户界面设计, SQL"}}).json()
    assert gap["major"]["code"] == "510204" and gap["summary"]["required_skills"] >= 1
    majors = client.get("/api/majors", params={"q": "big data"}).json()
    assert majors["total"] == 1 and majors["items"][0]["code"] == "510205"


def test_documents_need_an_admin_token(client, web_kb) -> None:
    assert client.get("/api/documents").status_code == 401
    assert client.get("/api/documents", headers={"Authorization": "Bearer cbt_nope"}).status_code == 401
    _, reader = create_token(web_kb, "reader", scope="api")
    assert client.get("/api/documents", headers={"Authorization": f"Bearer {reader}"}).status_code == 403
    _, admin = create_token(web_kb, "api-admin", scope="admin")
    listed = client.get("/api/documents", headers={"Authorization": f"Bearer {admin}"}).json()
    assert listed["total"] >= 8 and "path" not in listed["items"][0]


def test_upload_through_the_api_is_ingested(client, web_kb) -> None:
    _, admin = create_token(web_kb, "uploader", scope="admin")
    auth = {"Authorization": f"Bearer {admin}"}
    sent = client.post("/api/documents", headers=auth, data={"type": "enterprise_requirement"},
                       files={"file": ("qa_engineer.md", b"# QA engineer\n\nSelenium, SQL, Linux.")})
    assert sent.status_code == 201, sent.text
    assert sent.json()["status"] == "stored" and sent.json()["chunks"] >= 1
    listed = client.get("/api/documents", headers=auth, params={"q": "qa_engineer"}).json()
    assert listed["total"] == 1
    refused = client.post("/api/documents", headers=auth, files={"file": ("x.md", b"")})
    assert refused.status_code == 400


def test_rate_limit_is_per_token(client, web_kb) -> None:
    _, slow = create_token(web_kb, "slow", per_minute=2)
    _, other = create_token(web_kb, "other", per_minute=2)
    codes = [client.get("/api/majors", headers={"Authorization": f"Bearer {slow}"}).status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]
    limited = client.get("/api/majors", headers={"Authorization": f"Bearer {slow}"})
    assert int(limited.headers["Retry-After"]) >= 1
    assert client.get("/api/majors", headers={"Authorization": f"Bearer {other}"}).status_code == 200


def test_tokens_are_stored_hashed(web_kb) -> None:
    # Read through SQL, not by opening the file: closing any descriptor of a SQLite file drops
    # the POSIX locks this process's connections hold on it (and lets another writer corrupt it).
    import hashlib

    from sqlalchemy import select

    from knowledge.store.models import ApiToken

    info, secret = create_token(web_kb, "hashed")
    with web_kb.db.session() as s:
        row = s.get(ApiToken, info.id)
        stored = [str(v) for r in s.scalars(select(ApiToken)) for v in vars(r).values()]
    assert row is not None and row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert not any(secret in value for value in stored)


def test_an_invalid_api_request_says_what_is_wrong_without_echoing_it(client) -> None:
    sent = "x" * 20_000
    response = client.post("/api/ask", json={"question": sent})
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"error"} and "question" in body["error"] and "4000" in body["error"]
    assert sent[:100] not in response.text and len(response.text) < 1_000
