"""Australian DFAT Consolidated List, XLSX (``Australian_Sanctions_Consolidated_List.xlsx``).

One sheet (``Consolidated List``), header in row 1, one row per *name*. Columns used: Reference,
Name of Individual or Entity, Type (Individual / Entity / Vessel), Name Type (Primary Name / Alias /
Original Script), Alias Strength (Strong / Weak, aliases only), Date of Birth, Place of Birth,
Citizenship, Address, Additional Information, Listing Information, IMO Number, Committees, Control
Date, Instrument of Designation and the four measure flags (Targeted Financial Sanction, Travel Ban,
Arms Embargo, Maritime Restriction).

How rows become entities (checked against the 2026 file: 3,846 primary rows, 0 orphans): a primary
name's Reference is a bare number (``2``, stored as an integer cell); every alias or original-script
row of the same party carries that number plus a lower-case letter suffix (``2a``, ``2b``, ...
``2ae``). One entity per number; ``source_id`` is the number. The other columns are repeated on
each row of a party and occasionally differ between them (dates of birth, listing text), so values
from all rows are merged.

``Alias`` rows go to ``alias`` or, when their Alias Strength is ``Weak``, to ``weakAlias``;
``Original Script`` rows go to ``alias`` verbatim. ``Date of Birth`` is a date cell, a year, or
text listing several dates (``Approximately 1963, 30/01/1972``); each is kept at its precision.
The file states no publication date (the newest Control Date is when a record last changed, not
when the list was published), so ``published`` is None; each entity's newest Control Date is kept
as ``modifiedAt``. Vessels carry their IMO number in its own column; IMO numbers written in
Additional Information (company IMO numbers, mostly) are extracted too.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from proscribe.model import Address, Entity, Identifier, Sanction, make_id
from proscribe.sources.base import (
    ListFormatError,
    ParsedList,
    check_xlsx_complete,
    organization_schema,
    parse_date,
)
from proscribe.sources.uk_ofsi import (
    RowReader,
    cell_date,
    cell_text,
    country_of,
    find_header,
    iter_sheet_rows,
)

AUTHORITY = "Australia DFAT"

REQUIRED_COLUMNS = ("Reference", "Name of Individual or Entity", "Type", "Name Type", "Committees")
MEASURE_COLUMNS = ("Targeted Financial Sanction", "Travel Ban", "Arms Embargo", "Maritime Restriction")
OPTIONAL_COLUMNS = (
    "Alias Strength",
    "Date of Birth",
    "Place of Birth",
    "Citizenship",
    "Address",
    "Additional Information",
    "Listing Information",
    "IMO Number",
    "Control Date",
    "Instrument of Designation",
    *MEASURE_COLUMNS,
)

TYPES = {"individual": "Person", "entity": "Organization", "vessel": "Vessel"}

_REFERENCE = re.compile(r"(\d+)\s*([a-z]*)", re.IGNORECASE)

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_DATE_TOKEN = re.compile(
    r"(?P<dmy>\b\d{1,2}/\d{1,2}/\d{4}\b)"
    r"|(?P<range>\bbetween\s+(?P<start>\d{4})\s+and\s+(?P<end>\d{4})\b)"
    r"|(?P<my>\b\d{1,2}/\d{4}\b)"
    rf"|(?P<text>\b(?:\d{{1,2}}\s+)?{_MONTH}\s+\d{{4}}\b)"
    r"|(?P<year>\b\d{4}\b)",
    re.IGNORECASE,
)
_LISTING_DATE = re.compile(
    rf"\b\d{{1,2}}/\d{{1,2}}/\d{{4}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}\b", re.I
)
_IMO_IN_TEXT = re.compile(r"\bIMO\b[^0-9\n]{0,40}?(\d{7})\b")
_PREVIOUS_NAMES = re.compile(r"Previous names? includes?:?\s+(.+)", re.IGNORECASE)


class _Party:
    """Everything the rows of one reference number say, each value once, in order."""

    def __init__(self, number: str):
        self.number = number
        self.primary_row: int | None = None
        self.first_row: int | None = None
        self.type: str | None = None
        self.names: dict[tuple[str, str], None] = {}
        self.values: dict[str, dict[Any, None]] = {}

    def note(self, column: str, value: Any) -> None:
        if value is not None and value != "":
            self.values.setdefault(column, {})[value] = None

    def get(self, column: str) -> list[Any]:
        return list(self.values.get(column, {}))


def parse(path: Path, dataset: str = "au_dfat_sanctions") -> ParsedList:
    """Parse the DFAT Consolidated List workbook into one entity per reference number."""
    path = Path(path)
    rows = iter_sheet_rows(path)
    header_row, columns, _ = find_header(path, rows, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    reader = RowReader(columns)
    warnings: list[str] = []
    parties: dict[str, _Party] = {}
    for row_no, values in rows:
        if all(cell_text(v) is None for v in values):
            continue
        _read_row(path, row_no, values, reader, parties, warnings)
    if not parties:
        raise ListFormatError(path, f"row {header_row + 1}", "no records after the header row")
    entities = []
    for party in parties.values():
        if party.primary_row is None:
            raise ListFormatError(
                path,
                f"row {party.first_row}",
                f"alias row(s) for reference {party.number} without a Primary Name row",
            )
        entities.append(_build(party, dataset, warnings))
    return ParsedList(dataset=dataset, entities=entities, published=None, warnings=warnings)


def _read_row(
    path: Path,
    row_no: int,
    values: tuple[Any, ...],
    reader: RowReader,
    parties: dict[str, _Party],
    warnings: list[str],
) -> None:
    text = reader.text
    reference = text(values, "Reference")
    match = _REFERENCE.fullmatch(reference or "")
    if match is None:
        raise ListFormatError(
            path, f"row {row_no}", f"Reference {reference!r} is not a number with an optional suffix"
        )
    number = match.group(1)
    name = text(values, "Name of Individual or Entity")
    if name is None:
        raise ListFormatError(
            path, f"row {row_no}", f"empty name (Name of Individual or Entity) for reference {reference}"
        )
    party = parties.get(number)
    if party is None:
        party = parties[number] = _Party(number)
        party.first_row = row_no

    name_type = (text(values, "Name Type") or "").casefold()
    if name_type == "primary name":
        if party.primary_row is not None:
            raise ListFormatError(
                path,
                f"row {row_no}",
                f"second Primary Name for reference {number} (first in row {party.primary_row})",
            )
        party.primary_row = row_no
        prop = "name"
    elif name_type == "alias":
        strength = (text(values, "Alias Strength") or "").casefold()
        prop = "weakAlias" if strength == "weak" else "alias"
    elif name_type == "original script":
        prop = "alias"
    else:
        warnings.append(f"row {row_no}: unknown Name Type {text(values, 'Name Type')!r}; name kept as alias")
        prop = "alias"
    party.names[(prop, name)] = None

    row_type = text(values, "Type")
    if row_type is None:
        raise ListFormatError(path, f"row {row_no}", f"empty Type for reference {reference}")
    if prop == "name" or party.type is None:
        party.type = row_type
    committee = text(values, "Committees")
    if committee is None:
        raise ListFormatError(path, f"row {row_no}", f"empty Committees for reference {reference}")
    party.note("Committees", committee)

    raw_dob = reader.raw(values, "Date of Birth")
    if raw_dob is not None:
        party.note("Date of Birth", raw_dob)
    for column in (
        "Place of Birth",
        "Citizenship",
        "Address",
        "Additional Information",
        "IMO Number",
        "Instrument of Designation",
    ):
        party.note(column, text(values, column))
    listing = reader.raw(values, "Listing Information")
    if listing is not None:
        # the primary row's listing text first: its date is the listing date
        key = "Listing Information primary" if prop == "name" else "Listing Information"
        party.note(key, listing)
    party.note("Control Date", cell_date(reader.raw(values, "Control Date")))
    for column in MEASURE_COLUMNS:
        if reader.raw(values, column) is True:
            party.note("measures", column)


def _build(party: _Party, dataset: str, warnings: list[str]) -> Entity:
    primary = next(name for prop, name in party.names if prop == "name")
    schema = TYPES.get((party.type or "").casefold())
    if schema is None:
        warnings.append(f"reference {party.number}: unknown Type {party.type!r}; schema LegalEntity")
        schema = "LegalEntity"
    if schema == "Organization":
        schema = organization_schema(primary)
    entity = Entity(id=make_id(dataset, party.number), schema=schema, dataset=dataset, source_id=party.number)
    is_person, is_vessel = schema == "Person", schema == "Vessel"

    taken: set[str] = set()
    for wanted in ("name", "alias", "weakAlias"):
        for prop, name in party.names:
            if prop == wanted and name not in taken:
                entity.add(prop, name)
                taken.add(name)

    listings = party.get("Listing Information primary") + party.get("Listing Information")
    listing_date = next((d for d in (_listing_date(v) for v in listings) if d), None)
    for committee in party.get("Committees"):
        entity.add_sanction(
            Sanction(
                authority=AUTHORITY, program=committee, listing_date=listing_date, source_id=party.number
            )
        )

    additional = party.get("Additional Information")
    entity.add("notes", additional)
    entity.add("notes", [cell_text(v) for v in listings])
    entity.add("notes", [f"Instrument of Designation: {v}" for v in party.get("Instrument of Designation")])
    measures = party.get("measures")
    if measures:
        entity.add("notes", "Measures: " + ", ".join(measures))
    entity.add("modifiedAt", sorted(party.get("Control Date"))[-1:])

    if is_person:
        for raw in party.get("Date of Birth"):
            dates = _birth_dates(raw)
            entity.add("birthDate", dates)
            if not dates:
                entity.add("notes", f"Date of Birth as listed: {cell_text(raw)}")
        for place in party.get("Place of Birth"):
            for item in _split_places(place):
                entity.add("birthPlace", item)
                code, _ = _trailing_country(item)
                entity.add("birthCountry", code)
        for cell in party.get("Citizenship"):
            for item in cell.split(";"):
                item = item.strip()
                entity.add("citizenship", country_of(item) or item)

    for cell in party.get("Address"):
        for item in _split_places(cell):
            if re.fullmatch(r"[^,]{0,40}:", item):  # a bare heading such as ``Branch Office 7:``
                continue
            code, country_name = _trailing_country(item)
            entity.add_address(Address(full=item, country=code, country_name=country_name))
            entity.add("country", code)

    for imo in party.get("IMO Number"):
        _add_imo(entity, imo, "IMO Number")
    for text in additional:
        for imo in _IMO_IN_TEXT.findall(text):
            _add_imo(entity, imo, "IMO (Additional Information)")
        if is_vessel:
            for line in text.splitlines():
                found = _PREVIOUS_NAMES.search(line)
                if found:
                    entity.add("previousName", [n.strip(" .") for n in re.split(r"[;,]", found.group(1))])
        if not is_vessel:
            _add_labelled_details(entity, text, is_person=is_person)
    return entity


def _add_imo(entity: Entity, imo: str, label: str) -> None:
    entity.add_identifier(Identifier(type="imo", value=imo, label=label))
    if entity.schema in ("Vessel", "Company", "Organization"):
        entity.add("imoNumber", imo)


def _birth_dates(raw: Any) -> list[str]:
    """Every date a Date of Birth cell gives, each at its own precision.

    ``30/01/1972`` -> ``1972-01-30``; ``1957`` -> ``1957``; ``April 1957`` -> ``1957-04``;
    ``Between 1959 and 1965`` -> every year of the span (at most 10 years, else its ends).
    """
    if isinstance(raw, int) and not isinstance(raw, bool):
        return [str(raw)] if 1800 <= raw <= 2100 else []
    date = cell_date(raw) if not isinstance(raw, str) else None
    if date:
        return [date]
    text = cell_text(raw) or ""
    dates: list[str] = []
    for token in _DATE_TOKEN.finditer(text):
        if token.group("range"):
            start, end = int(token.group("start")), int(token.group("end"))
            years = range(start, end + 1) if 0 <= end - start <= 10 else (start, end)
            dates.extend(str(y) for y in years)
            continue
        value = token.group(0)
        if token.group("my"):
            month, year = value.split("/")
            value = f"{year}-{month}"
        date = parse_date(value)
        if date and 1800 <= int(date[:4]) <= 2100 and date not in dates:
            dates.append(date)
    return dates


def _listing_date(raw: Any) -> str | None:
    """The first date written in Listing Information (``Listed on 25 January 2001 (amended ...)``)."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        return cell_date(raw)
    found = _LISTING_DATE.search(raw)
    if found is None:
        return None
    return parse_date(re.sub(r"(?<=\d)(st|nd|rd|th)|,", "", found.group(0)))


