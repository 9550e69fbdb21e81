"""The admin area: login with an access key, CSRF on every form, upload, the work queue."""

from __future__ import annotations

import pytest

from knowledge.ops.tokens import create_token, revoke_token
from tests.web.conftest import csrf_of, login


@pytest.mark.parametrize("path", ["/admin", "/admin/documents", "/admin/queue", "/admin/anything"])
def test_admin_without_a_session_goes_to_the_login(client, path) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code in (303, 401, 403, 404)
    if response.status_code == 303:
        assert response.headers["location"].startswith("/login")


def test_unknown_admin_path_still_needs_a_session(client, admin_key) -> None:
    # FastAPI answers unknown paths with 404 before any dependency runs; a session changes nothing.
    assert client.get("/admin/anything", follow_redirects=False).status_code == 404


def test_login_needs_csrf_and_a_valid_admin_key(client, web_kb) -> None:
    page = client.get("/login")
    token = csrf_of(page.text)
    _, reader = create_token(web_kb, "not-admin", scope="api")
    _, admin = create_token(web_kb, "admin-login", scope="admin")
    assert client.post("/login", data={"key": admin}, follow_redirects=False).status_code == 403
    assert client.post("/login", data={"key": reader, "csrf": token}).status_code == 401
    done = client.post("/login", data={"key": admin, "csrf": token, "next": "//evil.example/"},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/admin"
    assert client.get("/admin/documents").status_code == 200


def test_a_tampered_session_is_no_session(client, admin_key) -> None:
    login(client, admin_key)
    cookie = client.cookies.get("careerbot_session")
    body, _, mac = cookie.rpartition(".")
    client.cookies.clear()
    client.cookies.set("careerbot_session", body + "." + ("0" if mac[0] != "0" else "1") + mac[1:])
    assert client.get("/admin/documents", follow_redirects=False).status_code == 303


def test_revoking_the_key_ends_the_session(client, web_kb) -> None:
    info, key = create_token(web_kb, "leaving", scope="admin")
    login(client, key)
    assert client.get("/admin/documents", follow_redirects=False).status_code == 200
    revoke_token(web_kb, str(info.id))
    assert client.get("/admin/documents", follow_redirects=False).status_code == 303


def test_upload_needs_csrf_and_lands_in_the_documents(client, admin_key) -> None:
    login(client, admin_key)
    page = client.get("/admin/documents")
    files = {"file": ("frontend_dev.md", "# Front-end developer\n\nJavaScript, CSS, 用户界面设计。".encode())}
    assert client.post("/admin/upload", files=files, data={"doc_type": "enterprise_requirement"}).status_code == 403
    done = client.post("/admin/upload", files=files,
                       data={"doc_type": "enterprise_requirement", "csrf": csrf_of(page.text)})
    assert done.status_code == 200 and "frontend_dev.md: stored" in done.text
    listing = client.get("/admin/documents", params={"q": "frontend_dev"})
    assert "enterprise_requirement" in listing.text and "1 documents" in listing.text


def test_work_queue_lists_unanswered_and_can_be_marked_done(client, admin_key) -> None:
    question = "What is the canteen menu on Mondays?"
    answer = client.post("/api/ask", json={"question": question}).json()
    assert answer["grounded"] is False
    login(client, admin_key)
    queue = client.get("/admin/queue")
    assert question in queue.text
    turn = queue.text.split(question, 1)[1].split('action="/admin/queue/', 1)[1].split('"', 1)[0]
    assert client.post(f"/admin/queue/{turn}", data={"action": "done"}).status_code == 403
    client.post(f"/admin/queue/{turn}", data={"action": "done", "csrf": csrf_of(queue.text)})
    assert question not in client.get("/admin/queue").text
    assert question in client.get("/admin/queue", params={"done": "true"}).text


def test_logout_needs_csrf_and_ends_the_session(client, admin_key) -> None:
    login(client, admin_key)
    page = client.get("/admin/documents")
    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert client.post("/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False).status_code == 303
    assert client.get("/admin/documents", follow_redirects=False).status_code == 303
