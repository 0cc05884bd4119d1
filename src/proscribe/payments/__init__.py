"""Payment screening: message parsers, party extraction, free text, geography, decisions.

``parse_bytes(data, file)`` recognises the format (ISO 20022 XML, SWIFT MT103, the JSON form)
and returns one :class:`~proscribe.payments.messages.Payment` per transaction; it never raises
for bad content: what cannot be read is an error on the payment, naming the field, and such a
payment is held (:mod:`proscribe.payments.decide`). Kept light: importing this package loads the
parsers only, not the screening index or the store.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from proscribe.payments import encoding, iso20022, json_form, mt103
from proscribe.payments.messages import Address, Agent, FreeText, ParseIssue, Party, Payment

MAX_MESSAGE_BYTES = 5_000_000
MESSAGE_SUFFIXES = {".xml", ".mt", ".mt103", ".fin", ".txt", ".json", ".jsonl", ".swift"}

__all__ = [
    "Address",
    "Agent",
    "FreeText",
    "ParseIssue",
    "Party",
    "Payment",
    "parse_bytes",
    "parse_file",
    "message_files",
]


def parse_bytes(data: bytes, file: str = "") -> list[Payment]:
    """The payments of one file; never raises. Whatever goes wrong while reading a message (a
    parser fault on hostile input included) makes a held payment naming it, so one poison file
    never stops a batch, a watched folder or the service."""
    try:
        payments = _parse(data, file)
    except Exception as exc:  # noqa: BLE001 - an unreadable message is held, never fatal
        payment = Payment(message_id="", format="unknown", file=file, raw=_text(data))
        payment.error("message", f"could not be read ({type(exc).__name__}: {str(exc)[:200]}); held")
        payments = [payment]
    for payment in payments:
        if not payment.digest:
            payment.digest = hashlib.sha256(payment.raw.encode("utf-8", "replace")).hexdigest()
    return payments


def _text(data: bytes) -> str:
    return data[:100_000].decode("utf-8", "replace")


def _parse(data: bytes, file: str) -> list[Payment]:
    if len(data) > MAX_MESSAGE_BYTES:
        payment = Payment(message_id="", format="unknown", file=file)
        payment.error(
            "message", f"{len(data):,} bytes; messages over {MAX_MESSAGE_BYTES:,} bytes are refused"
        )
        return [payment]
    decoded = encoding.to_utf8(data)
    if decoded.error is not None:
        payment = Payment(message_id="", format="unknown", file=file, raw=_text(data))
        payment.error("message", f"cannot be decoded: {decoded.error}; held")
        return [payment]
    body = decoded.data.lstrip()
    if not body:
        payment = Payment(message_id="", format="unknown", file=file)
        payment.error("message", "empty file")
        return [payment]
    if body.startswith(b"<"):
        return iso20022.parse(body, file)
    if mt103.looks_like_mt(body):
        return mt103.parse(body, file)
    if json_form.looks_like_json(body):
        return json_form.parse(body, file)
    payment = Payment(message_id="", format="unknown", file=file, raw=_text(body))
    payment.error("message", "unknown message type: neither ISO 20022 XML, SWIFT MT103 nor the JSON form")
    return [payment]


def parse_file(path: Path) -> list[Payment]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        payment = Payment(message_id="", format="unknown", file=str(path))
        payment.error("file", f"cannot read: {exc.strerror or exc}")
        return [payment]
    return parse_bytes(data, str(path))


def message_files(paths: list[Path]) -> list[Path]:
    """The message files named, folders expanded (sorted, hidden files skipped)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")))
        else:
            out.append(path)
    return out
