"""Mutations of real seed files: byte-level damage and edits that keep the file's structure.

Byte-level edits (flips, cuts, inserted bytes, spliced runs) find the tokeniser's faults; the
structure-aware ones (an XML element dropped, repeated, moved or given hostile text; a CSV cell,
row or column changed; a JSON value swapped for another type; an MT field line damaged; an
archive member edited and re-zipped) get past the tokeniser into the record readers, where most
uncaught exceptions live. Every choice comes from the ``random.Random`` handed in, so a seeded
run makes the same inputs every time.
"""

from __future__ import annotations

import csv
import io
import json
import random
import warnings
import zipfile
from collections.abc import Callable
from typing import Any

from lxml import etree

from proscribe.sources.base import safe_xml_parser

#: Text that has broken parsers before: empties, signs, huge and odd numbers, dates that are not,
#: control and invisible characters, markup, quotes, lone surrogates' UTF-8-ish bytes.
HOSTILE_TEXT = [
    "",
    " ",
    "-",
    "0",
    "-1",
    "1e999",
    "NaN",
    "99999999999999999999999999",
    "0.0000001",
    "100.5%",
    "31/02/2020",
    "2020-13-45",
    "0000-00-00",
    "9999-99-99T99:99:99",
    "\x00",
    "\u200b\u200d\u202e",
    "\ufeff",
    "é" * 3,
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "<b>&amp;</b>",
    '"',
    "'",
    ";;;",
    ",,,",
    "\n\n",
    "\r",
    "{}",
    "[]",
    "null",
    "A" * 5000,
    "a; b; c",
    ":20:X\n:59:Y",
]

INTERESTING_BYTES = [
    b"\x00",
    b"\xff",
    b"\xfe\xff",
    b"\xef\xbb\xbf",
    b"\x1a",
    b"\x80",
    b"\xc3",
    b"<",
    b">",
    b"&",
    b"]]>",
    b'"',
    b"\n",
    b"\r\n",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b"\\u0000",
    b"\xed\xa0\x80",
    b"-}",
    b"{4:",
    b"\x1f\x8b",
]


def hostile_text(rng: random.Random) -> str:
    return (
        rng.choice(HOSTILE_TEXT)
        if rng.random() < 0.8
        else rng.randbytes(rng.randint(1, 12)).decode("latin-1")
    )


# -- bytes ----------------------------------------------------------------------------------------


