"""A long-running process keeps answering after another process ingests (two real
processes: ``careerbot chat`` open while ``careerbot ingest`` changes the store)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from tests.auxil import files

CLI = [sys.executable, "-c", "from bot.cli import main; main()"]


def _env(data: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items()
            if not k.startswith(("CAREERBOT_", "OPENAI_", "TELEGRAM_"))}
    return {**keep, "CAREERBOT_DATA_DIR": str(data), "COLUMNS": "200", "TERM": "dumb"}


class Chat:
    """``careerbot chat`` in a child process, spoken to line by line."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.proc = subprocess.Popen([*CLI, "chat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, env=env, cwd=cwd, bufsize=1)
        self.output: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)

    def ask(self, question: str, expect: str, timeout: float = 120) -> str:
        """Send a question; wait until ``expect`` or an error shows; return what came."""
        assert self.proc.stdin is not None
        start = len(self.output)
        self.proc.stdin.write(question + "\n")
        self.proc.stdin.flush()
        event = threading.Event()
        for _ in range(int(timeout * 10)):
            said = "".join(self.output[start:])
            if expect in said or "cannot" in said or self.proc.poll() is not None:
                break
            event.wait(0.1)
        event.wait(0.5)  # the rest of the answer
        return "".join(self.output[start:])

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.write("/quit\n")
            self.proc.stdin.flush()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def test_open_chat_answers_after_another_process_ingests(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    plan = docs / "plan.md"
    files.write(plan, "# Robotics plan\n\nCore course: Robot Kinematics (RB210), taught with ROS.\n\n"
                      "Internship: six weeks at an automation workshop.\n")
    for n in range(30):  # enough vectors that a stale index points at ids that are gone
        files.write(docs / f"note{n}.md", f"# Note {n}\n\nWorkshop note {n} about lathe safety rule {n}.\n")
    env = _env(tmp_path / "data")
    ingest = subprocess.run([*CLI, "ingest", str(docs)], env=env, cwd=tmp_path, capture_output=True,
                            text=True, timeout=300)
    assert ingest.returncode == 0, ingest.stderr

    chat = Chat(env, tmp_path)
    try:
        first = chat.ask("Which course teaches robot kinematics?", "RB210")
        assert "RB210" in first, first

        files.write(plan, "# Robotics plan\n\nCore course: Machine Vision (MV330), taught with OpenCV.\n\n"
                          "Internship: six weeks at an automation workshop.\n")
        for n in range(0, 30, 2):
            (docs / f"note{n}.md").unlink()
        again = subprocess.run([*CLI, "ingest", str(docs), "--full"], env=env, cwd=tmp_path,
                               capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr

        second = chat.ask("Which course teaches machine vision?", "MV330")
        assert "MV330" in second, second
        assert "cannot" not in second and "Error finding id" not in second, second
        third = chat.ask("What are the workshop notes about lathe safety?", "lathe")
        assert "cannot" not in third, third
    finally:
        chat.close()
