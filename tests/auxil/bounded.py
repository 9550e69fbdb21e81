"""Run a snippet in a child process with a time bound: how the attack tests tell a runaway
(quadratic or worse) from a busy machine without timing anything themselves."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT


def run_bounded(code: str, bound: float, what: str) -> None:
    """Run ``code`` with this interpreter in the project root; fail the test when it runs past
    ``bound`` seconds (naming ``what``) or exits with an error (showing its stderr)."""
    try:
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                              timeout=bound)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{what} ran for over {bound} s")
    assert done.returncode == 0, done.stderr
