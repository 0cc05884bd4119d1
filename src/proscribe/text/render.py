"""The one reading of a name: what a person looking at it sees.

Every name (from a query, a list or a payment message) is rendered here before it is split into
tokens or romanised; no other module strips or splits characters on its own. An evader hides a
listed name behind characters that a screen shows one way and a naive comparison reads another
way; :func:`render_name` undoes each such disguise and says which (:attr:`Rendered.undone`):

1. **markup and encodings** a web form or a mail leaves behind: HTML character references
   (``&#77;``, ``&amp;``, ``&nbsp;``), HTML tags (``<b>MAHAN</b>``), percent-encoding
   (``MAHAN%20AIR``, only when it decodes to UTF-8) and MIME encoded words (``=?utf-8?b?..?=``),
   decoded until nothing changes;
2. **bidi controls**: a right-to-left override (U+202E ... U+202C) shows its run of Latin letters
   reversed, so the run is reversed here (``\u202eRIA NAHAM`` reads ``MAHAN AIR``); embeddings,
   isolates and marks show nothing and are dropped;
3. **compatibility letters**: full-width, mathematical, circled, squared, parenthesised and
   regional-indicator letters become plain letters (NFKC plus a few enclosed forms NFKC leaves);
4. **invisible characters**: format characters (zero-width, soft hyphen, bidi, tag characters
   U+E0000-E007F), variation selectors, the combining grapheme joiner and enclosing combining marks
   (U+0489 ...) are dropped, and so are generic combining marks left over after composition
   (stacks on Latin letters: what remains is the letter a reader reads);
5. **breaks**: control characters, line and paragraph separators, Hangul fillers and the Braille
   blank become a space between words. Between two letters a reader cannot tell whether they break
   the word (``MAHAN<TAB>AIR``) or split it (``MA<TAB>HAN``), so one TAB is kept there and
   :func:`readings` screens both the joined and the spaced word;
6. **look-alike letters**: a word mixing Latin with Cyrillic, Greek, Cherokee ... letters that look
   Latin is folded to its Latin skeleton (``РUTIN`` -> ``PUTIN``, Unicode TR39); a Cyrillic word
   holding a Latin look-alike is written back in Cyrillic (``ПУТИH`` -> ``ПУТИН``); a word made
   only of letters of a look-alike script (Cherokee, Lisu ...) is folded outright. See
   :mod:`proscribe.text.confusables`;
7. **spelled-out words**: five or more single letters with one separator between them
   (``M A H A N``, ``M.A.H.A.N``, ``M*A*H*A*N``) are rejoined: nobody has five initials.

:func:`readings` then gives the other readings a reader may take from the rendered text, each
screened as well: a word all of whose Cyrillic or Greek letters look Latin (``ВАНК`` in
``ВАНК MELLI``), three or four spaced single letters rejoined (``J R R Tolkien`` is also read
``JRR Tolkien``), a symbol inside a Latin word removed (``MA-HAN``, ``MAH|AN``; not the hyphen
after an Arabic article, ``al-Qaida``), digits and signs written for letters (``M4HAN``,
``1NTEGR1TY``, ``M@HAN``; not a number after a name, ``WEB3``, nor a number with one letter,
``3M``, nor an identifier: see :mod:`proscribe.text.digit_letters`).

Plain printable ASCII without ``& % < =`` and without spaced single letters takes a fast path
(most list names): it is returned stripped, unchanged otherwise. :func:`render_identifier` reads
identifiers the same way, folding every look-alike letter and every script's digits.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from email.header import decode_header, make_header
from functools import lru_cache
from urllib.parse import unquote

from proscribe.text.confusables import (
    LOOKALIKE_SCRIPTS,
    REAL_SCRIPTS,
    TO_CYRILLIC,
    TO_GREEK,
    TO_LATIN,
    script_of,
)
from proscribe.text.digit_letters import digits_as_letters

__all__ = [
    "BIDI_OVERRIDE",
    "BREAK",
    "Rendered",
    "Reading",
    "disguises",
    "is_plain",
    "readings",
    "render_identifier",
    "render_name",
]

#: Labels of what was undone (the explanation of a match names them).
BIDI_OVERRIDE = "bidi override applied"
INVISIBLE = "invisible characters removed"
MARKS = "combining marks removed"
BREAK = "control or line-break characters inside a word read both joined and split"
COMPAT = "full-width, styled or enclosed letters read as plain letters"
HTML_ENTITIES = "HTML entities decoded"
HTML_TAGS = "HTML tags removed"
PERCENT = "percent-encoding decoded"
MIME = "MIME encoded words decoded"
LOOKALIKE = "look-alike letters folded ({})"
LOOKALIKE_WORD = "look-alike word read as Latin ({})"
SPACED = "spaced letters rejoined"
SPLIT = "symbol inside a word removed"
DIGITS = "digits read as letters"
GLUED = "words glued together read apart at a capital"
FOREIGN_DIGITS = "digits of another script read as ASCII digits"

#: The one character that marks "a break between two letters" in rendered text.
_MARK = "\t"
#: Bound on the work one name may cost (a name is not a document). Longer input is rendered on
#: its first characters; :func:`proscribe.text.names.name_limits_exceeded` says so.
MAX_RENDER_CHARS = 20_000
#: At most this many readings of one name.
MAX_READINGS = 8
#: A run of this many single letters spells a word out (nobody has five initials): it is rendered
#: rejoined. Shorter runs (``J R R Tolkien``) are read both ways (:func:`readings`).
MIN_SPELLED_OUT = 5


@dataclass(frozen=True, slots=True)
class Rendered:
    """``text``: what a reader sees; ``undone``: labels of the disguises removed, in order."""

    text: str
    undone: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reading:
    """One way of reading a rendered name, with the disguises undone to get it."""

    text: str
    undone: tuple[str, ...] = ()


# -- character classes -----------------------------------------------------------------------------

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BIDI_PUSH = {
    "\u202a": "L",
    "\u202b": "R",
    "\u202d": "LO",
    "\u202e": "RO",
    "\u2066": "I",
    "\u2067": "I",
    "\u2068": "I",
}
_BIDI_POP = {"\u202c": "PDF", "\u2069": "PDI"}
_PARAGRAPH = frozenset("\n\r\u2029\x1c\x1d\x1e\x85")
# Strong right-to-left letters (Hebrew, Arabic, Syriac, Thaana, NKo ... and their presentation forms).
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")
_RTL_RUN = re.compile(
    r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]+(?:\s+[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]+)*"
)

# Characters shown as a break (or nothing) that a comparison would read as part of a word.
_BREAKS = frozenset(
    [chr(c) for c in range(0x20) if c != 0x20]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + ["\u2028", "\u2029", "\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"]
)
# Generic combining marks: after composition, what is left of them sits on a letter it does not
# belong to (a stack, a strike-through, an enclosing circle). Script-specific marks (Arabic
# harakat, Indic vowel signs) are outside these blocks and stay.
_GENERIC_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_ENCLOSING = frozenset("\u0488\u0489\u1abe\u20dd\u20de\u20df\u20e0\u20e2\u20e3\u20e4\ua670\ua671\ua672")


def _invisible_table() -> dict[int, None]:
    """Every format character (Unicode category Cf) of the planes names use, the variation
    selectors, the combining grapheme joiner, Mongolian free variation selectors, Khmer inherent
    vowels: characters a reader does not see."""
    table: dict[int, None] = {}
    ranges = [(0, 0x3000), (0xFE00, 0x10000), (0x11000, 0x11100), (0x13430, 0x13460), (0x1BC00, 0x1BCB0),
              (0x1D100, 0x1D200), (0xE0000, 0xE0200)]  # fmt: skip
    for start, end in ranges:
        for cp in range(start, end):
            if unicodedata.category(chr(cp)) == "Cf" and chr(cp) not in _BIDI_CONTROLS:
                table[cp] = None
    extra = [
        *range(0xFE00, 0xFE10),
        *range(0xE0100, 0xE01F0),
        0x034F,
        0x180B,
        0x180C,
        0x180D,
        0x180F,
        0x17B4,
        0x17B5,
    ]
    for cp in extra:
        table[cp] = None
    for ch in _ENCLOSING:
        table[ord(ch)] = None
    return table


def _space_table() -> dict[int, str]:
    """Every space separator (Unicode Zs) as a plain space: NFKC leaves some (U+1680) alone."""
    return {cp: " " for cp in range(0x80, 0x3001) if unicodedata.category(chr(cp)) == "Zs"}


_INVISIBLE = _invisible_table()
#: Every decimal digit of the Basic Multilingual Plane (Arabic-Indic, Devanagari ...) -> ASCII.
_DIGITS_TO_ASCII = {
    cp: str(unicodedata.digit(chr(cp)))
    for cp in range(0x660, 0x10000)
    if unicodedata.category(chr(cp)) == "Nd"
}
_BREAK_TABLE = {ord(ch): _MARK for ch in _BREAKS}
_DROP_AND_BREAK = {**_space_table(), **_INVISIBLE, **_BREAK_TABLE}

# Enclosed letters NFKC leaves alone: parenthesised, negative circled and squared, regional
# indicators (a flag emoji is drawn from two of them).
_ENCLOSED: dict[int, str] = {}
for _i in range(26):
    _ENCLOSED[0x249C + _i] = chr(ord("a") + _i)
    _ENCLOSED[0x1F150 + _i] = chr(ord("A") + _i)
    _ENCLOSED[0x1F170 + _i] = chr(ord("A") + _i)
    _ENCLOSED[0x1F1E6 + _i] = chr(ord("A") + _i)
_ENCLOSED_RE = re.compile(r"[\u249c-\u24b5\U0001f150-\U0001f169\U0001f170-\U0001f189\U0001f1e6-\U0001f1ff]")

_ASCII_TRIGGER = re.compile(r"[&%<=\x00-\x1f\x7f]")
_BREAK_RUN = re.compile(r"[ \t]*\t[ \t]*")
_SPACES = re.compile(r" {2,}")

# -- markup and encodings ----------------------------------------------------------------------------

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# HTML elements only: "<Holdings>" in a name is not markup. Block elements read as a break.
_INLINE_TAGS = (
    "a|abbr|b|bdi|bdo|big|blink|cite|code|del|dfn|em|font|i|img|ins|kbd|label|mark|marquee|nobr|q|s|samp"
    "|small|span|strike|strong|sub|sup|tt|u|var|wbr"
)
_BLOCK_TAGS = "body|br|center|div|h[1-6]|head|hr|html|li|ol|p|pre|table|tbody|td|th|thead|title|tr|ul"
_INLINE_TAG = re.compile(rf"</?\s*(?:{_INLINE_TAGS})(?:\s[^<>]*)?/?>", re.IGNORECASE)
_BLOCK_TAG = re.compile(rf"</?\s*(?:{_BLOCK_TAGS})(?:\s[^<>]*)?/?>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->|<\?[^<>]*?\?>|<!\[CDATA\[|\]\]>", re.DOTALL)
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_MIME_WORD = re.compile(r"=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=")


def _decode_once(text: str, undone: list[str]) -> str:
    if "&" in text and _ENTITY.search(text):
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
        _note(undone, HTML_ENTITIES)
    if "<" in text:
        stripped = _COMMENT.sub("", text)
        stripped = _BLOCK_TAG.sub(" ", _INLINE_TAG.sub("", stripped))
        if stripped != text:
            text = stripped
            _note(undone, HTML_TAGS)
    if "%" in text and _PERCENT.search(text):
        try:
            decoded = unquote(text, errors="strict")
        except UnicodeDecodeError:
            decoded = text
        if decoded != text:
            text = decoded
            _note(undone, PERCENT)
    if "=?" in text and _MIME_WORD.search(text):
        try:
            decoded = str(make_header(decode_header(text)))
        except (ValueError, LookupError, UnicodeError):
            decoded = text
        if decoded != text:
            text = decoded
            _note(undone, MIME)
    return text


def _decode(text: str, undone: list[str]) -> str:
    """Markup and encodings, decoded until nothing changes (``&amp;#77;`` is ``&#77;`` is ``M``)."""
    for _ in range(8):
        decoded = _decode_once(text, undone)
        if decoded == text:
            break
        text = decoded
    return text


# -- bidi ----------------------------------------------------------------------------------------------


def _reader_order(run: str, direction: str) -> str:
    """The order a reader takes a run shown under an override in: under a right-to-left override
    Latin letters appear reversed (Arabic and Hebrew ones in their usual order); under a
    left-to-right override Arabic and Hebrew letters appear reversed."""
    if direction == "RO":
        run = run[::-1]
    return _RTL_RUN.sub(lambda m: m.group()[::-1], run) if _RTL.search(run) else run


def _apply_bidi(text: str) -> str:
    """Apply explicit overrides (U+202D, U+202E) as a display would (nested ones too), and drop
    every explicit embedding, isolate and pop character. A paragraph break ends all of them."""
    root: list = []
    stack: list[tuple[str, list]] = [("", root)]
    for ch in text:
        if ch in _BIDI_PUSH:
            node: list = []
            stack[-1][1].append((_BIDI_PUSH[ch], node))
            stack.append((_BIDI_PUSH[ch], node))
        elif ch in _BIDI_POP:
            if _BIDI_POP[ch] == "PDI":
                while len(stack) > 1 and stack[-1][0] != "I":
                    stack.pop()
                if len(stack) > 1:
                    stack.pop()
            elif len(stack) > 1 and stack[-1][0] != "I":
                stack.pop()
        elif ch in _PARAGRAPH:
            del stack[1:]
            root.append(ch)
        else:
            stack[-1][1].append(ch)
    return _flatten(root, "")


def _flatten(children: list, direction: str) -> str:
    if direction in ("RO", "LO"):
        parts: list[str] = []
        plain: list[str] = []
        for child in children:
            if isinstance(child, str):
                plain.append(child)
                continue
            if plain:
                parts.append(_reader_order("".join(plain), direction))
                plain = []
            parts.append(_flatten(child[1], child[0]))
        if plain:
            parts.append(_reader_order("".join(plain), direction))
        return "".join(reversed(parts)) if direction == "RO" else "".join(parts)
    return "".join(child if isinstance(child, str) else _flatten(child[1], child[0]) for child in children)


# -- look-alike letters ------------------------------------------------------------------------------

_LETTERS = re.compile(r"[^\W\d_]+")


def _is_latin(ch: str) -> bool:
    return ch < "\u0250" or "\u1e00" <= ch <= "\u1eff"


def _fold_word(word: str, folded: set[str]) -> str:
    """A word of look-alikes, or a word mixing scripts, in the script a reader takes it for."""
    latin = others = plain_others = 0
    scripts: set[str] = set()
    for ch in word:
        if ch.isascii() or _is_latin(ch):
            latin += 1
        else:
            others += 1
            script = script_of(ch)
            if script is None:
                plain_others += 1
            else:
                scripts.add(script)
    if not others or not scripts:
        return word
    if plain_others:
        # Letters that exist only in the other script: the word is that script's, and a Latin
        # look-alike inside it stands for that script's letter (ПУТИH).
        if not latin:
            return word
        target = _word_script(word)
        back = TO_CYRILLIC if target == "Cyrillic" else TO_GREEK if target == "Greek" else None
        if back is None:
            return word
        folded.add(f"Latin→{target}")
        return "".join(back.get(ch, ch) for ch in word)
    if not latin and scripts <= REAL_SCRIPTS:
        return word  # a genuine word of a real script: an extra reading only (see readings)
    folded.update(f"{s.replace('_', ' ')}→Latin" for s in scripts if s != "Latin")
    return "".join(TO_LATIN.get(ch, ch) for ch in word)


def _word_script(word: str) -> str | None:
    for ch in word:
        if not (ch.isascii() or _is_latin(ch)):
            name = unicodedata.name(ch, "").split(" ", 1)[0]
            return name.title()
    return None


# An ASCII letter next to a non-ASCII one: where a mixed-script word must show itself.
_SCRIPT_BOUNDARY = re.compile(r"[A-Za-z][^\W\d_A-Za-z]|[^\W\d_A-Za-z][A-Za-z]")
# Letters of the look-alike scripts (folded even in a word of their own).
_LOOKALIKE_ONLY = frozenset(ch for ch in TO_LATIN if script_of(ch) in LOOKALIKE_SCRIPTS)
_LOOKALIKE_ANY = frozenset(TO_LATIN)
_DROP_LOOKALIKES = dict.fromkeys(map(ord, TO_LATIN))


def _fold_lookalikes(text: str, undone: list[str]) -> str:
    folded: set[str] = set()
    text = _LETTERS.sub(lambda m: _fold_word(m.group(), folded), text)
    for label in sorted(folded):
        _note(undone, LOOKALIKE.format(label))
    return text


# -- rendering -------------------------------------------------------------------------------------


def _note(undone: list[str], label: str) -> None:
    if label not in undone:
        undone.append(label)


@lru_cache(maxsize=1 << 16)
def render_name(text: str) -> Rendered:
    """What a reader sees of ``text``, and which disguises were undone to get there (module doc).

    Idempotent: rendering the rendered text again changes nothing.
    """
    if len(text) > MAX_RENDER_CHARS:
        text = text[:MAX_RENDER_CHARS]
    if text.isascii() and text.isprintable() and not _ASCII_TRIGGER.search(text):
        if not _SPACED_RUN.search(text):
            return Rendered(text.strip())
        undone: list[str] = []
        return Rendered(_spell_out(text.strip(), undone), tuple(undone))
    undone = []
    text = _visible(text, undone)
    if not text.isascii() and (_SCRIPT_BOUNDARY.search(text) or not _LOOKALIKE_ONLY.isdisjoint(text)):
        text = _fold_lookalikes(text, undone)
    if _MARK in text:
        text = _settle_breaks(text, undone)
    elif "  " in text:
        text = _SPACES.sub(" ", text)
    if _ASCII_TRIGGER.search(text):
        text = _decode(text, undone)  # markup that only bidi or NFKC brought out
    return Rendered(_spell_out(text.strip(" "), undone), tuple(undone))


@lru_cache(maxsize=1 << 14)
def render_identifier(value: str, fold_all: bool = True) -> Rendered:
    """An identifier as a reader sees it: rendered like a name (markup, bidi, invisible and
    compatibility characters), breaks read as spaces, every decimal digit as an ASCII digit
    (``٩``, ``９`` -> ``9``) and, with ``fold_all``, every look-alike letter as the Latin letter it
    imitates (``Р`` in a USCC is ``P``): identifiers are written in Latin letters and digits.
    Websites and e-mail addresses (``fold_all=False``, international names are real) only get
    the mixed-script fold of names."""
    if len(value) > MAX_RENDER_CHARS:
        value = value[:MAX_RENDER_CHARS]
    if value.isascii() and value.isprintable() and not _ASCII_TRIGGER.search(value):
        return Rendered(value.strip())
    undone: list[str] = []
    text = _visible(value, undone).replace(_MARK, " ")
    if not text.isascii():
        digits = text.translate(_DIGITS_TO_ASCII)
        if digits != text:
            _note(undone, FOREIGN_DIGITS)
            text = digits
        if fold_all and not _LOOKALIKE_ANY.isdisjoint(text):
            scripts = sorted({script_of(ch) or "" for ch in text if ch in TO_LATIN} - {""})
            text = "".join(TO_LATIN.get(ch, ch) for ch in text)
            for script in scripts:
                _note(undone, LOOKALIKE.format(f"{script.replace('_', ' ')}→Latin"))
        elif _SCRIPT_BOUNDARY.search(text) or not _LOOKALIKE_ONLY.isdisjoint(text):
            text = _fold_lookalikes(text, undone)
    if _ASCII_TRIGGER.search(text):
        text = _decode(text, undone)
    return Rendered(text.strip(), tuple(undone))


def _visible(text: str, undone: list[str]) -> str:
    """The steps names and identifiers share: markup decoded, bidi applied, compatibility
    letters plain, invisible characters and leftover combining marks dropped, breaks marked."""
    text = _decode(text, undone)
    if not _BIDI_CONTROLS.isdisjoint(text):
        if "\u202d" in text or "\u202e" in text:
            _note(undone, BIDI_OVERRIDE)
        else:
            _note(undone, INVISIBLE)
        text = _apply_bidi(text)
    if not text.isascii():
        if _ENCLOSED_RE.search(text):
            text = _ENCLOSED_RE.sub(lambda m: _ENCLOSED[ord(m.group())], text)
            _note(undone, COMPAT)
        normal = unicodedata.normalize("NFKC", text)
        if normal != text and _compat_letters(text):
            _note(undone, COMPAT)
        text = normal
    enclosing = not text.isascii() and not _ENCLOSING.isdisjoint(text)
    dropped = text.translate(_DROP_AND_BREAK)
    if len(dropped) != len(text) and not enclosing:
        _note(undone, INVISIBLE)
    text = dropped
    if enclosing:
        _note(undone, MARKS)
    if not text.isascii() and _GENERIC_MARKS.search(text):
        _note(undone, MARKS)
        text = _GENERIC_MARKS.sub("", text)
    return text


def _settle_breaks(text: str, undone: list[str]) -> str:
    """One TAB where breaks alone sit between two letters or digits, a space anywhere else."""

    def settle(m: re.Match) -> str:
        start, end = m.span()
        between = 0 < start and end < len(text) and text[start - 1].isalnum() and text[end].isalnum()
        return _MARK if between and " " not in m.group() else " "

    settled = _BREAK_RUN.sub(settle, text)
    if _MARK in settled:
        _note(undone, BREAK)
    return _SPACES.sub(" ", settled)


_COMPAT_KINDS = ("<font>", "<wide>", "<narrow>", "<circle>", "<square>", "<super>", "<sub>", "<small>")


def _compat_letters(text: str) -> bool:
    """Whether NFKC changed letters (styled, full-width, enclosed ...), not just spaces or ligatures."""
    return any(_compat_letter(ch) for ch in text if not ch.isascii())


@lru_cache(maxsize=4096)
def _compat_letter(ch: str) -> bool:
    return (
        unicodedata.decomposition(ch).startswith(_COMPAT_KINDS)
        and unicodedata.normalize("NFKC", ch).isalnum()
    )


# -- further readings ------------------------------------------------------------------------------

# Three or more single letters (or digits) separated by one and the same separator.
_SPACED_RUN = re.compile(
    r"(?<![^\W_])[^\W_](?P<sep>[ \t]{1,3}|[^\w\s]{1,2}[ \t]?|_{1,2})[^\W_](?:(?P=sep)[^\W_])+(?![^\W_])"
)
# Between two Latin letters only: names in other scripts are screened with in-word hyphens
# removed by the matcher, and rejoining them here would romanise thousands of list names twice.
_SYMBOL_IN_WORD = re.compile(r"(?<=[A-Za-z\u00c0-\u024f])[-_|*/\\·•~+=#^:;!]+(?=[A-Za-z\u00c0-\u024f])")
_WORD_BEFORE = re.compile(r"[^\W\d_]+$")
_PARTICLES = frozenset(
    "al el ul il ad ar as at az an ash ath adh ed es et ez abu abou abd abdul abdel bin ben ibn bint bani um umm".split()
)
_DIGIT_NEXT_TO_LETTER = re.compile(r"[^\W\d_][\d@$]|[\d@$][^\W\d_]")
# Characters without which no symbol-in-word or digit reading can apply (the fast path).
_SIGNS = frozenset("0123456789@$-_|*/\\·•~+=#^:;!")


def _rejoin_spaced(text: str) -> str:
    return _SPACED_RUN.sub(lambda m: m.group().replace(m.group("sep"), ""), text)


def _spell_out(text: str, undone: list[str]) -> str:
    """Runs of five or more spaced single letters rejoined (``M A H A N`` -> ``MAHAN``): nobody
    has five initials, and a reader reads the word. Shorter runs (``J R R Tolkien``) stay; they
    get a rejoined reading besides (:func:`readings`)."""
    if not _SPACED_RUN.search(text):
        return text

    def rejoin(m: re.Match) -> str:
        joined = m.group().replace(m.group("sep"), "")
        return joined if len(joined) >= MIN_SPELLED_OUT else m.group()

    joined = _SPACED_RUN.sub(rejoin, text)
    if joined != text:
        _note(undone, SPACED)
    return joined


def _unsplit(text: str) -> str:
    """Symbols inside words removed (``MA-HAN`` -> ``MAHAN``), except the hyphen after an Arabic
    article or kinship particle (``al-Qaida``, ``Abu-Bakr``): that spelling is the usual one,
    written apart as often as together, and the matcher screens every query with its in-word
    hyphens removed as well; rejoining it would only double the forms of thousands of list names."""

    def join(m: re.Match) -> str:
        if m.group() == "-":
            start = m.start()
            word = _WORD_BEFORE.search(text, 0, start)
            if word is not None and word.group().lower() in _PARTICLES:
                return m.group()
        return ""

    return _SYMBOL_IN_WORD.sub(join, text)


def _lookalike_words(text: str) -> tuple[str, tuple[str, ...], bool]:
    """Cyrillic, Greek or Armenian words whose letters all look Latin, read as Latin, when the
    name around them is Latin (``ВАНК MELLI``: that reading comes first) or when every word of
    the name is such a word (``РАСКЕТ``: after the transliteration). A name with a genuine word
    of that script (``Роман Борисович``) is that script's and gets no such reading."""
    rest = text.translate(_DROP_LOOKALIKES)
    if not rest.isascii() and any(ch.isalpha() and not _is_latin(ch) for ch in rest if not ch.isascii()):
        return text, (), False
    words = _LETTERS.findall(text)
    latin = [w for w in words if all(_is_latin(ch) for ch in w)]
    scripts = sorted({script_of(ch) or "" for ch in text if ch in TO_LATIN} - {""})
    folded = _LETTERS.sub(lambda m: "".join(TO_LATIN.get(ch, ch) for ch in m.group()), text)
    return folded, tuple(LOOKALIKE_WORD.format(s) for s in scripts), bool(latin)


#: A capital after two small letters inside one word: two words glued together, by hand
#: (``PresidentPutin``) or by an invisible joiner dropped above (``President\u200dPutin``).
#: Read apart as well; the glued reading stays first, so ``MacArthur`` still matches as written.
_GLUED_WORDS = re.compile(r"(?<=[a-zà-ÿа-яёα-ω]{2})(?=[A-ZÀ-ÞА-ЯЁΑ-Ω][a-zà-ÿа-яёα-ω])")


def _unglue(text: str) -> str:
    return _GLUED_WORDS.sub(" ", text)


_TRANSFORMS = (
    (_GLUED_WORDS, _unglue, GLUED),
    (_SPACED_RUN, _rejoin_spaced, SPACED),
    (_SYMBOL_IN_WORD, _unsplit, SPLIT),
    (_DIGIT_NEXT_TO_LETTER, digits_as_letters, DIGITS),
)


@lru_cache(maxsize=4096)
def readings(text: str) -> tuple[Reading, ...]:
    """Every reading of a name to screen, best first; the first is the rendered text itself
    (with a break between letters read as joining them). ``text`` may be raw: it is rendered."""
    rendered = render_name(text)
    text = rendered.text
    if not text:
        return ()
    lookalikes = not text.isascii() and not _LOOKALIKE_ANY.isdisjoint(text)
    if (
        not lookalikes
        and _MARK not in text
        and _SIGNS.isdisjoint(text)
        and not _SPACED_RUN.search(text)
        and not _GLUED_WORDS.search(text)
    ):
        return (Reading(text),)
    found: list[Reading] = []
    if _MARK in text:
        found = [Reading(text.replace(_MARK, ""), (BREAK,)), Reading(text.replace(_MARK, " "))]
    else:
        found = [Reading(text)]
    if lookalikes:
        more: list[Reading] = []
        for reading in found:
            folded, labels, latin_context = _lookalike_words(reading.text)
            if folded != reading.text:
                extra = Reading(folded, reading.undone + labels)
                more.extend([extra, reading] if latin_context else [reading, extra])
            else:
                more.append(reading)
        found = more
    for check, transform, label in _TRANSFORMS:
        for reading in list(found):
            if not check.search(reading.text):
                continue
            changed = transform(reading.text)
            if changed != reading.text:
                found.append(Reading(changed, reading.undone + (label,)))
            if transform is digits_as_letters and "1" in reading.text:
                other = digits_as_letters(reading.text, one="l")
                if other not in (changed, reading.text):
                    found.append(Reading(other, reading.undone + (label,)))
    unique: list[Reading] = []
    seen: set[str] = set()
    for reading in found:
        if reading.text not in seen:
            seen.add(reading.text)
            unique.append(reading)
    return tuple(unique[:MAX_READINGS])


def is_plain(text: str) -> bool:
    """Whether ``text`` is printable ASCII that no rendering step or further reading changes
    (beyond stripping its ends): most list names. Lets callers skip the reading machinery."""
    return (
        text.isascii()
        and text.isprintable()
        and _SIGNS.isdisjoint(text)
        and not _ASCII_TRIGGER.search(text)
        and not _SPACED_RUN.search(text)
        and not _GLUED_WORDS.search(text)
    )


def disguises(text: str) -> list[str]:
    """Every disguise undone in reading ``text``: those removed by rendering, then those behind
    a further reading (spaced letters, digits for letters ...). Give it the name as received: a
    name already rendered (``clean()``) no longer shows markup, bidi or invisible characters."""
    labels = list(render_name(text).undone)
    for reading in readings(text):
        for label in reading.undone:
            if label not in labels:
                labels.append(label)
    return labels
