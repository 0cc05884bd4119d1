"""``proscribe payments`` and ``proscribe reports``: payment screening and the OFAC reports.

    proscribe payments screen PATH... [--output OUTPUT] [--regime us|eu|uk] [--datasets a,b]
    proscribe reports due [--as-of DATE]
    proscribe reports blocked|rejected [--message-id ID] [--format json|csv|pdf] [--output FILE]
                                       [--rates FILE] [--max-rate-age DAYS]
    proscribe reports annual [--year YEAR] [--format json|csv|pdf] [--output FILE] [--rates FILE]
    proscribe reports filed blocked|rejected MESSAGE_ID [--on DATE]
    proscribe reports unblocked MESSAGE_ID [--on DATE]

Every message's decision is recorded before its line is written, so a batch re-run after a
crash resumes: decided messages are replayed from the record, the rest are screened.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

payments_app = typer.Typer(
    help="Payment messages: screen pacs.008, pain.001, MT103 and the JSON form.", no_args_is_help=True
)
CHUNK = 64  # messages decided, then recorded in one transaction, then written

reports_app = typer.Typer(
    help="OFAC reports: blocked property, rejected transactions, annual report.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(payments_app, name="payments")
    app.add_typer(reports_app, name="reports")


def _cli():
    from proscribe import cli

    return cli


@payments_app.command("screen")
def payments_screen(
    paths: list[Path] = typer.Argument(..., help="Message files or folders of them."),
    output: Path | None = typer.Option(None, "--output", "-o", help="JSON lines out (default stdout)."),
    regime: str = typer.Option("us", help="Sanctions regime for geography and list rules: us, eu or uk."),
    datasets: str | None = typer.Option(
        None, help="Comma-separated datasets to screen against (default all)."
    ),
    watch: bool = typer.Option(
        False, "--watch", help="Keep watching the folders and screen files as they arrive."
    ),
    interval: float = typer.Option(2.0, help="With --watch: seconds between looks at the folders."),
    watch_for: float | None = typer.Option(
        None, "--watch-for", help="With --watch: stop after this many seconds."
    ),
) -> None:
    """Screen payment messages: one JSON line per message (transaction) with its decision and reasons.

    With ``--watch`` the folders are polled and every new file is screened once; decisions are
    recorded by replay key (the message, the regime, the datasets, the list snapshots, the
    configuration), so a file seen again (after a restart) under the same conditions replays its
    recorded decision. Every line goes through the same path as the service: recorded, audited
    (``payment.decision``) and, for a match, a case. A message that cannot be read or decided is
    held with the reason; the run (and the watch) goes on."""
    from proscribe.payments import message_files, parse_file
    from proscribe.payments.decide import Screener
    from proscribe.payments.geography import REGIMES
    from proscribe.payments.register import is_unrecorded, process_many

    cli = _cli()
    if regime not in REGIMES:
        cli.fail(f"unknown regime {regime!r}; use one of {', '.join(REGIMES)}")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        cli.fail(f"{', '.join(missing)}: not found")
    files = message_files(paths)
    if not files and not watch:
        cli.fail("no message files found")
    cli.ensure_store()
    from proscribe.screen import get_index

    with cli.err.status("Loading the screening index and the name automaton"):
        screener = Screener(get_index(), regime=regime, datasets=datasets.split(",") if datasets else None)
    counts: dict[str, int] = {}
    unrecorded = [0]  # holds the store could not record: the run fails when there are any
    out = output.open("w", encoding="utf-8") if output else sys.stdout

    def flush(batch: list) -> None:
        # recorded (one transaction per chunk) before a line of the chunk is written
        for line in _screen_chunk(batch, screener, process_many):
            counts[line["decision"]] = counts.get(line["decision"], 0) + 1
            unrecorded[0] += is_unrecorded(line)
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        out.flush()
        batch.clear()

    seen: set[Path] = set()

    def screen_files(todo: list[Path]) -> None:
        batch: list = []
        for file in todo:
            seen.add(file)
            batch.extend(parse_file(file))
            if len(batch) >= CHUNK:
                flush(batch)
        flush(batch)

    try:
        screen_files(files)
        if watch:
            import time

            deadline = None if watch_for is None else time.monotonic() + watch_for
            cli.err.print(f"watching {', '.join(str(p) for p in paths)} (Ctrl-C to stop)")
            try:
                while deadline is None or time.monotonic() < deadline:
                    time.sleep(interval)
                    try:
                        fresh = [f for f in message_files(paths) if f not in seen and _settled(f)]
                        if fresh:
                            screen_files(fresh)
                    except Exception as exc:  # noqa: BLE001 - the watch goes on
                        cli.err.print(
                            f"[red]error while screening new files ({type(exc).__name__}: {exc}); "
                            "still watching[/red]"
                        )
            except KeyboardInterrupt:
                pass
    finally:
        if output:
            out.close()
    files = sorted(seen)
    summary = ", ".join(f"{counts.get(k, 0)} {k}" for k in ("pass", "hold", "reject", "block"))
    cli.err.print(
        f"screened {sum(counts.values())} message(s) from {len(files)} file(s): {summary}"
        + (f" -> {output}" if output else "")
    )
    if unrecorded[0]:
        cli.err.print(
            f"[red]{unrecorded[0]} message(s) were held but could not be recorded (see their reasons); "
            "nothing was passed, and they must be screened again once the store accepts them[/red]"
        )
        raise typer.Exit(1)


def _screen_chunk(batch: list, screener, process_many) -> list[dict]:
    """The lines of a chunk through the one recording path (decided, recorded, audited, a case
    opened); if the chunk as a whole fails (the store refused it), each message on its own, and
    a message that still fails is held (not recorded): one poison message never ends the run."""
    from proscribe.payments.register import internal_error

    try:
        return process_many(batch, screener)
    except Exception:  # noqa: BLE001 - retried message by message below
        lines = []
        for payment in batch:
            try:
                lines.extend(process_many([payment], screener))
            except Exception as exc:  # noqa: BLE001
                lines.append(internal_error(payment, exc))
        return lines


def _settled(path: Path, quiet_seconds: float = 0.5) -> bool:
    """A file still being written is left for the next look (its size must not be growing)."""
    import time

    try:
        return time.time() - path.stat().st_mtime >= quiet_seconds
    except OSError:
        return False


def _parse_date(text: str | None, what: str) -> date:
    if text is None:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(text)
    except ValueError:
        _cli().fail(f"{what} {text!r} is not an ISO date (YYYY-MM-DD)")
        raise  # pragma: no cover


@reports_app.command("due")
def reports_due(
    as_of: str | None = typer.Option(None, "--as-of", help="Date to compute from (default today)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Reports owed and when: blocked and rejected reports (10 US business days), the annual report."""
    from proscribe.payments.reports import due

    day = _parse_date(as_of, "--as-of")
    items = due(day)
    if as_json:
        sys.stdout.write(json.dumps(items, indent=1) + "\n")
        return
    table = Table(
        "report", "reference", "event", "due", "status", title=f"Reports due as of {day.isoformat()}"
    )
    for item in items:
        table.add_row(
            item["report"],
            item["reference"],
            item["event_date"],
            item["due"],
            "OVERDUE" if item["overdue"] else "due",
        )
    _cli().console.print(table if items else "Nothing due.")


