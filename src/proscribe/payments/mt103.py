"""SWIFT MT payment messages: MT103 (and its STP and REMIT variants), MT202 and MT202 COV, MT101.

Block 1 (basic header) gives the sender's logical terminal, block 2 (application header) the
message type and the receiver, block 3 (user header) the validation flag (tag 119: ``STP``,
``REMIT``, ``COV``) and the UETR (tag 121), block 4 the text fields, block 5 the trailer. Which
fields, letter options and sequences a type has, and every field's format, are declared in
``mt_types.toml`` (:mod:`.mt_spec`); every value is checked against its format (line count,
width, character set X, BIC, date, amount with a decimal comma, code lists), and a violation is
an error naming the field (``32A``, ``59F``, ``B/50K``), so the payment is held.

What is screened: the parties (50a, 59a; MT202's 52a and 58a, the institutions that are the
debtor and creditor of a bank-to-bank transfer; MT202 COV's sequence B, the underlying customer
credit transfer, under ``B/`` field names), the institutions, the free text (70, 72, 77B, 77T;
one piece per line, read together and cited by field and line by :mod:`.reading`).
An MT101 gives one payment per transaction (sequence B), each with what sequence A says for all.

A broken message is still read as far as it goes: a truncated text block, a bad header, an
unsupported message type or characters outside the set still give every field that can be cut
out, read by what its number means (50a a customer, 52a to 58a an institution, anything else free
text), so a held message names any listed party it holds. A file may hold several messages one
after another.
"""

from __future__ import annotations

import copy
import hashlib
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from proscribe.payments.messages import AGENT_ROLES, PARTY_ROLES, Agent, FreeText, ParseIssue, Payment
from proscribe.payments.mt_format import X_CHARS, Z_CHARS
from proscribe.payments.mt_parties import as_party, check_bic, customer, institution, name_readings
from proscribe.payments.mt_spec import Placed, SequenceRun, SequenceSpec, TypeSpec, load, place, type_for

__all__ = ["looks_like_mt", "name_readings", "parse", "parse_one", "split_messages"]

_FIELD_RE = re.compile(r"^:(\d{2}[A-Z]?):", re.MULTILINE)
_BLOCK_START = re.compile(r"\{([1-5]):")
_AMOUNT_RE = re.compile(r"\d{1,14},\d{0,14}")
_UETR_RE = re.compile(r"[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}")
_X_RE = re.compile(f"[{X_CHARS}\\n]*")
_Z_RE = re.compile(f"[{Z_CHARS}]*")
#: Roles of institutions by field number, for a field the declared type does not have.
INSTITUTION_ROLES = {
    "51": "instructing_agent",
    "52": "debtor_agent",
    "53": "senders_correspondent",
    "54": "receivers_correspondent",
    "55": "third_reimbursement_institution",
    "56": "intermediary_agent",
    "57": "creditor_agent",
    "58": "creditor",
}


def looks_like_mt(data: bytes) -> bool:
    head = data.lstrip()[:8]
    return head.startswith(b"{1:") or head.startswith(b"{2:") or head.startswith(b":20:")


def split_messages(text: str) -> list[str]:
    """Messages one after another in a file, each starting at ``{1:``."""
    starts = [m.start() for m in re.finditer(r"\{1:", text)]
    if len(starts) <= 1:
        return [text]
    return [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)], strict=True)]


def parse(data: bytes, file: str = "") -> list[Payment]:
    """Every payment of every message in ``data``; never raises for bad content."""
    undecodable = False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text, undecodable = data.decode("latin-1"), True  # still read: what is readable is screened
    payments = []
    for chunk in split_messages(text.replace("\r\n", "\n").strip()):
        digest = hashlib.sha256(chunk.strip().encode("utf-8")).hexdigest()
        for payment in parse_one(chunk, file):
            if undecodable:
                payment.errors.insert(0, _issue("message", "not valid UTF-8 / SWIFT character set"))
            payment.digest = digest
            payments.append(payment)
    return payments


def _issue(field: str, detail: str) -> ParseIssue:
    return ParseIssue(field, detail)


# -- free text ------------------------------------------------------------------------------------


