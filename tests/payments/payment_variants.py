"""Hostile payment messages, generated: real ISO 20022, MT103 and JSON-form messages (the clean
fixtures under tests/fixtures/payments) with a name put where an evader would put it.

Every builder takes the name to hide, so the same disguise is tried with several listed
organisations and, as a control, with innocent names (which must not raise an alert the plain
message does not).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

from lxml import etree

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payments"

#: Listed organisations (bundled current lists; the first four on the OFAC SDN list).
LISTED_ORGANISATIONS = (
    "MAHAN AIR",
    "BANK MELLAT",
    "KOREA KWANGSON BANKING CORP",
    "TADBIR ECONOMIC DEVELOPMENT GROUP",
    "ROSOBORONEXPORT",
)
#: Innocent companies and people of several regions.
INNOCENT_NAMES = (
    "Harbour Robotics Ltd",
    "Nguyen Van Minh",
    "Okonkwo Textiles Nigeria Ltd",
    "Sakura Precision Kogyo KK",
    "Maria Fernanda Oliveira",
)


# -- ISO 20022 ---------------------------------------------------------------------------------------


def xml_templates() -> dict[str, bytes]:
    """Clean pacs.008 (versions 12 and 08) and pain.001 (03, two transactions) messages."""
    v12 = (FIXTURES / "pacs008_v12_clean.xml").read_bytes()
    return {
        "pacs.008.001.12": v12,
        "pacs.008.001.08": v12.replace(b"pacs.008.001.12", b"pacs.008.001.08"),
        "pain.001.001.03": (FIXTURES / "pain001_v03_batch.xml").read_bytes(),
    }


def _tree(data: bytes):
    return etree.fromstring(data, etree.XMLParser(remove_blank_text=True))


def _ns(root) -> str:
    document = root if etree.QName(root).localname == "Document" else root.find(".//{*}Document")
    return etree.QName(document).namespace


def _first(root, name: str):
    return next(el for el in root.iter() if isinstance(el.tag, str) and etree.QName(el).localname == name)


def _sub(parent, ns: str, *path: str, text: str | None = None):
    node = parent
    for tag in path:
        node = etree.SubElement(node, f"{{{ns}}}{tag}")
    if text is not None:
        node.text = text
    return node


def _bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _edit(template: bytes, change: Callable) -> bytes:
    root = _tree(template)
    change(root, _ns(root), _first(root, "CdtTrfTxInf"))
    return _bytes(root)


def second_document(template: bytes, name: str) -> bytes:
    """An envelope: the clean Document, then a second one paying ``name``."""
    envelope = etree.Element("{urn:example:envelope}BizMsgEnvlp")
    envelope.append(_tree(template))
    second = _tree(template)
    _first(_first(second, "Cdtr"), "Nm").text = name
    envelope.append(second)
    return _bytes(envelope)


def second_creditor(template: bytes, name: str) -> bytes:
    def change(root, ns, tx):
        creditor = _first(tx, "Cdtr")
        twin = copy.deepcopy(creditor)
        _first(twin, "Nm").text = name
        creditor.addnext(twin)

    return _edit(template, change)


def second_name(template: bytes, name: str) -> bytes:
    def change(root, ns, tx):
        _first(_first(tx, "Cdtr"), "Nm").addnext(etree.Element(f"{{{ns}}}Nm"))
        _first(tx, "Cdtr")[1].text = name

    return _edit(template, change)


def _split_name(kind: str):
    def build(template: bytes, name: str) -> bytes:
        def change(root, ns, tx):
            nm = _first(_first(tx, "Cdtr"), "Nm")
            nm.text = name[:3]
            inside = etree.ProcessingInstruction("x") if kind == "pi" else etree.Comment("x")
            inside.tail = name[3:]
            nm.append(inside)

        return _edit(template, change)

    return build


def _placed(*path: str, under: str | None = None, foreign: bool = False):
    """``name`` as the text of ``path`` added to the transaction (or to its ``under`` child)."""

    def build(template: bytes, name: str) -> bytes:
        def change(root, ns, tx):
            parent = tx if under is None else _first(tx, under)
            steps = list(path[:-1] if foreign else path)
            while steps:  # into what the message has already (one RmtInf, one Strd)
                found = next((el for el in parent if etree.QName(el).localname == steps[0]), None)
                if found is None:
                    break
                parent = found
                steps.pop(0)
            if foreign:
                envelope = _sub(parent, ns, *steps)
                etree.SubElement(envelope, f"{{urn:example:bank}}{path[-1]}").text = name
            else:
                _sub(parent, ns, *steps, text=name)

        return _edit(template, change)

    return build


#: (variant, builder, a field the hit must name, True when the disguise breaks a schema rule)
ISO_VARIANTS: tuple[tuple[str, Callable[[bytes, str], bytes], str, bool], ...] = (
    ("second Document", second_document, "Document", True),
    ("second Cdtr", second_creditor, "Cdtr[2]", True),
    ("second Nm", second_name, "Cdtr/Nm[2]", True),
    ("processing instruction inside Nm", _split_name("pi"), "Cdtr/Nm", False),
    ("comment inside Nm", _split_name("comment"), "Cdtr/Nm", False),
    ("CdtrAcct/Nm", _placed("Nm", under="CdtrAcct"), "CdtrAcct/Nm", False),
    ("Cdtr/CtctDtls/Nm", _placed("CtctDtls", "Nm", under="Cdtr"), "Cdtr/CtctDtls/Nm", False),
    ("RltdRmtInf/.../Nm", _placed("RltdRmtInf", "RmtLctnDtls", "PstlAdr", "Nm"), "RltdRmtInf", False),
    ("Tax/.../Nm", _placed("Tax", "Dbtr", "Authstn", "Nm"), "Tax/Dbtr/Authstn/Nm", False),
    ("RgltryRptg/.../Nm", _placed("RgltryRptg", "Authrty", "Nm"), "RgltryRptg/Authrty/Nm", False),
    ("SplmtryData", _placed("SplmtryData", "Envlp", "Beneficiary", foreign=True), "SplmtryData", False),
    ("RfrdDocInf/Nb", _placed("RmtInf", "Strd", "RfrdDocInf", "Nb"), "RfrdDocInf/Nb", False),
)


def person_party_xml(template: bytes, role_tag: str, name: str) -> bytes:
    """``role_tag`` (``Cdtr``, ``Dbtr``, ``UltmtCdtr``, ``UltmtDbtr``) named ``name`` and flagged
    a natural person (``Id/PrvtId`` with a date and place of birth)."""

    def change(root, ns, tx):
        holder = (
            tx if role_tag != "Dbtr" or _ns(root).startswith("urn:iso:std:iso:20022:tech:xsd:pacs") else None
        )
        if holder is None:
            holder = _first(root, "PmtInf")
        party = next((el for el in holder if etree.QName(el).localname == role_tag), None)
        if party is None:
            party = _sub(holder, ns, role_tag)
        for child in list(party):
            party.remove(child)
        _sub(party, ns, "Nm", text=name)
        birth = _sub(party, ns, "Id", "PrvtId", "DtAndPlcOfBirth")
        _sub(birth, ns, "BirthDt", text="1980-05-17")
        _sub(birth, ns, "CityOfBirth", text="Tehran")
        _sub(birth, ns, "CtryOfBirth", text="IR")

    return _edit(template, change)


# -- MT103 -----------------------------------------------------------------------------------------


def mt103(
    *,
    ordering: str | None = None,
    beneficiary: str | None = None,
    remittance: str | None = None,
    instructions: str | None = None,
    institution: str | None = None,
) -> bytes:
    """The clean MT103 with field 50a, 59a, 70, 72 or 57a replaced (each given with its tag,
    ``":50F:..."``)."""
    text = (FIXTURES / "mt103_clean.fin").read_text(encoding="utf-8")
    if instructions is not None:
        start, end = text.index(":72:"), text.index("-}")
        text = text[:start] + instructions.rstrip("\n") + "\n" + text[end:]
    if institution is not None:
        start, end = text.index(":57A:"), text.index(":59:")
        text = text[:start] + institution.rstrip("\n") + "\n" + text[end:]
    start, end = text.index(":50K:"), text.index(":52A:")
    if ordering is not None:
        text = text[:start] + ordering.rstrip("\n") + "\n" + text[end:]
    start, end = text.index(":59:"), text.index(":70:")
    if beneficiary is not None:
        text = text[:start] + beneficiary.rstrip("\n") + "\n" + text[end:]
    start, end = text.index(":70:"), text.index(":71A:")
    if remittance is not None:
        text = text[:start] + remittance.rstrip("\n") + "\n" + text[end:]
    return text.encode("utf-8")


def mt103_person_ordering(name: str) -> bytes:
    """Field 50F naming ``name`` with a ``4/`` date of birth line: a natural person."""
    return mt103(ordering=f":50F:/GB33BUKB20201555555555\n1/{name}\n2/12 KINGSWAY\n3/GB/LONDON\n4/19800517")


# -- JSON form -------------------------------------------------------------------------------------


def json_payment(**changes) -> dict:
    payment = json.loads((FIXTURES / "json_clean.json").read_text(encoding="utf-8"))
    payment.update(changes)
    return payment


def json_person_party(role: str, name: str) -> bytes:
    payment = json_payment()
    payment[role] = {"name": name, "person": True, "birth_date": "1980-05-17"}
    return json.dumps(payment).encode("utf-8")
