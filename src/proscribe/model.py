"""The entity model every part of proscribe shares.

A list entry becomes one :class:`Entity`: a FollowTheMoney-shaped record (``schema`` plus
``properties`` keyed by FtM property names) with a few structured side lists that a flat FtM
property cannot hold without losing meaning: typed identifiers with their country, structured
addresses, sanctions (program, authority, listing date) and ``Linked To:`` relationships.

Why our own class and not ``followthemoney.EntityProxy``: the store, the index builder and the
parsers handle hundreds of thousands of these, and a plain dataclass that serialises to JSON in
one call is several times cheaper. :func:`proscribe.export.to_ftm` turns it into real FtM
entities, and the tests validate that output against the ``followthemoney`` model.

Dates follow FtM's partial ISO form and carry their precision in their length: ``1977`` (year
only), ``1977-03`` (month), ``1977-03-25`` (day).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

#: Screening schemata, from most to least specific. ``LegalEntity`` means "unknown kind of party".
SCHEMATA = ("Person", "Company", "Organization", "LegalEntity", "Vessel", "Airplane")

#: Which schemata can describe the same real-world party. A query for a ``Company`` may hit an
#: ``Organization`` or ``LegalEntity`` list entry, never a ``Person`` or a ``Vessel``.
COMPATIBLE_SCHEMATA: dict[str, frozenset[str]] = {
    "Person": frozenset({"Person", "LegalEntity"}),
    "Company": frozenset({"Company", "Organization", "LegalEntity"}),
    "Organization": frozenset({"Company", "Organization", "LegalEntity"}),
    "LegalEntity": frozenset(SCHEMATA),
    "Vessel": frozenset({"Vessel", "LegalEntity"}),
    "Airplane": frozenset({"Airplane", "LegalEntity"}),
}

#: Name-bearing properties, in order of strength.
NAME_PROPS = ("name", "alias", "previousName", "weakAlias")

#: Identifier types proscribe knows, and the FtM property each one maps to on export.
IDENTIFIER_PROPS: dict[str, str] = {
    "passport": "passportNumber",
    "national_id": "idNumber",
    "tax_id": "taxNumber",
    "registration": "registrationNumber",
    "uscc": "registrationNumber",  # Chinese Unified Social Credit Code
    "lei": "leiCode",
    "imo": "imoNumber",
    "mmsi": "mmsi",
    "swift_bic": "swiftBic",
    "inn": "innCode",
    "ogrn": "ogrnCode",
    "website": "website",
    "email": "email",
    "phone": "phone",
    "crypto": "cryptoWallets",  # exported as CryptoWallet entities
    "other": "idNumber",
}


@dataclass
class Identifier:
    """A typed identifier as the list states it.

    ``type`` is one of :data:`IDENTIFIER_PROPS`; ``value`` is the list's own spelling (never
    normalised here: normalisation belongs to ``proscribe.text``); ``label`` keeps the list's own
    name for the identifier (``Unified Social Credit Code (USCC)``); ``currency`` is set for
    digital currency addresses (``XBT``, ``ETH``, ...).
    """

    type: str
    value: str
    country: str | None = None
    label: str | None = None
    currency: str | None = None
    issued: str | None = None
    expires: str | None = None
    note: str | None = None


@dataclass
class Address:
    """A structured address; ``full`` is the one-line form, ``country`` an ISO 3166-1 alpha-2
    code where the source allows (else the list's own country name in ``country_name``)."""

    full: str | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    country_name: str | None = None
    note: str | None = None


@dataclass
class Sanction:
    """One designation of the entity: under which program/regime, by whom, since when."""

    authority: str
    program: str
    listing_date: str | None = None
    reason: str | None = None
    source_id: str | None = None


@dataclass
class Link:
    """A relationship the list states (OFAC ``Linked To:``, UN/UK "associated with").

    ``target`` is the list's own identifier or name of the other party, resolved later by the
    ownership module; ``relation`` is the list's wording.
    """

    relation: str
    target_name: str | None = None
    target_source_id: str | None = None


@dataclass
class Entity:
    """One list entry. ``id`` is stable across snapshots: ``{dataset}-{source_id}``."""

    id: str
    schema: str
    dataset: str
    source_id: str
    properties: dict[str, list[str]] = field(default_factory=dict)
    identifiers: list[Identifier] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    sanctions: list[Sanction] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    # -- building -----------------------------------------------------------------------------
    def add(self, prop: str, value: Any) -> None:
        """Append ``value`` to ``prop`` unless it is empty or already there (order is kept)."""
        if value is None:
            return
        if isinstance(value, (list, tuple, set)):
            for item in value:
                self.add(prop, item)
            return
        text = str(value).strip()
        if not text:
            return
        values = self.properties.setdefault(prop, [])
        if text not in values:
            values.append(text)

    def add_identifier(self, ident: Identifier) -> None:
        if ident.value and ident.value.strip() and ident not in self.identifiers:
            ident.value = ident.value.strip()
            self.identifiers.append(ident)

    def add_address(self, address: Address) -> None:
        if any(getattr(address, f) for f in ("full", "street", "city", "country", "country_name")):
            if address not in self.addresses:
                self.addresses.append(address)

    def add_sanction(self, sanction: Sanction) -> None:
        if sanction not in self.sanctions:
            self.sanctions.append(sanction)

    # -- reading ------------------------------------------------------------------------------
    def get(self, prop: str) -> list[str]:
        return self.properties.get(prop, [])

    def first(self, prop: str) -> str | None:
        values = self.properties.get(prop)
        return values[0] if values else None

    @property
    def caption(self) -> str:
        return self.first("name") or self.first("alias") or self.source_id

    @property
    def programs(self) -> list[str]:
        seen: list[str] = []
        for sanction in self.sanctions:
            if sanction.program and sanction.program not in seen:
                seen.append(sanction.program)
        return seen

    def names(self) -> Iterable[tuple[str, str]]:
        """Every name with its kind (``name``, ``alias``, ``previousName``, ``weakAlias``)."""
        for prop in NAME_PROPS:
            for value in self.properties.get(prop, []):
                yield prop, value

    # -- serialisation ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        # Written out rather than dataclasses.asdict, which deep-copies every string and was the
        # single largest cost of a list import. Empty optional fields are dropped so stored
        # records stay small and diffs stay readable.
        def compact(items: list) -> list[dict[str, Any]]:
            return [{k: v for k, v in vars(item).items() if v is not None} for item in items]

        return {
            "id": self.id,
            "schema": self.schema,
            "dataset": self.dataset,
            "source_id": self.source_id,
            "properties": {prop: list(values) for prop, values in self.properties.items()},
            "identifiers": compact(self.identifiers),
            "addresses": compact(self.addresses),
            "sanctions": compact(self.sanctions),
            "links": compact(self.links),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(
            id=data["id"],
            schema=data["schema"],
            dataset=data["dataset"],
            source_id=data["source_id"],
            properties={k: list(v) for k, v in data.get("properties", {}).items()},
            identifiers=[Identifier(**i) for i in data.get("identifiers", [])],
            addresses=[Address(**a) for a in data.get("addresses", [])],
            sanctions=[Sanction(**s) for s in data.get("sanctions", [])],
            links=[Link(**link) for link in data.get("links", [])],
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def content_hash(self) -> str:
        """A digest of everything the list says about the entity; equal hashes mean unchanged."""
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()[:32]


@lru_cache(maxsize=64)
def schema_properties(schema: str) -> frozenset[str]:
    """The property names FollowTheMoney defines for ``schema`` (empty for an unknown schema)."""
    from followthemoney import model

    found = model.get(schema)
    return frozenset(found.properties) if found is not None else frozenset()


def make_id(dataset: str, source_id: str) -> str:
    """The stable entity id for a list's own identifier."""
    return f"{dataset}-{source_id}"
