"""OFAC's legacy XML format: ``SDN.XML`` and ``CONSOLIDATED.XML`` (root ``sdnList``).

One ``sdnEntry`` per listed party::

    <sdnEntry>
      <uid>26182</uid> <firstName>Evren</firstName> <lastName>KAYAKIRAN</lastName>
      <sdnType>Individual</sdnType>
      <programList><program>FSE-IR</program></programList>
      <idList><id><idType>Passport</idType><idNumber>U00242309</idNumber>
                  <idCountry>Turkey</idCountry></id></idList>
      <akaList><aka><type>a.k.a.</type><category>weak</category><lastName>...</lastName></aka></akaList>
      <addressList>, <dateOfBirthList>, <placeOfBirthList>, <nationalityList>,
      <citizenshipList>, <vesselInfo>, <remarks>
    </sdnEntry>

Elements are matched by local name, so any namespace OFAC has used works (the old
``http://tempuri.org/sdnList.xsd`` and the current ``.../PublicationPreview/exports/XML``). The
publication header is spelled ``publshInformation`` by OFAC (sic); it carries ``Publish_Date``
(``MM/DD/YYYY``, US order) and ``Record_Count``, which is checked against the entries found so a
file cut short at an entry boundary is refused too.

OFAC's ``idList`` mixes real identifiers (passport, tax number, SWIFT/BIC, website, ...) with
facts that are not identifiers at all (gender, date of incorporation, directive texts, secondary
sanctions risk). :func:`apply_detail` sorts them; the Enhanced XML parser
(:mod:`proscribe.sources.ofac_enhanced`) uses the same function for its features and identity
documents, so both formats give the same entity for the same OFAC uid.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

from lxml import etree

from proscribe.model import Address, Entity, Identifier, Link, Sanction, make_id, schema_properties
from proscribe.sources.base import (
    IncompleteListError,
    ListFormatError,
    ParsedList,
    child_text,
    children,
    country_code,
    local_name,
    open_bytes,
    organization_schema,
    parse_date,
    parse_xml,
    read_bytes,
)

AUTHORITY = "US OFAC"

# -- shared with the Enhanced XML parser ---------------------------------------------------------

#: OFAC party type (legacy ``sdnType``, Enhanced ``entityType``) -> schema; ``Entity`` is refined
#: by :func:`proscribe.sources.base.organization_schema`.
PARTY_SCHEMATA = {
    "individual": "Person",
    "entity": None,
    "vessel": "Vessel",
    "aircraft": "Airplane",
}


def schema_for(party_type: str | None, name: str | None, warnings: list[str], where: str) -> str:
    """The schema for an OFAC party type; an unknown type is kept screenable as ``LegalEntity``."""
    key = (party_type or "").strip().lower()
    if key in PARTY_SCHEMATA:
        return PARTY_SCHEMATA[key] or organization_schema(name)
    warnings.append(f"{where}: unknown party type {party_type!r}, listed as LegalEntity")
    return "LegalEntity"


def display_name(last: str | None, first: str | None) -> str | None:
    """OFAC's own display form: ``LAST, First`` (``AL-ZAWAHIRI, Ayman``), or the one part given."""
    if last and first:
        return f"{last}, {first}"
    return last or first


