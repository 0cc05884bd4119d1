"""CLI for the customer book, monitoring, cases and the audit trail:

    proscribe book import FILE [--format jsonl|csv|parquet]     proscribe book screen
    proscribe monitor run [--full] [--workers N]                proscribe monitor status
    proscribe cases list|show|assign|escalate|close|approve|release|user|goodguys
    proscribe audit verify [--file EXPORT] | verify-export EXPORT | export OUTPUT [--format jsonl|csv] | purge

Who acts is an authenticated principal (:mod:`proscribe.cases.principal`): the user of the key in
``PROSCRIBE_API_KEY``, else the OS login mapped in ``$PROSCRIBE_HOME/os_users.toml``; never a
name given on the command line (``--as`` is gone and exits 2). Each command needs the role the
matching API route needs. Errors print one clear line and exit non-zero; a conflict (someone
else changed the case) exits with code 3.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

book_app = typer.Typer(
    help="The customer book: import customers and counterparties, screen them all.", no_args_is_help=True
)
monitor_app = typer.Typer(
    help="Ongoing monitoring: re-screen what a list or book change can affect.", no_args_is_help=True
)
cases_app = typer.Typer(
    help="Alerts and cases: review, assign, close, approve (four-eyes).", no_args_is_help=True
)
audit_app = typer.Typer(
    help="The hash-chained audit trail: verify, export for examiners, retention.", no_args_is_help=True
)

console = Console()
err = Console(stderr=True)

#: ``--as NAME`` is refused (exit 2): a name typed in a flag is no proof of who acts.
GONE_AS = typer.Option(None, "--as", hidden=True, help="Removed: the CLI acts as an authenticated principal.")


def register(app: typer.Typer) -> None:
    app.add_typer(book_app, name="book")
    app.add_typer(monitor_app, name="monitor")
    app.add_typer(cases_app, name="cases")
    app.add_typer(audit_app, name="audit")


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def acting(needed: str, action: str, gone_as: str | None = None):
    """The authenticated principal's actor, when its role reaches ``needed`` (the role of the API
    route that does the same); otherwise one clear line and exit 1 (exit 2 for ``--as``)."""
    from proscribe.cases.principal import PrincipalError, current

    if gone_as is not None:
        fail(
            "--as is gone: the CLI acts as the user of PROSCRIBE_API_KEY, or as your OS login mapped "
            "to a proscribe user in $PROSCRIBE_HOME/os_users.toml (docs/service-workflow.md)",
            code=2,
        )
    try:
        return current().require(needed, action)
    except PrincipalError as exc:
        fail(str(exc))


def _case_errors(func):
    from proscribe.cases.alerts import CaseError, ConflictError

    try:
        return func()
    except ConflictError as exc:
        fail(f"conflict: {exc}", code=3)
    except CaseError as exc:
        fail(str(exc))


# -- book -----------------------------------------------------------------------------------------


@book_app.command("import")
def book_import(
    path: Path = typer.Argument(..., help="Customers: JSON lines, CSV (header row) or Parquet."),
    fmt: str | None = typer.Option(None, "--format", help="jsonl, csv or parquet (default: by extension)."),
    replace: bool = typer.Option(
        False, "--replace", help="The file is the whole book: customers not in it are offboarded."
    ),
    gone_as: str | None = GONE_AS,
) -> None:
    """Import (or update) customers and counterparties: new records added, changed ones revised."""
    from proscribe.cases.book import BookFormatError, import_book

    who = acting("admin", "book import", gone_as)
    try:
        result = import_book(path, fmt=fmt, replace=replace, actor=who.name)
    except BookFormatError as exc:
        fail(str(exc))
    console.print(
        f"{result.total:,} records: {result.added:,} added, {result.changed:,} changed, "
        f"{result.unchanged:,} unchanged, {result.reactivated:,} back, {result.offboarded:,} offboarded"
    )


def _print_stats(stats) -> None:
    data = stats.to_dict()
    table = Table("counter", "value", title=f"monitoring run {stats.run} ({stats.mode})")
    for key, value in data.items():
        if key in ("run", "mode"):
            continue
        table.add_row(key, json.dumps(value) if isinstance(value, dict) else f"{value:,}")
    console.print(table)


def _run(full: bool, workers: int, gone_as: str | None, action: str) -> None:
    from proscribe.cases import monitor
    from proscribe.cli import ensure_store

    who = acting("admin", action, gone_as)
    ensure_store()  # a fresh home loads the bundled lists first, with progress
    try:
        stats = monitor.run(
            full=full,
            workers=workers,
            actor=who.name,
            progress=lambda message: err.print(escape(message), highlight=False),
        )
    except monitor.MonitorBusy as exc:
        fail(str(exc))
    _print_stats(stats)


@book_app.command("screen")
def book_screen(
    workers: int = typer.Option(0, "--workers", "-w", help="Processes (0 = all cores)."),
    gone_as: str | None = GONE_AS,
) -> None:
    """Screen the whole book against the current lists (alerts for every review or block)."""
    _run(True, workers, gone_as, "book screen")


@book_app.command("stats")
def book_stats() -> None:
    """How many customers, and how many changed since their last screening."""
    from proscribe.cases import book

    total = book.count_customers()
    pending = sum(1 for _ in book.iter_customers(only_unscreened=True))
    console.print(f"{total:,} customers; {pending:,} new or changed since their last screening")


# -- monitor --------------------------------------------------------------------------------------


@monitor_app.command("run")
def monitor_run(
    full: bool = typer.Option(False, "--full", help="Re-screen the whole book, not just what changed."),
    workers: int = typer.Option(0, "--workers", "-w", help="Processes (0 = all cores)."),
    gone_as: str | None = GONE_AS,
) -> None:
    """New and changed list entries against the book; new and changed customers against the lists."""
    _run(full, workers, gone_as, "monitor run")


@monitor_app.command("status")
def monitor_status(limit: int = typer.Option(10, help="Runs to show.")) -> None:
    """The last monitoring runs."""
    from sqlalchemy import select

    from proscribe.cases.store import monitor_runs
    from proscribe.store.db import connect

    with connect().connect() as conn:
        rows = conn.execute(select(monitor_runs).order_by(monitor_runs.c.id.desc()).limit(limit)).all()
    table = Table("run", "started", "finished", "status", "mode", "screened", "alerts", "error")
    for row in rows:
        stats = json.loads(row.stats) if row.stats else {}
        table.add_row(
            str(row.id),
            row.started_at,
            row.finished_at or "",
            row.status,
            row.mode,
            str(stats.get("customers_screened", "")),
            str(stats.get("alerts_raised", "")),
            escape(row.error or ""),
        )
    console.print(table)


# -- cases ----------------------------------------------------------------------------------------


def _age(hours: float) -> str:
    return f"{hours / 24:.1f}d" if hours >= 48 else f"{hours:.1f}h"


@cases_app.command("list")
def cases_list(
    state: str | None = typer.Option(None, help="open, in_review, escalated, pending_approval or closed."),
    assignee: str | None = typer.Option(None, help="Only cases assigned to this person."),
    include_closed: bool = typer.Option(False, "--all", help="Closed cases too."),
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table."),
) -> None:
    """Cases with their age against the SLA."""
    from proscribe.cases.alerts import list_cases

    rows = list_cases(state=state, assignee=assignee, include_closed=include_closed)
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row, default=str) + "\n")
        return
    table = Table("case", "subject", "priority", "state", "alerts", "assignee", "age", "SLA", "version")
    for row in rows:
        sla = f"[red]OVERDUE ({row['sla_hours']}h)[/]" if row["overdue"] else f"{row['sla_hours']}h"
        table.add_row(
            str(row["id"]),
            escape(f"{row['subject_kind']} {row['subject_id']}"),
            row["priority"],
            row["state"] + (f" ({row['disposition']})" if row["disposition"] else ""),
            str(row["alerts"]),
            escape(row["assignee"] or ""),
            _age(row["age_hours"]),
            sla,
            str(row["version"]),
        )
    console.print(table)


@cases_app.command("show")
def cases_show(
    case_id: int, as_json: bool = typer.Option(False, "--json", help="The full record as JSON.")
) -> None:
    """A case and its alerts, each with the full explanation and list snapshot."""
    from proscribe.cases.alerts import get_case

    case = _case_errors(lambda: get_case(case_id))
    if as_json:
        sys.stdout.write(json.dumps(case, ensure_ascii=False, indent=1, default=str) + "\n")
        return
    console.print(
        f"[bold]case {case['id']}[/] {escape(case['subject_kind'])} {escape(case['subject_id'])}: "
        f"{case['state']}{' (' + case['disposition'] + ')' if case['disposition'] else ''}, "
        f"priority {case['priority']}, assignee {escape(case['assignee'] or '-')}, "
        f"age {_age(case['age_hours'])} (SLA {case['sla_hours']}h{', OVERDUE' if case['overdue'] else ''}), "
        f"version {case['version']}",
        highlight=False,
    )
    if case["pending_action"]:
        console.print(
            f"waiting for approval: {case['pending_action']} asked by {escape(case['pending_by'])}: "
            f"{escape(case['pending_reason'] or '')}",
            highlight=False,
        )
    if case["reason"]:
        console.print(f"reason: {escape(case['reason'])}", highlight=False)
    for alert in case["alerts"]:
        result = alert["result"]
        console.print(
            f"\n[bold]alert {alert['id']}[/] {alert['decision']} {alert['score']:.3f} "
            f"{escape(alert['entity_id'])} {escape(alert['caption'] or '')} "
            f"[{escape(alert['snapshot'] or '')}] {alert['state']}",
            highlight=False,
        )
        console.print(f"  why now: {escape(alert['trigger'])}", highlight=False)
        console.print_json(json.dumps(result.get("explanation", {}), ensure_ascii=False))


@cases_app.command("assign")
def cases_assign(
    case_id: int,
    assignee: str,
    version: int | None = typer.Option(None, help="The version you saw."),
    gone_as: str | None = GONE_AS,
) -> None:
    """Assign a case (an open case moves to in_review)."""
    from proscribe.cases.alerts import assign

    who = acting("analyst", "cases assign", gone_as)
    new_version = _case_errors(lambda: assign(case_id, assignee, actor=who, version=version))
    console.print(f"case {case_id} assigned to {escape(assignee)} (version {new_version})")


@cases_app.command("escalate")
def cases_escalate(
    case_id: int,
    reason: str = typer.Option(..., help="Why (required)."),
    version: int | None = typer.Option(None, help="The version you saw."),
    gone_as: str | None = GONE_AS,
) -> None:
    """Escalate a case."""
    from proscribe.cases.alerts import escalate

    who = acting("analyst", "cases escalate", gone_as)
    new_version = _case_errors(
        lambda: escalate(case_id, actor=who, reason=reason, version=version)
    )
    console.print(f"case {case_id} escalated (version {new_version})")


@cases_app.command("close")
def cases_close(
    case_id: int,
    disposition: str = typer.Option(
        ..., "--disposition", "-d", help="true_match, false_positive or inconclusive."
    ),
    reason: str = typer.Option(..., help="Why (required)."),
    whitelist: bool = typer.Option(False, help="False positive: put the pairs on the good-guy list."),
    version: int | None = typer.Option(None, help="The version you saw (a stale one is a conflict)."),
    gone_as: str | None = GONE_AS,
) -> None:
    """Close a case; a true match waits for an approver (four-eyes)."""
    from proscribe.cases.alerts import close

    who = acting("analyst", "cases close", gone_as)
    result = _case_errors(
        lambda: close(
            case_id, disposition, reason, actor=who, whitelist=whitelist, version=version
        )
    )
    if result["state"] == "pending_approval":
        pending = (
            f"; {len(result['pending_whitelist'])} pair(s) to whitelist"
            if result.get("pending_whitelist")
            else ""
        )
        console.print(
            f"case {case_id}: {disposition.replace('_', ' ')} recorded{pending}, waiting for an approver "
            "(four-eyes)"
        )
    else:
        extra = f"; {len(result['whitelisted'])} pair(s) whitelisted" if result.get("whitelisted") else ""
        console.print(f"case {case_id} closed as {disposition}{extra}")


@cases_app.command("release")
def cases_release(
    case_id: int,
    reason: str = typer.Option(..., help="Why (required)."),
    version: int | None = typer.Option(None, help="The version you saw."),
    gone_as: str | None = GONE_AS,
) -> None:
    """Ask to release blocked funds held under a case (an approver must approve)."""
    from proscribe.cases.alerts import request_release

    who = acting("analyst", "cases release", gone_as)
    _case_errors(lambda: request_release(case_id, reason, actor=who, version=version))
    console.print(f"case {case_id}: release of blocked funds requested, waiting for an approver (four-eyes)")


@cases_app.command("approve")
def cases_approve(
    case_id: int,
    reject: bool = typer.Option(False, help="Reject instead of approving."),
    reason: str | None = typer.Option(None, help="Why (required to reject)."),
    version: int | None = typer.Option(None, help="The version you saw."),
    gone_as: str | None = GONE_AS,
) -> None:
    """Approve (or reject) a pending true-match closure or funds release: a second person with the
    approver role, never the one who asked."""
    from proscribe.cases.alerts import approve

    who = acting("analyst", "cases approve", gone_as)
    result = _case_errors(
        lambda: approve(case_id, actor=who, reason=reason, reject=reject, version=version)
    )
    verb = "approved" if result["approved"] else "rejected"
    console.print(f"case {case_id}: {result['action']} {verb}; case is {result['state']}")


@cases_app.command("user")
def cases_user(
    name: str,
    role: list[str] = typer.Option(..., "--role", help="analyst and/or approver."),
    gone_as: str | None = GONE_AS,
) -> None:
    """Add a person (or set their roles)."""
    from proscribe.cases.alerts import add_user

    who = acting("admin", "cases user", gone_as)
    _case_errors(lambda: add_user(name, role, actor=who))
    console.print(f"{escape(name)}: {', '.join(sorted(role))}")


@cases_app.command("goodguys")
def cases_goodguys(include_lapsed: bool = typer.Option(False, "--all", help="Lapsed entries too.")) -> None:
    """The good-guy list: whitelisted (customer, list entity) pairs."""
    from proscribe.cases.goodguys import list_entries

    table = Table("id", "customer", "entity", "by", "since", "active", "lapsed because")
    for row in list_entries(active_only=not include_lapsed):
        table.add_row(
            str(row["id"]),
            escape(row["subject_id"]),
            escape(row["entity_id"]),
            escape(row["created_by"]),
            row["created_at"][:19],
            "yes" if row["active"] else ("pending approval" if row.get("pending") else "no"),
            escape(row["lapse_reason"] or ""),
        )
    console.print(table)


# -- audit ----------------------------------------------------------------------------------------


@audit_app.command("verify")
def audit_verify(
    file: Path | None = typer.Option(
        None, "--file", "--export", help="Verify an export (JSON lines or CSV) instead."
    ),
    as_json: bool = typer.Option(False, "--json", help="The report as JSON."),
) -> None:
    """Check the keyed chain against the signed checkpoints and the screening and payment tables:
    any edited, deleted, re-ordered, wiped or unaudited record is found and located (exit 2)."""
    _audit_report(file, as_json)


@audit_app.command("verify-export")
def audit_verify_export(
    file: Path = typer.Argument(..., help="An export written by `proscribe audit export`."),
    as_json: bool = typer.Option(False, "--json", help="The report as JSON."),
) -> None:
    """Check an export on its own: its signed chain and end lines and every record between them."""
    _audit_report(file, as_json)


def _audit_report(file: Path | None, as_json: bool) -> None:
    import time

    from proscribe import audit

    if file is not None and not file.is_file():
        fail(f"no such export file: {file}")
    start = time.perf_counter()
    report = audit.verify_file(file) if file else audit.verify()
    seconds = time.perf_counter() - start
    what = f"export {file}" if file else "audit trail"
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict() | {"seconds": round(seconds, 3)}) + "\n")
    elif report.ok:
        checkpoint = report.checkpoint
        signed = (
            f", signed checkpoint at record {checkpoint['seq']} ({checkpoint['ts']})" if checkpoint else ""
        )
        console.print(
            f"{what} intact: {report.records:,} records "
            f"({report.first_seq}..{report.last_seq}), head {report.last_hash}{signed} ({seconds:.1f}s)"
        )
    if not report.ok:
        err.print(
            f"[bold red]TAMPERED:[/] {escape(what)}: {len(report.problems)} problem(s)",
            highlight=False,
            soft_wrap=True,
        )
        for problem in report.problems:
            err.print(f"[bold red]tampered:[/] {escape(str(problem))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2)


@audit_app.command("export")
def audit_export(
    output: Path = typer.Argument(..., help="File to write."),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl or csv."),
    since: str | None = typer.Option(None, help="From this ISO date/time."),
    until: str | None = typer.Option(None, help="Before this ISO date/time."),
) -> None:
    """Export the audit trail for examiners (JSON lines keep the chain checkable)."""
    from proscribe import audit

    try:
        count = audit.export(output, fmt=fmt, since=since, until=until)
    except (ValueError, audit.AuditKeyError) as exc:
        fail(str(exc))
    console.print(f"wrote {count:,} audit records to {escape(str(output))}")


@audit_app.command("purge")
def audit_purge(
    retention_years: int | None = typer.Option(None, help="Default: PROSCRIBE_AUDIT_RETENTION_YEARS or 10."),
    gone_as: str | None = GONE_AS,
) -> None:
    """Delete records older than the retention period (10 years by default); the chain stays checkable."""
    from proscribe import audit

    who = acting("admin", "audit purge", gone_as)
    try:
        count = audit.purge(retention=retention_years, actor=who.name)
    except (ValueError, audit.AuditKeyError) as exc:
        fail(str(exc))
    console.print(f"purged {count:,} records older than the retention period")
