"""A firm's own internal list as CSV (documented in ``docs/custom-list.md``).

UTF-8 (a byte-order mark is allowed), comma-separated, one header row, one party a row.
Multi-valued columns separate their values with ``;``. Row numbers in errors count the header
as row 1, so they are the row numbers a spreadsheet shows.

Fail closed: an unknown column (a typo would silently drop data), a missing required column, a
duplicate column, a row with too many or too few fields, a missing ``id``/``name``, a duplicate
``id``, an unknown ``schema``, an invalid date, a malformed ``crypto`` or ``email`` value or a
file that is not UTF-8 raises :class:`ListFormatError` naming the row (or line) and column.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from proscribe.model import SCHEMATA, Address, Entity, Identifier, Sanction, make_id
from proscribe.sources.base import ListFormatError, ParsedList, country_code, parse_date, read_bytes

REQUIRED_COLUMNS = ("id", "schema", "name")

#: Identifier columns and the proscribe identifier type each one holds.
IDENTIFIER_COLUMNS: dict[str, str] = {
    "passport": "passport",
    "national_id": "national_id",
    "tax_id": "tax_id",
    "registration": "registration",
    "lei": "lei",
    "imo": "imo",
    "swift_bic": "swift_bic",
    "website": "website",
    "email": "email",
    "crypto": "crypto",
}

COLUMNS: tuple[str, ...] = (
    "id",
    "schema",
    "name",
    "aliases",
    "weak_aliases",
    "birth_date",
    "nationality",
    "country",
    "address",
    "program",
    "listing_date",
    "reason",
    *IDENTIFIER_COLUMNS,
    "notes",
)

#: The date ``birth_date`` means for each schema, as the FtM property it fills.
_DATE_PROPERTY = {
    "Person": "birthDate",
    "Company": "incorporationDate",
    "Organization": "incorporationDate",
    "LegalEntity": "incorporationDate",
    "Vessel": "buildDate",
    "Airplane": "buildDate",
}

_SCHEMA_BY_LOWER = {s.lower(): s for s in SCHEMATA}
_ISO_PARTIAL_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_CRYPTO = re.compile(r"([A-Za-z0-9]{2,12}):(\S+)")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _decode(path: Path) -> str:
    data = read_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ListFormatError(path, f"line {line}", f"not UTF-8 text: {exc.reason}") from exc


def _check_header(path: Path, header: list[str]) -> list[str]:
    columns = [column.strip() for column in header]
    if not any(columns):
        raise ListFormatError(path, "row 1", "the header row is empty")
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise ListFormatError(
            path,
            "row 1",
            f"unknown column(s) {', '.join(repr(c) for c in unknown)}; "
            f"documented columns are: {', '.join(COLUMNS)}",
        )
    duplicates = sorted({c for c in columns if columns.count(c) > 1})
    if duplicates:
        raise ListFormatError(path, "row 1", f"duplicate column(s) {', '.join(duplicates)}")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ListFormatError(path, "row 1", f"missing required column(s) {', '.join(missing)}")
    return columns


def _date(path: Path, where: str, value: str) -> str:
    parsed = parse_date(value) if _ISO_PARTIAL_DATE.fullmatch(value) else None
    if parsed is None:
        raise ListFormatError(path, where, f"invalid date {value!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    return parsed


def parse(path: Path, dataset: str) -> ParsedList:
    path = Path(path)
    text = _decode(path)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    warnings: list[str] = []
    try:
        header = next(reader, None)
        if header is None:
            raise ListFormatError(path, None, "the file is empty (a header row is required)")
        columns = _check_header(path, header)
        entities: list[Entity] = []
        seen: dict[str, int] = {}
        row_number = 1
        for fields in reader:
            row_number += 1
            if not fields or not any(f.strip() for f in fields):
                continue  # blank line
            if len(fields) != len(columns):
                raise ListFormatError(
                    path,
                    f"row {row_number}",
                    f"has {len(fields)} fields, the header has {len(columns)} (truncated or unquoted comma?)",
                )
            row = {column: value.strip() for column, value in zip(columns, fields, strict=True)}
            entity = _entity(path, dataset, row_number, row, seen, warnings)
            entities.append(entity)
    except csv.Error as exc:
        raise ListFormatError(path, f"line {reader.line_num}", f"malformed CSV: {exc}") from exc
    return ParsedList(dataset=dataset, entities=entities, published=None, warnings=warnings)


def _entity(
    path: Path,
    dataset: str,
    row_number: int,
    row: dict[str, str],
    seen: dict[str, int],
    warnings: list[str],
) -> Entity:
    def where(column: str) -> str:
        return f"row {row_number}, column {column}"

    source_id = row.get("id", "")
    if not source_id:
        raise ListFormatError(path, where("id"), "id is required")
    if source_id in seen:
        raise ListFormatError(
            path, where("id"), f"duplicate id {source_id!r} (first used in row {seen[source_id]})"
        )
    seen[source_id] = row_number
    raw_schema = row.get("schema", "")
    schema = _SCHEMA_BY_LOWER.get(raw_schema.lower())
    if schema is None:
        raise ListFormatError(
            path, where("schema"), f"unknown schema {raw_schema!r} (one of {', '.join(SCHEMATA)})"
        )
    name = row.get("name", "")
    if not name:
        raise ListFormatError(path, where("name"), "name is required")

    entity = Entity(id=make_id(dataset, source_id), schema=schema, dataset=dataset, source_id=source_id)
    entity.add("name", name)
    entity.add("alias", _split(row.get("aliases", "")))
    entity.add("weakAlias", _split(row.get("weak_aliases", "")))
    if row.get("birth_date"):
        for value in _split(row["birth_date"]):
            entity.add(_DATE_PROPERTY[schema], _date(path, where("birth_date"), value))

    for value in _split(row.get("nationality", "")):
        code = country_code(value)
        if code is None:
            warnings.append(f"{where('nationality')}: country {value!r} not recognised, kept as written")
        entity.add("nationality" if schema == "Person" else "country", code or value)
    countries = _split(row.get("country", ""))
    codes: list[str | None] = []
    for value in countries:
        code = country_code(value)
        codes.append(code)
        if code is None:
            warnings.append(f"{where('country')}: country {value!r} not recognised, kept as written")
        entity.add("country", code or value)
    for full in _split(row.get("address", "")):
        # The address takes the row's country only when the row names exactly one.
        single = len(countries) == 1
        written = countries[0] if single else None
        if written and codes[0] and written.lower() == codes[0]:
            written = None  # written as the code itself: nothing more to keep
        entity.add_address(Address(full=full, country=codes[0] if single else None, country_name=written))
        entity.add("address", full)

    listing_date = (
        _date(path, where("listing_date"), row["listing_date"]) if row.get("listing_date") else None
    )
    reason = row.get("reason") or None
    programs = _split(row.get("program", ""))
    if programs:
        for program in programs:
            entity.add_sanction(
                Sanction(authority=dataset, program=program, listing_date=listing_date, reason=reason)
            )
    elif listing_date or reason:
        entity.add_sanction(Sanction(authority=dataset, program="", listing_date=listing_date, reason=reason))

    for column, ident_type in IDENTIFIER_COLUMNS.items():
        for value in _split(row.get(column, "")):
            if ident_type == "crypto":
                match = _CRYPTO.fullmatch(value)
                if match is None:
                    raise ListFormatError(
                        path,
                        where(column),
                        f"crypto value {value!r} is not CURRENCY:address (e.g. XBT:1A1z...)",
                    )
                entity.add_identifier(
                    Identifier(
                        type="crypto", value=match.group(2), currency=match.group(1).upper(), label=column
                    )
                )
                continue
            if ident_type == "email" and _EMAIL.fullmatch(value) is None:
                raise ListFormatError(path, where(column), f"{value!r} is not an e-mail address")
            entity.add_identifier(Identifier(type=ident_type, value=value, label=column))

    entity.add("notes", row.get("notes"))  # free text: not split
    return entity