#: OFAC identifier labels -> identifier type (keys lower case).
IDENTIFIER_LABELS: dict[str, str] = {
    "passport": "passport",
    "passport no.": "passport",
    "diplomatic passport": "passport",
    "stateless person passport": "passport",
    "national id no.": "national_id",
    "identification number": "national_id",
    "personal id card": "national_id",
    "national foreign id number": "national_id",
    "cedula no.": "national_id",
    "d.n.i.": "national_id",
    "c.u.r.p.": "national_id",
    "kenyan id no.": "national_id",
    "citizen's card number": "national_id",
    "turkish identification number": "national_id",
    "ssn": "national_id",
    "c.u.i.": "national_id",
    "credencial electoral": "national_id",
    "i.f.e.": "national_id",
    "driver's license no.": "national_id",
    "residency number": "national_id",
    "birth certificate number": "national_id",
    "electoral registry no.": "national_id",
    "tax id no.": "tax_id",
    "tax identification number": "tax_id",
    "r.f.c.": "tax_id",
    "rfc": "tax_id",
    "nit #": "tax_id",
    "ruc #": "tax_id",
    "v.a.t. number": "tax_id",
    "us fein": "tax_id",
    "cuit": "tax_id",
    "italian fiscal code": "tax_id",
    "registration number": "registration",
    "registration id": "registration",
    "business registration number": "registration",
    "public registration number": "registration",
    "company number": "registration",
    "uk company number": "registration",
    "c.r. no.": "registration",
    "commercial registry number": "registration",
    "certificate of incorporation number": "registration",
    "matricula mercantil no": "registration",
    "business number": "registration",
    "chamber of commerce number": "registration",
    "trade license no.": "registration",
    "government gazette number": "registration",
    "business registration document #": "registration",
    "economic register number (cbls)": "registration",
    "central registration system number": "registration",
    "enterprise number": "registration",
    "folio mercantil no.": "registration",
    "permit number": "registration",
    "branch unit number": "registration",
    "registered charity no.": "registration",
    "istanbul chamber of comm. no.": "registration",
    "dubai chamber of commerce membership no.": "registration",
    "license": "registration",
    "d-u-n-s number": "registration",
    "unified social credit code (uscc)": "uscc",
    "legal entity number": "lei",
    "swift/bic": "swift_bic",
    "website": "website",
    "email address": "email",
    "phone number": "phone",
    "telephone": "phone",
    "telephone no.": "phone",
    "telephone number": "phone",
    "fax": "phone",
    "fax number": "phone",
    "imo number": "imo",
    "vessel registration identification": "imo",
    "mmsi": "mmsi",
}

#: Labels that are identifiers of no standard type: kept as ``other`` with OFAC's label.
OTHER_IDENTIFIER_LABELS = frozenset(
    {
        "bik (ru)",
        "isin",
        "chinese commercial code",
        "travel document number",
        "refugee id card",
        "immigration no.",
        "serial no.",
        "moroccan personal id no.",
        "aircraft construction number (also called l/n or s/n or f/n)",
        "aircraft manufacturer's serial number (msn)",
        "aircraft tail number",
        "previous aircraft tail number",
        "aircraft mode s transponder code",
    }
)

_CRYPTO_LABEL = re.compile(r"^digital currency address\s*-\s*(\S+)$", re.IGNORECASE)

#: Labels that state a fact with an FtM property: label -> (property, kind). ``kind`` says how the
#: value is read: ``text``, ``date``, ``country``, ``gender``.
PROPERTY_LABELS: dict[str, tuple[str, str]] = {
    "birthdate": ("birthDate", "date"),
    "dob": ("birthDate", "date"),
    "place of birth": ("birthPlace", "text"),
    "nationality country": ("nationality", "country"),
    "citizenship country": ("citizenship", "country"),
    "gender": ("gender", "gender"),
    "title": ("position", "text"),
    "organization established date": ("incorporationDate", "date"),
    "nationality of registration": ("jurisdiction", "country"),
    "organization type:": ("sector", "text"),
    "equity ticker": ("ticker", "text"),
    "vessel call sign": ("callSign", "text"),
    "other vessel call sign": ("callSign", "text"),
    "vessel flag": ("flag", "country"),
    "other vessel flag": ("pastFlags", "country"),
    "vessel type": ("type", "text"),
    "other vessel type": ("pastTypes", "text"),
    "vessel tonnage": ("tonnage", "text"),
    "vessel gross registered tonnage": ("grossRegisteredTonnage", "text"),
    "vessel year of build": ("buildDate", "date"),
    "aircraft model": ("model", "text"),
    "aircraft manufacture date": ("buildDate", "date"),
    "aircraft manufacturer's serial number (msn)": ("serialNumber", "text"),
    "aircraft construction number (also called l/n or s/n or f/n)": ("serialNumber", "text"),
    "aircraft tail number": ("registrationNumber", "text"),
}

