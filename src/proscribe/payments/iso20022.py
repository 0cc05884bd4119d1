"""ISO 20022 customer credit transfers: pacs.008 (versions 08 to 12) and pain.001 (03 to 12).

The message type and version come from the document's namespace
(``urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08``); elements are looked up in that namespace
only, so a document that borrows another version's namespace, or none, is refused rather than
half-read. A business application header (``AppHdr``) wrapped around the ``Document`` in an
envelope is allowed. XML goes through :func:`proscribe.sources.base.parse_xml` (no DTDs, no
entities, no network).

Each ``CdtTrfTxInf`` becomes one :class:`~proscribe.payments.messages.Payment`. Values that break
the schema's rules (length, pattern, amount) are recorded as errors naming the element path
(``CdtTrfTxInf/Cdtr/Nm``), and the payment is held; the rest of the message is still read, so
every party is screened even then.
"""

from __future__ import annotations

import hashlib
import io
import re
from decimal import Decimal, InvalidOperation

from lxml import etree

from proscribe.payments import iso_structure
from proscribe.payments.iso_structure import has_elements
from proscribe.payments.messages import Address, Agent, FreeText, Party, Payment
from proscribe.sources.base import ListFormatError, local_name, parse_xml
from proscribe.text.identifiers import validate_bic

NS_PREFIX = "urn:iso:std:iso:20022:tech:xsd:"
SUPPORTED = {
    "pacs.008.001": (8, 12),
    "pain.001.001": (3, 12),
}
ROOT_ELEMENT = {"pacs.008.001": "FIToFICstmrCdtTrf", "pain.001.001": "CstmrCdtTrfInitn"}

_NS_RE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3}\.\d{3})\.(\d{2})$")
_UETR_RE = re.compile(r"[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}")
_COUNTRY_RE = re.compile(r"[A-Z]{2}")
_CCY_RE = re.compile(r"[A-Z]{3}")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_IBAN_RE = re.compile(r"[A-Z]{2}[0-9]{2}[a-zA-Z0-9]{1,30}")

#: Maximum lengths from the schema's MaxNText types.
MAX_LEN = {
    "MsgId": 35,
    "InstrId": 35,
    "EndToEndId": 35,
    "TxId": 35,
    "PmtInfId": 35,
    "Nm": 140,
    "StrtNm": 70,
    "BldgNb": 16,
    "BldgNm": 35,
    "Flr": 70,
    "PstBx": 16,
    "Room": 70,
    "PstCd": 16,
    "TwnNm": 35,
    "TwnLctnNm": 35,
    "DstrctNm": 35,
    "CtrySubDvsn": 35,
    "AdrLine": 70,
    "Dept": 70,
    "SubDept": 70,
    "Ustrd": 140,
    "InstrInf": 140,
    "AddtlRmtInf": 140,
    "Ref": 35,
    "Id": 35,
    "MmbId": 35,
    "Inf": 35,
    "CityOfBirth": 35,
}


