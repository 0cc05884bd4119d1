"""The parties and institutions of SWIFT MT fields: 50a / 59a customers (options A, C, F, G, H,
K, L and no letter) and the institutions of fields 51a to 58a (options A, B, C, D).

The line counts, widths and character set of every field are checked by the field's declared
format (:mod:`.mt_format`); here the content is read: accounts, BICs (checked), names with the
other readings of a name wrapped onto the next line, addresses, the structured lines of options F
(``1/`` name, ``2/`` address, ``3/`` country and town, ``4/`` birth date ...). Errors name the
field as the message has it (``59F``, ``B/50K``) through the ``error`` callback.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from proscribe.payments.messages import Address, Agent, Party
from proscribe.text.identifiers import validate_bic

_BIC_RE = re.compile(r"[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?")
Error = Callable[[str, str], None]


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


def check_bic(bic: str, field: str, error: Error) -> None:
    ok, reason = validate_bic(bic)
    if not ok or not _BIC_RE.fullmatch(bic):
        error(field, f"{bic!r} is not a valid BIC: {reason or 'letters A-Z and digits only, upper case'}")


def _account_line(lines: list[str]) -> tuple[str | None, list[str]]:
    if lines and lines[0].startswith("/"):
        return lines[0].lstrip("/"), lines[1:]
    return None, lines


def customer(tag: str, field: str, value: str, role: str, error: Error) -> Party:
    """A customer field (50a, 59a) as a party; ``field`` names it in errors and reasons."""
    party = Party(role=role, field=field)
    lines = value.split("\n")
    option = tag[2:]
    if option in ("A", "C", "G") or tag == "59A":
        party.account, rest = _account_line(lines)
        if option == "G" and party.account is None:
            error(field, "option G needs an account line (/34x) before the identifier code")
        if len(rest) != 1:
            error(field, f"option {option} needs one identifier code (BIC) line")
        if rest:
            party.bic = rest[0].strip()
            check_bic(party.bic, field, error)
        party.person = False
        return party
    if option == "L":
        party.identifiers.append(("party identifier", value.strip()))
        return party
    if option in ("K", "H", ""):
        party.account, rest = _account_line(lines)
        if option == "H" and party.account is None:
            error(field, "option H needs an account line (/34x) before the name and address")
        if party.account is not None and len(party.account) > 34:
            error(field, "account longer than 34 characters")
        rest = [line for line in rest if line.strip()]  # an empty line (an error) hides no name
        if not rest:
            error(field, "name and address missing")
            return party
        party.name = rest[0].strip()
        party.alternatives = name_readings(rest)[1:]
        if len(rest) > 1:
            party.address = Address(field=field, lines=[line.strip() for line in rest[1:]])
        return party
    return _structured(tag, field, lines, party, error)


def _structured(tag: str, field: str, lines: list[str], party: Party, error: Error) -> Party:
    """Options 50F and 59F: numbered lines ``n/text``."""
    first, rest = lines[0], lines[1:]
    if tag == "59F":
        party.account, rest = _account_line(lines)
    elif first.startswith("/"):
        party.account = first[1:]
    elif re.fullmatch(r"[A-Z]{4}/[A-Z]{2}/.{1,27}", first):
        code, country, ident = first.split("/", 2)
        party.identifiers.append((code, ident))
        party.country = country
    else:
        error(field, f"line 1 {first!r} is neither /account nor code/country/identifier")
    names: list[str] = []
    address = Address(field=field)
    for n, line in enumerate(rest, start=len(lines) - len(rest) + 1):
        match = re.fullmatch(r"([1-8])/(.{1,33})", line)
        if not match:
            error(field, f"line {n} {line!r} is not n/text (1 name, 2 address, 3 country/town, ...)")
            if line.strip():
                names.append(line.strip())  # still screened: a name in the wrong shape is a name
            continue
        number, text = match.group(1), match.group(2).strip()
        if number == "1":
            names.append(text)
        elif number == "2":
            address.lines.append(text)
        elif number == "3":
            country, _, town = text.partition("/")
            if not re.fullmatch(r"[A-Z]{2}", country):
                error(field, f"line {n}: {country!r} is not an ISO country code (3/CC/town)")
            else:
                address.country = country
            if town:
                address.town = town
        elif tag == "59F":
            error(field, f"line {n}: 59F allows only lines 1 to 3")
            names.append(text)
        elif number == "4":
            party.person = True
            if not re.fullmatch(r"\d{8}", text):
                error(field, f"line {n}: date of birth {text!r} is not YYYYMMDD")
                party.birth_date = text
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
        error(field, "no name line (1/...)")
    if not address.is_empty():
        party.address = address
    return party


def institution(tag: str, field: str, value: str, role: str, error: Error) -> Agent:
    """An institution field (51A, 52a to 58a) as an agent."""
    agent = Agent(role=role, field=field)
    lines = value.split("\n")
    account, rest = (lines[0], lines[1:]) if lines[0].startswith("/") else (None, lines)
    if account is not None:
        agent.account = account.lstrip("/")
        if len(account) > 37:
            error(field, "party identifier line longer than 37 characters")
    option = tag[2:]
    if option == "A":
        if len(rest) != 1:
            error(field, "option A needs exactly one identifier code (BIC) line")
        if rest:
            agent.bic = rest[0].strip()
            check_bic(agent.bic, field, error)
    elif option == "D":
        rest = [line for line in rest if line.strip()]  # an empty line (an error) hides no name
        if not rest:
            error(field, "name and address missing")
        else:
            agent.name = rest[0].strip()
            agent.alternatives = name_readings(rest)[1:]
            if len(rest) > 1:
                agent.address = Address(field=field, lines=[line.strip() for line in rest[1:]])
    elif option == "B":
        if rest:
            agent.address = Address(field=field, lines=[rest[0].strip()])
    elif option == "C":
        if not agent.account:
            error(field, "option C needs a party identifier")
        agent.clearing_id = agent.account
    if option in ("A", "B", "C") and account is None and not rest:
        error(field, "empty field")
    return agent


def as_party(agent: Agent, role: str) -> Party:
    """An institution that is the debtor or creditor of the transfer (MT202 52a, 58a) as a party."""
    return Party(
        role=role,
        field=agent.field,
        name=agent.name,
        address=agent.address,
        account=agent.account,
        bic=agent.bic,
        person=False,
        alternatives=list(agent.alternatives),
    )
