"""Writes the seed files of the fuzz corpus: small real slices of the bundled lists (data/) and
copies of the project's own sample messages, books and ownership files.

Run once from the repository root (``python tests/fuzz/make_seeds.py``); the seeds are kept in
tests/fuzz/corpus/<target>/ with their source named in tests/fuzz/corpus/SOURCES.md. A slice keeps
the publisher's own header and completeness markers (OFAC's end-of-file byte, a declared record
count adjusted to the slice, a workbook's extent), so an unmutated seed parses as a valid list.
"""

from __future__ import annotations

import gzip
import io
import json
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
from lxml import etree

from proscribe.sources.base import safe_xml_parser

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = Path(__file__).resolve().parent / "corpus"
RECORDS = 6


def _out(target: str, name: str) -> Path:
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def _xml_slice(
    data: bytes, container_path: str, keep: int, ns: dict[str, str] | None = None
) -> etree._Element:
    root = etree.fromstring(data, safe_xml_parser())
    for container in root.xpath(container_path, namespaces=ns or {}):
        for extra in list(container)[keep:]:
            container.remove(extra)
    return root


def _write_xml(root: etree._Element, path: Path) -> None:
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def ofac_csv() -> None:
    for folder, name in (("sdn_2026-08-20_reconstructed", "sdn"), ("sdn_2024-05-03", "sdn_2024-05-03")):
        raw = gzip.decompress((DATA / "ofac" / folder / "sdn.csv.gz").read_bytes())
        lines = raw.split(b"\r\n")
        _out("ofac_csv", f"seed-{name}.csv").write_bytes(b"\r\n".join(lines[: RECORDS * 2]) + b"\r\n\x1a")


def ofac_xml() -> None:
    data = gzip.decompress((DATA / "ofac" / "consolidated" / "consolidated.xml.gz").read_bytes())
    root = etree.fromstring(data, safe_xml_parser())
    ns = {"o": root.nsmap[None]}
    for entry in root.xpath("o:sdnEntry", namespaces=ns)[RECORDS:]:
        root.remove(entry)
    root.xpath("o:publshInformation/o:Record_Count", namespaces=ns)[0].text = str(RECORDS)
    _write_xml(root, _out("ofac_xml", "seed-consolidated.xml"))


def ofac_enhanced() -> None:
    with zipfile.ZipFile(DATA / "ofac" / "consolidated" / "CONS_ENHANCED.ZIP") as archive:
        data = archive.read("CONS_ENHANCED.XML")
    root = etree.fromstring(data, safe_xml_parser())
    ns = {"o": root.nsmap[None]}
    for container in root.xpath("o:entities", namespaces=ns):
        for extra in list(container)[RECORDS:]:
            container.remove(extra)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("CONS_ENHANCED.XML", etree.tostring(root, xml_declaration=True, encoding="utf-8"))
    _out("ofac_enhanced", "seed-cons_enhanced.zip").write_bytes(buffer.getvalue())


def un_xml() -> None:
    data = gzip.decompress((DATA / "un" / "consolidated.xml.gz").read_bytes())
    _write_xml(_xml_slice(data, "/*/*", RECORDS), _out("un_xml", "seed-consolidated.xml"))


def ca_sema() -> None:
    data = gzip.decompress((DATA / "ca" / "sema_consolidated.xml.gz").read_bytes())
    _write_xml(_xml_slice(data, "/*", RECORDS * 2), _out("ca_sema", "seed-sema.xml"))


def eu_fsf() -> None:
    shutil.copy(FIXTURES / "eu" / "eu_fsf_sample.xml", _out("eu_fsf", "seed-eu_fsf_sample.xml"))


def _xlsx_slice(source: Path, target: str, rows: int) -> None:
    """The first ``rows`` rows of every sheet, values only, sheet names kept."""
    book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    out = openpyxl.Workbook()
    out.remove(out.active)
    for sheet in book.worksheets:
        copy = out.create_sheet(sheet.title)
        for row in sheet.iter_rows(max_row=rows, values_only=True):
            copy.append(list(row))
    out.save(_out(target, f"seed-{source.stem}.xlsx"))


