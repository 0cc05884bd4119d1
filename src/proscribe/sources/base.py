"""What every list parser shares: its result type, its error type, safe XML, country codes.

A parser is a module in ``proscribe.sources`` with one function::

    def parse(path: Path, dataset: str) -> ParsedList

``path`` is the file (or, for multi-file formats like OFAC's CSV set, the folder) as published.
The parser yields entities exactly as the list states them; it never normalises for matching.
On any structural problem it raises :class:`ListFormatError` naming the file and the line or
element, so the importer can refuse the whole snapshot (fail closed, nothing half-imported).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from lxml import etree

from proscribe.model import Entity


class ListFormatError(Exception):
    """A list file that cannot be read as its format: says what is wrong and where."""

    def __init__(self, path: Path | str, where: str | None, message: str):
        self.path = str(path)
        self.where = where
        self.message = message
        location = f"{self.path}: {where}" if where else self.path
        super().__init__(f"{location}: {message}")


class IncompleteListError(ListFormatError):
    """A file that parses but lacks a completeness marker its publisher always writes (OFAC's
    end-of-file byte, a declared record count, a workbook's declared extent): a cut-short copy,
    refused as truncated."""


#: What reading a damaged zip (an XLSX workbook, a zipped list) raises besides ``BadZipFile``: a
#: bad deflate stream, a cut member, an offset before the file's start (``OSError``), an unknown
#: compression method, a header field out of range, an encrypted member (``RuntimeError``).
ZIP_FAULTS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
    ValueError,
    RuntimeError,
)


@dataclass
class ParsedList:
    """The result of parsing one published list file (or file set)."""

    dataset: str
    entities: list[Entity]
    #: Publication date as the file states it (ISO ``YYYY-MM-DD``), or None if it does not.
    published: str | None = None
    #: Non-fatal oddities worth showing an operator (an unknown identifier type, say).
    warnings: list[str] = field(default_factory=list)


# -- XML ------------------------------------------------------------------------------------------


def safe_xml_parser() -> etree.XMLParser:
    """An lxml parser that never expands entities, never loads a DTD, never touches the network.

    A billion-laughs file therefore fails with an error instead of eating memory, and an
    external entity is never fetched.
    """
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        dtd_validation=False,
        remove_blank_text=True,
    )


def parse_xml(source: Path | IO[bytes], label: str | None = None) -> etree._Element:
    """Parse an XML document safely and return its root; refuse DTDs with entity declarations.

    Raises :class:`ListFormatError` with the line number for malformed or truncated XML.
    """
    name = label or str(source)
    try:
        tree = etree.parse(source, safe_xml_parser())
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None) or (exc.position[0] if exc.position else None)
        raise ListFormatError(name, f"line {line}" if line else None, f"malformed XML: {exc.msg}") from exc
    except OSError as exc:
        raise ListFormatError(name, None, f"cannot read file: {exc}") from exc
    docinfo = tree.docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and next(iter(dtd.iterentities()), None) is not None:
        raise ListFormatError(name, "DOCTYPE", "XML entity declarations are not allowed in list files")
    return tree.getroot()


def local_name(element: etree._Element) -> str:
    """The tag without its namespace (``{ns}sdnEntry`` -> ``sdnEntry``)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def child_text(element: etree._Element, name: str) -> str | None:
    """Text of the first direct child whose local name is ``name``, stripped; None if empty."""
    for child in element:
        if local_name(child) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if local_name(child) == name]


# -- countries and dates --------------------------------------------------------------------------

_COUNTRY_OVERRIDES = {
    # Names the lists use that generic territory tables miss.
    "crimea": "ua-cri",
    "crimea region of ukraine": "ua-cri",
    "region: crimea": "ua-cri",
    "korea, north": "kp",
    "north korea": "kp",
    "democratic people's republic of korea": "kp",
    "korea, south": "kr",
    "west bank": "ps",
    "gaza": "ps",
    "palestinian": "ps",
    "kosovo": "xk",
    "burma": "mm",
}


def country_code(name: str | None) -> str | None:
    """ISO 3166-1 alpha-2 (lower case, FtM style) for a country name or code, or None."""
    if not name:
        return None
    key = name.strip().strip(".").lower()
    if not key:
        return None
    if key in _COUNTRY_OVERRIDES:
        return _COUNTRY_OVERRIDES[key]
    from rigour.territories import lookup_territory

    territory = lookup_territory(key)
    return territory.code if territory is not None else None


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}


