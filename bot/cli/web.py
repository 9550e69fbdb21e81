"""``careerbot web`` (the web console and REST API) and ``careerbot tokens`` (the API's
bearer tokens and the console's admin access keys, stored hashed)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.common import console, print_json, runtime

tokens_app = typer.Typer(help="Bearer tokens for the web API and admin access keys for the web console.")


def web(
    host: Annotated[str, typer.Option("--host", help="address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port to listen on")] = 8000,
    workers: Annotated[int, typer.Option("--workers", help="worker processes")] = 1,
    anonymous_per_minute: Annotated[int, typer.Option(
        "--anonymous-per-minute", help="API requests a minute per address without a token")] = 30,
    pages_per_minute: Annotated[int, typer.Option(
        "--pages-per-minute", help="searching pages (ask, match, gap, path …) a minute per address")] = 60,
    forwarded_allow_ips: Annotated[str | None, typer.Option(
        "--forwarded-allow-ips", help="proxies trusted for X-Forwarded-For/-Proto, e.g. 127.0.0.1")] = None,
) -> None:
    """Serve the web console and REST API (OpenAPI schema at /docs) over CAREERBOT_DATA_DIR."""
    from bot.web.deps import WebOptions
    from bot.web.server import serve

    settings = runtime().settings
    runtime().kb.db  # noqa: B018 -- migrate once here, not in every worker at the same moment
    console.print(f"careerbot web on http://{host}:{port} (data: {escape(str(settings.store.data_dir))}, "
                  f"{workers} worker{'s' if workers != 1 else ''})", highlight=False)
    serve(settings, host=host, port=port, workers=workers, forwarded_allow_ips=forwarded_allow_ips,
          options=WebOptions(anonymous_per_minute=anonymous_per_minute, pages_per_minute=pages_per_minute))


@tokens_app.command("create")
def tokens_create(
    name: Annotated[str, typer.Argument(help="who or what uses the token")],
    scope: Annotated[str, typer.Option("--scope", help="api (read and ask) or admin (also documents "
                                                       "and the console's admin pages)")] = "api",
    per_minute: Annotated[int, typer.Option("--per-minute", help="requests a minute")] = 60,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Make a token; it is printed once and only its hash is stored."""
    from knowledge.ops.tokens import create_token

    info, secret = create_token(runtime().kb, name, scope=scope, per_minute=per_minute)
    if as_json:
        print_json({"id": info.id, "name": info.name, "scope": info.scope,
                    "per_minute": info.per_minute, "token": secret})
        return
    console.print(f"token {info.id} ({escape(info.name)}, {info.scope}, {info.per_minute}/min) — "
                  "shown once, store it now:", highlight=False)
    print(secret, flush=True)


@tokens_app.command("list")
def tokens_list(as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False) -> None:
    """Tokens with their scope, rate and last use (never the secrets)."""
    from knowledge.ops.tokens import list_tokens

    rows = list_tokens(runtime().kb)
    if as_json:
        print_json([{"id": r.id, "name": r.name, "scope": r.scope, "per_minute": r.per_minute,
                     "created_at": r.created_at, "last_used_at": r.last_used_at, "revoked": r.revoked}
                    for r in rows])
        return
    table = Table(title="tokens")
    for column in ("id", "name", "scope", "per minute", "last used", "state"):
        table.add_column(column)
    for r in rows:
        table.add_row(str(r.id), escape(r.name), r.scope, str(r.per_minute),
                      r.last_used_at.strftime("%Y-%m-%d %H:%M") if r.last_used_at else "-",
                      "revoked" if r.revoked else "active")
    console.print(table)


@tokens_app.command("revoke")
def tokens_revoke(ident: Annotated[str, typer.Argument(help="the token's id or name")]) -> None:
    """Revoke a token at once: API calls and console sessions made with it stop working."""
    from knowledge.ops.tokens import revoke_token

    info = revoke_token(runtime().kb, ident)
    console.print(f"revoked token {info.id} ({escape(info.name)})", highlight=False)