class _Reader:
    """Namespaced element access for one document, collecting errors on the payment being built."""

    def __init__(self, ns: str, seen: set | None = None):
        self.ns = ns
        self.payment: Payment | None = None
        self._paths: dict[str, str] = {}
        #: every element whose text was read: what is left over is screened apart
        #: (:func:`proscribe.payments.iso_structure.leftovers`)
        self.seen: set = seen if seen is not None else set()

    def q(self, path: str) -> str:
        qualified = self._paths.get(path)
        if qualified is None:
            qualified = self._paths[path] = "/".join(f"{{{self.ns}}}{part}" for part in path.split("/"))
        return qualified

    def find(self, el, path: str):
        return el.find(self.q(path)) if el is not None else None

    def findall(self, el, path: str):
        return el.findall(self.q(path)) if el is not None else []

    def each(self, el, tag: str, where: str) -> list[tuple[etree._Element, str]]:
        """Every ``tag`` child with its path; a repeated one (which the schema may not allow,
        :mod:`.iso_structure` says) is read all the same, as ``tag[2]``, so that it is screened."""
        return [
            (node, f"{where}/{tag}" + (f"[{n}]" if n > 1 else ""))
            for n, node in enumerate(self.findall(el, tag), 1)
        ]

    def text(self, el, path: str, where: str) -> str | None:
        node = self.find(el, path)
        return self.value(node, f"{where}/{path}")

    def value(self, node, where: str) -> str | None:
        if node is None:
            return None
        self.seen.add(node)
        if len(node) == 0:
            text = (node.text or "").strip()
        else:  # every text node: a comment or processing instruction does not end the value
            if has_elements(node):
                self.error(
                    where, "holds child elements where the schema allows only text; all its text is read"
                )
            text = "".join(node.itertext()).strip()
        if not text:
            self.error(where, "element is present but empty")
            return None
        limit = MAX_LEN.get(local_name(node))
        if limit and len(text) > limit:
            self.error(where, f"{len(text)} characters; the schema allows at most {limit}")
        return text

    def error(self, where: str, detail: str) -> None:
        assert self.payment is not None
        self.payment.error(where, detail)

    # -- building blocks ------------------------------------------------------------------------

    def address(self, el, where: str) -> Address | None:
        node = self.find(el, "PstlAdr")
        if node is None:
            return None
        at = f"{where}/PstlAdr"
        addr = Address(
            field=at,
            street=self.text(node, "StrtNm", at),
            building=" ".join(x for x in (self.text(node, "BldgNb", at), self.text(node, "BldgNm", at)) if x)
            or None,
            postcode=self.text(node, "PstCd", at),
            town=self.text(node, "TwnNm", at) or self.text(node, "TwnLctnNm", at),
            district=self.text(node, "DstrctNm", at),
            subdivision=self.text(node, "CtrySubDvsn", at),
            country=self.country(node, "Ctry", at),
        )
        for extra in ("Dept", "SubDept", "Flr", "PstBx", "Room"):
            value = self.text(node, extra, at)
            if value:
                addr.lines.append(value)
        lines = self.findall(node, "AdrLine")
        if len(lines) > 7:
            self.error(f"{at}/AdrLine", f"{len(lines)} address lines; the schema allows at most 7")
        for line in lines:
            value = self.value(line, f"{at}/AdrLine")
            if value:
                addr.lines.append(value)
        return addr

    def country(self, el, path: str, where: str) -> str | None:
        value = self.text(el, path, where)
        if value is not None and not _COUNTRY_RE.fullmatch(value):
            self.error(f"{where}/{path}", f"{value!r} is not an ISO 3166 two-letter country code")
        return value

    def bic(self, el, path: str, where: str) -> str | None:
        value = self.text(el, path, where)
        if value is not None:
            ok, reason = validate_bic(value)
            if not ok or value != value.upper() or " " in value:
                self.error(
                    f"{where}/{path}",
                    f"{value!r} is not a valid BIC: {reason or 'must be upper case, no spaces'}",
                )
        return value

    def account(self, el, where: str) -> str | None:
        node = self.find(el, "Id")
        if node is None:
            return None
        iban = self.text(node, "IBAN", f"{where}/Id")
        if iban is not None:
            if not _IBAN_RE.fullmatch(iban) or len(iban) > 34:
                self.error(f"{where}/Id/IBAN", f"{iban!r} is not an IBAN")
            return iban
        return self.text(node, "Othr/Id", f"{where}/Id")

    def party(self, el, role: str, where: str) -> Party | None:
        if el is None:
            return None
        party = Party(
            role=role, field=where, name=self.text(el, "Nm", where), address=self.address(el, where)
        )
        party.country = self.country(el, "CtryOfRes", where)
        ident = self.find(el, "Id")
        if ident is not None:
            org = self.find(ident, "OrgId")
            prv = self.find(ident, "PrvtId")
            if org is not None:
                party.person = False
                at = f"{where}/Id/OrgId"
                party.bic = self.bic(org, "AnyBIC", at) or self.bic(org, "BICOrBEI", at)
                party.lei = self.text(org, "LEI", at)
                for other in self.findall(org, "Othr"):
                    value = self.text(other, "Id", f"{at}/Othr")
                    scheme = self.text(other, "SchmeNm/Cd", f"{at}/Othr") or self.text(
                        other, "SchmeNm/Prtry", f"{at}/Othr"
                    )
                    if value:
                        party.identifiers.append((scheme or "other", value))
            elif prv is not None:
                party.person = True
                at = f"{where}/Id/PrvtId"
                birth = self.find(prv, "DtAndPlcOfBirth")
                if birth is not None:
                    party.birth_date = self.text(birth, "BirthDt", f"{at}/DtAndPlcOfBirth")
                    city = self.text(birth, "CityOfBirth", f"{at}/DtAndPlcOfBirth")
                    ctry = self.country(birth, "CtryOfBirth", f"{at}/DtAndPlcOfBirth")
                    party.birth_place = ", ".join(x for x in (city, ctry) if x) or None
                for other in self.findall(prv, "Othr"):
                    value = self.text(other, "Id", f"{at}/Othr")
                    scheme = self.text(other, "SchmeNm/Cd", f"{at}/Othr") or self.text(
                        other, "SchmeNm/Prtry", f"{at}/Othr"
                    )
                    if value:
                        party.identifiers.append((scheme or "other", value))
        if party.name is None and party.bic is None and party.lei is None and not party.identifiers:
            self.error(f"{where}", "party has neither a name nor an identifier")
        return party

    def agent(self, el, role: str, where: str) -> Agent | None:
        if el is None:
            return None
        fin = self.find(el, "FinInstnId")
        if fin is None:
            self.error(where, "agent without FinInstnId")
            return Agent(role=role, field=where)
        at = f"{where}/FinInstnId"
        agent = Agent(
            role=role,
            field=where,
            bic=self.bic(fin, "BICFI", at) or self.bic(fin, "BIC", at),
            name=self.text(fin, "Nm", at),
            address=self.address(fin, at),
            clearing_id=self.text(fin, "ClrSysMmbId/MmbId", at),
            lei=self.text(fin, "LEI", at),
        )
        if agent.bic is None and agent.name is None and agent.clearing_id is None and agent.lei is None:
            other = self.text(fin, "Othr/Id", at)
            if other is None:
                self.error(at, "agent has neither a BIC, a name, a clearing member id nor an LEI")
            agent.clearing_id = other
        return agent

    def amount(self, el, path: str, where: str) -> tuple[Decimal | None, str | None]:
        node = self.find(el, path)
        at = f"{where}/{path}"
        if node is None:
            return None, None
        self.seen.add(node)
        currency = node.get("Ccy")
        if currency is None or not _CCY_RE.fullmatch(currency):
            self.error(f"{at}/@Ccy", f"currency {currency!r} is not an ISO 4217 code")
        if has_elements(node):
            self.error(at, "holds child elements where the schema allows only an amount")
        text = "".join(node.itertext()).strip()
        try:
            value = Decimal(text)
            if not value.is_finite() or value < 0 or not re.fullmatch(r"\d{1,18}(\.\d{1,5})?", text):
                raise InvalidOperation
            if len(text.replace(".", "").lstrip("0")) > 18:
                raise InvalidOperation
        except InvalidOperation:
            self.error(at, f"amount {text!r} is not a decimal of at most 18 digits (5 after the point)")
            value = None
        return value, currency

    def free_texts(self, el, where: str) -> list[FreeText]:
        out = []
        for path in (
            "InstrForCdtrAgt/InstrInf",
            "InstrForNxtAgt/InstrInf",
            "InstrForDbtrAgt",
            "InstrForDbtrAgt/InstrInf",
            "RmtInf/Ustrd",
            "RmtInf/Strd/AddtlRmtInf",
            "RmtInf/Strd/CdtrRefInf/Ref",
            "RgltryRptg/Dtls/Inf",
            "Purp/Prtry",
            "RltdRmtInf/RmtId",
        ):
            for node in self.findall(el, path):
                if has_elements(node):
                    continue  # a container (InstrForDbtrAgt in later versions)
                value = self.value(node, f"{where}/{path}")
                if value:
                    out.append(FreeText(f"{where}/{path}", value))
        return out