#: Labels whose text only informs a reader (directives, secondary sanctions risk, CMIC dates...):
#: they go to ``notes`` as ``label value``. Matched as substrings of the lower-case label.
_NOTE_MARKERS = (
    "directive",
    "information",
    "sanction",
    "determination",
    "effective date",
    "listing date",
    "divestment date",
    "prohibited",
    "target type",
    "issuer name",
    "vessel owner",
    "aircraft operator",
    "location",
    "executive order",
    "caatsa",
    "ifca",
    "peesa",
)


def add_prop(entity: Entity, prop: str, value: str | None, label: str | None = None) -> None:
    """Add ``value`` to ``prop`` if the entity's schema has it, else keep it as a note."""
    if not value:
        return
    if prop in schema_properties(entity.schema):
        entity.add(prop, value)
    elif label:
        add_note(entity, label, value)


def add_note(entity: Entity, label: str, value: str) -> None:
    label = label.strip()
    sep = " " if label.endswith((":", "-")) else ": "
    entity.add("notes", f"{label}{sep}{value.strip()}")


@lru_cache(maxsize=4096)
def resolve_country(text: str | None, iso: str | None = None) -> str | None:
    """ISO2 (lower case) for a country as OFAC writes it; ``iso`` (the Enhanced XML's own
    ``isoCode``) wins; None if it cannot be resolved."""
    if iso:
        return iso.strip().lower()
    return country_code(text)


_YEAR_RANGE = re.compile(r"^(.+?)\s+to\s+(.+)$", re.IGNORECASE)
_APPROX = re.compile(r"^(?:circa|approximately|approx\.?|ca\.?|about)\s+", re.IGNORECASE)


def birth_dates(text: str | None) -> list[str]:
    """FtM dates for an OFAC date of birth: ``08 Feb 1980``, ``Feb 1980``, ``1962``, ``circa
    1962``, ``1960 to 1962`` (a range of years gives every year in it; other ranges their two
    ends). Empty if nothing can be read."""
    if not text:
        return []
    value = _APPROX.sub("", text.strip())
    m = _YEAR_RANGE.match(value)
    if m:
        start, end = parse_date(m.group(1)), parse_date(m.group(2))
        if start and end and len(start) == 4 and len(end) == 4 and 0 < int(end) - int(start) <= 20:
            return [str(year) for year in range(int(start), int(end) + 1)]
        return [d for d in (start, end) if d]
    date = parse_date(value)
    return [date] if date else []


def add_birth_date(entity: Entity, text: str | None, warnings: list[str], where: str) -> None:
    dates = birth_dates(text)
    for date in dates:
        add_prop(entity, "birthDate", date, "DOB")
    if text and not dates:
        warnings.append(f"{where}: unreadable date of birth {text!r}, kept in notes")
        add_note(entity, "DOB", text)


def add_country_prop(
    entity: Entity, prop: str, text: str | None, iso: str | None = None, label: str | None = None
) -> None:
    """nationality/citizenship/flag/jurisdiction: ISO2 where it resolves, else OFAC's text."""
    if not text and not iso:
        return
    if prop in ("nationality", "citizenship") and prop not in schema_properties(entity.schema):
        prop = "country"  # an organisation's "nationality" is its country
    if prop not in schema_properties(entity.schema):
        add_note(entity, label or prop, text or iso or "")
        return
    add_prop(entity, prop, resolve_country(text, iso) or text)


