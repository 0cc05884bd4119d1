"""Our name scorer against nomenklatura's logic-v2 on nomenklatura's labelled name pairs.

Run: ``.venv/bin/python bench/name_bench.py``.

Reads ``name_bench_cases.csv`` (826 pairs: ``case_group, schema, name1, name2, is_match, ...``,
from nomenklatura's ``contrib/name_bench``) and, in the same run, scores every pair twice:

* ours: :meth:`proscribe.match.engine.Matcher.compare` (``name1`` as the query, ``name2`` as the
  list name) with the token rarities of the screening index of the current lists; a pair is a
  match at or above the configured review threshold (``matching.toml``), the score at which
  screening starts to alert;
* the anchor: nomenklatura's logic-v2 (``bench/anchor_logic_v2.py``), run by the separate
  virtualenv ``bench/.venv-anchor`` (created here on first use with the pinned
  ``nomenklatura==4.17.4``; nomenklatura is never installed in the project's environment); a
  pair is a match at yente's default threshold, 0.70.

Reports precision, recall and F1 for both, overall, per schema and per case group, and, for
information only, each scorer at the threshold that maximises its F1 on this set (tuned on the
test set, so optimistic). The screening index is rebuilt first (``--reuse-index`` skips that), so
the token rarities are those of the code being measured. Writes ``bench/out/name_bench.json`` with the figures and every pair
we get wrong.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DEFAULT_OUT = BENCH / "out"
CASES = REPO.parent / "shared" / "data" / "dev-eval" / "nomenklatura" / "name_bench_cases.csv"
ANCHOR_VENV = BENCH / ".venv-anchor"
ANCHOR_SCRIPT = BENCH / "anchor_logic_v2.py"
NOMENKLATURA = "nomenklatura==4.17.4"
#: The yente-like anchor of the speed benchmarks runs in the same venv and needs rapidfuzz.
ANCHOR_EXTRAS = ["rapidfuzz==3.14.6"]


def use_isolated_home() -> None:
    if not os.environ.get("PROSCRIBE_HOME") and not os.environ.get("PROSCRIBE_DATABASE_URL"):
        os.environ["PROSCRIBE_HOME"] = str(DEFAULT_OUT / "home")


def read_cases(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["label"] = row["is_match"].strip().lower() == "true"
    return rows


def anchor_python() -> Path:
    """The anchor venv's python, creating the venv (pinned nomenklatura, and rapidfuzz for the
    yente-like anchor) if it is missing."""
    python = ANCHOR_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating {ANCHOR_VENV} with {NOMENKLATURA} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(ANCHOR_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", NOMENKLATURA, *ANCHOR_EXTRAS], check=True)
    return python


def anchor_scores(cases: list[dict]) -> dict:
    pairs = [{"schema": c["schema"], "name1": c["name1"], "name2": c["name2"]} for c in cases]
    proc = subprocess.run(
        [str(anchor_python()), str(ANCHOR_SCRIPT)],
        input=json.dumps({"pairs": pairs}),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"anchor failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


def prf(labels: list[bool], predicted: list[bool]) -> dict:
    tp = sum(1 for y, p in zip(labels, predicted, strict=True) if y and p)
    fp = sum(1 for y, p in zip(labels, predicted, strict=True) if not y and p)
    fn = sum(1 for y, p in zip(labels, predicted, strict=True) if y and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs": len(labels),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def best_threshold(labels: list[bool], scores: list[float]) -> dict:
    """The threshold (one of the observed scores) with the highest F1."""
    best = {"threshold": None, "f1": -1.0}
    for threshold in sorted(set(scores)):
        if threshold <= 0:
            continue
        result = prf(labels, [s >= threshold for s in scores])
        if result["f1"] > best["f1"]:
            best = {"threshold": threshold, **result}
    return best


def breakdown(cases: list[dict], scores: list[float], threshold: float, key: str) -> dict:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, case in enumerate(cases):
        groups[case[key]].append(i)
    return {
        name: prf([cases[i]["label"] for i in idx], [scores[i] >= threshold for i in idx])
        for name, idx in sorted(groups.items())
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, default=CASES, help="name_bench_cases.csv")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default bench/out)")
    parser.add_argument("--reuse-index", action="store_true", help="use the persisted index if there is one")
    args = parser.parse_args(argv)
    use_isolated_home()

    from proscribe.match.config import load_config
    from proscribe.match.engine import Matcher
    from proscribe.screen import get_index

    cases = read_cases(args.cases)
    labels = [c["label"] for c in cases]
    config = load_config()
    matcher = Matcher(get_index(rebuild=not args.reuse_index), config)
    started = time.perf_counter()
    ours = [round(matcher.compare(c["name1"], c["name2"], c["schema"]), 4) for c in cases]
    our_seconds = time.perf_counter() - started
    anchor = anchor_scores(cases)
    theirs = anchor["scores"]
    if len(theirs) != len(cases):
        raise RuntimeError("the anchor returned a different number of scores")

    scorers = {
        "proscribe": {
            "scores": ours,
            "threshold": config.review,
            "seconds": our_seconds,
            "threshold_source": "matching.toml [decision] review",
        },
        f"nomenklatura {anchor['algorithm']}": {
            "scores": theirs,
            "threshold": anchor["threshold"],
            "seconds": anchor["seconds"],
            "threshold_source": "yente default SCORE_THRESHOLD",
        },
    }
    report = {
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cases": {"file": str(args.cases), "pairs": len(cases), "matches": sum(labels)},
        "anchor": {k: anchor[k] for k in ("algorithm", "nomenklatura", "followthemoney", "rigour")},
        "scorers": {},
    }
    for name, spec in scorers.items():
        scores, threshold = spec["scores"], spec["threshold"]
        report["scorers"][name] = {
            "threshold": threshold,
            "threshold_source": spec["threshold_source"],
            "overall": prf(labels, [s >= threshold for s in scores]),
            "by_schema": breakdown(cases, scores, threshold, "schema"),
            "by_case_group": breakdown(cases, scores, threshold, "case_group"),
            "best_f1_for_information": best_threshold(labels, scores),
            "pairs_per_second": round(len(cases) / max(spec["seconds"], 1e-9)),
        }
    ours_cfg = report["scorers"]["proscribe"]
    report["our_errors"] = [
        {
            "case_group": c["case_group"],
            "schema": c["schema"],
            "name1": c["name1"],
            "name2": c["name2"],
            "is_match": c["label"],
            "ours": s,
            "logic_v2": t,
            "category": c.get("category"),
            "notes": c.get("notes"),
        }
        for c, s, t in zip(cases, ours, theirs, strict=True)
        if (s >= ours_cfg["threshold"]) != c["label"]
    ]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "name_bench.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print_report(report)
    print(f"\nwrote {args.out / 'name_bench.json'} ({len(report['our_errors'])} pairs we get wrong listed)")
    return 0


def print_report(report: dict) -> None:
    print(
        f"{report['cases']['pairs']} labelled pairs ({report['cases']['matches']} matches); anchor "
        f"nomenklatura {report['anchor']['nomenklatura']} ({report['anchor']['algorithm']}), "
        f"followthemoney {report['anchor']['followthemoney']}, rigour {report['anchor']['rigour']}"
    )
    print(
        f"\n{'scorer':<26} {'threshold':>9} {'precision':>9} {'recall':>7} {'F1':>7}   (best-F1 threshold: F1)"
    )
    for name, s in report["scorers"].items():
        o, b = s["overall"], s["best_f1_for_information"]
        print(
            f"{name:<26} {s['threshold']:>9.2f} {o['precision']:>9.3f} {o['recall']:>7.3f} {o['f1']:>7.3f}"
            f"   ({b['threshold']}: {b['f1']:.3f})"
        )
    for key in ("by_schema", "by_case_group"):
        print(f"\n{key.replace('_', ' ')}:")
        names = list(report["scorers"])
        header = "".join(f"{n.split()[0] + ' P/R/F1':>26}" for n in names)
        print(f"  {'':<18} {'pairs':>5}{header}")
        for group in report["scorers"][names[0]][key]:
            cells = []
            for n in names:
                g = report["scorers"][n][key][group]
                cells.append(f"{g['precision']:.3f}/{g['recall']:.3f}/{g['f1']:.3f}".rjust(26))
            pairs = report["scorers"][names[0]][key][group]["pairs"]
            print(f"  {group:<18} {pairs:>5}{''.join(cells)}")


if __name__ == "__main__":
    sys.exit(main())
