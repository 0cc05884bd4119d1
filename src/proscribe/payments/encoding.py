"""The character encoding of a payment file: UTF-8 (with or without a BOM), UTF-16 and UTF-32
(with a BOM, and UTF-16 without one when its zero bytes give it away), and EBCDIC (code pages
037 and 500) for SWIFT MT files from a mainframe.

Why here and not in each parser: the format is recognised from the first characters
(``<``, ``{1:``, ``{``), and a UTF-16 or EBCDIC file shows none of them in its raw bytes, so it
would otherwise be "an unknown message type" or "not UTF-8", and a listed name inside it would
never be screened. Every file is turned into UTF-8 first; one that cannot be read in any of
these encodings is held with a reason that says which byte broke where.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
EBCDIC = ("cp037", "cp500")
#: A decoded MT file starts with a block 1 or, for a bare text block, with field 20.
_MT_START = re.compile(r"\s*(\{1:|:20:)")
_XML_DECLARATION = re.compile(rb"^(\s*<\?xml[^>]*?)\s+encoding\s*=\s*(['\"])[^'\"]*\2", re.IGNORECASE)
#: The share of a half's bytes that must be zero to call a BOM-less file UTF-16.
UTF16_ZERO_SHARE = 0.4


@dataclass
class Decoded:
    data: bytes  # UTF-8, no BOM
    encoding: str  # what the file was read as
    error: str | None = None  # why it could not be read (data is then the bytes as given)


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` when the zero bytes sit on one side only (ASCII-range text)."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    even_zero, odd_zero = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_zero >= UTF16_ZERO_SHARE and even_zero == 0:
        return "utf-16-le"
    if even_zero >= UTF16_ZERO_SHARE and odd_zero == 0:
        return "utf-16-be"
    return None


def _ebcdic(data: bytes) -> tuple[str, str] | None:
    """(text, code page) when the bytes read as an EBCDIC MT message."""
    for codepage in EBCDIC:
        text = data.decode(codepage)
        if _MT_START.match(text):
            # mainframes end lines with NEL (0x15); SWIFT lines end with CR LF or LF
            return text.replace("\x85", "\n"), codepage
    return None


def _first_bad_byte(data: bytes) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"byte 0x{data[exc.start]:02x} at offset {exc.start} is not UTF-8"
    return "not UTF-8"  # pragma: no cover - only called when decoding failed


def to_utf8(data: bytes) -> Decoded:
    """The file as UTF-8 bytes, whatever of the supported encodings it came in."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                return Decoded(
                    data,
                    encoding,
                    f"starts with a {encoding} byte order mark but {exc.reason} "
                    f"at offset {exc.start + len(bom)}",
                )
            return Decoded(_declare_utf8(text.encode("utf-8")), encoding)
    # before UTF-8: ASCII-range UTF-16 is valid UTF-8 too (every other byte a NUL)
    encoding = _utf16_without_bom(data) if b"\x00" in data[:4096] else None
    if encoding is not None:
        try:
            return Decoded(_declare_utf8(data.decode(encoding).encode("utf-8")), encoding)
        except UnicodeDecodeError:
            pass
    try:
        data.decode("utf-8")
        return Decoded(data, "utf-8")
    except UnicodeDecodeError:
        pass
    found = _ebcdic(data)
    if found is not None:
        text, codepage = found
        return Decoded(text.encode("utf-8"), codepage)
    stripped = data.lstrip()
    if stripped.startswith(b"<?xml") and b"encoding" in stripped[:200]:
        return Decoded(data, "declared")  # an XML declaration names its own encoding: the XML parser reads it
    return Decoded(
        data,
        "unknown",
        f"{_first_bad_byte(data)}, and the file is neither UTF-16 (with or without a byte order mark), "
        f"UTF-32 nor an EBCDIC (037, 500) SWIFT message",
    )


def _declare_utf8(data: bytes) -> bytes:
    """An XML declaration's ``encoding`` rewritten to UTF-8 once the bytes are UTF-8."""
    return _XML_DECLARATION.sub(rb'\1 encoding="UTF-8"', data, count=1)