def apply_detail(
    entity: Entity,
    label: str,
    value: str | None,
    warnings: list[str],
    where: str,
    *,
    country: str | None = None,
    country_iso: str | None = None,
    value_iso: str | None = None,
    issued: str | None = None,
    expires: str | None = None,
    note: str | None = None,
) -> None:
    """Put one OFAC detail (a legacy ``idList/id``, an Enhanced feature or identity document)
    where it belongs: an :class:`Identifier`, an FtM property, or a note.

    ``country``/``country_iso`` is the issuing country of an identifier; ``value_iso`` is the ISO
    code of a country-valued feature (Enhanced XML gives it; legacy XML does not).
    """
    value = (value or "").strip()
    label = (label or "").strip()
    if not value:
        return
    key = label.lower()
    if key in PROPERTY_LABELS:
        prop, kind = PROPERTY_LABELS[key]
        if kind == "date":
            if prop == "birthDate":
                add_birth_date(entity, value, warnings, where)
                return
            date = parse_date(value)
            if date:
                add_prop(entity, prop, date, label)
            else:
                add_note(entity, label, value)
        elif kind == "country":
            add_country_prop(entity, prop, value, value_iso, label)
        elif kind == "gender" and prop in schema_properties(entity.schema):
            gender = value.lower()
            entity.add(prop, gender if gender in ("male", "female") else "other")
        else:
            add_prop(entity, prop, value, label)
        if key not in OTHER_IDENTIFIER_LABELS:
            return
    id_type = IDENTIFIER_LABELS.get(key) or ("other" if key in OTHER_IDENTIFIER_LABELS else None)
    currency = None
    crypto = _CRYPTO_LABEL.match(label)
    if crypto:
        id_type, currency = "crypto", crypto.group(1).upper()
    if id_type is None and any(marker in key for marker in _NOTE_MARKERS):
        add_note(entity, label, value)
        return
    if id_type is None:
        warnings.append(f"{where}: unknown identifier type {label!r}, kept as 'other'")
        id_type = "other"
    code = resolve_country(country, country_iso)
    entity.add_identifier(
        Identifier(
            type=id_type,
            value=value,
            country=code or country,
            label=label,
            currency=currency,
            issued=parse_date(issued) or issued,
            expires=parse_date(expires) or expires,
            note=note,
        )
    )
    if id_type in _ALSO_PROPERTY:
        add_prop(entity, _ALSO_PROPERTY[id_type], value)


#: Identifier types also written to their FtM property where the schema has it.
_ALSO_PROPERTY = {
    "imo": "imoNumber",
    "mmsi": "mmsi",
    "website": "website",
    "email": "email",
    "phone": "phone",
}


def make_address(
    lines: list[str | None],
    city: str | None,
    region: str | None,
    postal_code: str | None,
    country_name: str | None,
    country_iso: str | None = None,
) -> Address:
    """An :class:`Address` built the same way from both OFAC XML formats."""
    street = ", ".join(line for line in lines if line) or None
    code = resolve_country(country_name, country_iso)
    full = ", ".join(part for part in (street, city, region, postal_code, country_name) if part) or None
    return Address(
        full=full,
        street=street,
        city=city,
        region=region,
        postal_code=postal_code,
        country=code,
        country_name=country_name,
    )


def add_address(entity: Entity, address: Address) -> None:
    entity.add_address(address)
    if address.country:
        entity.add("country", address.country)


def linked_to(remarks: str | None) -> list[str]:
    """Names in OFAC's ``(Linked To: NAME)`` remarks; a name may itself hold parentheses."""
    names: list[str] = []
    if not remarks:
        return names
    marker = "linked to:"
    lower = remarks.lower()
    start = lower.find(marker)
    while start >= 0:
        i = start + len(marker)
        depth = 1 if remarks[:start].rstrip().endswith("(") else 0
        j = i
        while j < len(remarks):
            ch = remarks[j]
            if ch == "(":
                depth += 1
            elif ch == ")":
                if depth <= 1:
                    break
                depth -= 1
            elif ch == ";" and depth <= 1:
                break
            j += 1
        name = remarks[i:j].strip().rstrip(".").strip()
        if name and name not in names:
            names.append(name)
        start = lower.find(marker, j)
    return names


def resolve_links(entities: list[Entity]) -> None:
    """Fill ``target_source_id`` of name-only links whose target is listed in the same file under
    exactly that primary name."""
    by_name: dict[str, list[str]] = {}
    for entity in entities:
        for name in entity.get("name"):
            by_name.setdefault(name, []).append(entity.source_id)
    for entity in entities:
        for link in entity.links:
            if link.target_source_id is None and link.target_name:
                ids = by_name.get(link.target_name, [])
                if len(ids) == 1 and ids[0] != entity.source_id:
                    link.target_source_id = ids[0]


