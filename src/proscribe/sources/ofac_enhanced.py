"""OFAC's Enhanced XML format (``SDN_ENHANCED.XML``, ``CONS_ENHANCED.XML``; root ``sanctionsData``).

The file is published bare or zipped (``CONS_ENHANCED.ZIP`` holding one ``CONS_ENHANCED.XML``);
both are accepted. Its layout::

    <sanctionsData>
      <publicationInfo><dataAsOf>2025-01-10T00:00:00</dataAsOf>...</publicationInfo>
      <referenceValues>  refId -> (type, value, isoCode): countries, alias types, ...
      <featureTypes>     featureTypeId -> feature name
      <entities>
        <entity id="UID">                       (the same uid as OFAC's legacy formats)
          <generalInfo><entityType>Individual|Entity|Vessel|Aircraft</entityType><remarks/>
          <sanctionsLists><sanctionsList datePublished="2006-04-12">...</sanctionsList>
          <sanctionsPrograms><sanctionsProgram>NS-PLC</sanctionsProgram>
          <sanctionsTypes> (Block, Reject, directives)  <legalAuthorities>
          <names><name><isPrimary/><aliasType>A.K.A.|F.K.A.|N.K.A.</aliasType><isLowQuality/>
                 <translations><translation><isPrimary/><script>Latin|Cyrillic|...</script>
                   <formattedFirstName/><formattedLastName/><formattedFullName/>
          <addresses><address><country refId/><translations><translation><addressParts>
                   <addressPart><type>ADDRESS1|ADDRESS2|ADDRESS3|CITY|STATE/PROVINCE|REGION|POSTAL CODE
          <features><feature><type>Birthdate|Place of Birth|Gender|Website|...</type>
                   <value/><valueRefId/><valueDate/><comments/>
          <identityDocuments><identityDocument><type/><documentNumber/><issuingCountry refId/>
          <relationships><relationship><type/><relatedEntity entityId="UID">NAME</relatedEntity>

Features and identity documents go through :func:`proscribe.sources.ofac_xml.apply_detail`, the
same sorting the legacy XML parser uses, so one uid gives the same entity from either format.
Names use OFAC's ``formattedFullName`` (``LAST, First`` for people), as the legacy formats show
them; translations in other scripts are kept verbatim as further names.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from proscribe.model import Entity, Link, Sanction, make_id
from proscribe.sources.base import (
    ZIP_FAULTS,
    ListFormatError,
    ParsedList,
    child_text,
    children,
    local_name,
    parse_date,
    parse_xml,
    read_bytes,
)
from proscribe.sources.ofac_xml import (
    AUTHORITY,
    add_address,
    add_note,
    alias_prop,
    apply_detail,
    birth_dates,
    make_address,
    resolve_country,
    resolve_links,
    schema_for,
)

#: Largest XML member we agree to inflate from a zip (SDN_ENHANCED.XML is far below this).
MAX_MEMBER_BYTES = 1 << 30

_PART_FIELDS = {
    "ADDRESS1": "line1",
    "ADDRESS2": "line2",
    "ADDRESS3": "line3",
    "CITY": "city",
    "STATE/PROVINCE": "region",
    "REGION": "region",
    "POSTAL CODE": "postal_code",
}


def parse(path: Path, dataset: str) -> ParsedList:
    """Parse an OFAC Enhanced XML file, bare, gzipped or in its published zip."""
    path = Path(path)
    data, label = _read_document(path)
    root = parse_xml(io.BytesIO(data), label=label)
    if local_name(root) != "sanctionsData":
        raise ListFormatError(
            label, f"root element <{local_name(root)}>", "not an OFAC Enhanced XML document"
        )

    published = None
    for info in children(root, "publicationInfo"):
        raw = child_text(info, "dataAsOf")
        published = parse_date(raw[:10]) if raw else None
        if raw and published is None:
            raise ListFormatError(label, f"dataAsOf (line {info.sourceline})", f"unreadable date {raw!r}")

    refs = _reference_values(root)
    containers = children(root, "entities")
    if not containers:
        raise ListFormatError(label, "sanctionsData", "missing <entities>")

    warnings: list[str] = []
    entities: list[Entity] = []
    seen: dict[str, int] = {}
    for index, node in enumerate(children(containers[0], "entity"), start=1):
        entity = _parse_entity(label, node, index, dataset, refs, warnings)
        if entity.source_id in seen:
            raise ListFormatError(
                label,
                f"entity id={entity.source_id} (line {node.sourceline})",
                f"duplicate entity id, first seen at line {seen[entity.source_id]}",
            )
        seen[entity.source_id] = node.sourceline or 0
        entities.append(entity)
    resolve_links(entities)
    return ParsedList(dataset=dataset, entities=entities, published=published, warnings=warnings)


def _read_document(path: Path) -> tuple[bytes, str]:
    """The XML bytes and a label naming them (``CONS_ENHANCED.ZIP!CONS_ENHANCED.XML`` for a zip)."""
    if not path.exists():
        raise ListFormatError(path, None, "file not found")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if path.suffix.lower() != ".zip" and magic != b"PK\x03\x04":
        return read_bytes(path), str(path)
    member_name = None
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir() and info.filename.lower().endswith(".xml")
            ]
            if not members:
                names = ", ".join(info.filename for info in archive.infolist()) or "nothing"
                raise ListFormatError(path, None, f"zip holds no XML member (it holds {names})")
            enhanced = [info for info in members if "enhanced" in info.filename.lower()]
            member = (enhanced or members)[0]
            member_name = member.filename
            if member.file_size > MAX_MEMBER_BYTES:
                raise ListFormatError(
                    path, member_name, f"member inflates to {member.file_size} bytes, refused"
                )
            data = archive.read(member)
    except ZIP_FAULTS as exc:
        raise ListFormatError(path, member_name, f"corrupt or truncated zip: {exc}") from exc
    return data, f"{path}!{member_name}"


def _reference_values(root: etree._Element) -> dict[str, tuple[str | None, str | None, str | None]]:
    """refId -> (type, value, isoCode) from ``referenceValues``."""
    refs: dict[str, tuple[str | None, str | None, str | None]] = {}
    for block in children(root, "referenceValues"):
        for ref in children(block, "referenceValue"):
            ref_id = ref.get("refId")
            if ref_id:
                refs[ref_id] = (child_text(ref, "type"), child_text(ref, "value"), child_text(ref, "isoCode"))
    return refs


def _iso(refs: dict, ref_id: str | None) -> str | None:
    if not ref_id:
        return None
    ref = refs.get(ref_id)
    return ref[2] if ref else None


def _flag(element: etree._Element, name: str) -> bool:
    return (child_text(element, name) or "").lower() == "true"


def _first(element: etree._Element, name: str) -> etree._Element | None:
    found = children(element, name)
    return found[0] if found else None


def _translations(element: etree._Element) -> list[etree._Element]:
    """Translations of a name or address, the primary one first."""
    result: list[etree._Element] = []
    for block in children(element, "translations"):
        result.extend(children(block, "translation"))
    result.sort(key=lambda t: not _flag(t, "isPrimary"))
    return result


def _full_name(translation: etree._Element) -> str | None:
    full = child_text(translation, "formattedFullName")
    if full:
        return full
    last, first = child_text(translation, "formattedLastName"), child_text(translation, "formattedFirstName")
    if last and first:
        return f"{last}, {first}"
    if last or first:
        return last or first
    parts = []
    for block in children(translation, "nameParts"):
        parts.extend(child_text(part, "value") for part in children(block, "namePart"))
    return " ".join(p for p in parts if p) or None


def _parse_entity(
    label: str,
    node: etree._Element,
    index: int,
    dataset: str,
    refs: dict,
    warnings: list[str],
) -> Entity:
    uid = (node.get("id") or "").strip()
    if not uid:
        raise ListFormatError(
            label, f"entity #{index} (line {node.sourceline})", "entity without an id attribute"
        )
    where = f"entity id={uid} (line {node.sourceline})"
    info = _first(node, "generalInfo")
    party_type = child_text(info, "entityType") if info is not None else None
    if party_type is None:
        raise ListFormatError(label, where, "missing generalInfo/entityType")

    names = [name for block in children(node, "names") for name in children(block, "name")]
    primaries = [name for name in names if _flag(name, "isPrimary")]
    if not primaries:
        raise ListFormatError(label, where, "no primary name")
    primary = primaries[0]
    primary_translations = _translations(primary)
    primary_name = _full_name(primary_translations[0]) if primary_translations else None
    if not primary_name:
        raise ListFormatError(label, f"{where}, name line {primary.sourceline}", "primary name has no text")

    schema = schema_for(party_type, primary_name, warnings, where)
    entity = Entity(id=make_id(dataset, uid), schema=schema, dataset=dataset, source_id=uid)
    entity.add("name", primary_name)
    if schema == "Person":
        entity.add("firstName", child_text(primary_translations[0], "formattedFirstName"))
        entity.add("lastName", child_text(primary_translations[0], "formattedLastName"))

    if info is not None:
        entity.add("notes", child_text(info, "remarks"))

    _add_sanctions(entity, node)
    _add_names(label, entity, names, primary, where)
    _add_addresses(entity, node, refs)
    _add_features(entity, node, refs, warnings, where)
    _add_documents(label, entity, node, refs, warnings, where)

    for block in children(node, "relationships"):
        for relationship in children(block, "relationship"):
            related = _first(relationship, "relatedEntity")
            if related is None:
                raise ListFormatError(
                    label, f"{where}, relationship line {relationship.sourceline}", "missing <relatedEntity>"
                )
            link = Link(
                relation=child_text(relationship, "type") or "related",
                target_name=(related.text or "").strip() or None,
                target_source_id=related.get("entityId"),
            )
            if link not in entity.links:
                entity.links.append(link)
    return entity


def _add_sanctions(entity: Entity, node: etree._Element) -> None:
    dates: list[str] = []
    for block in children(node, "sanctionsLists"):
        for item in children(block, "sanctionsList"):
            listed = parse_date(item.get("datePublished"))
            if listed:
                dates.append(listed)
            list_name = (item.text or "").strip()
            if list_name:
                add_note(entity, "OFAC list", f"{list_name} (since {listed})" if listed else list_name)
    programs = [
        (item.text or "").strip()
        for block in children(node, "sanctionsPrograms")
        for item in children(block, "sanctionsProgram")
    ]
    programs = [program for program in programs if program]
    # OFAC does not say which list (and so which date) goes with which program: a date is only
    # given to a program when it is unambiguous (one date, or one program: its first listing).
    listing_date = None
    if len(set(dates)) == 1 or (dates and len(set(programs)) == 1):
        listing_date = min(dates)
    for program in programs:
        entity.add_sanction(
            Sanction(
                authority=AUTHORITY, program=program, listing_date=listing_date, source_id=entity.source_id
            )
        )
    for block in children(node, "sanctionsTypes"):
        for item in children(block, "sanctionsType"):
            if (item.text or "").strip():
                add_note(entity, "OFAC sanctions type", item.text)
    for block in children(node, "legalAuthorities"):
        for item in children(block, "legalAuthority"):
            if (item.text or "").strip():
                add_note(entity, "Legal authority", item.text)


def _add_names(
    label: str, entity: Entity, names: list[etree._Element], primary: etree._Element, where: str
) -> None:
    for name in names:
        translations = _translations(name)
        if name is primary:
            prop = "alias"  # further translations of the primary name
            translations = translations[1:]
        else:
            prop = alias_prop(child_text(name, "aliasType") or "A.K.A.", weak=_flag(name, "isLowQuality"))
        for translation in translations:
            text = _full_name(translation)
            if not text:
                raise ListFormatError(
                    label, f"{where}, name translation line {translation.sourceline}", "name without text"
                )
            entity.add(prop, text)


def _add_addresses(entity: Entity, node: etree._Element, refs: dict) -> None:
    for block in children(node, "addresses"):
        for address in children(block, "address"):
            country_el = _first(address, "country")
            country_name = (country_el.text or "").strip() or None if country_el is not None else None
            country_iso = _iso(refs, country_el.get("refId")) if country_el is not None else None
            translations = _translations(address) or [None]
            for translation in translations:
                fields: dict[str, str] = {}
                if translation is not None:
                    for parts in children(translation, "addressParts"):
                        for part in children(parts, "addressPart"):
                            field = _PART_FIELDS.get((child_text(part, "type") or "").upper())
                            value = child_text(part, "value")
                            if field and value and field not in fields:
                                fields[field] = value
                iso = country_iso
                if iso is None and country_name is None and fields.get("region"):
                    # OFAC's "Region: Gaza" pseudo-country comes as a REGION part without a country.
                    iso = resolve_country(fields["region"])
                add_address(
                    entity,
                    make_address(
                        [fields.get("line1"), fields.get("line2"), fields.get("line3")],
                        fields.get("city"),
                        fields.get("region"),
                        fields.get("postal_code"),
                        country_name,
                        iso,
                    ),
                )


def _value_date(feature: etree._Element) -> str | None:
    """An FtM date from a feature's ``valueDate`` (used when its text cannot be read)."""
    value_date = _first(feature, "valueDate")
    if value_date is None:
        return None
    begin = parse_date(child_text(value_date, "fromDateBegin"))
    end = parse_date(child_text(value_date, "toDateEnd") or child_text(value_date, "toDateBegin"))
    if not begin:
        return None
    if not end or begin == end:
        return begin
    if begin[:7] == end[:7] and begin.endswith("-01"):
        return begin[:7]
    if begin[:4] == end[:4] and begin.endswith("-01-01") and end.endswith("-12-31"):
        return begin[:4]
    return begin