def mutate_bytes(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    """One byte-level edit: flip, cut, insert, delete, repeat a run, or splice another seed in."""
    if not data:
        return rng.choice(INTERESTING_BYTES)
    n = len(data)
    at = rng.randrange(n)
    op = rng.randrange(8)
    if op == 0:
        buf = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            buf[rng.randrange(n)] ^= 1 << rng.randrange(8)
        return bytes(buf)
    if op == 1:
        return data[:at]
    if op == 2:
        return data[:at] + rng.choice(INTERESTING_BYTES) * rng.choice((1, 1, 2, 64)) + data[at:]
    if op == 3:
        end = min(n, at + rng.randint(1, 64))
        return data[:at] + data[end:]
    if op == 4:
        end = min(n, at + rng.randint(1, 256))
        return data[:end] + data[at:end] * rng.randint(1, 20) + data[end:]
    if op == 5:
        return data[:at] + rng.randbytes(rng.randint(1, 16)) + data[at:]
    if op == 6 and others:
        other = rng.choice(others)
        cut = rng.randrange(len(other) + 1)
        return data[:at] + other[cut:]
    end = min(n, at + rng.randint(1, 32))
    return data[:at] + bytes(rng.randrange(256) for _ in range(end - at)) + data[end:]


# -- XML ------------------------------------------------------------------------------------------


def mutate_xml(data: bytes, rng: random.Random) -> bytes | None:
    """An element dropped, repeated, moved, emptied, nested deep, renamed or given hostile text or
    attributes; None when the seed is not well-formed (then only byte edits apply)."""
    try:
        root = etree.fromstring(data, safe_xml_parser())
    except etree.XMLSyntaxError:
        return None
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    for _ in range(rng.randint(1, 3)):
        el = rng.choice(elements)
        parent = el.getparent()
        op = rng.randrange(8)
        if op == 0 and parent is not None:
            parent.remove(el)
            elements = [e for e in root.iter() if isinstance(e.tag, str)]
        elif op == 1 and parent is not None:
            for _copy in range(rng.choice((1, 1, 5))):
                parent.insert(parent.index(el), _copy_of(el))
        elif op == 2:
            el.text = _xml_text(hostile_text(rng))
        elif op == 3:
            for child in list(el):
                el.remove(child)
            el.text = None
        elif op == 4:
            donor = rng.choice(elements)
            if donor is not root and el is not root and donor not in el.iterancestors() and donor is not el:
                el.append(_copy_of(donor))
        elif op == 5:
            depth = rng.choice((2, 50, 500))
            node = el
            for _level in range(depth):
                node = etree.SubElement(node, el.tag)
            node.text = "x"
        elif op == 6:
            namespace = etree.QName(el).namespace
            other = etree.QName(rng.choice(elements)).localname
            el.tag = etree.QName(namespace, other).text if namespace else other
        else:
            names = [etree.QName(n).localname for n in el.attrib] or ["id"]
            value = hostile_text(rng)
            el.set(rng.choice(names), _xml_text(value))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _copy_of(el: etree._Element) -> etree._Element:
    from copy import deepcopy

    return deepcopy(el)


def _xml_char(ch: str) -> bool:
    code = ord(ch)
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000


def _xml_text(text: str) -> str:
    return "".join(ch for ch in text if _xml_char(ch))


# -- CSV ------------------------------------------------------------------------------------------


def mutate_csv(data: bytes, rng: random.Random) -> bytes | None:
    """A cell, row or column changed, dropped or repeated, written back as CSV."""
    try:
        text = data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except (UnicodeDecodeError, csv.Error):
        return None
    if not rows:
        return None
    for _ in range(rng.randint(1, 3)):
        r = rng.randrange(len(rows))
        row = rows[r]
        op = rng.randrange(6)
        if op == 0 and row:
            row[rng.randrange(len(row))] = hostile_text(rng)
        elif op == 1:
            del rows[r]
            if not rows:
                return b""
        elif op == 2:
            rows.insert(r, list(row))
        elif op == 3 and row:
            column = rng.randrange(len(row))
            for each in rows:
                if column < len(each):
                    del each[column]
        elif op == 4:
            row.append(hostile_text(rng))
        elif row:
            c = rng.randrange(len(row))
            donor = rows[rng.randrange(len(rows))]
            row[c] = donor[0] if donor else row[c]
    out = io.StringIO()
    csv.writer(out, lineterminator=rng.choice(("\n", "\r\n"))).writerows(rows)
    return out.getvalue().encode("utf-8")


# -- JSON -----------------------------------------------------------------------------------------

_REPLACEMENTS: list[Callable[[random.Random], Any]] = [
    lambda rng: None,
    lambda rng: True,
    lambda rng: rng.choice((0, -1, 10**30, 1.5, float("1e300"))),
    lambda rng: hostile_text(rng),
    lambda rng: [],
    lambda rng: {},
    lambda rng: [hostile_text(rng)] * rng.randint(1, 50),
    lambda rng: {"": hostile_text(rng)},
]


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*path, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += _paths(child, (*path, i))
    return found


def _mutate_value(value: Any, rng: random.Random) -> Any:
    for _ in range(rng.randint(1, 3)):
        paths = [p for p in _paths(value) if p]
        if not paths:
            return rng.choice(_REPLACEMENTS)(rng)
        path = rng.choice(paths)
        parent = value
        for step in path[:-1]:
            parent = parent[step]
        key = path[-1]
        op = rng.randrange(5)
        if op == 0:
            del parent[key]
        elif op == 1 and isinstance(parent, list):
            parent.insert(key, parent[key])
        elif op == 2 and isinstance(parent, dict):
            parent[hostile_text(rng)] = parent[key]
        elif op == 3:
            nested: Any = "x"
            for _level in range(rng.choice((5, 100, 600))):
                nested = [nested]
            parent[key] = nested
        else:
            parent[key] = rng.choice(_REPLACEMENTS)(rng)
    return value


def mutate_json(data: bytes, rng: random.Random) -> bytes | None:
    """A value deleted, repeated, nested deep or swapped for another type; JSON lines are read and
    written one record a line."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    try:
        whole = json.loads(text)
    except (ValueError, RecursionError):
        whole = None
    try:
        if whole is not None:
            return json.dumps(_mutate_value(whole, rng), ensure_ascii=rng.random() < 0.5).encode("utf-8")
        return _mutate_json_lines(text, rng)
    except RecursionError:  # nested past what the encoder writes: keep the seed for byte edits
        return None


def _mutate_json_lines(text: str, rng: random.Random) -> bytes | None:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return None
    i = rng.randrange(len(lines))
    try:
        record = json.loads(lines[i])
    except (ValueError, RecursionError):
        return None
    op = rng.randrange(4)
    if op == 0:
        del lines[i]
    elif op == 1:
        lines.insert(i, lines[i])
    else:
        lines[i] = json.dumps(_mutate_value(record, rng), ensure_ascii=False)
    return ("\n".join(lines) + "\n").encode("utf-8")


# -- SWIFT MT -------------------------------------------------------------------------------------

_MT_TAGS = [
    "20",
    "23B",
    "32A",
    "33B",
    "50K",
    "50F",
    "50A",
    "52A",
    "53A",
    "56A",
    "57A",
    "57D",
    "58A",
    "59",
    "59F",
    "70",
    "71A",
    "72",
    "21",
    "13C",
    "23E",
    "26T",
    "36",
    "51A",
    "54A",
    "55A",
    "77B",
    "119",
    "121",
]


def mutate_mt(data: bytes, rng: random.Random) -> bytes | None:
    """A field line dropped, repeated or given another tag or hostile text; a block brace lost or
    doubled; a sequence B cut; headers damaged."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines = text.split("\n")
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(lines))
        op = rng.randrange(7)
        if op == 0:
            del lines[i]
            if not lines:
                lines = [""]
        elif op == 1:
            lines.insert(i, lines[i])
        elif op == 2:
            lines[i] = f":{rng.choice(_MT_TAGS)}:{lines[i].split(':', 2)[-1]}"
        elif op == 3:
            lines[i] = lines[i][:1] + hostile_text(rng)
        elif op == 4:
            lines.insert(i, f":{rng.choice(_MT_TAGS)}:{hostile_text(rng)}")
        elif op == 5:
            lines[i] = lines[i].replace("{", "", 1) if "{" in lines[i] else "{" + lines[i]
        else:
            lines[i] = lines[i] + "-}" + lines[i]
    return "\n".join(lines).encode("utf-8")


