"""Names into comparable forms: the one normalisation both the index and every query use.

``name_forms("PUTIN, Vladimir Vladimirovich", "Person")`` gives the tokens
``vladimir vladimirovich putin`` with roles (given name, middle name, surname), and
``name_forms("永信至诚科技集团股份有限公司", "Company")`` gives romanised forms such as
``yongxin zhicheng technology group lf_ltd``. Steps, in order:

1. control characters removed, length capped (a 10,000-character "name" is not a name);
2. person comma forms (``LAST, First Middle``) reordered to ``First Middle LAST``;
3. dots inside abbreviations dropped (``d.o.o.`` -> ``doo``, ``S.A.`` -> ``sa``), apostrophes
   dropped (``O'Brien`` -> ``obrien``), hyphens and other punctuation become spaces;
4. every script romanised to lower-case ASCII (:mod:`proscribe.text.scripts`), accents folded;
5. honorifics dropped; legal-form phrases tagged (:mod:`proscribe.text.legal`).

Pure functions, cached: the same list name recurs across datasets and snapshots.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from proscribe.text import scripts
from proscribe.text.legal import HONORIFICS, expand_abbreviations, tag_legal_forms

MAX_NAME_CHARS = 300
MAX_TOKENS = 16

#: Token roles. CORE tokens carry full weight; MIDDLE tokens (middle names, patronymics) cost
#: little when missing on the other side; LEGAL tokens are legal-form tags.
CORE, MIDDLE, LEGAL = 0, 1, 2

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028-\u202e]")
_INVISIBLE_RE = re.compile(r"[\u00ad\u200b-\u200f\u2060\ufeff]")  # soft hyphen, zero-width, BOM
_ABBREV_DOT_RE = re.compile(r"(?<=\w)\.(?=\w)|(?<=\b\w)\.")
_APOSTROPHE_RE = re.compile(r"[\u0027\u2018\u2019\u02bc\u02bb\u0060\u00b4]")
_PATRONYMIC_RE = re.compile(r"(ovich|evich|ovna|evna|ovitch|ogly|oglu|kyzy|qizi|ovych|ivna)$")


@dataclass(frozen=True, slots=True)
class NameForm:
    tokens: tuple[str, ...]
    roles: tuple[int, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


#: Arabic-script letters written interchangeably (Persian/Urdu forms, final-ya, tatweel).
_ARABIC_VARIANTS = str.maketrans({
    "\u0649": "\u064a",  # alif maqsura -> ya
    "\u06cc": "\u064a",  # Persian ye -> ya
    "\u06a9": "\u0643",  # Persian kaf -> kaf
    "\u0640": None,  # tatweel
})


def clean(text: str) -> str:
    """Remove zero-width characters, turn control characters into spaces, normalise Unicode
    (NFKC), cap the length."""
    text = _INVISIBLE_RE.sub("", text)
    text = _CONTROL_RE.sub(" ", text)
    text = unicodedata.normalize("NFKC", text).translate(_ARABIC_VARIANTS)
    return text[:MAX_NAME_CHARS].strip()


def _prepare(text: str, is_person: bool = False) -> str:
    """Punctuation that changes tokens: in a person's name dots separate initials (``A.H.`` ->
    ``A H``); elsewhere they join abbreviations (``d.o.o.`` -> ``doo``). Apostrophes join."""
    text = text.replace(".", " ") if is_person else _ABBREV_DOT_RE.sub("", text)
    text = _APOSTROPHE_RE.sub("", text)
    return expand_abbreviations(text) if not is_person else text


@lru_cache(maxsize=200_000)
def name_forms(name: str, schema: str = "LegalEntity") -> tuple[NameForm, ...]:
    """All comparable forms of one name, best first (several when the script allows several
    romanisations). Empty when the name has no letters or digits."""
    text = clean(name)
    if not text:
        return ()
    is_person = schema == "Person"
    parts: list[str]
    surname_first = False
    if is_person and text.count(",") == 1:
        surname, given = (p.strip() for p in text.split(",", 1))
        if surname and given:
            parts = [given, surname]
            surname_first = True
        else:
            parts = [surname or given]
    else:
        parts = [text]
    # Chinese and Korean given names romanise to separate syllables ("chen wen bo"): none of
    # them is a middle name that may go missing.
    syllabic = bool(scripts.detect_scripts(text) & {"Han", "Hangul"})
    # Romanise each part; combine the per-part alternatives (bounded).
    alternatives: list[list[str]] = [scripts.latin_forms(_prepare(part, is_person))[:4] or [""] for part in parts]
    combos: list[str] = [""]
    for options in alternatives:
        combos = [f"{prefix} {option}".strip() for prefix in combos for option in options][:6]
    forms: list[NameForm] = []
    seen: set[tuple[str, ...]] = set()
    for combo in combos:
        tokens = combo.split()
        if not tokens:
            continue
        if is_person or schema == "LegalEntity":
            # Titles precede names ("Sheikh Mohammed", "Dr. Ayman"); a title-like word at the
            # end is a surname ("M.N. SHEIKH") and stays.
            while len(tokens) > 1 and tokens[0] in HONORIFICS:
                tokens = tokens[1:]
        if not is_person:
            tokens = tag_legal_forms(tokens)
        tokens = tokens[:MAX_TOKENS]
        key = tuple(tokens)
        if key in seen:
            continue
        seen.add(key)
        forms.append(NameForm(key, _roles(tokens, is_person and not syllabic, surname_first)))
    return tuple(forms)


def _roles(tokens: list[str], is_person: bool, surname_first: bool) -> tuple[int, ...]:
    roles = []
    last = len(tokens) - 1
    for i, token in enumerate(tokens):
        if token.startswith("lf_"):
            roles.append(LEGAL)
        elif is_person and 0 < i < last:
            roles.append(MIDDLE)
        elif is_person and _PATRONYMIC_RE.search(token) and len(tokens) > 2:
            roles.append(MIDDLE)
        else:
            roles.append(CORE)
    return tuple(roles)


def normalise_text(text: str) -> str:
    """Free text to the same token space as names (used by the free-text scanner)."""
    forms = scripts.latin_forms(_prepare(clean(text)))
    return forms[0] if forms else ""
