"""Free text as a reader sees it: the pieces of one field read together, every character traced
back to the field and line it came from.

A parser emits one :class:`~proscribe.payments.messages.FreeText` per line of an MT free-text
field or per repeated ISO 20022 element, numbered ``line`` 1, 2, ... within its ``field``. A
sender (or the 35-character MT line) breaks text wherever the line is full, so a listed name is
as likely to sit across a break as inside one line. :func:`readings` gives every text a reader
could take from one field:

1. the lines joined with a space (the text as shown);
2. words split at a line end rejoined: after a hyphen at the end of a line (the hyphen
   dropped) and at a full line (``width`` characters, 35 for MT), where a writer had no room;
3. every break between two letters or digits rejoined (a word split anywhere).

Each :class:`Reading` keeps the character ranges of its lines, so a hit at characters
``start:end`` is cited as ``70 line 2-3`` or ``CdtTrfTxInf[1]/RmtInf/Ustrd[2-3]``. A piece with
``line`` 0 is a whole field and is read alone (its own line breaks, if any, are its lines).

Each line is rendered on its own (:func:`proscribe.text.render.render_name`): a line break ends
a bidirectional paragraph, and an invisible character at a line end must not stop a word from
being rejoined. Nothing here normalises for matching; :mod:`.freetext` does that.
"""

from __future__ import annotations

from dataclasses import dataclass

from proscribe.payments.messages import FreeText
from proscribe.text.render import MAX_RENDER_CHARS, render_name

#: The line width of SWIFT MT free-text fields (x character set, 35 characters a line).
MT_WIDTH = 35
#: ISO 20022 free-text elements (``Ustrd``, ``InstrInf``, ``AddtlRmtInf``) are Max140Text.
ISO_WIDTH = 140

AS_SHOWN = "lines joined with a space"
DEWRAPPED = "words split at a line end rejoined"
JOINED = "every break inside a word rejoined"
WHOLE = "whole field"


@dataclass(frozen=True, slots=True)
class Segment:
    """Characters ``start:end`` of a reading's text came from ``line`` of the field."""

    start: int
    end: int
    line: int


@dataclass(frozen=True, slots=True)
class Reading:
    """One text to screen, made of the lines of one field."""

    field: str
    text: str
    kind: str  # AS_SHOWN | DEWRAPPED | JOINED | WHOLE
    segments: tuple[Segment, ...]
    numbered: bool = True  # False: a whole field given as one piece (``line`` 0)
    #: True when the lines are repeated elements (``Ustrd`` 1, 2, ...), cited ``field[2-3]``;
    #: False for lines of one field (MT, a JSON array, line breaks inside one element)
    repeated: bool = False

    def lines_at(self, start: int, end: int) -> tuple[int, int]:
        """The first and last line characters ``start:end`` came from."""
        first = last = 0
        for seg in self.segments:
            if seg.end > start and seg.start < max(end, start + 1):
                first = first or seg.line
                last = seg.line
        if not first:  # a position between segments (the joining space): the nearest line
            before = [s.line for s in self.segments if s.end <= start]
            first = last = before[-1] if before else (self.segments[0].line if self.segments else 0)
        return first, last

    def where(self, start: int | None = None, end: int | None = None) -> str:
        """The field and line(s) of characters ``start:end`` (all lines when not given)."""
        if not self.numbered or not self.segments:
            return self.field
        if start is None or end is None:
            first, last = self.segments[0].line, self.segments[-1].line
        else:
            first, last = self.lines_at(start, end)
        lines = str(first) if first == last else f"{first}-{last}"
        if self.repeated:
            return f"{self.field}[{lines}]"
        return f"{self.field} line {lines}"


def is_mt_field(field: str) -> bool:
    """An MT field tag (``70``, ``72``, ``77B``; ``B/70`` in a later sequence): lines, 35
    characters each."""
    return field.rpartition("/")[2][:2].isdigit()


def _is_path(field: str) -> bool:
    """An ISO 20022 path (``CdtTrfTxInf[1]/RmtInf/Ustrd``), whose repeats read as ``[n]``."""
    return "/" in field or field[:1].isupper()


def width_of(field: str) -> int:
    return MT_WIDTH if is_mt_field(field) else ISO_WIDTH


