"""HM Treasury OFSI Consolidated List, XLSX layout (``ConList.xlsx``).

The workbook has one sheet, ``Data``. Row 1 states the publication date (``Last Updated`` and
``10/04/2025``, day first); the next row is the header; every further row is one *name* of one
designated party, and the party is identified by ``Group ID``. A party therefore spans many rows:
one per name (``Alias Type``: ``Primary name``, ``Primary name variation``, ``AKA``, ``FKA``), and
the sheet also repeats rows per date of birth, per address and per regime (the rows are a cross
product). All rows of a group are merged into one :class:`Entity` whose ``source_id`` is the Group ID.

Mapping:

* ``Name 6`` is the surname (or the whole name of an entity or ship), ``Name 1``..``Name 5`` the
  given names; a name is written ``Name1 Name2 ... Name5 Name6``.
* ``Primary name`` -> ``name``; ``Primary name variation`` and ``AKA`` -> ``alias``; an alias whose
  ``Alias Quality`` is ``Low quality`` -> ``weakAlias``; ``FKA`` -> ``previousName``;
  ``Name Non-Latin Script`` -> ``alias`` (verbatim).
* ``Group Type``: ``Individual`` -> Person, ``Entity`` -> Company/Organization, ``Ship`` -> Vessel.
* ``DOB`` is ``dd/mm/yyyy`` with ``00`` for an unknown day or month (``00/00/1961`` -> ``1961``).
* Multi-valued cells enumerate their values as ``(1) ... (2) ...``; they are split.
* ``Other Information`` is kept whole in ``notes``; its labelled parts (``(Gender):Male``,
  ``(IMO number):7408873``, ``(Business Reg No):...``, ``(Parent company):...``) are extracted.

Column positions are never assumed: the header row is located by name, and a missing required
column is a :class:`ListFormatError`. The helpers at the top (workbook opening, header location,
cell conversion, enumeration splitting) are shared with the DFAT parser.
"""

from __future__ import annotations

import datetime
import functools
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from proscribe.model import Address, Entity, Identifier, Link, Sanction, make_id
from proscribe.sources.base import (
    ZIP_FAULTS,
    ListFormatError,
    ParsedList,
    check_xlsx_complete,
    country_code,
    organization_schema,
    parse_date,
    read_bytes,
)

AUTHORITY = "UK HM Treasury OFSI"

# -- XLSX helpers (shared with au_dfat) -----------------------------------------------------------

#: An XLSX is a zip of XML parts; refuse anything that would inflate past this (zip bombs).
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024


def iter_sheet_rows(path: Path, sheet: str | None = None) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Yield ``(excel_row_number, values)`` for every row of ``sheet`` (default: the first).

    A file that is not a readable workbook (truncated, not a zip, corrupt XML inside) raises
    :class:`ListFormatError`; an error while reading rows names the row it stopped at.
    """
    import openpyxl

    data = read_bytes(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except ZIP_FAULTS as exc:
        raise ListFormatError(
            path, "zip container", f"not a readable XLSX workbook (truncated?): {exc}"
        ) from exc
    if inflated > MAX_UNCOMPRESSED_BYTES:
        raise ListFormatError(path, "zip container", f"workbook inflates to {inflated} bytes; refused")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise ListFormatError(path, "workbook", f"not a readable XLSX workbook: {exc}") from exc
    row_no = 0
    try:
        if sheet is not None and sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        elif sheet is not None:
            raise ListFormatError(path, f"sheet {sheet!r}", f"sheet missing; sheets: {workbook.sheetnames}")
        elif workbook.worksheets:
            worksheet = workbook.worksheets[0]
        else:
            raise ListFormatError(path, "workbook", "the workbook has no worksheet")
        try:
            for row_no, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                yield row_no, values
        except ListFormatError:
            raise
        except Exception as exc:
            raise ListFormatError(path, f"row {row_no + 1}", f"cannot read worksheet: {exc}") from exc
    finally:
        workbook.close()


def cell_text(value: Any) -> str | None:
    """A cell as stripped text (None when empty). Excel's escaped carriage return is removed."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("_x000D_", "").strip()
    return text or None