def _free_text(payment: Payment, field: str, tag: str, value: str) -> None:
    """One piece per line of the field, numbered as the field's lines, so screening reads them
    together as a reader does (:mod:`.reading`: lines joined, a word broken at a line end
    rejoined) and cites a hit by field and line. Field 72's ``//`` marks a line that continues
    the narrative of the line before: the marker is not part of the text."""
    for n, line in enumerate(value.split("\n"), start=1):
        if tag == "72" and line.startswith("//"):
            line = line[2:]
        if line.strip():
            payment.free_text.append(FreeText(field, line, n))


# -- envelope -------------------------------------------------------------------------------------


def _blocks(text: str, payment: Payment) -> dict[str, str]:
    """Blocks by number; nested braces (block 3 and 5 sub-blocks) kept inside their block."""
    blocks: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        match = _BLOCK_START.match(text, pos)
        if not match:
            payment.error("message", f"unexpected text at character {pos}: {text[pos : pos + 20]!r}")
            break
        number = match.group(1)
        depth, i = 1, match.end()
        if number == "4":
            end = text.find("\n-}", i)
            if end < 0:
                payment.error("4", "block 4 is not terminated by '-}' (truncated message)")
                trailer = text.find("{5:", i)  # a trailer after an unterminated text block
                blocks["4"] = text[i:trailer] if trailer >= 0 else text[i:]
                if trailer < 0:
                    break
                pos = trailer
                continue
            blocks["4"] = text[i : end + 1]
            pos = end + 3
            continue
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        if depth:
            payment.error(number, f"block {number} is not closed (truncated message)")
            blocks[number] = text[match.end() :]
            break
        if number in blocks:
            payment.error(number, f"block {number} appears twice")
        blocks[number] = text[match.end() : i - 1]
        pos = i
    return blocks


def _header(blocks: dict[str, str], payment: Payment) -> tuple[str | None, str]:
    """(message type, validation flag) from blocks 2 and 3; the sender and receiver as agents."""
    b1 = blocks.get("1")
    if b1 is None:
        payment.error("1", "basic header block missing")
    elif not re.fullmatch(r"F01[A-Z0-9]{12}\d{4}\d{6}", b1):
        payment.error("1", f"basic header {b1!r} is not F01 + 12-character LT address + session + sequence")
    else:
        bic = b1[3:11] + (b1[12:15] if b1[12:15] != "XXX" else "")
        check_bic(bic, "1", payment.error)
        payment.agents.append(Agent(role="sender", field="1", bic=bic))
    flag = _user_header(blocks.get("3"), payment)
    b2 = blocks.get("2")
    if b2 is None:
        payment.error("2", "application header block missing")
        return None, flag
    mtype = b2[1:4]
    if b2[:1] not in ("I", "O") or not mtype.isdigit() or len(mtype) != 3:
        payment.error("2", f"application header {b2!r} is not I/O + message type")
        return None, flag
    if b2[0] == "I":
        if not re.fullmatch(r"I\d{3}[A-Z0-9]{12}([SUN]([123]\d{0,3})?)?", b2):
            payment.error("2", f"input application header {b2!r} malformed")
            return mtype, flag
        address = b2[4:16]
    else:
        if not re.fullmatch(r"O\d{3}\d{4}\d{6}[A-Z0-9]{12}\d{4}\d{6}\d{6}\d{4}[SUN]?", b2):
            payment.error("2", f"output application header {b2!r} malformed")
            return mtype, flag
        address = b2[14:26]
    bic = address[:8] + (address[9:12] if address[9:12] != "XXX" else "")
    check_bic(bic, "2", payment.error)
    payment.agents.append(Agent(role="receiver", field="2", bic=bic))
    return mtype, flag


def _user_header(b3: str | None, payment: Payment) -> str:
    flag = ""
    if not b3:
        return flag
    for tag, value in re.findall(r"\{(\d{3}):([^}]*)\}", b3):
        if tag == "121":
            if not _UETR_RE.fullmatch(value):
                payment.error("3/121", f"UETR {value!r} is not a UUID v4")
            payment.uetr = value
        elif tag == "108" and len(value) > 16:
            payment.error("3/108", "message user reference longer than 16 characters")
        elif tag == "119":
            flag = value.strip()
    return flag


