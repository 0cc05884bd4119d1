"""FollowTheMoney JSON lines, as OpenSanctions and yente publish them (``entities.ftm.json``).

One JSON object a line: ``{"id", "schema", "properties": {prop: [values]}, "datasets",
"referents", "first_seen", "last_seen", "target", ...}``. A file mixes the parties a screener
looks for (Person, Company, Organization, LegalEntity, Vessel, Airplane and their FtM
sub-schemata such as PublicBody) with the records that describe them:

- ``Sanction`` (``entity`` -> the sanctioned party) becomes :class:`~proscribe.model.Sanction`;
- ``Address`` (referenced from the party's ``addressEntity``) becomes :class:`Address`;
- ``Passport`` / ``Identification`` / ``CryptoWallet`` (``holder`` -> the party) become
  :class:`Identifier`;
- relationship records (``Ownership``, ``Directorship``, ``Family``, ``UnknownLink``,
  ``Associate``, ``Membership``, ``Employment``, ``Representation``, ``Succession``) are not
  parties at all: :func:`parse_relationships` returns them as edges for the ownership module.

References may name an entity by its canonical ``id`` or by one of its ``referents`` (the ids
it was merged from); both are resolved. Entity ids are ``make_id(dataset, ftm_id)`` where
``dataset`` is the argument given to :func:`parse`, so the FtM id is the ``source_id``.

Identifier properties on the party itself (``passportNumber``, ``innCode``, ...) become typed
:class:`Identifier` records (and leave ``properties``, so nothing is counted twice); vessel
details ``imoNumber``/``mmsi`` stay on a Vessel as properties as well.

Fail closed: a line that is not a JSON object, lacks ``id``/``schema``, names a schema
FollowTheMoney does not know, or carries malformed ``properties`` raises
:class:`ListFormatError` naming the line. Schemata FtM knows but a screener has no use for
(``Article``, ``Security``, ``BankAccount``, ...) are skipped with a warning that counts them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from followthemoney import model as ftm_model
from followthemoney import registry

from proscribe.model import SCHEMATA, Address, Entity, Identifier, Sanction, make_id
from proscribe.sources.base import ListFormatError, ParsedList, open_bytes, parse_date

#: FtM properties on a party that are identifiers, and the proscribe identifier type of each.
FTM_IDENTIFIER_TYPES: dict[str, str] = {
    "passportNumber": "passport",
    "idNumber": "national_id",
    "taxNumber": "tax_id",
    "vatCode": "tax_id",
    "registrationNumber": "registration",
    "uscCode": "uscc",
    "innCode": "inn",
    "ogrnCode": "ogrn",
    "leiCode": "lei",
    "imoNumber": "imo",
    "mmsi": "mmsi",
    "swiftBic": "swift_bic",
    "website": "website",
    "email": "email",
    "phone": "phone",
}

#: Identifier types that belong to one country by definition.
_IDENTIFIER_COUNTRY = {"inn": "ru", "ogrn": "ru", "uscc": "cn"}

#: Vessel details kept as properties too (the common parser rules list them as vessel details).
_VESSEL_DETAIL_PROPS = {"imoNumber", "mmsi"}

#: Relationship schemata and their (source, target) endpoint properties.
RELATIONSHIP_ENDS: dict[str, tuple[str, str]] = {
    "Ownership": ("owner", "asset"),
    "Directorship": ("director", "organization"),
    "Family": ("person", "relative"),
    "Associate": ("person", "associate"),
    "UnknownLink": ("subject", "object"),
    "Membership": ("member", "organization"),
    "Employment": ("employee", "employer"),
    "Representation": ("agent", "client"),
    "Succession": ("predecessor", "successor"),
}

_FOLDED_SCHEMATA = {"Sanction", "Address", "Passport", "Identification", "CryptoWallet"}


@dataclass
class _Record:
    line: int
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def schema(self) -> str:
        return self.data["schema"]

    @property
    def props(self) -> dict[str, list[str]]:
        return self.data.get("properties") or {}

    def first(self, prop: str) -> str | None:
        for value in self.props.get(prop, []):
            if value and value.strip():
                return value.strip()
        return None

    def values(self, prop: str) -> list[str]:
        return [v.strip() for v in self.props.get(prop, []) if v and v.strip()]


def _read_records(path: Path) -> Iterator[_Record]:
    """Every entity line of the file, validated; raises ListFormatError naming the line."""
    try:
        with open_bytes(path) as handle:
            for lineno, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                yield _validate(path, lineno, raw)
    except (EOFError, OSError) as exc:  # a truncated .gz member
        raise ListFormatError(path, None, f"cannot read file: {exc}") from exc


def _validate(path: Path, lineno: int, raw: bytes) -> _Record:
    where = f"line {lineno}"
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ListFormatError(path, where, f"not a JSON object: {exc}") from exc
    if not isinstance(data, dict):
        raise ListFormatError(path, where, "not a JSON object")
    entity_id = data.get("id")
    schema = data.get("schema")
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise ListFormatError(path, where, "entity has no 'id'")
    if not isinstance(schema, str) or not schema.strip():
        raise ListFormatError(path, where, f"entity {entity_id} has no 'schema'")
    if ftm_model.get(schema) is None:
        raise ListFormatError(path, where, f"entity {entity_id} has unknown schema {schema!r}")
    props = data.get("properties", {})
    if not isinstance(props, dict):
        raise ListFormatError(path, where, f"entity {entity_id}: 'properties' is not an object")
    for prop, values in props.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ListFormatError(
                path, where, f"entity {entity_id}: property {prop!r} is not a list of strings"
            )
    for key in ("referents", "datasets"):
        values = data.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise ListFormatError(path, where, f"entity {entity_id}: {key!r} is not a list of strings")
    return _Record(lineno, data)


def screening_schema(schema: str) -> str | None:
    """The proscribe schema for an FtM schema, or None when it is not a screenable party."""
    if schema in SCHEMATA:
        return schema
    ftm_schema = ftm_model.get(schema)
    if ftm_schema is None:
        return None
    for candidate in ("Person", "Company", "Vessel", "Airplane", "Organization", "LegalEntity"):
        if ftm_schema.is_a(candidate):
            return candidate
    return None


class _Resolver:
    """Maps canonical ids and referent ids to the canonical id of a record."""

    def __init__(self, records: list[_Record]):
        self._ids: dict[str, str] = {}
        for record in records:
            self._ids[record.id] = record.id
        for record in records:
            for ref in record.data.get("referents", []) or []:
                if isinstance(ref, str):
                    self._ids.setdefault(ref, record.id)

    def __call__(self, ref: str) -> str | None:
        return self._ids.get(ref)


def parse(path: Path, dataset: str, *, targets_only: bool = False) -> ParsedList:
    """Parse an FtM JSON lines file into screenable entities.

    ``targets_only`` keeps only entities the file marks ``"target": true`` (OpenSanctions
    includes non-sanctioned companies for context, e.g. subsidiaries from a company register).
    """
    path = Path(path)
    records = list(_read_records(path))
    resolve = _Resolver(records)
    by_id = {record.id: record for record in records}
    warnings: list[str] = []
    skipped: Counter[str] = Counter()
    unresolved: list[str] = []

    entities: dict[str, Entity] = {}
    for record in records:
        schema = screening_schema(record.schema)
        if schema is None:
            if record.schema not in _FOLDED_SCHEMATA and record.schema not in RELATIONSHIP_ENDS:
                skipped[record.schema] += 1
            continue
        if targets_only and record.data.get("target") is False:
            continue
        entities[record.id] = _build_entity(record, schema, dataset, by_id, resolve, warnings, unresolved)

    for record in records:
        if record.schema == "Sanction":
            _fold_sanction(record, entities, resolve, warnings, targets_only)
        elif record.schema in ("Passport", "Identification", "CryptoWallet"):
            _fold_identification(record, entities, resolve, warnings, targets_only)

    if unresolved:
        examples = "; ".join(unresolved[:3])
        warnings.append(f"{len(unresolved)} addressEntity references are not in the file (e.g. {examples})")
    for schema, count in sorted(skipped.items()):
        warnings.append(f"skipped {count} {schema} entit{'y' if count == 1 else 'ies'} (not screenable)")
    return ParsedList(dataset=dataset, entities=list(entities.values()), published=None, warnings=warnings)


def _build_entity(
    record: _Record,
    schema: str,
    dataset: str,
    by_id: dict[str, _Record],
    resolve: _Resolver,
    warnings: list[str],
    unresolved: list[str],
) -> Entity:
    entity = Entity(id=make_id(dataset, record.id), schema=schema, dataset=dataset, source_id=record.id)
    ftm_schema = ftm_model.get(schema)
    assert ftm_schema is not None

    names = record.values("name")
    caption = record.data.get("caption")
    if isinstance(caption, str) and caption.strip() in names:
        names.remove(caption.strip())
        names.insert(0, caption.strip())
    entity.add("name", names)

    for prop, values in record.props.items():
        if prop == "name":
            continue
        ident_type = FTM_IDENTIFIER_TYPES.get(prop)
        if ident_type is not None:
            for value in values:
                entity.add_identifier(
                    Identifier(
                        type=ident_type, value=value, country=_IDENTIFIER_COUNTRY.get(ident_type), label=prop
                    )
                )
            if not (schema == "Vessel" and prop in _VESSEL_DETAIL_PROPS):
                continue
        ftm_prop = ftm_schema.properties.get(prop)
        if ftm_prop is None:
            warnings.append(f"line {record.line}: {record.id}: property {prop!r} is not valid for {schema}")
            continue
        if ftm_prop.type == registry.entity:
            continue  # references (addressEntity, ...) are resolved below
        entity.add(prop, values)

    for ref in record.values("addressEntity"):
        target = resolve(ref)
        address_record = by_id.get(target) if target else None
        if address_record is None or address_record.schema != "Address":
            unresolved.append(f"{record.id} -> {ref}")
            continue
        address = _address(address_record)
        entity.add_address(address)
        if address.country and "country" in ftm_schema.properties:
            entity.add("country", address.country)

    known_full = {a.full for a in entity.addresses if a.full}
    for text in record.values("address"):
        if text not in known_full:
            entity.add_address(Address(full=text))
    return entity


def _address(record: _Record) -> Address:
    street = record.first("street")
    street2 = record.first("street2")
    if street and street2:
        street = f"{street}, {street2}"
    po_box = record.first("postOfficeBox")
    city = record.first("city")
    region = record.first("region")
    postal_code = record.first("postalCode")
    country = record.first("country")
    full = record.first("full")
    if full is None:
        parts = [street or po_box, city, postal_code, region, country.upper() if country else None]
        full = ", ".join(p for p in parts if p) or None
    return Address(
        full=full,
        street=street or po_box,
        city=city,
        region=region,
        postal_code=postal_code,
        country=country.lower() if country else None,
        note=po_box if street and po_box else None,
    )


def _targets(
    record: _Record,
    prop: str,
    entities: dict[str, Entity],
    resolve: _Resolver,
    warnings: list[str],
    targets_only: bool,
) -> list[Entity]:
    found: list[Entity] = []
    for ref in record.values(prop):
        target = resolve(ref)
        entity = entities.get(target) if target else None
        if entity is not None:
            found.append(entity)
        elif not targets_only:
            warnings.append(
                f"line {record.line}: {record.schema} {record.id}: {prop} {ref} is not a screenable entity in the file"
            )
    return found


def _earliest(values: list[str]) -> str | None:
    dates = [d for d in (parse_date(v) for v in values) if d]
    return min(dates) if dates else None


def _fold_sanction(
    record: _Record,
    entities: dict[str, Entity],
    resolve: _Resolver,
    warnings: list[str],
    targets_only: bool,
) -> None:
    sanction = Sanction(
        authority=record.first("authority") or "",
        program=record.first("programId") or record.first("program") or "",
        listing_date=_earliest(record.values("listingDate")) or _earliest(record.values("startDate")),
        reason=record.first("reason"),
        source_id=record.id,
    )
    for entity in _targets(record, "entity", entities, resolve, warnings, targets_only):
        entity.add_sanction(sanction)


def _identification_type(record: _Record) -> str:
    if record.schema == "Passport":
        return "passport"
    if record.schema == "CryptoWallet":
        return "crypto"
    label = (record.first("type") or "").lower()
    if "passport" in label:
        return "passport"
    if "tax" in label or "fiscal" in label:
        return "tax_id"
    if "registration" in label:
        return "registration"
    return "national_id"


def _fold_identification(
    record: _Record,
    entities: dict[str, Entity],
    resolve: _Resolver,
    warnings: list[str],
    targets_only: bool,
) -> None:
    ident_type = _identification_type(record)
    if ident_type == "crypto":
        value = record.first("publicKey") or record.first("cryptoAddress") or record.first("accountId")
        currency = record.first("currencySymbol") or record.first("currency")
        label = "CryptoWallet"
    else:
        value = record.first("number") or record.first("passportNumber")
        currency = None
        label = record.first("type") or record.schema
    if not value:
        warnings.append(f"line {record.line}: {record.schema} {record.id} has no number")
        return
    country = record.first("country")
    ident = Identifier(
        type=ident_type,
        value=value,
        country=country.lower() if country else None,
        label=label,
        currency=currency,
        issued=record.first("startDate"),
        expires=record.first("endDate"),
        note=record.first("summary"),
    )
    for entity in _targets(record, "holder", entities, resolve, warnings, targets_only):
        entity.add_identifier(ident)


def _percentage(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return float(value.strip().rstrip("%").replace(",", "."))
    except ValueError:
        return None


def parse_relationships(path: Path) -> list[dict[str, Any]]:
    """The relationship edges of an FtM JSON lines file, for the ownership module.

    One dict per (source, target) pair, in file order::

        {"schema": "Ownership", "id": "...", "owner": "<ftm id>", "asset": "<ftm id>",
         "source": "<ftm id>", "target": "<ftm id>", "percentage": 49.0 | None,
         "percentage_text": "49" | None, "sharesCount": "6401.77" | None,
         "startDate": "2016-03-29" | None, "endDate": None, "role": "..." | None,
         "relationship": "..." | None, "datasets": [...], "line": 57}

    The endpoint keys are the schema's own FtM property names (``owner``/``asset``,
    ``director``/``organization``, ``person``/``relative``, ``subject``/``object``, ...);
    ``source``/``target`` repeat them in a schema-independent way. Endpoints given as referent
    ids are resolved to the canonical id when the file holds that entity; the entity id in the
    store is ``make_id(dataset, ftm_id)``. An edge missing an endpoint raises ListFormatError.
    """
    path = Path(path)
    records = list(_read_records(path))
    resolve = _Resolver(records)
    edges: list[dict[str, Any]] = []
    for record in records:
        ends = RELATIONSHIP_ENDS.get(record.schema)
        if ends is None:
            continue
        source_prop, target_prop = ends
        sources = record.values(source_prop)
        targets = record.values(target_prop)
        if not sources or not targets:
            raise ListFormatError(
                path,
                f"line {record.line}",
                f"{record.schema} {record.id} lacks its {source_prop if not sources else target_prop}",
            )
        percentage_text = record.first("percentage")
        for source in sources:
            for target in targets:
                source_id = resolve(source) or source
                target_id = resolve(target) or target
                edges.append(
                    {
                        "schema": record.schema,
                        "id": record.id,
                        source_prop: source_id,
                        target_prop: target_id,
                        "source": source_id,
                        "target": target_id,
                        "percentage": _percentage(percentage_text),
                        "percentage_text": percentage_text,
                        "sharesCount": record.first("sharesCount"),
                        "startDate": record.first("startDate"),
                        "endDate": record.first("endDate"),
                        "role": record.first("role") or record.first("relationship"),
                        "relationship": record.first("relationship"),
                        "datasets": list(record.data.get("datasets") or []),
                        "line": record.line,
                    }
                )
    return edges
