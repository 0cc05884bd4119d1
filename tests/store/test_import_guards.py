"""Issue 19, class 6: a shrunken list file never becomes current.

Every file here is a real bundled list cut or edited in a tmp dir at test time: the official
OFAC CSV set cut at row boundaries and at arbitrary bytes, the UN list reduced to one entry, the
OFAC XML stripped of its record count, the UK and Australian workbooks with rows cut out. Each
refusal must leave every store row exactly as it was.
"""

from __future__ import annotations

import json
import random
import re
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from lxml import etree
from sqlalchemy import select
from typer.testing import CliRunner

from proscribe.cases.store import audit_log
from proscribe.cli import app
from proscribe.sources.base import IncompleteListError, ListFormatError
from proscribe.store import guards
from proscribe.store import snapshots as store
from proscribe.update import update_dataset

DATA = Path(__file__).resolve().parents[2] / "data"
SDN_SET = DATA / "ofac" / "sdn_2026-08-20_reconstructed"
CONS_CSV = DATA / "ofac" / "consolidated" / "cons_csv"
CONS_XML = DATA / "ofac" / "consolidated" / "consolidated.xml.gz"
UN_XML = DATA / "un" / "consolidated.xml.gz"
UK_XLSX = DATA / "uk" / "ConList.xlsx"
AU_XLSX = DATA / "au" / "dfat_consolidated.xlsx"
SDN_COUNT = 19_249  # data/PROVENANCE.md


def _rows(data: bytes) -> list[bytes]:
    """The CRLF-terminated rows of an OFAC CSV file, without its end-of-file byte."""
    body = data.rstrip(b"\x1a")
    return [row + b"\r\n" for row in body.split(b"\r\n") if row]


def _cut_sdn(folder: Path, published_bytes, share: float, *, eof: bool) -> tuple[Path, int]:
    """The reconstructed SDN set with ``sdn.csv`` cut at a row boundary after ``share`` of its
    rows (the official add.csv and alt.csv kept whole); with ``eof`` the 0x1A byte is written
    back, as a careless re-export would."""
    rows = _rows(published_bytes(SDN_SET / "sdn.csv.gz"))
    keep = int(len(rows) * share)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sdn.csv").write_bytes(b"".join(rows[:keep]) + (b"\x1a" if eof else b""))
    for name in ("add.csv", "alt.csv"):
        (folder / name).write_bytes(published_bytes(SDN_SET / f"{name}.gz"))
    return folder, keep


def _un_with_entries(path: Path, published_bytes, keep: int) -> Path:
    """The UN list reduced to its first ``keep`` INDIVIDUAL records (still well-formed and dated)."""
    root = etree.fromstring(published_bytes(UN_XML))
    individuals = root.find("INDIVIDUALS")
    for extra in list(individuals)[keep:]:
        individuals.remove(extra)
    entities = root.find("ENTITIES")
    for extra in list(entities):
        entities.remove(extra)
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return path


@pytest.fixture(scope="module")
def current_home(tmp_path_factory, ofac_reconstructed, engine_at):
    """A store whose current us_ofac_sdn snapshot is the reconstructed 2026-08-20 set (stored from
    the session's parse, as import_list would) and whose current UN snapshot is the bundled list.
    The tests that use it only try imports that must be refused, so it never changes."""
    from proscribe import bundled

    home = tmp_path_factory.mktemp("guards-home")
    engine = engine_at(home)
    _store_reconstructed(ofac_reconstructed, engine)
    (un,) = [item for item in bundled.bundled_lists(current_only=True) if item.dataset == "un_sc_sanctions"]
    bundled.import_bundled(un, engine=engine)
    return home, engine


def _store_reconstructed(parsed, engine) -> store.Snapshot:
    return store.store_parsed(
        parsed,
        format_name="ofac_csv",
        digest=store.source_digest(SDN_SET),
        source_label=str(SDN_SET),
        published="2026-08-20",
        reconstructed=True,
        engine=engine,
    )


def _audit(engine, event_type: str) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.payload, audit_log.c.actor).where(audit_log.c.event_type == event_type)
        ).all()
    return [{**json.loads(payload), "_actor": actor} for payload, actor in rows]


# -- the shrink guard -----------------------------------------------------------------------------