def _trailer(b5: str | None, payment: Payment) -> None:
    if b5 is None:
        return
    rest = re.sub(r"\{(CHK|MAC|PDE|PDM|DLM|TNG|PAC|SYS|MRF):[^{}]*\}", "", b5).strip()
    if rest:
        payment.error("5", f"trailer block has unexpected content {rest[:20]!r}")
    chk = re.search(r"\{CHK:([^}]*)\}", b5)
    if chk and not re.fullmatch(r"[0-9A-F]{12}", chk.group(1)):
        payment.error("5/CHK", f"checksum {chk.group(1)!r} is not 12 hexadecimal characters")


def _fields(body: str, payment: Payment) -> list[tuple[str, str]]:
    body = body.strip("\n")
    matches = list(_FIELD_RE.finditer(body))
    if not matches:
        payment.error("4", "text block holds no fields")
        if body.strip():  # whatever it holds is still screened
            return [("4", body)]
        return []
    fields = []
    if matches[0].start() != 0:
        payment.error("4", f"text before the first field: {body[: matches[0].start()][:20]!r}")
        fields.append(("4", body[: matches[0].start()]))
    for match, nxt in zip(matches, matches[1:] + [None], strict=True):
        fields.append((match.group(1), body[match.end() : nxt.start() if nxt else len(body)].rstrip("\n")))
    return fields


# -- the type and its sequences -------------------------------------------------------------------


def _choose_type(
    mtype: str | None, flag: str, fields: list[tuple[str, str]], payment: Payment
) -> TypeSpec | None:
    """The declared type of the message, or None when it is not one read here. A text block that
    does not fit the declared type but fits another is an error on block 2 (or on the validation
    flag, when a variant of the same type fits: an MT202 carrying a customer transfer without
    ``{119:COV}`` is read as an MT202 COV)."""
    types = list(load()[1].values())
    supported = sorted({f"MT{t.message_type}" for t in types})
    if mtype is None:
        return None
    spec = type_for(mtype, flag)
    if spec is None:
        if not any(t.message_type == mtype for t in types):
            payment.error(
                "2", f"message type MT{mtype} is not supported ({', '.join(supported)}); its text is screened"
            )
            return None
        payment.error("3/119", f"validation flag {flag!r} is not one of MT{mtype}'s")
        spec = type_for(mtype, "")
    tags = [tag for tag, _ in fields if tag != "4"]
    foreign = [tag for tag in dict.fromkeys(tags) if not spec.allows(tag)]
    if not foreign:
        return spec
    fits = [t for t in types if t is not spec and all(t.allows(tag) for tag in tags)]
    same = [t for t in fits if t.message_type == mtype]
    if same and not spec.flag:
        wanted = same[0]
        payment.error(
            "3/119",
            f"the text block holds fields of {wanted.label} ({', '.join(foreign)}) but block 3 lacks "
            f"{{119:{wanted.flag}}}; read as {wanted.label}",
        )
        return wanted
    if fits and not same:
        payment.error(
            "2",
            f"block 2 declares {spec.label} but the text block holds fields of {fits[0].label} "
            f"({', '.join(foreign)})",
        )
    return spec


def _fallback_role(tag: str) -> str:
    """The role of a field the declared type lacks (or of any field of an unsupported type): what
    another type means by it, else by its number (50, 59 customers; 51 to 58 institutions), else
    free text, so that nothing readable goes unscreened."""
    for spec in load()[1].values():
        for seq in spec.sequences:
            for entry in seq.fields:
                if tag in entry.tags:
                    return entry.role or ("text" if tag[:1] == "7" else "")
    number = tag[:2]
    if number == "50":
        return "debtor"
    if number == "59":
        return "creditor"
    return INSTITUTION_ROLES.get(number, "text")


# -- reading the fields ---------------------------------------------------------------------------


