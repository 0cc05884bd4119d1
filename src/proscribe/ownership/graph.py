"""Ownership and control data: parsing, validation, the graph arrays and the propagation engine.

Three input forms (``docs/ownership.md`` documents the first two):

- **CSV** with a header row, one relationship a row (owner, owned, share, relationship, ...);
- **JSON**: ``{"parties": [...], "relationships": [...]}``;
- **FollowTheMoney JSON lines** (OpenSanctions ``entities.ftm.json``): ``Ownership`` becomes a
  shareholding with its ``percentage``, ``Directorship`` a directorship, the other relationship
  schemata (``Family``, ``Associate``, ``UnknownLink``, ...) leads without a percentage.

Bad input never stops an import: every problem becomes an :class:`Issue` naming the row (and,
for a bad row, its column and value), and the rest of the file is kept. A relationship spelled
in a way :mod:`.relationships` does not declare, and a CSV row with the wrong number of cells,
are recorded as ``unknown`` relationships, which lead to ``review`` (never dropped, never a
lead, never a block on a guess); the import command fails on them unless they are accepted. Self ownership is dropped; a negative, non-numeric or over-100
share is kept as an *unknown* share (so the edge still counts conservatively: it can only lead
to ``review``, never be ignored); a party named nowhere in the file is kept as an unnamed party;
owned entities whose current shares add up to more than 100% and ownership cycles are reported.

The engine (:class:`Fixpoint`) computes, over NumPy arrays, the least set ``B`` with
``B = seeds ∪ {t : Σ_{e: src(e) ∈ B, dst(e) = t} w(e) ≥ threshold}`` for one or more weight
channels. Each edge is looked at once per time its owner joins ``B`` (a frontier worklist), so a
full computation is linear in the edges and a cycle cannot loop: a node joins ``B`` once.
:meth:`Fixpoint.update` recomputes only the part of the graph downstream of what changed.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np

from proscribe.ownership import relationships

#: Relationship kinds, with the small integer each has in the graph arrays. ``unknown`` is a
#: relationship the data names in a way :mod:`.relationships` does not recognise, or a row that
#: cannot be read reliably: it never blocks, and leads to ``review`` (see :mod:`.regime`).
RELATIONSHIPS = ("shareholding", "voting_rights", "control", "directorship", "nominee", "linked", "unknown")
KIND = {name: code for code, name in enumerate(RELATIONSHIPS)}
SHAREHOLDING, VOTING, CONTROL, DIRECTORSHIP, NOMINEE, LINKED, UNRECOGNISED = range(len(RELATIONSHIPS))

#: Relationships that carry no percentage of their own.
SHARELESS = ("control", "directorship", "linked", "unknown")

#: Control bases the data may record (``control_basis`` column).
CONTROL_BASES = ("board_majority", "dominant_influence", "veto", "shareholder_agreement", "other")

#: FtM relationship schemata and the kind each becomes.
FTM_KINDS = {"Ownership": "shareholding", "Directorship": "directorship"}

#: Issue kinds that are a row the file got wrong: the import reports each (row, column, value,
#: why) and exits non-zero unless the operator accepts them (``--accept-bad-rows``).
BAD_ROW_KINDS = (
    "malformed_row",
    "unknown_relationship",
    "non_numeric_share",
    "negative_share",
    "share_over_100",
    "bad_row",
    "bad_date",
)

#: Shares are compared as integers of 1e-10 percentage points, never as floats: sums are exact
#: (16.6666666667 three times is more than 50%, 10.1 + 19.9 + 20 is exactly 50%), and a share
#: given with more decimals than that is rounded conservatively (its low bound down, its high
#: bound up), so it can cost a review but never a block.
UNITS_PER_POINT = 10**10
_UNIT = Decimal(1) / UNITS_PER_POINT  # the smallest share step: an open bound (">50") is 50 + one step

_TOLERANCE = 1e-6  # display only (format_share)
_ABOVE_50 = float(Decimal(50) + _UNIT)  # "more than 50%"


def share_units(values: Any, *, up: bool) -> np.ndarray:
    """Percentages (floats as stored) as integer units of :data:`UNITS_PER_POINT`.

    A stored float is the nearest double to the decimal the data wrote; scaled, it lies within a
    few millionths of a unit of that decimal's exact unit count, which is what is kept. Anything
    finer than a unit is rounded ``up`` (a high bound) or down (a low bound)."""
    scaled = np.asarray(values, dtype=np.float64) * UNITS_PER_POINT
    nearest = np.rint(scaled)
    exact = np.abs(scaled - nearest) <= 1e-3
    rounded = np.ceil(scaled) if up else np.floor(scaled)
    return np.where(exact, nearest, rounded).astype(np.int64)


def percent_units(percent: float | int | str | Decimal) -> int:
    """A threshold in percent (``50``) as integer units, exactly."""
    return int(Decimal(str(percent)) * UNITS_PER_POINT)


@dataclass
class Issue:
    """A problem found in the data: ``kind`` is one of ``self_ownership``, ``negative_share``,
    ``non_numeric_share``, ``share_over_100``, ``total_over_100``, ``cycle``, ``dangling``,
    ``unknown_share``, ``ranged_share``, ``duplicate``, ``bad_row``, ``bad_date``, ``file``."""

    kind: str
    where: str
    message: str
    entities: list[str] = field(default_factory=list)
    row: int | None = None  # the CSV line, the JSON relationships[] index, the FtM line
    column: str | None = None  # the column (key) at fault; None for the whole row
    value: str | None = None  # what the cell (or the row) held

    def __str__(self) -> str:
        return f"{self.where}: {self.kind}: {self.message}"

    @property
    def bad_row(self) -> bool:
        return self.kind in BAD_ROW_KINDS

    def row_report(self) -> str:
        """``row 4, column relationship, value 'sharehodling': why`` for the operator."""
        row = f"row {self.row}" if self.row is not None else self.where
        column = f", column {self.column}" if self.column else ", whole row"
        value = f", value {self.value!r}" if self.value is not None else ""
        return f"{row}{column}{value}: {self.message}"


@dataclass
class Party:
    """A party of the ownership data, before resolution to a list entity."""

    id: str
    name: str | None = None
    schema: str = "LegalEntity"
    country: str | None = None
    identifiers: dict[str, list[str]] = field(default_factory=dict)
    source: str | None = None
    described: bool = True  # False: only referenced, never described (dangling)


@dataclass
class Edge:
    """One ownership or control relationship: ``owner`` holds ``share`` of / controls ``owned``.

    ``share_low``/``share_high`` bound the percentage: equal for an exact figure, a range for
    ``25-50`` or ``>50``, ``None``/``None`` when unknown (treated as 0 to 100)."""

    id: str
    owner: str
    owned: str
    relationship: str = "shareholding"
    share_low: float | None = None
    share_high: float | None = None
    share_text: str | None = None
    control_basis: str | None = None
    joint_group: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    source: str | None = None
    where: str = ""
    flags: list[str] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.share_low is not None and self.share_high is not None

    @property
    def bounds(self) -> tuple[float, float]:
        if self.relationship in SHARELESS:
            return (0.0, 0.0)
        return (
            self.share_low if self.share_low is not None else 0.0,
            self.share_high if self.share_high is not None else 100.0,
        )

    def current(self, as_of: str) -> bool:
        return (not self.start_date or self.start_date[:10] <= as_of) and (
            not self.end_date or self.end_date[:10] >= as_of
        )

    def share_label(self) -> str:
        if self.relationship == "unknown":
            share = f", share {self.share_text}" if self.share_text else ""
            return f"{self.control_basis or 'unrecognised relationship'}{share}"
        if self.relationship in ("control", "directorship", "linked"):
            return self.relationship.replace("_", " ") + (
                f" ({self.control_basis})" if self.control_basis else ""
            )
        if self.share_low is None or self.share_high is None:
            return "unknown %"
        return format_share(self.share_low, self.share_high)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class OwnershipData:
    parties: dict[str, Party] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


def format_share(low: float, high: float) -> str:
    def num(x: float) -> str:
        return f"{x:.2f}".rstrip("0").rstrip(".")

    if abs(high - low) < _TOLERANCE:
        return f"{num(low)}%"
    if low > 50 and low - 50 < 1e-3 and high >= 100:
        return ">50%"
    if high >= 100 and low > 0:
        return f"≥{num(low)}%"
    if low <= 0 and high < 100:
        return f"<{num(math.ceil(high))}%" if high != int(high) else f"≤{num(high)}%"
    return f"{num(low)}-{num(high)}%"


# -- shares --------------------------------------------------------------------------------------

_NUMBER = r"(\d+(?:[.,]\d+)?)"


def parse_share(text: Any) -> tuple[float | None, float | None, str | None]:
    """``(low, high, problem)`` for a share as data spells it.

    ``60``/``60%``/``60,5`` exact; ``25-50`` a range; ``>50``/``more than 50``/``majority`` above
    50; ``>=50``/``at least 50``; ``<25``/``minority``; empty: unknown. ``problem`` is
    ``negative_share``, ``non_numeric_share`` or ``share_over_100`` (the share is then unknown,
    so the edge still counts conservatively), ``ranged_share`` or ``unknown_share``. Figures are
    read as decimals (an open bound is one share step, 1e-10 points, past the figure) and
    checked against 0 and 100 exactly.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None, None, "unknown_share"
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        if isinstance(text, float) and math.isinf(text):
            return None, None, "non_numeric_share"
        value = Decimal(repr(text)) if isinstance(text, float) else Decimal(text)
        return _checked(value, value)
    raw = str(text).strip().lower().replace("percent", "%").replace(" ", "")
    if raw in ("", "?", "unknown", "n/a", "na", "none", "-"):
        return None, None, "unknown_share"
    raw = raw.rstrip("%")
    if raw in ("majority", "controlling"):
        return _checked(Decimal(50) + _UNIT, Decimal(100), ranged=True)
    if raw == "minority":
        return _checked(Decimal(0), Decimal(50) - _UNIT, ranged=True)
    if raw in ("all", "whole", "wholly-owned", "wholly"):
        return 100.0, 100.0, None
    m = re.fullmatch(r"(>=|≥|atleast|min\.?|\+)?" + _NUMBER + r"(\+)?", raw)
    m_gt = re.fullmatch(r"(>|morethan|over|above)" + _NUMBER, raw)
    m_lt = re.fullmatch(r"(<|lessthan|under|below)" + _NUMBER, raw)
    m_le = re.fullmatch(r"(<=|≤|atmost|upto)" + _NUMBER, raw)
    m_range = re.fullmatch(r"(-?" + _NUMBER[1:-1] + r")%?(?:-|–|to|—)" + _NUMBER, raw)
    try:
        if m_gt:
            return _checked(_num(m_gt.group(2)) + _UNIT, Decimal(100), ranged=True)
        if m_lt:
            return _checked(Decimal(0), max(_num(m_lt.group(2)) - _UNIT, Decimal(0)), ranged=True)
        if m_le:
            return _checked(Decimal(0), _num(m_le.group(2)), ranged=True)
        if m_range:
            low, high = _num(m_range.group(1)), _num(m_range.group(2))
            if low > high:
                low, high = high, low
            return _checked(low, high, ranged=True)
        if m:
            value = _num(m.group(2))
            if m.group(1) or m.group(3):
                return _checked(value, Decimal(100), ranged=True)
            return _checked(value, value)
        if re.fullmatch(r"-" + _NUMBER, raw):
            return None, None, "negative_share"
    except (ValueError, InvalidOperation):
        pass
    return None, None, "non_numeric_share"