def workbooks() -> None:
    _xlsx_slice(DATA / "uk" / "ConList.xlsx", "uk_ofsi", 3 + RECORDS * 2)
    _xlsx_slice(DATA / "au" / "dfat_consolidated.xlsx", "au_dfat", 1 + RECORDS * 2)


def ftm_json() -> None:
    shutil.copy(FIXTURES / "opensanctions" / "t1_entities.ftm.json", _out("ftm_json", "seed-t1.ftm.json"))
    lines = (FIXTURES / "opensanctions" / "zala_entities.ftm.json").read_bytes().splitlines(keepends=True)
    _out("ftm_json", "seed-zala.ftm.json").write_bytes(b"".join(lines[:12]))


def custom_csv() -> None:
    shutil.copy(FIXTURES / "custom" / "internal_list.csv", _out("custom_csv", "seed-internal_list.csv"))


PAYMENT_SEEDS = {
    "payments/iso20022": [
        FIXTURES / "payments" / "pacs008_v08_itg.xml",
        FIXTURES / "payments" / "pacs008_v12_clean.xml",
        FIXTURES / "payments" / "pain001_v03_batch.xml",
        FIXTURES / "payments" / "pain001_v09_sis.xml",
        FIXTURES / "payments" / "iso" / "pacs.009.001.08_cov_listed_underlying_ultimate_creditor.xml",
        FIXTURES / "payments" / "iso" / "pacs.009.001.02_core_clean.xml",
    ],
    "payments/mt": [
        FIXTURES / "payments" / "mt103_clean.fin",
        FIXTURES / "payments" / "mt103_50f_sevastopol.fin",
        FIXTURES / "payments" / "mt" / "mt202_clean.fin",
        FIXTURES / "payments" / "mt" / "mt202cov_listed_in_sequence_b.fin",
    ],
    "payments/json_form": [
        FIXTURES / "payments" / "json_clean.json",
        FIXTURES / "payments" / "json_cuba.json",
    ],
}


def payments() -> None:
    for target, files in PAYMENT_SEEDS.items():
        for file in files:
            shutil.copy(file, _out(target, f"seed-{file.name}"))


def book() -> None:
    csv_text = (DATA / "samples" / "customers.csv").read_bytes()
    _out("book_csv", "seed-customers.csv").write_bytes(csv_text)
    import csv

    rows = list(csv.DictReader(io.StringIO(csv_text.decode("utf-8"))))
    records = []
    for row in rows:
        props = {k: [v] for k, v in row.items() if k not in ("id", "schema", "kind") and v}
        records.append({"id": row["id"], "schema": row.get("schema") or "LegalEntity", "properties": props})
    _out("book_jsonl", "seed-customers.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    table = pa.Table.from_pylist([{k: v for k, v in row.items() if v is not None} for row in rows])
    pq.write_table(table, _out("book_parquet", "seed-customers.parquet"))


def ownership() -> None:
    csv_path = DATA / "samples" / "ownership.csv"
    shutil.copy(csv_path, _out("ownership", "seed-ownership.csv"))
    import csv

    rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    _out("ownership", "seed-ownership.json").write_text(json.dumps({"relationships": rows}, indent=1))
    lines = (FIXTURES / "opensanctions" / "zala_entities.ftm.json").read_bytes().splitlines(keepends=True)
    links = [line for line in lines if b'"Ownership"' in line or b'"Directorship"' in line][:4]
    ids = set()
    for line in links:
        props = json.loads(line)["properties"]
        ids.update(props.get("owner", []) + props.get("asset", []) + props.get("director", []))
        ids.update(props.get("organization", []))
    parties = [line for line in lines if json.loads(line)["id"] in ids]
    _out("ownership", "seed-zala-ownership.ftm.json").write_bytes(b"".join(parties + links))


if __name__ == "__main__":
    for make in (
        ofac_csv,
        ofac_xml,
        ofac_enhanced,
        un_xml,
        ca_sema,
        eu_fsf,
        workbooks,
        ftm_json,
        custom_csv,
        payments,
        book,
        ownership,
    ):
        make()
