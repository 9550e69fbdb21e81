"""A developer's exported keys never reach the tests (they would send traffic to real APIs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_private_variables_are_cleared_for_every_test(tmp_path: Path) -> None:
    probe = tmp_path / "test_probe.py"
    probe.write_text(
        "import os, subprocess, sys\n"
        "def test_probe():\n"
        "    leaked = [n for n in os.environ if n.startswith(('OPENAI_', 'TELEGRAM_', 'CAREERBOT_'))\n"
        "              and not n.startswith('CAREERBOT_TEST_')]\n"
        "    child = subprocess.run([sys.executable, '-c', 'import os; print(os.environ.get(\"OPENAI_API_KEY\"))'],\n"
        "                           capture_output=True, text=True).stdout.strip()\n"
        "    assert leaked == [] and child == 'None', (leaked, child)\n"
        "    assert os.environ.get('CAREERBOT_TEST_MARK') == 'kept'\n", encoding="utf-8")
    env = {**os.environ, "OPENAI_API_KEY": "sk-developers-own", "TELEGRAM_BOT_TOKEN": "1:AA",
           "CAREERBOT_DATA_DIR": str(tmp_path / "home"), "CAREERBOT_TEST_MARK": "kept"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "tests.conftest", "-p",
                           "no:cacheprovider", str(probe)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
