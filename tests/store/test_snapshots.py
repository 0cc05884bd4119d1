"""The snapshot store: every import is a snapshot, re-imports are no-ops, failed imports leave
nothing behind, the newest publication is current, and diffs between real OFAC publications."""

from __future__ import annotations

import datetime
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from proscribe.cli import app
from proscribe.model import Entity
from proscribe.sources import PARSER_VERSION
from proscribe.sources.base import ListFormatError
from proscribe.store import snapshots as store
from proscribe.store.db import entities
from proscribe.store.diff import diff_snapshots, resolve_pair

DATA = Path(__file__).resolve().parents[2] / "data"
CONS_CSV = DATA / "ofac" / "consolidated" / "cons_csv"
SDN_2024_05_03 = DATA / "ofac" / "sdn_2024-05-03" / "sdn.csv.gz"
BIN = Path(sys.executable).with_name("proscribe")

#: data/PROVENANCE.md: sha256 of the official files (the bundled .gz copies hash decompressed).
OFFICIAL_SHA256 = {
    "2024-05-03": "210ca6b4a8187a34e0850be69ecc6e918f23ad7778b8b5b2f9c9d5fbbaf4e0cb",
    "2024-05-02": "36a3ef82bf77e2537ec40fc7c06f758db637f2ed883dcb0e2ab9cfff09fe8196",
}

#: data/PROVENANCE.md: 2024-05-02 -> 2024-05-03 removed 8 entries (aircraft, e.g. 9H-ARK, 9H-MAO, 9H-SSK).
REMOVED_ON_2024_05_03 = {
    "us_ofac_sdn-38556": "EMPEROR AVIATION LTD",
    "us_ofac_sdn-38557": "9H-AMN",
    "us_ofac_sdn-38558": "9H-ARK",
    "us_ofac_sdn-38559": "9H-EAA",
    "us_ofac_sdn-38560": "9H-MAO",
    "us_ofac_sdn-38563": "9H-SIS",
    "us_ofac_sdn-38565": "9H-SSK",
    "us_ofac_sdn-38566": "9H-TIO",
}


def _snapshot(engine, dataset: str, published: str) -> store.Snapshot:
    (snap,) = [s for s in store.list_snapshots(dataset, engine=engine) if s.published == published]
    return snap