def detect_namespace(root) -> tuple[str, str, etree._Element]:
    """(family, version, Document element) or raise ValueError naming what is wrong."""
    document = root
    if local_name(root) != "Document":
        document = next(
            (el for el in root.iter() if isinstance(el.tag, str) and local_name(el) == "Document"), None
        )
        if document is None:
            raise ValueError(f"root element {local_name(root)!r} is not an ISO 20022 Document")
    return (*_namespace(document), document)


def _namespace(document) -> tuple[str, str]:
    ns = etree.QName(document).namespace or ""
    match = _NS_RE.fullmatch(ns)
    if not match:
        raise ValueError(f"namespace {ns or '(none)'!r} is not an ISO 20022 message namespace")
    family, version = match.group(1), match.group(2)
    if family not in SUPPORTED:
        raise ValueError(f"message type {family}.{version} is not supported (pacs.008, pain.001 only)")
    low, high = SUPPORTED[family]
    if not low <= int(version) <= high:
        raise ValueError(f"{family}.{version} is not a supported version ({low:02d} to {high:02d})")
    return family, version


def parse(data: bytes, file: str = "") -> list[Payment]:
    """Every transaction of a pacs.008 or pain.001 document; never raises for bad content.

    Every ``Document`` of an envelope is read (more than one is an error); every element the
    schema allows once and that is repeated is an error naming its path, and read all the same;
    whatever text the reader did not take is screened apart (:mod:`.iso_structure`)."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        return [
            _broken(
                file,
                "unknown",
                "DOCTYPE",
                "a payment message may not carry a DTD or entity declarations",
                data,
            )
        ]
    try:
        root = parse_xml(io.BytesIO(data), label=file or "message")
    except ListFormatError as exc:
        return [
            _broken(
                file, "unknown", "Document", f"malformed XML: {exc.where or ''} {exc.message}".strip(), data
            )
        ]
    except Exception as exc:  # noqa: BLE001 - whatever the XML layer raises, the message is held
        return [_broken(file, "unknown", "Document", f"unreadable XML: {type(exc).__name__}: {exc}", data)]
    documents = list(root.iter("{*}Document"))
    if not documents:
        return [
            _broken(
                file,
                "unknown",
                "Document",
                f"root element {local_name(root)!r} is not an ISO 20022 Document",
                data,
            )
        ]
    raw = data.decode("utf-8", errors="replace")
    digest = hashlib.sha256(data).hexdigest()
    seen: set = set()
    owners: dict[etree._Element, list[Payment]] = {}
    payments: list[Payment] = []
    for number, document in enumerate(documents, start=1):
        found = _document(document, file, raw, data, seen, owners)
        if number > 1:  # a key of its own: the first document's decision must not stand for it
            for payment in found:
                payment.message_id = f"{payment.message_id}/Document[{number}]"
        payments.extend(found)
    for payment in payments:
        payment.digest = digest
    paths = iso_structure.Paths()
    problems = iso_structure.repeated_singletons(root, paths)
    for payment in payments:
        for where, detail in problems:
            payment.error(where, detail)
    for item in iso_structure.leftovers(root, seen, paths):
        for payment in _owners_of(item.element, owners, payments):
            _add_leftover(payment, item)
    return payments


def _document(document, file: str, raw: str, data: bytes, seen: set, owners: dict) -> list[Payment]:
    """The payments of one ``Document``; ``owners`` learns which elements belong to which."""
    try:
        family, version = _namespace(document)
    except ValueError as exc:
        broken = [_broken(file, "unknown", "Document", str(exc), data)]
        owners[document] = broken
        return broken
    fmt = f"{family}.{version}"
    reader = _Reader(NS_PREFIX + fmt, seen)
    body = reader.find(document, ROOT_ELEMENT[family])
    if body is None:
        broken = [_broken(file, fmt, ROOT_ELEMENT[family], f"{ROOT_ELEMENT[family]} element missing", data)]
        owners[document] = broken
        return broken
    parse_body = _pacs008 if family == "pacs.008.001" else _pain001
    payments = parse_body(reader, body, fmt, file, raw, owners)
    owners[document] = payments
    return payments


def _owners_of(element, owners: dict, payments: list[Payment]) -> list[Payment]:
    """The payments an element belongs to: its transaction's, its payment block's, its
    document's, or (in the envelope) every payment of the message."""
    node = element
    while node is not None:
        found = owners.get(node)
        if found is not None:
            return found
        node = node.getparent()
    return payments


