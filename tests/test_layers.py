"""Dependencies point one way: prompts <- knowledge <- ingest <- bot; telegram only in bot."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "prompts": {"knowledge", "ingest", "bot"},
    "knowledge": {"ingest", "bot"},
    "ingest": {"bot"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_downward(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        bad = imported_roots(path) & FORBIDDEN[package]
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_telegram_is_imported_only_under_bot() -> None:
    for package in ("prompts", "knowledge", "ingest"):
        for path in (ROOT / package).rglob("*.py"):
            assert "telegram" not in imported_roots(path), path
