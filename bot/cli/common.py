"""What every command shares: consoles, the settings (built once per invocation), the
knowledge base, and the one error boundary that turns user-facing errors into messages."""

from __future__ import annotations

import json
from contextvars import ContextVar
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from knowledge.config import Settings
from knowledge.errors import UserFacingError
from knowledge.store.base import KnowledgeBase

console = Console()
err = Console(stderr=True)


class Runtime:
    """Settings and knowledge base of one ``careerbot`` invocation, made on first use."""

    def __init__(self) -> None:
        self._settings: Settings | None = None
        self._kb: KnowledgeBase | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from knowledge.ops.logs import configure

            self._settings = Settings()
            configure(self._settings)
        return self._settings

    @property
    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            self._kb = KnowledgeBase(self.settings)
        return self._kb


_RUNTIME: ContextVar[Runtime | None] = ContextVar("careerbot_runtime", default=None)


def runtime() -> Runtime:
    """The current invocation's runtime (set by ``CareerbotGroup``)."""
    current = _RUNTIME.get()
    if current is None:
        current = Runtime()
        _RUNTIME.set(current)
    return current


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print an error line; the caller raises what this returns."""
    err.print(f"[red]error:[/] {escape(message)}", highlight=False)
    return typer.Exit(code)


class CareerbotGroup(TyperGroup):
    """The one error boundary: a ``UserFacingError`` from any command becomes an error line
    and exit code 2; anything else is a bug and keeps its traceback."""

    def invoke(self, ctx: Any) -> Any:
        token = _RUNTIME.set(Runtime())
        try:
            return super().invoke(ctx)
        except UserFacingError as exc:
            raise fail(str(exc)) from None
        finally:
            current = _RUNTIME.get()
            if current is not None and current._kb is not None:
                current._kb.close()
            _RUNTIME.reset(token)


def print_json(data: object) -> None:
    """One JSON document on stdout (Chinese kept readable)."""
    print(json.dumps(data, ensure_ascii=False, default=str), flush=True)
