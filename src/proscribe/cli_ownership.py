"""``proscribe ownership``: import ownership data, compute derived designations, explain them.

proscribe ownership import FILE [--as-of DATE] [--accept-bad-rows]   # CSV / JSON (docs/ownership.md) or FtM
proscribe ownership import --lists                  # the lists' own "Linked To:" relationships (leads)
proscribe ownership compute [--regime ofac|eu|uk]   # recompute (after a list update)
proscribe ownership changes [--regime R] [--all] [--json]
proscribe ownership explain ENTITY [--regime ofac|eu|uk] [--svg FILE] [--png FILE] [--json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

ownership_app = typer.Typer(
    help="Ownership and control: entities blocked through the 50% rule (OFAC), the EU and UK tests.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(ownership_app, name="ownership")


def _cli():
    from proscribe import cli

    return cli


def _regimes(regime: str | None) -> tuple[str, ...]:
    from proscribe.ownership.regime import REGIME_NAMES, regime_by_name

    if regime is None:
        return REGIME_NAMES
    try:
        return (regime_by_name(regime).name,)
    except ValueError as exc:
        _cli().fail(str(exc))
    return ()


def _print_results(results: dict) -> None:
    cli = _cli()
    table = Table("regime", "mode", "block", "review", "changed")
    for name, res in results.items():
        table.add_row(name, res["mode"], str(res["block"]), str(res["review"]), str(len(res["changes"])))
    cli.console.print(table)


@ownership_app.command("import")
def import_cmd(
    path: Path | None = typer.Argument(None, help="Ownership file: CSV, JSON or FtM JSON lines."),
    lists: bool = typer.Option(
        False, "--lists", help="Import the current lists' 'Linked To:' relationships."
    ),
    as_of: str | None = typer.Option(None, help="Date the holdings are taken at (default today)."),
    compute: bool = typer.Option(True, help="Recompute the derived designations afterwards."),
    accept_bad_rows: bool = typer.Option(
        False,
        "--accept-bad-rows",
        help="Exit 0 although rows are bad (they are recorded as review leads either way).",
    ),
) -> None:
    """Import ownership and control relationships; every party is resolved through screening.

    A bad row (unknown relationship, wrong number of cells, unreadable share or date, no party)
    is listed with its row, column, value and why; the rest is imported and each bad row that
    names its parties is recorded as a review lead. The command then exits with status 3, unless
    --accept-bad-rows is given."""
    from proscribe.ownership import graph, resolve, store
    from proscribe.sources.base import file_sha256
    from proscribe.store import snapshots as snapshot_store

    cli = _cli()
    cli.ensure_store()
    if lists:
        entities = [
            e
            for snap in snapshot_store.current_snapshots().values()
            for e in snapshot_store.load_entities(snap.id)
        ]
        data = graph.data_from_list_links(entities)
        label, digest = "lists: Linked To", "lists"
    elif path is not None:
        if not path.exists():
            cli.fail(f"{path}: file not found")
        data = graph.load(path)
        label, digest = str(path), file_sha256(path)
    else:
        cli.fail("give a FILE or --lists")
        return
    if any(i.kind == "file" for i in data.issues) and not data.edges:
        cli.fail("; ".join(str(i) for i in data.issues if i.kind == "file") + "\nnothing was imported")
    from proscribe.screen import get_index

    with cli.err.status("Resolving parties through screening"):
        resolutions = resolve.resolve_parties(data.parties, get_index())
    store.save_import(data, resolutions, file=label, sha256=digest)
    listed = sum(1 for r in resolutions.values() if r.listed)
    review = sum(1 for r in resolutions.values() if r.uncertain)
    cli.console.print(
        f"imported {len(data.edges)} relationships between {len(data.parties)} parties from "
        f"{escape(label)}: {listed} resolved to list entries, {review} possible matches (review)"
    )
    matched = [(pid, r) for pid, r in resolutions.items() if r.listed or r.uncertain]
    if matched:
        table = Table(
            "party", "resolved to", "list entry", "score", "decision", title="Parties matched to the lists"
        )
        for pid, res in matched[:200]:
            table.add_row(
                escape(data.parties[pid].name or pid),
                escape(res.caption or ""),
                escape(res.reference() or ""),
                f"{res.score:.2f}" if res.score is not None else "",
                "listed" if res.listed else "review",
            )
        cli.console.print(table)
    if data.issues:
        table = Table(
            "kind", "where", "problem", title=f"{len(data.issues)} data issue(s) (the rest was imported)"
        )
        for issue in data.issues[:200]:
            table.add_row(issue.kind, escape(issue.where), escape(issue.message))
        cli.console.print(table)
    if compute:
        _print_results(store.compute(as_of=as_of))
    _report_bad_rows(data, accept_bad_rows)


#: Exit status of an import that stored its good rows but found bad ones.
BAD_ROWS_EXIT = 3


def _report_bad_rows(data, accept: bool) -> None:
    """List every bad row (row, column, value, why) on stderr, and fail unless accepted: a typo
    in an ownership file must never pass unnoticed (it is a review lead, not a block)."""
    cli = _cli()
    bad = [issue for issue in data.issues if issue.bad_row]
    if not bad:
        return
    dropped = sum(1 for issue in bad if issue.kind == "bad_row")
    dates = sum(1 for issue in bad if issue.kind == "bad_date")
    leads = len(bad) - dropped - dates
    cli.err.print(f"{len(bad)} bad row(s) in {escape(str(bad[0].where).split(': ')[0])}:", highlight=False)
    for issue in bad:
        cli.err.print(
            f"  {escape(issue.kind)}: {escape(issue.row_report())}", highlight=False, soft_wrap=True
        )
    summary = (
        f"{leads} recorded as review leads (the owned entity is review when its owner is designated), "
        f"{dates} with an unreadable date counted as current, {dropped} naming no party not recorded"
    )
    if accept:
        cli.err.print(f"bad rows accepted (--accept-bad-rows): {summary}", highlight=False, soft_wrap=True)
        return
    cli.fail(
        f"{len(bad)} bad row(s): {summary}. Correct the file and import it again, or give "
        "--accept-bad-rows to accept them as they are",
        code=BAD_ROWS_EXIT,
    )


@ownership_app.command("compute")
def compute_cmd(
    regime: str | None = typer.Option(None, help="ofac, eu or uk (default all)."),
    as_of: str | None = typer.Option(None, help="Date the holdings are taken at (default today)."),
    resolve_again: bool = typer.Option(
        True, "--resolve/--no-resolve", help="Resolve the parties again against the current lists first."
    ),
) -> None:
    """Recompute derived designations (after a list update or an import)."""
    from proscribe.ownership import resolve, store

    cli = _cli()
    cli.ensure_store()
    if resolve_again:
        from proscribe.screen import get_index

        data, _ = store.load_data()
        with cli.err.status("Resolving parties through screening"):
            store.save_resolutions(resolve.resolve_parties(data.parties, get_index()))
    _print_results(store.compute(_regimes(regime), as_of=as_of))


@ownership_app.command("changes")
def changes_cmd(
    regime: str | None = typer.Option(None, help="ofac, eu or uk (default all)."),
    all_runs: bool = typer.Option(
        False, "--all", help="Every change ever recorded, not just the latest run."
    ),
    as_json: bool = typer.Option(False, "--json", help="JSON lines."),
) -> None:
    """Entities whose derived status changed in the latest computation."""
    from proscribe.ownership import store

    cli = _cli()
    rows = store.list_changes(_regimes(regime)[0] if regime else None, all_runs=all_runs)
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    table = Table("regime", "entity", "from", "to", "why", "computed", title=f"{len(rows)} change(s)")
    for row in rows:
        table.add_row(
            row["regime"],
            escape(row["party_id"]),
            row["old_status"],
            row["new_status"],
            escape(row["explanation"]),
            row["computed_at"],
        )
    cli.console.print(table)


@ownership_app.command("explain")
def explain_cmd(
    entity: str = typer.Argument(..., help="A party id, a list entity id or a party name."),
    regime: str = typer.Option("ofac", help="ofac, eu or uk."),
    svg_path: Path | None = typer.Option(None, "--svg", help="Write the path as an SVG picture."),
    png_path: Path | None = typer.Option(None, "--png", help="Write the path as a PNG picture."),
    as_of: str | None = typer.Option(None, help="Date the holdings are taken at (default today)."),
    as_json: bool = typer.Option(False, "--json", help="Print the path tree as JSON."),
) -> None:
    """Why ENTITY is blocked (or to review, or not): the path as text, SVG and PNG."""
    from proscribe.ownership import explain, store
    from proscribe.ownership.regime import compute as compute_regime
    from proscribe.ownership.regime import regime_by_name

    cli = _cli()
    try:
        regime_obj = regime_by_name(regime)
    except ValueError as exc:
        cli.fail(str(exc))
        return
    data, resolutions = store.load_data()
    context = store.Context(data, resolutions, as_of)
    node = _find(context, entity)
    if node is None:
        cli.fail(f"no party {entity!r} in the ownership data (import it with 'proscribe ownership import')")
        return
    result = compute_regime(regime_obj, context.graph, context.listed, context.uncertain)
    tree = explain.path_tree(result, node, context.describe)
    line = explain.sentence(result, node, context.describe, tree)
    if as_json:
        sys.stdout.write(
            json.dumps(
                {
                    "entity": context.graph.ids[node],
                    "regime": regime_obj.name,
                    "status": result.label(node),
                    "explanation": line,
                    "path": tree.to_dict(),
                },
                ensure_ascii=False,
                indent=1,
            )
            + "\n"
        )
    else:
        sys.stdout.write(line + "\n\n" + explain.text_tree(tree) + "\n")
        quiet = result.status[node] != 0 or result.listed[node]
        notes = [] if quiet else explain.caution_notes(result, node, context.describe)
        for note in notes:
            sys.stdout.write(f"caution: {note}\n")
    footer = f"{regime_obj.label} ({regime_obj.citation}); holdings as of {context.as_of}; proscribe"
    picture = explain.svg(tree, line, footer)
    if svg_path:
        svg_path.write_text(picture, encoding="utf-8")
        cli.err.print(f"wrote {svg_path}")
    if png_path:
        try:
            used = explain.write_png(picture, png_path)
        except explain.NoRendererError as exc:
            cli.fail(str(exc))
        cli.err.print(f"wrote {png_path} ({used})")


def _find(context, entity: str) -> int | None:
    index = context.graph.index
    if entity in index:
        return index[entity]
    for pid, res in context.resolutions.items():
        if res.entity_id == entity and pid in index:
            return index[pid]
    wanted = entity.casefold().strip()
    for pid, party in context.data.parties.items():
        if party.name and party.name.casefold() == wanted and pid in index:
            return index[pid]
    return None
