"""Names into comparable forms: the one normalisation both the index and every query use.

``name_forms("PUTIN, Vladimir Vladimirovich", "Person")`` gives the tokens
``vladimir vladimirovich putin`` with roles (given name, middle name, surname), and
``name_forms("永信至诚科技集团股份有限公司", "Company")`` gives romanised forms such as
``yongxin zhicheng technology group lf_ltd``. Steps, in order:

1. the name is rendered as a reader sees it (:mod:`proscribe.text.render`: markup decoded, bidi
   overrides applied, invisible characters dropped, look-alike letters folded), and every further
   reading of it (spaced letters rejoined, digits read as letters ...) gives forms too;
2. person comma forms (``LAST, First Middle``) reordered to ``First Middle LAST``;
3. dots inside abbreviations dropped (``d.o.o.`` -> ``doo``, ``S.A.`` -> ``sa``), apostrophes
   dropped (``O'Brien`` -> ``obrien``), hyphens and other punctuation become spaces;
4. every script romanised to lower-case ASCII (:mod:`proscribe.text.scripts`), accents folded;
5. honorifics dropped; legal-form phrases tagged (:mod:`proscribe.text.legal`).
6. an organisation name written in Korean, Chinese, Arabic, Persian or Russian gets extra
   English-word readings (:mod:`proscribe.text.orgwords`: ``조선무역은행`` -> ``korea trading bank``).

Pure functions, cached: the same list name recurs across datasets and snapshots.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from proscribe.text import orgwords, orthography, scripts
from proscribe.text.legal import HONORIFICS, expand_abbreviations, tag_legal_forms
from proscribe.text.render import MAX_RENDER_CHARS, disguises, is_plain, readings, render_name
from proscribe.text.titles import strip_title_text, strip_titles
from proscribe.text.variants import is_tabled_given_name

__all__ = [
    "CORE",
    "LEGAL",
    "MAX_NAME_CHARS",
    "MAX_TOKENS",
    "MIDDLE",
    "SECOND_SURNAME",
    "NameForm",
    "clean",
    "disguises",
    "name_forms",
    "name_limits_exceeded",
    "normalise_text",
]

#: Safety bounds on one name (a 10,000-word "name" is not a name). Nothing is cut silently:
#: :func:`name_limits_exceeded` says when a name goes beyond them, so the caller can warn.
MAX_NAME_CHARS = 2_000
MAX_TOKENS = 200
#: At most this many forms of one name (all its readings together).
MAX_FORMS = 12

#: Token roles. CORE tokens carry full weight; MIDDLE tokens (middle names, patronymics) cost
#: little when missing on the other side; LEGAL tokens are legal-form tags.
CORE, MIDDLE, LEGAL = 0, 1, 2
#: The second of two surnames (Spanish, Portuguese): often left out, so it costs less than a
#: surname when missing, more than a middle name (``unmatched_second_surname_share``).
SECOND_SURNAME = 3

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
_ARABIC_VARIANTS = str.maketrans(
    {
        "\u0649": "\u064a",  # alif maqsura -> ya
        "\u06cc": "\u064a",  # Persian ye -> ya
        "\u06a9": "\u0643",  # Persian kaf -> kaf
        "\u0640": None,  # tatweel
    }
)


def clean(text: str) -> str:
    """The name as a reader sees it (:func:`proscribe.text.render.render_name`): markup decoded,
    bidi overrides applied, invisible characters dropped, look-alike letters in mixed-script
    words folded. Empty when nothing visible is left. A TAB stands where a break sat between
    two letters (:func:`name_forms` reads it both joined and split)."""
    return render_name(text[:MAX_RENDER_CHARS]).text


def name_limits_exceeded(name: str, schema: str = "LegalEntity") -> str | None:
    """A warning when ``name`` goes beyond the safety bounds of :func:`name_forms` (only its
    first :data:`MAX_NAME_CHARS` characters and :data:`MAX_TOKENS` words are screened), else
    ``None``."""
    rendered = render_name(name[:MAX_RENDER_CHARS]).text
    length = max(len(rendered), len(name) if len(name) > MAX_RENDER_CHARS else 0)
    if length > MAX_NAME_CHARS:
        return (
            f"name is {length:,} characters long: only its first {MAX_NAME_CHARS:,} characters are screened"
        )
    words = max((len(form.tokens) for form in _forms(name, schema, None)), default=0)
    if words > MAX_TOKENS:
        return f"name has {words:,} words: only its first {MAX_TOKENS:,} words are screened"
    return None


def _prepare(text: str, is_person: bool = False) -> str:
    """Punctuation that changes tokens: in a person's name dots separate initials (``A.H.`` ->
    ``A H``); elsewhere they join abbreviations (``d.o.o.`` -> ``doo``). Apostrophes join."""
    text = text.replace(".", " ") if is_person else _ABBREV_DOT_RE.sub("", text)
    text = _APOSTROPHE_RE.sub("", text)
    return expand_abbreviations(text) if not is_person else text


@lru_cache(maxsize=200_000)
def name_forms(name: str, schema: str = "LegalEntity") -> tuple[NameForm, ...]:
    """All comparable forms of one name, best first: the forms of each reading of it
    (:func:`proscribe.text.render.readings`), several per reading when the script allows several
    romanisations. Empty when the name has no letters or digits."""
    return _forms(name, schema, MAX_TOKENS)


def _forms(name: str, schema: str, max_tokens: int | None) -> tuple[NameForm, ...]:
    if len(name) <= MAX_NAME_CHARS and is_plain(name):
        plain = _reading_forms(name, schema, max_tokens)[:MAX_FORMS]
        plain = _with_respellings(plain, name, schema, max_tokens)
        return tuple(_with_org_readings(plain, name, schema, max_tokens))
    forms: list[NameForm] = []
    seen: set[tuple[str, ...]] = set()
    for reading in readings(name[:MAX_RENDER_CHARS]):
        for form in _reading_forms(reading.text[:MAX_NAME_CHARS], schema, max_tokens):
            if form.tokens not in seen and len(forms) < MAX_FORMS:
                seen.add(form.tokens)
                forms.append(form)
    forms = _with_respellings(forms, name, schema, max_tokens)
    return tuple(_with_org_readings(forms, name, schema, max_tokens))


def _with_respellings(
    forms: list[NameForm], name: str, schema: str, max_tokens: int | None
) -> list[NameForm]:
    """``forms`` plus the name re-spelt from a national Latin orthography into the English-style
    romanisation of the lists (:mod:`proscribe.text.orthography`: ``Vlagyimir Putyin`` ->
    ``vladimir putin``). Persons only (and parties of unknown kind): organisation names are not
    transcribed by these rules. The re-spellings come after the ordinary forms; when all
    :data:`MAX_FORMS` places are taken, the last ordinary forms give way."""
    if schema not in ("Person", "LegalEntity") or not forms or len(name) > MAX_NAME_CHARS:
        return forms
    seen = {form.tokens for form in forms}
    extra: list[NameForm] = []
    for _language, text in orthography.respellings(name):
        for form in _reading_forms(text, schema, max_tokens)[:1]:
            if form.tokens not in seen:
                seen.add(form.tokens)
                extra.append(form)
    if not extra:
        return forms
    return [*forms[: MAX_FORMS - len(extra)], *extra]


def _with_org_readings(
    forms: list[NameForm], name: str, schema: str, max_tokens: int | None
) -> list[NameForm]:
    """``forms`` plus the English-word readings of an organisation name written in its own
    language (:mod:`proscribe.text.orgwords`: ``조선무역은행`` -> ``korea trading bank``).

    Known acronyms are read both ways (``IRGC`` <-> ``Islamic Revolution Guards Corps``,
    :func:`proscribe.text.orgwords.acronyms`). The readings come after the ordinary forms, which stay as they are; when all
    :data:`MAX_FORMS` places are taken, the last ordinary forms give way (the best ones come
    first). Persons have no such reading: their names are not made of dictionary words."""
    if schema == "Person" or not forms:
        return forms
    readings_: list[str] = list(orgwords.acronym_expansions(forms[0].tokens))
    acronym = _acronym_of(forms[0].tokens)
    if acronym:
        readings_.append(acronym)
    if not name.isascii():
        readings_.extend(orgwords.english_readings(clean(name[:MAX_NAME_CHARS]).replace("\t", " ")))
    if not readings_:
        return forms
    seen = {form.tokens for form in forms}
    extra: list[NameForm] = []
    for reading in readings_[: MAX_FORMS // 3]:
        for form in _reading_forms(reading, schema, max_tokens)[:1]:
            if form.tokens not in seen and any(role != LEGAL for role in form.roles):
                seen.add(form.tokens)
                extra.append(form)
    if not extra:
        return forms
    return [*forms[: MAX_FORMS - len(extra)], *extra]


@lru_cache(maxsize=1)
def _expansions() -> dict[tuple[str, ...], str]:
    """Known acronyms by their expansion's core tokens (as :func:`name_forms` gives them)."""
    table: dict[tuple[str, ...], str] = {}
    for acronym, expansion in orgwords.acronyms().items():
        for form in _reading_forms(expansion, "Organization", None)[:1]:
            key = tuple(t for t, r in zip(form.tokens, form.roles, strict=True) if r != LEGAL)
            table.setdefault(key, acronym)
    return table


