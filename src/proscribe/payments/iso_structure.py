"""What the field-by-field ISO 20022 reader does not see: repeated singletons and stray text.

The reader (:mod:`.iso20022`) looks up the elements a credit transfer defines. An evader writes
what it does not look up: a second ``<Cdtr>`` (the reader takes the first, a first-wins or a
last-wins system downstream may take either), a second ``<Nm>``, a second ``<Document>`` in the
envelope, or a name where no party is read (``CdtrAcct/Nm``, ``Cdtr/CtctDtls/Nm``,
``RltdRmtInf/.../Nm``, ``Tax/.../Nm``, ``RgltryRptg/.../Nm``, ``SplmtryData``,
``RfrdDocInf/Nb``). Two controls close that:

- :func:`repeated_singletons`: an element the schemas of pacs.008 (08-12) and pain.001 (03-12)
  allow once under its parent (:data:`SINGLETONS`), found more than once, is an error naming its
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

#: Elements at most once under their parent in pacs.008.001.08-12 and pain.001.001.03-12.
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
        "Invcr", "Invcee",
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
#: Attributes that are codes, not text: the currency of an amount.
CODE_ATTRIBUTES = frozenset({"Ccy"})


def local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def has_elements(element) -> bool:
    """Whether ``element`` has element children (comments and processing instructions are not)."""
    return any(isinstance(child.tag, str) for child in element)


def own_text(element) -> str:
    """The text directly inside ``element``: before its first child and after each child
    (comments and processing instructions do not end it), not the text of child elements."""
    parts = [element.text or ""]
    parts.extend(child.tail or "" for child in element)
    return "".join(parts).strip()


class Paths:
    """Element paths as the payment fields name them (``CdtTrfTxInf/Cdtr[2]/Nm``): from the
    message body (below ``Document/FIToFICstmrCdtTrf``) or, outside a document, from the envelope."""

    BODIES = frozenset({"Document", "FIToFICstmrCdtTrf", "CstmrCdtTrfInitn"})

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
    documents = [el for el in root.iter() if local(el) == "Document"]
    if len(documents) > 1:
        found.append(
            (
                "Document",
                f"the message holds {len(documents)} Document elements; one is allowed (each is screened)",
            )
        )
    stack = [root]
    while stack:
        element = stack.pop()
        counts: dict[str, int] = {}
        for child in element:
            name = local(child)
            if not name:
                continue
            counts[name] = counts.get(name, 0) + 1
            if name not in OPEN_CONTENT:
                stack.append(child)
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
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element in seen:
            skip.update(element.iterdescendants())
            continue
        if element in skip:
            continue
        name = local(element)
        for attribute, value in element.attrib.items():
            value = value.strip()
            if (
                etree.QName(attribute).localname not in CODE_ATTRIBUTES
                and _has_letters(value)
                and not (attribute.startswith("{http://www.w3.org/"))
            ):
                yield Leftover(
                    element, f"{paths.of(element)}/@{etree.QName(attribute).localname}", "text", value
                )
        text = own_text(element)
        if not text:
            continue
        path = paths.of(element)
        if name == "Nm":
            yield Leftover(element, path, "name", text)
        elif name in BIC_ELEMENTS:
            yield Leftover(element, path, "bic", text)
        elif name == "LEI":
            yield Leftover(element, path, "lei", text)
        elif _has_letters(text):
            yield Leftover(element, path, "text", text)


def _has_letters(text: str) -> bool:
    return bool(text) and not _NO_LETTERS.fullmatch(text) and not _DATE_TIME.fullmatch(text)
