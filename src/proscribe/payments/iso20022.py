"""ISO 20022 payment messages: pacs.008, pacs.009 (core and COV), pacs.004, pain.001, camt.056.

One reader for every family and version, driven by the declared path maps of :mod:`.iso_map`
(``iso_maps/<family>.toml``, read from the official schemas): the map says where a version holds
its parties, agents, accounts, amounts, identifiers and free text; the reader has no branch per
version. The message type and version come from the document's namespace
(``urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08``); elements are looked up in that namespace
only, so a document that borrows another version's namespace, or none, is refused rather than
half-read. A business application header (``AppHdr``) wrapped around the ``Document`` in an
envelope is allowed. XML goes through :func:`proscribe.sources.base.parse_xml` (no DTDs, no
entities, no network).

Each transaction (``CdtTrfTxInf``, ``TxInf``, ``Undrlyg/TxInf``) becomes one
:class:`~proscribe.payments.messages.Payment`. Values that break the schema's rules (length,
pattern, amount) are recorded as errors naming the element path (``CdtTrfTxInf/Cdtr/Nm``), and
the payment is held; the rest of the message is still read, so every party is screened even then.
A message that is not well-formed XML is held, and what can still be read in it (by a recovering
parse and a tolerant scan of the raw text: names, BICs, LEIs, IBANs, free text) is screened.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from decimal import Decimal, InvalidOperation

from lxml import etree

from proscribe.payments import iso_map, iso_schemas, iso_structure
from proscribe.payments.iso_structure import has_elements
from proscribe.payments.messages import Address, Agent, FreeText, ParseIssue, Party, Payment
from proscribe.sources.base import ListFormatError, local_name, parse_xml
from proscribe.text.identifiers import validate_bic
from proscribe.text.names import name_forms

NS_PREFIX = "urn:iso:std:iso:20022:tech:xsd:"

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
        party.alternatives = self.continued(el, party.name)
        return party

    def continued(self, el, name: str | None) -> list[str]:
        """A name cut where a 35- or 70-character field ends goes on in the first address line
        (a message converted from MT, a system with short name fields): the name and that line
        joined, with and without a space, are screened with the name. A name that ends with
        its legal form (``... GmbH``, ``...有限公司``) is complete: its address is not more of it."""
        if not name or _ends_with_legal_form(name):
            return []
        first = self.find(el, "PstlAdr/AdrLine")
        line = (first.text or "").strip() if first is not None and len(first) == 0 else ""
        if not line:
            return []
        return [f"{name}{line}", f"{name} {line}"]

    def fi_party(self, el, role: str, where: str) -> Party | None:
        """A financial institution as debtor or creditor (pacs.009, a return chain's ``Agt``): a
        party, so that it is screened as one, read from ``FinInstnId``."""
        if el is None:
            return None
        fin = self.find(el, "FinInstnId")
        if fin is None:
            self.error(where, "financial institution without FinInstnId")
            return Party(role=role, field=where, person=False)
        at = f"{where}/FinInstnId"
        party = Party(
            role=role,
            field=where,
            name=self.text(fin, "Nm", at),
            address=self.address(fin, at),
            bic=self.bic(fin, "BICFI", at) or self.bic(fin, "BIC", at),
            lei=self.text(fin, "LEI", at),
            person=False,
        )
        member = self.text(fin, "ClrSysMmbId/MmbId", at)
        if member:
            party.identifiers.append(("clearing member", member))
        other = self.text(fin, "Othr/Id", at)
        if other:
            party.identifiers.append(("other", other))
        if party.name is None and party.bic is None and party.lei is None and not party.identifiers:
            self.error(at, "financial institution has neither a BIC, a name, a clearing member id nor an LEI")
        party.alternatives = self.continued(fin, party.name)
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
        agent.alternatives = self.continued(fin, agent.name)
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


def _ends_with_legal_form(name: str) -> bool:
    """A name of its own words followed by its legal form. A name that is only a legal form
    (``LIMITED LIABILITY COMPANY``, cut where the field ended) is not complete."""
    forms = name_forms(name, "LegalEntity")
    if not forms:
        return False
    tokens = forms[0].tokens
    return tokens[-1].startswith("lf_") and not all(t.startswith("lf_") for t in tokens)


def _join(where: str, path: str) -> str:
    return f"{where}/{path}" if where else path


def _walk(reader: _Reader, el, rel: str, where: str) -> list[tuple[etree._Element, str]]:
    """Every element at ``rel`` below ``el`` with its path, each repeated step numbered
    (``RmtInf/Strd[2]/Invcr``), so that every occurrence is read and named."""
    nodes = [(el, where)]
    for tag in rel.split("/"):
        found = []
        for node, at in nodes:
            found.extend(
                (child, _join(at, tag) + (f"[{n}]" if n > 1 else ""))
                for n, child in enumerate(reader.findall(node, tag), 1)
            )
        nodes = found
        if not nodes:
            break
    return nodes


class _Scopes:
    """Where a map path is read from: the transaction, its block (``PmtInf``, ``Undrlyg``) or the
    message element, whichever the path begins with."""

    def __init__(self, vm: iso_map.VersionMap, body, block, tx):
        self.vm, self.body, self.block, self.tx = vm, body, block, tx

    def resolve(self, path: str) -> tuple[etree._Element | None, str, str]:
        """(holder, path below it, path of the holder)."""
        vm = self.vm
        if path.startswith("/"):
            return self.body, path[1:], ""
        if path.startswith("../"):
            return self.block, path[3:], vm.block
        if self.tx is not None and path.startswith(vm.transaction + "/"):
            return self.tx, path[len(vm.transaction) + 1 :], vm.transaction
        if vm.block and path.startswith(vm.block + "/"):
            if self.block is None:
                return None, path, ""
            return self.block, path[len(vm.block) + 1 :], vm.block
        if path.startswith(vm.transaction + "/"):
            return None, path, ""  # a transaction path and no transaction: nothing to read
        return self.body, path, ""

    def find(self, reader: _Reader, path: str) -> list[tuple[etree._Element, str]]:
        holder, rel, where = self.resolve(path)
        if holder is None:
            return []
        return _walk(reader, holder, rel, where)

    def relative(self, path: str) -> tuple[etree._Element | None, str, str]:
        """A transaction field (an amount, a date, an identifier) relative to the transaction."""
        if path.startswith("/") or path.startswith("../"):
            return self.resolve(path)
        return self.tx, path, self.vm.transaction


def _read_slot(reader: _Reader, slot: iso_map.Slot, scopes: _Scopes, payment: Payment) -> None:
    accounts = scopes.find(reader, slot.account) if slot.account else []
    for n, (node, at) in enumerate(scopes.find(reader, slot.path)):
        account = accounts[n] if n < len(accounts) else None
        holders: list[Party | Agent | None] = []
        if slot.kind == "party":
            holders.append(reader.party(node, slot.role, at))
        elif slot.kind == "fi_party":
            holders.append(reader.fi_party(node, slot.role, at))
        elif slot.kind == "agent":
            holders.append(reader.agent(node, slot.role, at))
        else:  # a choice: a party (Pty) or a financial institution (Agt)
            picks = [(tag, el) for tag in ("Pty", "Agt") if (el := reader.find(node, tag)) is not None]
            if not picks:
                reader.error(at, "holds neither a party (Pty) nor an agent (Agt)")
            elif len(picks) > 1:
                reader.error(at, "holds both a party (Pty) and an agent (Agt); the schema allows one")
            for tag, el in picks:
                read = reader.party if tag == "Pty" else reader.fi_party
                holders.append(read(el, slot.role, f"{at}/{tag}"))
        for holder in holders:
            if holder is not None and account is not None:
                holder.account = reader.account(account[0], account[1])
            _add(payment, holder)


def _read_free_text(reader: _Reader, vm: iso_map.VersionMap, scopes: _Scopes, payment: Payment) -> None:
    """One piece per element, in message order; repeated elements of one field (each ``Ustrd``)
    share the field and are numbered 1, 2, ... (``line``), so that the free-text reader joins
    them in order (:mod:`proscribe.payments.reading`); a field of one element is a whole field
    (``line`` 0)."""
    for path in vm.texts:
        found = [(node, at) for node, at in scopes.find(reader, path) if not has_elements(node)]
        # (an element with children is a container: InstrForDbtrAgt in later versions)
        pieces: dict[str, list[tuple[int, str]]] = {}
        for node, at in found:
            value = reader.value(node, at)
            if not value:
                continue
            match = _NUMBERED.search(at)
            field = at[: match.start()] if match else at
            pieces.setdefault(field, []).append((int(match.group(1)) if match else 1, value))
        for field, items in pieces.items():
            alone = len(items) == 1  # one element is the whole field (line 0)
            for line, value in items:
                payment.free_text.append(FreeText(field, value, 0 if alone else line))


_NUMBERED = re.compile(r"\[(\d+)\]$")


def _amount(reader: _Reader, vm: iso_map.VersionMap, scopes: _Scopes, payment: Payment) -> None:
    for path in vm.amount:
        holder, rel, where = scopes.relative(path)
        if holder is not None and reader.find(holder, rel) is not None:
            payment.amount, payment.currency = reader.amount(holder, rel, where)
            return
    if vm.amount_required:
        payment.error(_join(vm.transaction, vm.amount[0]), "amount missing")


def _date(reader: _Reader, vm: iso_map.VersionMap, scopes: _Scopes, payment: Payment) -> None:
    for path in vm.date:
        holder, rel, where = scopes.relative(path)
        node = reader.find(holder, rel) if holder is not None else None
        if node is None or has_elements(node):
            continue
        at = _join(where, rel)
        value = reader.value(node, at)
        if value and _DATE_RE.fullmatch(value[:10]):
            payment.value_date = value[:10]
        else:
            payment.error(at, f"{value!r} is not an ISO date")
        return


def _ids(reader: _Reader, vm: iso_map.VersionMap, tx, payment: Payment) -> None:
    where = vm.transaction
    if vm.instruction:
        payment.instruction_id = reader.text(tx, vm.instruction, where)
    payment.end_to_end_id = reader.text(tx, vm.end_to_end, where)
    if payment.end_to_end_id is None and vm.end_to_end_required:
        head = vm.end_to_end.split("/")[0]
        if "/" in vm.end_to_end and reader.find(tx, head) is None:
            payment.error(_join(where, head), "payment identification missing")
        else:
            payment.error(_join(where, vm.end_to_end), "end-to-end identification missing")
    if vm.uetr:
        uetr = reader.text(tx, vm.uetr, where)
        if uetr is not None and not _UETR_RE.fullmatch(uetr):
            payment.error(_join(where, vm.uetr), f"{uetr!r} is not a UUID v4")
        payment.uetr = uetr


def _required(reader: _Reader, vm: iso_map.VersionMap, scopes: _Scopes, payment: Payment) -> None:
    kinds = {slot.path: slot.kind for slot in vm.slots}
    for path in sorted(vm.required):
        if path.startswith(vm.transaction + "/") and scopes.tx is None:
            continue
        if not scopes.find(reader, path):
            what = "agent" if kinds.get(path) == "agent" else "party"
            payment.error(path, f"mandatory {what} missing")


def _message_id(reader: _Reader, vm: iso_map.VersionMap, body, payment: Payment) -> str:
    reader.payment = payment
    head = vm.message_id.split("/")[0]
    if reader.find(body, head) is None:
        payment.error(head, "group header missing" if head == "GrpHdr" else f"{head} missing")
        return ""
    msg_id = reader.text(body, vm.message_id, "")
    if msg_id is None:
        payment.error(vm.message_id, "message identification missing")
    return msg_id or ""


def _transactions(reader: _Reader, vm: iso_map.VersionMap, body, file: str, raw: str, owners: dict):
    """The payments of one message element, one per transaction, every slot of the map read."""
    probe = Payment(message_id="", format=vm.fmt, file=file, raw=raw)
    msg_id = _message_id(reader, vm, body, probe)
    txs = reader.findall(body, vm.transaction)
    if not txs:
        if vm.transactions_required:
            probe.error(vm.transaction, f"no transaction ({vm.transaction}) in the message")
            return [probe]
        txs = [None]  # a recall of a whole group: the parties the message names are still read
    declared = reader.text(body, vm.count, "") if vm.count else None
    payments = []
    for n, tx in enumerate(txs, start=1):
        payment = Payment(
            message_id=msg_id if len(txs) == 1 else f"{msg_id}/{n}", format=vm.fmt, file=file, raw=raw
        )
        payment.errors.extend(probe.errors)
        reader.payment = payment
        block = tx.getparent() if tx is not None and vm.block else None
        if tx is not None:
            owners[tx] = [payment]
        if block is not None:
            owners.setdefault(block, []).append(payment)
        if declared is not None and tx is not None and declared != str(len(txs)):
            payment.error(vm.count, f"declares {declared} transactions, the message holds {len(txs)}")
        scopes = _Scopes(vm, body, block, tx)
        if tx is not None:
            _ids(reader, vm, tx, payment)
            _amount(reader, vm, scopes, payment)
            _date(reader, vm, scopes, payment)
        blocks = [block] if tx is not None else reader.findall(body, vm.block) if vm.block else []
        for slot in vm.slots:
            holder, _rel, _where = scopes.resolve(slot.path)
            if tx is None and vm.block and slot.path.startswith(vm.block + "/"):
                for each in blocks:  # no transaction: every block's own parties
                    _read_slot(reader, slot, _Scopes(vm, body, each, None), payment)
                continue
            _read_slot(reader, slot, scopes, payment)
        _required(reader, vm, scopes, payment)
        _read_free_text(reader, vm, scopes, payment)
        payments.append(payment)
    return payments


def _family(document) -> tuple[iso_map.VersionMap, str]:
    """The map of a document's family and version, or ValueError naming what is wrong."""
    ns = etree.QName(document).namespace or ""
    match = _NS_RE.fullmatch(ns)
    if not match:
        raise ValueError(f"namespace {ns or '(none)'!r} is not an ISO 20022 message namespace")
    family, version = match.group(1), match.group(2)
    declared = iso_map.families().get(family)
    if declared is None:
        known = ", ".join(sorted(name.rsplit(".", 1)[0] for name in iso_map.families()))
        raise ValueError(f"message type {family}.{version} is not supported ({known} only)")
    vm = declared.version(int(version))
    if vm is None:
        raise ValueError(
            f"{family}.{version} is not a supported version (versions {declared.raw['versions']} are read)"
        )
    return vm, ns


def detect_namespace(root) -> tuple[str, str, etree._Element]:
    """(family, version, Document element) or raise ValueError naming what is wrong."""
    document = root
    if local_name(root) != "Document":
        document = next(
            (el for el in root.iter() if isinstance(el.tag, str) and local_name(el) == "Document"), None
        )
        if document is None:
            raise ValueError(f"root element {local_name(root)!r} is not an ISO 20022 Document")
    vm, _ns = _family(document)
    return vm.family, f"{vm.version:02d}", document


def parse(data: bytes, file: str = "") -> list[Payment]:
    """Every transaction of an ISO 20022 document; never raises for bad content.

    Every ``Document`` of an envelope is read (more than one is an error); every element the
    schema allows once and that is repeated is an error naming its path, and read all the same;
    whatever text the reader did not take is screened apart (:mod:`.iso_structure`). A message
    that is not well-formed is held and what is readable in it screened (:func:`_salvage`)."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        # no parser sees it (entity expansion); the raw text is still scanned for names
        return _salvage(
            data, file, "DOCTYPE", "a payment message may not carry a DTD or entity declarations", recover=False
        )
    try:
        root = parse_xml(io.BytesIO(data), label=file or "message")
    except ListFormatError as exc:
        detail = f"malformed XML: {exc.where or ''} {exc.message}".strip()
        return _salvage(data, file, "Document", detail)
    except Exception as exc:  # noqa: BLE001 - whatever the XML layer raises, the message is held
        return _salvage(data, file, "Document", f"unreadable XML: {type(exc).__name__}: {exc}")
    return _read(root, data, file)


def _read(root, data: bytes, file: str) -> list[Payment]:
    raw = data.decode("utf-8", errors="replace")
    digest = hashlib.sha256(data).hexdigest()
    paths = iso_structure.Paths()
    documents = list(root.iter("{*}Document"))
    if not documents:
        broken = _broken(
            file, "unknown", "Document", f"root element {local_name(root)!r} is not an ISO 20022 Document", data
        )
        for item in iso_structure.leftovers(root, set(), paths):
            _add_leftover(broken, item)
        broken.digest = digest
        return [broken]
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
        vm, ns = _family(document)
    except ValueError as exc:
        broken = [_broken(file, "unknown", "Document", str(exc), data)]
        owners[document] = broken
        return broken
    reader = _Reader(ns, seen)
    body = reader.find(document, vm.root)
    if body is None:
        other = next((el for el in document if isinstance(el.tag, str)), None)
        if other is not None and etree.QName(other).namespace == ns:
            where, detail = "Document", (
                f"a {vm.fmt} document holds {local_name(other)!r}; its message element is {vm.root!r}"
            )
        else:
            where, detail = vm.root, f"{vm.root} element missing"
        broken = [_broken(file, vm.fmt, where, detail, data)]
        owners[document] = broken
        return broken
    payments = _transactions(reader, vm, body, file, raw, owners)
    invalid = iso_schemas.problem(document, ns)
    if invalid:
        for payment in payments:
            payment.error("Document", invalid)
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


def _add(payment: Payment, item) -> None:
    if item is None:
        return
    if isinstance(item, Party):
        payment.parties.append(item)
    else:
        payment.agents.append(item)


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


# -- messages that are not well-formed ----------------------------------------------------------------

#: Elements whose text a tolerant scan of a broken message screens, by what they hold.
SALVAGED = {
    **{tag: "name" for tag in ("Nm",)},
    **{tag: "bic" for tag in iso_structure.BIC_ELEMENTS},
    "LEI": "lei",
    **{
        tag: "text"
        for tag in (
            "IBAN",
            "Ustrd",
            "InstrInf",
            "AddtlRmtInf",
            "AddtlInf",
            "Inf",
            "AdrLine",
            "StrtNm",
            "TwnNm",
            "CtrySubDvsn",
        )
    },
}
_MARKUP = re.compile(r"<!--.*?(?:-->|$)|<!\[CDATA\[.*?(?:\]\]>|$)|<[!?][^>]*>?|<(/?)(?:[\w.\-]+:)?([\w.\-]+)[^<>]*?(/?)>", re.S)
_FAMILY_NS = re.compile(r"urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3}\.\d{3}\.\d{2})")


def scan_raw(text: str) -> list[tuple[str, str, str]]:
    """(path, kind, value) of every element of :data:`SALVAGED` in a text that may be broken
    anywhere (truncated, unbalanced, bad characters): tags are followed with a forgiving stack
    (an end tag closes up to its start tag; one never opened is ignored), a value runs to the
    next ``<`` or the end of the text, references are decoded. Nothing is expanded or fetched."""
    stack: list[str] = []
    out: list[tuple[str, str, str]] = []
    bodies = iso_structure.Paths.BODIES
    matches = list(_MARKUP.finditer(text))
    for n, match in enumerate(matches):
        name = match.group(2)
        if name is None:
            continue  # comment, CDATA, declaration, processing instruction
        if match.group(1):  # an end tag
            if name in stack:
                while stack and stack.pop() != name:
                    pass
            continue
        if match.group(3):  # empty element
            continue
        stack.append(name)
        kind = SALVAGED.get(name)
        if kind is None:
            continue
        end = matches[n + 1].start() if n + 1 < len(matches) else len(text)
        value = html.unescape(text[match.end() : end]).strip()
        if not value:
            continue
        inner = [tag for tag in stack if tag not in bodies]
        out.append(("/".join(inner) or name, kind, value[:1000]))
    return out


def _salvage(data: bytes, file: str, where: str, detail: str, *, recover: bool = True) -> list[Payment]:
    """A message that is not well-formed XML: held with the error, and everything readable in it
    screened. A recovering parse (no entities, no DTD, no network) reads what it can with the
    declared maps; a tolerant scan of the raw text (:func:`scan_raw`) adds every name, BIC, LEI,
    IBAN and free text the recovered tree lost, so a hold names a listed party the message holds."""
    payments: list[Payment] = []
    if recover:
        try:
            parser = etree.XMLParser(
                recover=True, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
            )
            root = etree.fromstring(data, parser)
        except Exception:  # noqa: BLE001 - nothing recoverable: the raw scan still runs
            root = None
        if root is not None and next(root.iter("{*}Document"), None) is not None:
            payments = _read(root, data, file)
    if not payments:
        text = data.decode("utf-8", errors="replace")
        found = _FAMILY_NS.search(text)
        payments = [_broken(file, found.group(1) if found else "unknown", where, detail, data)]
    else:
        for payment in payments:
            payment.errors.insert(0, ParseIssue(where, detail))
    digest = hashlib.sha256(data).hexdigest()
    have = set()
    for payment in payments:
        payment.digest = digest
        for holder in [*payment.parties, *payment.agents]:
            have.update(x for x in (holder.name, holder.bic, holder.lei) if x)
        have.update(item.text for item in payment.free_text)
    items = [item for item in scan_raw(data.decode("utf-8", errors="replace")) if item[2] not in have]
    for payment in payments:
        for path, kind, value in items:
            _add_leftover(payment, iso_structure.Leftover(None, path, kind, value))
    return payments
