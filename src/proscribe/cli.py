"""The ``proscribe`` command line: lists, export, screening (more subcommands join as they land).

Every command works on a fresh ``PROSCRIBE_HOME``: the bundled lists load themselves on first use.
Errors print one clear line (what and where) and exit non-zero; they never print a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from proscribe import bundled, settings
from proscribe.sources.base import ListFormatError
from proscribe.store import snapshots as snapshot_store

app = typer.Typer(help="proscribe: sanctions screening and blocking engine.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
lists_app = typer.Typer(help="Official lists: import, update, inspect and compare snapshots.", no_args_is_help=True)
app.add_typer(lists_app, name="lists")

console = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> None:
    # soft_wrap: never fold a long file path or URL across lines (an error must name it whole).
    # The message is plain text (file names, list content), never markup.
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                    TimeElapsedColumn(), console=err, transient=True)


def ensure_store() -> None:
    """Load the bundled current lists into an empty store (first run on a fresh home), with
    progress. A store that holds other lists gets its missing bundled datasets when the screening
    index is prepared (:func:`proscribe.screen.get_index`); ``PROSCRIBE_BUNDLED`` is checked here
    so a bad value fails with its message before any work."""
    try:
        bundled.wanted_datasets()
    except ValueError as exc:  # a PROSCRIBE_BUNDLED naming an unknown dataset
        fail(str(exc), 2)
    if snapshot_store.list_snapshots():
        return
    items = bundled.missing()
    with _progress() as progress:
        task = progress.add_task("Loading bundled lists", total=len(items))

        def step(item):
            progress.update(task, description=f"Loading {item.dataset}")
            progress.advance(task)

        bundled.ensure_loaded(progress=step)


# -- lists ----------------------------------------------------------------------------------------

@lists_app.command("import")
def lists_import(
    path: Path | None = typer.Argument(None, help="List file (or folder, for OFAC's CSV set)."),
    dataset: str | None = typer.Option(None, "--dataset", "-d", help="Dataset name, e.g. us_ofac_sdn."),
    format_name: str | None = typer.Option(None, "--format", "-f", help="Parser: ofac_csv, un_xml, ..."),
    published: str | None = typer.Option(None, help="Publication date (ISO) when the file does not state one."),
    bundled_key: list[str] | None = typer.Option(None, "--bundled", help="Import a bundled list by key."),
    all_bundled: bool = typer.Option(False, "--all-bundled", help="Import every bundled list, history included."),
    allow_shrink: bool = typer.Option(
        False, "--allow-shrink",
        help="Accept a file that loses more of the current snapshot than import_guards.toml allows "
             "(recorded in the audit trail).",
    ),
) -> None:
    """Import a list file as a new snapshot (a file already stored is a no-op).

    A file is refused, and nothing is written, when its format is unknown or does not belong to
    the dataset (exit 2), when it is incomplete, or when it would shrink the current snapshot past
    the configured share (exit 1; ``--allow-shrink`` overrides the last, audited)."""
    from proscribe.sources import UnknownFormatError
    from proscribe.store.guards import ImportRefused, check_invocation
    from proscribe.store.unwritable import StoreUnwritable
    jobs: list[tuple[str, str, Path, dict]] = []
    if all_bundled or bundled_key:
        items = bundled.bundled_lists()
        if bundled_key:
            known = {item.key: item for item in items}
            missing = [k for k in bundled_key if k not in known]
            if missing:
                fail(f"unknown bundled list(s) {', '.join(missing)}; known: {', '.join(known)}")
            items = [known[k] for k in bundled_key]
        for item in items:
            jobs.append((item.dataset, item.format, item.file,
                         {"published": item.published, "reconstructed": item.reconstructed, "note": item.note}))
    elif path is not None:
        if not dataset or not format_name:
            fail("importing a file needs --dataset and --format")
        jobs.append((dataset, format_name, path, {"published": published}))
    else:
        fail("give a PATH with --dataset and --format, or --bundled KEY, or --all-bundled")
    for ds, fmt, _file, _extra in jobs:  # a wrong invocation is refused before any file is read
        try:
            check_invocation(ds, fmt)
        except (UnknownFormatError, ImportRefused) as exc:
            fail(f"{exc}\nnothing was imported; the store is unchanged", 2)
    actor = _actor()
    shrinks = []
    table = Table("dataset", "snapshot", "published", "entities", "result")
    with _progress() as progress:
        task = progress.add_task("Importing", total=len(jobs))
        for ds, fmt, file, extra in jobs:
            progress.update(task, description=f"Importing {ds} ({Path(file).name})")
            try:
                result = snapshot_store.import_list(ds, fmt, file, allow_shrink=allow_shrink, actor=actor, **extra)
            except ImportRefused as exc:
                progress.stop()
                fail(f"{exc}\nnothing was imported for {ds}; the store is unchanged", exc.exit_code)
            except (ListFormatError, ValueError, StoreUnwritable) as exc:
                progress.stop()
                fail(f"{exc}\nnothing was imported for {ds}; the store is unchanged")
            snap = result.snapshot
            outcome = "imported" if result.created else "already stored (no-op)"
            if result.shrink is not None:
                outcome = "imported (shrink allowed, audited)"
                shrinks.append(result)
            table.add_row(ds, str(snap.id), snap.published or "-", str(snap.entity_count), outcome)
            progress.advance(task)
    console.print(table)
    for result in shrinks:
        err.print(f"[bold yellow]warning:[/] {result.snapshot.dataset}: shrink allowed by --allow-shrink and "
                  f"recorded in the audit trail (list.import.shrink_allowed): {escape(result.shrink.describe())}",
                  highlight=False, soft_wrap=True)


@lists_app.command("list")
def lists_list() -> None:
    """Every stored snapshot; the current one of each dataset is marked."""
    ensure_store()
    console.print(snapshot_table())


def snapshot_table(current_only: bool = False) -> Table:
    current = {snap.id for snap in snapshot_store.current_snapshots().values()}
    table = Table("dataset", "id", "published", "entities", "by schema", "sha256", "current", "note")
    for snap in snapshot_store.list_snapshots():
        if current_only and snap.id not in current:
            continue
        schemas = ", ".join(f"{k} {v:,}" for k, v in snap.schema_counts.items())
        note = "RECONSTRUCTED" if snap.reconstructed else ""
        table.add_row(snap.dataset, str(snap.id), snap.published or "undated", f"{snap.entity_count:,}", schemas,
                      snap.source_sha256[:12], "yes" if snap.id in current else "", note)
    return table


@lists_app.command("show")
def lists_show(ref: str = typer.Argument(..., help="An entity id (us_ofac_sdn-50543) or a dataset name.")) -> None:
    """Show one entity's full record, or a dataset's snapshots."""
    ensure_store()
    entity = snapshot_store.load_entity(ref)
    if entity is None:
        snaps = snapshot_store.list_snapshots(ref)
        if not snaps:
            fail(f"no entity or dataset {ref!r}")
        for snap in snaps:
            console.print_json(json.dumps(snap.__dict__, default=str))
        return
    console.print_json(json.dumps(entity.to_dict(), ensure_ascii=False))


@lists_app.command("diff")
def lists_diff(
    dataset: str,
    old: str | None = typer.Argument(None, help="Older snapshot: id or publication date."),
    new: str | None = typer.Argument(None, help="Newer snapshot: id or publication date."),
    as_json: bool = typer.Option(False, "--json", help="Print the full diff as JSON."),
    limit: int = typer.Option(20, help="Rows per section in the table view."),
) -> None:
    """Added, removed and changed entities between two snapshots, with the changed fields."""
    from proscribe.store.diff import diff_snapshots, resolve_pair

    ensure_store()
    try:
        old_id, new_id = resolve_pair(dataset, old, new)
    except ValueError as exc:
        fail(str(exc))
    result = diff_snapshots(old_id, new_id)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=1) + "\n")
        return
    console.print(f"[bold]{dataset}[/]: {result.old.label} -> {result.new.label}: "
                  f"{len(result.added)} added, {len(result.removed)} removed, {len(result.changed)} changed")
    for title, items in (("added", result.added), ("removed", result.removed), ("changed", result.changed)):
        if not items:
            continue
        table = Table("entity", "name", "fields changed", title=f"{title} ({len(items)})")
        for change in items[:limit]:
            table.add_row(escape(change.entity_id), escape(change.caption), ", ".join(change.fields) if change.fields else "")
        console.print(table)


@lists_app.command("update")
def lists_update(
    dataset: list[str] | None = typer.Option(None, "--dataset", "-d", help="Only these datasets."),
    sources_file: Path | None = typer.Option(None, "--sources", help="JSON {dataset: {format, files: {name: url}}} overriding the official URLs."),
    allow_shrink: bool = typer.Option(
        False, "--allow-shrink", help="Accept a list that shrank past the configured share (audited)."
    ),
) -> None:
    """Fetch lists from their official publishers; a failed download never replaces a good snapshot.

    Downloads pass the same guards as ``lists import``: an incomplete file or one that would shrink
    the current snapshot past the configured share fails that dataset."""
    from proscribe.update import update_all

    sources = bundled.official_urls()
    if sources_file:
        sources = json.loads(sources_file.read_text(encoding="utf-8"))
    results = update_all(sources, datasets=dataset, allow_shrink=allow_shrink, actor=_actor())
    table = Table("dataset", "result", "detail")
    for result in results:
        table.add_row(result.dataset, result.status, escape(result.detail))
    console.print(table)
    failed = [result for result in results if result.status == "failed"]
    for result in failed:  # the reason whole, on one line, for logs
        err.print(f"[bold red]error:[/] {result.dataset}: {escape(result.detail)}", highlight=False, soft_wrap=True)
    if failed:
        raise typer.Exit(1)


# -- export ---------------------------------------------------------------------------------------

@app.command("export")
def export(
    format_name: str = typer.Option("ftm", "--format", help="Only 'ftm' (FollowTheMoney JSON lines)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (default stdout)."),
    datasets: str | None = typer.Option(None, help="Comma-separated datasets (default: all current)."),
) -> None:
    """Export the current snapshots as FollowTheMoney JSON lines."""
    from proscribe.export import export_entities

    if format_name != "ftm":
        fail(f"unknown export format {format_name!r}; only 'ftm' is supported")
    ensure_store()
    wanted = set(datasets.split(",")) if datasets else None
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    count = 0
    try:
        for snap in snapshot_store.current_snapshots().values():
            if wanted and snap.dataset not in wanted:
                continue
            for record in export_entities(snapshot_store.load_entities(snap.id)):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    finally:
        if output:
            out.close()
    err.print(f"wrote {count} FtM entities")


# -- screening ------------------------------------------------------------------------------------

@app.command("screen")
def screen_cmd(
    input_path: Path = typer.Argument(..., help="Queries: JSON lines (FtM-style) or CSV with a header row."),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write one result line per query."),
    datasets: str | None = typer.Option(None, help="Comma-separated datasets to screen against (default all)."),
    threshold: float | None = typer.Option(
        None,
        help="List only results at or above this score (the top and every blocking result always show). "
        "The decision and the screening record always use the configured thresholds.",
    ),
    output_format: str = typer.Option("jsonl", "--format", help="Output format: jsonl or csv."),
    input_format: str | None = typer.Option(None, "--input-format", help="jsonl or csv (default: by extension)."),
    workers: int = typer.Option(
        0, "--workers", "-w", help="Processes to screen with (default 0 = all cores; 1 = this process only)."
    ),
    regime: str = typer.Option("ofac", help="Ownership-and-control rule for derived designations: ofac, eu or uk."),
) -> None:
    """Screen customers, counterparties or payment parties against the current lists."""
    from proscribe.batch import Batch, Options, csv_header, default_workers, read_items

    if not input_path.exists():
        fail(f"{input_path}: file not found")
    if output_format not in ("jsonl", "csv"):
        fail(f"unknown output format {output_format!r}; use jsonl or csv")
    if threshold is not None and not 0.0 < threshold <= 1.0:
        fail("--threshold must be between 0 and 1")
    if workers < 0:
        fail("--workers must be 0 (all cores) or more")
    if regime.lower() not in ("ofac", "eu", "uk"):
        fail(f"unknown regime {regime!r}; use ofac, eu or uk")
    ensure_store()
    from proscribe.screen import get_index

    with err.status("Loading the screening index"):
        get_index(refresh=True)
    # Read as text (the workers decode the JSON): the count for the progress bar comes for free.
    items = list(read_items(input_path, input_format))
    total = len(items)
    # The caller's threshold is applied in the worker after the screening record is made: it
    # filters listed results only, never the decision or what the record holds.
    options = Options(
        screen_kwargs={"datasets": datasets.split(",") if datasets else None, "regime": regime.lower()},
        render=output_format,
        threshold=threshold,
        source=str(input_path),
    )
    counts = {"block": 0, "review": 0, "clear": 0, "error": 0}
    pending_audit: list[tuple[str, str, dict]] = []
    actor = _actor()
    # Workers start (fork) before the progress display starts its thread.
    with Batch(options, workers or default_workers(), total) as batch, \
            output.open("w", encoding="utf-8", newline="") as out, _progress() as progress:
        task = progress.add_task("Screening", total=total)
        if output_format == "csv":
            out.write(csv_header())
        for outcome in batch.run(items, progress=lambda n: progress.advance(task, n)):
            counts[outcome.decision] = counts.get(outcome.decision, 0) + 1
            pending_audit.append(("screening", actor, outcome.record))
            if len(pending_audit) >= 1000:
                _flush_audit(pending_audit)
            out.write(outcome.text)
    _flush_audit(pending_audit)
    processes = f"{batch.processes} process" + ("es" if batch.processes > 1 else "")
    err.print(f"screened {total} queries on {processes}: {counts['block']} block, {counts['review']} review, "
              f"{counts['clear']} clear, {counts['error']} error(s) -> {output}")
    if counts["error"]:
        # every line is written; the run still failed for these queries (a caller must not read
        # "exit 0" as "everyone screened")
        fail(f"{counts['error']} of {total} queries could not be screened (error lines in {output})", code=2)


def _actor() -> str:
    import getpass
    import os

    return os.environ.get("PROSCRIBE_USER") or getpass.getuser()


def _flush_audit(events: list) -> None:
    from proscribe import audit

    if events:
        audit.append_many(events)
        events.clear()


@app.command("index")
def index_cmd(rebuild: bool = typer.Option(True, help="Rebuild even if a persisted index exists.")) -> None:
    """Build (or rebuild) the persisted screening index for the current snapshots."""
    import time

    from proscribe.screen import get_index

    ensure_store()
    start = time.perf_counter()
    index = get_index(rebuild=rebuild)
    console.print(f"index: {len(index.entities):,} entities, {index.n_forms:,} name forms, "
                  f"{len(index.tokens):,} tokens, {len(index.identifiers):,} identifier keys "
                  f"in {time.perf_counter() - start:.1f}s")


# Sub-commands of the other capabilities register themselves on the app.
from proscribe.cli_cases import register as _register_cases  # noqa: E402
from proscribe.cli_explain import register as _register_explain  # noqa: E402
from proscribe.cli_ownership import register as _register_ownership  # noqa: E402
from proscribe.cli_payments import register as _register_payments  # noqa: E402
from proscribe.cli_service import register as _register_service  # noqa: E402

for _register in (_register_service, _register_ownership, _register_cases, _register_payments, _register_explain):
    _register(app)


def main() -> None:
    """The ``proscribe`` command: the app, with a store that cannot be reached (or written)
    reported in one line that names it (its password hidden) instead of a traceback."""
    from sqlalchemy.exc import OperationalError

    try:
        app()
    except OperationalError as exc:
        print(f"error: {store_failure(exc)}", file=sys.stderr)
        raise SystemExit(1) from None


def store_failure(exc: Exception) -> str:
    """What went wrong with the store, in one line: which store (its URL without the
    password) and the database's own reason, with any password scrubbed from it too."""
    from sqlalchemy.engine import make_url

    raw = settings.database_url()
    try:
        url = make_url(raw)
        shown, secret = url.render_as_string(hide_password=True), url.password
    except Exception:  # not a URL SQLAlchemy reads: name no part of it
        shown, secret = "the configured PROSCRIBE_DATABASE_URL", None
    reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
    if secret:
        reason = reason.replace(str(secret), "***")
    return f"the store {shown} could not be used: {reason}"


if __name__ == "__main__":  # pragma: no cover
    main()
