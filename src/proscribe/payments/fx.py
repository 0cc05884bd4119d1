"""The dated exchange-rate table an operator supplies, so OFAC reports can state a USD value for
property or a transaction in another currency.

Why a table the operator supplies: a report of blocked property (31 CFR 501.603) or of a rejected
transaction (501.604) states the amount, and a USD value is only as good as the rate behind it.
The engine fetches no rates and invents none: it converts with the operator's own published
figures (the Federal Reserve's H.10 noon buying rates, the ECB reference rates, a treasury desk's
closing rates) and says, beside every converted amount, which rate of which date from which file
(by SHA-256) gave it, so an auditor can redo the sum.

The table (CSV, UTF-8, a header row; see docs/fx-rates.md)::

    date,currency,usd_per_unit,units_per_usd,source
    2025-06-12,EUR,1.1578,,Federal Reserve H.10 noon buying rate (FRED DEXUSEU)
    2025-06-12,JPY,,143.64,Federal Reserve H.10 noon buying rate (FRED DEXJPUS)

Each row gives exactly one of ``usd_per_unit`` (US dollars for one unit of the currency) or
``units_per_usd`` (units of the currency for one US dollar), as the source quotes it: H.10 quotes
the euro and the pound in dollars, the yen in yen. ``source`` is optional. The same rows may come
as JSON: ``{"source": "...", "rates": [{"date": ..., "currency": ..., "usd_per_unit": "1.1578"}]}``
with the rate as a string, so its digits are kept exactly.

A table with any bad row (a date that is not ISO, a code not in ISO 4217, a rate that is not a
positive decimal, both rates or none, a date and currency given twice) is refused whole, with
the file and line of every problem: a half-loaded table would convert some items and silently
not others.

Conversion takes the latest rate on or before the date that matters (the day of blocking or
rejection); a rate older than the staleness limit, or none, leaves the USD value empty and says
why. Amounts are Decimal; the result is rounded half-even to cents.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from functools import cache
from pathlib import Path
from typing import Any

from proscribe import jsonbody

#: Calendar days a rate may be older than the date it is used for (a long weekend and a holiday
#: fit; a table nobody has updated for a fortnight does not).
MAX_RATE_AGE_DAYS = 7
#: A rate table larger than this is refused unread (a daily table of every currency for decades
#: is a few MiB).
MAX_TABLE_BYTES = 64 * 1024 * 1024
#: Problems listed in one error before the rest are counted.
MAX_REPORTED_PROBLEMS = 20

COLUMNS = ("date", "currency", "usd_per_unit", "units_per_usd", "source")
REQUIRED = ("date", "currency")
RATE_COLUMNS = ("usd_per_unit", "units_per_usd")
CENT = Decimal("0.01")
_SHOWN = Decimal("1E-10")  # places of a quotient shown in the worked sum (the rounding uses all)
NO_TABLE = "no USD value computed: no rate table supplied"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_RATE = re.compile(r"\d+(?:\.\d+)?")
_SOURCE_LIMIT = 300


class RateTableError(ValueError):
    """A rate table that cannot be used; the message names the file and every bad line."""


@cache
def iso4217_codes() -> frozenset[str]:
    """The alphabetic codes of ISO 4217 List One, as bundled in ``iso4217.json`` (its source and
    publication date are stated there)."""
    data = json.loads((Path(__file__).with_name("iso4217.json")).read_text(encoding="utf-8"))
    return frozenset(data["codes"])


@dataclass(frozen=True)
class Rate:
    """One published rate: the figure as quoted, in the direction it was quoted."""

    day: date
    currency: str
    figure: Decimal
    usd_per_unit: bool  # True: USD for one unit; False: units for one USD
    source: str | None
    where: str  # "line 14" or "rates[12]": where the table holds it

    @property
    def quoted_as(self) -> str:
        return f"USD per {self.currency}" if self.usd_per_unit else f"{self.currency} per USD"

    def to_usd(self, amount: Decimal) -> tuple[Decimal, Decimal]:
        """The exact product or quotient, and the same rounded half-even to cents."""
        with localcontext() as ctx:
            ctx.prec = 60
            exact = amount * self.figure if self.usd_per_unit else amount / self.figure
            return exact, exact.quantize(CENT, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class RateTable:
    """A loaded, fully validated table: each currency's rates in date order."""

    path: str
    sha256: str
    rates: dict[str, list[Rate]] = field(default_factory=dict)

    def latest(self, currency: str, on: date) -> Rate | None:
        """The latest rate for ``currency`` dated on or before ``on``."""
        series = self.rates.get(currency) or []
        n = bisect_right([r.day for r in series], on)
        return series[n - 1] if n else None

    def first(self, currency: str) -> Rate | None:
        series = self.rates.get(currency)
        return series[0] if series else None


