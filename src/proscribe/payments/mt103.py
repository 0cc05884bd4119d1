"""SWIFT MT103 (single customer credit transfer), blocks 1 to 5.

Block 1 (basic header) gives the sender's logical terminal, block 2 (application header) the
message type and the receiver, block 3 (user header) the UETR (tag 121), block 4 the text fields,
block 5 the trailer. Fields read from block 4: 20, 23B, 32A, 33B, 50A/F/K, 52A/D, 53A/B/D,
54A/D, 55A, 56A/C/D, 57A/B/C/D, 59/59A/59F, 70, 71A, 72, 77B. Every value is checked against its
SWIFT format (length, line count, character set X, BIC shape, date, amount with a decimal comma);
a violation is an error naming the field (``32A``, ``59F line 2``), and the payment is held.
A file may hold several messages one after another.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from proscribe.payments.messages import Address, Agent, FreeText, Party, Payment
from proscribe.text.identifiers import validate_bic

#: SWIFT character set X.
_X_RE = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]*")
_FIELD_RE = re.compile(r"^:(\d{2}[A-Z]?):", re.MULTILINE)
_BLOCK_START = re.compile(r"\{([1-5]):")
_AMOUNT_RE = re.compile(r"\d{1,14},\d{0,14}")
_BIC_RE = re.compile(r"[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?")
_UETR_RE = re.compile(r"[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}")
_PARTY_ID_RE = re.compile(r"/[A-Z]?/?.{0,34}|/.{1,34}")

BANK_OPERATION_CODES = {"CRED", "CRTS", "SPAY", "SPRI", "SSTD"}
CHARGE_CODES = {"BEN", "OUR", "SHA"}
MANDATORY = ("20", "23B", "32A", "71A")
KNOWN_TAGS = {
    "13C",
    "20",
    "23B",
    "23E",
    "26T",
    "32A",
    "33B",
    "36",
    "50A",
    "50F",
    "50K",
    "51A",
    "52A",
    "52D",
    "53A",
    "53B",
    "53D",
    "54A",
    "54B",
    "54D",
    "55A",
    "55B",
    "55D",
    "56A",
    "56C",
    "56D",
    "57A",
    "57B",
    "57C",
    "57D",
    "59",
    "59A",
    "59F",
    "70",
    "71A",
    "71F",
    "71G",
    "72",
    "77B",
    "77T",
}
#: (lines, characters per line) per field, from the MT103 field specifications.
SHAPE = {
    "20": (1, 16),
    "23B": (1, 4),
    "70": (4, 35),
    "72": (6, 35),
    "77B": (3, 35),
    "71A": (1, 3),
    "33B": (1, 18),
    "32A": (1, 24),
}

AGENT_FIELDS = {
    "52": ("debtor_agent", "ordering institution"),
    "53": ("senders_correspondent", "sender's correspondent"),
    "54": ("receivers_correspondent", "receiver's correspondent"),
    "55": ("third_reimbursement_institution", "third reimbursement institution"),
    "56": ("intermediary_agent", "intermediary"),
    "57": ("creditor_agent", "account with institution"),
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
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        payment = Payment(message_id="", format="MT103", file=file, raw=data.decode("latin-1"))
        payment.error("message", "not valid UTF-8 / SWIFT character set")
        return [payment]
    payments = []
    for chunk in split_messages(text.replace("\r\n", "\n").strip()):
        payment = parse_one(chunk, file)
        payment.digest = hashlib.sha256(chunk.strip().encode("utf-8")).hexdigest()
        payments.append(payment)
    return payments


def _unwrap(first: str, second: str, *, width: int = 35, always: bool = False) -> str | None:
    """``first`` and ``second`` joined without a space when the break splits a word: after a
    hyphen at the line end (dropped), at a full line (the 35-character boundary) or, with
    ``always``, at any break between two letters or digits. None when the break is a space."""
    first, second = first.rstrip(), second.lstrip()
    if not first or not second:
        return None
    if first.endswith("-") and first[:-1][-1:].isalnum() and second[0].isalnum():
        return first[:-1] + second
    if first[-1].isalnum() and second[0].isalnum() and (always or len(first) >= width):
        return first + second
    return None


def text_readings(lines: list[str], width: int = 35) -> list[str]:
    """The readings of a free-text field screened (``:70:``, ``:72:``, ``:77B:``): the lines
    joined with spaces (as shown), with the words split at a line end rejoined (hyphenated or
    cut at the 35-character boundary), and with every break inside a run of letters rejoined
    (a word split anywhere). Each reading is screened under the same field."""
    lines = [line.strip() for line in lines if line.strip()]
    spaced = " ".join(lines)
    dewrapped = lines[0] if lines else ""
    joined = dewrapped
    for previous, line in zip(lines, lines[1:], strict=False):
        glued = _unwrap(previous, line, width=width)
        dewrapped = dewrapped[: len(dewrapped) - len(previous)] + glued if glued else f"{dewrapped} {line}"
        anywhere = _unwrap(previous, line, width=width, always=True)
        joined = joined[: len(joined) - len(previous)] + anywhere if anywhere else f"{joined} {line}"
    return list(dict.fromkeys(x for x in (spaced, dewrapped, joined) if x))


def name_readings(lines: list[str]) -> list[str]:
    """Readings of a name that may wrap from its first line onto the second (50K, 59, 52D,
    57D): line 1, lines 1 and 2 joined with and without a space (a hyphen at the break dropped),
    and line 2 alone. The first is the name as shown; the rest are screened with it."""
    lines = [line.strip() for line in lines if line.strip()]
    if len(lines) < 2:
        return lines[:1]
    first, second = lines[0], lines[1]
    glued = first[:-1] + second if first.endswith("-") else first + second
    return list(dict.fromkeys([first, f"{first} {second}", glued, second]))


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
                blocks["4"] = text[i:]
                break
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


def parse_one(text: str, file: str = "") -> Payment:
    payment = Payment(message_id="", format="MT103", file=file, raw=text)
    if text.startswith(":20:"):
        text = "{4:\n" + text + ("" if text.rstrip().endswith("-}") else "\n-}")
    blocks = _blocks(text, payment)
    _header(blocks, payment)
    if "4" not in blocks:
        payment.error("4", "text block (block 4) missing")
        return payment
    fields = _fields(blocks["4"], payment)
    _text_fields(fields, payment)
    _trailer(blocks.get("5"), payment)
    return payment


def _header(blocks: dict[str, str], payment: Payment) -> None:
    b1 = blocks.get("1")
    if b1 is None:
        payment.error("1", "basic header block missing")
    elif not re.fullmatch(r"F01[A-Z0-9]{12}\d{4}\d{6}", b1):
        payment.error("1", f"basic header {b1!r} is not F01 + 12-character LT address + session + sequence")
    else:
        bic = b1[3:11] + (b1[12:15] if b1[12:15] != "XXX" else "")
        _check_bic(bic, "1", payment)
        payment.agents.append(Agent(role="sender", field="1", bic=bic))
    b2 = blocks.get("2")
    if b2 is None:
        payment.error("2", "application header block missing")
        return
    mtype = b2[1:4]
    if b2[:1] not in ("I", "O") or not mtype.isdigit():
        payment.error("2", f"application header {b2!r} is not I/O + message type")
        return
    if mtype != "103":
        payment.error("2", f"message type MT{mtype} is not supported (MT103 only)")
        payment.format = f"MT{mtype}"
        return
    if b2[0] == "I":
        if not re.fullmatch(r"I103[A-Z0-9]{12}([SUN]([13]\d{0,3})?)?", b2):
            payment.error("2", f"input application header {b2!r} malformed")
            return
        address = b2[4:16]
    else:
        if not re.fullmatch(r"O103\d{4}\d{6}[A-Z0-9]{12}\d{4}\d{6}\d{6}\d{4}[SUN]?", b2):
            payment.error("2", f"output application header {b2!r} malformed")
            return
        address = b2[14:26]
    bic = address[:8] + (address[9:12] if address[9:12] != "XXX" else "")
    _check_bic(bic, "2", payment)
    payment.agents.append(Agent(role="receiver", field="2", bic=bic))
    b3 = blocks.get("3")
    if b3:
        for tag, value in re.findall(r"\{(\d{3}):([^}]*)\}", b3):
            if tag == "121":
                if not _UETR_RE.fullmatch(value):
                    payment.error("3/121", f"UETR {value!r} is not a UUID v4")
                payment.uetr = value
            elif tag == "108" and len(value) > 16:
                payment.error("3/108", "message user reference longer than 16 characters")


def _trailer(b5: str | None, payment: Payment) -> None:
    if b5 is None:
        return
    rest = re.sub(r"\{(CHK|MAC|PDE|PDM|DLM|TNG|PAC|SYS|MRF):[^{}]*\}", "", b5).strip()
    if rest:
        payment.error("5", f"trailer block has unexpected content {rest[:20]!r}")
    chk = re.search(r"\{CHK:([^}]*)\}", b5)
    if chk and not re.fullmatch(r"[0-9A-F]{12}", chk.group(1)):
        payment.error("5/CHK", f"checksum {chk.group(1)!r} is not 12 hexadecimal characters")


def _fields(body: str, payment: Payment) -> dict[str, str]:
    body = body.strip("\n")
    fields: dict[str, str] = {}
    matches = list(_FIELD_RE.finditer(body))
    if not matches:
        payment.error("4", "text block holds no fields")
        return fields
    if matches[0].start() != 0:
        payment.error("4", f"text before the first field: {body[: matches[0].start()][:20]!r}")
    for match, nxt in zip(matches, matches[1:] + [None], strict=True):
        tag = match.group(1)
        value = body[match.end() : nxt.start() if nxt else len(body)].rstrip("\n")
        if tag not in KNOWN_TAGS:
            payment.error(tag, f"field {tag} is not part of MT103")
            continue
        if tag in fields and tag not in ("13C", "71F"):
            payment.error(tag, f"field {tag} appears more than once")
        if not _X_RE.fullmatch(value.replace("\n", "")):
            bad = sorted({ch for ch in value.replace("\n", "") if not _X_RE.fullmatch(ch)})
            payment.error(tag, f"characters outside the SWIFT X set: {''.join(bad)!r}")
        fields[tag] = value
    return fields


def _lines(tag: str, value: str, payment: Payment, max_lines: int, width: int = 35) -> list[str]:
    lines = value.split("\n")
    if len(lines) > max_lines:
        payment.error(tag, f"{len(lines)} lines; field {tag} allows at most {max_lines}")
    for n, line in enumerate(lines, start=1):
        if len(line) > width:
            payment.error(tag, f"line {n} has {len(line)} characters; field {tag} allows {width}")
    return lines


def _check_bic(bic: str, tag: str, payment: Payment) -> None:
    ok, reason = validate_bic(bic)
    if not ok or not _BIC_RE.fullmatch(bic):
        payment.error(
            tag, f"{bic!r} is not a valid BIC: {reason or 'letters A-Z and digits only, upper case'}"
        )


def _amount(tag: str, text: str, payment: Payment) -> Decimal | None:
    if not _AMOUNT_RE.fullmatch(text) or len(text) > 15:
        payment.error(tag, f"amount {text!r} is not 15d (digits with one decimal comma)")
        return None
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern guards this
        payment.error(tag, f"amount {text!r} cannot be read")
        return None


def _account_line(lines: list[str]) -> tuple[str | None, list[str]]:
    if lines and lines[0].startswith("/"):
        return lines[0].lstrip("/"), lines[1:]
    return None, lines


def _text_fields(fields: dict[str, str], payment: Payment) -> None:
    for tag in MANDATORY:
        if tag not in fields:
            payment.error(tag, f"mandatory field {tag} missing")
    for tag, (lines, width) in SHAPE.items():
        if tag in fields:
            _lines(tag, fields[tag], payment, lines, width)
    ref = fields.get("20")
    if ref is not None:
        if ref.startswith("/") or ref.endswith("/") or "//" in ref:
            payment.error("20", "sender's reference may not start or end with '/' nor contain '//'")
        payment.message_id = ref.strip()
        payment.instruction_id = ref.strip()
    if payment.uetr:
        payment.end_to_end_id = payment.uetr
    code = fields.get("23B")
    if code is not None and code not in BANK_OPERATION_CODES:
        payment.error(
            "23B", f"bank operation code {code!r} is not one of {', '.join(sorted(BANK_OPERATION_CODES))}"
        )
    value = fields.get("32A")
    if value is not None:
        match = re.fullmatch(r"(\d{6})([A-Z]{3})(.*)", value)
        if not match:
            payment.error("32A", f"{value!r} is not 6!n3!a15d (YYMMDD, currency, amount)")
        else:
            yymmdd, payment.currency, amount = match.groups()
            try:
                payment.value_date = date(
                    2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
                ).isoformat()
            except ValueError:
                payment.error("32A", f"value date {yymmdd!r} is not a date (YYMMDD)")
            payment.amount = _amount("32A", amount, payment)
    value = fields.get("33B")
    if value is not None and not re.fullmatch(r"[A-Z]{3}\d{1,14},\d{0,14}", value):
        payment.error("33B", f"{value!r} is not 3!a15d (currency, amount)")
    value = fields.get("71A")
    if value is not None and value not in CHARGE_CODES:
        payment.error("71A", f"details of charges {value!r} is not BEN, OUR or SHA")
    ordering = [t for t in ("50A", "50F", "50K") if t in fields]
    if not ordering:
        payment.error("50a", "ordering customer (50A, 50F or 50K) missing")
    if len(ordering) > 1:
        payment.error("50a", f"more than one ordering customer option: {', '.join(ordering)}")
    for tag in ordering:
        payment.parties.append(_customer(tag, fields[tag], "debtor", payment))
    beneficiary = [t for t in ("59", "59A", "59F") if t in fields]
    if not beneficiary:
        payment.error("59a", "beneficiary customer (59, 59A or 59F) missing")
    if len(beneficiary) > 1:
        payment.error("59a", f"more than one beneficiary option: {', '.join(beneficiary)}")
    for tag in beneficiary:
        payment.parties.append(_customer(tag, fields[tag], "creditor", payment))
    for prefix, (role, _label) in AGENT_FIELDS.items():
        for option in ("A", "B", "C", "D"):
            tag = prefix + option
            if tag in fields:
                payment.agents.append(_institution(tag, fields[tag], role, payment))
    for tag in ("70", "72", "77B"):
        if tag in fields:
            lines = fields[tag].split("\n")
            if tag == "72":  # "//" continues the previous line's narrative
                lines = [line[2:] if line.startswith("//") else line for line in lines]
            for text in text_readings(lines):
                payment.free_text.append(FreeText(tag, text))


def _customer(tag: str, value: str, role: str, payment: Payment) -> Party:
    party = Party(role=role, field=tag)
    lines = value.split("\n")
    if tag in ("50A", "59A"):
        _lines(tag, value, payment, 2, 35)
        party.account, rest = _account_line(lines)
        if len(rest) != 1:
            payment.error(tag, f"option {tag[-1]} needs one identifier code (BIC) line")
        if rest:
            party.bic = rest[0].strip()
            _check_bic(party.bic, tag, payment)
        party.person = False
        return party
    if tag in ("50K", "59"):
        party.account, rest = _account_line(lines)
        _lines(tag, value, payment, 5 if party.account is not None else 4, 35)
        if party.account is not None and len(party.account) > 34:
            payment.error(tag, "account longer than 34 characters")
        if not rest or not rest[0].strip():
            payment.error(tag, "name and address missing")
            return party
        party.name = rest[0].strip()
        party.alternatives = name_readings(rest)[1:]
        if len(rest) > 1:
            party.address = Address(field=tag, lines=[line.strip() for line in rest[1:] if line.strip()])
        return party
    # 50F / 59F: structured lines "n/text"
    _lines(tag, value, payment, 5, 35)
    first, rest = lines[0], lines[1:]
    if tag == "59F":
        party.account, rest = _account_line(lines)
    else:
        if first.startswith("/"):
            party.account = first[1:]
        elif re.fullmatch(r"[A-Z]{4}/[A-Z]{2}/.{1,27}", first):
            code, country, ident = first.split("/", 2)
            party.identifiers.append((code, ident))
            party.country = country
        else:
            payment.error(tag, f"line 1 {first!r} is neither /account nor code/country/identifier")
    names: list[str] = []
    address = Address(field=tag)
    for n, line in enumerate(rest, start=2):
        match = re.fullmatch(r"([1-8])/(.{1,33})", line)
        if not match:
            payment.error(tag, f"line {n} {line!r} is not n/text (1 name, 2 address, 3 country/town, ...)")
            continue
        number, text = match.group(1), match.group(2).strip()
        if number == "1":
            names.append(text)
        elif number == "2":
            address.lines.append(text)
        elif number == "3":
            country, _, town = text.partition("/")
            if not re.fullmatch(r"[A-Z]{2}", country):
                payment.error(tag, f"line {n}: {country!r} is not an ISO country code (3/CC/town)")
            else:
                address.country = country
            if town:
                address.town = town
        elif tag == "59F":
            payment.error(tag, f"line {n}: 59F allows only lines 1 to 3")
        elif number == "4":
            party.birth_date = text
            party.person = True
            if not re.fullmatch(r"\d{8}", text):
                payment.error(tag, f"line {n}: date of birth {text!r} is not YYYYMMDD")
            else:
                party.birth_date = f"{text[:4]}-{text[4:6]}-{text[6:]}"
        elif number == "5":
            party.birth_place = text
            party.person = True
        elif number in ("6", "7"):
            party.identifiers.append(("national id" if number == "7" else "customer id", text))
        elif number == "8":
            names.append(text)  # continuation of the name or additional information
    if names:
        party.name = " ".join(names)
        if len(names) > 1:  # a name over several 1/ (or 8/) lines: also joined without a space, and each line
            glued = "".join(n[:-1] if n.endswith("-") else n for n in names[:-1]) + names[-1]
            party.alternatives = list(dict.fromkeys(x for x in (glued, *names) if x != party.name))
    else:
        payment.error(tag, "no name line (1/...)")
    if not address.is_empty():
        party.address = address
    return party


def _institution(tag: str, value: str, role: str, payment: Payment) -> Agent:
    agent = Agent(role=role, field=tag)
    lines = value.split("\n")
    account, rest = (lines[0], lines[1:]) if lines[0].startswith("/") else (None, lines)
    if account is not None:
        agent.account = account.lstrip("/")
        if len(account) > 37:
            payment.error(tag, "party identifier line longer than 37 characters")
    option = tag[-1]
    if option == "A":
        if len(rest) != 1:
            payment.error(tag, "option A needs exactly one identifier code (BIC) line")
        if rest:
            agent.bic = rest[0].strip()
            _check_bic(agent.bic, tag, payment)
    elif option == "D":
        _lines(tag, "\n".join(rest), payment, 4, 35)
        if not rest:
            payment.error(tag, "name and address missing")
        else:
            agent.name = rest[0].strip()
            agent.alternatives = name_readings(rest)[1:]
            if len(rest) > 1:
                agent.address = Address(field=tag, lines=[line.strip() for line in rest[1:]])
    elif option == "B":
        if rest:
            agent.address = Address(field=tag, lines=[rest[0].strip()])
    elif option == "C":
        if not agent.account:
            payment.error(tag, "option C needs a party identifier")
        agent.clearing_id = agent.account
    if option in ("A", "B", "C") and account is None and not rest:
        payment.error(tag, "empty field")
    return agent