def _add_features(entity: Entity, node: etree._Element, refs: dict, warnings: list[str], where: str) -> None:
    for block in children(node, "features"):
        for feature in children(block, "feature"):
            feature_type = child_text(feature, "type")
            if not feature_type:
                continue
            value = child_text(feature, "value")
            if feature_type.lower() in ("birthdate", "dob") and not birth_dates(value):
                value = _value_date(feature) or value
            elif not value:
                value = _value_date(feature)
            apply_detail(
                entity,
                feature_type,
                value,
                warnings,
                where,
                value_iso=_iso(refs, child_text(feature, "valueRefId")),
                note=child_text(feature, "comments"),
            )


def _add_documents(
    label: str, entity: Entity, node: etree._Element, refs: dict, warnings: list[str], where: str
) -> None:
    for block in children(node, "identityDocuments"):
        for document in children(block, "identityDocument"):
            doc_type = child_text(document, "type")
            number = child_text(document, "documentNumber")
            if not doc_type:
                if number:
                    raise ListFormatError(
                        label,
                        f"{where}, identityDocument line {document.sourceline}",
                        "document without a type",
                    )
                continue
            country_el = _first(document, "issuingCountry")
            notes = [child_text(document, "issuingAuthority")]
            if (child_text(document, "isValid") or "true").lower() == "false":
                notes.append("marked not valid by OFAC")
            apply_detail(
                entity,
                doc_type,
                number,
                warnings,
                where,
                country=(country_el.text or "").strip() or None if country_el is not None else None,
                country_iso=_iso(refs, country_el.get("refId")) if country_el is not None else None,
                issued=child_text(document, "issueDate"),
                expires=child_text(document, "expirationDate"),
                note="; ".join(n for n in notes if n) or None,
            )