def _tiny_sdn(folder: Path, *names: str) -> Path:
    """A small SDN.CSV in OFAC's layout with one entity per name."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sdn.csv"
    rows = [f'{uid},"{name}",-0- ,"SDGT"' + ",-0- " * 8 + "\r\n" for uid, name in enumerate(names, start=1)]
    path.write_bytes("".join(rows).encode("ascii") + b"\x1a")
    return path


def _truncated_sdn(folder: Path) -> tuple[Path, int]:
    """The official 2024-05-03 SDN.CSV cut inside the remarks of its 300th row."""
    data = gzip.decompress(SDN_2024_05_03.read_bytes())
    end = 0
    for _ in range(300):
        end = data.index(b"\r\n", end) + 2
    cut = data.rindex(b',"', 0, end - 2) + 12
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sdn.csv"
    path.write_bytes(data[:cut])
    return path, 300


# -- what a snapshot records ----------------------------------------------------------------------


@pytest.mark.parametrize("published", ["2024-05-02", "2024-05-03"])
def test_import_records_dataset_date_official_sha256_time_parser_version_and_counts(
    history_engine, published
):
    snap = _snapshot(history_engine, "us_ofac_sdn", published)
    expected = {"2024-05-02": 14_973, "2024-05-03": 14_965}[published]
    assert snap.dataset == "us_ofac_sdn"
    assert snap.format == "ofac_csv"
    assert snap.source_sha256 == OFFICIAL_SHA256[published]
    assert snap.source_label.endswith(f"sdn_{published}/sdn.csv.gz")
    assert snap.parser_version == PARSER_VERSION
    imported_at = datetime.datetime.fromisoformat(snap.imported_at)
    assert imported_at.tzinfo is not None
    assert abs(datetime.datetime.now(datetime.UTC) - imported_at) < datetime.timedelta(days=1)
    assert snap.entity_count == expected
    assert sum(snap.schema_counts.values()) == expected
    assert snap.reconstructed is False
    with history_engine.connect() as conn:
        stored = conn.execute(select(func.count()).where(entities.c.snapshot_id == snap.id)).scalar_one()
    assert stored == expected


def test_reconstructed_snapshot_is_flagged_and_labelled_so(history_engine):
    snap = _snapshot(history_engine, "us_ofac_sdn", "2026-08-20")
    assert snap.reconstructed is True
    assert snap.label.endswith("(reconstructed)")
    assert "RECONSTRUCTED" in snap.note
    assert snap.entity_count == 19_249


def test_stored_entity_round_trips_to_the_parsed_record(history_engine, ofac_by_uid):
    snap = _snapshot(history_engine, "us_ofac_sdn", "2026-08-20")
    loaded = store.load_entity("us_ofac_sdn-50543", snapshot_id=snap.id, engine=history_engine)
    assert loaded == ofac_by_uid["50543"]


def test_reimporting_the_same_file_is_a_no_op(engine, store_rows):
    first = store.import_list("us_ofac_cons", "ofac_csv", CONS_CSV, engine=engine)
    before = store_rows(engine)
    again = store.import_list("us_ofac_cons", "ofac_csv", CONS_CSV, engine=engine)
    assert first.created is True and again.created is False
    assert again.snapshot == first.snapshot
    assert store_rows(engine) == before
    assert first.snapshot.entity_count == 442


def test_reimporting_a_decompressed_copy_is_a_no_op_because_the_digest_is_of_the_published_bytes(
    engine, tmp_path, published_bytes
):
    store.import_list("us_ofac_cons", "ofac_csv", CONS_CSV, engine=engine)
    copy = tmp_path / "cons_plain"
    copy.mkdir()
    for member in CONS_CSV.iterdir():
        (copy / member.name.removesuffix(".gz")).write_bytes(published_bytes(member))
    result = store.import_list("us_ofac_cons", "ofac_csv", copy, engine=engine)
    assert result.created is False
    assert len(store.list_snapshots(engine=engine)) == 1


def test_same_file_under_another_dataset_is_a_new_snapshot(engine):
    store.import_list("us_ofac_cons", "ofac_csv", CONS_CSV, engine=engine)
    other = store.import_list("my_copy", "ofac_csv", CONS_CSV, engine=engine)
    assert other.created is True
    assert other.snapshot.dataset == "my_copy"


# -- failed imports leave the store exactly as it was ---------------------------------------------


def test_truncated_file_raises_naming_file_and_line_and_leaves_every_row_unchanged(
    engine, tmp_path, store_rows
):
    store.import_list("us_ofac_cons", "ofac_csv", CONS_CSV, engine=engine)
    before = store_rows(engine)
    path, line = _truncated_sdn(tmp_path / "cut")
    with pytest.raises(ListFormatError) as caught:
        store.import_list("us_ofac_sdn", "ofac_csv", path, published="2024-05-03", engine=engine)
    assert caught.value.path == str(path) and caught.value.where == f"line {line}"
    assert store_rows(engine) == before
    assert len(before["snapshots"]) == 1 and len(before["entities"]) == 442


def test_failure_while_writing_rolls_back_the_whole_snapshot(engine, store_rows, parsed_set, monkeypatch):
    store.import_list("us_ofac_cons", "ofac_csv", CONS_CSV, engine=engine)
    before = store_rows(engine)
    parsed = parsed_set(
        "legacy_2021-07"
    )  # 8,976 entities: the first 5,000-row batch is written before the failure
    calls = {"n": 0}
    to_json = Entity.to_json

    def failing_to_json(self):
        calls["n"] += 1
        if calls["n"] == 7_000:
            raise RuntimeError("disk full")
        return to_json(self)

    monkeypatch.setattr(Entity, "to_json", failing_to_json)
    with pytest.raises(RuntimeError, match="disk full"):
        store.store_parsed(
            parsed, format_name="ofac_csv", digest="0" * 64, source_label="x", published=None, engine=engine
        )
    assert calls["n"] == 7_000
    assert store_rows(engine) == before


def test_missing_file_is_a_list_format_error_and_stores_nothing(engine, tmp_path):
    with pytest.raises(ListFormatError, match="file not found"):
        store.import_list("us_ofac_sdn", "ofac_csv", tmp_path / "nope.csv", engine=engine)
    assert store.list_snapshots(engine=engine) == []


# -- which snapshot is current --------------------------------------------------------------------


def test_current_snapshot_is_the_newest_publication_not_the_newest_import(engine, tmp_path):
    newest = store.import_list(
        "test_sdn",
        "ofac_csv",
        _tiny_sdn(tmp_path / "c", "A", "B", "C"),
        published="2026-01-01",
        engine=engine,
    )
    store.import_list(
        "test_sdn", "ofac_csv", _tiny_sdn(tmp_path / "a", "A"), published="2021-07-07", engine=engine
    )
    store.import_list(
        "test_sdn", "ofac_csv", _tiny_sdn(tmp_path / "b", "A", "B"), published="2024-05-03", engine=engine
    )
    store.import_list(
        "test_sdn", "ofac_csv", _tiny_sdn(tmp_path / "u", "U"), published=None, engine=engine
    )
    other = store.import_list(
        "test_other", "ofac_csv", _tiny_sdn(tmp_path / "x", "X"), published="2020-01-01", engine=engine
    )
    current = store.current_snapshots(engine=engine)
    assert current["test_sdn"].id == newest.snapshot.id
    assert current["test_other"].id == other.snapshot.id
    assert [s.published for s in store.list_snapshots("test_sdn", engine=engine)] == [
        None,
        "2021-07-07",
        "2024-05-03",
        "2026-01-01",
    ]


def test_same_publication_date_imported_later_becomes_current(engine, tmp_path):
    store.import_list(
        "test_sdn", "ofac_csv", _tiny_sdn(tmp_path / "a", "A"), published="2026-01-01", engine=engine
    )
    later = store.import_list(
        "test_sdn", "ofac_csv", _tiny_sdn(tmp_path / "b", "B"), published="2026-01-01", engine=engine
    )
    assert store.current_snapshots(engine=engine)["test_sdn"].id == later.snapshot.id


def test_load_entity_without_a_snapshot_reads_the_current_one(history_engine):
    itg = store.load_entity("us_ofac_sdn-50543", engine=history_engine)
    assert itg is not None and itg.caption == "INTEGRITY TECHNOLOGY GROUP, INCORPORATED"
    assert store.load_entity("us_ofac_sdn-38558", engine=history_engine) is None  # delisted 2024-05-03
    old = _snapshot(history_engine, "us_ofac_sdn", "2024-05-02")
    assert (
        store.load_entity("us_ofac_sdn-38558", snapshot_id=old.id, engine=history_engine).caption == "9H-ARK"
    )


# -- diffs on real publications -------------------------------------------------------------------


def test_diff_2024_05_02_to_2024_05_03_is_eight_removed_and_nothing_else(history_engine):
    old, new = resolve_pair("us_ofac_sdn", "2024-05-02", "2024-05-03", engine=history_engine)
    result = diff_snapshots(old, new, engine=history_engine)
    assert result.added == [] and result.changed == []
    assert {c.entity_id: c.caption for c in result.removed} == REMOVED_ON_2024_05_03
    assert all(c.kind == "removed" for c in result.removed)
    summary = result.to_dict()
    assert summary["summary"] == {"added": 0, "removed": 8, "changed": 0}
    assert summary["from"]["published"] == "2024-05-02" and summary["to"]["published"] == "2024-05-03"


@pytest.fixture(scope="module")
def diff_2024_to_2026(history_engine):
    return diff_snapshots(
        *resolve_pair("us_ofac_sdn", "2024-05-03", "2026-08-20", engine=history_engine), engine=history_engine
    )


def test_diff_2024_05_03_to_2026_08_20_adds_integrity_technology_group(diff_2024_to_2026):
    result = diff_2024_to_2026
    added = {c.entity_id: c.caption for c in result.added}
    assert added["us_ofac_sdn-50543"] == "INTEGRITY TECHNOLOGY GROUP, INCORPORATED"
    assert len(result.added) == 19_249 - (14_965 - len(result.removed))
    assert "us_ofac_sdn-38558" not in added


def test_diff_reports_exactly_the_fields_that_changed(diff_2024_to_2026):
    changed = {c.entity_id: c for c in diff_2024_to_2026.changed}
    # AZZAM, Mansour Fadlallah: moved from the SYRIA program to PAARSSR-EO13894, nothing else.
    azzam = changed["us_ofac_sdn-15222"]
    assert azzam.caption == "AZZAM, Mansour Fadlallah"
    assert list(azzam.fields) == ["sanctions"]
    assert [json.loads(v)["program"] for v in azzam.fields["sanctions"]["removed"]] == ["SYRIA"]
    assert [json.loads(v)["program"] for v in azzam.fields["sanctions"]["added"]] == ["PAARSSR-EO13894"]
    # LOS ZETAS was renamed CARTEL DEL NORESTE and gained the FTO and SDGT programs.
    zetas = changed["us_ofac_sdn-11438"]
    assert zetas.fields["name"] == {"removed": ["LOS ZETAS"], "added": ["CARTEL DEL NORESTE"]}
    assert {json.loads(v)["program"] for v in zetas.fields["sanctions"]["added"]} == {"FTO", "SDGT"}
    assert zetas.fields["sanctions"]["removed"] == []


def test_diff_without_dates_compares_the_two_newest_publications(history_engine):
    old, new = resolve_pair("us_ofac_sdn", None, None, engine=history_engine)
    assert store.get_snapshot(old, engine=history_engine).published == "2024-05-03"
    assert store.get_snapshot(new, engine=history_engine).published == "2026-08-20"


def test_diff_accepts_snapshot_ids_and_refuses_unknown_ones(history_engine):
    by_id = resolve_pair(
        "us_ofac_sdn",
        str(_snapshot(history_engine, "us_ofac_sdn", "2024-05-02").id),
        "2024-05-03",
        engine=history_engine,
    )
    assert by_id == resolve_pair("us_ofac_sdn", "2024-05-02", "2024-05-03", engine=history_engine)
    with pytest.raises(ValueError, match=r"no snapshot '1999-01-01' of us_ofac_sdn \(known: .*2024-05-02"):
        resolve_pair("us_ofac_sdn", "1999-01-01", "2024-05-03", engine=history_engine)


def test_diff_of_snapshots_from_different_datasets_is_refused(history_engine):
    sdn = _snapshot(history_engine, "us_ofac_sdn", "2024-05-03")
    (un,) = store.list_snapshots("un_sc_sanctions", engine=history_engine)
    with pytest.raises(ValueError, match="different datasets"):
        diff_snapshots(sdn.id, un.id, engine=history_engine)


# -- the CLI --------------------------------------------------------------------------------------


def _cli_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PROSCRIBE_DATABASE_URL"}
    return {**env, "PROSCRIBE_HOME": str(home), "COLUMNS": "200"}


def test_cli_lists_diff_in_process_names_the_eight_removed(history_home, monkeypatch):
    monkeypatch.setenv("PROSCRIBE_HOME", str(history_home))
    result = CliRunner().invoke(
        app, ["lists", "diff", "us_ofac_sdn", "2024-05-02", "2024-05-03"], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "0 added, 8 removed, 0 changed" in result.output
    for entity_id, name in REMOVED_ON_2024_05_03.items():
        assert entity_id in result.output and name in result.output


def test_cli_lists_diff_json_lists_removed_entities(history_home, monkeypatch):
    monkeypatch.setenv("PROSCRIBE_HOME", str(history_home))
    result = CliRunner().invoke(app, ["lists", "diff", "us_ofac_sdn", "2024-05-02", "2024-05-03", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {c["entity_id"]: c["caption"] for c in data["removed"]} == REMOVED_ON_2024_05_03
    assert data["summary"] == {"added": 0, "removed": 8, "changed": 0}


def test_cli_lists_diff_unknown_snapshot_exits_non_zero_with_the_reason(history_home, monkeypatch):
    monkeypatch.setenv("PROSCRIBE_HOME", str(history_home))
    result = CliRunner().invoke(app, ["lists", "diff", "us_ofac_sdn", "1999-01-01", "2024-05-03"])
    assert result.exit_code == 1
    assert "no snapshot '1999-01-01' of us_ofac_sdn" in result.stderr


def test_cli_lists_diff_as_a_real_process(history_home):
    proc = subprocess.run(
        [str(BIN), "lists", "diff", "us_ofac_sdn", "2024-05-02", "2024-05-03"],
        capture_output=True,
        text=True,
        env=_cli_env(history_home),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "us_ofac_sdn@2024-05-02" in proc.stdout and "us_ofac_sdn@2024-05-03" in proc.stdout
    assert "0 added, 8 removed, 0 changed" in proc.stdout
    for entity_id, name in REMOVED_ON_2024_05_03.items():
        assert entity_id in proc.stdout and name in proc.stdout


def test_cli_import_of_a_truncated_file_exits_non_zero_naming_file_and_line_and_changes_nothing(
    proscribe_home, tmp_path, engine, store_rows
):
    env = _cli_env(proscribe_home)
    # A long path with brackets: the error must still name it whole, on one line, not as markup.
    folder = tmp_path / ("a-folder-with-a-long-name-" * 8) / "[draft]"
    path, line = _truncated_sdn(folder)
    ok = subprocess.run(
        [str(BIN), "lists", "import", "--bundled", "ofac_cons_csv"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    before = store_rows(engine)
    assert len(before["snapshots"]) == 1
    proc = subprocess.run(
        [str(BIN), "lists", "import", str(path), "--dataset", "us_ofac_sdn", "--format", "ofac_csv"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1
    assert f"{path}: line {line}: malformed CSV" in proc.stderr
    assert "the store is unchanged" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert store_rows(engine) == before


def test_cli_lists_list_marks_the_reconstructed_snapshot(history_home):
    proc = subprocess.run(
        [str(BIN), "lists", "list"], capture_output=True, text=True, env=_cli_env(history_home), timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    (row,) = [line for line in proc.stdout.splitlines() if "2026-08-20" in line]
    assert "RECONSTRUCTED" in row and "19,249" in row