def us_date(text: str | None) -> str | None:
    """``MM/DD/YYYY`` (OFAC's US order) -> ISO; falls back to the generic reader."""
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text.strip())
    if m:
        return parse_date(f"{m.group(3)}-{m.group(1)}-{m.group(2)}")
    return parse_date(text)


# -- the legacy XML itself ------------------------------------------------------------------------


def parse(path: Path, dataset: str) -> ParsedList:
    """Parse an OFAC legacy XML file (``sdn.xml``, ``consolidated.xml``, or either gzipped)."""
    path = Path(path)
    root = parse_xml(io.BytesIO(read_bytes(path)), label=str(path))
    if local_name(root) != "sdnList":
        raise ListFormatError(path, f"root element <{local_name(root)}>", "not an OFAC sdnList document")

    published = None
    declared_count = None
    for info in children(root, "publshInformation") + children(root, "publishInformation"):
        raw_date = child_text(info, "Publish_Date")
        published = us_date(raw_date)
        if raw_date and published is None:
            raise ListFormatError(
                path, f"Publish_Date (line {info.sourceline})", f"unreadable date {raw_date!r}"
            )
        raw_count = child_text(info, "Record_Count")
        if raw_count is not None:
            if not raw_count.isdigit():
                raise ListFormatError(
                    path, f"Record_Count (line {info.sourceline})", f"not a number: {raw_count!r}"
                )
            declared_count = int(raw_count)

    warnings: list[str] = []
    entities: list[Entity] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(children(root, "sdnEntry"), start=1):
        entity = _parse_entry(path, entry, index, dataset, warnings)
        if entity.source_id in seen:
            raise ListFormatError(
                path,
                f"sdnEntry uid={entity.source_id} (line {entry.sourceline})",
                f"duplicate uid, first seen at line {seen[entity.source_id]}",
            )
        seen[entity.source_id] = entry.sourceline or 0
        entities.append(entity)

    if declared_count is not None and declared_count != len(entities):
        raise ListFormatError(
            path,
            "publshInformation/Record_Count",
            f"file declares {declared_count} entries but holds {len(entities)} (truncated or corrupt)",
        )
    resolve_links(entities)
    return ParsedList(dataset=dataset, entities=entities, published=published, warnings=warnings)


def check_complete(path: Path, parsed: ParsedList) -> None:
    """Refuse a file without ``publshInformation/Record_Count``: OFAC always states the count,
    and :func:`parse` checks the entries against it, so a copy cut short and stripped of its
    count would otherwise pass."""
    with open_bytes(Path(path)) as handle:
        head = handle.read(65536)
    if not re.search(rb"<(?:\w+:)?Record_Count>\s*\d+\s*</(?:\w+:)?Record_Count>", head):
        raise IncompleteListError(
            path,
            "publshInformation",
            "no Record_Count, which every OFAC XML file states: the copy was cut or edited",
        )