def _acronym_of(tokens: tuple[str, ...]) -> str | None:
    """The known acronym of a name that is written out in full (``islamic revolution guards
    corps`` -> ``irgc``), else ``None``."""
    if len(tokens) < 3:
        return None
    return _expansions().get(tuple(t for t in tokens if not t.startswith("lf_")))


def _reading_forms(text: str, schema: str, max_tokens: int | None) -> list[NameForm]:
    """The forms of one reading of a name (already rendered)."""
    text = text.translate(_ARABIC_VARIANTS).strip()
    if not text:
        return []
    is_person = schema == "Person"
    if is_person or schema == "LegalEntity":
        text = strip_title_text(text)  # titles, offices, honorifics (text/titles.py)
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
    alternatives: list[list[str]] = [
        scripts.latin_forms(_prepare(part, is_person))[:4] or [""] for part in parts
    ]
    # "MADURO MOROS, Nicolas": a surname of two words after which the given names come is a
    # first and a second surname; the second is often left out (Nicolas Maduro), so its
    # absence costs less than a surname's, and the first counts as the surname.
    # Lists that write given names first mark the surname in capitals ("Nicolás MADURO MOROS"):
    # two capitalised words after a given name written otherwise are the two surnames too.
    words = text.split()
    capitals = (
        is_person
        and not surname_first
        and len(words) >= 3
        and all(w.isupper() and len(w) > 1 for w in words[-2:])
        and not any(w.isupper() for w in words[:-2])
    )
    double_surname = not syllabic and (
        (surname_first and all(len(option.split()) == 2 for option in alternatives[-1]))
        or (capitals and all(len(option.split()) == len(words) for option in alternatives[0]))
    )
    combos: list[str] = [""]
    for options in alternatives:
        combos = [f"{prefix} {option}".strip() for prefix in combos for option in options][:6]
    forms: list[NameForm] = []
    seen: set[tuple[str, ...]] = set()
    latin = text.isascii()
    for combo in combos:
        if not latin and not is_person:
            # An abbreviation written with an accent or in another script ("PÈTROCHEM") is
            # only recognisable once romanised.
            combo = expand_abbreviations(combo)
        tokens = combo.split()
        if not tokens:
            continue
        if is_person or schema == "LegalEntity":
            # Titles precede names ("Sheikh Mohammed", "Dr. Ayman"); a title-like word at the
            # end is a surname ("M.N. SHEIKH") and stays.
            while len(tokens) > 1 and tokens[0] in HONORIFICS:
                tokens = tokens[1:]
            tokens = strip_titles(tokens)
        if not is_person:
            tokens = tag_legal_forms(tokens)
        if max_tokens is not None:
            tokens = tokens[:max_tokens]
        key = tuple(tokens)
        if key in seen:
            continue
        seen.add(key)
        roles = _roles(tokens, is_person and not syllabic, surname_first)
        if double_surname and len(tokens) >= 3 and _two_surnames(tokens[-2], tokens[-1]):
            roles = (*roles[:-2], CORE, SECOND_SURNAME)
        forms.append(NameForm(key, roles))
    return forms


#: Particles that begin a surname of two words ("BIN LADEN", "DE LA CRUZ"): such a surname is
#: one name, not a first and a second surname.
_SURNAME_PARTICLES = frozenset(
    "al el ul ad ar as at az an ash abu abou abd abdul abdel bin ben ibn bint bani um umm "
    "de del della di da dos das do du la le los las van von der den ter mac mc st san santa".split()
)


def _two_surnames(first: str, second: str) -> bool:
    """``first second`` reads as a first and a second surname (Spanish and Portuguese: MADURO
    MOROS): two words of three or more letters, the first neither a particle nor a given name
    of the nickname tables (MOHAMMED ALI is a chain of given names)."""
    return (
        len(first) >= 3
        and len(second) >= 3
        and first not in _SURNAME_PARTICLES
        and second not in _SURNAME_PARTICLES
        and not is_tabled_given_name(first)
    )


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
    forms = scripts.latin_forms(_prepare(clean(text).replace("\t", " ")))
    return forms[0] if forms else ""
