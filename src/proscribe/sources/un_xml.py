"""UN Security Council Consolidated List, XML form (``sc-sanctions.xsd``).

The file is one ``CONSOLIDATED_LIST`` element (attribute ``dateGenerated``, the publication
time) holding ``INDIVIDUALS/INDIVIDUAL`` and ``ENTITIES/ENTITY`` records. Each record's
``REFERENCE_NUMBER`` (``QDi.001``, ``CDe.004``) is the list's own, permanent identifier and
becomes ``source_id``; ``DATAID`` is an internal database key and is not kept.

What the format does that a reader must know:

* An individual's name is split over ``FIRST_NAME`` .. ``FOURTH_NAME``; the parts are joined in
  order. The parts are not "given name / surname", so no structured name parts are emitted.
* ``NAME_ORIGINAL_SCRIPT`` holds the name in Arabic, Cyrillic, Han ... script: kept verbatim
  as an ``alias``. Alias ``NOTE`` texts sometimes give another original-script spelling
  (``In Arabic: ...``, ``original script: ...``); those are kept too, with the strength of
  the alias they belong to.
* Alias quality: individuals use ``Good`` (-> ``alias``) and ``Low`` (-> ``weakAlias``);
  entities use ``a.k.a.`` (-> ``alias``) and ``f.k.a.`` (-> ``previousName``). An alias element
  with an empty name is the format's "no alias" placeholder and is skipped.
* Dates of birth come as ``DATE`` (day precision), ``YEAR`` (year precision), or ``BETWEEN``
  ``FROM_YEAR``/``TO_YEAR``; a few carry only a ``NOTE`` (``Nov. 1973``). A ``BETWEEN`` range
  yields every year of the range (both ends included), so a screener's year matches
  whichever year is right. Notes that are not dates (Hijri dates, "30-35 years old") go to
  ``notes``. ``LISTED_ON`` sometimes carries an XML Schema time zone (``2015-07-01-04:00``).
* Document numbers are sometimes prose (``Afghan passport number SE 012820``) or sit only in
  the document ``NOTE``; the number is taken out and the full text is kept in the
  identifier's ``note``.
* Entity comments state IMO company numbers (``IMO number: 5571322.``); they become ``imo``
  identifiers. Other records are referred to by reference number in the comments
  (``(QDi.412)``); each becomes a :class:`~proscribe.model.Link`.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from lxml import etree

from proscribe.model import Address, Entity, Identifier, Link, Sanction, make_id
from proscribe.sources.base import (
    IncompleteListError,
    ListFormatError,
    ParsedList,
    children,
    country_code,
    local_name,
    organization_schema,
    parse_date,
    parse_xml,
    read_bytes,
)

DATASET = "un_sc_sanctions"
AUTHORITY = "UN Security Council"
ROOT = "CONSOLIDATED_LIST"

_ALIAS_PROPS = {
    "good": "alias",
    "a.k.a.": "alias",
    "low": "weakAlias",
    "bad": "weakAlias",
    "f.k.a.": "previousName",
}

_REFERENCE = re.compile(r"\b[A-Z]{2}[ie]\.\d{3}\b")
_IMO_IN_COMMENTS = re.compile(r"\bIMO\)?\s+number\s*:\s*(\d{7})\b", re.IGNORECASE)
_ORIGINAL_SCRIPT_NOTE = re.compile(
    r"(?:in\s+arabic(?:\s+script)?|original\s+script)\s*:\s*(?P<name>[^:]+?)\s*$", re.IGNORECASE
)
_XS_DATE_TZ = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})$")
# A token of a document number: has a digit, or is a short upper-case series prefix ("SE", "DE-").
_NUMBER_START = re.compile(r"(?:\b[A-Z]{1,3}-?\s+)?(?:N°)?[A-Z0-9][\w/.-]*\d[\w/.-]*")
_NUMBER_AFTER_KEYWORD = re.compile(
    r"(?:\bnumber|\bno\.?|\bcode\s*:|\bSSN|\bcard)\s*:?\s+((?:[A-Z]{1,3}-?\s+)?[A-Z0-9][\w/-]*\d[\w/-]*)",
    re.IGNORECASE,
)
_TRAILING_PARENTHESIS = re.compile(r"^(?P<main>.*?)\s*\((?P<note>[^()]*)\)\s*$", re.S)
_OTHER_DOCUMENT = re.compile(
    r"driv|ration|birth certificate|voter|student|other id|residential|military|serviceman|"
    r"FARDC|certificate of|laissez|travel document|alien registration",
    re.IGNORECASE,
)


def parse(path: Path, dataset: str = DATASET) -> ParsedList:
    """Parse the UN consolidated list XML (plain or ``.gz``)."""
    path = Path(path)
    root = parse_xml(io.BytesIO(read_bytes(path)), label=str(path))
    if local_name(root) != ROOT:
        raise ListFormatError(
            path, f"line {root.sourceline}", f"root element is <{local_name(root)}>, expected <{ROOT}>"
        )
    result = ParsedList(dataset=dataset, entities=[])
    generated = root.get("dateGenerated")
    result.published = parse_date(generated)
    if result.published is None:
        result.warnings.append(f"{ROOT} has no usable dateGenerated attribute ({generated!r})")

    for container, record_tag in (("INDIVIDUALS", "INDIVIDUAL"), ("ENTITIES", "ENTITY")):
        found = children(root, container)
        if not found:
            raise ListFormatError(path, f"<{ROOT}>", f"missing required element <{container}>")
        for holder in found:
            for element in holder:
                if not isinstance(element.tag, str):
                    continue  # comments, processing instructions
                if local_name(element) != record_tag:
                    raise ListFormatError(
                        path,
                        f"line {element.sourceline}",
                        f"unexpected element <{local_name(element)}> in <{container}>",
                    )
                result.entities.append(_record(path, dataset, element, record_tag, result.warnings))

    _check_unique(path, result.entities)
    _name_link_targets(result.entities)
    return result


def check_complete(path: Path, parsed: ParsedList) -> None:
    """Refuse a file without its ``dateGenerated``. The UN states no record count; a cut file
    fails as malformed XML (its closing tags are missing) and a short one falls under the
    dataset's minimum size (``store/import_guards.toml``), but every file the UN generates is
    dated, and an undated copy has been edited."""
    if parsed.published is None:
        raise IncompleteListError(
            path, f"<{ROOT}>", "no usable dateGenerated attribute, which every UN list file carries"
        )


# -- records --------------------------------------------------------------------------------------


def _record(path: Path, dataset: str, el: etree._Element, tag: str, warnings: list[str]) -> Entity:
    reference = _text(el, "REFERENCE_NUMBER")
    if reference is None:
        raise ListFormatError(
            path, f"line {el.sourceline}, <{tag}>", "missing required element <REFERENCE_NUMBER>"
        )
    where = f"line {el.sourceline}, <{tag}> {reference}"
    program = _text(el, "UN_LIST_TYPE")
    if program is None:
        raise ListFormatError(path, where, "missing required element <UN_LIST_TYPE>")

    is_person = tag == "INDIVIDUAL"
    if is_person:
        parts = [_text(el, part) for part in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        name = " ".join(p for p in parts if p) or None
        if name is None:
            raise ListFormatError(path, where, "missing required element <FIRST_NAME> (no name at all)")
        schema = "Person"
    else:
        name = _text(el, "FIRST_NAME")
        if name is None:
            raise ListFormatError(path, where, "missing required element <FIRST_NAME> (entity name)")
        schema = organization_schema(name)

    entity = Entity(id=make_id(dataset, reference), schema=schema, dataset=dataset, source_id=reference)
    entity.add("name", name)
    if not is_person and " ; " in name:
        # One record names several bodies ("CAGL ; GREAT LAKES BUSINESS COMPANY (GLBC)"):
        # each part is also a name the entry is known by.
        entity.add("alias", [part.strip() for part in name.split(" ; ")])
    entity.add("alias", _text(el, "NAME_ORIGINAL_SCRIPT"))
    entity.add_sanction(
        Sanction(
            authority=AUTHORITY,
            program=program,
            listing_date=_xs_date(_text(el, "LISTED_ON")),
            source_id=reference,
        )
    )

    comments = _text(el, "COMMENTS1")
    entity.add("notes", comments)
    for alias in children(el, f"{tag}_ALIAS"):
        _alias(entity, alias, where, warnings)

    if is_person:
        for value in _values(el, "TITLE") + _values(el, "DESIGNATION"):
            entity.add("position", value)
        for value in _values(el, "NATIONALITY"):
            entity.add("nationality", country_code(value) or value)
        gender = (_text(el, "GENDER") or "").lower()
        if gender in ("male", "female"):
            entity.add("gender", gender)
        elif gender:
            warnings.append(f"{where}: unknown GENDER {gender!r} not kept")
        for dob in children(el, "INDIVIDUAL_DATE_OF_BIRTH"):
            _birth_date(entity, dob)
        for pob in children(el, "INDIVIDUAL_PLACE_OF_BIRTH"):
            _birth_place(entity, pob)
        for doc in children(el, "INDIVIDUAL_DOCUMENT"):
            _document(entity, doc, where, warnings)

    for address in children(el, f"{tag}_ADDRESS"):
        _address(entity, address)

    if comments:
        for number in _IMO_IN_COMMENTS.findall(comments):
            entity.add_identifier(Identifier(type="imo", value=number, label="IMO number"))
            if schema != "Person":
                entity.add("imoNumber", number)
        for target in dict.fromkeys(_REFERENCE.findall(comments)):
            if target != reference:
                entity.links.append(Link(relation="referred to in UN comments", target_source_id=target))
    return entity


def _alias(entity: Entity, el: etree._Element, where: str, warnings: list[str]) -> None:
    name = _text(el, "ALIAS_NAME")
    quality = _text(el, "QUALITY")
    note = _text(el, "NOTE")
    if name is None:
        if note:
            entity.add("notes", f"Alias note: {note}")
        return
    prop = _ALIAS_PROPS.get((quality or "").lower())
    if prop is None:
        prop = "alias"
        if quality:
            warnings.append(f"{where}: unknown alias QUALITY {quality!r}; kept {name!r} as alias")
    entity.add(prop, name)
    if note:
        match = _ORIGINAL_SCRIPT_NOTE.search(note)
        if match and any(ord(ch) > 0x24F and ch.isalpha() for ch in match.group("name")):
            entity.add(prop, match.group("name"))
        entity.add("notes", f"Alias {name}: {note}")
    if entity.schema == "Person":
        entity.add("birthDate", parse_date(_text(el, "DATE_OF_BIRTH")))
        place = ", ".join(p for p in (_text(el, "CITY_OF_BIRTH"), _text(el, "COUNTRY_OF_BIRTH")) if p)
        entity.add("birthPlace", place)
        birth_country = country_code(_text(el, "COUNTRY_OF_BIRTH"))
        entity.add("birthCountry", birth_country)


def _birth_date(entity: Entity, el: etree._Element) -> None:
    kind = (_text(el, "TYPE_OF_DATE") or "").upper()
    note = _text(el, "NOTE")
    date = _xs_date(_text(el, "DATE"))
    year = _text(el, "YEAR")
    dates: list[str] = []
    if date:
        dates.append(date)
    if year:
        # "EXACT, YEAR 1958, NOTE Sep." means September 1958: keep the month the note adds.
        with_month = parse_date(f"{note} {year}") if note else None
        dates.append(with_month or parse_date(year) or "")
        if with_month:
            note = None
    first, last = _text(el, "FROM_YEAR"), _text(el, "TO_YEAR")
    if first or last:
        dates.extend(_year_range(first, last))
    if not dates and note:
        from_note = parse_date(note)
        if from_note:
            dates.append(from_note)
            note = None
    entity.add("birthDate", [d for d in dates if d])
    if note:
        stated = ", ".join(dates) if dates else "not stated"
        label = kind.lower() if kind else "date"
        entity.add("notes", f"Date of birth ({label}, {stated}): {note}")


def _year_range(first: str | None, last: str | None) -> list[str]:
    start, end = parse_date(first), parse_date(last)
    if start and end and start.isdigit() and end.isdigit() and 0 <= int(end) - int(start) <= 20:
        return [str(y) for y in range(int(start), int(end) + 1)]
    return [d for d in (start, end) if d]


def _birth_place(entity: Entity, el: etree._Element) -> None:
    country = _text(el, "COUNTRY")
    parts = [_text(el, tag) for tag in ("STREET", "CITY", "STATE_PROVINCE")] + [country]
    place = ", ".join(p for p in parts if p)
    note = _text(el, "NOTE")
    if note:
        place = f"{place} {note}" if note.startswith("(") else ", ".join(p for p in (place, note) if p)
    entity.add("birthPlace", place)
    entity.add("birthCountry", country_code(country))


def _address(entity: Entity, el: etree._Element) -> None:
    street, city = _text(el, "STREET"), _text(el, "CITY")
    region, postal = _text(el, "STATE_PROVINCE"), _text(el, "ZIP_CODE")
    country_name, note = _text(el, "COUNTRY"), _text(el, "NOTE")
    code = country_code(country_name)
    full = ", ".join(p for p in (street, city, region, postal, country_name) if p) or None
    if full is None:
        # Some addresses are written wholly in NOTE ("617 Clifton Center, Block 5, ... Karachi,
        # Pakistan; Phone 587-2545", "Operates in Benghazi, Libya"): the note is the address.
        full, note = note, None
    if full is None:
        return
    entity.add_address(
        Address(
            full=full,
            street=street,
            city=city,
            region=region,
            postal_code=postal,
            country=code,
            country_name=country_name,
            note=note,
        )
    )
    entity.add("country", code)


def _document(entity: Entity, el: etree._Element, where: str, warnings: list[str]) -> None:
    kind = _text(el, "TYPE_OF_DOCUMENT")
    detail = _text(el, "TYPE_OF_DOCUMENT2")
    raw_number = _text(el, "NUMBER")
    note = _text(el, "NOTE")
    if not any((kind, detail, raw_number, note)):
        return  # the format's empty <INDIVIDUAL_DOCUMENT/> placeholder
    country_name = _text(el, "ISSUING_COUNTRY") or _text(el, "COUNTRY_OF_ISSUE")
    notes: list[str] = []
    if raw_number:
        value, stated_country = _split_number(raw_number)
        if value != raw_number:
            notes.append(f"as listed: {raw_number}")
        country_name = country_name or stated_country
    else:
        # The number sits in the free text ("Tunisian passport number L 191609 issued on ...").
        value = None
        for text in (detail, note):
            match = _NUMBER_AFTER_KEYWORD.search(text or "") or re.match(
                r"^([A-Z0-9][\w/-]*\d[\w/-]*)\b", text or ""
            )
            if match:
                value = match.group(1)
                break
    city = _text(el, "CITY_OF_ISSUE")
    if city:
        notes.append(f"issued in {city}")
    issuing = _text(el, "COUNTRY_OF_ISSUE")
    if issuing and _text(el, "ISSUING_COUNTRY") and issuing != _text(el, "ISSUING_COUNTRY"):
        notes.append(f"country of issue: {issuing}")
    if note:
        notes.append(note)
    label = detail or kind
    id_type = _document_type(kind, detail, raw_number)
    if id_type is None:
        warnings.append(f"{where}: unknown TYPE_OF_DOCUMENT {kind!r}; kept as 'other'")
        id_type = "other"
    if not value:
        # Nothing identifier-like to match on: keep what the list says as a note.
        text = "; ".join(p for p in (label, raw_number, country_name, *notes) if p)
        entity.add("notes", f"Document: {text}")
        return
    entity.add_identifier(
        Identifier(
            type=id_type,
            value=value,
            country=country_code(country_name) or country_name,
            label=label,
            issued=_xs_date(_text(el, "DATE_OF_ISSUE")),
            expires=_xs_date(_text(el, "DATE_OF_EXPIRY")),
            note="; ".join(notes) or None,
        )
    )


def _document_type(kind: str | None, detail: str | None, number: str | None) -> str | None:
    text = " ".join(p for p in (detail, number) if p)
    if re.search(r"fiscal code|tax", text, re.IGNORECASE):
        return "tax_id"
    if _OTHER_DOCUMENT.search(text):
        return "other"
    lowered = (kind or "").lower()
    if "passport" in lowered or "passeport" in lowered or "pasaporte" in lowered:
        return "passport"
    if "identification" in lowered or "identity" in lowered:
        return "national_id"
    if not lowered:
        return "other"
    return None


def _split_number(raw: str) -> tuple[str, str | None]:
    """``(value, country)`` from a NUMBER element's text, which is usually a bare number but
    sometimes prose around one: ``Afghan passport number SE 012820`` -> ``SE 012820``;
    ``381110042 (Expired 25 Jan. 2016)`` -> ``381110042``; ``R00012098, South Sudan`` and
    ``403062567 (US)`` -> the number and the country."""
    text, country = raw, None
    match = _TRAILING_PARENTHESIS.match(text)
    if match and match.group("main"):
        text = match.group("main")
        if country_code(match.group("note")):
            country = match.group("note")
    head, sep, tail = text.rpartition(",")
    if sep and head and country_code(tail.strip()):
        text, country = head.strip(), tail.strip()
    if re.search(r"[a-z]{3,}", text) or re.match(r"^[A-Z][a-z]+\s", text):
        found = _NUMBER_START.search(text)
        if found:
            text = text[found.start() :].strip()
    return text, country


# -- helpers --------------------------------------------------------------------------------------


def _text(el: etree._Element, name: str) -> str | None:
    """Text of the first direct child ``name`` with runs of whitespace collapsed; None if empty."""
    for child in el:
        if isinstance(child.tag, str) and local_name(child) == name:
            text = " ".join((child.text or "").split())
            return text or None
    return None


def _values(el: etree._Element, name: str) -> list[str]:
    """The non-empty ``VALUE`` texts under every ``name`` child (``NATIONALITY/VALUE``)."""
    found: list[str] = []
    for holder in children(el, name):
        for value in children(holder, "VALUE"):
            text = " ".join((value.text or "").split())
            if text:
                found.append(text)
    return found


def _xs_date(text: str | None) -> str | None:
    """An ``xs:date`` (optionally with time zone, ``2015-07-01-04:00``) as an FtM date."""
    if not text:
        return None
    match = _XS_DATE_TZ.match(text)
    return parse_date(match.group(1) if match else text)


def _check_unique(path: Path, entities: list[Entity]) -> None:
    seen: set[str] = set()
    for entity in entities:
        if entity.source_id in seen:
            raise ListFormatError(path, f"REFERENCE_NUMBER {entity.source_id}", "reference number repeated")
        seen.add(entity.source_id)


def _name_link_targets(entities: list[Entity]) -> None:
    names = {entity.source_id: entity.caption for entity in entities}
    for entity in entities:
        for link in entity.links:
            link.target_name = names.get(link.target_source_id or "")