_LETTER_ITEM = re.compile(r"(?:^|\s)\(?[a-z]\)\s+")


def _split_places(text: str) -> list[str]:
    """Split ``a) ... b) ...`` enumerations and ``;``-separated places (outside parentheses)."""
    text = re.sub(r"\s+", " ", text).strip()
    items: list[str] = []
    for part in _LETTER_ITEM.split(text):
        depth, start = 0, 0
        for index, char in enumerate(part):
            if char == "(":
                depth += 1
            elif char == ")":
                depth = max(0, depth - 1)
            elif char == ";" and depth == 0:
                items.append(part[start:index])
                start = index + 1
        items.append(part[start:])
    result = []
    for item in items:
        item = re.sub(r"^(?:alt(?:ernative)?\.?\s*(?:POB:?)?\s*)", "", item.strip(), flags=re.IGNORECASE)
        item = item.strip(" .;,")
        if item.startswith("(") and item.endswith(")"):
            item = item[1:-1].strip()
        if item:
            result.append(item)
    return result


def _trailing_country(text: str) -> tuple[str | None, str | None]:
    """The country an address or place ends with (``..., Moscow, 107078, Russia`` -> ``ru``)."""
    bare = re.sub(r"\([^()]*\)", " ", text).strip(" .;,")
    parts = [p.strip() for p in bare.split(",") if p.strip()]
    for part in reversed(parts[-2:]):
        code = country_of(part)
        if code:
            return code, part
        words = [w for w in part.split() if not re.fullmatch(r"[\d-]+", w)]
        for from_end in (True, False):  # ``... Moscow 107078 Russia``, then ``Russia 105318``
            for size in (4, 3, 2, 1):
                if len(words) <= size and not (from_end and len(words) == size):
                    continue
                candidate = " ".join(words[-size:] if from_end else words[:size])
                if size == 1 and not (len(candidate) >= 4 or candidate.isupper()):
                    continue
                code = country_of(candidate)
                if code:
                    return code, candidate
    return None, None