class _Reader:
    """Checks and reads the fields of one message of one type into payments."""

    def __init__(self, spec: TypeSpec | None):
        self.spec = spec
        self.formats = load()[0]

    def check(self, placed: Placed, field: str, payment: Payment) -> str | None:
        """Character set, lines, widths and codes checked (errors on ``payment``); a value that
        still does not match its format is returned, to be reported only when reading the
        field found nothing more precise to say."""
        tag, value = placed.tag, placed.value
        mismatch = None
        fmt = self.formats.get(tag)
        charset = _Z_RE if fmt is not None and fmt.charset == "z" else _X_RE
        if not charset.fullmatch(value):
            allowed = _Z_RE if charset is _Z_RE else _X_RE
            bad = sorted({ch for ch in value if not allowed.fullmatch(ch)})
            payment.error(
                field,
                f"characters outside the SWIFT {fmt.charset.upper() if fmt else 'X'} set: {''.join(bad)!r}",
            )
            return None
        if fmt is None or placed.spec is None:
            return None
        lines = value.split("\n")
        shaped = True
        if len(lines) > fmt.max_lines:
            payment.error(field, f"{len(lines)} lines; field {tag} allows at most {fmt.max_lines}")
            shaped = False
        for n, line in enumerate(lines, start=1):
            if not line and fmt.charset == "x":
                # x lines hold 1 to their width characters: an empty line is no line of the field
                payment.error(
                    field, f"line {n} is empty; lines of field {tag} hold 1 to {fmt.width} characters"
                )
                shaped = False
            elif len(line) > fmt.width:
                payment.error(field, f"line {n} has {len(line)} characters; field {tag} allows {fmt.width}")
                shaped = False
        if shaped and not fmt.matches(value):
            mismatch = f"{value[:40]!r} does not match the format of field {tag} ({fmt.notation})"
        codes = (self.spec.codes if self.spec else {}).get(tag)
        if codes is not None:
            code = value[:4].split("/")[0] if tag == "23E" else value.strip()
            if code not in codes:
                payment.error(field, f"code {code!r} is not one of {', '.join(sorted(codes))}")
        return mismatch

    def read(self, run: SequenceRun, payment: Payment) -> None:
        for field, detail in run.errors:
            payment.error(field, detail)
        for placed in run.fields:
            field = run.prefix + placed.tag if placed.tag != "4" else "4"
            mismatch = self.check(placed, field, payment) if placed.tag != "4" else None
            role = placed.spec.role if placed.spec is not None else _fallback_role(placed.tag)
            before = len(payment.errors)
            self._apply(placed.tag, field, placed.value, role, payment)
            if mismatch and not any(issue.field == field for issue in payment.errors[before:]):
                payment.error(field, mismatch)

    def _apply(self, tag: str, field: str, value: str, role: str, payment: Payment) -> None:
        number = tag[:2]
        if number in ("50", "59") and role in PARTY_ROLES:
            party = customer(tag, field, value, role, payment.error)
            if self.spec is not None and tag in self.spec.account_required and party.account is None:
                payment.error(field, f"{self.spec.label} needs the account in field {tag}")
            payment.parties.append(party)
        elif "51" <= number <= "58" and (
            role in PARTY_ROLES or role in AGENT_ROLES or role in INSTITUTION_ROLES.values()
        ):
            agent = institution(tag, field, value, role, payment.error)
            if role in PARTY_ROLES:
                payment.parties.append(as_party(agent, role))
            else:
                payment.agents.append(agent)
        elif role == "text":
            _free_text(payment, field, tag, value)
        elif role in ("reference", "related", "transaction"):
            ref = value.strip()
            if ref.startswith("/") or ref.endswith("/") or "//" in ref:
                payment.error(field, f"reference {ref!r} may not start or end with '/' nor contain '//'")
            if role == "reference":
                payment.message_id = payment.instruction_id = ref
            elif role == "transaction":
                payment.instruction_id = payment.end_to_end_id = ref
        elif role == "settlement":
            match = re.fullmatch(r"(\d{6})([A-Z]{3})(.*)", value)
            if not match:
                payment.error(field, f"{value!r} is not 6!n3!a15d (YYMMDD, currency, amount)")
                return
            yymmdd, payment.currency, amount = match.groups()
            payment.value_date = _date(yymmdd, field, payment)
            payment.amount = _amount(field, amount, payment)
        elif role == "amount":
            match = re.fullmatch(r"([A-Z]{3})(.*)", value)
            if not match:
                payment.error(field, f"{value!r} is not 3!a15d (currency, amount)")
                return
            payment.currency = match.group(1)
            payment.amount = _amount(field, match.group(2), payment)
        elif role == "execution_date":
            payment.value_date = _date(value.strip(), field, payment)
        elif role == "instructed" and not re.fullmatch(r"[A-Z]{3}\d{1,14},\d{0,14}", value):
            payment.error(field, f"{value!r} is not 3!a15d (currency, amount)")


