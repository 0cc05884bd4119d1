"""Digits and signs written for letters (``1NTEGR1TY``, ``M4H4N``, ``$EPAH``): the careful reading.

An evader writes ``1`` for ``I``, ``0`` for ``O``, ``3 4 5 7 8`` for ``E A S T B`` and ``@ $``
for ``A S``; a reader still reads the word. But names hold real numbers too (``3M``, ``WEB3``,
``Lab49``, ``A380``, ``148SH``, a registration number), and reading those as letters would make
up names nobody wrote. So a token is read as letters only when it looks like a word written
with signs, never when it looks like an identifier or a number:

* it mixes letters and signs, with at least two letters and no fewer letters than signs;
* no run of three digits or more (an identifier), and no run of two digits at either end
  (``COVID19``, ``12TH``: a number beside a word);
* every digit has a letter it stands for (``B2B``, ``4X4`` and ``G6`` stay as written);
* a single digit after a plain word (``WEB3``, ``PLAN7``) is a number after a name, unless
  another word of the same name is itself written with signs (``AG4T PLAN7``): then the name
  shows the disguise, and the last word is read the same way.

The result is only ever an additional reading (:func:`proscribe.text.render.readings`), so an
ordinary name keeps its plain reading first and is matched as written.
"""

from __future__ import annotations

import re

__all__ = ["ONE_AS_L", "SIGNS_FOR_LETTERS", "digits_as_letters"]

#: Sign -> the letter it stands for (``1`` also stands for ``l``: see :data:`ONE_AS_L`).
SIGNS_FOR_LETTERS = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"}
#: The second reading of ``1`` (``A1I`` is ``ALI``; ``1RAN`` is ``IRAN``).
ONE_AS_L = {"1": "l"}

_TABLE_I = str.maketrans(SIGNS_FOR_LETTERS)
_TABLE_L = str.maketrans({**SIGNS_FOR_LETTERS, **ONE_AS_L})
_TOKEN = re.compile(r"[\w@$]+")
_IDENTIFIER = re.compile(r"\d{3}|^\d{2}|\d{2}$")
_TRAILING_DIGIT = re.compile(r"^[^\W\d_]+\d$")

# How a token may be read: not at all, only beside another word written with signs, or alone.
_NO, _BESIDE, _ALONE = 0, 1, 2


def _kind(token: str) -> int:
    if token.isalpha() or token.isdigit():
        return _NO
    letters = sum(ch.isalpha() for ch in token)
    signs = sum(ch in SIGNS_FOR_LETTERS for ch in token)
    if letters < 2 or signs == 0 or signs > letters or letters + signs != len(token):
        return _NO  # a number with one letter (3M, A380), or a digit no letter is written as (B2B)
    if _IDENTIFIER.search(token):
        return _NO
    return _BESIDE if _TRAILING_DIGIT.match(token) else _ALONE


def digits_as_letters(text: str, one: str = "i") -> str:
    """``text`` with every word written with signs read as letters (module doc); ``one`` is the
    letter ``1`` is read as (``i`` or ``l``). Unchanged when no word qualifies."""
    tokens = list(_TOKEN.finditer(text))
    kinds = [_kind(m.group()) for m in tokens]
    if _ALONE not in kinds:
        return text
    table = _TABLE_I if one == "i" else _TABLE_L
    out: list[str] = []
    last = 0
    for match, kind in zip(tokens, kinds, strict=True):
        out.append(text[last : match.start()])
        out.append(match.group().translate(table) if kind != _NO else match.group())
        last = match.end()
    out.append(text[last:])
    return "".join(out)
