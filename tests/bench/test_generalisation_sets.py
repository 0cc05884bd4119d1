"""The screening-generalisation query sets (bench/data/generalisation/) are well-formed and split.

These check the shipped data files themselves: columns, unique stable ids, an expected entity
for every listed query, a fixed tune/report split that puts every class in both halves, the
innocent sets' size and name orders, and a named source on every table.
"""

from __future__ import annotations

import csv
import importlib.util
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "bench" / "data" / "generalisation"
COLUMNS = [
    "id",
    "query",
    "schema",
    "birth_date",
    "country",
    "expected",
    "datasets",
    "class",
    "script",
    "source",
    "note",
]
SCHEMATA = {"Person", "Company", "Organization", "LegalEntity", "Vessel", "Airplane"}
DATASETS = {
    "us_ofac_sdn",
    "us_ofac_cons",
    "un_sc_sanctions",
    "gb_hmt_sanctions",
    "au_dfat_sanctions",
    "ca_dfatd_sema_sanctions",
}


def read(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    reader = csv.DictReader(lines)
    return list(reader.fieldnames or []), list(reader)


def query_files() -> list[Path]:
    return sorted(p for p in DATA.glob("*.csv"))


def runner():
    spec = importlib.util.spec_from_file_location("generalisation", REPO / "bench" / "generalisation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    out = []
    for path in query_files():
        columns, items = read(path)
        assert columns == COLUMNS, path.name
        for item in items:
            item["file"] = path.name
        out += items
    return out


def test_every_query_file_has_the_columns_and_a_comment_header_naming_its_origin():
    assert {p.name for p in query_files()} >= {
        "crosslist.csv",
        "listed_generated.csv",
        "curated_persons.csv",
        "curated_orgs.csv",
        "innocents_generated.csv",
    }
    for path in query_files():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# "), f"{path.name} has no header comment saying where it comes from"


def test_query_ids_are_unique_and_every_row_is_complete(rows):
    ids = Counter(r["id"] for r in rows)
    assert not [i for i, n in ids.items() if n > 1]
    for r in rows:
        assert r["query"].strip(), r["id"]
        assert r["schema"] in SCHEMATA, r["id"]
        assert r["class"] and r["script"] and r["source"], r["id"]
        for expected in filter(None, r["expected"].split(";")):
            assert expected.split("-", 1)[0] in DATASETS, (r["id"], expected)
        for dataset in filter(None, r["datasets"].split(";")):
            assert dataset in DATASETS, (r["id"], dataset)


def test_listed_queries_name_an_expected_entity_and_innocents_name_none(rows):
    for r in rows:
        if r["class"].startswith("innocent"):
            assert not r["expected"] and not r["datasets"], r["id"]
        else:
            assert r["expected"], r["id"]


def test_cross_list_queries_are_screened_against_another_list_than_their_source(rows):
    cross = [r for r in rows if r["class"].startswith("cross-list")]
    assert len(cross) > 1000
    for r in cross:
        source_dataset = r["source"].split(" ", 1)[0].split("-", 1)[0]
        assert r["datasets"] and r["datasets"] != source_dataset, r["id"]
        assert r["expected"].split("-", 1)[0] == r["datasets"], r["id"]


def test_the_split_is_fixed_by_the_id_and_every_class_is_in_both_halves(rows):
    module = runner()
    assert module.half_of("xl-0123456789ab") == module.half_of("xl-0123456789ab")
    halves = Counter(module.half_of(r["id"]) for r in rows)
    assert 0.45 < halves["tune"] / len(rows) < 0.55
    per_class: dict[str, Counter] = {}
    for r in rows:
        per_class.setdefault(r["class"], Counter())[module.half_of(r["id"])] += 1
    for cls, counts in per_class.items():
        assert counts["tune"] and counts["report"], cls


def test_every_class_of_the_issue_table_has_curated_or_generated_queries(rows):
    classes = Counter(r["class"] for r in rows)
    for cls in runner().TARGETS:
        assert classes[cls] >= 20, cls


def test_at_least_two_thousand_han_and_hangul_innocents_each_in_both_name_orders(rows):
    for script in ("han", "hangul"):
        names = [r["query"] for r in rows if r["class"].startswith(f"innocent {script} ")]
        spaced = [n for n in names if " " in n]
        unspaced = [n for n in names if " " not in n]
        assert len(unspaced) >= 2000 and len(spaced) >= 2000, script
        # the surname-last form is the surname-first form turned round
        firsts = set(unspaced)
        assert all(n.split(" ")[1] + n.split(" ")[0] in firsts for n in spaced), script


def test_every_frequency_table_names_its_source():
    tables = sorted((DATA / "tables").glob("*.csv"))
    assert len(tables) >= 6
    for path in tables:
        header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        assert header and any(
            word in " ".join(header)
            for word in ("Census", "Ministry", "Statistics", "Administration", "Court", "Office")
        ), path