def _num(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def _checked(low: Decimal, high: Decimal, ranged: bool = False):
    if not (low.is_finite() and high.is_finite()):
        return None, None, "non_numeric_share"
    if low < 0 or high < 0:
        return None, None, "negative_share"
    if low > 100 or high > 100:
        return None, None, "share_over_100"
    return float(low), float(min(high, Decimal(100))), ("ranged_share" if ranged else None)


_SHARE_MESSAGES = {
    "negative_share": "share {text!r} is negative: kept as an unknown share (review)",
    "non_numeric_share": "share {text!r} is not a number: kept as an unknown share (review)",
    "share_over_100": "share {text!r} is over 100%: kept as an unknown share (review)",
    "unknown_share": "no share given: counted conservatively as 0-100% (review)",
    "ranged_share": "share {text!r} is a range: the low end decides block, the high end review",
}


# -- parsing -------------------------------------------------------------------------------------


def slug(name: str) -> str:
    text = re.sub(r"[^\w]+", "-", name.casefold()).strip("-")
    return f"name:{text}"


def load(path: Path | str, *, source: str | None = None) -> OwnershipData:
    """Read an ownership file (CSV, JSON or FtM JSON lines); never raises for bad content."""
    path = Path(path)
    data = OwnershipData()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        data.issues.append(Issue("file", str(path), f"cannot read file: {exc}"))
        return data
    if raw.startswith(b"\x1f\x8b"):
        import gzip

        raw = gzip.decompress(raw)
    text = raw.decode("utf-8-sig", errors="replace")
    source = source or path.name
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        first = stripped.splitlines()[0] if stripped else ""
        try:
            first_obj = json.loads(first)
        except ValueError:
            first_obj = None
        if isinstance(first_obj, dict) and "schema" in first_obj:
            _load_ftm(path, data, source)
        else:
            _load_json(text, data, source)
    else:
        _load_csv(text, data, source)
    finish(data)
    return data


def _party_from_columns(
    row: dict[str, str], prefix: str, where: str, data: OwnershipData, source: str
) -> str | None:
    pid = (row.get(f"{prefix}_id") or "").strip()
    name = (row.get(f"{prefix}_name") or row.get(prefix) or "").strip()
    if not pid and not name:
        return None
    pid = pid or slug(name)
    party = data.parties.get(pid)
    if party is None:
        party = data.parties[pid] = Party(id=pid, source=source, described=False)
    if name and not party.name:
        party.name = name
        party.described = True
    schema = (row.get(f"{prefix}_schema") or "").strip()
    if schema:
        party.schema = schema
    country = (row.get(f"{prefix}_country") or "").strip()
    if country:
        party.country = country.lower()
    for item in (row.get(f"{prefix}_identifiers") or "").split(";"):
        if ":" in item:
            prop, value = item.split(":", 1)
            if value.strip():
                values = party.identifiers.setdefault(prop.strip(), [])
                if value.strip() not in values:
                    values.append(value.strip())
                party.described = True
    return pid


def _load_csv(text: str, data: OwnershipData, source: str) -> None:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        data.issues.append(Issue("file", source, f"not CSV: {exc}"))
        return
    names = [(h or "").strip().lower() for h in (header or [])]
    headers = {h for h in names if h}
    if not ({"owner_id", "owner_name", "owner"} & headers) or not (
        {"owned_id", "owned_name", "owned"} & headers
    ):
        data.issues.append(
            Issue("file", source, "CSV header needs owner_id/owner_name and owned_id/owned_name columns")
        )
        return
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a NUL byte or an unterminated quote: reported, never skipped
            lineno = reader.line_num
            data.issues.append(
                Issue(
                    "malformed_row", f"{source}: line {lineno}", f"cannot be read as CSV: {exc}", row=lineno
                )
            )
            continue
        lineno = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # a blank line holds nothing
        where = f"{source}: line {lineno}"
        if len(cells) == len(names):
            _add_row(dict(zip(names, cells)), where, data, source, lineno)
        else:
            _add_malformed(cells, names, where, data, source, lineno)


#: Columns whose text may hold a comma of its own (a name, a decimal comma, free text): a row
#: with an extra cell may be read as split inside one of these, never inside an id or a code.
_COMMA_COLUMNS = {
    "owner_name",
    "owned_name",
    "owner",
    "owned",
    "share",
    "percentage",
    "source",
    "control_basis",
    "notes",
    "owner_identifiers",
    "owned_identifiers",
}


#: A row with more stray cells than this is read from the left only.
_MAX_STRAY = 4


def _spreads(columns: list[int], extra: int):
    """Every way to give ``extra`` stray cells to ``columns`` ({column: cells it absorbs})."""
    if extra == 0:
        yield {}
        return
    for n, column in enumerate(columns):
        for take in range(1, extra + 1):
            for rest in _spreads(columns[n + 1 :], extra - take):
                yield {column: take, **rest}


def _readings(cells: list[str], names: list[str]) -> list[tuple[dict[str, str], frozenset[int]]]:
    """Every way a row with the wrong number of cells can line up with the header, with the
    columns a reading joins cells into: cells read from the left (extra ones dropped, missing
    ones empty); the stray cells joined back, by the commas that split them, into columns that
    may hold a comma (``60,5``, ``Acme, Inc``); empty cells put in each place of a short row."""
    width = len(names)
    out = [(dict(zip(names, (cells + [""] * width)[:width])), frozenset())]
    extra = len(cells) - width
    if 0 < extra <= _MAX_STRAY:
        columns = [i for i, name in enumerate(names) if name in _COMMA_COLUMNS]
        for spread in _spreads(columns, extra):
            joined, pos = [], 0
            for i in range(width):
                take = spread.get(i, 0)
                joined.append(",".join(cells[pos : pos + take + 1]))
                pos += take + 1
            out.append((dict(zip(names, joined)), frozenset(spread)))
    elif -_MAX_STRAY <= extra < 0:
        for i in range(len(cells) + 1):
            out.append((dict(zip(names, cells[:i] + [""] * (-extra) + cells[i:])), frozenset()))
    return out


def _fit(row: dict[str, str], names: list[str], joined: frozenset[int]) -> int:
    """How well a reading fits its columns: a share that reads as a share, a relationship the
    table knows, dates that are dates, names that are not (and do not swallow) bare numbers, no
    cell that starts with the space a comma inside text leaves behind, no join of an empty cell."""
    from proscribe.sources.base import parse_date

    score = 0
    share = row.get("share", row.get("percentage", ""))
    if str(share).strip():
        score += 1 if parse_share(share)[2] in (None, "ranged_share") else -1
    rel = row.get("relationship") or row.get("type")
    if rel and str(rel).strip():
        score += 1 if relationships.kind_of(rel) != relationships.UNKNOWN else -1
    for column in ("start_date", "end_date"):
        if (row.get(column) or "").strip() and parse_date(row[column].strip()) is None:
            score -= 1
    for column in ("owner_name", "owned_name"):
        if re.fullmatch(r"[\d.,%\s]+", row.get(column) or "x"):
            score -= 1
    for i, name in enumerate(names):
        value = row.get(name) or ""
        if i in joined:
            parts = value.split(",")
            score -= sum(1 for part in parts if not part.strip())
            if name.endswith("name") and any(re.fullmatch(r"\s*\d+(\.\d+)?\s*", p) for p in parts):
                score -= 1  # a name that swallowed a bare number (a share's decimal part)
        elif value[:1].isspace():
            score -= 1
    return score


def _add_malformed(
    cells: list[str], names: list[str], where: str, data: OwnershipData, source: str, lineno: int
) -> None:
    """A row whose cell count is not the header's cannot be read reliably: the readings that fit
    its columns best are each recorded as an unreadable relationship (review), never as a
    holding that blocks, and the row is never dropped."""
    readings = _readings(cells, names)
    fits = [_fit(row, names, joined) for row, joined in readings]
    best = max(fits)
    issue = Issue(
        "malformed_row",
        where,
        f"{len(cells)} cells where the header has {len(names)} (an unquoted comma, e.g. a decimal "
        'comma "60,5" or "Acme, Inc", or a missing cell): recorded as an unreadable relationship, '
        "review",
        row=lineno,
        value=",".join(cells),
    )
    data.issues.append(issue)
    seen: set[tuple[str, str]] = set()
    for n, ((row, _joined), fit) in enumerate(zip(readings, fits)):
        if fit < best:
            continue
        edge = _add_row(row, where, data, source, lineno, malformed=n)
        if edge is None:
            continue
        if (edge.owner, edge.owned) in seen:
            data.edges.remove(edge)
            continue
        seen.add((edge.owner, edge.owned))
        issue.entities.extend(pid for pid in (edge.owner, edge.owned) if pid not in issue.entities)


def _load_json(text: str, data: OwnershipData, source: str) -> None:
    try:
        doc = json.loads(text)
    except ValueError as exc:
        data.issues.append(Issue("file", source, f"not JSON: {exc}"))
        return
    if isinstance(doc, list):
        doc = {"relationships": doc}
    if not isinstance(doc, dict):
        data.issues.append(Issue("file", source, "expected an object with 'parties' and 'relationships'"))
        return
    parties = doc.get("parties") or []
    if not isinstance(parties, list):
        data.issues.append(
            Issue("bad_row", f"{source}: parties", "'parties' must be a list", column="parties")
        )
        parties = []
    for i, item in enumerate(parties):
        where = f"{source}: parties[{i}]"
        if not isinstance(item, dict) or not str(item.get("id") or "").strip():
            data.issues.append(Issue("bad_row", where, "a party needs an 'id'", row=i, column="id"))
            continue
        pid = str(item["id"]).strip()
        identifiers = item.get("identifiers") or {}
        if not isinstance(identifiers, dict):
            identifiers = {}
        data.parties[pid] = Party(
            id=pid,
            name=(str(item.get("name")).strip() if item.get("name") else None),
            schema=str(item.get("schema") or "LegalEntity"),
            country=(str(item["country"]).lower() if item.get("country") else None),
            identifiers={
                str(k): [str(v) for v in (vals if isinstance(vals, list) else [vals])]
                for k, vals in identifiers.items()
            },
            source=source,
        )
    items = doc.get("relationships") or []
    if not isinstance(items, list):
        data.issues.append(
            Issue(
                "bad_row",
                f"{source}: relationships",
                "'relationships' must be a list",
                column="relationships",
            )
        )
        items = []
    for i, item in enumerate(items):
        where = f"{source}: relationships[{i}]"
        if not isinstance(item, dict):
            data.issues.append(
                Issue("bad_row", where, "a relationship must be an object", row=i, value=str(item)[:200])
            )
            continue
        row = {
            k: (
                ""
                if v is None
                else (v if isinstance(v, (int, float)) and k in ("share", "percentage") else str(v))
            )
            for k, v in item.items()
        }
        row.setdefault("owner_id", row.get("owner", ""))
        row.setdefault("owned_id", row.get("owned", ""))
        row.pop("owner", None)
        row.pop("owned", None)
        _add_row(row, where, data, source, i, json_form=True)


def _relationship_cell(row: dict[str, Any]) -> tuple[str, Any]:
    """The column naming the relationship and its value (``relationship``, ``type``, ``role``)."""
    for key in ("relationship", "type", "role"):
        value = row.get(key)
        if value is not None and str(value).strip():
            return key, value
    return "relationship", ""


def _add_row(
    row: dict[str, Any],
    where: str,
    data: OwnershipData,
    source: str,
    number: int,
    json_form: bool = False,
    malformed: int | None = None,
) -> Edge | None:
    """One relationship row; ``malformed`` (the reading number of a row with the wrong cell
    count) records it as an unreadable relationship, without issues of its own."""
    if json_form:
        owner = str(row.get("owner_id") or "").strip() or None
        owned = str(row.get("owned_id") or "").strip() or None
        for pid in (owner, owned):
            if pid and pid not in data.parties:
                data.parties[pid] = Party(id=pid, source=source, described=False)
    else:
        owner = _party_from_columns(row, "owner", where, data, source)
        owned = _party_from_columns(row, "owned", where, data, source)
    if not owner or not owned:
        if malformed is None:
            side = "owner" if not owner else "owned"
            data.issues.append(
                Issue(
                    "bad_row",
                    where,
                    f"no {side} party: the row names nobody to attach it to; not recorded",
                    [pid for pid in (owner, owned) if pid],
                    row=number,
                    column=side,
                    value="",
                )
            )
        return None
    column, rel_raw = _relationship_cell(row)
    relationship = relationships.kind_of(rel_raw)
    basis = (str(row.get("control_basis")).strip() or None) if row.get("control_basis") else None
    if malformed is not None:
        relationship = "unknown"
        basis = "row not readable (wrong number of cells)"
    elif relationship == relationships.UNKNOWN:
        hint = relationships.suggestion(rel_raw)
        data.issues.append(
            Issue(
                "unknown_relationship",
                where,
                f"relationship {str(rel_raw)!r} is not one the format knows"
                + (f" (did you mean {hint!r}?)" if hint else "")
                + ": recorded as an unrecognised relationship, review",
                [owner, owned],
                row=number,
                column=column,
                value=str(rel_raw),
            )
        )
        basis = f"unrecognised relationship {str(rel_raw).strip()!r}"
    share_raw = row.get("share", row.get("percentage", ""))
    edge = Edge(
        id=str(row.get("id") or f"{source}#{number}") + (f"~{malformed}" if malformed else ""),
        owner=owner,
        owned=owned,
        relationship=relationship,
        share_text=(str(share_raw).strip() if share_raw not in (None, "") else None),
        control_basis=basis,
        joint_group=(str(row.get("joint_group")).strip() or None) if row.get("joint_group") else None,
        start_date=_date(row.get("start_date"), where, data, number, "start_date", malformed is None),
        end_date=_date(row.get("end_date"), where, data, number, "end_date", malformed is None),
        source=(str(row.get("source")).strip() or None) if row.get("source") else source,
        where=where,
    )
    if malformed is not None:
        edge.flags.append("malformed_row")
    elif relationship == "unknown":
        edge.flags.append("unknown_relationship")
    _set_share(edge, share_raw, data, number)
    data.edges.append(edge)
    return edge


def _date(
    value: Any, where: str, data: OwnershipData, row: int | None = None, column: str = "", report: bool = True
) -> str | None:
    from proscribe.sources.base import parse_date

    if value in (None, ""):
        return None
    parsed = parse_date(str(value).strip())
    if parsed is None and report:
        data.issues.append(
            Issue(
                "bad_date",
                where,
                f"date {value!r} is not a date; ignored (the relationship counts as current)",
                row=row,
                column=column or None,
                value=str(value),
            )
        )
    return parsed


def _set_share(edge: Edge, share_raw: Any, data: OwnershipData, row: int | None = None) -> None:
    if edge.relationship in SHARELESS:
        return
    low, high, problem = parse_share(share_raw)
    edge.share_low, edge.share_high = low, high
    if problem:
        edge.flags.append(problem)
        data.issues.append(
            Issue(
                problem,
                edge.where,
                _SHARE_MESSAGES[problem].format(text=edge.share_text),
                [edge.owner, edge.owned],
                row=row,
                column="share",
                value=edge.share_text,
            )
        )


#: FtM lead schemata whose role says ownership or control: the link is recorded as an
#: unrecognised relationship (review), since the schema gives no share to weigh.
_STRONG_KINDS = ("shareholding", "voting_rights", "control", "nominee")


def _load_ftm(path: Path, data: OwnershipData, source: str) -> None:
    from proscribe.sources import ftm_json
    from proscribe.sources.base import ListFormatError

    try:
        parsed = ftm_json.parse(path, "ownership")
        edges = ftm_json.parse_relationships(path)
    except ListFormatError as exc:
        data.issues.append(Issue("file", source, str(exc)))
        return
    for entity in parsed.entities:
        identifiers: dict[str, list[str]] = {}
        for ident in entity.identifiers:
            identifiers.setdefault(ident.label or ident.type, []).append(ident.value)
        data.parties[entity.source_id] = Party(
            id=entity.source_id,
            name=entity.caption,
            schema=entity.schema,
            country=(entity.get("country") or entity.get("jurisdiction") or [None])[0],
            identifiers=identifiers,
            source=source,
        )
        names = [n for _, n in entity.names()]
        if len(names) > 1:
            data.parties[entity.source_id].identifiers["name"] = names
    for i, item in enumerate(edges):
        where = f"{source}: line {item['line']}"
        kind, basis = _ftm_kind(item)
        for pid in (item["source"], item["target"]):
            if pid not in data.parties:
                data.parties[pid] = Party(id=pid, source=source, described=False)
        edge = Edge(
            id=f"{item['id']}#{i}",
            owner=item["source"],
            owned=item["target"],
            relationship=kind,
            share_text=item.get("percentage_text"),
            start_date=item.get("startDate"),
            end_date=item.get("endDate"),
            source=",".join(item.get("datasets") or []) or source,
            where=where,
            control_basis=basis,
        )
        if kind == "unknown":
            edge.flags.append("unknown_relationship")
            data.issues.append(
                Issue(
                    "link_described_as_ownership",
                    where,
                    f"a {item['schema']} link described as {item.get('role')!r}: recorded as an "
                    "unrecognised relationship, review",
                    [edge.owner, edge.owned],
                    row=item["line"],
                    column="role",
                    value=item.get("role"),
                )
            )
        _set_share(edge, item.get("percentage_text"), data, item["line"])
        data.edges.append(edge)


def _ftm_kind(item: dict[str, Any]) -> tuple[str, str | None]:
    """The kind and basis of an FtM relationship. The schema decides; a role only makes it
    more precise (an ``Ownership`` held by a nominee, of voting rights) or, on a lead schema,
    says ownership or control (then review); a role never weakens an ``Ownership``."""
    schema, role = item["schema"], item.get("role") or item.get("relationship")
    said = relationships.kind_of(role, default="")
    kind = FTM_KINDS.get(schema, "linked")
    if kind == "shareholding":
        return (said if said in ("nominee", "voting_rights") else kind), None
    if kind == "directorship":
        return kind, item.get("role")
    if said in _STRONG_KINDS:
        return "unknown", f"{schema} described as {str(role).strip()!r}"
    return "linked", f"{schema}: {role or ''}".strip(": ")


def finish(data: OwnershipData, as_of: str | None = None) -> None:
    """Validate the whole: self ownership, dangling parties, duplicates, totals over 100%, cycles."""
    as_of = as_of or today()
    kept: list[Edge] = []
    for edge in data.edges:
        if edge.owner == edge.owned:
            data.issues.append(
                Issue(
                    "self_ownership",
                    edge.where,
                    f"{edge.owner} is recorded as owning itself; edge dropped",
                    [edge.owner],
                )
            )
            continue
        kept.append(edge)
    data.edges = kept
    for party in data.parties.values():
        if not party.described:
            data.issues.append(
                Issue(
                    "dangling",
                    party.source or "",
                    f"{party.id} is referenced but not described "
                    "in the file; kept as an unnamed party (resolved only by its id)",
                    [party.id],
                )
            )
    # duplicates and totals over current shareholdings
    by_pair: dict[tuple[str, str, str], list[Edge]] = defaultdict(list)
    for edge in data.edges:
        if edge.relationship in ("shareholding", "nominee", "voting_rights") and edge.current(as_of):
            by_pair[(edge.owner, edge.owned, edge.relationship)].append(edge)
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for (owner, owned, rel), group in by_pair.items():
        if len(group) > 1:
            data.issues.append(
                Issue(
                    "duplicate",
                    group[0].where,
                    f"{len(group)} current {rel} records {owner} -> {owned}: the largest counts",
                    [owner, owned],
                )
            )
        low = max(e.bounds[0] for e in group)
        totals[(owned, "voting" if rel == "voting_rights" else "shares")] += Decimal(repr(low))
    for (owned, what), total in totals.items():
        if total > 100:
            data.issues.append(
                Issue(
                    "total_over_100",
                    owned,
                    f"current {what} in {owned} add up to {total:.2f}% (over 100%): the data needs review",
                    [owned],
                )
            )
    for cycle in find_cycles(data.edges, as_of):
        data.issues.append(
            Issue(
                "cycle",
                " -> ".join(cycle + [cycle[0]]),
                f"ownership cycle of {len(cycle)} parties: computed safely (each entity is "
                "decided once; a cycle never blocks itself)",
                list(cycle),
            )
        )


def today() -> str:
    import datetime

    return datetime.date.today().isoformat()


def find_cycles(edges: list[Edge], as_of: str, limit: int = 100) -> list[list[str]]:
    """Strongly connected components (size > 1) of the current ownership edges (iterative Tarjan)."""
    adj: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        if e.relationship != "linked" and e.current(as_of):
            adj[e.owner].append(e.owned)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in list(adj):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = adj.get(node, [])
            if i < len(children):
                work.append((node, i + 1))
                child = children[i]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                if len(comp) > 1:
                    out.append(list(reversed(comp)))
                    if len(out) >= limit:
                        return out
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return out


# -- the graph -----------------------------------------------------------------------------------


class OwnershipGraph:
    """Nodes and current edges as arrays, with compressed in/out adjacency.

    ``src``/``dst`` are node numbers, ``kind`` a :data:`KIND` code, ``low``/``high`` the share
    bounds (0/0 for control, directorship and leads), ``joint`` a joint-arrangement number or -1.
    """

    def __init__(
        self,
        ids: list[str],
        src: np.ndarray,
        dst: np.ndarray,
        kind: np.ndarray,
        low: np.ndarray,
        high: np.ndarray,
        joint: np.ndarray | None = None,
        edges: list[Edge] | None = None,
        joint_names: list[str] | None = None,
    ):
        self.ids = ids
        self.n = len(ids)
        self._index: dict[str, int] | None = None
        self.src = np.asarray(src, dtype=np.int32)
        self.dst = np.asarray(dst, dtype=np.int32)
        self.kind = np.asarray(kind, dtype=np.int8)
        self.low = np.asarray(low, dtype=np.float64)
        self.high = np.asarray(high, dtype=np.float64)
        self.joint = (
            np.full(len(self.src), -1, dtype=np.int32) if joint is None else np.asarray(joint, dtype=np.int32)
        )
        self.joint_names = joint_names or []
        self.edges = edges  # the Edge records, aligned with the arrays (None for synthetic graphs)
        self._build_adjacency()

    def _build_adjacency(self) -> None:
        order = np.argsort(self.src, kind="stable")
        self.out_edges = order.astype(np.int64)
        self.out_ptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.src, minlength=self.n), out=self.out_ptr[1:])
        order = np.argsort(self.dst, kind="stable")
        self.in_edges = order.astype(np.int64)
        self.in_ptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.dst, minlength=self.n), out=self.in_ptr[1:])

    @property
    def index(self) -> dict[str, int]:
        if self._index is None:
            self._index = {pid: i for i, pid in enumerate(self.ids)}
        return self._index

    @classmethod
    def from_data(cls, data: OwnershipData, as_of: str | None = None, extra_ids: list[str] | None = None):
        """The graph of the edges current on ``as_of`` (default today); ended ones are left out."""
        as_of = as_of or today()
        ids = list(data.parties)
        seen = set(ids)
        for pid in extra_ids or []:
            if pid not in seen:
                ids.append(pid)
                seen.add(pid)
        # one edge per (owner, owned, relationship, joint group): the largest current share counts
        best: dict[tuple, Edge] = {}
        for edge in data.edges:
            if not edge.current(as_of) or edge.owner == edge.owned:
                continue
            key = (edge.owner, edge.owned, edge.relationship, edge.joint_group)
            prev = best.get(key)
            if prev is None or edge.bounds > prev.bounds:
                best[key] = edge
        edges = list(best.values())
        for e in edges:
            for pid in (e.owner, e.owned):
                if pid not in seen:
                    ids.append(pid)
                    seen.add(pid)
        index = {pid: i for i, pid in enumerate(ids)}
        joint_names = sorted({e.joint_group for e in edges if e.joint_group})
        joint_index = {name: i for i, name in enumerate(joint_names)}
        graph = cls(
            ids,
            np.array([index[e.owner] for e in edges], dtype=np.int32),
            np.array([index[e.owned] for e in edges], dtype=np.int32),
            np.array([KIND[e.relationship] for e in edges], dtype=np.int8),
            np.array([e.bounds[0] for e in edges], dtype=np.float64),
            np.array([e.bounds[1] for e in edges], dtype=np.float64),
            np.array(
                [joint_index.get(e.joint_group, -1) if e.joint_group else -1 for e in edges], dtype=np.int32
            ),
            edges=edges,
            joint_names=joint_names,
        )
        graph._index = index
        return graph

    def out_of(self, nodes: np.ndarray) -> np.ndarray:
        """Edge numbers leaving ``nodes`` (vectorised CSR gather)."""
        return _gather(self.out_ptr, self.out_edges, nodes)

    def into(self, nodes: np.ndarray) -> np.ndarray:
        return _gather(self.in_ptr, self.in_edges, nodes)


