"""EU Financial Sanctions Files (FSF): the EU consolidated list of persons, groups and entities
subject to financial sanctions, XML export version 1.1.

Format followed: the FSF XML 1.1 export published by the European Commission (DG FISMA) at
https://webgate.ec.europa.eu/fsd/fsf (file ``xmlFullSanctionsList_1_1``, schema
``schema_1_1.xsd``), as described by its schema and the Commission's help pages for the
consolidated list files (ec.europa.eu/external_relations/cfsp/sanctions/list/version4/global/
help_online). Element and attribute names below were checked against the schema's type
definitions (ExportType, SanctionEntityType, RegulationType, NameAliasType, CitizenshipType,
BirthdateType, AddressType, IdentificationType, ContactInfoType) and against excerpts of
published files (e.g. the export of 2018-12-21, globalFileId 118887). Note that the published
namespace is ``http://eu.europa.ec/fpi/fsd/export`` (``europa.ec``, not ``europa.eu``).

Structure::

    <export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2025-06-30T17:12:05+02:00"
            globalFileId="...">
      <sanctionEntity logicalId="13" euReferenceNumber="EU.27.28" unitedNationId=""
                      designationDetails="" designationDate="...">
        <remark>...</remark>
        <regulation programme="IRQ" publicationDate="2003-07-08" entryIntoForceDate="..."
                    numberTitle="1210/2003 (OJ L169)" regulationType="regulation" ...>
          <publicationUrl>http://eur-lex.europa.eu/...</publicationUrl>
        </regulation>
        <subjectType code="person|enterprise" classificationCode="P|E"/>
        <nameAlias wholeName="..." firstName middleName lastName function gender="M|F" title
                   nameLanguage="RU" strong="true|false" regulationLanguage="en" logicalId/>
        <citizenship countryIso2Code="IQ" countryDescription="IRAQ" region/>
        <birthdate birthdate="1937-04-28" year dayOfMonth monthOfYear yearRangeFrom yearRangeTo
                   circa city place region zipCode countryIso2Code countryDescription/>
        <address street city poBox zipCode region place countryIso2Code countryDescription>
          <contactInfo key="PHONE|FAX|EMAIL|WEB" value="..."/>
        </address>
        <identification identificationTypeCode="passport|id|regnumber|fiscalcode|swiftbic|imo|..."
                        identificationTypeDescription number latinNumber countryIso2Code
                        issueDate validTo issuedBy diplomatic knownFalse reportedLost .../>
      </sanctionEntity>
    </export>

Every child element may carry ``remark`` and ``regulationSummary`` children. Country code
``00`` / description ``UNKNOWN`` mean "not stated". Mapping: ``logicalId`` -> ``source_id``;
the strong name in the regulation language (Latin script) -> ``name``, other strong names ->
``alias`` (original-script names verbatim), ``strong="false"`` (or a remark saying "low
quality") -> ``weakAlias``, a remark saying "former name" -> ``previousName``; each
``regulation`` -> a :class:`Sanction` (program = ``programme``); ``generationDate`` ->
``published``. The format has no vessel subject type: ships appear as enterprises with an
``imo`` identification and are kept as such.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from lxml import etree

from proscribe.model import Address, Entity, Identifier, Sanction, make_id
from proscribe.sources.base import (
    ListFormatError,
    ParsedList,
    children,
    country_code,
    local_name,
    open_bytes,
    organization_schema,
    parse_date,
    parse_xml,
)

#: The namespace of the published export (and a misspelling seen in secondary descriptions).
FSF_NAMESPACES = ("http://eu.europa.ec/fpi/fsd/export", "http://eu.europa.eu/fpi/fsd/export")

AUTHORITY = "European Union"

#: FSF ``identificationTypeCode`` -> proscribe identifier type.
IDENTIFICATION_TYPES: dict[str, str] = {
    "passport": "passport",
    "id": "national_id",
    "ssn": "national_id",
    "nrn": "national_id",
    "nationcert": "national_id",
    "birthcert": "other",
    "travelcardid": "other",
    "electionid": "other",
    "residentperm": "other",
    "drivinglicence": "other",
    "other": "other",
    "regnumber": "registration",
    "tradelic": "registration",
    "fiscalcode": "tax_id",
    "swiftbic": "swift_bic",
    "imo": "imo",
}

#: ``contactInfo`` keys -> identifier types.
CONTACT_TYPES = {"PHONE": "phone", "FAX": "phone", "EMAIL": "email", "WEB": "website"}

_GENDERS = {"M": "male", "F": "female"}
_KNOWN_CHILDREN = {
    "remark",
    "regulation",
    "subjectType",
    "nameAlias",
    "citizenship",
    "birthdate",
    "address",
    "identification",
    "additionalInformation",
}


def _attr(element: etree._Element, name: str) -> str | None:
    value = element.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _remarks(element: etree._Element) -> list[str]:
    return [text for node in children(element, "remark") if (text := (node.text or "").strip())]


def _country(element: etree._Element) -> tuple[str | None, str | None]:
    """(ISO2 lower case, description as written); ``00``/``UNKNOWN`` mean not stated."""
    code = _attr(element, "countryIso2Code")
    description = _attr(element, "countryDescription")
    if description and description.upper() == "UNKNOWN":
        description = None
    if code in (None, "00"):
        code = country_code(description) if description else None
    else:
        code = code.lower()
    return code, description


def is_latin(text: str) -> bool:
    """True when every letter in ``text`` is Latin script (accents allowed)."""
    for char in text:
        if char.isalpha() and "LATIN" not in unicodedata.name(char, ""):
            return False
    return True


def _where(index: int, element: etree._Element) -> str:
    logical_id = element.get("logicalId")
    label = f"sanctionEntity #{index}"
    if logical_id:
        label += f" (logicalId {logical_id})"
    if element.sourceline:
        label += f", line {element.sourceline}"
    return label


def parse(path: Path, dataset: str = "eu_fsf") -> ParsedList:
    path = Path(path)
    with open_bytes(path) as handle:
        root = parse_xml(handle, label=str(path))
    if local_name(root) != "export":
        raise ListFormatError(
            path, "root element", f"expected <export> (EU FSF XML), found <{local_name(root) or root.tag}>"
        )
    warnings: list[str] = []
    namespace = etree.QName(root).namespace
    if namespace not in FSF_NAMESPACES:
        warnings.append(f"unexpected namespace {namespace!r} on <export>; expected {FSF_NAMESPACES[0]}")
    generation = root.get("generationDate")
    published = parse_date(generation) if generation else None

    entities: list[Entity] = []
    seen: dict[str, str] = {}
    for index, element in enumerate(children(root, "sanctionEntity"), start=1):
        where = _where(index, element)
        entity = _entity(path, dataset, element, where, warnings)
        if entity.source_id in seen:
            raise ListFormatError(
                path, where, f"duplicate logicalId {entity.source_id} (also at {seen[entity.source_id]})"
            )
        seen[entity.source_id] = where
        entities.append(entity)
    other = {
        local_name(child) for child in root if local_name(child) and local_name(child) != "sanctionEntity"
    }
    if other:
        warnings.append(f"ignored unknown elements under <export>: {', '.join(sorted(other))}")
    return ParsedList(dataset=dataset, entities=entities, published=published, warnings=warnings)


def _name_of(alias: etree._Element) -> str | None:
    whole = _attr(alias, "wholeName")
    if whole:
        return whole
    parts = [_attr(alias, key) for key in ("firstName", "middleName", "lastName")]
    joined = " ".join(p for p in parts if p)
    return joined or None


def _is_strong(alias: etree._Element) -> bool:
    strong = (_attr(alias, "strong") or "true").lower() != "false"
    if strong and any("low quality" in r.lower() for r in _remarks(alias)):
        return False
    return strong


def _pick_primary(aliases: list[tuple[etree._Element, str]]) -> int:
    """Index of the name to show: the first strong name written in the regulation language
    (no ``nameLanguage`` or the same as ``regulationLanguage``) in Latin script; else the
    first strong name; else the first name."""
    for i, (alias, name) in enumerate(aliases):
        language = (_attr(alias, "nameLanguage") or "").lower()
        regulation_language = (_attr(alias, "regulationLanguage") or "").lower()
        if _is_strong(alias) and language in ("", regulation_language) and is_latin(name):
            return i
    for i, (alias, _name) in enumerate(aliases):
        if _is_strong(alias):
            return i
    return 0


def _entity(path: Path, dataset: str, element: etree._Element, where: str, warnings: list[str]) -> Entity:
    logical_id = _attr(element, "logicalId")
    if not logical_id:
        raise ListFormatError(path, where, "sanctionEntity has no logicalId")

    subject = children(element, "subjectType")
    if not subject:
        raise ListFormatError(path, where, "sanctionEntity has no subjectType")
    code = (_attr(subject[0], "code") or "").lower()
    classification = (_attr(subject[0], "classificationCode") or "").upper()
    if code == "person" or (not code and classification == "P"):
        is_person = True
    elif code == "enterprise" or (not code and classification == "E"):
        is_person = False
    else:
        raise ListFormatError(
            path, where, f"unknown subjectType code={code!r} classificationCode={classification!r}"
        )

    aliases = [(alias, name) for alias in children(element, "nameAlias") if (name := _name_of(alias))]
    if not aliases:
        raise ListFormatError(path, where, "sanctionEntity has no name (no nameAlias with a name)")
    primary = _pick_primary(aliases)
    primary_name = aliases[primary][1]
    schema = "Person" if is_person else organization_schema(primary_name)
    entity = Entity(id=make_id(dataset, logical_id), schema=schema, dataset=dataset, source_id=logical_id)
    entity.add("name", primary_name)

    for i, (alias, name) in enumerate(aliases):
        remarks = _remarks(alias)
        if i != primary:
            if any("former name" in r.lower() or "formerly" in r.lower() for r in remarks):
                entity.add("previousName", name)
            elif _is_strong(alias):
                entity.add("alias", name)
            else:
                entity.add("weakAlias", name)
        _name_details(entity, alias, is_person, remarks)

    for remark in _remarks(element):
        entity.add("notes", remark)
    for key in ("designationDetails",):
        entity.add("notes", _attr(element, key))
    un_id = _attr(element, "unitedNationId")
    if un_id:
        entity.add("notes", f"UN reference: {un_id}")
    delisted = _attr(element, "delistingDate")
    if delisted:
        entity.add("notes", f"Delisting date: {delisted}")
        warnings.append(f"{where}: entity carries delistingDate {delisted}")
    for info in children(element, "additionalInformation"):
        key, value = _attr(info, "key"), _attr(info, "value")
        if value:
            entity.add("notes", f"{key}: {value}" if key else value)

    _regulations(entity, element, where, warnings)
    _citizenships(entity, element, is_person)
    _birthdates(entity, element, is_person, where, warnings)
    _addresses(entity, element)
    _identifications(entity, element, where, warnings)

    unknown = {local_name(c) for c in element if local_name(c) and local_name(c) not in _KNOWN_CHILDREN}
    if unknown:
        warnings.append(f"{where}: ignored unknown elements {', '.join(sorted(unknown))}")
    return entity


_LETTER_SPLIT = re.compile(r"\s*\([a-z]\)\s*")


def _split_lettered(text: str) -> list[str]:
    """``(a) Mullah, (b) Maulavi`` -> [``Mullah``, ``Maulavi``]; other text stays whole."""
    parts = [p.strip(" ,;") for p in _LETTER_SPLIT.split(text)]
    return [p for p in parts if p]


def _name_details(entity: Entity, alias: etree._Element, is_person: bool, remarks: list[str]) -> None:
    if is_person:
        for attr in ("firstName", "middleName", "lastName"):
            entity.add(attr, _attr(alias, attr))
        entity.add("gender", _GENDERS.get((_attr(alias, "gender") or "").upper()))
        for attr in ("function", "title"):
            text = _attr(alias, attr)
            if text:
                entity.add("position" if attr == "function" else "title", _split_lettered(text))
    else:
        for attr in ("function", "title"):
            entity.add("notes", _attr(alias, attr))
    for remark in remarks:
        lowered = remark.lower()
        if "quality" in lowered or "former name" in lowered or "formerly" in lowered:
            continue  # already used to classify the name
        entity.add("notes", remark)


def _regulations(entity: Entity, element: etree._Element, where: str, warnings: list[str]) -> None:
    regulations = children(element, "regulation")
    if not regulations:
        warnings.append(f"{where}: no regulation (programme unknown)")
    designation_date = parse_date(_attr(element, "designationDate"))
    reference = _attr(element, "euReferenceNumber")
    for regulation in regulations:
        listing = designation_date or parse_date(_attr(regulation, "publicationDate"))
        entity.add_sanction(
            Sanction(
                authority=AUTHORITY,
                program=_attr(regulation, "programme") or "",
                listing_date=listing,
                reason=_attr(regulation, "numberTitle"),
                source_id=reference,
            )
        )
        for url in children(regulation, "publicationUrl"):
            entity.add("sourceUrl", (url.text or "").strip())
        entity.add("sourceUrl", _attr(regulation, "publicationUrl"))


def _citizenships(entity: Entity, element: etree._Element, is_person: bool) -> None:
    for node in children(element, "citizenship"):
        code, description = _country(node)
        value = code or description
        if value:
            entity.add("citizenship" if is_person else "country", value)


def _birth_date(node: etree._Element) -> list[str]:
    full = parse_date(_attr(node, "birthdate"))
    if full:
        return [full]
    year = _attr(node, "year")
    if year and year.isdigit():
        month = _attr(node, "monthOfYear")
        day = _attr(node, "dayOfMonth")
        text = year
        if month and month.isdigit() and int(month):
            text += f"-{int(month):02d}"
            if day and day.isdigit() and int(day):
                text += f"-{int(day):02d}"
        parsed = parse_date(text)
        return [parsed] if parsed else []
    start, end = _attr(node, "yearRangeFrom"), _attr(node, "yearRangeTo")
    if start and end and start.isdigit() and end.isdigit() and int(start) <= int(end):
        if int(end) - int(start) <= 10:
            return [str(y) for y in range(int(start), int(end) + 1)]
        return [start, end]
    return [y for y in (start, end) if y and y.isdigit()]


def _birthdates(
    entity: Entity, element: etree._Element, is_person: bool, where: str, warnings: list[str]
) -> None:
    for node in children(element, "birthdate"):
        dates = _birth_date(node)
        code, description = _country(node)
        parts = [_attr(node, "city"), _attr(node, "place"), _attr(node, "region"), description]
        place = ", ".join(p for p in parts if p) or None
        if not is_person:
            if dates or place:
                warnings.append(f"{where}: birthdate on an enterprise ignored")
            continue
        entity.add("birthDate", dates)
        if dates and (_attr(node, "circa") or "").lower() == "true":
            entity.add("notes", f"Date of birth circa {', '.join(dates)}")
        entity.add("birthPlace", place)
        entity.add("birthCountry", code)


def _addresses(entity: Entity, element: etree._Element) -> None:
    for node in children(element, "address"):
        code, description = _country(node)
        street = _attr(node, "street")
        po_box = _attr(node, "poBox")
        city = _attr(node, "city")
        postal = _attr(node, "zipCode")
        region = _attr(node, "region")
        place = _attr(node, "place")
        parts = [street, po_box, place, city, postal, region, description]
        full = ", ".join(p for p in parts if p) or None
        remarks = _remarks(node)
        entity.add_address(
            Address(
                full=full,
                street=street or po_box,
                city=city or place,
                region=region,
                postal_code=postal,
                country=code,
                country_name=description,
                note="; ".join(remarks) or None,
            )
        )
        entity.add("country", code)
        if not full:  # an address element that only carries a remark
            for remark in remarks:
                entity.add("notes", remark)
        for contact in children(node, "contactInfo"):
            ident_type = CONTACT_TYPES.get((_attr(contact, "key") or "").upper())
            value = _attr(contact, "value")
            if ident_type and value:
                for part in re.split(r"\s*[;,]\s*", value):
                    entity.add_identifier(
                        Identifier(type=ident_type, value=part, label=_attr(contact, "key"))
                    )


def _identifications(entity: Entity, element: etree._Element, where: str, warnings: list[str]) -> None:
    for node in children(element, "identification"):
        code = _attr(node, "identificationTypeCode") or "other"
        ident_type = IDENTIFICATION_TYPES.get(code.lower())
        if ident_type is None:
            warnings.append(f"{where}: unknown identificationTypeCode {code!r}, kept as 'other'")
            ident_type = "other"
        country, _description = _country(node)
        flags = [
            flag
            for flag in ("diplomatic", "knownExpired", "knownFalse", "reportedLost", "revokedByIssuer")
            if (_attr(node, flag) or "").lower() == "true"
        ]
        notes = _remarks(node) + flags
        issued_by = _attr(node, "issuedBy")
        if issued_by:
            notes.append(f"issued by {issued_by}")
        name_on_document = _attr(node, "nameOnDocument")
        if name_on_document:
            notes.append(f"name on document: {name_on_document}")
        numbers = [_attr(node, "number"), _attr(node, "latinNumber")]
        for number in dict.fromkeys(n for n in numbers if n):
            entity.add_identifier(
                Identifier(
                    type=ident_type,
                    value=number,
                    country=country,
                    label=_attr(node, "identificationTypeDescription") or code,
                    issued=parse_date(_attr(node, "issueDate")),
                    expires=parse_date(_attr(node, "validTo")),
                    note="; ".join(notes) or None,
                )
            )