def parse_date(text: str | None) -> str | None:
    """Turn the date spellings lists use into FtM partial ISO dates, keeping only the precision
    the list gives: ``25 Mar 1977`` -> ``1977-03-25``, ``Mar 1977`` -> ``1977-03``, ``1977`` ->
    ``1977``, ``1977-00-00`` -> ``1977``, ``25/03/1977`` -> ``1977-03-25``. Invalid dates (day 32)
    return None: no evidence either way.
    """
    if not text:
        return None
    value = text.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T.*)?", value)
    if m:
        return _iso(m.group(1), m.group(2), m.group(3))
    m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", value)
    if m:  # lists outside the US write day first
        return _iso(m.group(3), m.group(2), m.group(1))
    m = re.fullmatch(r"(?:(\d{1,2})\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{4})", value)
    if m and m.group(2).lower() in _MONTHS:
        return _iso(m.group(3), str(_MONTHS[m.group(2).lower()]), m.group(1))
    return None


def _iso(year: str, month: str | None, day: str | None) -> str | None:
    import datetime

    y = int(year)
    if y == 0:
        return None
    mo = int(month) if month else 0
    d = int(day) if day else 0
    if mo == 0:
        return f"{y:04d}"
    if not 1 <= mo <= 12:
        return None
    if d == 0:
        return f"{y:04d}-{mo:02d}"
    try:
        datetime.date(y, mo, d)
    except ValueError:
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


# -- files ----------------------------------------------------------------------------------------


def open_bytes(path: Path) -> IO[bytes]:
    """Open a list file for reading as bytes; ``.gz`` files (as bundled) are decompressed."""
    import gzip

    path = Path(path)
    if not path.exists():
        raise ListFormatError(path, None, "file not found")
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    return path.open("rb")


def read_bytes(path: Path) -> bytes:
    """The whole (decompressed) file; a truncated gzip member is reported, not half-read."""
    import gzip
    import zlib

    try:
        with open_bytes(path) as handle:
            return handle.read()
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise ListFormatError(path, None, f"corrupt or truncated compressed file: {exc}") from exc


def file_sha256(path: Path) -> str:
    """sha256 of the file as published (a bundled ``.gz`` is hashed decompressed, so the digest
    equals the official file's)."""
    import hashlib

    return hashlib.sha256(read_bytes(path)).hexdigest()


def check_xlsx_complete(path: Path) -> None:
    """Refuse a workbook whose zip members fail their CRC, or whose worksheet declares (in
    ``<dimension ref="A1:X123">``) more rows than it holds: a workbook re-saved or cut short.

    A truncated zip never opens at all; this catches a damaged member and a sheet whose row data
    ends before the extent the writer recorded for it.
    """
    import io
    import re

    data = read_bytes(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            bad = archive.testzip()
            if bad is not None:
                raise IncompleteListError(path, bad, "zip member fails its CRC check (damaged or truncated)")
            sheets = [n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
            for name in sheets:
                sheet = archive.read(name)
                declared = re.search(rb'<dimension\s+ref="(?:[A-Z]+\d+:)?[A-Z]+(\d+)"', sheet[:4096])
                if declared is None:
                    continue
                row_tag = rb'<row\b[^>]*?\br="(\d+)"'
                rows = re.findall(row_tag, sheet[-65536:]) or re.findall(row_tag, sheet)
                last = int(rows[-1]) if rows else 0
                if last < int(declared.group(1)):
                    raise IncompleteListError(
                        path,
                        name,
                        f"the sheet declares {int(declared.group(1))} rows but its last row is {last} "
                        "(truncated workbook)",
                    )
    except ZIP_FAULTS as exc:
        raise ListFormatError(
            path, "zip container", f"not a readable XLSX workbook (truncated?): {exc}"
        ) from exc


# -- schema ---------------------------------------------------------------------------------------

_COMPANY_MARKERS = re.compile(
    r"\b(LIMITED|LTD|INC|INCORPORATED|CORP|CORPORATION|CO|COMPANY|LLC|L\.L\.C|PLC|GMBH|AG|S\.?A|"
    r"S\.?A\.?S|S\.?R\.?L|S\.?P\.?A|B\.?V|N\.?V|OOO|ZAO|OAO|PAO|AO|JSC|PJSC|OJSC|CJSC|SDN BHD|BHD|"
    r"PTE|PTY|FZE|FZCO|FZ-LLC|DMCC|SARL|SAL|A\.?S|D\.?O\.?O|KFT|SP\.? Z O\.?O|TRADING|HOLDINGS?|"
    r"ENTERPRISES?|INDUSTRIES|GROUP|BANK|SHIPPING)\b",
    re.IGNORECASE,
)


def organization_schema(name: str | None) -> str:
    """``Company`` when a non-person, non-vessel list entry's name carries a commercial legal form
    or business word, else ``Organization``. Lists rarely say which; screening treats the two as
    compatible, so this only makes captions and exports read naturally."""
    if name and _COMPANY_MARKERS.search(name):
        return "Company"
    return "Organization"