# -- archives (xlsx, a zipped list) ---------------------------------------------------------------


def mutate_zip(data: bytes, rng: random.Random) -> bytes | None:
    """One member of the archive mutated by its own kind (XML members structurally, the rest as
    bytes), a member dropped or a bogus one added, and the archive written back."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    except Exception:  # noqa: BLE001 - a damaged archive (any zlib or zip fault) takes byte edits only
        return None
    if not members:
        return None
    i = rng.randrange(len(members))
    name, body = members[i]
    op = rng.randrange(6)
    if op == 0:
        del members[i]
    elif op == 1:
        members.append((rng.choice(("xl/worksheets/sheet9.xml", "../evil.xml", name)), body))
    else:
        mutated = mutate_xml(body, rng) if name.lower().endswith((".xml", ".rels")) else None
        members[i] = (name, mutated if mutated is not None else mutate_bytes(body, rng, []))
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # a repeated member name is one of the mutations
        for member, content in members:
            archive.writestr(member, content)
    return out.getvalue()


# -- Parquet --------------------------------------------------------------------------------------


def mutate_parquet(data: bytes, rng: random.Random) -> bytes | None:
    """A column retyped (to numbers, lists, maps, nulls or binary), dropped, renamed or given
    hostile strings, and the table written back as Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - a damaged seed takes byte edits only
        return None
    if table.num_columns == 0:
        return None
    c = rng.randrange(table.num_columns)
    name = table.column_names[c]
    rows = table.num_rows
    op = rng.randrange(7)
    if op == 0:
        table = table.remove_column(c)
    elif op == 1:
        table = table.rename_columns(
            [hostile_text(rng) if i == c else n for i, n in enumerate(table.column_names)]
        )
    elif op == 2:
        table = table.set_column(c, name, pa.array([rng.randint(-(2**62), 2**62) for _ in range(rows)]))
    elif op == 3:
        table = table.set_column(c, name, pa.array([[hostile_text(rng)] for _ in range(rows)]))
    elif op == 4:
        table = table.set_column(c, name, pa.array([None] * rows, type=pa.string()))
    elif op == 5:
        table = table.set_column(c, name, pa.array([rng.randbytes(8) for _ in range(rows)]))
    else:
        table = table.set_column(
            c, name, pa.array([{"name": [hostile_text(rng)], "x": 1} for _ in range(rows)])
        )
    out = io.BytesIO()
    pq.write_table(table, out)
    return out.getvalue()


def _mutate_parquet_or_none(data: bytes, rng: random.Random) -> bytes | None:
    try:
        return mutate_parquet(data, rng)
    except Exception:  # noqa: BLE001 - a damaged seed (undecodable column names, say) takes byte edits only
        return None


STRUCTURED: dict[str, Callable[[bytes, random.Random], bytes | None]] = {
    "xml": mutate_xml,
    "csv": mutate_csv,
    "json": mutate_json,
    "mt": mutate_mt,
    "zip": mutate_zip,
    "parquet": _mutate_parquet_or_none,
}


def mutate(data: bytes, kind: str, rng: random.Random, others: list[bytes]) -> bytes:
    """One to three rounds of edits, structure-aware about half the time."""
    for _ in range(rng.choice((1, 1, 2, 3))):
        edited = STRUCTURED[kind](data, rng) if rng.random() < 0.55 else None
        data = edited if edited is not None else mutate_bytes(data, rng, others)
    return data
