"""Commands of the screening service: ``serve``, ``keys create|list|revoke`` and
``screenings export``. Registered on the main app by :func:`register`."""

from __future__ import annotations

import json
import os
import sys

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

keys_app = typer.Typer(help="API keys of the screening service: create, list, revoke.", no_args_is_help=True)
screenings_app = typer.Typer(help="The screening record: export it.", no_args_is_help=True)

console = Console()
err = Console(stderr=True)


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def serve(
    host: str | None = typer.Option(None, help="Address to listen on (default 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port to listen on (default 8000)."),
    workers: int | None = typer.Option(None, help="Worker processes (default 1); each holds the index."),
    no_auth: bool = typer.Option(
        False, "--no-auth", help="DEVELOPMENT ONLY: no API keys, every caller is admin."
    ),
    access_log: bool = typer.Option(False, "--access-log", help="Log every request line (never the keys)."),
) -> None:
    """Run the screening service (FastAPI under uvicorn; OpenAPI docs at /docs).

    Zero configuration: the bundled lists and the SQLite store under PROSCRIBE_HOME. Settings
    come from $PROSCRIBE_HOME/service.toml (or PROSCRIBE_SERVICE_CONFIG), then PROSCRIBE_*
    environment variables, then these flags."""
    import uvicorn

    from proscribe.api.config import ServiceSettings
    from proscribe.cli import ensure_store

    try:
        config = ServiceSettings.load(
            host=host, port=port, workers=workers, no_auth=True if no_auth else None
        )
    except ValueError as exc:
        _fail(str(exc))
    if config.workers < 1:
        _fail("--workers must be at least 1")
    if config.no_auth and config.host not in ("127.0.0.1", "localhost", "::1"):
        _fail(f"--no-auth is for local development only: it listens on loopback, not on {config.host}")
    if config.no_auth:
        err.print(
            "[bold red on white] WARNING [/] [bold red]--no-auth: authentication is OFF. Every caller is an "
            "admin. For local development only; never expose this service.[/]"
        )
    ensure_store()
    from proscribe.screen import get_index

    with err.status("Loading the screening index"):
        get_index(refresh=True)  # built and persisted once here, so the workers only load it
    os.environ.update(config.to_env())
    err.print(
        f"proscribe screening service on http://{config.host}:{config.port} "
        f"({config.workers} worker(s)); docs at /docs"
    )
    uvicorn.run(
        "proscribe.api.app:create_app_from_env",
        factory=True,
        host=config.host,
        port=config.port,
        workers=config.workers if config.workers > 1 else None,
        access_log=access_log,
        log_level="info",
        timeout_graceful_shutdown=30,
        backlog=4096,
        limit_concurrency=config.max_concurrency,  # beyond it, 503 at once rather than a pile-up
    )


@keys_app.command("create")
def keys_create(
    role: str = typer.Option(..., "--role", help="screener | analyst | admin"),
    name: str = typer.Option("", "--name", help="The key's name (unique), e.g. alice-laptop."),
    user: str | None = typer.Option(
        None, "--user", help="The user (person) the key belongs to (default: the user named like the key)."
    ),
    rate_limit: float | None = typer.Option(
        None, "--rate-limit", help="Requests per second, 1/60 to 10000 (default: the service's)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the key as JSON."),
) -> None:
    """Create an API key for a user. The key is printed once and is never stored or shown again."""
    import secrets

    from proscribe.api import auth
    from proscribe.cli_cases import acting

    who = acting("admin", "keys create")  # recorded as the key's minter, for four-eyes
    if not name:
        name = f"{user or role + ' key'} {secrets.token_hex(3)}"
    try:
        created = auth.create_key(name, role, rate_limit=rate_limit, user=user, actor=who)
    except ValueError as exc:
        _fail(str(exc))
    if as_json:
        sys.stdout.write(json.dumps(created.__dict__) + "\n")
        return
    err.print(
        f"created {created.role} key [bold]{created.id}[/] ({escape(created.name)}) for user "
        f"{escape(created.user or '')}. "
        "Copy it now: it is shown this once."
    )
    sys.stdout.write(created.key + "\n")


@keys_app.command("list")
def keys_list(as_json: bool = typer.Option(False, "--json", help="One JSON object a line.")) -> None:
    """Every key: id, name, role, created, revoked (never the secret)."""
    from proscribe.api import auth

    if as_json:
        for key in auth.list_keys():
            sys.stdout.write(json.dumps(key) + "\n")
        return
    table = Table("id", "name", "user", "role", "created", "revoked", "rate limit/s")
    table.columns[0].no_wrap = True
    for key in auth.list_keys():
        table.add_row(
            key["id"],
            escape(key["name"]),
            escape(key["user"] or ""),
            key["role"],
            key["created_at"],
            key["revoked_at"] or "",
            "" if key["rate_limit"] is None else f"{key['rate_limit']:g}",
        )
    console.print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: str = typer.Argument(..., help="The key id (the part after psk_).")) -> None:
    """Revoke a key; a running service refuses it within seconds."""
    from proscribe.api import auth
    from proscribe.cli_cases import acting

    if not auth.revoke_key(key_id, actor=acting("admin", "keys revoke")):
        _fail(f"no active key {key_id!r}")
    err.print(f"revoked key {key_id}; a running service refuses it within key_cache_s (2 s by default)")


@screenings_app.command("export")
def screenings_export(
    since: str | None = typer.Option(
        None, "--since", help="ISO date or timestamp (UTC); default: everything."
    ),
    output: str | None = typer.Option(None, "--output", "-o", help="File to write (default stdout)."),
) -> None:
    """Export screening records as JSON lines, oldest first."""
    from proscribe.api.records import export_screenings
    from proscribe.sources.base import parse_date
    from proscribe.store.db import connect

    if since is not None and not parse_date(since[:10]):
        _fail(f"--since {since!r} is not an ISO date or timestamp")
    out = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    count = 0
    try:
        for record in export_screenings(connect(), since):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    finally:
        if output:
            out.close()
    err.print(f"exported {count} screening record(s)")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(keys_app, name="keys")
    app.add_typer(screenings_app, name="screenings")