# -- labelled details inside Additional Information -------------------------------------------------

#: Labels that open a detail in Additional Information (``Passport no: ...``, ``Website: ...``).
#: The list also names labels that are not extracted, so that a value stops where they start.
_DETAIL_LABELS = (
    r"Title|Alternative title|Other title|Designation|Last known position|Position|Military rank|"
    r"Passport(?: no\.?| number| information)?(?: \(\w+\))?|[A-Z][a-z]+ passport(?: no\.?| number)|"
    r"Passport expiration date|Passport Date of Issue|Passport Date of Expiration|"
    r"National identification (?:no\.?|number)|National ID(?: Number| Card)?|National Identifier Number|"
    r"National Identity Card number|Iranian national ID no|ID Card No\.?|"
    r"Tax ID No\.?|National Tax Number|Italian Fiscal Code|Social Security Number|"
    r"Company identification (?:number|No\.?)|State registration number|Registration ID(?: \(OGRN no\.\))?|"
    r"Registration (?:Number|No\.?)|Government Gazette Number|Date of Registration|"
    r"SWIFT/BIC|SWIFT|Bank Identifier Code \(BIC\)|Legal Entity Identifier \(LEI\)|"
    r"Websites?|Emails?|Email addresses|Tel|Tel/Fax|Telephone(?: numbers?)?|Phone|Mob|Mobile|Fax|Facsimile number|"
    r"Gender|Sex|Height|Weight|Hair|Ethnicity|Physical description|Distinguishing marks|"
    r"DOB|POB|Good quality a\.k\.a\.|Low quality a\.k\.a\.|Nationality|Address|Listed on|Other information|"
    r"Date of issue|Expiry|Place of Issue|Believed status/ ?location|Political party|Profession|"
    r"Name of father|Father’s name|Mother’s name|IMO number|IMO Identification Number"
)
_DETAIL = re.compile(rf"(?:^|(?<=[\s.;,]))({_DETAIL_LABELS})\s*:", re.IGNORECASE)
_DOC_NUMBER = re.compile(r"(?<![\w/.])(\d{1,3}(?: \d{3}){2,}|[A-Z]{0,6}[-\s]?\d[\dA-Z-]{2,})(?![\w/])")
_SENTENCE_END = re.compile(r"\.\s+(?=[A-Z][a-z])")


