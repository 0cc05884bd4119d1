"""OFAC's remarks column, read into structured fields.

In OFAC's legacy CSV files (and in the ``remarks`` element of the legacy XML) a great deal of what
a screener needs is written as prose: ``DOB 25 Mar 1977; POB Wuhan City, Hubei, China; citizen
China; Gender Male; Passport 1084010 (Egypt) expires 2019; Digital Currency Address - XBT
12Qt...; a.k.a. 'YONGXIN ZHICHENG TECHNOLOGY GROUP COMPANY, LIMITED'; Linked To: HIZBALLAH.``

Items are separated by ``; `` and may start with ``alt.`` (an alternative value). OFAC states that
the a.k.a.s written in remarks are *weak* aliases ("low quality" names that by themselves are not
sufficient to identify a party), which is why they are kept apart from the strong aliases of
ALT.CSV. This module knows the item labels OFAC uses and turns each into an entity field;
unknown items stay in ``notes`` (the whole remark is always kept there too).
"""

from __future__ import annotations

import re

from proscribe.model import IDENTIFIER_PROPS, Entity, Identifier, Link, schema_properties
from proscribe.sources.base import country_code, parse_date

# Label (as OFAC writes it, case-insensitive) -> identifier type. Longest labels first so that
# "Diplomatic Passport" wins over "Passport".
_ID_LABELS: list[tuple[str, str]] = sorted(
    [
        ("Passport", "passport"),
        ("Diplomatic Passport", "passport"),
        ("Stateless Person Passport", "passport"),
        ("National ID No.", "national_id"),
        ("Personal ID Card", "national_id"),
        ("Identification Number", "national_id"),
        ("Cedula No.", "national_id"),
        ("C.U.R.P.", "national_id"),
        ("D.N.I.", "national_id"),
        ("C.U.I.", "national_id"),
        ("SSN", "national_id"),
        ("Residency Number", "national_id"),
        ("Birth Certificate Number", "national_id"),
        ("Electoral Registry No.", "national_id"),
        ("Credencial electoral", "national_id"),
        ("I.F.E.", "national_id"),
        ("Driver's License No.", "national_id"),
        ("Tax ID No.", "tax_id"),
        ("R.F.C.", "tax_id"),
        ("RFC", "tax_id"),
        ("NIT #", "tax_id"),
        ("V.A.T. Number", "tax_id"),
        ("US FEIN", "tax_id"),
        ("Italian Fiscal Code", "tax_id"),
        ("Registration ID", "registration"),
        ("Registration Number", "registration"),
        ("Business Registration Document #", "registration"),
        ("Business Registration Number", "registration"),
        ("Company Number", "registration"),
        ("UK Company Number", "registration"),
        ("Commercial Registry Number", "registration"),
        ("Certificate of Incorporation Number", "registration"),
        ("Chamber of Commerce Number", "registration"),
        ("Trade License No.", "registration"),
        ("Economic Register Number (CBLS)", "registration"),
        ("Central Registration System Number", "registration"),
        ("Government Gazette Number", "registration"),
        ("Enterprise Number", "registration"),
        ("Folio Mercantil No.", "registration"),
        ("Matricula Mercantil No", "registration"),
        ("C.R. No.", "registration"),
        ("License", "registration"),
        ("Permit Number", "registration"),
        ("Branch Unit Number", "registration"),
        ("Registered Charity No.", "registration"),
        ("D-U-N-S Number", "registration"),
        ("Istanbul Chamber of Comm. No.", "registration"),
        ("Dubai Chamber of Commerce Membership No.", "registration"),
        ("Unified Social Credit Code (USCC)", "uscc"),
        ("Legal Entity Number", "lei"),
        ("SWIFT/BIC", "swift_bic"),
        ("MMSI", "mmsi"),
        ("Vessel Registration Identification", "imo"),
        ("BIK (RU)", "other"),
        ("Equity Ticker", "other"),
        ("Chinese Commercial Code", "other"),
        ("Aircraft Construction Number (also called L/N or S/N or F/N)", "other"),
        ("Aircraft Manufacturer's Serial Number (MSN)", "other"),
        ("Aircraft Tail Number", "other"),
        ("Aircraft Mode S Transponder Code", "other"),
        ("Previous Aircraft Tail Number", "other"),
        ("Phone Number", "phone"),
        ("Telephone No.", "phone"),
        ("Telephone", "phone"),
        ("Fax", "phone"),
    ],
    key=lambda item: -len(item[0]),
)