def _date(yymmdd: str, field: str, payment: Payment) -> str | None:
    try:
        if not re.fullmatch(r"\d{6}", yymmdd):
            raise ValueError
        return date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])).isoformat()
    except ValueError:
        payment.error(field, f"date {yymmdd!r} is not a date (YYMMDD)")
        return None


def _amount(field: str, text: str, payment: Payment) -> Decimal | None:
    if not _AMOUNT_RE.fullmatch(text) or len(text) > 15:
        payment.error(field, f"amount {text!r} is not 15d (digits with one decimal comma)")
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern guards this
        payment.error(field, f"amount {text!r} cannot be read")
        return None


# -- one message ----------------------------------------------------------------------------------


def parse_one(text: str, file: str = "") -> list[Payment]:
    """The payments of one message: one, or one per transaction of an MT101."""
    payment = Payment(message_id="", format="MT", file=file, raw=text)
    if text.startswith(":20:"):
        text = "{4:\n" + text + ("" if text.rstrip().endswith("-}") else "\n-}")
    blocks = _blocks(text, payment)
    mtype, flag = _header(blocks, payment)
    payment.format = f"MT{mtype}" if mtype else "MT"
    if "4" not in blocks:
        payment.error("4", "text block (block 4) missing")
        return [payment]
    fields = _fields(blocks["4"], payment)
    spec = _choose_type(mtype, flag, fields, payment)
    _trailer(blocks.get("5"), payment)
    if payment.uetr:
        payment.end_to_end_id = payment.uetr
    if spec is None:  # not a type read here: every field by what its number means
        reader = _Reader(None)
        reader.read(
            SequenceRun(
                SequenceSpec("", ()), 1, [Placed(t, v, None, i) for i, (t, v) in enumerate(fields, 1)]
            ),
            payment,
        )
        return [payment]
    payment.format = spec.label
    reader = _Reader(spec)
    runs = place(fields, spec)
    if not spec.per_transaction:
        for run in runs:
            reader.read(run, payment)
        return [payment]
    return _transactions(spec, reader, runs, payment)


def _transactions(
    spec: TypeSpec, reader: _Reader, runs: list[SequenceRun], template: Payment
) -> list[Payment]:
    """One payment per occurrence of the transaction sequence (MT101 B), each starting from
    what the message and sequence A say."""
    common = [run for run in runs if run.spec.name != spec.per_transaction]
    own = [run for run in runs if run.spec.name == spec.per_transaction]
    for run in common:
        reader.read(run, template)
    if not own:
        return [template]
    shared_roles = {p.role for p in template.parties} | {a.role for a in template.agents}
    payments = []
    for n, run in enumerate(own, start=1):
        payment = copy.deepcopy(template)
        before = len(payment.parties), len(payment.agents)
        reader.read(run, payment)
        own_roles = {p.role for p in payment.parties[before[0] :]} | {
            a.role for a in payment.agents[before[1] :]
        }
        for role in spec.a_or_b:
            if role in own_roles and role in shared_roles:
                payment.error(
                    run.prefix + _field_of(run, role),
                    f"{role.replace('_', ' ')} given in sequence A and again in this transaction",
                )
        for role in spec.a_or_b_required:
            if role not in own_roles and role not in shared_roles:
                payment.error(
                    run.prefix + _field_of(run, role),
                    f"{role.replace('_', ' ')} missing: neither sequence A nor this transaction gives it",
                )
        if len(own) > 1:
            payment.message_id = f"{template.message_id}/{n}"
        payments.append(payment)
    return payments


def _field_of(run: SequenceRun, role: str) -> str:
    """The field that carries ``role`` in the run's sequence (``50a`` for the debtor)."""
    return next((entry.name for entry in run.spec.fields if entry.role == role), role)
