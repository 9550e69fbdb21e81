"""The fixed points through the real command: ``careerbot web --host --port --workers`` over
CAREERBOT_DATA_DIR; and ``careerbot tokens`` to make, list and revoke tokens."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from bot.cli import app as cli

CAREERBOT = str(Path(sys.executable).with_name("careerbot"))


@pytest.mark.slow
def test_careerbot_web_serves_the_fixed_points_with_two_workers(web_kb) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "CAREERBOT_DATA_DIR": str(web_kb.settings.store.data_dir)}
    server = subprocess.Popen([CAREERBOT, "web", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"careerbot web did not start: {server.communicate()[0][-2000:]}")
            time.sleep(0.5)
        with httpx.Client(base_url=base, timeout=60) as client:
            major = client.get("/majors/510204")
            assert major.status_code == 200 and "数字媒体技术" in major.text
            matched = client.post("/match", data={"text": "SQL, Python and Power BI"})
            assert matched.status_code == 200 and '<ol class="ranked">' in matched.text
            answer = client.post("/api/ask", json={"question": "Which courses does 510204 teach?", "role": "student"})
            assert set(answer.json()) == {"answer", "grounded", "citations", "backend"}
            for path in ("/admin", "/admin/documents", "/admin/queue"):
                denied = client.get(path, follow_redirects=False)
                assert denied.status_code in (401, 403) or (
                    denied.status_code in (302, 303, 307) and "/login" in denied.headers["location"]), path
            assert client.get("/docs").status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_tokens_command_creates_lists_and_revokes(web_kb, monkeypatch) -> None:
    monkeypatch.setenv("CAREERBOT_DATA_DIR", str(web_kb.settings.store.data_dir))
    runner = CliRunner()
    made = runner.invoke(cli, ["tokens", "create", "hr-portal-cli", "--per-minute", "5", "--json"])
    assert made.exit_code == 0, made.output
    created = json.loads(made.output)
    assert created["token"].startswith("cbt_") and created["per_minute"] == 5
    listed = runner.invoke(cli, ["tokens", "list", "--json"])
    rows = {r["name"]: r for r in json.loads(listed.output)}
    assert rows["hr-portal-cli"]["revoked"] is False and "token" not in rows["hr-portal-cli"]
    assert created["token"] not in listed.output
    assert runner.invoke(cli, ["tokens", "revoke", "hr-portal-cli"]).exit_code == 0
    again = runner.invoke(cli, ["tokens", "revoke", "hr-portal-cli"])
    assert again.exit_code == 2 and "no active token" in again.output
    bad = runner.invoke(cli, ["tokens", "create", "x", "--scope", "root"])
    assert bad.exit_code == 2 and "valid scopes: api, admin" in bad.output
