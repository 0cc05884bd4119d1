"""SWIFT MT field formats, compiled from the SWIFT notation the standards print (``16x``,
``6!n3!a15d``, ``[/34x]$4*35x``, ``4*(1!n/33x)``) into a check of a field's value.

Why compile the notation rather than write a pattern per field: the message types declare their
fields' formats as data (``mt_types.toml``, copied from the standards), so a new type or option is
a line of data, and every field of every type is checked the same way. A :class:`FieldFormat`
also knows the field's character set, its most lines and its widest line, so an error can say
what is wrong ("5 lines; field 70 allows at most 4") before falling back to "does not match".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

#: SWIFT character set X (one line: no line break).
X_CHARS = r"A-Za-z0-9/\-?:().,'+ "
#: SWIFT character set Z: X plus these (``9000z`` narrative fields such as 77T).
Z_CHARS = X_CHARS + r"=!\"%&*<>;{@#_\n"
CLASSES = {
    "n": "0-9",
    "a": "A-Z",
    "c": "A-Z0-9",
    "h": "0-9A-F",
    "x": X_CHARS,
    "y": r"A-Z0-9 .,\-()/='+:?!\"%&*<>;",
    "z": Z_CHARS,
    "d": "0-9,",
}
_TOKEN = re.compile(r"(\d+)(!?)([nachxyzd])")
_LINES = re.compile(r"(\d+)\*(\d+)([nachxyzd])")
_GROUP_LINES = re.compile(r"(\d+)\*\(")


@dataclass(frozen=True)
class FieldFormat:
    notation: str
    pattern: re.Pattern[str]
    max_lines: int
    width: int  # the widest line the format allows
    charset: str  # "x" or "z"

    def matches(self, value: str) -> bool:
        return self.pattern.fullmatch(value) is not None


def _piece(notation: str) -> tuple[str, int, int]:
    """(regex, lines, width) of one line's notation (no ``$``), or of ``n*m`` lines."""
    out, i, lines, width = [], 0, 1, 0
    while i < len(notation):
        rest = notation[i:]
        if rest.startswith("["):
            depth, j = 0, i
            while j < len(notation):
                depth += {"[": 1, "]": -1}.get(notation[j], 0)
                if depth == 0:
                    break
                j += 1
            inner, inner_lines, inner_width = _piece(notation[i + 1 : j])
            out.append(f"(?:{inner})?")
            width += inner_width
            lines = max(lines, inner_lines)
            i = j + 1
            continue
        group = _GROUP_LINES.match(rest)
        if group:
            close = notation.index(")", i)
            inner, _lines, inner_width = _piece(notation[i + group.end() : close])
            count = int(group.group(1))
            out.append(f"{inner}(?:\\n{inner}){{0,{count - 1}}}")
            lines, width = count, max(width, inner_width)
            i = close + 1
            continue
        multi = _LINES.match(rest)
        if multi:
            count, size, kind = int(multi.group(1)), int(multi.group(2)), multi.group(3)
            one = f"[{CLASSES[kind]}]{{1,{size}}}"
            out.append(f"{one}(?:\\n{one}){{0,{count - 1}}}")
            lines, width = count, max(width, size)
            i += multi.end()
            continue
        token = _TOKEN.match(rest)
        if token:
            size, exact, kind = int(token.group(1)), token.group(2), token.group(3)
            out.append(f"[{CLASSES[kind]}]{{{size}}}" if exact else f"[{CLASSES[kind]}]{{1,{size}}}")
            width += size
            if kind == "z":
                lines = max(lines, size)
            i += token.end()
            continue
        out.append(re.escape(notation[i]))
        width += 1
        i += 1
    return "".join(out), lines, width


@cache
def compile_format(notation: str) -> FieldFormat:
    """The check of a field written in SWIFT notation; ``$`` separates its lines. A line whose
    notation is all optional (``[/34x]``) may be left out with its line break."""
    parts, max_lines, width = [], 0, 0
    pieces = notation.split("$")
    newline = ""  # what separates the next line from the last: nothing before the first line
    for n, piece in enumerate(pieces):
        regex, lines, piece_width = _piece(piece)
        optional = re.fullmatch(regex, "") is not None
        max_lines, width = max_lines + lines, max(width, piece_width)
        if not optional:
            parts.append(newline + regex)
            newline = "\\n"
        elif n < len(pieces) - 1 and not newline:
            parts.append(f"(?:(?!\\n){regex}\\n)?")  # an optional first line, its break with it
        else:
            parts.append(f"(?:{newline}(?!\\n){regex})?")
            newline = newline or "\\n"
    pattern = re.compile("".join(parts))
    return FieldFormat(notation, pattern, max_lines, width, "z" if "z" in notation else "x")