def cell_date(value: Any) -> str | None:
    """A date cell (a datetime, or text such as ``10/04/2025`` day first) as an FtM date."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = cell_text(value)
    if text is None:
        return None
    month_year = re.fullmatch(r"(\d{1,2})/(\d{4})", text)
    if month_year:  # ``05/1961``: month and year only
        return parse_date(f"{month_year.group(2)}-{month_year.group(1)}")
    return parse_date(text)


def _header_key(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value)).strip().casefold() if value is not None else ""


def find_header(
    path: Path,
    rows: Iterator[tuple[int, tuple[Any, ...]]],
    required: Sequence[str],
    optional: Sequence[str],
    search_rows: int = 10,
) -> tuple[int, dict[str, int], list[tuple[int, tuple[Any, ...]]]]:
    """Find the header row among the first ``search_rows`` rows by its column names.

    Returns the header's row number, ``{column name: index}`` for every known column present,
    and the rows seen before the header (a title or date line). Raises when no row looks like the
    header or when a required column is missing.
    """
    wanted = {_header_key(name): name for name in (*required, *optional)}
    before: list[tuple[int, tuple[Any, ...]]] = []
    for row_no, values in rows:
        found: dict[str, int] = {}
        for index, value in enumerate(values):
            name = wanted.get(_header_key(value))
            if name is not None and name not in found:
                found[name] = index
        if len(found) >= min(3, len(wanted)):
            missing = [name for name in required if name not in found]
            if missing:
                names = ", ".join(repr(m) for m in missing)
                raise ListFormatError(path, f"row {row_no} (header)", f"missing required column(s) {names}")
            return row_no, found, before
        before.append((row_no, values))
        if row_no >= search_rows:
            break
    names = ", ".join(repr(m) for m in required)
    raise ListFormatError(path, f"rows 1-{search_rows}", f"no header row found (expected columns {names})")


class RowReader:
    """Reads one data row by column name (absent optional columns read as None)."""

    def __init__(self, columns: dict[str, int]):
        self.columns = columns

    def raw(self, values: tuple[Any, ...], name: str) -> Any:
        index = self.columns.get(name)
        if index is None or index >= len(values):
            return None
        return values[index]

    def text(self, values: tuple[Any, ...], name: str) -> str | None:
        return cell_text(self.raw(values, name))


_ENUMERATOR = re.compile(r"\(\d{1,2}\)\s*to\s*\(\d{1,2}\)|\(\d{1,2}(?:\s*-\s*\d{1,2})?\)")


def split_enumerated(text: str | None) -> list[str]:
    """Split ``(1) Mullah (2) Maulavi`` into its items; text not starting with ``(1)`` is one item.

    Ranges such as ``(1) to (6) Algeria (7) Morocco`` and ``(1-3) Libya (4) Morocco`` give one item
    per written value. Empty and ``-`` items are dropped.
    """
    if not text:
        return []
    text = text.strip()
    if not re.match(r"\(\s*1\s*(?:\)|-|to)", text):
        return [text]
    items = []
    for part in _ENUMERATOR.split(text):
        item = part.strip().strip(".;,").strip()
        if item and item not in ("-", "–"):
            items.append(item)
    return items


_NOW = re.compile(r"\b(?:now|currently)\s+(?:the\s+)?([^()]+?)\)?\s*$", re.IGNORECASE)
_COUNTRY_ALIASES = {
    "congo (democratic republic)": "cd",
    "occupied palestinian territories": "ps",
    "bosnia-herzegovina": "ba",
    "repubic of moldova": "md",
}


@functools.lru_cache(maxsize=8192)
def country_of(name: str | None) -> str | None:
    """ISO code for a country as the UK and Australian lists write it, or None.

    Beyond :func:`country_code` this understands ``Iraq (previous address)``, ``Ukrainian SSR (now
    Ukraine)``, ``Former USSR, now Kyrgyzstan`` and the lists' own spellings.
    """
    if not name:
        return None
    text = re.sub(r"\s+", " ", name).strip().strip(".").strip()
    if not text:
        return None
    alias = _COUNTRY_ALIASES.get(text.casefold())
    if alias:
        return alias
    now = _NOW.search(text)
    if now:
        code = country_code(now.group(1).strip(" ,.")) or _COUNTRY_ALIASES.get(
            now.group(1).strip().casefold()
        )
        if code:
            return code
    code = country_code(text)
    if code:
        return code
    bare = re.sub(r"\s*\([^()]*\)", "", text).strip(" ,.")
    if bare and bare != text:
        return _COUNTRY_ALIASES.get(bare.casefold()) or country_code(bare)
    return None


def countries_in(text: str | None) -> list[tuple[str | None, str]]:
    """Every country a cell names, as ``(code or None, text as written)``.

    Splits ``(1) Russia (2) Israel``; a non-enumerated ``Estonia, Russia`` is split only when every
    part is a country.
    """
    result: list[tuple[str | None, str]] = []
    for item in split_enumerated(text):
        code = country_of(item)
        if code is None and re.search(r"[,;.]", item):
            parts = [p.strip() for p in re.split(r"[,;.]", item) if p.strip()]
            codes = [country_of(p) for p in parts]
            if len(parts) > 1 and all(codes):
                result.extend(zip(codes, parts, strict=True))
                continue
        result.append((code, item))
    return result


# -- the OFSI list --------------------------------------------------------------------------------

REQUIRED_COLUMNS = ("Name 6", "Group Type", "Alias Type", "Regime", "Listed On", "Group ID")
NAME_COLUMNS = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5")
ADDRESS_COLUMNS = ("Address 1", "Address 2", "Address 3", "Address 4", "Address 5", "Address 6")
OPTIONAL_COLUMNS = (
    *NAME_COLUMNS,
    "Title",
    "Name Non-Latin Script",
    "Non-Latin Script Type",
    "Non-Latin Script Language",
    "DOB",
    "Town of Birth",
    "Country of Birth",
    "Nationality",
    "Passport Number",
    "Passport Details",
    "National Identification Number",
    "National Identification Details",
    "Position",
    *ADDRESS_COLUMNS,
    "Post/Zip Code",
    "Country",
    "Other Information",
    "Alias Quality",
    "UK Sanctions List Date Designated",
    "Last Updated",
)

#: Group Type -> schema (``Entity`` is refined to Company/Organization by its name).
GROUP_TYPES = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}

#: Alias Type -> name property (``Low quality`` aliases become ``weakAlias``).
ALIAS_TYPES = {
    "primary name": "name",
    "primary name variation": "alias",
    "aka": "alias",
    "fka": "previousName",
}

#: Labels that structure the ``Other Information`` text.
OTHER_INFO_LABELS = (
    "UK Sanctions List Ref",
    "UK Statement of Reasons",
    "UN Ref",
    "Gender",
    "Phone number",
    "Email address",
    "Website",
    "Type of entity",
    "Parent company",
    "Subsidiaries",
    "Business Reg No",
    "IMO number",
    "Current owners",
    "Flag of ship",
    "Previous flags",
    "Type of ship",
    "Tonnage of ship",
    "Length of ship",
    "Year built",
)
_UK_REF = re.compile(r"\b[A-Z]{3}\d{4}\b")
_UN_REF = re.compile(r"\b[A-Z]{2}[ie]\.\d{3}\b")
_OTHER_INFO_SPLIT = re.compile(
    r"\((" + "|".join(re.escape(label) for label in OTHER_INFO_LABELS) + r")\)\s*:"
)


class _Group:
    """Everything the rows of one Group ID say, each value once, in order of appearance."""

    def __init__(self, group_id: str, row_no: int):
        self.group_id = group_id
        self.first_row = row_no
        self.group_types: dict[str, int] = {}
        self.names: dict[tuple[str, str], None] = {}  # (property, name)
        self.values: dict[str, dict[str, None]] = {}
        self.births: dict[tuple[str | None, str | None], None] = {}
        self.addresses: dict[tuple[str | None, ...], None] = {}
        self.sanctions: dict[tuple[str, str | None], None] = {}

    def note(self, column: str, value: str | None) -> None:
        if value:
            self.values.setdefault(column, {})[value] = None

    def get(self, column: str) -> list[str]:
        return list(self.values.get(column, {}))


def parse(path: Path, dataset: str = "gb_hmt_sanctions") -> ParsedList:
    """Parse the OFSI Consolidated List workbook into one entity per Group ID."""
    path = Path(path)
    rows = iter_sheet_rows(path, "Data")
    header_row, columns, before = find_header(path, rows, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    reader = RowReader(columns)
    published = _published(before)
    warnings: list[str] = []
    groups: dict[str, _Group] = {}
    for row_no, values in rows:
        if all(cell_text(v) is None for v in values):
            continue
        _read_row(path, row_no, values, reader, groups, warnings)
    if not groups:
        raise ListFormatError(path, f"row {header_row + 1}", "no records after the header row")
    entities = [_build(group, dataset, warnings) for group in groups.values()]
    return ParsedList(dataset=dataset, entities=entities, published=published, warnings=warnings)


def _published(rows: Iterable[tuple[int, tuple[Any, ...]]]) -> str | None:
    """``Last Updated`` + ``10/04/2025`` (two cells or one) above the header -> ``2025-04-10``."""
    for _, values in rows:
        cells = [v for v in values if v is not None]
        for index, value in enumerate(cells):
            text = cell_text(value) or ""
            if not text.casefold().startswith("last updated"):
                continue
            rest = text[len("last updated") :].strip(" :")
            if rest:
                return cell_date(rest)
            if index + 1 < len(cells):
                return cell_date(cells[index + 1])
    return None


def _read_row(
    path: Path,
    row_no: int,
    values: tuple[Any, ...],
    reader: RowReader,
    groups: dict[str, _Group],
    warnings: list[str],
) -> None:
    text = reader.text
    group_id = text(values, "Group ID")
    if group_id is None:
        raise ListFormatError(path, f"row {row_no}", "empty Group ID")
    parts = [text(values, column) for column in (*NAME_COLUMNS, "Name 6")]
    full_name = " ".join(p for p in parts if p)
    if not full_name:
        raise ListFormatError(path, f"row {row_no}", f"empty name (Name 1..6) for Group ID {group_id}")
    group = groups.get(group_id)
    if group is None:
        group = groups[group_id] = _Group(group_id, row_no)

    group_type = text(values, "Group Type")
    if group_type is None:
        raise ListFormatError(path, f"row {row_no}", f"empty Group Type for Group ID {group_id}")
    group.group_types.setdefault(group_type, row_no)

    alias_type = text(values, "Alias Type") or ""
    prop = ALIAS_TYPES.get(alias_type.casefold())
    if prop is None:
        warnings.append(f"row {row_no}: unknown Alias Type {alias_type!r}; name kept as alias")
        prop = "alias"
    quality = (text(values, "Alias Quality") or "").casefold()
    if prop == "alias" and quality.startswith("low"):
        prop = "weakAlias"
    group.names[(prop, full_name)] = None
    non_latin = text(values, "Name Non-Latin Script")
    if non_latin:
        group.names[("alias", non_latin)] = None

    regime = text(values, "Regime")
    if regime is None:
        raise ListFormatError(path, f"row {row_no}", f"empty Regime for Group ID {group_id}")
    group.sanctions[(regime, cell_date(reader.raw(values, "Listed On")))] = None

    dob = reader.raw(values, "DOB")
    if dob is not None:
        date = cell_date(dob)
        group.note("DOB", date)
        if date is None:
            group.note("DOB as listed", cell_text(dob))
    town, country_of_birth = text(values, "Town of Birth"), text(values, "Country of Birth")
    if town or country_of_birth:
        group.births[(town, country_of_birth)] = None
    address = tuple(text(values, c) for c in (*ADDRESS_COLUMNS, "Post/Zip Code", "Country"))
    if any(address):
        group.addresses[address] = None
    for column in (
        "Title",
        "Nationality",
        "Passport Number",
        "Passport Details",
        "National Identification Number",
        "National Identification Details",
        "Position",
        "Other Information",
    ):
        group.note(column, text(values, column))
    group.note("Last Updated", cell_date(reader.raw(values, "Last Updated")))


def _build(group: _Group, dataset: str, warnings: list[str]) -> Entity:
    group_type = next(iter(group.group_types))
    if len(group.group_types) > 1:
        warnings.append(
            f"Group ID {group.group_id}: several Group Types {list(group.group_types)}; used {group_type!r}"
        )
    schema = GROUP_TYPES.get(group_type.casefold())
    if schema is None:
        warnings.append(f"Group ID {group.group_id}: unknown Group Type {group_type!r}; schema LegalEntity")
        schema = "LegalEntity"
    primary = [name for prop, name in group.names if prop == "name"]
    if not primary:  # no row marked primary: the first name stands in, the rest stay aliases
        primary = [next(name for _, name in group.names)]
    if schema == "Organization":
        schema = organization_schema(primary[0])
    entity = Entity(
        id=make_id(dataset, group.group_id), schema=schema, dataset=dataset, source_id=group.group_id
    )
    is_person, is_vessel = schema == "Person", schema == "Vessel"

    _add_names(entity, group, primary)

    other = group.get("Other Information")
    info = _other_information(other[0]) if other else {}
    for sanction_key in group.sanctions:
        regime, listed_on = sanction_key
        reason = info.get("UK Statement of Reasons", [None])[0]
        entity.add_sanction(
            Sanction(
                authority=AUTHORITY,
                program=regime,
                listing_date=listed_on,
                reason=reason,
                source_id=group.group_id,
            )
        )
    entity.add("notes", other)
    entity.add("modifiedAt", sorted(group.get("Last Updated"))[-1:])

    for title in group.get("Title"):
        entity.add("title" if is_person else "notes", split_enumerated(title))
    for position in group.get("Position"):
        entity.add(
            "position" if is_person else "notes", split_enumerated(position) if is_person else position
        )

    if is_person:
        entity.add("birthDate", group.get("DOB"))
        entity.add("notes", [f"DOB as listed: {dob}" for dob in group.get("DOB as listed")])
        for town, birth_country in group.births:
            _add_birth(entity, town, birth_country)
        for nationality in group.get("Nationality"):
            for code, written in countries_in(nationality):
                entity.add("nationality", code or written)

    for address in group.addresses:
        _add_address(entity, address)

    _add_documents(entity, group)
    _add_other_information(entity, info, other[0] if other else "", is_person=is_person, is_vessel=is_vessel)
    return entity


def _add_names(entity: Entity, group: _Group, primary: list[str]) -> None:
    """Names by strength; a name never also appears under a weaker property."""
    entity.add("name", primary)
    taken = set(primary)
    for wanted in ("alias", "previousName", "weakAlias"):
        for prop, name in group.names:
            if prop == wanted and name not in taken:
                entity.add(prop, name)
                taken.add(name)
    for prop, name in group.names:  # only when no row was marked "Primary name"
        if prop == "name" and name not in taken:
            entity.add("alias", name)
            taken.add(name)


def _add_birth(entity: Entity, town: str | None, birth_country: str | None) -> None:
    towns = split_enumerated(town)
    countries = countries_in(birth_country)
    for code, written in countries:
        entity.add("birthCountry", code or written)
    if towns and len(towns) == len(countries):
        for place, (_, written) in zip(towns, countries, strict=True):
            entity.add("birthPlace", f"{place}, {written}")
    else:
        entity.add("birthPlace", towns)
        if not towns:
            entity.add("birthPlace", [written for _, written in countries])


def _add_address(entity: Entity, address: tuple[str | None, ...]) -> None:
    *lines, postcode, country_name = address
    street_lines, city = lines[:5], lines[5]
    code = country_of(country_name)
    full = ", ".join(part for part in (*lines, postcode, country_name) if part)
    entity.add_address(
        Address(
            full=full,
            street=", ".join(part for part in street_lines if part) or None,
            city=city,
            postal_code=postcode,
            country=code,
            country_name=country_name,
        )
    )
    entity.add("country", code)


_ISSUE_WORDS = re.compile(
    r"\b(number|passport|diplomatic|national|service|official|identity|issued|expir\w*|no)\b.*$",
    re.IGNORECASE,
)


def _country_from_details(details: str | None) -> str | None:
    """The country a passport/ID detail text starts with (``Kuwaiti number, issued ...``), if any."""
    if not details:
        return None
    head = re.split(r"[.,;:]|\)\s", details.strip().lstrip("("), maxsplit=1)[0]
    head = _ISSUE_WORDS.sub("", head).strip(" ()-–")
    if not head or len(head) > 60:
        return None
    return country_of(head)


def _pair(numbers: list[str], details: list[str], whole_details: str | None) -> list[tuple[str, str | None]]:
    if len(numbers) == len(details):
        return list(zip(numbers, details, strict=True))
    return [(number, whole_details) for number in numbers]


def _add_documents(entity: Entity, group: _Group) -> None:
    for kind, number_column, details_column in (
        ("passport", "Passport Number", "Passport Details"),
        ("national_id", "National Identification Number", "National Identification Details"),
    ):
        details_cells = group.get(details_column)
        whole = " ".join(details_cells) or None
        for cell in group.get(number_column):
            numbers = split_enumerated(cell)
            details = split_enumerated(details_cells[0]) if len(details_cells) == 1 else []
            for number, note in _pair(numbers, details, whole):
                ident_type = kind
                prefixed = re.match(r"(TIN|INN)\s*[:–-]\s*(\S.*)$", number)
                if kind == "national_id" and prefixed:  # ``TIN: 780245503097``
                    ident_type = "inn" if prefixed.group(1) == "INN" else "tax_id"
                    number = prefixed.group(2)
                if ident_type == "national_id" and note and re.search(r"\b(TIN|tax)\b", note, re.IGNORECASE):
                    ident_type = "tax_id"
                entity.add_identifier(
                    Identifier(
                        type=ident_type,
                        value=number,
                        country=_country_from_details(note),
                        label=number_column,
                        note=note,
                    )
                )


def _other_information(text: str) -> dict[str, list[str]]:
    """``(Label):value`` parts of Other Information, by label (the known labels only)."""
    parts = _OTHER_INFO_SPLIT.split(text)
    info: dict[str, list[str]] = {}
    for index in range(1, len(parts) - 1, 2):
        value = parts[index + 1].strip().rstrip(".").strip()
        if value:
            info.setdefault(parts[index], []).append(value)
    return info


def _add_other_information(
    entity: Entity, info: dict[str, list[str]], other_text: str, *, is_person: bool, is_vessel: bool
) -> None:
    # The labelled part runs on into free text: keep only the reference tokens themselves.
    for label, pattern in (("UK Sanctions List Ref", _UK_REF), ("UN Ref", _UN_REF)):
        for value in info.get(label, []):
            for ref in pattern.findall(re.split(r"\.\s", value, maxsplit=1)[0]):
                entity.add_identifier(Identifier(type="other", value=ref, label=label))
    if is_person:
        for value in info.get("Gender", []):
            gender = value.split()[0].strip(".,;").casefold() if value.split() else ""
            if gender in ("male", "female"):
                entity.add("gender", gender)
    if not is_vessel:
        _add_contacts(entity, info)
    if not is_person and not is_vessel:
        for value in info.get("Type of entity", []):
            entity.add("legalForm", split_enumerated(value))
    for value in info.get("Business Reg No", []):
        for ident in _registration_numbers(value):
            entity.add_identifier(ident)
    for label, relation in (
        ("Parent company", "parent company"),
        ("Subsidiaries", "subsidiary"),
        ("Current owners", "current owner"),
    ):
        for value in info.get(label, []):
            for target in split_enumerated(value):
                entity.links.append(Link(relation=relation, target_name=target))
    for owner, owner_id in re.findall(r"Listed as asset of (.+?),?\s*[(-]?\s*OFSI ID:?\s*(\d+)", other_text):
        link = Link(relation="asset of", target_name=owner.strip(" ,("), target_source_id=owner_id)
        if link not in entity.links:
            entity.links.append(link)
    for value in info.get("IMO number", []):
        for imo in re.findall(r"\b\d{7}\b", value):
            entity.add_identifier(Identifier(type="imo", value=imo, label="IMO number"))
            if is_vessel or entity.schema in ("Company", "Organization"):
                entity.add("imoNumber", imo)
    if is_vessel:
        for value in info.get("Flag of ship", []):
            entity.add("flag", country_of(value) or value)
        for value in info.get("Previous flags", []):
            for code, written in countries_in(value):
                entity.add("pastFlags", code or written)
        entity.add("type", info.get("Type of ship"))
        entity.add("tonnage", info.get("Tonnage of ship"))
        entity.add("buildDate", [parse_date(v) or v for v in info.get("Year built", [])])
        for value in info.get("Length of ship", []):
            entity.add("notes", f"Length of ship: {value}")


def _add_contacts(entity: Entity, info: dict[str, list[str]]) -> None:
    for value in info.get("Phone number", []):
        for item in split_enumerated(value):
            for phone in re.split(r"\.\s+(?=[+(\d])|[,;]\s*(?=\+)", item):
                phone = phone.strip(" .")
                if phone and re.search(r"\d{3}", phone):
                    entity.add_identifier(Identifier(type="phone", value=phone, label="Phone number"))
                    entity.add("phone", phone)
    for label in ("Email address", "Website"):
        for value in info.get(label, []):
            for item in split_enumerated(value):
                for token in re.split(r"[\s;,]+", item):
                    token = token.strip(" .()")
                    if not token:
                        continue
                    if "@" in token and "/" not in token:
                        entity.add_identifier(Identifier(type="email", value=token, label=label))
                        entity.add("email", token)
                    elif "." in token and label == "Website":
                        entity.add_identifier(Identifier(type="website", value=token, label=label))
                        entity.add("website", token)


_REG_VALUE = re.compile(r"(?<![\w])([A-Z]{0,3}\d[\dA-Z/-]{4,})(?![\w])")
_SWIFT = re.compile(r"\bSWIFT(?:/BI[CN])?\s*:?\s*([A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?)\b")
_TRAILING_PAREN = re.compile(r"\s*\(([^()]*)\)\s*\.?\s*$")


def _registration_numbers(text: str) -> list[Identifier]:
    """``(1) INN: 7704366170 (2) OGRN: 1167700061540`` -> typed identifiers (label as written).

    A piece that is only a value (``M 354838 D 0001``, ``7704734000/770301001 (Russia)``) is kept
    whole; otherwise each number takes the words before it as its label and a ``(Country)`` after
    it as its country.
    """
    result: list[Identifier] = []
    for item in split_enumerated(text):
        for piece in item.split(";"):
            piece = piece.strip()
            matches = list(_REG_VALUE.finditer(piece))
            if not matches:
                continue
            words = re.sub(r"\([^()]*\)", "", _REG_VALUE.sub("", piece))
            if not re.search(r"[^\W\d_]{2,}", words):
                trailing = _TRAILING_PAREN.search(piece)
                value = piece[: trailing.start()] if trailing else piece
                result.append(
                    _registration(value.strip(" .:"), None, trailing.group(1) if trailing else None)
                )
                continue
            start = 0
            for match in matches:
                label = piece[start : match.start()].strip(" :–-.()").strip() or None
                trailing = re.match(r"\s*\(([^()]+)\)", piece[match.end() :])
                start = match.end() + (trailing.end() if trailing else 0)
                if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", match.group(1)):
                    continue  # ``1067746244026 dated 27/07/1992``: a date, not a number
                result.append(_registration(match.group(1), label, trailing.group(1) if trailing else None))
        for bic in _SWIFT.findall(item):
            result.append(Identifier(type="swift_bic", value=bic, label="SWIFT/BIC"))
    return result


def _registration(value: str, label: str | None, country_hint: str | None) -> Identifier:
    kind = "registration"
    if label:
        upper = label.upper()
        if re.search(r"\bLEI\b|LEGAL ENTITY", upper):
            kind = "lei"
        elif re.search(r"\bUSCC\b|UNIFIED SOCIAL CREDIT", upper):
            kind = "uscc"
        elif re.search(r"\bINN\b|ИНН", upper):
            kind = "inn"
        elif re.search(r"\bOGRN\b", upper):
            kind = "ogrn"
        elif re.search(r"\bTIN\b|\bTAX", upper):
            kind = "tax_id"
        elif re.search(r"\bKPP\b", upper):
            kind = "other"
    country = country_of(country_hint) if country_hint else None
    if country is None and label:
        first_word = re.match(r"[^\W\d_]+", label)
        if first_word and (len(first_word.group()) >= 4 or first_word.group() == "UK"):
            country = country_of(first_word.group())
    return Identifier(type=kind, value=value, country=country, label=label or "Business Reg No")


def check_complete(path: Path, parsed: ParsedList) -> None:
    """The workbook's own completeness markers: every zip member's CRC and each sheet's declared
    extent (see :func:`proscribe.sources.base.check_xlsx_complete`)."""
    check_xlsx_complete(path)
