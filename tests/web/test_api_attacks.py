"""Hostile API requests get a short, clear error that does not repeat them: an oversized gap
request (a megabyte of major name, hundreds of requirement texts) is refused up front instead
of costing minutes or a 500 from SQLite, and a client-chosen key is not echoed by a 422."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_gap_request_is_bounded(client: TestClient) -> None:
    huge_major = client.post("/api/skills/gap", json={"major": "x" * 1_000_000, "requirements": {"a": "SQL"}})
    assert huge_major.status_code == 422 and len(huge_major.text) < 500, huge_major.text[:300]
    many = {str(n): "熟悉Python、SQL" for n in range(500)}
    assert client.post("/api/skills/gap", json={"major": "510204", "requirements": many}).status_code == 422
    long_text = {"a": "SQL " * 20_000}
    assert client.post("/api/skills/gap", json={"major": "510204", "requirements": long_text}).status_code == 422
    fine = client.post("/api/skills/gap", json={"major": "510204", "requirements": {"jd": "熟悉Python、SQL"}})
    assert fine.status_code == 200, fine.text


def test_a_long_major_name_is_a_clear_error_not_a_500(client: TestClient) -> None:
    # The HTML page and the engine behind every interface: SQLite's LIKE fails over 50,000 bytes.
    page = client.get("/gap", params={"major": "x" * 60_000, "text": "SQL"})
    assert page.status_code in (400, 404) and "at most 200 characters" in page.text


def test_validation_error_does_not_echo_client_keys(client: TestClient) -> None:
    response = client.post("/api/skills/gap",
                           json={"major": "510204", "requirements": {"<script>SECRET</script>": 5}})
    assert response.status_code == 422
    assert "SECRET" not in response.text and response.json()["error"].startswith("requirements.[key]:")