def test_shrunken_list_file_cut_at_a_row_boundary_never_becomes_current(
    current_home, tmp_path, published_bytes, store_rows
):
    _, engine = current_home
    before = store_rows(engine)
    folder, kept = _cut_sdn(tmp_path / "cut", published_bytes, 0.6, eof=True)
    with pytest.raises(guards.ShrinkRefused) as caught:
        store.import_list("us_ofac_sdn", "ofac_csv", folder, published="2026-08-21", engine=engine)
    message = str(caught.value)
    lost = SDN_COUNT - kept
    assert "us_ofac_sdn" in message
    assert f"{SDN_COUNT:,}" in message and f"{kept:,}" in message and f"{lost:,}" in message
    assert f"{lost / SDN_COUNT:.1%}" in message
    assert "--allow-shrink" in message and "Nothing was imported" in message
    assert store_rows(engine) == before
    assert store.current_snapshots(engine=engine)["us_ofac_sdn"].entity_count == SDN_COUNT


def test_shrunken_list_file_a_small_loss_within_the_share_is_accepted(
    engine, tmp_path, published_bytes, ofac_reconstructed
):
    """The guard is a share, not a ban on removals: OFAC delists entries every week."""
    _store_reconstructed(ofac_reconstructed, engine)
    folder, kept = _cut_sdn(tmp_path / "small", published_bytes, 0.97, eof=True)
    result = store.import_list("us_ofac_sdn", "ofac_csv", folder, published="2026-08-21", engine=engine)
    assert result.created and result.shrink is None
    assert store.current_snapshots(engine=engine)["us_ofac_sdn"].entity_count == kept


def test_shrunken_list_file_the_share_is_configured_in_one_place():
    cfg = guards.config()
    assert cfg.max_share_lost == 0.05
    assert guards.GUARDS_PATH.name == "import_guards.toml"
    assert "max_share_lost = 0.05" in guards.GUARDS_PATH.read_text(encoding="utf-8")


def test_shrunken_list_file_one_entry_un_file_is_refused(
    current_home, engine, tmp_path, published_bytes, store_rows
):
    _, full = current_home
    path = _un_with_entries(tmp_path / "un-one.xml", published_bytes, 1)
    before = store_rows(full)
    with pytest.raises(guards.ShrinkRefused, match=r"1,011 entities.*1 of|1,010 of the current") as caught:
        store.import_list("un_sc_sanctions", "un_xml", path, engine=full)
    assert "un_sc_sanctions" in str(caught.value)
    assert store_rows(full) == before
    # A fresh store has nothing to compare with: the dataset's minimum refuses it.
    with pytest.raises(guards.ShrinkRefused, match="under the 300 a complete un_sc_sanctions file holds"):
        store.import_list("un_sc_sanctions", "un_xml", path, engine=engine)
    assert store.list_snapshots(engine=engine) == []


def test_shrunken_list_file_allowed_shrink_is_audited_and_said(
    proscribe_home, engine, tmp_path, published_bytes, ofac_reconstructed, monkeypatch
):
    old = _store_reconstructed(ofac_reconstructed, engine)
    folder, kept = _cut_sdn(tmp_path / "cut", published_bytes, 0.6, eof=True)
    monkeypatch.setenv("PROSCRIBE_USER", "alice")
    args = [
        "lists",
        "import",
        str(folder),
        "--dataset",
        "us_ofac_sdn",
        "--format",
        "ofac_csv",
        "--published",
        "2026-08-21",
    ]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 1
    assert "--allow-shrink" in refused.output and "the store is unchanged" in refused.output
    assert len(store.list_snapshots(engine=engine)) == 1
    allowed = CliRunner().invoke(app, [*args, "--allow-shrink"])
    assert allowed.exit_code == 0, allowed.output
    assert "shrink allowed" in allowed.output and "audit trail" in allowed.output
    current = store.current_snapshots(engine=engine)["us_ofac_sdn"]
    assert current.entity_count == kept and current.id != old.id
    (event,) = _audit(engine, "list.import.shrink_allowed")
    assert event["dataset"] == "us_ofac_sdn" and event["snapshot"] == current.id
    assert (event["old_count"], event["new_count"], event["lost"]) == (SDN_COUNT, kept, SDN_COUNT - kept)
    assert event["current_snapshot"] == old.id and event["_actor"] == "alice"


def test_shrunken_list_file_history_import_of_an_older_publication_is_not_a_shrink(
    engine, ofac_reconstructed
):
    """An older, smaller publication imported as history does not become current, so it passes."""
    _store_reconstructed(ofac_reconstructed, engine)
    result = store.import_list(
        "us_ofac_sdn", "ofac_csv", DATA / "ofac" / "legacy_2021-07", published="2021-07-07", engine=engine
    )
    assert result.created and result.snapshot.entity_count == 8_976
    assert store.current_snapshots(engine=engine)["us_ofac_sdn"].published == "2026-08-20"


