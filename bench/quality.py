"""Screen the variation and negative sets and report screening quality.

Run after ``bench/variations.py``: ``.venv/bin/python bench/quality.py``.

Every variation is screened through :func:`proscribe.screen.screen` against the list it was made
from (``datasets=[its dataset]``). The lists overlap (a UN-listed person is also on the UK,
Australian and Canadian lists, often with the same name), so "the right entity ranked first" is
only well defined within one list; screening a real customer against all lists alerts at least
as often. Every negative is screened against all lists, as a customer would be.

Per class, overall and per dataset:

* ``alert recall``: the decision is not ``clear`` AND the expected entity is among the results;
* ``first``: the expected entity is the first result; ``first_or_tied``: nothing scores higher
  (a tie with a same-named entity of the same list cannot be broken by a name alone);
* ``block``: the decision is ``block`` and the expected entity is a blocking result.

On negatives: the false alert rate (any decision other than ``clear``), for yente's 1,000 US-style
people (with the birth date and nationality that file gives), the same people by name only, and
our own innocents per script.

Writes ``bench/out/quality.json`` and ``bench/out/quality_misses.txt`` (per class the first 15
misses, the first 10 queries where another entity ranked above the expected one, and per negative
group the first 15 false alerts, each with what the engine returned and, for misses, the best
score the expected entity's own names get from the scorer).

The index is rebuilt at the start (the matcher is being tuned; a stale persisted index would
measure old code); ``--reuse-index`` skips that.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
DEFAULT_OUT = BENCH / "out"
TARGETS = {"alert_recall": 0.99, "first": 0.95, "false_alert_rate": 0.01}


def use_isolated_home() -> None:
    if not os.environ.get("PROSCRIBE_HOME") and not os.environ.get("PROSCRIBE_DATABASE_URL"):
        os.environ["PROSCRIBE_HOME"] = str(DEFAULT_OUT / "home")


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def query_of(row: dict) -> dict:
    return {"id": row["id"], "schema": row["schema"], "properties": row["properties"]}


def rate(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def pct(value: float | None) -> str:
    return "   -  " if value is None else f"{100 * value:6.2f}"


class Tally:
    def __init__(self) -> None:
        self.n = self.alert = self.first = self.tied = self.block = 0

    def add(self, outcome: dict) -> None:
        self.n += 1
        self.alert += outcome["alert"]
        self.first += outcome["first"]
        self.tied += outcome["first_or_tied"]
        self.block += outcome["block"]

    def summary(self) -> dict:
        return {
            "queries": self.n,
            "alert_recall": rate(self.alert, self.n),
            "first": rate(self.first, self.n),
            "first_or_tied": rate(self.tied, self.n),
            "block": rate(self.block, self.n),
            "missed": self.n - self.alert,
        }


def judge(variation: dict, result: dict) -> dict:
    expected = variation["expected"]
    results = result["results"]
    ids = [r["id"] for r in results]
    mine = next((r for r in results if r["id"] == expected), None)
    return {
        "alert": result["decision"] != "clear" and mine is not None,
        "first": bool(ids) and ids[0] == expected,
        "first_or_tied": mine is not None and mine["score"] >= results[0]["score"],
        "block": result["decision"] == "block" and mine is not None and mine["match"],
        "rank": ids.index(expected) + 1 if mine else None,
        "score": mine["score"] if mine else None,
    }


def describe_results(result: dict, n: int = 5) -> list[str]:
    lines = [f"    -> {result['decision']}"]
    for r in result["results"][:n]:
        lines.append(f"       {r['score']:.3f} {r['id']} {r['caption']!r} via {r['matched_name']!r}")
    return lines


class ExpectedScorer:
    """The best scorer value between a query name and any name of the expected entity: says
    whether a miss is a scoring miss (low score) or a candidate miss (high score, not fetched)."""

    def __init__(self, index, config) -> None:
        from proscribe.match.engine import Matcher

        self.index = index
        self.matcher = Matcher(index, config)
        self.position = {record.id: i for i, record in enumerate(index.entities)}
        self.forms: dict[int, list[int]] | None = None

    def best(self, entity_id: str, names: list[str], schema: str) -> tuple[float, str | None]:
        if self.forms is None:
            self.forms = defaultdict(list)
            for form, entity in enumerate(self.index.form_entity.tolist()):
                self.forms[entity].append(form)
        idx = self.position.get(entity_id)
        if idx is None or not names:
            return 0.0, None
        best, best_name = 0.0, None
        for form in self.forms.get(idx, ()):
            text = self.index.form_text[form]
            for name in names:
                score = self.matcher.compare(name, text, schema)
                if score > best:
                    best, best_name = score, text
        return best, best_name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder with the sets, for the reports")
    parser.add_argument("--reuse-index", action="store_true", help="use the persisted index if there is one")
    parser.add_argument(
        "--limit", type=int, default=None, help="screen only the first N of each set (debugging)"
    )
    args = parser.parse_args(argv)
    use_isolated_home()

    from proscribe.match.config import load_config
    from proscribe.screen import ENGINE_VERSION, get_index, screen

    variations_path, negatives_path = args.out / "variations.jsonl", args.out / "negatives.jsonl"
    if not variations_path.exists() or not negatives_path.exists():
        print("run bench/variations.py first", file=sys.stderr)
        return 2
    variations = read_jsonl(variations_path)[: args.limit]
    negatives = read_jsonl(negatives_path)[: args.limit]

    started = time.perf_counter()
    index = get_index(rebuild=not args.reuse_index)
    index_seconds = time.perf_counter() - started
    config = load_config()
    captions = {record.id: record.caption for record in index.entities}
    scorer = ExpectedScorer(index, config)

    # -- variations ---------------------------------------------------------------------------
    by_class: dict[str, Tally] = defaultdict(Tally)
    by_subtype: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    by_dataset: dict[str, Tally] = defaultdict(Tally)
    overall = Tally()
    misses: dict[str, list[str]] = defaultdict(list)
    outranked: dict[str, list[str]] = defaultdict(list)
    miss_kinds: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    screen_started = time.perf_counter()
    for variation in variations:
        result = screen(query_of(variation), datasets=[variation["dataset"]])
        outcome = judge(variation, result)
        cls = variation["class"]
        by_class[cls].add(outcome)
        by_subtype[cls][variation.get("subtype") or "-"].add(outcome)
        by_dataset[variation["dataset"]].add(outcome)
        overall.add(outcome)
        head = (
            f"  {variation['id']} [{variation['dataset']}] {json.dumps(variation['properties'], ensure_ascii=False)}\n"
            f"    expected {variation['expected']} {captions.get(variation['expected'])!r}"
            f" from {variation['source_name']!r} ({variation['note']})"
        )
        if not outcome["alert"]:
            names = variation["properties"].get("name", [])
            best, best_name = scorer.best(variation["expected"], names, variation["schema"])
            kind = (
                "no name"
                if not names
                else ("scored low" if best < config.review else "scored ok, not returned")
            )
            miss_kinds[cls][kind] += 1
            if len(misses[cls]) < 15:
                detail = (
                    f"    scorer on the expected entity's names: {best:.3f} via {best_name!r} ({kind})"
                    if names
                    else ""
                )
                misses[cls].append(
                    "\n".join([head, *([detail] if detail else []), *describe_results(result)])
                )
        elif not outcome["first_or_tied"] and len(outranked[cls]) < 10:
            outranked[cls].append(
                "\n".join(
                    [
                        head,
                        f"    expected at rank {outcome['rank']} with {outcome['score']}",
                        *describe_results(result),
                    ]
                )
            )
    variation_seconds = time.perf_counter() - screen_started

    # -- negatives ----------------------------------------------------------------------------
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # group -> [alerts, total]
    false_alerts: dict[str, list[str]] = defaultdict(list)

    def count(group: str, query: dict, result: dict) -> None:
        alerted = result["decision"] != "clear"
        groups[group][0] += alerted
        groups[group][1] += 1
        if alerted and len(false_alerts[group]) < 15:
            head = f"  {query['id']} {json.dumps(query['properties'], ensure_ascii=False)}"
            false_alerts[group].append("\n".join([head, *describe_results(result, 3)]))

    negative_started = time.perf_counter()
    for negative in negatives:
        result = screen(query_of(negative))
        if negative["group"] == "yente":
            count("yente", negative, result)
            name_only = {
                "id": negative["id"],
                "schema": negative["schema"],
                "properties": {"name": negative["properties"]["name"]},
            }
            count("yente (name only)", name_only, screen(name_only))
        else:
            count("own", negative, result)
            count(f"own: {negative['script']}", negative, result)
    negative_seconds = time.perf_counter() - negative_started
    screened = len(variations) + len(negatives) + groups["yente (name only)"][1]

    # -- report -------------------------------------------------------------------------------
    report = {
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "engine_version": ENGINE_VERSION,
        "thresholds": {"review": config.review, "block": config.block},
        "snapshots": {ds: snap.get("label") for ds, snap in index.snapshots.items()},
        "targets": TARGETS,
        "overall": overall.summary(),
        "classes": {
            cls: by_class[cls].summary()
            | {
                "misses_by_kind": dict(miss_kinds[cls]),
                "subtypes": {sub: tally.summary() for sub, tally in sorted(by_subtype[cls].items())},
            }
            for cls in by_class
        },
        "datasets": {ds: tally.summary() for ds, tally in sorted(by_dataset.items())},
        "negatives": {
            group: {"queries": total, "false_alerts": alerts, "false_alert_rate": rate(alerts, total)}
            for group, (alerts, total) in groups.items()
        },
        "timing": {
            "index_seconds": round(index_seconds, 1),
            "variation_seconds": round(variation_seconds, 1),
            "negative_seconds": round(negative_seconds, 1),
            "queries_per_second": round(screened / max(variation_seconds + negative_seconds, 1e-9), 1),
        },
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "quality.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    write_misses(args.out / "quality_misses.txt", misses, outranked, false_alerts, by_class)
    print_table(report)
    print(f"\nwrote {args.out / 'quality.json'} and {args.out / 'quality_misses.txt'}")
    return 0


def write_misses(path: Path, misses, outranked, false_alerts, by_class) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("# Screening quality: misses and false alerts (bench/quality.py)\n")
        for cls in by_class:
            handle.write(f"\n## {cls}: misses (first 15 of {by_class[cls].n - by_class[cls].alert})\n")
            handle.write("\n".join(misses[cls]) + "\n" if misses[cls] else "  none\n")
            if outranked[cls]:
                handle.write(f"\n## {cls}: another entity ranked above the expected one (first 10)\n")
                handle.write("\n".join(outranked[cls]) + "\n")
        for group, lines in false_alerts.items():
            handle.write(f"\n## negatives {group}: false alerts (first 15)\n")
            handle.write("\n".join(lines) + "\n")


def print_table(report: dict) -> None:
    print(f"{'class':<20} {'queries':>7} {'alert%':>7} {'first%':>7} {'tied%':>7} {'block%':>7}  misses")
    rows = list(report["classes"].items()) + [("OVERALL", report["overall"])]
    for name, s in rows:
        if name == "OVERALL":
            print("-" * 68)
        kinds = ", ".join(f"{k} {v}" for k, v in s.get("misses_by_kind", {}).items())
        print(
            f"{name:<20} {s['queries']:>7} {pct(s['alert_recall']):>7} {pct(s['first']):>7} "
            f"{pct(s['first_or_tied']):>7} {pct(s['block']):>7}  {s['missed']}{f' ({kinds})' if kinds else ''}"
        )
    weak = [
        (cls, s) for cls, s in report["classes"].items() if (s["alert_recall"] or 0) < TARGETS["alert_recall"]
    ]
    if weak:
        print("\nclasses under the recall target, by kind of variation:")
        for cls, s in weak:
            for sub, t in s["subtypes"].items():
                print(
                    f"  {cls + ': ' + sub:<44} {t['queries']:>5} {pct(t['alert_recall']):>7} {pct(t['first']):>7}"
                )
    print()
    for name, s in report["datasets"].items():
        print(
            f"{name:<24} {s['queries']:>7} {pct(s['alert_recall']):>7} {pct(s['first']):>7} "
            f"{pct(s['first_or_tied']):>7} {pct(s['block']):>7}"
        )
    print(f"\n{'negatives':<20} {'queries':>7} {'alerts':>7} {'rate%':>7}")
    for group, s in report["negatives"].items():
        print(f"{group:<20} {s['queries']:>7} {s['false_alerts']:>7} {pct(s['false_alert_rate']):>7}")
    t = report["timing"]
    print(
        f"\nindex {t['index_seconds']} s; screening {t['variation_seconds'] + t['negative_seconds']:.1f} s "
        f"({t['queries_per_second']} queries/s)"
    )
    o = report["overall"]
    neg = report["negatives"]
    print(
        f"targets: alert recall {pct(o['alert_recall'])}% (>= 99), first {pct(o['first'])}% (>= 95), "
        f"false alerts yente {pct(neg.get('yente', {}).get('false_alert_rate'))}% / own "
        f"{pct(neg.get('own', {}).get('false_alert_rate'))}% (<= 1)"
    )


if __name__ == "__main__":
    sys.exit(main())