def _write(data: str | bytes, output: Path | None) -> None:
    if output is None:
        if isinstance(data, bytes):
            _cli().fail("a PDF needs --output FILE")
        sys.stdout.write(data)
        return
    if isinstance(data, bytes):
        output.write_bytes(data)
    else:
        output.write_text(data, encoding="utf-8")
    _cli().err.print(f"wrote {output}")


_RATES_HELP = (
    "Dated exchange-rate table (CSV or JSON, docs/fx-rates.md) for the USD value of non-USD amounts; "
    "without it they say 'no rate table supplied'."
)
_AGE_HELP = "Oldest rate, in days before the date that matters, that may still be used (default 7)."


def _rates(path: Path | None, max_age: int | None) -> tuple[Any, int]:
    """The operator's rate table (None without ``--rates``) and the staleness limit in days,
    validated before any report is written: a bad table stops the command, naming the file and
    its lines, rather than leaving some values empty."""
    from proscribe.payments import fx

    days = fx.MAX_RATE_AGE_DAYS if max_age is None else max_age
    if days < 0:
        _cli().fail(f"--max-rate-age {days}: must be 0 or more days")
    if path is None:
        return None, days
    try:
        return fx.load(path), days
    except fx.RateTableError as exc:
        _cli().fail(str(exc))
        raise  # pragma: no cover


