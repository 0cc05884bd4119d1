"""The documented JSON form of a payment (see ``docs/payments-json.md``).

A file holds one payment object, a JSON array of them, or JSON lines (one object a line). Keys
are checked: an unknown key is an error (a misspelt ``"credtor"`` would otherwise slip a party
past screening), and so is a value of the wrong type or over its length. Field names in errors
are JSON paths (``creditor.address.town``).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from proscribe.payments.messages import Address, Agent, FreeText, Party, Payment
from proscribe.text.identifiers import validate_bic

FORMAT = "json"
PARTY_KEYS = {
    "debtor": "debtor",
    "creditor": "creditor",
    "ultimate_debtor": "ultimate_debtor",
    "ultimate_creditor": "ultimate_creditor",
    "initiating_party": "initiating_party",
}
AGENT_KEYS = {"debtor_agent": "debtor_agent", "creditor_agent": "creditor_agent"}
TOP_KEYS = (
    {
        "message_id",
        "amount",
        "currency",
        "value_date",
        "end_to_end_id",
        "instruction_id",
        "uetr",
        "intermediary_agents",
        "remittance_information",
        "instructions",
        "purpose",
    }
    | set(PARTY_KEYS)
    | set(AGENT_KEYS)
)
ADDRESS_LIMITS = {
    "street": 70,
    "building": 16,
    "postcode": 16,
    "town": 35,
    "district": 35,
    "subdivision": 35,
    "country": 2,
}
PARTY_FIELDS = {
    "name": 140,
    "country": 2,
    "account": 34,
    "bic": 11,
    "lei": 20,
    "birth_date": 10,
    "birth_place": 70,
}
AGENT_FIELDS = {"bic": 11, "name": 140, "clearing_id": 35, "lei": 20, "account": 34}
FREE_TEXT_LIMIT = 140


def looks_like_json(data: bytes) -> bool:
    return data.lstrip()[:1] in (b"{", b"[")


def parse(data: bytes, file: str = "") -> list[Payment]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [_broken(file, "message", f"not UTF-8: {exc}", data)]
    stripped = text.strip()
    records: list[tuple[str, Any]] = []
    try:
        value = json.loads(stripped)
        items = value if isinstance(value, list) else [value]
        records = [(f"[{n}]" if isinstance(value, list) else "", item) for n, item in enumerate(items)]
    except json.JSONDecodeError as whole_error:
        lines = [line for line in stripped.splitlines() if line.strip()]
        if len(lines) <= 1:
            return [
                _broken(
                    file,
                    "message",
                    f"malformed JSON at line {whole_error.lineno} column {whole_error.colno}: "
                    f"{whole_error.msg}",
                    data,
                )
            ]
        for n, line in enumerate(lines, start=1):
            try:
                records.append((f"line {n}", json.loads(line)))
            except json.JSONDecodeError as exc:
                records.append((f"line {n}", exc))
    if not records:
        return [_broken(file, "message", "no payment in the file", data)]
    return [from_dict(item, file, where, raw=text) for where, item in records]


def _broken(file: str, where: str, detail: str, data: bytes | str) -> Payment:
    raw = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    payment = Payment(message_id="", format=FORMAT, file=file, raw=raw[:100_000])
    payment.error(where, detail)
    return payment


class _Checker:
    def __init__(self, payment: Payment):
        self.payment = payment

    def string(self, obj: dict, key: str, path: str, limit: int | None) -> str | None:
        if key not in obj or obj[key] is None:
            return None
        value = obj[key]
        where = f"{path}.{key}" if path else key
        if not isinstance(value, str):
            self.payment.error(where, f"expected a string, got {type(value).__name__}")
            return None
        value = value.strip()
        if not value:
            self.payment.error(where, "empty string")
            return None
        if limit and len(value) > limit:
            self.payment.error(where, f"{len(value)} characters; at most {limit} allowed")
        return value

    def keys(self, obj: Any, allowed: set[str], path: str) -> bool:
        if not isinstance(obj, dict):
            self.payment.error(path, f"expected an object, got {type(obj).__name__}")
            return False
        for key in obj:
            if key not in allowed:
                self.payment.error(f"{path}.{key}" if path else key, f"unknown key {key!r}")
        return True

    def country(self, obj: dict, key: str, path: str) -> str | None:
        value = self.string(obj, key, path, 2)
        if value is not None and not re.fullmatch(r"[A-Z]{2}", value):
            self.payment.error(f"{path}.{key}", f"{value!r} is not an ISO 3166 two-letter code")
        return value

    def bic(self, obj: dict, path: str) -> str | None:
        value = self.string(obj, "bic", path, 11)
        if value is not None:
            ok, reason = validate_bic(value)
            if not ok or value != value.upper() or " " in value:
                self.payment.error(
                    f"{path}.bic", f"{value!r} is not a valid BIC: {reason or 'upper case, no spaces'}"
                )
        return value

    def address(self, obj: dict, path: str) -> Address | None:
        if obj.get("address") is None:
            return None
        where = f"{path}.address"
        raw = obj["address"]
        if not self.keys(raw, set(ADDRESS_LIMITS) | {"lines"}, where):
            return None
        address = Address(field=where)
        for key, limit in ADDRESS_LIMITS.items():
            if key == "country":
                address.country = self.country(raw, key, where)
            else:
                setattr(address, key, self.string(raw, key, where, limit))
        lines = raw.get("lines") or []
        if not isinstance(lines, list) or len(lines) > 7:
            self.payment.error(f"{where}.lines", "expected a list of at most 7 strings")
            lines = []
        for n, line in enumerate(lines):
            value = self.string({"l": line}, "l", f"{where}.lines[{n}]", 70)
            if value:
                address.lines.append(value)
        return address

    def party(self, obj: Any, role: str, path: str) -> Party | None:
        allowed = set(PARTY_FIELDS) | {"address", "identifiers", "person"}
        if not self.keys(obj, allowed, path):
            return None
        party = Party(role=role, field=path)
        for key, limit in PARTY_FIELDS.items():
            if key == "country":
                party.country = self.country(obj, key, path)
            elif key == "bic":
                party.bic = self.bic(obj, path)
            else:
                setattr(party, key, self.string(obj, key, path, limit))
        party.address = self.address(obj, path)
        person = obj.get("person")
        if person is not None and not isinstance(person, bool):
            self.payment.error(f"{path}.person", "expected true or false")
        party.person = person if isinstance(person, bool) else None
        idents = obj.get("identifiers") or []
        if not isinstance(idents, list):
            self.payment.error(f"{path}.identifiers", "expected a list of {scheme, value} objects")
            idents = []
        for n, item in enumerate(idents):
            where = f"{path}.identifiers[{n}]"
            if self.keys(item, {"scheme", "value"}, where):
                value = self.string(item, "value", where, 35)
                if value:
                    party.identifiers.append((self.string(item, "scheme", where, 35) or "other", value))
        if not (party.name or party.bic or party.lei or party.identifiers):
            self.payment.error(path, "party has neither a name nor an identifier")
        return party

    def agent(self, obj: Any, role: str, path: str) -> Agent | None:
        if not self.keys(obj, set(AGENT_FIELDS) | {"address"}, path):
            return None
        agent = Agent(role=role, field=path)
        for key, limit in AGENT_FIELDS.items():
            if key == "bic":
                agent.bic = self.bic(obj, path)
            else:
                setattr(agent, key, self.string(obj, key, path, limit))
        agent.address = self.address(obj, path)
        if not (agent.bic or agent.name or agent.clearing_id or agent.lei):
            self.payment.error(path, "agent has neither a BIC, a name, a clearing id nor an LEI")
        return agent

    def texts(self, obj: dict, key: str) -> list[str]:
        value = obj.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.payment.error(key, "expected a string or a list of strings")
            return []
        out = []
        for n, item in enumerate(value):
            text = self.string({"t": item}, "t", f"{key}[{n}]", FREE_TEXT_LIMIT)
            if text:
                out.append(text)
        return out


def from_dict(obj: Any, file: str = "", where: str = "", raw: str = "") -> Payment:
    """A :class:`Payment` from one JSON object; every problem recorded as an error, never raised."""
    payment = Payment(message_id="", format=FORMAT, file=file, raw=raw[:100_000])
    prefix = f"{where}: " if where else ""
    if isinstance(obj, Exception):
        payment.error(where or "message", f"malformed JSON: {obj}")
        return payment
    check = _Checker(payment)
    if not check.keys(obj, TOP_KEYS, ""):
        return payment
    payment.message_id = check.string(obj, "message_id", "", 35) or ""
    if not payment.message_id:
        payment.error("message_id", f"{prefix}message_id missing")
    payment.end_to_end_id = check.string(obj, "end_to_end_id", "", 35)
    payment.instruction_id = check.string(obj, "instruction_id", "", 35)
    payment.uetr = check.string(obj, "uetr", "", 36)
    amount = obj.get("amount")
    if amount is None:
        payment.error("amount", "amount missing")
    elif isinstance(amount, bool) or not isinstance(amount, (str, int, float)):
        payment.error("amount", f"expected a decimal string, got {type(amount).__name__}")
    else:
        try:
            value = Decimal(str(amount).strip())
            if not value.is_finite() or value < 0 or len(str(amount)) > 19:
                raise InvalidOperation
            payment.amount = value
        except InvalidOperation:
            payment.error("amount", f"amount {amount!r} is not a non-negative decimal")
    payment.currency = check.string(obj, "currency", "", 3)
    if payment.currency is None:
        payment.error("currency", "currency missing")
    elif not re.fullmatch(r"[A-Z]{3}", payment.currency):
        payment.error("currency", f"{payment.currency!r} is not an ISO 4217 code")
    payment.value_date = check.string(obj, "value_date", "", 10)
    if payment.value_date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", payment.value_date):
        payment.error("value_date", f"{payment.value_date!r} is not an ISO date")
    for key, role in PARTY_KEYS.items():
        if obj.get(key) is not None:
            party = check.party(obj[key], role, key)
            if party is not None:
                payment.parties.append(party)
        elif key in ("debtor", "creditor"):
            payment.error(key, f"{key} missing")
    for key, role in AGENT_KEYS.items():
        if obj.get(key) is not None:
            agent = check.agent(obj[key], role, key)
            if agent is not None:
                payment.agents.append(agent)
    intermediaries = obj.get("intermediary_agents") or []
    if not isinstance(intermediaries, list) or len(intermediaries) > 3:
        payment.error("intermediary_agents", "expected a list of at most 3 agents")
        intermediaries = []
    for n, item in enumerate(intermediaries):
        agent = check.agent(item, "intermediary_agent", f"intermediary_agents[{n}]")
        if agent is not None:
            payment.agents.append(agent)
    for key in ("remittance_information", "instructions", "purpose"):
        for n, text in enumerate(check.texts(obj, key)):
            payment.free_text.append(FreeText(f"{key}[{n}]", text))
    if not raw:
        payment.raw = json.dumps(obj, ensure_ascii=False)
    return payment