_ID_RE = re.compile(
    r"^(?P<label>" + "|".join(re.escape(label) for label, _ in _ID_LABELS) + r")[:\s]+"
    r"(?P<value>.+?)"
    r"(?:\s+\((?P<country>[^()]+)\))?"
    r"(?:\s+issued\s+(?P<issued>[0-9A-Za-z ]+?))?"
    r"(?:\s+expires\s+(?P<expires>[0-9A-Za-z ]+?))?\s*$",
    re.IGNORECASE,
)
_ID_TYPES = {label.lower(): kind for label, kind in _ID_LABELS}

_AKA_RE = re.compile(
    r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+['\u2018\u2019\"](?P<name>.+?)['\u2018\u2019\"]$", re.I
)
_CRYPTO_RE = re.compile(r"^Digital Currency Address\s*-\s*(?P<cur>[A-Z0-9]+)\s+(?P<addr>\S+)$", re.I)
_WEBSITE_RE = re.compile(r"^Website\s+(?P<url>\S+)$", re.I)
_EMAIL_RE = re.compile(r"^Email(?: Address)?[:\s]+(?P<email>\S+@\S+)$", re.I)
_DOB_RE = re.compile(r"^DOB\s+(?P<val>.+)$")
_POB_RE = re.compile(r"^POB\s+(?P<val>.+)$")
_NATIONALITY_RE = re.compile(r"^nationality(?:\s+of\s+registration)?\s+(?P<val>.+)$", re.I)
_CITIZEN_RE = re.compile(r"^citizen\s+(?P<val>.+)$", re.I)
_GENDER_RE = re.compile(r"^Gender\s+(?P<val>Male|Female)$", re.I)
_LINKED_RE = re.compile(r"^Linked To:\s*(?P<val>.+)$", re.I)
_ESTABLISHED_RE = re.compile(r"^Organization Established Date\s+(?P<val>.+)$", re.I)
_VESSEL_FLAG_RE = re.compile(r"^Other Vessel Flag\s+(?P<val>.+)$", re.I)
_VESSEL_TYPE_RE = re.compile(r"^Other Vessel Type\s+(?P<val>.+)$", re.I)
_TITLE_RE = re.compile(r"^Title\s+(?P<val>.+)$")


_AKA_OPEN_RE = re.compile(r"^(?:alt\.\s+)?[afn]\.k\.a\.\s+['\u2018\u2019\"]", re.I)
_QUOTES = "'\u2018\u2019\""


def _open_aka(item: str) -> bool:
    """True for an item that starts a quoted a.k.a. name whose closing quote is not in it."""
    m = _AKA_OPEN_RE.match(item)
    return m is not None and not (len(item) > m.end() and item[-1] in _QUOTES)


def split_items(remarks: str) -> list[str]:
    """Split a remark into its ``; ``-separated items, never inside a quoted a.k.a. name.

    Only an a.k.a./f.k.a./n.k.a. item opens a quote: apostrophes elsewhere are letters
    (``POB Tall 'Afar, Iraq``, ``Said Jan 'Abd al-Salam``), and a quoted name may itself end
    in one (``a.k.a. 'ABU AL-WAFA''``). An a.k.a. item whose quote never closes is kept as is.
    """
    text = remarks.strip()
    if text.endswith("."):
        text = text[:-1]
    pieces = [piece.strip() for piece in text.split(";")]
    items: list[str] = []
    i = 0
    while i < len(pieces):
        item = pieces[i]
        if _open_aka(item):
            for j in range(i + 1, len(pieces)):
                if pieces[j] and pieces[j][-1] in _QUOTES:
                    item = "; ".join(pieces[i : j + 1])
                    i = j
                    break
        items.append(item)
        i += 1
    return [item for item in items if item]


def dob_values(text: str) -> list[str]:
    """``25 Mar 1977`` / ``circa 1960`` / ``1960 to 1962`` / ``Mar 1977`` -> partial ISO dates."""
    text = text.strip()
    text = re.sub(r"^circa\s+", "", text, flags=re.I)
    m = re.fullmatch(r"(\d{4})\s+to\s+(\d{4})", text)
    if m:
        start, end = int(m.group(1)), int(m.group(2))
        if 0 <= end - start <= 10:
            return [str(year) for year in range(start, end + 1)]
        return [m.group(1), m.group(2)]
    m = re.fullmatch(r"(.+?)\s+to\s+(.+)", text)
    if m:
        return [d for d in (parse_date(m.group(1)), parse_date(m.group(2))) if d]
    value = parse_date(text)
    return [value] if value else []


def apply_remarks(entity: Entity, remarks: str) -> None:
    """Read an OFAC remark into ``entity``; the raw remark is kept in ``notes``."""
    entity.add("notes", remarks)
    is_person = entity.schema == "Person"
    for raw in split_items(remarks):
        item = re.sub(r"^alt\.\s+", "", raw).strip().rstrip(".")
        if not item:
            continue
        m = _AKA_RE.match(item)
        if m:
            prop = "previousName" if item.lower().startswith("f.k.a") else "weakAlias"
            entity.add(prop, m.group("name").strip())
            continue
        m = _DOB_RE.match(item)
        if m and is_person:
            for value in dob_values(m.group("val")):
                entity.add("birthDate", value)
            continue
        m = _POB_RE.match(item)
        if m and is_person:
            entity.add("birthPlace", m.group("val"))
            continue
        m = _NATIONALITY_RE.match(item)
        if m:
            _add_country(entity, "nationality" if is_person else "country", m.group("val"))
            continue
        m = _CITIZEN_RE.match(item)
        if m:
            _add_country(entity, "citizenship" if is_person else "country", m.group("val"))
            continue
        m = _GENDER_RE.match(item)
        if m and is_person:
            entity.add("gender", m.group("val").lower())
            continue
        m = _LINKED_RE.match(item)
        if m:
            entity.links.append(Link(relation="Linked To", target_name=m.group("val").strip()))
            continue
        m = _CRYPTO_RE.match(item)
        if m:
            entity.add_identifier(
                Identifier(
                    type="crypto",
                    value=m.group("addr"),
                    currency=m.group("cur").upper(),
                    label=f"Digital Currency Address - {m.group('cur')}",
                )
            )
            continue
        m = _WEBSITE_RE.match(item)
        if m:
            entity.add_identifier(Identifier(type="website", value=m.group("url"), label="Website"))
            if entity.schema != "Vessel":
                entity.add("website", m.group("url"))
            continue
        m = _EMAIL_RE.match(item)
        if m:
            entity.add_identifier(Identifier(type="email", value=m.group("email"), label="Email Address"))
            if entity.schema not in ("Vessel", "Airplane"):
                entity.add("email", m.group("email"))
            continue
        m = _ESTABLISHED_RE.match(item)
        if m and entity.schema in ("Company", "Organization", "LegalEntity"):
            entity.add("incorporationDate", parse_date(m.group("val")))
            continue
        m = _VESSEL_FLAG_RE.match(item)
        if m and entity.schema == "Vessel":
            entity.add("pastFlags", country_code(m.group("val")) or m.group("val"))
            continue
        m = _VESSEL_TYPE_RE.match(item)
        if m and entity.schema == "Vessel":
            entity.add("pastTypes", m.group("val"))
            continue
        m = _ID_RE.match(item)
        if m:
            _add_identifier(entity, m)
            continue


#: The identifier types that also become a property of the entity (websites, e-mails and
#: wallets are added where they are read; the rest stay identifiers only).
_IDENTIFIER_PROPS = {
    kind: IDENTIFIER_PROPS[kind]
    for kind in ("passport", "national_id", "tax_id", "registration", "uscc", "lei", "swift_bic", "imo", "mmsi",
                 "phone")
}


def _add_country(entity: Entity, prop: str, name: str) -> None:
    code = country_code(name)
    entity.add(prop, code or name.strip())


def _add_identifier(entity: Entity, m: re.Match[str]) -> None:
    label = m.group("label")
    kind = _ID_TYPES.get(label.lower(), "other")
    value = m.group("value").strip()
    country_name = (m.group("country") or "").strip() or None
    if kind == "imo":
        imo = re.search(r"IMO\s*(\d{7})", value, re.I)
        if not imo:
            kind = "registration"
        else:
            value = imo.group(1)
    ident = Identifier(
        type=kind,
        value=value,
        country=country_code(country_name) if country_name else None,
        label=label,
        issued=parse_date(m.group("issued")) if m.group("issued") else None,
        expires=parse_date(m.group("expires")) if m.group("expires") else None,
    )
    if country_name and ident.country is None:
        ident.note = country_name
    entity.add_identifier(ident)
    prop = _IDENTIFIER_PROPS.get(kind)
    if prop is not None and prop in schema_properties(entity.schema):
        entity.add(prop, value)
