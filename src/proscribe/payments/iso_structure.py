"""What the field-by-field ISO 20022 reader does not see: repeated singletons and stray text.

The reader (:mod:`.iso20022`) looks up the elements a credit transfer defines. An evader writes
what it does not look up: a second ``<Cdtr>`` (the reader takes the first, a first-wins or a
last-wins system downstream may take either), a second ``<Nm>``, a second ``<Document>`` in the
envelope, or a name where no party is read (``CdtrAcct/Nm``, ``Cdtr/CtctDtls/Nm``,
``RltdRmtInf/.../Nm``, ``Tax/.../Nm``, ``RgltryRptg/.../Nm``, ``SplmtryData``,
``RfrdDocInf/Nb``). Two controls close that:

- :func:`repeated_singletons`: an element the schemas of every family and version read allow
  once under its parent (:data:`SINGLETONS`), found more than once, is an error naming its
  path (the payment is held). Full XSD validation would find more; this list covers every
  element that carries or contains a party, an agent, an amount or an identifier.
- :func:`leftovers`: every element whose text the reader did not take (it records what it read),
  anywhere in the message, envelope included: an ``Nm`` is screened as a name, an identifier
  element by its identifier, any other text with letters as free text; attribute values other
  than the currency of an amount as free text too. Nothing in the message goes unscreened.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from proscribe.payments import iso_map

#: Elements at most once under their parent in every version of every family read (pacs.008,
#: pacs.009, pacs.004, pain.001, camt.056; tests/payments/test_iso_versions.py checks each name
#: against the official schemas shipped with the tests).
# fmt: off
SINGLETONS = frozenset(
    {
        # message and group header
        "AppHdr", "FIToFICstmrCdtTrf", "CstmrCdtTrfInitn", "GrpHdr", "MsgId", "CreDtTm", "NbOfTxs",
        "CtrlSum", "TtlIntrBkSttlmAmt", "SttlmInf", "SttlmMtd", "SttlmAcct", "BtchBookg", "FwdgAgt",
        # transaction and payment information
        "PmtId", "InstrId", "EndToEndId", "TxId", "UETR", "ClrSysRef", "PmtTpInf", "InstrPrty",
        "ClrChanl", "LclInstrm", "CtgyPurp", "IntrBkSttlmAmt", "IntrBkSttlmDt", "SttlmPrty",
        "SttlmTmIndctn", "SttlmTmReq", "AccptncDtTm", "PoolgAdjstmntDt", "InstdAmt", "EqvtAmt",
        "XchgRate", "ChrgBr", "Amt", "PmtInfId", "PmtMtd", "ReqdExctnDt",
        "ChrgsAcct", "ChrgsAcctAgt", "Purp", "RmtInf", "Tax", "InstrForDbtrAgt",
        # parties, agents and accounts of a transaction
        "InitgPty", "InstgAgt", "InstdAgt", "UltmtDbtr", "Dbtr", "DbtrAcct", "DbtrAgt", "DbtrAgtAcct",
        "CdtrAgt", "CdtrAgtAcct", "Cdtr", "CdtrAcct", "UltmtCdtr",
        "PrvsInstgAgt1", "PrvsInstgAgt2", "PrvsInstgAgt3",
        "PrvsInstgAgt1Acct", "PrvsInstgAgt2Acct", "PrvsInstgAgt3Acct",
        "IntrmyAgt1", "IntrmyAgt2", "IntrmyAgt3", "IntrmyAgt1Acct", "IntrmyAgt2Acct", "IntrmyAgt3Acct",
        "Invcr", "Invcee", "Grnshee", "GrnshmtAdmstr", "FXAgt", "PrvsInstgAgt", "PrvsInstgAgtAcct",
        "InstgRmbrsmntAgt", "InstdRmbrsmntAgt", "ThrdRmbrsmntAgt", "InstgRmbrsmntAgtAcct",
        "InstdRmbrsmntAgtAcct", "ThrdRmbrsmntAgtAcct", "Pty", "Agt",
        # financial institution transfers (pacs.009), returns (pacs.004), recalls (camt.056)
        "FICdtTrf", "FinInstnCdtTrf", "PmtRtr", "FIToFIPmtCxlReq", "UndrlygCstmrCdtTrf", "UndrlygFICdtTrf",
        "RtrId", "RtrdIntrBkSttlmAmt", "RtrdInstdAmt", "RtrChain", "OrgnlGrpInf", "OrgnlTxRef",
        "OrgnlInstrId", "OrgnlEndToEndId", "OrgnlTxId", "OrgnlUETR", "OrgnlIntrBkSttlmAmt",
        "OrgnlIntrBkSttlmDt", "Orgtr", "CdtrSchmeId", "OrgnlCdtrSchmeId", "OrgnlDbtr", "OrgnlDbtrAcct",
        "OrgnlDbtrAgt", "OrgnlDbtrAgtAcct", "OrgnlCdtrAgt", "OrgnlCdtrAgtAcct", "Assgnmt", "Assgnr",
        "Assgne", "Case", "Cretr", "CxlId",
        # inside a party, an agent or an account
        "Nm", "PstlAdr", "Id", "CtryOfRes", "CtctDtls", "OrgId", "PrvtId", "AnyBIC", "BICOrBEI", "LEI",
        "DtAndPlcOfBirth", "BirthDt", "PrvcOfBirth", "CityOfBirth", "CtryOfBirth", "FinInstnId",
        "BrnchId", "BICFI", "BIC", "ClrSysMmbId", "ClrSysId", "MmbId", "IBAN", "Tp", "Ccy", "Prxy",
        "SchmeNm", "Issr", "Cd", "Prtry",
        # inside an address
        "AdrTp", "Dept", "SubDept", "StrtNm", "BldgNb", "BldgNm", "Flr", "PstBx", "Room", "PstCd",
        "TwnNm", "TwnLctnNm", "DstrctNm", "CtrySubDvsn", "Ctry",
    }
)
# fmt: on
#: Free-form content (``SplmtryData/Envlp`` is ``xs:any``): no singleton rule inside.
OPEN_CONTENT = frozenset({"Envlp"})
#: Identifier elements: screened by their identifier, not as words.
BIC_ELEMENTS = frozenset({"BICFI", "BIC", "AnyBIC", "BICOrBEI"})
#: Text with no letters (amounts, counts, dates, times) cannot carry a name.
_NO_LETTERS = re.compile(r"[\W\d_]*")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?")
#: Attributes that are codes, not text: the currency of an amount; and XML's own (xsi:, xml:).
CODE_ATTRIBUTES = frozenset({"Ccy"})
FOREIGN_ATTRIBUTES = frozenset(
    {"http://www.w3.org/2001/XMLSchema-instance", "http://www.w3.org/XML/1998/namespace"}
)
#: Closed code lists of the schemas: a value of the list is a code; any other value is text.
CODE_VALUES = {
    "ChrgBr": frozenset({"DEBT", "CRED", "SHAR", "SLEV"}),
    "SttlmMtd": frozenset({"INDA", "INGA", "COVE", "CLRG"}),
    "PmtMtd": frozenset({"CHK", "TRF", "TRA"}),
    "InstrPrty": frozenset({"HIGH", "NORM"}),
    "SttlmPrty": frozenset({"URGT", "HIGH", "NORM"}),
    "ClrChanl": frozenset({"RTGS", "RTNS", "MPNS", "BOOK"}),
    "BtchBookg": frozenset({"true", "false"}),
}
_EXTERNAL_CODE = re.compile(r"[A-Z0-9]{1,4}")


def local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def has_elements(element) -> bool:
    """Whether ``element`` has element children (comments and processing instructions are not)."""
    return any(isinstance(child.tag, str) for child in element)


def own_text(element) -> str:
    """The text directly inside ``element``: before its first child and after each child
    (comments and processing instructions do not end it), not the text of child elements."""
    tails = [child.tail for child in element if child.tail]
    if not tails:
        return (element.text or "").strip()
    return ((element.text or "") + "".join(tails)).strip()


class Paths:
    """Element paths as the payment fields name them (``CdtTrfTxInf/Cdtr[2]/Nm``): from the
    message body (below ``Document/FIToFICstmrCdtTrf``) or, outside a document, from the envelope."""

    BODIES = frozenset({"Document"}) | iso_map.roots()

    def __init__(self) -> None:
        self._cache: dict[etree._Element, str] = {}
        self._numbers: dict[etree._Element, int] = {}

    def _number(self, element, parent) -> int:
        """1 for the first child of its name under ``parent``, 2 for the second, ..."""
        number = self._numbers.get(element)
        if number is None:
            counts: dict[str, int] = {}
            for child in parent:
                if isinstance(child.tag, str):
                    counts[child.tag] = counts.get(child.tag, 0) + 1
                    self._numbers[child] = counts[child.tag]
            number = self._numbers[element]
        return number

    def of(self, element) -> str:
        cached = self._cache.get(element)
        if cached is not None:
            return cached
        name = local(element)
        parent = element.getparent()
        if name in self.BODIES:
            path = ""
        else:
            if parent is not None:
                number = self._number(element, parent)
                if number > 1:
                    name = f"{name}[{number}]"
            above = self.of(parent) if parent is not None else ""
            path = f"{above}/{name}" if above else name
        self._cache[element] = path
        return path


def repeated_singletons(root, paths: Paths) -> list[tuple[str, str]]:
    """(path, detail) for each element found more than once where the schema allows one."""
    found: list[tuple[str, str]] = []
    documents = sum(1 for _ in root.iter("{*}Document"))
    if documents > 1:
        found.append(
            (
                "Document",
                f"the message holds {documents} Document elements; one is allowed (each is screened)",
            )
        )
    for element in root.iter(etree.Element):
        if len(element) < 2:
            continue
        tags = [child.tag for child in element]
        if len(set(tags)) == len(tags):
            continue  # the common case: no child repeated
        if (
            any(local(above) in OPEN_CONTENT for above in element.iterancestors())
            or local(element) in OPEN_CONTENT
        ):
            continue
        counts: dict[str, int] = {}
        for child in element:
            name = local(child)
            if name:
                counts[name] = counts.get(name, 0) + 1
        for name, count in counts.items():
            if count > 1 and name in SINGLETONS:
                at = paths.of(element)
                where = f"{at}/{name}" if at else name
                found.append(
                    (
                        where,
                        f"{name} appears {count} times here; the schema allows it once (every one is screened)",
                    )
                )
    return found


@dataclass(frozen=True, slots=True)
class Leftover:
    element: etree._Element
    path: str
    kind: str  # name | bic | lei | text
    text: str


def leftovers(root, seen: set, paths: Paths) -> Iterable[Leftover]:
    """Every text the reader did not take, in document order."""
    skip: set = set()
    for element in root.iter(etree.Element):
        if element in seen:
            if len(element):
                skip.update(element.iterdescendants())
            continue
        if skip and element in skip:
            continue
        for attribute, value in element.items():
            value = value.strip()
            qname = etree.QName(attribute)
            if (
                qname.localname not in CODE_ATTRIBUTES
                and qname.namespace not in FOREIGN_ATTRIBUTES
                and _has_letters(value)
            ):
                yield Leftover(element, f"{paths.of(element)}/@{qname.localname}", "text", value)
        if len(element):
            text = own_text(element)
        else:
            text = element.text
            text = text.strip() if text else ""
        if not text:
            continue
        name = local(element)
        if name == "Nm":
            yield Leftover(element, paths.of(element), "name", text)
        elif name in BIC_ELEMENTS:
            yield Leftover(element, paths.of(element), "bic", text)
        elif name == "LEI":
            yield Leftover(element, paths.of(element), "lei", text)
        elif _has_letters(text) and not _is_code(name, text):
            yield Leftover(element, paths.of(element), "text", text)


def _is_code(name: str, text: str) -> bool:
    """A value of a closed ISO code list, or an external code (``Cd``, at most four letters and
    digits): no name can hide in it (a listed name needs five letters or more to be found)."""
    values = CODE_VALUES.get(name)
    if values is not None:
        return text in values
    return name == "Cd" and _EXTERNAL_CODE.fullmatch(text) is not None


def _has_letters(text: str) -> bool:
    return bool(text) and not _NO_LETTERS.fullmatch(text) and not _DATE_TIME.fullmatch(text)
