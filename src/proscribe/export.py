"""Export entities as FollowTheMoney JSON lines.

Each list entry becomes its main entity plus the FtM entities FtM models separately: a
``Sanction`` per program, an ``Address`` per structured address, an ``Identification`` or
``Passport`` per document, a ``CryptoWallet`` per digital currency address and an
``UnknownLink`` per stated relationship whose other side is in the same dataset.
Properties are only written where the FtM schema defines them, so the output validates.

Entity ids are written in FtM's id alphabet (letters, digits, ``.`` and ``-``): FtM drops any
reference to an id outside it when it cleans an entity, which would cut every ``Sanction``,
``Address`` and ``Identification`` loose from its entity. :func:`ftm_id` maps store ids
(``us_ofac_sdn-50543``) to export ids (``us-ofac-sdn-50543``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from proscribe.model import Entity, Link, schema_properties

_FTM_ID_RE = re.compile(r"^[0-9a-zA-Z]([0-9a-zA-Z.\-]*[0-9a-zA-Z])?$")
_FTM_ID_INVALID = re.compile(r"[^0-9a-zA-Z.\-]+")


def ftm_id(entity_id: str) -> str:
    """``entity_id`` in FtM's id alphabet: underscores become hyphens; any other character FtM
    does not allow is replaced too, with a short digest of the original so ids stay distinct."""
    if _FTM_ID_RE.match(entity_id):
        return entity_id
    slug = _FTM_ID_INVALID.sub("-", entity_id).strip(".-")
    if slug == entity_id.replace("_", "-"):
        return slug
    digest = hashlib.sha1(entity_id.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-{digest}" if slug else digest


@lru_cache(maxsize=64)
def _is_legal_entity(schema: str) -> bool:
    from followthemoney import model

    found = model.get(schema)
    return found is not None and found.is_a(model.get("LegalEntity"))


def _vehicle_identifiers(entity: Entity) -> Iterator[tuple[str, str]]:
    """Identifiers of a vessel or aircraft as the FtM properties that hold them (FtM's
    ``Identification`` and ``Passport`` documents only attach to legal entities)."""
    for ident in entity.identifiers:
        label = (ident.label or "").lower()
        if ident.type == "registration" or label == "aircraft tail number":
            yield "registrationNumber", ident.value
        elif "serial number" in label or "construction number" in label:
            yield "serialNumber", ident.value


def _sub_id(entity: Entity, kind: str, *parts: Any) -> str:
    digest = hashlib.sha1("|".join(str(p) for p in (entity.id, kind, *parts)).encode()).hexdigest()[:16]
    return f"{ftm_id(entity.id)}-{kind}-{digest}"


def _clean(schema: str, props: dict[str, list[str]]) -> dict[str, list[str]]:
    allowed = schema_properties(schema)
    return {k: [v for v in vals if v] for k, vals in props.items() if k in allowed and any(vals)}


def to_ftm(entity: Entity, resolve: Callable[[Entity, Link], str | None] | None = None) -> Iterator[dict[str, Any]]:
    """``entity`` as FtM entities; ``resolve`` finds the entity id a stated link points to
    (:func:`export_entities` passes one that knows the entity's whole dataset)."""
    main_id = ftm_id(entity.id)
    holds_documents = _is_legal_entity(entity.schema)
    properties = dict(entity.properties)
    if not holds_documents:
        for prop, value in _vehicle_identifiers(entity):
            if value not in properties.get(prop, []):
                properties[prop] = [*properties.get(prop, []), value]
    main_props = _clean(entity.schema, properties)
    yield {"id": main_id, "schema": entity.schema, "properties": main_props, "datasets": [entity.dataset]}
    for sanction in entity.sanctions:
        props = {
            "entity": [main_id],
            "authority": [sanction.authority],
            "program": [sanction.program],
            "listingDate": [sanction.listing_date] if sanction.listing_date else [],
            "reason": [sanction.reason] if sanction.reason else [],
            "recordId": [entity.source_id],
        }
        yield {"id": _sub_id(entity, "sanction", sanction.program), "schema": "Sanction",
               "properties": _clean("Sanction", props), "datasets": [entity.dataset]}
    for address in entity.addresses:
        props = {
            "full": [address.full or ""],
            "street": [address.street or ""],
            "city": [address.city or ""],
            "region": [address.region or ""],
            "postalCode": [address.postal_code or ""],
            "country": [address.country or ""],
            "remarks": [address.note or ""],
        }
        yield {"id": _sub_id(entity, "address", *dataclasses.astuple(address)), "schema": "Address",
               "properties": _clean("Address", props), "datasets": [entity.dataset]}
    for ident in entity.identifiers:
        if ident.type == "crypto":
            props = {"holder": [main_id], "publicKey": [ident.value], "currency": [ident.currency or ""]}
            schema = "CryptoWallet"
        elif ident.type in ("website", "email", "phone", "imo", "mmsi", "lei", "swift_bic"):
            continue  # carried as properties of the main entity
        elif not holds_documents:
            continue  # FtM documents belong to legal entities; vehicles carry their numbers as properties
        else:
            schema = "Passport" if ident.type == "passport" else "Identification"
            props = {
                "holder": [main_id],
                "number": [ident.value],
                "type": [ident.label or ident.type],
                "country": [ident.country or ""],
                "startDate": [ident.issued or ""],
                "endDate": [ident.expires or ""],
            }
        yield {"id": _sub_id(entity, "id", *dataclasses.astuple(ident)), "schema": schema,
               "properties": _clean(schema, props), "datasets": [entity.dataset]}
    linked: set[tuple[str, str]] = set()
    for link in entity.links:
        target = resolve(entity, link) if resolve else None
        if target is None or target == entity.id or (link.relation, target) in linked:
            continue
        linked.add((link.relation, target))
        props = {"subject": [main_id], "object": [ftm_id(target)], "role": [link.relation]}
        yield {"id": _sub_id(entity, "link", link.relation, target), "schema": "UnknownLink",
               "properties": _clean("UnknownLink", props), "datasets": [entity.dataset]}


class _LinkResolver:
    """Finds the entity a stated link points to within the same dataset: by the list's own
    identifier, else by an exact (case-insensitive) name that only one entity carries."""

    def __init__(self, entities: list[Entity]):
        self.by_source_id: dict[tuple[str, str], str] = {}
        self.by_name: dict[tuple[str, str], set[str]] = {}
        for entity in entities:
            self.by_source_id[(entity.dataset, entity.source_id)] = entity.id
            for _, name in entity.names():
                self.by_name.setdefault((entity.dataset, name.upper()), set()).add(entity.id)

    def __call__(self, entity: Entity, link: Link) -> str | None:
        if link.target_source_id:
            return self.by_source_id.get((entity.dataset, link.target_source_id))
        if not link.target_name:
            return None
        name = link.target_name.strip().upper()
        # OFAC's remark items lose a final period ("Linked To: KPD S.A." -> "KPD S.A").
        found = self.by_name.get((entity.dataset, name)) or self.by_name.get((entity.dataset, name + "."))
        return next(iter(found)) if found and len(found) == 1 else None


def export_entities(entities: Iterable[Entity]) -> Iterator[dict[str, Any]]:
    entities = list(entities)
    resolve = _LinkResolver(entities)
    for entity in entities:
        yield from to_ftm(entity, resolve)