def _add_leftover(payment: Payment, item: iso_structure.Leftover) -> None:
    """A text the reader did not take, screened: a name as a party's name, an identifier as an
    identifier, anything else as free text."""
    if item.kind == "name":
        payment.parties.append(Party(role="other_name", field=item.path, name=item.text))
    elif item.kind == "bic":
        payment.agents.append(Agent(role="other_agent", field=item.path, bic=item.text))
    elif item.kind == "lei":
        payment.parties.append(Party(role="other_name", field=item.path, lei=item.text))
    else:
        payment.free_text.append(FreeText(item.path, item.text))


def _broken(file: str, fmt: str, where: str, detail: str, data: bytes) -> Payment:
    payment = Payment(
        message_id="", format=fmt, file=file, raw=data.decode("utf-8", errors="replace")[:100_000]
    )
    payment.error(where, detail)
    return payment


def _message_id(reader: _Reader, header, payment: Payment) -> str:
    reader.payment = payment
    msg_id = reader.text(header, "MsgId", "GrpHdr") if header is not None else None
    if header is None:
        payment.error("GrpHdr", "group header missing")
    elif msg_id is None:
        payment.error("GrpHdr/MsgId", "message identification missing")
    return msg_id or ""


def _ids(reader: _Reader, tx, payment: Payment, where: str) -> None:
    pmt = reader.find(tx, "PmtId")
    if pmt is None:
        payment.error(f"{where}/PmtId", "payment identification missing")
        return
    payment.instruction_id = reader.text(pmt, "InstrId", f"{where}/PmtId")
    payment.end_to_end_id = reader.text(pmt, "EndToEndId", f"{where}/PmtId")
    if payment.end_to_end_id is None:
        payment.error(f"{where}/PmtId/EndToEndId", "end-to-end identification missing")
    uetr = reader.text(pmt, "UETR", f"{where}/PmtId")
    if uetr is not None and not _UETR_RE.fullmatch(uetr):
        payment.error(f"{where}/PmtId/UETR", f"{uetr!r} is not a UUID v4")
    payment.uetr = uetr


