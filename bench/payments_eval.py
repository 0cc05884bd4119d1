"""Payments development set: how proscribe decides hand-written messages of every family and version.

    .venv/bin/python bench/payments_eval.py [--reuse-index] [--json bench/out/payments_eval.json]

The set (bench/data/payments_eval/: messages/, labels.csv, PROVENANCE.md) holds ISO 20022 (pacs.008
001.02-13, pacs.009 core and COV, pacs.004, pain.001 001.03-12, camt.056) and SWIFT MT (MT103, MT103 STP,
MT202, MT202 COV, MT101) messages written to the published formats, each labelled with the decision
it must get under the US (OFAC) regime and, for a stop caused by a listed party, the listed entry the
decision must cite. Every file is parsed with ``proscribe.payments.parse_file`` and each of its
payments decided by ``Screener.decide`` against the bundled current lists (a store of its own under
bench/out/payments_eval_home, so nothing of a user's is read); a file's decision is the most severe
of its payments'.

Reported: stops that passed (a message labelled hold, reject or block that got pass: must be 0),
right decisions (%), stops citing the labelled entity (%), all three per family/version and per
category, with a misses listing (bench/out/payments_eval_misses.txt) giving what was expected, what
came back and the reasons.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

DATA = REPO / "bench" / "data" / "payments_eval"
OUT = REPO / "bench" / "out"
SEVERITY = {"pass": 0, "hold": 1, "reject": 2, "block": 3}
REGIME = "us"


def read_labels(path: Path = DATA / "labels.csv") -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def half(row: dict[str, str]) -> str:
    """``tune`` or ``report``: even first byte of the SHA-256 of the file name is tune. Decisions
    are tuned on the tune half only; the figures quoted are those of the report half and all."""
    return "tune" if hashlib.sha256(row["file"].encode()).digest()[0] % 2 == 0 else "report"


def prepare_index(home: Path, reuse: bool):
    """The bundled current lists loaded into ``home`` and their index (rebuilt unless ``reuse``)."""
    os.environ["PROSCRIBE_HOME"] = str(home)
    from proscribe import bundled
    from proscribe.screen import get_index

    home.mkdir(parents=True, exist_ok=True)
    bundled.ensure_loaded()
    return get_index(refresh=not reuse)


def cited(outcome) -> set[str]:
    """``dataset:source_id`` of every listed entry a stopping reason names."""
    out = set()
    for reason in outcome.reasons:
        if reason.action != "pass" and reason.result:
            out.add(f"{reason.result.get('dataset')}:{reason.result.get('source_id')}")
    return out


def judge(row: dict[str, str], screener) -> dict:
    from proscribe.payments import parse_file

    started = time.perf_counter()
    payments = parse_file(DATA / "messages" / row["file"])
    outcomes = [screener.decide(payment) for payment in payments]
    seconds = time.perf_counter() - started
    decision = max((o.decision for o in outcomes), key=SEVERITY.__getitem__, default="pass")
    names = set().union(*(cited(o) for o in outcomes)) if outcomes else set()
    wanted = [x for x in row["entity"].split("|") if x]
    return {
        **row,
        "got": decision,
        "right": decision == row["expected"],
        "stop_passed": row["expected"] != "pass" and decision == "pass",
        "false_stop": row["expected"] == "pass" and decision != "pass",
        "cites": bool(wanted) and any(x in names for x in wanted),
        "cited": sorted(names),
        "payments": len(payments),
        "ms": round(seconds * 1000, 2),
        "reasons": [
            f"{r.action} {r.kind} {r.field}: {r.detail}"[:300] for o in outcomes for r in o.reasons
        ][:8],
    }


def summarise(results: list[dict]) -> dict:
    stops = [r for r in results if r["expected"] != "pass"]
    citing = [r for r in results if r["entity"]]
    return {
        "messages": len(results),
        "right": sum(r["right"] for r in results),
        "right_pct": round(100 * sum(r["right"] for r in results) / max(1, len(results)), 1),
        "stops": len(stops),
        "stops_passed": sum(r["stop_passed"] for r in results),
        "false_stops": sum(r["false_stop"] for r in results),
        "stops_with_entity": len(citing),
        "citing": sum(r["cites"] for r in citing),
        "citing_pct": round(100 * sum(r["cites"] for r in citing) / max(1, len(citing)), 1),
    }


def grouped(results: list[dict], key) -> dict[str, dict]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        groups[key(r)].append(r)
    return {name: summarise(rows) for name, rows in sorted(groups.items())}


def misses_text(results: list[dict]) -> str:
    lines = []
    for r in results:
        if r["right"] and (r["cites"] or not r["entity"]):
            continue
        what = "STOP PASSED" if r["stop_passed"] else ("wrong decision" if not r["right"] else "no citation")
        lines.append(
            f"{r['file']} [{r['family']} {r['version']}, {r['category']}]: {what}: expected {r['expected']}"
            f"{' citing ' + r['entity'] if r['entity'] else ''}, got {r['got']}"
            f"{' citing ' + ', '.join(r['cited']) if r['cited'] else ''}\n  why: {r['why']}"
        )
        lines += [f"  - {reason}" for reason in r["reasons"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--home", type=Path, default=OUT / "payments_eval_home")
    parser.add_argument("--reuse-index", action="store_true", help="use the home's index if it is current")
    parser.add_argument("--json", type=Path, default=OUT / "payments_eval.json")
    parser.add_argument("--misses", type=Path, default=OUT / "payments_eval_misses.txt")
    args = parser.parse_args()
    started = time.perf_counter()
    index = prepare_index(args.home, args.reuse_index)
    from proscribe.payments.decide import Screener

    screener = Screener(index, regime=REGIME)
    index_s = time.perf_counter() - started
    results = [judge(row, screener) for row in read_labels()]
    report = {
        "regime": REGIME,
        "index_s": round(index_s, 1),
        "overall": summarise(results),
        "tune_half": summarise([r for r in results if half(r) == "tune"]),
        "report_half": summarise([r for r in results if half(r) == "report"]),
        "valid_only": summarise([r for r in results if r["valid"] == "yes"]),
        "malformed_only": summarise([r for r in results if r["valid"] == "no"]),
        "by_family": grouped(results, lambda r: r["family"]),
        "by_version": grouped(results, lambda r: f"{r['family']} {r['version']}"),
        "by_category": grouped(results, lambda r: r["category"]),
        "results": [{k: v for k, v in r.items() if k != "reasons"} for r in results],
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    args.misses.write_text(misses_text(results), encoding="utf-8")
    overall = report["overall"]
    print(
        f"{overall['messages']} messages: stops passed {overall['stops_passed']} of {overall['stops']}, "
        f"right {overall['right']} ({overall['right_pct']}%), false stops {overall['false_stops']}, "
        f"citing {overall['citing']}/{overall['stops_with_entity']} ({overall['citing_pct']}%)"
    )
    for name in ("tune_half", "report_half"):
        summary = report[name]
        print(
            f"  {name:14} {summary['messages']:3} right {summary['right_pct']:5}%  stops passed "
            f"{summary['stops_passed']}  citing {summary['citing']}/{summary['stops_with_entity']}"
        )
    for name, summary in report["by_family"].items():
        print(
            f"  {name:14} {summary['messages']:3} right {summary['right_pct']:5}%  stops passed "
            f"{summary['stops_passed']}  citing {summary['citing']}/{summary['stops_with_entity']}"
        )
    print(f"misses: {args.misses}; json: {args.json}")


if __name__ == "__main__":
    main()