def _render(
    kind: str,
    message_id: str | None,
    fmt: str,
    output: Path | None,
    rates_path: Path | None,
    max_age: int | None,
) -> None:
    from proscribe.payments import reports

    if fmt not in ("json", "csv", "pdf"):
        _cli().fail(f"unknown format {fmt!r}; use json, csv or pdf")
    rates, days = _rates(rates_path, max_age)
    rows = reports.blocked_rows() if kind == "blocked" else reports.rejected_rows()
    if message_id:
        rows = [r for r in rows if r["message_id"] == message_id]
        if not rows:
            _cli().fail(f"no {kind} entry for message {message_id!r}")
    build = reports.blocked_report if kind == "blocked" else reports.rejected_report
    items = [build(r, rates, max_rate_age_days=days) for r in rows]
    title = (
        "Reports of Blocked Property (31 CFR 501.603)"
        if kind == "blocked"
        else "Reports of Rejected Transactions (31 CFR 501.604)"
    )
    if fmt == "json":
        _write(reports.to_json(items) + "\n", output)
    elif fmt == "csv":
        _write(reports.to_csv(items), output)
    else:
        _write(reports.to_pdf(title, items), output)


@reports_app.command("blocked")
def reports_blocked(
    message_id: str | None = typer.Option(None, "--message-id"),
    fmt: str = typer.Option("json", "--format", help="json, csv or pdf"),
    output: Path | None = typer.Option(None, "--output", "-o"),
    rates: Path | None = typer.Option(None, "--rates", help=_RATES_HELP),
    max_rate_age: int | None = typer.Option(None, "--max-rate-age", help=_AGE_HELP),
) -> None:
    """Report(s) of Blocked Property (31 CFR 501.603)."""
    _render("blocked", message_id, fmt, output, rates, max_rate_age)


@reports_app.command("rejected")
def reports_rejected(
    message_id: str | None = typer.Option(None, "--message-id"),
    fmt: str = typer.Option("json", "--format", help="json, csv or pdf"),
    output: Path | None = typer.Option(None, "--output", "-o"),
    rates: Path | None = typer.Option(None, "--rates", help=_RATES_HELP),
    max_rate_age: int | None = typer.Option(None, "--max-rate-age", help=_AGE_HELP),
) -> None:
    """Report(s) of Rejected Transactions (31 CFR 501.604)."""
    _render("rejected", message_id, fmt, output, rates, max_rate_age)


@reports_app.command("annual")
def reports_annual(
    year: int | None = typer.Option(None, help="Year of the June 30 holdings (default: latest)."),
    fmt: str = typer.Option("json", "--format", help="json, csv or pdf"),
    output: Path | None = typer.Option(None, "--output", "-o"),
    rates: Path | None = typer.Option(None, "--rates", help=_RATES_HELP),
    max_rate_age: int | None = typer.Option(None, "--max-rate-age", help=_AGE_HELP),
) -> None:
    """Annual Report of Blocked Property: holdings as of June 30 (valued at that day's rate), due
    September 30."""
    from proscribe.payments import reports

    table, days = _rates(rates, max_rate_age)
    today = datetime.now(UTC).date()
    year = year or (today.year if today >= date(today.year, 6, 30) else today.year - 1)
    report = reports.annual_report(year, rates=table, max_rate_age_days=days)
    if fmt == "json":
        _write(reports.to_json(report) + "\n", output)
    elif fmt == "csv":
        _write(
            reports.to_csv(
                [{**h, "as_of": report["as_of"], "due": report["due"]} for h in report["holdings"]]
            ),
            output,
        )
    elif fmt == "pdf":
        _write(reports.to_pdf_annual(report), output)
    else:
        _cli().fail(f"unknown format {fmt!r}; use json, csv or pdf")


@reports_app.command("filed")
def reports_filed(
    kind: str = typer.Argument(..., help="blocked or rejected"),
    message_id: str = typer.Argument(...),
    on: str | None = typer.Option(None, "--on", help="Filing date (default today)."),
) -> None:
    """Record that a blocked or rejected report was filed (it leaves `reports due`)."""
    from proscribe.payments.reports import mark_filed

    if kind not in ("blocked", "rejected"):
        _cli().fail("kind must be blocked or rejected")
    if not mark_filed(kind, message_id, _parse_date(on, "--on")):
        _cli().fail(f"no {kind} entry for message {message_id!r}")
    _cli().err.print(f"{kind} report for {message_id} marked filed")


@reports_app.command("unblocked")
def reports_unblocked(
    message_id: str = typer.Argument(...),
    on: str | None = typer.Option(None, "--on", help="Date released (default today)."),
) -> None:
    """Record that blocked property was released; it is left out of annual reports after that date."""
    from proscribe.payments.reports import mark_unblocked

    if not mark_unblocked(message_id, _parse_date(on, "--on")):
        _cli().fail(f"no blocked entry for message {message_id!r}")
    _cli().err.print(f"blocked property of {message_id} marked released")