def _gather(ptr: np.ndarray, items: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    nodes = np.asarray(nodes, dtype=np.int64)
    if nodes.size == 0:
        return np.zeros(0, dtype=np.int64)
    starts = ptr[nodes]
    counts = ptr[nodes + 1] - starts
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate(([0], np.cumsum(counts)[:-1])), counts)
    return items[np.arange(total, dtype=np.int64) + offsets]


# -- the engine ----------------------------------------------------------------------------------


@dataclass
class Channel:
    """One weight channel: integer ``weights`` per edge (share units, see :func:`share_units`, or
    counts); a node passes when its sum over edges from nodes in the set reaches ``threshold``
    (``strict``: exceeds it). Integers: a sum is exact, and a comparison needs no tolerance."""

    weights: np.ndarray
    threshold: int = 50 * UNITS_PER_POINT
    strict: bool = False

    def __post_init__(self) -> None:
        self.weights = np.asarray(self.weights, dtype=np.int64)
        self.threshold = int(self.threshold)


class Fixpoint:
    """The least set of nodes that contains ``seeds`` and every node whose sum over edges from
    the set passes a channel. Frontier worklist over NumPy arrays: linear in the edges."""

    def __init__(self, graph: OwnershipGraph, channels: list[Channel]):
        self.graph = graph
        self.channels = channels
        self.member = np.zeros(graph.n, dtype=bool)
        self.seeds = np.zeros(graph.n, dtype=bool)
        self.sums = np.zeros((len(channels), graph.n), dtype=np.int64)
        # when each member joined (0: a seed): a member's justification only uses members that
        # joined before it, so an explanation never goes round a cycle
        self.rank = np.full(graph.n, -1, dtype=np.int64)
        self.clock = 0
        # edges that matter at all (any channel weight > 0): the rest never propagate
        active = np.zeros(len(graph.src), dtype=bool)
        for ch in channels:
            active |= ch.weights > 0
        self.active = active

    def _passes(self, nodes: np.ndarray) -> np.ndarray:
        ok = np.zeros(len(nodes), dtype=bool)
        for c, ch in enumerate(self.channels):
            s = self.sums[c, nodes]
            ok |= (s > ch.threshold) if ch.strict else (s >= ch.threshold)
        return ok

    def _spread(self, frontier: np.ndarray) -> None:
        """Add the frontier's edges to the sums, then keep adding newly passing nodes."""
        g = self.graph
        while frontier.size:
            edges = g.out_of(frontier)
            edges = edges[self.active[edges]]
            if edges.size == 0:
                break
            targets = g.dst[edges]
            for c, ch in enumerate(self.channels):
                w = ch.weights[edges]
                nz = w > 0
                if nz.any():
                    np.add.at(self.sums[c], targets[nz], w[nz])
            cand = np.unique(targets)
            cand = cand[~self.member[cand]]
            new = cand[self._passes(cand)]
            self.member[new] = True
            self.clock += 1
            self.rank[new] = self.clock
            frontier = new

    def run(self, seeds: np.ndarray) -> np.ndarray:
        """Full computation from ``seeds`` (a bool mask); returns the member mask."""
        self.seeds = seeds.astype(bool).copy()
        self.member = self.seeds.copy()
        self.sums[:] = 0
        self.rank[:] = -1
        self.rank[self.seeds] = 0
        self.clock = 0
        self._spread(np.flatnonzero(self.member))
        return self.member

    def update(self, seeds: np.ndarray, touched: np.ndarray | None = None) -> np.ndarray:
        """Recompute after the seeds (designations) change or the edges into ``touched`` nodes
        change; only nodes downstream of a change are looked at. Returns the nodes whose
        membership changed."""
        g = self.graph
        seeds = seeds.astype(bool)
        before = self.member.copy()
        changed = np.flatnonzero(seeds != self.seeds)
        start = np.unique(
            np.concatenate([changed, np.asarray(touched if touched is not None else [], dtype=np.int64)])
        )
        added = seeds & ~self.seeds
        self.seeds = seeds.copy()
        if start.size == 0:
            return np.zeros(0, dtype=np.int64)
        removed_or_touched = start[~added[start]] if start.size else start
        if removed_or_touched.size == 0:
            # only new designations: monotone, continue the fixpoint from them
            new = start[~self.member[start]]
            self.member[new] = True
            self.rank[start] = 0
            self._spread(new)
            return np.flatnonzero(before != self.member)
        # region: members reachable from the start through members (their status may fall)
        region = np.zeros(g.n, dtype=bool)
        region[start] = True
        frontier = start[self.member[start]]
        while frontier.size:
            edges = g.out_of(frontier)
            edges = edges[self.active[edges]]
            t = np.unique(g.dst[edges])
            t = t[self.member[t] & ~region[t]]
            region[t] = True
            frontier = t
        nodes = np.flatnonzero(region)
        # take the region's members out (seeds stay), then recompute the sums of the region and
        # of everything its edges reach from the members outside it
        self.member[nodes] = self.seeds[nodes]
        self.rank[nodes] = np.where(self.seeds[nodes], 0, -1)
        affected_edges = g.out_of(nodes)
        affected = np.unique(np.concatenate([nodes, g.dst[affected_edges[self.active[affected_edges]]]]))
        self.sums[:, affected] = 0
        in_edges = g.into(affected)
        in_edges = in_edges[self.active[in_edges] & self.member[g.src[in_edges]]]
        if in_edges.size:
            targets = g.dst[in_edges]
            for c, ch in enumerate(self.channels):
                w = ch.weights[in_edges]
                np.add.at(self.sums[c], targets, w)
        cand = affected[~self.member[affected]]
        new = cand[self._passes(cand)]
        self.member[new] = True
        self.clock += 1
        self.rank[new] = self.clock
        self._spread(new)
        return np.flatnonzero(before != self.member)