def render_line(text: str) -> str:
    """One line as a reader sees it (bidi applied, invisible characters dropped), nothing cut:
    a line longer than the renderer's bound is rendered in parts split at whitespace."""
    text = text.replace("\r", " ").replace("\n", " ")
    parts = []
    while len(text) > MAX_RENDER_CHARS:
        cut = text.rfind(" ", 0, MAX_RENDER_CHARS)
        cut = cut if cut > 0 else MAX_RENDER_CHARS
        parts.append(text[:cut])
        text = text[cut:]
    parts.append(text)
    return " ".join(render_name(part).text for part in parts).strip()


def readings(pieces: list[FreeText]) -> list[Reading]:
    """Every reading of the free text of a message, field by field, in message order.

    Consecutive pieces of one ``field`` numbered 1, 2, ... are one group (a number that does
    not rise starts a new group: the field repeated); a piece with ``line`` 0 is a group of its
    own, split at its own line breaks."""
    out: list[Reading] = []
    group: list[tuple[int, str]] = []
    group_field: str | None = None
    for piece in pieces:
        if piece.line <= 0:
            if group:
                out.extend(_group_readings(group_field or "", group, repeated=_repeats(group_field)))
                group, group_field = [], None
            lines = piece.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            out.extend(_group_readings(piece.field, list(enumerate(lines, 1)), whole=True))
            continue
        if group and (piece.field != group_field or piece.line <= group[-1][0]):
            out.extend(_group_readings(group_field or "", group, repeated=_repeats(group_field)))
            group = []
        group_field = piece.field
        group.append((piece.line, piece.text))
    if group:
        out.extend(_group_readings(group_field or "", group, repeated=_repeats(group_field)))
    return out


def _repeats(field: str | None) -> bool:
    return bool(field) and not is_mt_field(field or "") and _is_path(field or "")


def _group_readings(
    field: str, lines: list[tuple[int, str]], *, whole: bool = False, repeated: bool = False
) -> list[Reading]:
    rendered = [(n, render_line(text), len(text.strip()), _spaced(text)) for n, text in lines]
    rendered = [item for item in rendered if item[1]]
    if not rendered:
        return []
    if whole and len(rendered) == 1:
        text = rendered[0][1]
        return [Reading(field, text, WHOLE, (Segment(0, len(text), rendered[0][0]),), numbered=False)]
    out = [_join(field, rendered, AS_SHOWN, repeated, lambda a, b, full: None)]
    out.append(_join(field, rendered, DEWRAPPED, repeated, lambda a, b, full: _glue(a, b, full, False)))
    out.append(_join(field, rendered, JOINED, repeated, lambda a, b, full: _glue(a, b, full, True)))
    seen: set[str] = set()
    unique = []
    for reading in out:
        if reading.text not in seen:
            seen.add(reading.text)
            unique.append(reading)
    return unique


def _glue(first: str, second: str, full: bool, anywhere: bool) -> int | None:
    """How many characters to drop from the end of ``first`` to join ``second`` to it without a
    space (1 for a hyphen, 0 for a bare break), or None when the break is a space between words.
    ``full``: ``first`` filled its line, so its writer had no room for the rest of the word."""
    if not first or not second or not second[0].isalnum():
        return None
    if first.endswith("-") and first[:-1][-1:].isalnum():
        return 1
    if first[-1].isalnum() and (anywhere or full):
        return 0
    return None


def _spaced(text: str) -> tuple[bool, bool]:
    """Whether the writer put a space at the start and at the end of a line (a word break)."""
    return text[:1].isspace(), text.rstrip("\r\n")[-1:].isspace()


def _join(
    field: str, lines: list[tuple[int, str, int, tuple[bool, bool]]], kind: str, repeated: bool, glue
) -> Reading:
    width = width_of(field)
    text = ""
    segments: list[Segment] = []
    previous, previous_full, previous_spaced = "", False, False
    for n, line, raw_length, (starts_spaced, ends_spaced) in lines:
        if segments:
            drop = None if previous_spaced or starts_spaced else glue(previous, line, previous_full)
            if drop is None:
                text += " "
            elif drop:
                text = text[:-drop]
                last = segments[-1]
                segments[-1] = Segment(last.start, len(text), last.line)
        segments.append(Segment(len(text), len(text) + len(line), n))
        text += line
        previous, previous_full, previous_spaced = line, max(raw_length, len(line)) >= width, ends_spaced
    return Reading(field, text, kind, tuple(segments), repeated=repeated)