def _add(payment: Payment, item) -> None:
    if item is None:
        return
    if isinstance(item, Party):
        payment.parties.append(item)
    else:
        payment.agents.append(item)


def _parties(reader: _Reader, holder, payment: Payment, where: str, tags) -> None:
    """Every party of ``tags`` under ``holder`` (each repeated one too), with its account."""
    for tag, role in tags:
        accounts = reader.findall(holder, f"{tag}Acct")
        for n, (node, at) in enumerate(reader.each(holder, tag, where)):
            party = reader.party(node, role, at)
            if party is not None and n < len(accounts):
                suffix = f"[{n + 1}]" if n else ""
                party.account = reader.account(accounts[n], f"{where}/{tag}Acct{suffix}")
            _add(payment, party)


def _agents(reader: _Reader, holder, payment: Payment, where: str, tags, *, mandatory: bool = False) -> None:
    for tag, role in tags:
        found = reader.each(holder, tag, where)
        if mandatory and not found:
            payment.error(f"{where}/{tag}", "mandatory agent missing")
        for node, at in found:
            _add(payment, reader.agent(node, role, at))


def _pacs008(reader: _Reader, body, fmt: str, file: str, raw: str, owners: dict) -> list[Payment]:
    header = reader.find(body, "GrpHdr")
    txs = reader.findall(body, "CdtTrfTxInf")
    probe = Payment(message_id="", format=fmt, file=file, raw=raw)
    msg_id = _message_id(reader, header, probe)
    if not txs:
        probe.error("CdtTrfTxInf", "no credit transfer transaction in the message")
        return [probe]
    declared = reader.text(header, "NbOfTxs", "GrpHdr") if header is not None else None
    payments = []
    for n, tx in enumerate(txs, start=1):
        payment = Payment(
            message_id=msg_id if len(txs) == 1 else f"{msg_id}/{n}", format=fmt, file=file, raw=raw
        )
        owners[tx] = [payment]
        payment.errors.extend(probe.errors)
        reader.payment = payment
        if declared is not None and declared != str(len(txs)):
            payment.error("GrpHdr/NbOfTxs", f"declares {declared} transactions, the message holds {len(txs)}")
        where = "CdtTrfTxInf"
        _ids(reader, tx, payment, where)
        payment.amount, payment.currency = reader.amount(tx, "IntrBkSttlmAmt", where)
        if payment.amount is None and reader.find(tx, "IntrBkSttlmAmt") is None:
            payment.error(f"{where}/IntrBkSttlmAmt", "interbank settlement amount missing")
        date = reader.text(tx, "IntrBkSttlmDt", where) or reader.text(header, "IntrBkSttlmDt", "GrpHdr")
        if date is not None and not _DATE_RE.fullmatch(date):
            payment.error(f"{where}/IntrBkSttlmDt", f"{date!r} is not an ISO date")
            date = None
        payment.value_date = date
        for level, holder in (("GrpHdr", header), (where, tx)):
            _agents(
                reader,
                holder,
                payment,
                level,
                (("InstgAgt", "instructing_agent"), ("InstdAgt", "instructed_agent")),
            )
        _agents(
            reader,
            tx,
            payment,
            where,
            [(f"PrvsInstgAgt{i}", "previous_instructing_agent") for i in (1, 2, 3)],
        )
        _agents(reader, tx, payment, where, [(f"IntrmyAgt{i}", "intermediary_agent") for i in (1, 2, 3)])
        _parties(
            reader,
            tx,
            payment,
            where,
            (
                ("UltmtDbtr", "ultimate_debtor"),
                ("InitgPty", "initiating_party"),
                ("Dbtr", "debtor"),
                ("Cdtr", "creditor"),
                ("UltmtCdtr", "ultimate_creditor"),
            ),
        )
        _agents(
            reader,
            tx,
            payment,
            where,
            (("DbtrAgt", "debtor_agent"), ("CdtrAgt", "creditor_agent")),
            mandatory=True,
        )
        for tag in ("Dbtr", "Cdtr"):
            if reader.find(tx, tag) is None:
                payment.error(f"{where}/{tag}", "mandatory party missing")
        _invoice_parties(reader, tx, payment, where)
        payment.free_text.extend(reader.free_texts(tx, where))
        payments.append(payment)
    return payments


