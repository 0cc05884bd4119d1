"""The documented JSON form of a payment (see ``docs/payments-json.md``).

A file holds one payment object, a JSON array of them, or JSON lines (one object a line). Keys
are checked: an unknown key is an error (a misspelt ``"credtor"`` would otherwise slip a party
past screening), and so is a value of the wrong type or over its length. Field names in errors
are JSON paths (``creditor.address.town``).
"""

from __future__ import annotations

import hashlib
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
#: The JSON form nests four levels (payment, party, address, lines); far deeper is hostile.
MAX_DEPTH = 32
_STRUCTURE = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def looks_like_json(data: bytes) -> bool:
    return data.lstrip()[:1] in (b"{", b"[")


def parse(data: bytes, file: str = "") -> list[Payment]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [_broken(file, "message", f"not UTF-8: {exc}", data)]
    stripped = text.strip()
    depth = nesting_depth(stripped)
    if depth > MAX_DEPTH:
        return [
            _broken(
                file,
                "message",
                f"JSON nested {depth} levels deep; the JSON form needs at most {MAX_DEPTH}: not read, held",
                data,
            )
        ]
    records: list[tuple[str, Any, str]] = []
    try:
        value = _loads(stripped)
        items = value if isinstance(value, list) else [value]
        records = [
            (f"[{n}]" if isinstance(value, list) else "", item, _item_digest(item, stripped, len(items)))
            for n, item in enumerate(items)
        ]
    except (json.JSONDecodeError, RecursionError) as whole_error:
        lines = [line for line in stripped.splitlines() if line.strip()]
        if len(lines) <= 1 or isinstance(whole_error, RecursionError):
            return [_broken(file, "message", _decode_error(whole_error), data)]
        for n, line in enumerate(lines, start=1):
            digest = hashlib.sha256(line.strip().encode("utf-8")).hexdigest()
            try:
                records.append((f"line {n}", _loads(line), digest))
            except (json.JSONDecodeError, RecursionError) as exc:
                records.append((f"line {n}", exc, digest))
    if not records:
        return [_broken(file, "message", "no payment in the file", data)]
    payments = []
    for where, item, digest in records:
        payment = from_dict(item, file, where, raw=text)
        payment.digest = digest
        payments.append(payment)
    return payments


def _decode_error(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
    return f"JSON too deeply nested to read ({type(exc).__name__}); held"


def _item_digest(item: Any, text: str, count: int) -> str:
    """One object alone: the bytes as sent; one of an array: its canonical form (adding a payment
    to the array changes no other payment's key)."""
    if count == 1:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
    canonical = json.dumps(item, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def nesting_depth(text: str) -> int:
    """How deep ``[`` and ``{`` nest, strings skipped: checked before parsing, so that a
    5,000-level document is refused with a reason instead of exhausting the parser's stack."""
    depth = deepest = 0
    for match in _STRUCTURE.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


class _Object(dict):
    """A JSON object that remembers the values a repeated key overwrote."""

    __slots__ = ("overwritten",)

    def __init__(self) -> None:
        super().__init__()
        self.overwritten: list[tuple[str, Any]] = []


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object()
    for key, value in pairs:
        if key in obj:
            obj.overwritten.append((key, obj[key]))
        obj[key] = value
    return obj


def _loads(text: str) -> Any:
    """``json.loads`` keeping every value of a repeated key (last one in the object, the earlier
    ones in ``overwritten``): a first-wins reader elsewhere must not see a party we never screened."""
    return json.loads(text, object_pairs_hook=_object)


def _inspect(value: Any, path: str, payment: Payment) -> Any:
    """Duplicate keys and lone surrogates anywhere, as errors naming the JSON path; surrogates
    (which no UTF-8 system can store or show) are replaced by U+FFFD so the rest can be screened
    and recorded."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            payment.error(path or "message", "lone surrogate code point (\\ud800-\\udfff) in a string; held")
            return _SURROGATE.sub("\ufffd", value)
        return value
    if isinstance(value, list):
        return [_inspect(item, f"{path}[{n}]", payment) for n, item in enumerate(value)]
    if isinstance(value, dict):
        out = _Object()
        for key, item in value.items():
            clean_key = _inspect(key, path, payment) if isinstance(key, str) else key
            out[clean_key] = _inspect(item, f"{path}.{clean_key}" if path else clean_key, payment)
        for key, old in getattr(value, "overwritten", ()):
            where = f"{path}.{key}" if path else key
            payment.error(where, f"key {key!r} appears more than once in the object; held")
            out.overwritten.append((_inspect(key, path, payment), _inspect(old, where, payment)))
        return out
    return value


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
    obj = _inspect(obj, "", payment)
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
    _screen_overwritten(obj, "", check)
    if not raw:
        payment.raw = json.dumps(obj, ensure_ascii=False)
    return payment


def _screen_overwritten(value: Any, path: str, check: _Checker) -> None:
    """Every value a repeated key overwrote is screened too (the payment is held already): a
    repeated party as a party, a repeated name as a name, any other text as free text."""
    if isinstance(value, list):
        for n, item in enumerate(value):
            _screen_overwritten(item, f"{path}[{n}]", check)
        return
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        _screen_overwritten(item, f"{path}.{key}" if path else key, check)
    payment = check.payment
    for key, old in getattr(value, "overwritten", ()):
        where = f"{path}.{key}" if path else key
        if not path and key in PARTY_KEYS and isinstance(old, dict):
            party = check.party(old, PARTY_KEYS[key], f"{where}(repeated)")
            if party is not None:
                payment.parties.append(party)
        elif not path and key in AGENT_KEYS and isinstance(old, dict):
            agent = check.agent(old, AGENT_KEYS[key], f"{where}(repeated)")
            if agent is not None:
                payment.agents.append(agent)
        else:
            for leaf_path, leaf_key, text in _strings(old, where, key):
                if leaf_key == "name":
                    payment.parties.append(Party(role="other_name", field=leaf_path, name=text))
                else:
                    payment.free_text.append(FreeText(leaf_path, text))
        _screen_overwritten(old, where, check)


def _strings(value: Any, path: str, key: str) -> list[tuple[str, str, str]]:
    """(path, key, text) of every non-empty string under ``value``."""
    if isinstance(value, str):
        return [(path, key, value.strip())] if value.strip() else []
    if isinstance(value, list):
        return [leaf for n, item in enumerate(value) for leaf in _strings(item, f"{path}[{n}]", key)]
    if isinstance(value, dict):
        return [leaf for k, item in value.items() for leaf in _strings(item, f"{path}.{k}", k)]
    return []
