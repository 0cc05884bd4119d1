"""``make demo``: the main job on the embedded default, start to finish.

1. import every bundled official list (history included) into the embedded SQLite store;
2. show what is stored: datasets, publication dates, counts by schema, reconstructed flags;
3. show the full record of INTEGRITY TECHNOLOGY GROUP, INCORPORATED (OFAC uid 50543);
4. show what changed between two real OFAC publications;
5. screen a bundled sample of customers and print the decisions;
6. extend blocking through ownership (OFAC's 50% rule) with a fictitious ownership chain;
7. screen sample payment messages (pacs.008, pain.001, MT103, JSON) and show the decisions.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from proscribe import bundled, settings
from proscribe.store import snapshots as snapshot_store

console = Console(width=140)


def main() -> None:
    console.rule("[bold]proscribe demo: the bundled official lists")
    console.print(f"store: {settings.database_url()}")
    start = time.perf_counter()
    for item in bundled.bundled_lists():
        result = bundled.import_bundled(item)
        state = "imported" if result.created else "already stored"
        console.print(f"  {item.dataset:<26} {item.published or 'undated':<11} {result.snapshot.entity_count:>7,} entities  {state}")
    console.print(f"lists ready in {time.perf_counter() - start:.1f}s\n")

    from proscribe.cli import snapshot_table

    console.print(snapshot_table())

    console.rule("[bold]INTEGRITY TECHNOLOGY GROUP, INCORPORATED (us_ofac_sdn 50543, reconstructed 2026-08-20 snapshot)")
    entity = snapshot_store.load_entity("us_ofac_sdn-50543")
    if entity is None:
        raise SystemExit("uid 50543 missing from the current OFAC SDN snapshot")
    console.print_json(json.dumps(entity.to_dict(), ensure_ascii=False))

    console.rule("[bold]What changed: OFAC SDN 2024-05-02 -> 2024-05-03")
    from proscribe.store.diff import diff_snapshots, resolve_pair

    old_id, new_id = resolve_pair("us_ofac_sdn", "2024-05-02", "2024-05-03")
    diff = diff_snapshots(old_id, new_id)
    console.print(f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed")
    for change in diff.removed:
        console.print(f"  removed {change.entity_id}: {change.caption}")

    screen_sample()
    ownership_sample()
    payments_sample()


def ownership_sample() -> None:
    from proscribe.ownership.store import load_derived

    console.rule("[bold]Ownership: OFAC 50% rule on a fictitious chain (data/samples/ownership.csv)")
    _cli(["ownership", "import", str(settings.DATA_DIR / "samples" / "ownership.csv")])
    for row in load_derived("ofac"):
        console.print(f"  {row['party_id']}: [bold]{row['status']}[/] - {row['explanation']}")
    from proscribe.screen import get_index, screen

    get_index(refresh=True)
    result = screen({"id": "z", "schema": "Company", "properties": {"name": ["Zenith Quantum Robotics GmbH"]}})
    top = result["results"][0] if result["results"] else None
    console.print(f"screening 'Zenith Quantum Robotics GmbH': [bold]{result['decision']}[/]"
                  + (f" via {top['dataset']} ({top['explanation'].get('ownership', {}).get('regime', '')})" if top else ""))


def payments_sample() -> None:
    console.rule("[bold]Payment screening: data/samples/payments")
    out = Path(tempfile.gettempdir()) / "proscribe-demo-payments.jsonl"
    _cli(["payments", "screen", str(settings.DATA_DIR / "samples" / "payments"), "--output", str(out)])
    table = Table("file", "format", "decision", "first reason")
    for line in out.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        reason = item["reasons"][0] if item["reasons"] else None
        why = f"{reason['kind']} {reason.get('field') or ''}: {reason.get('detail') or reason.get('value') or ''}" if reason else ""
        style = {"block": "bold red", "reject": "bold red", "hold": "yellow", "pass": "green"}[item["decision"]]
        table.add_row(Path(item["file"]).name, item["format"], f"[{style}]{item['decision']}[/]", why[:90])
    console.print(table)
    console.print(f"full decisions: {out}; reports due: proscribe reports due")


def _cli(args: list[str]) -> None:
    from typer.testing import CliRunner

    from proscribe.cli import app

    result = CliRunner().invoke(app, args)
    if result.exit_code != 0:
        console.print(result.output)
        raise SystemExit(f"proscribe {' '.join(args)} failed")


def screen_sample() -> None:
    from proscribe.batch import screen_file
    from proscribe.screen import get_index

    console.rule("[bold]Screening the bundled sample customers (data/samples/customers.csv)")
    start = time.perf_counter()
    index = get_index()
    console.print(f"index: {len(index.entities):,} entities, {index.n_forms:,} name forms, ready in "
                  f"{time.perf_counter() - start:.1f}s")
    sample = settings.DATA_DIR / "samples" / "customers.csv"
    table = Table("customer", "query", "decision", "score", "matched entity", "matched name", "why")
    rows = list(_rows(sample))
    for (cid, label), result in zip(rows, screen_file(sample)):
        style = {"block": "bold red", "review": "yellow", "clear": "green"}.get(result["decision"], "magenta")
        if result["results"]:
            top = result["results"][0]
            why = _why(top)
            table.add_row(cid, label, f"[{style}]{result['decision']}[/]", f"{top['score']:.2f}",
                          f"{top['dataset']} {top['source_id']} {top['caption']}", top.get("matched_name") or "", why)
        else:
            note = "; ".join(result.get("warnings", [])) or result.get("error", "")
            table.add_row(cid, label, f"[{style}]{result['decision']}[/]", "", "", "", note)
    console.print(table)
    out = Path(tempfile.gettempdir()) / "proscribe-demo-results.jsonl"
    with out.open("w", encoding="utf-8") as handle:
        for result in screen_file(sample):
            handle.write(json.dumps(result, ensure_ascii=False) + "\n")
    console.print(f"full results with explanations: {out}")


def _rows(path: Path):
    import csv

    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            yield row["id"], row["name"] or f"registrationNumber {row['registrationNumber']}"


def _why(result: dict) -> str:
    explanation = result.get("explanation", {})
    parts = []
    name = explanation.get("name")
    if name:
        parts.append(f"{name['name_kind']} {name['score']:.2f} ({name['method']})")
    for adj in explanation.get("adjustments", []):
        parts.append(adj["detail"])
    return "; ".join(parts)


if __name__ == "__main__":
    main()