def _invoice_parties(reader: _Reader, tx, payment: Payment, where: str) -> None:
    for n, strd in enumerate(reader.findall(tx, "RmtInf/Strd"), start=1):
        at = f"{where}/RmtInf/Strd" + (f"[{n}]" if n > 1 else "")
        _parties(reader, strd, payment, at, (("Invcr", "invoicer"), ("Invcee", "invoicee")))


def _pain001(reader: _Reader, body, fmt: str, file: str, raw: str, owners: dict) -> list[Payment]:
    header = reader.find(body, "GrpHdr")
    probe = Payment(message_id="", format=fmt, file=file, raw=raw)
    msg_id = _message_id(reader, header, probe)
    initiating = [
        party
        for node, at in reader.each(header, "InitgPty", "GrpHdr")
        if (party := reader.party(node, "initiating_party", at)) is not None
    ]
    if header is not None and not initiating:
        probe.error("GrpHdr/InitgPty", "initiating party missing")
    blocks = reader.findall(body, "PmtInf")
    if not blocks:
        probe.error("PmtInf", "no payment information block in the message")
        return [probe]
    items = [(b, tx) for b in blocks for tx in reader.findall(b, "CdtTrfTxInf")]
    if not items:
        probe.error("PmtInf/CdtTrfTxInf", "no credit transfer transaction in the message")
        return [probe]
    payments = []
    for n, (block, tx) in enumerate(items, start=1):
        payment = Payment(
            message_id=msg_id if len(items) == 1 else f"{msg_id}/{n}", format=fmt, file=file, raw=raw
        )
        owners[tx] = [payment]
        owners.setdefault(block, []).append(payment)
        payment.errors.extend(probe.errors)
        reader.payment = payment
        payment.parties.extend(initiating)
        where, tx_where = "PmtInf", "PmtInf/CdtTrfTxInf"
        reader.text(block, "PmtInfId", where)
        date_node = reader.find(block, "ReqdExctnDt")
        if date_node is not None:
            date = (
                reader.text(date_node, "Dt", f"{where}/ReqdExctnDt")
                if has_elements(date_node)
                else reader.value(date_node, f"{where}/ReqdExctnDt")
            )
            if date and _DATE_RE.fullmatch(date[:10]):
                payment.value_date = date[:10]
            else:
                payment.error(f"{where}/ReqdExctnDt", f"{date!r} is not an ISO date")
        _ids(reader, tx, payment, tx_where)
        amount_node = reader.find(tx, "Amt")
        if amount_node is None:
            payment.error(f"{tx_where}/Amt", "amount missing")
        elif reader.find(amount_node, "InstdAmt") is not None:
            payment.amount, payment.currency = reader.amount(amount_node, "InstdAmt", f"{tx_where}/Amt")
        elif reader.find(amount_node, "EqvtAmt/Amt") is not None:
            payment.amount, payment.currency = reader.amount(amount_node, "EqvtAmt/Amt", f"{tx_where}/Amt")
        else:
            payment.error(f"{tx_where}/Amt", "neither InstdAmt nor EqvtAmt/Amt")
        if reader.find(block, "Dbtr") is None:
            payment.error(f"{where}/Dbtr", "mandatory party missing")
        # the block's ultimate debtor is read even when the transaction names its own
        _parties(reader, block, payment, where, (("Dbtr", "debtor"), ("UltmtDbtr", "ultimate_debtor")))
        _agents(reader, block, payment, where, (("DbtrAgt", "debtor_agent"),), mandatory=True)
        _parties(reader, tx, payment, tx_where, (("UltmtDbtr", "ultimate_debtor"),))
        _agents(reader, tx, payment, tx_where, [(f"IntrmyAgt{i}", "intermediary_agent") for i in (1, 2, 3)])
        _agents(reader, tx, payment, tx_where, (("CdtrAgt", "creditor_agent"),))
        if reader.find(tx, "Cdtr") is None:
            payment.error(f"{tx_where}/Cdtr", "mandatory party missing")
        _parties(reader, tx, payment, tx_where, (("Cdtr", "creditor"), ("UltmtCdtr", "ultimate_creditor")))
        _invoice_parties(reader, tx, payment, tx_where)
        payment.free_text.extend(reader.free_texts(tx, tx_where))
        payments.append(payment)
    return payments
