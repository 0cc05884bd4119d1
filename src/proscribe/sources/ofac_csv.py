"""OFAC's legacy CSV file set: SDN.CSV, ADD.CSV, ALT.CSV, SDN_COMMENTS.CSV (and the CONS_* set
of the non-SDN Consolidated List, which has the same layout).

Layout (no header row; ``-0-`` stands for an empty field; CRLF line ends; the file ends with a
DOS end-of-file byte 0x1A):

- ``sdn.csv``: uid, name, type (``individual``/``vessel``/``aircraft``/``-0-`` for entities),
  programs (several separated by ``] [``), title, call sign, vessel type, tonnage, GRT,
  vessel flag, vessel owner, remarks.
- ``add.csv``: uid, address id, street, "city, state/province, postal code", country, remarks.
- ``alt.csv``: uid, alias id, type (``aka``/``fka``/``nka``), alias, remarks. These are OFAC's
  strong aliases; the weak ones are in the remarks (see :mod:`ofac_remarks`).
- ``sdn_comments.csv``: uid, continuation of a remark too long for SDN.CSV's column.

``path`` may be the folder holding the set, or a lone ``sdn.csv`` (older snapshots were kept as
the primary file alone). Any file may be gzip-compressed (``.gz``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from proscribe.model import Address, Entity, Sanction, make_id
from proscribe.sources.base import (
    IncompleteListError,
    ListFormatError,
    ParsedList,
    country_code,
    organization_schema,
    read_bytes,
)
from proscribe.sources.ofac_remarks import apply_remarks

_PRIMARY = ("sdn.csv", "cons_prim.csv")
_ADDRESSES = ("add.csv", "cons_add.csv")
_ALIASES = ("alt.csv", "cons_alt.csv")
_COMMENTS = ("sdn_comments.csv", "cons_comments.csv")

_TYPES = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}


def _find(folder: Path, names: tuple[str, ...]) -> Path | None:
    for name in names:
        for candidate in (
            folder / name,
            folder / f"{name}.gz",
            folder / name.upper(),
            folder / f"{name.upper()}.gz",
        ):
            if candidate.exists():
                return candidate
    return None


def _null(value: str) -> str | None:
    value = value.strip()
    return None if value in ("", "-0-") else value


def _rows(path: Path, width: int) -> list[tuple[int, list[str]]]:
    """Read one CSV of the set, checking every row has ``width`` fields; returns (line, row)."""
    raw = read_bytes(path)
    text = raw.decode("utf-8", errors="strict") if _is_utf8(raw) else raw.decode("cp1252", errors="replace")
    text = text.rstrip("\x1a\r\n ")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != width:
                raise ListFormatError(
                    path,
                    f"line {line}",
                    f"expected {width} fields, found {len(row)} (truncated or malformed row)",
                )
            if not row[0].strip().isdigit():
                raise ListFormatError(
                    path, f"line {line}", f"first field must be the OFAC uid, found {row[0][:30]!r}"
                )
            rows.append((line, row))
    except csv.Error as exc:
        raise ListFormatError(
            path, f"line {reader.line_num}", f"malformed CSV: {exc} (truncated file?)"
        ) from exc
    return rows


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def parse(path: Path, dataset: str) -> ParsedList:
    path = Path(path)
    if path.is_dir():
        primary = _find(path, _PRIMARY)
        if primary is None:
            raise ListFormatError(path, None, "no sdn.csv or cons_prim.csv in this folder")
        addresses, aliases, comments = _find(path, _ADDRESSES), _find(path, _ALIASES), _find(path, _COMMENTS)
    else:
        primary, addresses, aliases, comments = path, None, None, None

    rows = _rows(primary, 12)
    if not rows:
        raise ListFormatError(primary, None, "no records (empty or truncated file)")
    continuations: dict[str, str] = {}
    if comments is not None:
        for _, row in _rows(comments, 2):
            continuations[row[0].strip()] = continuations.get(row[0].strip(), "") + row[1]

    entities: dict[str, Entity] = {}
    authority = "US OFAC"
    for line, row in rows:
        uid = row[0].strip()
        name = _null(row[1])
        if name is None:
            raise ListFormatError(primary, f"line {line}", f"record {uid} has no name")
        sdn_type = (_null(row[2]) or "").lower()
        schema = _TYPES.get(sdn_type) or organization_schema(name)
        entity = Entity(id=make_id(dataset, uid), schema=schema, dataset=dataset, source_id=uid)
        entity.add("name", name)
        programs = (_null(row[3]) or "").strip("[] ")
        for program in programs.split("] ["):
            if program.strip():
                entity.add_sanction(Sanction(authority=authority, program=program.strip(), source_id=uid))
        title = _null(row[4])
        if title:
            entity.add("position" if schema == "Person" else "notes", title)
        if schema == "Vessel":
            entity.add("callSign", _null(row[5]))
            entity.add("type", _null(row[6]))
            entity.add("tonnage", _null(row[7]))
            entity.add("grossRegisteredTonnage", _null(row[8]))
            flag = _null(row[9])
            if flag and flag.lower() != "none identified":  # OFAC's word for "no flag known"
                entity.add("flag", country_code(flag) or flag)
            owner = _null(row[10])
            if owner:
                entity.add("notes", f"Vessel owner: {owner}")
        remarks = _null(row[11])
        if uid in continuations:
            remarks = (remarks or "") + continuations[uid]
        if remarks:
            apply_remarks(entity, remarks)
        if uid in entities:
            raise ListFormatError(primary, f"line {line}", f"duplicate uid {uid}")
        entities[uid] = entity

    if aliases is not None:
        for _line, row in _rows(aliases, 5):
            uid = row[0].strip()
            entity = entities.get(uid)
            if entity is None:
                continue  # the published ALT.CSV can be a day ahead of SDN.CSV; not an error
            alias = _null(row[3])
            if alias is None:
                continue
            kind = (_null(row[2]) or "aka").lower()
            prop = "previousName" if kind == "fka" else "alias"
            entity.add(prop, alias)

    if addresses is not None:
        for _line, row in _rows(addresses, 6):
            entity = entities.get(row[0].strip())
            if entity is None:
                continue
            _add_address(entity, row)

    return ParsedList(dataset=dataset, entities=list(entities.values()))


def check_complete(path: Path, parsed: ParsedList) -> None:
    """Refuse a set whose primary, address or alias file lacks OFAC's end-of-file byte (0x1A).

    OFAC ends each of those files with it (every bundled official copy does), so a copy cut at a
    row boundary, which parses cleanly, still shows it is short. The comments files are not
    checked: the official 2021 ``sdn_comments.csv`` ends without the byte (data/PROVENANCE.md).
    """
    path = Path(path)
    if path.is_dir():
        files = [found for names in (_PRIMARY, _ADDRESSES, _ALIASES) if (found := _find(path, names))]
    else:
        files = [path]
    for file in files:
        if not read_bytes(file).rstrip(b" \t\r\n").endswith(b"\x1a"):
            raise IncompleteListError(
                file,
                "end of file",
                "no end-of-file byte 0x1A, which OFAC writes at the end of this file: "
                "the copy is truncated (cut short) or was re-saved",
            )


def _add_address(entity: Entity, row: list[str]) -> None:
    street = _null(row[2])
    locality = _null(row[3])
    country_name = _null(row[4])
    note = _null(row[5])
    city = region = postal = None
    if locality:
        parts = [p.strip() for p in locality.split(",") if p.strip()]
        if parts:
            city = parts[0]
        for part in parts[1:]:
            if any(ch.isdigit() for ch in part) and postal is None:
                postal = part
            elif region is None:
                region = part
    code = country_code(country_name)
    full = ", ".join(p for p in (street, locality, country_name) if p)
    entity.add_address(
        Address(
            full=full or None,
            street=street,
            city=city,
            region=region,
            postal_code=postal,
            country=code,
            country_name=country_name,
            note=note,
        )
    )
    if code:
        entity.add("country", code)