# -- loading ---------------------------------------------------------------------------------------


def load(path: Path | str) -> RateTable:
    """The table in ``path`` (CSV, or JSON when it starts with ``{``), validated whole;
    :class:`RateTableError` naming the file and the lines at fault otherwise."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_TABLE_BYTES:
            raise RateTableError(f"{path}: {size} bytes, more than a rate table may have ({MAX_TABLE_BYTES})")
        data = path.read_bytes()
    except OSError as exc:
        raise RateTableError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RateTableError(f"{path}: not UTF-8 text (byte {exc.start + 1})") from None
    if not text.strip():
        raise RateTableError(f"{path}: empty; a rate table needs a header row and at least one rate")
    entries = _json_entries(path, data) if text.lstrip().startswith("{") else _csv_entries(path, text)
    return _table(path, hashlib.sha256(data).hexdigest(), entries)


def _csv_entries(path: Path, text: str) -> list[tuple[str, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
        problems = _header_problems(header)
        if problems:
            raise RateTableError(f"{path}: line 1: " + "; ".join(problems))
        entries = []
        for row in reader:
            where = f"line {reader.line_num}"
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                entries.append((where, {"_error": f"{len(row)} fields where the header has {len(header)}"}))
                continue
            entries.append((where, {k: v.strip() for k, v in zip(header, row)}))
    except csv.Error as exc:
        raise RateTableError(f"{path}: line {reader.line_num}: not valid CSV ({exc})") from None
    return entries


def _header_problems(header: list[str]) -> list[str]:
    problems = []
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        problems.append(
            f"unknown column(s) {', '.join(map(repr, unknown))}; the columns are {', '.join(COLUMNS)}"
        )
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:
        problems.append(f"column(s) {', '.join(map(repr, repeated))} given twice")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if not any(c in header for c in RATE_COLUMNS):
        problems.append("no rate column: give usd_per_unit or units_per_usd (or both, one filled per row)")
    return problems


def _json_entries(path: Path, data: bytes) -> list[tuple[str, dict[str, str]]]:
    try:
        doc = jsonbody.loads(data, where=str(path))
    except jsonbody.BodyError as exc:
        raise RateTableError(str(exc)) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("rates"), list):
        raise RateTableError(f'{path}: a JSON rate table is {{"source": "...", "rates": [...]}}')
    extra = sorted(set(doc) - {"source", "rates"})
    if extra:
        raise RateTableError(
            f"{path}: unknown key(s) {', '.join(map(repr, extra))}; the keys are source, rates"
        )
    default_source = doc.get("source")
    if default_source is not None and not isinstance(default_source, str):
        raise RateTableError(f"{path}: source: must be text")
    entries = []
    for n, item in enumerate(doc["rates"]):
        where = f"rates[{n}]"
        if not isinstance(item, dict):
            entries.append((where, {"_error": "each rate is an object"}))
            continue
        bad = [k for k, v in item.items() if k not in COLUMNS or not isinstance(v, str)]
        if bad:
            entries.append(
                (
                    where,
                    {
                        "_error": f"{', '.join(map(repr, bad))}: unknown key, or a value that is not a string "
                        f'(give rates as strings, e.g. "1.1578", so their digits are kept exactly)'
                    },
                )
            )
            continue
        entry = {k: v.strip() for k, v in item.items()}
        if not entry.get("source") and default_source:
            entry["source"] = default_source.strip()
        entries.append((where, entry))
    return entries


def _table(path: Path, digest: str, entries: list[tuple[str, dict[str, str]]]) -> RateTable:
    problems: list[str] = []
    seen: dict[tuple[date, str], str] = {}
    rates: dict[str, list[Rate]] = {}
    for where, entry in entries:
        try:
            rate = _rate(where, entry)
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        key = (rate.day, rate.currency)
        if key in seen:
            problems.append(
                f"{where}: {rate.currency} on {rate.day.isoformat()} already given at {seen[key]}"
            )
            continue
        seen[key] = where
        rates.setdefault(rate.currency, []).append(rate)
    if not problems and not seen:
        problems.append("no rates in the table")
    if problems:
        shown = problems[:MAX_REPORTED_PROBLEMS]
        more = len(problems) - len(shown)
        tail = f"\n  ... and {more} more" if more else ""
        raise RateTableError(
            f"{path}: refused, nothing loaded ({len(problems)} problem(s)):\n  " + "\n  ".join(shown) + tail
        )
    for series in rates.values():
        series.sort(key=lambda r: r.day)
    return RateTable(path=str(path), sha256=digest, rates=rates)


def _rate(where: str, entry: dict[str, str]) -> Rate:
    if "_error" in entry:
        raise ValueError(entry["_error"])
    text = entry.get("date", "")
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"date {text!r} is not an ISO date (YYYY-MM-DD)") from None
    currency = entry.get("currency", "")
    if currency == "USD":
        raise ValueError("USD needs no rate; list only the other currencies")
    if currency not in iso4217_codes():
        raise ValueError(
            f"currency {currency!r} is not an ISO 4217 code (three upper-case letters of List One)"
        )
    given = [(c, entry[c]) for c in RATE_COLUMNS if entry.get(c)]
    if len(given) != 1:
        raise ValueError(
            "give exactly one of usd_per_unit and units_per_usd"
            + (" (both are filled)" if given else " (neither is filled)")
        )
    column, figure_text = given[0]
    if not _RATE.fullmatch(figure_text):
        raise ValueError(f"{column} {figure_text!r} is not a decimal number such as 1.1578")
    try:
        figure = Decimal(figure_text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise ValueError(f"{column} {figure_text!r} is not a decimal number") from None
    if figure <= 0:
        raise ValueError(f"{column} {figure_text!r} is not positive")
    source = entry.get("source") or None
    if source is not None and (len(source) > _SOURCE_LIMIT or not source.isprintable()):
        raise ValueError(f"source is longer than {_SOURCE_LIMIT} characters or holds control characters")
    return Rate(day, currency, figure, column == "usd_per_unit", source, where)


# -- conversion ------------------------------------------------------------------------------------


def usd_value(
    amount: str | None,
    currency: str | None,
    on: date,
    table: RateTable | None,
    *,
    max_age_days: int = MAX_RATE_AGE_DAYS,
) -> dict[str, Any]:
    """The USD value of ``amount`` in ``currency`` on the day ``on``, for a report:
    ``value_usd`` (text, cents) or None, ``value_note`` saying why there is none, and
    ``conversion`` with the rate, its date, where it stands in which table and the arithmetic.
    A USD amount is its own value, untouched."""
    if amount is None or amount == "":
        return _none("no USD value computed: the payment states no amount")
    if currency == "USD":
        return {"value_usd": amount, "value_note": None, "conversion": None}
    if not currency:
        return _none("no USD value computed: the payment states no currency")
    try:
        value = Decimal(amount)
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        return _none(f"no USD value computed: the amount {amount!r} is not a number")
    if table is None:
        return _none(NO_TABLE)
    rate = table.latest(currency, on)
    if rate is None:
        first = table.first(currency)
        why = (
            f"its first {currency} rate is of {first.day.isoformat()}"
            if first
            else f"it has no {currency} rate at all"
        )
        return _none(
            f"no USD value computed: the rate table {table.path} has no {currency} rate on or before "
            f"{on.isoformat()} ({why})"
        )
    age = (on - rate.day).days
    if age > max_age_days:
        return _none(
            f"no USD value computed: the latest {currency} rate on or before {on.isoformat()} in "
            f"{table.path} is of {rate.day.isoformat()}, {age} days old, older than the "
            f"{max_age_days}-day limit"
        )
    exact, rounded = rate.to_usd(value)
    if rate.usd_per_unit:
        worked = f"{amount} {currency} x {rate.figure} {rate.quoted_as} = {exact} USD"
    else:
        worked = f"{amount} {currency} / {rate.figure} {rate.quoted_as} = {exact.quantize(_SHOWN)}... USD"
    return {
        "value_usd": str(rounded),
        "value_note": None,
        "conversion": {
            "rate": str(rate.figure),
            "quoted_as": rate.quoted_as,
            "rate_date": rate.day.isoformat(),
            "rate_age_days": age,
            "for_date": on.isoformat(),
            "source": rate.source or "not stated in the table",
            "table": table.path,
            "table_at": rate.where,
            "table_sha256": table.sha256,
            "computation": f"{worked}, rounded half-even to cents: {rounded} USD",
        },
    }


def _none(note: str) -> dict[str, Any]:
    return {"value_usd": None, "value_note": note, "conversion": None}