def _parse_entry(path: Path, entry: etree._Element, index: int, dataset: str, warnings: list[str]) -> Entity:
    uid = child_text(entry, "uid")
    if uid is None:
        raise ListFormatError(path, f"sdnEntry #{index} (line {entry.sourceline})", "missing <uid>")
    where = f"sdnEntry uid={uid} (line {entry.sourceline})"
    last, first = child_text(entry, "lastName"), child_text(entry, "firstName")
    party_type = child_text(entry, "sdnType")
    if party_type is None:
        raise ListFormatError(path, where, "missing <sdnType>")
    schema = schema_for(party_type, last or first, warnings, where)
    name = display_name(last, first) if schema == "Person" else last or first
    if not name:
        raise ListFormatError(path, where, "missing <lastName>: entry has no name")

    entity = Entity(id=make_id(dataset, uid), schema=schema, dataset=dataset, source_id=uid)
    entity.add("name", name)
    if schema == "Person":
        entity.add("firstName", first)
        entity.add("lastName", last)

    title = child_text(entry, "title")
    if title:
        add_prop(entity, "position", title, "Title")
    remarks = child_text(entry, "remarks")
    entity.add("notes", remarks)
    for target in linked_to(remarks):
        link = Link(relation="Linked To", target_name=target)
        if link not in entity.links:
            entity.links.append(link)

    for program_list in children(entry, "programList"):
        for program in children(program_list, "program"):
            code = (program.text or "").strip()
            if code:
                entity.add_sanction(Sanction(authority=AUTHORITY, program=code, source_id=uid))

    for aka_list in children(entry, "akaList"):
        for aka in children(aka_list, "aka"):
            _add_aka(path, entity, aka, where)

    for id_list in children(entry, "idList"):
        for item in children(id_list, "id"):
            label = child_text(item, "idType")
            number = child_text(item, "idNumber")
            if label is None:
                if number:
                    raise ListFormatError(path, f"{where}, id line {item.sourceline}", "id without <idType>")
                continue
            apply_detail(
                entity,
                label,
                number,
                warnings,
                where,
                country=child_text(item, "idCountry"),
                issued=child_text(item, "issueDate"),
                expires=child_text(item, "expirationDate"),
            )

    for address_list in children(entry, "addressList"):
        for item in children(address_list, "address"):
            add_address(
                entity,
                make_address(
                    [
                        child_text(item, "address1"),
                        child_text(item, "address2"),
                        child_text(item, "address3"),
                    ],
                    child_text(item, "city"),
                    child_text(item, "stateOrProvince") or child_text(item, "region"),
                    child_text(item, "postalCode"),
                    child_text(item, "country"),
                ),
            )

    for dob_list in children(entry, "dateOfBirthList"):
        for item in children(dob_list, "dateOfBirthItem"):
            add_birth_date(entity, child_text(item, "dateOfBirth"), warnings, where)
    for pob_list in children(entry, "placeOfBirthList"):
        for item in children(pob_list, "placeOfBirthItem"):
            add_prop(entity, "birthPlace", child_text(item, "placeOfBirth"), "Place of Birth")
    for nat_list in children(entry, "nationalityList"):
        for item in children(nat_list, "nationality"):
            add_country_prop(entity, "nationality", child_text(item, "country"), label="Nationality")
    for cit_list in children(entry, "citizenshipList"):
        for item in children(cit_list, "citizenship"):
            add_country_prop(entity, "citizenship", child_text(item, "country"), label="Citizenship")

    for vessel in children(entry, "vesselInfo"):
        add_prop(entity, "callSign", child_text(vessel, "callSign"), "Vessel Call Sign")
        add_prop(entity, "type", child_text(vessel, "vesselType"), "Vessel Type")
        add_country_prop(entity, "flag", child_text(vessel, "vesselFlag"), label="Vessel Flag")
        owner = child_text(vessel, "vesselOwner")
        if owner:
            add_note(entity, "Vessel Owner", owner)
        add_prop(entity, "tonnage", child_text(vessel, "tonnage"), "Tonnage")
        add_prop(
            entity,
            "grossRegisteredTonnage",
            child_text(vessel, "grossRegisteredTonnage"),
            "Gross Registered Tonnage",
        )
    return entity


def _add_aka(path: Path, entity: Entity, aka: etree._Element, where: str) -> None:
    last, first = child_text(aka, "lastName"), child_text(aka, "firstName")
    name = display_name(last, first)
    if not name:
        raise ListFormatError(path, f"{where}, aka line {aka.sourceline}", "a.k.a. without a name")
    category = (child_text(aka, "category") or "strong").lower()
    kind = (child_text(aka, "type") or "a.k.a.").lower()
    entity.add(alias_prop(kind, weak=category == "weak"), name)


def alias_prop(kind: str, weak: bool) -> str:
    """FtM property for an OFAC alias: weak ones stay apart; f.k.a. is a former name."""
    if weak:
        return "weakAlias"
    if kind.replace(".", "").strip().lower() == "fka":
        return "previousName"
    return "alias"
