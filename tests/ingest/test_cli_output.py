"""``careerbot ingest`` prints what files are called and what they say as text, never as markup."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.auxil import files

HOSTILE_NAMES = ("[/red].md", "[bold]x[/].md", "[link=file:///etc]y.txt")


def _ingest(tmp_path: Path, root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CAREERBOT_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "1000"}
    return subprocess.run([sys.executable, "-m", "bot.cli", "ingest", str(root), *extra],
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "table"])
def test_file_names_with_rich_markup_do_not_kill_the_ingest(tmp_path: Path, as_json: bool) -> None:
    root = tmp_path / "docs"
    files.write(root / HOSTILE_NAMES[0], b"")  # fails: its name is in the error line
    files.write(root / HOSTILE_NAMES[1], "# Markup\n\nA file whose name looks like markup.\n")
    files.write(root / HOSTILE_NAMES[2], "Plain text about careers.\n")
    (root / "[red]link.md").symlink_to(files.write(tmp_path / "out" / "s.md", "# S\n\nsecret\n"))
    proc = _ingest(tmp_path, root, *(["--json"] if as_json else []))
    assert "Traceback" not in proc.stderr and "MarkupError" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, proc.stderr  # one file failed; the others went in
    if as_json:
        summary = json.loads(proc.stdout)
        assert summary["new"] == 2 and summary["errors"][0]["source"] == HOSTILE_NAMES[0]
        assert summary["skipped_files"][0]["source"] == "[red]link.md"
    else:
        assert f"✗ {HOSTILE_NAMES[0]}" in proc.stdout, proc.stdout
        assert "↷ [red]link.md: a symbolic link" in proc.stdout, proc.stdout