def _first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text, maxsplit=1)[0].strip(" .")


_NOT_APPLICABLE = {"na", "n/a", "-", "none"}


def _details(text: str) -> list[tuple[str, str]]:
    """``(label, value)`` for each labelled detail; a value runs to the next known label."""
    found = list(_DETAIL.finditer(text))
    result = []
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(text)
        value = text[match.end() : end].strip(" .;,\n")
        if value and value.casefold() not in _NOT_APPLICABLE:
            result.append((match.group(1), value))
    return result


def _add_labelled_details(entity: Entity, text: str, *, is_person: bool) -> None:
    for label, value in _details(text):
        key = label.casefold()
        if "website" in key:
            for url in re.split(r"[\s;,]+", value):
                url = url.strip(" .()")
                if "." in url and "@" not in url:
                    entity.add_identifier(Identifier(type="website", value=url, label=label))
                    entity.add("website", url)
        elif key.startswith("email"):
            for email in re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", value):
                entity.add_identifier(Identifier(type="email", value=email, label=label))
                entity.add("email", email)
        elif key in (
            "tel",
            "telephone",
            "telephone number",
            "telephone numbers",
            "phone",
            "mob",
            "mobile",
            "tel/fax",
        ):
            for phone in re.split(r"[;,\n]|\s/\s", value):
                phone = phone.strip(" .")
                if len(re.sub(r"\D", "", phone)) >= 6:
                    entity.add_identifier(Identifier(type="phone", value=phone, label=label))
                    entity.add("phone", phone)
        elif key in ("gender", "sex") and is_person:
            word = value.split()[0].strip(".,;").casefold()
            if word in ("male", "female"):
                entity.add("gender", word)
        elif key.startswith(("title", "alternative title", "other title")) and is_person:
            entity.add("title", [_first_sentence(v) for v in _split_places(value)])
        elif key in ("designation", "last known position", "position", "military rank") and is_person:
            entity.add("position", [_first_sentence(v) for v in _split_places(value)])
        elif key.startswith("swift") or "(bic)" in key:
            for bic in re.findall(r"\b[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b", value):
                entity.add_identifier(Identifier(type="swift_bic", value=bic, label=label))
                entity.add("swiftBic", bic)
        elif "(lei)" in key:
            for lei in re.findall(r"\b[A-Z0-9]{18}\d{2}\b", value):
                entity.add_identifier(Identifier(type="lei", value=lei, label=label))
                entity.add("leiCode", lei)
        else:
            kind = _document_kind(key)
            if kind is not None:
                for ident in _documents(value, kind, label):
                    entity.add_identifier(ident)


