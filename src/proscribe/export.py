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
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from proscribe.model import Entity


@lru_cache(maxsize=64)
def _schema_props(schema: str) -> frozenset[str]:
    from followthemoney import model

    found = model.get(schema)
    return frozenset(found.properties) if found is not None else frozenset()


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


def _sub_id(entity: Entity, kind: str, *parts: Any) -> str:
    digest = hashlib.sha1("|".join(str(p) for p in (entity.id, kind, *parts)).encode()).hexdigest()[:16]
    return f"{ftm_id(entity.id)}-{kind}-{digest}"


def _clean(schema: str, props: dict[str, list[str]]) -> dict[str, list[str]]:
    allowed = _schema_props(schema)
    return {k: [v for v in vals if v] for k, vals in props.items() if k in allowed and any(vals)}


def to_ftm(entity: Entity) -> Iterator[dict[str, Any]]:
    main_id = ftm_id(entity.id)
    main_props = _clean(entity.schema, dict(entity.properties))
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


def export_entities(entities: Iterable[Entity]) -> Iterator[dict[str, Any]]:
    for entity in entities:
        yield from to_ftm(entity)