def data_from_rows(
    rows: list[dict[str, Any]], *, source: str = "rows", as_of: str | None = None
) -> OwnershipData:
    """Ownership data from rows shaped like the CSV format's columns (tests, the API)."""
    data = OwnershipData()
    for i, row in enumerate(rows, start=1):
        clean = {
            k: (
                v
                if isinstance(v, (int, float)) and k in ("share", "percentage")
                else ("" if v is None else str(v))
            )
            for k, v in row.items()
        }
        for side in ("owner", "owned"):
            if side in clean and f"{side}_id" not in clean and f"{side}_name" not in clean:
                clean[f"{side}_id"] = clean.pop(side)
                clean[f"{side}_name"] = clean[f"{side}_id"]
        _add_row(clean, f"{source}: row {i}", data, source, i)
    finish(data, as_of)
    return data


def data_from_list_links(entities: list) -> OwnershipData:
    """The lists' own ``Linked To:`` relationships as leads (``linked``, no percentage) between
    list entities; a target named only by its name becomes a party resolved by screening."""
    data = OwnershipData()
    by_source = {(e.dataset, e.source_id): e for e in entities}
    for entity in entities:
        for n, link in enumerate(entity.links):
            target = by_source.get((entity.dataset, link.target_source_id)) if link.target_source_id else None
            if target is not None:
                target_id = target.id
                data.parties.setdefault(
                    target.id, Party(target.id, target.caption, target.schema, source=target.dataset)
                )
            elif link.target_name:
                target_id = slug(link.target_name)
                data.parties.setdefault(target_id, Party(target_id, link.target_name, source=entity.dataset))
            else:
                continue
            data.parties.setdefault(
                entity.id, Party(entity.id, entity.caption, entity.schema, source=entity.dataset)
            )
            data.edges.append(
                Edge(
                    id=f"{entity.id}#link{n}",
                    owner=entity.id,
                    owned=target_id,
                    relationship="linked",
                    control_basis=link.relation,
                    source=entity.dataset,
                    where=f"{entity.dataset} {entity.source_id}",
                )
            )
    finish(data)
    return data