def _document_kind(key: str) -> str | None:
    if "expiration" in key or "date of" in key:
        return None
    if "passport" in key:
        return "passport"
    if "ogrn" in key:
        return "ogrn"
    if "tax" in key or "fiscal" in key:
        return "tax_id"
    if "national" in key or "id card" in key or "social security" in key:
        return "national_id"
    if "registration" in key or "company identification" in key or "gazette" in key:
        return "registration"
    return None


def _documents(value: str, kind: str, label: str) -> list[Identifier]:
    """``a) Afghanistan number D0009751, issued on ... b) ...`` -> one identifier per item.

    The number is the last number-like token before the issue/expiry wording; a country named
    before it (``Tunisia number P182583``) or in brackets after it (``3194104 (Lebanon)``) is kept.
    """
    result = []
    for item in _split_places(value):
        item = _first_sentence(item)
        head = re.split(r"\b(?:issued|expir\w*|valid)\b", item, maxsplit=1, flags=re.IGNORECASE)[0]
        numbers = [
            m for m in _DOC_NUMBER.finditer(head) if not re.fullmatch(r"(?:19|20)\d\d", m.group(1).strip())
        ]
        if not numbers:
            continue
        number = numbers[0]
        value = number.group(1).strip()
        start = number.start()
        if "fiscal" in label.casefold():  # Italian fiscal codes are sometimes written spaced
            value, start = head.strip(" ,.;"), 0
        else:
            first_digit = re.search(r"(?<![\w-])\d", head)
            rest = head[first_digit.start() :].strip(" ,.;") if first_digit else ""
            if re.fullmatch(r"\d[\d\s-]*", rest) and len(re.sub(r"\D", "", rest)) >= 6:
                value, start = rest, first_digit.start()  # ``1 1978 8 0137555 3 27``
        before = re.sub(
            r"\b(number|no\.?|passport|diplomatic|national|service|official|identity|card)\b",
            "",
            head[:start],
            flags=re.IGNORECASE,
        ).strip(" ,.:;()-")
        after = re.match(r"\s*\(([^()]+)\)", head[number.end() :])
        country = country_of(after.group(1)) if after else None
        if country is None and (len(before) >= 4 or before in ("CAR", "UK", "USA", "UAE")):
            country = country_of(before)
        if country is None:
            words = re.findall(r"[^\W\d_]+", label)
            skip = ("passport", "national", "company", "state", "registration", "social")
            if words and len(words[0]) >= 4 and words[0].casefold() not in skip:
                country = country_of(words[0])
        note = item if item != value else None
        result.append(Identifier(type=kind, value=value, country=country, label=label, note=note))
    return result


def check_complete(path: Path, parsed: ParsedList) -> None:
    """The workbook's own completeness markers: every zip member's CRC and each sheet's declared
    extent (see :func:`proscribe.sources.base.check_xlsx_complete`)."""
    check_xlsx_complete(path)