# -- the formats' own completeness markers --------------------------------------------------------


def test_shrunken_list_file_without_the_ofac_end_of_file_byte_is_refused_as_truncated(
    engine, tmp_path, published_bytes
):
    # A fresh store: nothing to compare with, so the format's own marker must catch the cut.
    folder, _ = _cut_sdn(tmp_path / "cut", published_bytes, 0.6, eof=False)
    with pytest.raises(IncompleteListError, match="0x1A") as caught:
        store.import_list("us_ofac_sdn", "ofac_csv", folder, published="2026-08-21", engine=engine)
    assert caught.value.path == str(folder / "sdn.csv")
    assert store.list_snapshots(engine=engine) == []


@pytest.mark.parametrize("member", ["cons_prim.csv", "cons_add.csv", "cons_alt.csv"])
def test_shrunken_list_file_any_marked_member_of_the_set_cut_at_a_row_boundary_is_refused(
    engine, tmp_path, published_bytes, member
):
    folder = tmp_path / "cons"
    folder.mkdir()
    for source in CONS_CSV.iterdir():
        name = source.name.removesuffix(".gz")
        data = published_bytes(source)
        if name == member:
            rows = _rows(data)
            data = b"".join(rows[: len(rows) * 2 // 3])
        (folder / name).write_bytes(data)
    with pytest.raises(IncompleteListError, match="0x1A") as caught:
        store.import_list("us_ofac_cons", "ofac_csv", folder, engine=engine)
    assert caught.value.path == str(folder / member)
    assert store.list_snapshots(engine=engine) == []


def test_shrunken_list_file_cut_at_arbitrary_bytes_is_always_refused(
    engine, tmp_path, published_bytes, store_rows
):
    data = published_bytes(CONS_CSV / "cons_prim.csv.gz")
    rng = random.Random(19)
    cuts = sorted(rng.sample(range(200, len(data) - 1), 25)) + [len(data) - 1]
    before = store_rows(engine)
    for n, cut in enumerate(cuts):
        path = tmp_path / f"cut-{n}" / "cons_prim.csv"
        path.parent.mkdir()
        path.write_bytes(data[:cut])
        with pytest.raises(ListFormatError):
            store.import_list("us_ofac_cons", "ofac_csv", path, engine=engine)
    assert store_rows(engine) == before
    # ... and the whole file still imports.
    whole = tmp_path / "whole" / "cons_prim.csv"
    whole.parent.mkdir()
    whole.write_bytes(data)
    assert store.import_list("us_ofac_cons", "ofac_csv", whole, engine=engine).snapshot.entity_count == 442


def test_shrunken_list_file_ofac_xml_without_its_record_count_is_refused(engine, tmp_path, published_bytes):
    text = published_bytes(CONS_XML).decode("utf-8")
    entries = [m.start() for m in re.finditer(r"  <sdnEntry>", text)]
    cut = text[: entries[len(entries) // 2]] + "</sdnList>\n"
    stripped = re.sub(r"\s*<Record_Count>\d+</Record_Count>", "", cut)
    path = tmp_path / "consolidated.xml"
    path.write_text(stripped, encoding="utf-8")
    with pytest.raises(IncompleteListError, match="Record_Count"):
        store.import_list("us_ofac_cons", "ofac_xml", path, engine=engine)
    # With the count kept, the parser's own check names the mismatch.
    path.write_text(cut, encoding="utf-8")
    with pytest.raises(ListFormatError, match="declares 443 entries but holds 221"):
        store.import_list("us_ofac_cons", "ofac_xml", path, engine=engine)
    assert store.list_snapshots(engine=engine) == []


@pytest.mark.parametrize(
    ("dataset", "fmt", "source"),
    [("gb_hmt_sanctions", "uk_ofsi", UK_XLSX), ("au_dfat_sanctions", "au_dfat", AU_XLSX)],
)
def test_shrunken_list_file_workbook_with_rows_cut_out_is_refused(engine, tmp_path, dataset, fmt, source):
    """A workbook whose sheet ends before the extent its writer declared (``<dimension>``)."""
    out = tmp_path / source.name
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                rows = [m.start() for m in re.finditer(rb"<row\b", data)]
                data = data[: rows[len(rows) * 6 // 10]] + data[data.index(b"</sheetData>") :]
            copy.writestr(info, data)
    with pytest.raises(IncompleteListError, match="declares .* rows but its last row is"):
        store.import_list(dataset, fmt, out, engine=engine)
    assert store.list_snapshots(engine=engine) == []


def test_shrunken_list_file_un_file_without_its_generation_date_is_refused(engine, tmp_path, published_bytes):
    data = published_bytes(UN_XML).replace(b' dateGenerated="2026-08-01T23:00:03.110Z"', b"", 1)
    path = tmp_path / "un.xml"
    path.write_bytes(data)
    with pytest.raises(IncompleteListError, match="dateGenerated"):
        store.import_list("un_sc_sanctions", "un_xml", path, engine=engine)
    assert store.list_snapshots(engine=engine) == []


# -- the parser must belong to the dataset; an unknown format is an error --------------------------


def test_shrunken_list_file_parser_that_does_not_belong_to_the_dataset_is_refused(engine, proscribe_home):
    with pytest.raises(guards.FormatNotForDataset, match="us_ofac_sdn is published as ofac_csv"):
        store.import_list("us_ofac_sdn", "un_xml", UN_XML, engine=engine)
    assert store.list_snapshots(engine=engine) == []
    result = CliRunner().invoke(app, ["lists", "import", str(UN_XML), "-d", "us_ofac_sdn", "-f", "un_xml"])
    assert result.exit_code == 2
    assert "does not belong to this dataset" in result.output and "Traceback" not in result.output
    assert store.list_snapshots(engine=engine) == []
    # An internal dataset takes any format.
    assert store.import_list("my_un_copy", "un_xml", UN_XML, engine=engine).created


def test_shrunken_list_file_unknown_format_is_an_error_never_already_stored(engine, proscribe_home):
    first = CliRunner().invoke(app, ["lists", "import", str(UN_XML), "-d", "un_sc_sanctions", "-f", "un_xml"])
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(app, ["lists", "import", str(UN_XML), "-d", "un_sc_sanctions", "-f", "nosuch"])
    assert again.exit_code == 2
    assert "unknown list format 'nosuch'" in again.output
    assert "ofac_csv" in again.output and "un_xml" in again.output  # the formats, listed
    assert "already stored" not in again.output
    with pytest.raises(ValueError, match="unknown list format 'nosuch'"):
        store.import_list("un_sc_sanctions", "nosuch", UN_XML, engine=engine)


# -- the updater applies the same guards ------------------------------------------------------------


class _Server:
    """A loopback HTTP server answering each path with fixed bytes."""

    def __init__(self, routes: dict[str, bytes]):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                body = routes.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_shrunken_list_file_the_updater_applies_the_same_guards(
    current_home, tmp_path, published_bytes, store_rows
):
    _, engine = current_home
    folder, _ = _cut_sdn(tmp_path / "cut", published_bytes, 0.6, eof=True)
    un_one = _un_with_entries(tmp_path / "un-one.xml", published_bytes, 1).read_bytes()
    server = _Server(
        {
            "/sdn.csv": (folder / "sdn.csv").read_bytes(),
            "/add.csv": (folder / "add.csv").read_bytes(),
            "/alt.csv": (folder / "alt.csv").read_bytes(),
            "/un.xml": un_one,
            "/un-full.xml": published_bytes(UN_XML),
        }
    )
    before = store_rows(engine)
    try:
        with httpx.Client(timeout=30.0, trust_env=False) as client:
            sdn = {
                "format": "ofac_csv",
                "files": {n: server.url(f"/{n}") for n in ("sdn.csv", "add.csv", "alt.csv")},
            }
            results = [
                update_dataset("us_ofac_sdn", sdn, client=client, engine=engine),
                update_dataset(
                    "un_sc_sanctions",
                    {"format": "un_xml", "files": {"consolidated.xml": server.url("/un.xml")}},
                    client=client,
                    engine=engine,
                ),
                update_dataset(
                    "us_ofac_sdn",
                    {"format": "un_xml", "files": {"consolidated.xml": server.url("/un-full.xml")}},
                    client=client,
                    engine=engine,
                ),
            ]
    finally:
        server.close()
    assert [r.status for r in results] == ["failed", "failed", "failed"]
    assert "would disappear" in results[0].detail and "--allow-shrink" in results[0].detail
    assert "un_sc_sanctions" in results[1].detail and "would disappear" in results[1].detail
    assert "does not belong to this dataset" in results[2].detail
    assert all("the previous snapshot stays current" in r.detail for r in results)
    assert store_rows(engine) == before
