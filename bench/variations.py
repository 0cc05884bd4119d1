"""Generate the screening-quality benchmark: name variations of real list entries, and innocents.

Run: ``.venv/bin/python bench/variations.py`` (then ``bench/quality.py`` screens what it wrote).

It reads the CURRENT snapshot of every bundled list from the store (loading the bundled files
into an isolated ``PROSCRIBE_HOME``, ``bench/out/home``, unless that variable is set) and writes

* ``bench/out/variations.jsonl``: one query per line, ``{"id", "class", "schema", "properties",
  "expected", "dataset", "source_name", "note"}``, where ``expected`` is the list entity the
  query was made from. Every class below gets its quota spread round-robin over the datasets
  (OFAC SDN, OFAC consolidated, UN, UK, Australia, Canada) that have entries it can use;
* ``bench/out/negatives.jsonl``: the 1,000 synthetic US-style people of yente's validation set
  (name, birth date, nationality, birth place, gender, as that file gives them) and our own
  innocent people and companies in six scripts, generated from the tables below, none of which
  equals (casefolded) any list name.

Everything comes from one ``random.Random(20260820)`` and from the stores' sorted order, so two
runs over the same lists write the same files. The generator never imports the matcher or the
screening code: a variant is chosen for being a realistic mutation of a list name, never for
whether proscribe finds it.

The classes, and why each exists (what a screening engine meets in real customer data):

``case_punct_space``
    The same name typed differently: case, punctuation and spacing (``SIS DOO`` for
    ``SIS d.o.o.``, ``BINLADEN`` for ``BIN LADEN``, ``AL GHOUL`` for ``AL-GHOUL``, accents dropped).
    Every engine must see through these; a miss here is a normalisation bug.
``word_order``
    Persons written surname-first, with or without a comma (``PUTIN, Vladimir Vladimirovich``
    vs ``Vladimir Vladimirovich PUTIN``): OFAC's own format, and how many countries write names.
``middle_name``
    A middle name or patronymic missing from, or added to, the customer's record.
``initials``
    Given names shortened to initials (``V. V. Putin``, ``PUTIN, V.V.``, ``Vladimir V. Putin``).
``typo_insertion`` / ``typo_deletion`` / ``typo_substitution`` / ``typo_transposition`` / ``typo_doubled``
    One keyboard slip in a token of 5+ letters (never its first letter, which typists rarely get
    wrong): an extra neighbouring key, a lost letter, a neighbouring key instead, two letters
    swapped, a letter doubled or a double letter made single.
``translit``
    The same name romanised another way (Usama/Osama, Muhammad/Mohammed, Qaddafi/Gaddafi,
    Yusuf/Youssef, Aleksandr/Alexander, Kim Jong Un/Kim Jong-un, -ov/-off, ks/x, umlauts).
``legal_form``
    A company's legal form swapped for another, in many languages and scripts (Co., Ltd. /
    Company Limited / LLC / OOO / ООО / GmbH / S.A. / JSC / ZAO / 有限公司 / 股份有限公司 ...):
    legal forms are noise for identification and must never decide a match.
``abbreviation``
    Long words abbreviated (International → Intl, Technology → Tech, Corporation → Corp) and
    generic words dropped (group, holding, trading, company).
``non_latin``
    An original-script name from the list (Cyrillic, Arabic, Han, Hangul, Georgian, Hebrew,
    Greek ...) as a customer would write it: reordered, patronymic dropped, Arabic spelling
    variants (hamza, ta marbuta, alif maqsura, article), Han traditional/simplified characters
    or a different legal form, Hangul spacing.
``script_cross``
    A Russian person listed only in Latin script, queried in Cyrillic (a Russian bank's customer
    file screened against OFAC): the engine must meet the list in a common romanisation.
``weak_alias``
    A list's weak alias ("a.k.a., low quality" in OFAC terms), re-cased: it must alert (review),
    never block on its own.
``identifier``
    Only a strong identifier from the list, no name: IMO number, Chinese USCC, LEI, SWIFT/BIC,
    digital-currency address (a wallet in a payment, a vessel in a bill of lading).
``attribute``
    The right name with a contradicting secondary attribute (birth year off by 3-12 years, or a
    different nationality): the contradiction should lower the score, not erase a strong match.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SEED = 20260820
BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DEFAULT_OUT = BENCH / "out"
YENTE_NEGATIVES = REPO.parent / "shared" / "data" / "dev-eval" / "yente" / "negatives_us_1k.csv"

#: Dataset order for round-robin sampling (others present in the store come after, sorted).
DATASETS = (
    "us_ofac_sdn",
    "us_ofac_cons",
    "un_sc_sanctions",
    "gb_hmt_sanctions",
    "au_dfat_sanctions",
    "ca_dfatd_sema_sanctions",
)

#: Queries per class (about 5,900 in all).
QUOTAS = {
    "case_punct_space": 420,
    "word_order": 420,
    "middle_name": 420,
    "initials": 400,
    "typo_insertion": 260,
    "typo_deletion": 260,
    "typo_substitution": 260,
    "typo_transposition": 260,
    "typo_doubled": 260,
    "translit": 450,
    "legal_form": 400,
    "abbreviation": 380,
    "non_latin": 450,
    "script_cross": 200,
    "weak_alias": 320,
    "identifier": 300,
    "attribute": 420,
}

ORG_SCHEMATA = {"Company", "Organization", "LegalEntity"}
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def use_isolated_home() -> None:
    """Use ``bench/out/home`` as PROSCRIBE_HOME unless the caller chose a store."""
    if not os.environ.get("PROSCRIBE_HOME") and not os.environ.get("PROSCRIBE_DATABASE_URL"):
        os.environ["PROSCRIBE_HOME"] = str(DEFAULT_OUT / "home")


# -- text helpers -------------------------------------------------------------------------------


def name_key(text: str) -> str:
    """What "exactly equal" means here: casefolded, whitespace collapsed."""
    return " ".join(text.casefold().split())


def letter_count(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def script_counts(text: str) -> Counter:
    counts: Counter = Counter()
    for ch in text:
        if ch.isalpha():
            label = unicodedata.name(ch, "UNKNOWN").split(" ")[0]
            counts["HAN" if label == "CJK" else label] += 1
    return counts


def main_script(text: str) -> str | None:
    counts = script_counts(text)
    return counts.most_common(1)[0][0] if counts else None


def is_latin(text: str) -> bool:
    counts = script_counts(text)
    total = sum(counts.values())
    return total > 0 and counts["LATIN"] >= 0.95 * total


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def title_word(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def restyle(text: str, style: str) -> str:
    if style == "upper":
        return text.upper()
    if style == "lower":
        return text.lower()
    if style == "title":
        return re.sub(r"[^\W\d_]+", lambda m: title_word(m.group(0)), text)
    return text


def case_like(word: str, template: str) -> str:
    """``word`` in the case pattern of ``template`` (UPPER, Title or lower)."""
    letters = [ch for ch in template if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return word.upper()
    if letters and letters[0].isupper():
        return title_word(word)
    return word.lower()


def random_style(rng: random.Random, text: str) -> str:
    """Keep the list's casing half the time; otherwise Title, UPPER or lower case."""
    roll = rng.random()
    if roll < 0.5:
        return text
    if roll < 0.8:
        return restyle(text, "title")
    if roll < 0.93:
        return restyle(text, "upper")
    return restyle(text, "lower")


# -- person names -------------------------------------------------------------------------------

PARTICLES = {
    "al",
    "el",
    "bin",
    "ben",
    "ibn",
    "bint",
    "abu",
    "abou",
    "abd",
    "abdul",
    "abdel",
    "ul",
    "ud",
    "ad",
    "as",
    "ash",
    "ar",
    "an",
    "az",
    "van",
    "von",
    "der",
    "den",
    "de",
    "da",
    "di",
    "del",
    "della",
    "dos",
    "das",
    "do",
    "du",
    "la",
    "le",
    "ould",
    "bou",
    "ait",
    "mac",
    "mc",
    "y",
}
PATRONYMIC_ENDINGS = ("ovich", "evich", "ovych", "evych", "ich", "ovna", "evna", "ichna", "ovic", "evic")


@dataclass
class PersonName:
    given: list[str]
    surname: list[str]
    form: str  # "comma" (SURNAME, Given), "given_first", "surname_first"

    def render(self, form: str) -> str:
        if form == "comma":
            return f"{' '.join(self.surname)}, {' '.join(self.given)}"
        if form == "surname_first":
            return " ".join(self.surname + self.given)
        return " ".join(self.given + self.surname)


def _is_caps(token: str) -> bool:
    letters = [ch for ch in token if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def parse_person(entity, name: str) -> PersonName | None:
    """Split a listed person's name into given names and surname, as the list writes it.

    ``SURNAME, Given Middle`` (OFAC); the list's own first/last name fields (Canada, OFAC
    consolidated); a run of UPPER-CASE tokens among mixed-case ones (UK, Australia); otherwise the
    last token with the particles before it (``... AL BAGHDADI``).
    """
    if "," in name:
        head, _, tail = name.partition(",")
        surname, given = head.split(), tail.replace(",", " ").split()
        return PersonName(given, surname, "comma") if surname and given else None
    tokens = name.split()
    if len(tokens) < 2:
        return None
    first, last = entity.first("firstName"), entity.first("lastName")
    if first and last and tokens == f"{first} {last}".split():
        return PersonName(first.split(), last.split(), "given_first")
    caps = [_is_caps(t) for t in tokens]
    if any(caps) and not all(caps):
        i = len(tokens)
        while i > 0 and caps[i - 1]:
            i -= 1
        if 0 < i < len(tokens):
            return PersonName(tokens[:i], tokens[i:], "given_first")
        j = 0
        while j < len(tokens) and caps[j]:
            j += 1
        if 0 < j < len(tokens):
            return PersonName(tokens[j:], tokens[:j], "surname_first")
        return None
    if tokens[0].lower() in KOREAN_SURNAMES and all(len(t) <= 5 for t in tokens):
        return PersonName(tokens[1:], tokens[:1], "surname_first")  # JANG SUNG NAM, Pak Mun-il
    i = len(tokens) - 1
    while i > 1 and tokens[i - 1].lower().strip("-.") in PARTICLES:
        i -= 1
    return PersonName(tokens[:i], tokens[i:], "given_first")


# -- the context every generator shares ---------------------------------------------------------


@dataclass
class Context:
    rng: random.Random
    list_keys: set[str]  # name_key of every list name, every dataset

    def fresh(self, variant: str, source: str) -> bool:
        """A usable variant: has letters, differs from its source, and is no list name at all."""
        key = name_key(variant)
        return letter_count(variant) >= 2 and key != name_key(source) and key not in self.list_keys


Made = tuple[dict, str, str] | None  # (properties, note, subtype: which kind of variation)


def entity_names(entity, kinds=("name", "alias", "previousName")) -> list[str]:
    out = []
    for kind in kinds:
        for value in entity.get(kind):
            if letter_count(value) >= 2 and value not in out:
                out.append(value)
    return out


def latin_names(entity, kinds=("name", "alias", "previousName")) -> list[str]:
    return [n for n in entity_names(entity, kinds) if is_latin(n)]


def primary_first(entity, names: list[str]) -> list[str]:
    """The entity's main name first (most tested), then its aliases."""
    main = entity.first("name")
    return sorted(names, key=lambda n: n != main)


# -- class: case, punctuation, spacing ----------------------------------------------------------

JOINABLE_PARTICLES = {
    "al",
    "el",
    "bin",
    "ben",
    "ibn",
    "abu",
    "abd",
    "abdul",
    "abdel",
    "ul",
    "ud",
    "ad",
    "ash",
    "van",
    "von",
    "de",
    "da",
    "di",
    "del",
    "la",
    "le",
    "mac",
    "mc",
    "o",
}
DOTTABLE_FORMS = {
    "llc",
    "doo",
    "jsc",
    "sa",
    "ag",
    "nv",
    "bv",
    "plc",
    "ojsc",
    "cjsc",
    "srl",
    "sro",
    "ooo",
    "zao",
    "oao",
    "pao",
    "pjsc",
}
PUNCT = re.compile(r"[.,'\"()\[\]/&:;!?\u2018\u2019\u201c\u201d\u00ab\u00bb]")


def _space_ops(name: str, person: bool = False) -> list[tuple[str, str]]:
    """Every structural (non-case) change this name allows: (variant, what was done).

    Joins are those people really make: a particle and the word after it (``BIN LADEN``,
    ``AL QAIDA``, ``VAN DAM``), and in persons' names two short syllables (``JONG UN``).
    """
    ops = []
    tokens = name.split()
    if PUNCT.search(name) or "-" in name:
        stripped = PUNCT.sub("", name)
        ops.append((" ".join(stripped.replace("-", " ").split()), "punctuation dropped, hyphens to spaces"))
        ops.append((" ".join(stripped.replace("-", "").split()), "punctuation and hyphens dropped"))
    for i, token in enumerate(tokens):
        low = token.lower().strip(".,")
        if low in DOTTABLE_FORMS and "." not in token:
            dotted = ".".join(token.strip(",")) + "."
            dotted = dotted.lower() if low in {"doo", "sro", "srl"} else dotted
            ops.append((" ".join(tokens[:i] + [dotted] + tokens[i + 1 :]), f"{token} written {dotted}"))
    for i in range(len(tokens) - 1):
        left, right = tokens[i], tokens[i + 1]
        if not (left.isalpha() and right.isalpha()):
            continue
        syllables = (
            person
            and all(len(t) <= 5 for t in tokens)
            and len(left) <= 4
            and len(right) <= 4
            and not {left.lower(), right.lower()} & (PARTICLES | ARABIC_HINTS)
        )
        if left.lower() in JOINABLE_PARTICLES or syllables:
            ops.append((" ".join(tokens[:i] + [left + right] + tokens[i + 2 :]), f"{left} {right} joined"))
            if left.lower() in JOINABLE_PARTICLES:
                ops.append(
                    (
                        " ".join(tokens[:i] + [f"{left}-{right}"] + tokens[i + 2 :]),
                        f"{left} {right} hyphenated",
                    )
                )
    for i, token in enumerate(tokens):
        camel = re.match(r"^([A-Z][a-z]{2,})([A-Z][a-z]{2,})$", token)
        if camel:
            ops.append(
                (" ".join(tokens[:i] + [camel.group(1), camel.group(2)] + tokens[i + 1 :]), f"{token} split")
            )
    if strip_accents(name) != name:
        ops.append((strip_accents(name), "accents dropped"))
    return ops


def space_op_kind(how: str) -> str:
    for marker, kind in (
        ("dropped", "punctuation"),
        ("written", "dotted legal form"),
        ("joined", "joined"),
        ("hyphenated", "hyphenated"),
        ("split", "split"),
    ):
        if marker in how:
            return "accents" if how.startswith("accents") else kind
    return "other"


def make_case_punct(ctx: Context, entity, name: str) -> Made:
    ops = [
        (v, how)
        for v, how in _space_ops(name, entity.schema == "Person")
        if ctx.fresh(v, name) and letter_count(v) >= 4
    ]
    if not ops:
        return None
    variant, how = ctx.rng.choice(ops)
    styled = random_style(ctx.rng, variant)
    if ctx.fresh(styled, name):
        variant = styled
    return {"name": [variant]}, how, space_op_kind(how)


# -- class: word order --------------------------------------------------------------------------


def make_word_order(ctx: Context, entity, name: str) -> Made:
    person = parse_person(entity, name)
    if person is None:
        return None
    rng = ctx.rng
    if person.form == "comma":
        form = "given_first" if rng.random() < 0.7 else "surname_first"
    elif person.form == "given_first":
        form = "comma" if rng.random() < 0.6 else "surname_first"
    else:
        form = "given_first" if rng.random() < 0.6 else "comma"
    variant = person.render(form)
    if not ctx.fresh(variant, name):
        return None
    return {"name": [variant]}, f"{person.form} -> {form}", f"{person.form} -> {form}"


# -- class: middle names ------------------------------------------------------------------------

ARABIC_HINTS = {
    "ould",
    "ibn",
    "bint",
    "ben",
    "muhammad",
    "mohammed",
    "mohamed",
    "mohammad",
    "ahmad",
    "ahmed",
    "ali",
    "abdul",
    "abd",
    "abu",
    "al",
    "bin",
    "hassan",
    "hasan",
    "hussein",
    "husain",
    "omar",
    "umar",
    "abdullah",
    "khalid",
    "said",
    "yusuf",
    "ibrahim",
    "mahmoud",
    "mustafa",
    "salim",
    "jamal",
    "nasser",
    "rahman",
    "aziz",
    "karim",
    "alireza",
    "reza",
    "hossein",
    "mehdi",
    "mahdi",
    "javad",
    "gholam",
    "abbas",
    "akbar",
    "hamid",
    "majid",
    "saeed",
    "masoud",
    "mohsen",
    "morteza",
    "mostafa",
    "ebrahim",
    "esmaeel",
    "esmail",
    "ismail",
    "khalil",
    "saleh",
    "salem",
    "faisal",
    "yasser",
    "tariq",
    "tarek",
    "walid",
    "amir",
    "hadi",
    "hamza",
    "bilal",
}
ARABIC_COUNTRIES = {
    "ir",
    "iq",
    "sy",
    "ye",
    "sa",
    "lb",
    "ly",
    "sd",
    "so",
    "af",
    "pk",
    "jo",
    "ps",
    "eg",
    "dz",
    "tn",
    "ma",
    "ae",
    "qa",
    "kw",
    "bh",
    "om",
    "ml",
    "mr",
}
SLAVIC_COUNTRIES = {"ru", "by", "ua", "kz", "kg", "md"}
ARABIC_MIDDLES = [
    "Ahmed",
    "Mohammed",
    "Ali",
    "Hassan",
    "Abdullah",
    "Saleh",
    "Omar",
    "Yusuf",
    "Ibrahim",
    "Khalil",
]
SLAVIC_PATRONYMICS = [
    ("Ivanovich", "Ivanovna"),
    ("Petrovich", "Petrovna"),
    ("Sergeyevich", "Sergeyevna"),
    ("Nikolayevich", "Nikolayevna"),
    ("Aleksandrovich", "Aleksandrovna"),
    ("Viktorovich", "Viktorovna"),
    ("Mikhaylovich", "Mikhaylovna"),
    ("Yuryevich", "Yuryevna"),
    ("Andreyevich", "Andreyevna"),
]
WESTERN_MIDDLES = [
    "James",
    "Marie",
    "Anne",
    "Lee",
    "Louise",
    "John",
    "Maria",
    "Paul",
    "Elizabeth",
    "Michael",
    "Jose",
    "Luis",
    "Rose",
    "Edward",
    "Grace",
    "Peter",
]
NO_DROP_AFTER = {"abd", "abdul", "abdel", "abu", "bin", "ibn", "al", "el", "ben", "bint", "ould"}


def patronymic(rng: random.Random, female: bool) -> str:
    return rng.choice(SLAVIC_PATRONYMICS)[1 if female else 0]


def _countries(entity) -> set[str]:
    out = set()
    for prop in ("country", "nationality", "citizenship", "birthCountry"):
        out.update(v.lower()[:2] for v in entity.get(prop))
    return out


def _korean_like(tokens: list[str]) -> bool:
    return any(t.lower() in KOREAN_SURNAMES for t in tokens) and all(len(t.strip(",.-")) <= 5 for t in tokens)


def make_middle_name(ctx: Context, entity, name: str) -> Made:
    person = parse_person(entity, name)
    if person is None or not person.given:
        return None
    rng = ctx.rng
    given = person.given
    if _korean_like(given + person.surname):
        return None  # KIM MUN CHOL: MUN CHOL is one given name in two syllables, nothing to drop or add
    droppable = [
        i
        for i in range(1, len(given))
        if given[i].lower().strip("-.,") not in PARTICLES
        and given[i - 1].lower().strip("-.,") not in NO_DROP_AFTER
        and letter_count(given[i]) >= 2
    ]
    lower = {t.lower().strip("-.,") for t in given + person.surname}
    has_patronymic = any(t.endswith(PATRONYMIC_ENDINGS) for t in lower)
    if droppable and rng.random() < 0.55:
        i = rng.choice(droppable)
        new = PersonName(given[:i] + given[i + 1 :], person.surname, person.form)
        note, kind = f"middle name {given[i]} dropped", "dropped"
    else:
        countries = _countries(entity)
        surnames = [t.lower().strip("-.,") for t in person.surname]
        if all(len(t.strip("-.,")) <= 4 for t in given + person.surname):
            return None  # East Asian names have no middle names to add
        if (
            lower & ARABIC_HINTS
            or any(t.startswith(("al-", "el-")) for t in lower)
            or countries & ARABIC_COUNTRIES
        ):
            middle = rng.choice(ARABIC_MIDDLES)
        elif countries & SLAVIC_COUNTRIES or any(
            t.endswith(("ov", "ev", "ova", "eva", "sky", "skiy", "enko", "vich")) for t in surnames
        ):
            if has_patronymic:
                return None
            female = given[0].lower().endswith(("a", "ya"))
            middle = patronymic(rng, female)
        else:
            middle = rng.choice(WESTERN_MIDDLES)
        if middle.lower() in lower:
            return None
        middle = case_like(middle, given[0])
        at = next(
            (i for i in range(1, len(given) + 1) if given[i - 1].lower().strip("-.,") not in NO_DROP_AFTER),
            None,
        )
        if at is None:
            return None
        new = PersonName(given[:at] + [middle] + given[at:], person.surname, person.form)
        note, kind = f"middle name {middle} added", "added"
    variant = new.render(person.form)
    if not ctx.fresh(variant, name):
        return None
    return {"name": [variant]}, note, kind


# -- class: initials ----------------------------------------------------------------------------


def _initial(token: str) -> str:
    letters = [ch for ch in token if ch.isalpha()]
    return letters[0].upper() + "." if letters else ""


def make_initials(ctx: Context, entity, name: str) -> Made:
    person = parse_person(entity, name)
    if person is None or not person.given or not any(letter_count(t) >= 2 for t in person.given):
        return None
    rng = ctx.rng
    surname = " ".join(person.surname)
    if rng.random() < 0.5:
        surname = restyle(surname, "title")
    # Particles (bin, al, abu ...) get no initial of their own: "T. H. MAAROUFI", not "T. B. H. B. A.".
    given = [t for t in person.given if t.lower().strip("-.,") not in PARTICLES]
    if not given or (len(person.given) == 2 and person.given[0].lower().strip("-.,") in NO_DROP_AFTER):
        return None  # "Abdul Rahman" is one given name, not a given name and a surname
    if len(given) >= 2 and rng.random() < 0.35:
        first = case_like(given[0], given[0]) if rng.random() < 0.5 else title_word(given[0])
        variant = " ".join([first] + [_initial(t) for t in given[1:]] + [surname])
        note = kind = "middle names as initials"
    else:
        initials = [_initial(t) for t in given]
        style = rng.choice(["spaced", "tight", "bare", "surname_first", "comma"])
        if style == "spaced":
            variant = f"{' '.join(initials)} {surname}"
        elif style == "tight":
            variant = f"{''.join(initials)} {surname}"
        elif style == "bare":
            variant = f"{' '.join(i.rstrip('.') for i in initials)} {surname}"
        elif style == "surname_first":
            variant = f"{surname} {''.join(initials)}"
        else:
            variant = f"{surname}, {''.join(initials)}"
        note, kind = f"given names as initials ({style})", f"all initials, {style}"
    if not ctx.fresh(variant, name):
        return None
    return {"name": [variant]}, note, kind


# -- classes: typos -----------------------------------------------------------------------------

KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
KEY_OFFSETS = (0.0, 0.25, 0.75)


def _keyboard_neighbours() -> dict[str, str]:
    positions = {
        ch: (row, col + KEY_OFFSETS[row]) for row, keys in enumerate(KEY_ROWS) for col, ch in enumerate(keys)
    }
    out = {}
    for ch, (row, col) in positions.items():
        near = [
            other
            for other, (orow, ocol) in positions.items()
            if other != ch and abs(orow - row) <= 1 and abs(ocol - col) <= 1.0
        ]
        out[ch] = "".join(sorted(near))
    return out


NEIGHBOURS = _keyboard_neighbours()
GENERIC_WORDS = {
    "group",
    "holding",
    "holdings",
    "company",
    "trading",
    "international",
    "industries",
    "industrial",
    "enterprises",
    "enterprise",
    "corporation",
    "limited",
    "incorporated",
    "services",
    "general",
    "global",
    "the",
    "and",
    "of",
    "for",
    "management",
    "investment",
    "investments",
    "development",
    "joint",
    "stock",
    "open",
    "closed",
    "public",
    "private",
    "liability",
    "partnership",
    "obshchestvo",
    "aktsionernoe",
    "ogranichennoy",
    "otvetstvennostyu",
    "zakrytoe",
    "otkrytoe",
    "publichnoe",
    "sociedad",
    "anonima",
    "societe",
    "anonyme",
}


def _typo_tokens(name: str) -> list[re.Match]:
    return [
        m
        for m in WORD.finditer(name)
        if len(m.group(0)) >= 5
        and m.group(0).isascii()
        and m.group(0).isalpha()
        and m.group(0).lower() not in GENERIC_WORDS
    ]


def _typo(rng: random.Random, token: str, kind: str) -> tuple[str, str] | None:
    low = token.lower()
    n = len(low)

    def keep_case(new: str) -> str:
        return new.upper() if token.isupper() else (new[:1].upper() + new[1:] if token[0].isupper() else new)

    if kind == "insertion":
        pos = rng.randrange(1, n + 1)
        near = NEIGHBOURS.get(low[pos - 1], "") + NEIGHBOURS.get(low[pos] if pos < n else "", "")
        if not near:
            return None
        new = low[:pos] + rng.choice(near) + low[pos:]
    elif kind == "deletion":
        pos = rng.randrange(1, n)
        new = low[:pos] + low[pos + 1 :]
    elif kind == "substitution":
        pos = rng.randrange(1, n)
        near = NEIGHBOURS.get(low[pos], "")
        if not near:
            return None
        new = low[:pos] + rng.choice(near) + low[pos + 1 :]
    elif kind == "transposition":
        options = [i for i in range(1, n - 1) if low[i] != low[i + 1]]
        if not options:
            return None
        pos = rng.choice(options)
        new = low[:pos] + low[pos + 1] + low[pos] + low[pos + 2 :]
    else:  # doubled: a double letter made single, or a letter doubled
        doubles = [i for i in range(1, n) if low[i] == low[i - 1]]
        if doubles and rng.random() < 0.5:
            pos = rng.choice(doubles)
            new = low[:pos] + low[pos + 1 :]
        else:
            options = [
                i for i in range(1, n) if low[i] != low[i - 1] and (i + 1 >= n or low[i] != low[i + 1])
            ]
            if not options:
                return None
            pos = rng.choice(options)
            new = low[: pos + 1] + low[pos] + low[pos + 1 :]
    if new == low:
        return None
    return keep_case(new), f"{token} -> {keep_case(new)}"


def typo_maker(kind: str) -> Callable[[Context, object, str], Made]:
    def make(ctx: Context, entity, name: str) -> Made:
        tokens = _typo_tokens(name)
        ctx.rng.shuffle(tokens)
        for match in tokens:
            made = _typo(ctx.rng, match.group(0), kind)
            if made is None:
                continue
            variant = name[: match.start()] + made[0] + name[match.end() :]
            if ctx.fresh(variant, name):
                return {"name": [variant]}, made[1], "person" if entity.schema == "Person" else "other"
        return None

    return make


# -- class: transliteration and spelling variants -----------------------------------------------

VARIANT_GROUPS = [
    ["usama", "osama", "ousama", "usamah"],
    ["muhammad", "mohammed", "mohamad", "mohammad", "muhammed", "mohamed", "mohamud", "muhamad"],
    ["ahmad", "ahmed", "akhmed", "achmed"],
    ["mahmoud", "mahmud", "mahmood"],
    ["qaddafi", "gaddafi", "kadhafi", "gadhafi", "qadhafi", "kaddafi"],
    ["yusuf", "youssef", "yousef", "yusef", "yousif", "yussuf", "youssouf"],
    ["aleksandr", "alexander", "alexandr", "aleksander"],
    ["hussein", "husain", "hussain", "husayn", "hossein", "husein"],
    ["hasan", "hassan"],
    ["abdul", "abdel", "abdal", "abdoul"],
    ["abdullah", "abdallah", "abdulla", "abdollah"],
    ["abdulrahman", "abdelrahman", "abdurrahman", "abdul-rahman"],
    ["omar", "umar", "omer"],
    ["osman", "usman", "othman", "uthman"],
    ["khalid", "khaled"],
    ["saeed", "said", "saied", "sayeed"],
    ["salim", "saleem", "selim"],
    ["karim", "kareem"],
    ["rahim", "raheem"],
    ["ibrahim", "ebrahim", "ibraheem"],
    ["ismail", "ismael", "esmail", "ismayil"],
    ["yahya", "yahia", "yehia"],
    ["mustafa", "mostafa", "moustafa", "mustapha"],
    ["jafar", "jaafar", "djafar"],
    ["nasser", "nasir", "naser", "nassir"],
    ["hamid", "hameed", "hamed"],
    ["rashid", "rasheed", "rachid"],
    ["faisal", "faysal", "feisal"],
    ["qasim", "qassim", "kasim", "qasem"],
    ["sulaiman", "suleiman", "sulayman", "soleiman"],
    ["sergey", "sergei", "sergej", "serguei"],
    ["dmitry", "dmitri", "dmitriy"],
    ["yevgeny", "evgeny", "evgeniy", "yevgeniy", "evgueni"],
    ["yuri", "yury", "yuriy", "iouri"],
    ["alexei", "aleksei", "alexey", "aleksey"],
    ["nikolai", "nikolay"],
    ["andrei", "andrey"],
    ["vyacheslav", "viacheslav"],
    ["vitaly", "vitaliy", "vitali"],
    ["anatoly", "anatoliy", "anatoli"],
    ["valery", "valeriy", "valeri"],
    ["gennady", "gennadiy", "gennadi"],
    ["grigory", "grigoriy", "grigori"],
    ["pyotr", "petr", "piotr"],
    ["fyodor", "fedor", "feodor"],
    ["ilya", "ilia", "ilja"],
    ["yulia", "yuliya", "julia"],
    ["natalia", "natalya", "nataliya"],
    ["tatiana", "tatyana"],
    ["mikhail", "mihail"],
]
#: Korean surnames romanised North- and South-Korean style; swapped only in persons' surnames.
KOREAN_SURNAME_GROUPS = [
    ["ri", "lee", "yi", "rhee"],
    ["pak", "park"],
    ["choe", "choi"],
    ["jon", "jeon", "chon"],
    ["ryu", "yu", "yoo"],
    ["sin", "shin"],
    ["o", "oh"],
    ["rim", "lim", "im"],
]
VARIANTS: dict[str, list[str]] = {}
for _group in VARIANT_GROUPS:
    for _member in _group:
        VARIANTS.setdefault(_member, [m for m in _group if m != _member])

#: Spelling rules applied inside a word of 4+ letters: (pattern, replacement, what it means).
SPELLING_RULES = [
    (r"ks", "x", "ks/x"),
    (r"x", "ks", "x/ks"),
    (r"kh", "h", "kh/h"),
    (r"(?<=[^aeiou])y$", "iy", "y/iy ending"),
    (r"iy$", "y", "iy/y ending"),
    (r"ei$", "ey", "ei/ey ending"),
    (r"ey$", "ei", "ey/ei ending"),
    (r"ya", "ia", "ya/ia"),
    (r"yu", "iu", "yu/iu"),
    (r"ou", "u", "ou/u"),
    (r"ee", "i", "ee/i"),
    (r"oo", "u", "oo/u"),
    (r"ov$", "off", "-ov/-off"),
    (r"ev$", "eff", "-ev/-eff"),
    (r"sky$", "skiy", "-sky/-skiy"),
    (r"skiy$", "sky", "-skiy/-sky"),
    (r"ph", "f", "ph/f"),
    (r"^q", "k", "q/k"),
    (r"dh", "d", "dh/d"),
    (r"ü", "ue", "umlaut spelled out"),
    (r"ö", "oe", "umlaut spelled out"),
    (r"ä", "ae", "umlaut spelled out"),
    (r"ß", "ss", "sharp s spelled out"),
]
#: Ordinary words in list names (mostly English): no romanisation rule applies to them.
COMMON_WORDS = {
    "company",
    "bank",
    "factory",
    "ministry",
    "army",
    "navy",
    "society",
    "party",
    "academy",
    "agency",
    "energy",
    "policy",
    "security",
    "military",
    "century",
    "city",
    "country",
    "industry",
    "technology",
    "shipping",
    "trading",
    "holding",
    "holdings",
    "group",
    "limited",
    "corporation",
    "international",
    "association",
    "foundation",
    "export",
    "import",
    "exchange",
    "express",
    "maxim",
    "taxi",
    "luxury",
    "boxing",
    "oxford",
    "alexandria",
    "sky",
    "company's",
    "brigade",
    "battalion",
    "front",
    "movement",
    "organization",
    "organisation",
    "committee",
    "office",
    "institute",
    "research",
    "production",
    "service",
    "services",
    "plant",
    "works",
    "union",
    "federal",
    "state",
    "national",
    "public",
    "open",
    "closed",
    "joint",
    "stock",
    "republic",
    "democratic",
    "people",
    "peoples",
    "korea",
    "korean",
    "russia",
    "russian",
    "iran",
    "iranian",
    "syria",
    "syrian",
    "china",
    "chinese",
}
KOREAN_SURNAMES = {
    "kim",
    "ri",
    "ryu",
    "pak",
    "park",
    "choe",
    "choi",
    "jang",
    "chang",
    "jong",
    "han",
    "o",
    "yun",
    "kang",
    "ko",
    "hwang",
    "son",
    "sin",
    "so",
    "song",
    "chon",
    "jon",
    "cha",
    "paek",
    "ho",
    "hyon",
    "ju",
    "ryom",
    "kye",
    "thae",
    "yang",
    "mun",
    "rim",
    "im",
    "ra",
    "an",
    "yi",
    "lee",
    "jo",
    "cho",
    "chu",
}


def _korean_variants(name: str) -> list[tuple[str, str]]:
    """``Kim Jong Un`` <-> ``Kim Jong-un`` / ``Kim Jongun``: Korean given-name syllables joined or split."""
    tokens = name.replace(",", " ").split()
    lows = [t.lower() for t in tokens]
    if not 2 <= len(tokens) <= 4 or not (lows[0] in KOREAN_SURNAMES or lows[-1] in KOREAN_SURNAMES):
        return []
    if not all(len(t) <= 7 and t.replace("-", "").isalpha() for t in lows):
        return []
    out = []
    comma = "," in name
    surname_idx = 0 if lows[0] in KOREAN_SURNAMES else len(tokens) - 1
    given = [t for i, t in enumerate(tokens) if i != surname_idx]
    surname = tokens[surname_idx]

    def build_with(surname_text: str, given_text: str) -> str:
        if comma:
            return f"{surname_text}, {given_text}"
        return f"{surname_text} {given_text}" if surname_idx == 0 else f"{given_text} {surname_text}"

    def build(given_text: str) -> str:
        return build_with(surname, given_text)

    for group in KOREAN_SURNAME_GROUPS:
        if surname.lower() in group:
            for other in group:
                if other != surname.lower():
                    out.append(
                        (build_with(case_like(other, surname), " ".join(given)), f"{surname} -> {other}")
                    )
    if len(given) == 2 and all(len(t) <= 4 for t in given):
        first, second = given
        second = second if _is_caps(first) else second.lower()
        out.append((build(f"{first}-{second}"), "Korean given name hyphenated"))
        out.append((build(first + second), "Korean given name joined"))
    if len(given) == 1 and given[0].count("-") == 1:
        first, second = given[0].split("-")
        out.append((build(f"{first} {case_like(second, first)}"), "Korean given name split"))
    return out


SLAVIC_RULES = {"ks/x", "kh/h", "y/iy ending", "iy/y ending", "ya/ia", "yu/iu"}


def _translit_options(name: str, schema: str = "Person", countries: frozenset = frozenset()):
    """(variants from the spelling tables, variants from spelling rules).

    Spelling rules change persons' names; in other names only the romanisation rules for
    Russian words apply, and only where the entity is from a Slavic country (``Severny`` ->
    ``Severniy``, never ``Company`` -> ``Companiy``).
    """
    slavic_org = schema != "Person" and bool(countries & SLAVIC_COUNTRIES)
    table, rules = [], []
    for match in WORD.finditer(name):
        word = match.group(0)
        low = word.lower()
        for other in VARIANTS.get(low, ()):
            table.append(
                (name[: match.start()] + case_like(other, word) + name[match.end() :], f"{word} -> {other}")
            )
        if len(low) >= 4 and low not in VARIANTS and low not in COMMON_WORDS | GENERIC_WORDS | LEGAL_WORDS:
            for pattern, repl, what in SPELLING_RULES:
                if schema != "Person" and not (slavic_org and what in SLAVIC_RULES and len(low) >= 6):
                    continue
                new = re.sub(pattern, repl, low, count=1)
                if new != low:
                    rules.append(
                        (
                            name[: match.start()] + case_like(new, word) + name[match.end() :],
                            f"{word}: {what}",
                        )
                    )
    for prefix, other in (("al-", "el-"), ("el-", "al-")) if schema == "Person" else ():
        for match in re.finditer(rf"\b{prefix}", name, re.IGNORECASE):
            rules.append(
                (
                    name[: match.start()] + case_like(other, match.group(0)) + name[match.end() :],
                    f"article {prefix} -> {other}",
                )
            )
    if schema == "Person":
        table.extend(_korean_variants(name))
    return table, rules


def make_translit(ctx: Context, entity, name: str) -> Made:
    table, rules = _translit_options(name, entity.schema, frozenset(_countries(entity)))
    table = [o for o in table if ctx.fresh(o[0], name)]
    rules = [o for o in rules if ctx.fresh(o[0], name)]
    if table and (not rules or ctx.rng.random() < 0.75):
        variant, how = ctx.rng.choice(table)
        kind = "Korean" if how.startswith("Korean") else "spelling table"
    elif rules:
        variant, how = ctx.rng.choice(rules)
        kind = "spelling rule"
    else:
        return None
    return {"name": [variant]}, how, kind


# -- class: legal forms -------------------------------------------------------------------------

LEGAL_GROUPS: dict[str, list[str]] = {
    "limited": [
        "Limited",
        "Ltd",
        "Ltd.",
        "Co., Ltd.",
        "Co. Ltd",
        "Company Limited",
        "Co Limited",
        "Company Ltd",
    ],
    "incorporated": ["Incorporated", "Inc", "Inc."],
    "corporation": ["Corporation", "Corp", "Corp."],
    "company": ["Company", "Co", "Co."],
    "llc": [
        "LLC",
        "L.L.C.",
        "Limited Liability Company",
        "OOO",
        "ООО",
        "Obshchestvo s Ogranichennoy Otvetstvennostyu",
        "TOV",
        "GmbH",
        "S.R.L.",
        "SARL",
        "s.r.o.",
        "d.o.o.",
        "Sp. z o.o.",
        "Kft.",
        "B.V.",
        "Ltda.",
    ],
    "jsc": [
        "JSC",
        "Joint Stock Company",
        "J.S.C.",
        "AO",
        "АО",
        "Aktsionernoe Obshchestvo",
        "AG",
        "S.A.",
        "SA",
        "Sociedad Anonima",
        "Societe Anonyme",
        "S.p.A.",
        "N.V.",
    ],
    "cjsc": ["ZAO", "CJSC", "Closed Joint Stock Company", "ЗАО", "Zakrytoe Aktsionernoe Obshchestvo"],
    "ojsc": ["OAO", "OJSC", "Open Joint Stock Company", "ОАО", "Otkrytoe Aktsionernoe Obshchestvo"],
    "pjsc": ["PAO", "PJSC", "Public Joint Stock Company", "ПАО", "Publichnoe Aktsionernoe Obshchestvo"],
    "plc": ["PLC", "P.L.C.", "Public Limited Company"],
    "llp": ["LLP", "Limited Liability Partnership"],
    "fze": ["FZE", "FZCO", "FZC", "FZ-LLC", "Free Zone Establishment", "Free Zone Company"],
    "private": [
        "Pvt Ltd",
        "Pvt. Ltd.",
        "Private Limited",
        "Pte Ltd",
        "Pte. Ltd.",
        "Pty Ltd",
        "Proprietary Limited",
        "Sdn Bhd",
        "Sendirian Berhad",
    ],
    "sa_de_cv": ["S.A. de C.V.", "SA de CV", "Sociedad Anonima de Capital Variable"],
}
#: Legal forms that lists and customers also write before the name (``JSC NTV``, ``OOO "ROMASHKA"``).
PREFIX_FORMS = {
    "JSC",
    "PJSC",
    "OJSC",
    "CJSC",
    "LLC",
    "Joint Stock Company",
    "Public Joint Stock Company",
    "Open Joint Stock Company",
    "Closed Joint Stock Company",
    "Limited Liability Company",
    "Obshchestvo s Ogranichennoy Otvetstvennostyu",
    "Aktsionernoe Obshchestvo",
    "Zakrytoe Aktsionernoe Obshchestvo",
    "Otkrytoe Aktsionernoe Obshchestvo",
    "Publichnoe Aktsionernoe Obshchestvo",
    "TOV",
}
RUSSIAN_FORMS = {"OOO", "ООО", "AO", "АО", "ZAO", "ЗАО", "OAO", "ОАО", "PAO", "ПАО", "TOV"}
#: Chinese legal forms, longest first (a "group", 集团, before them is part of the name and stays).
HAN_LEGAL = ["股份有限公司", "有限责任公司", "有限公司"]


def legal_tokens(text: str) -> tuple[str, ...]:
    return tuple(
        t for t in (re.sub(r"[.,'\"()]", "", tok).lower() for tok in text.replace("-", " ").split()) if t
    )


LEGAL_INDEX: dict[tuple[str, ...], str] = {}
for _group, _forms in LEGAL_GROUPS.items():
    for _form in _forms:
        LEGAL_INDEX.setdefault(legal_tokens(_form), _group)
LEGAL_WORDS = {token for key in LEGAL_INDEX for token in key} | {"ogranichennoi", "ogranichennoy"}
PREFIX_TOKENS = {legal_tokens(f) for f in PREFIX_FORMS} | {legal_tokens(f) for f in RUSSIAN_FORMS}
LEGAL_LENGTHS = sorted({len(k) for k in LEGAL_INDEX}, reverse=True)


def find_legal_form(name: str) -> tuple[int, int, str] | None:
    """(start, end, group) over ``name.split()`` of a legal form at the end or the start.

    Hyphenated words count as their parts (``CLOSED JOINT-STOCK COMPANY``)."""
    raw = name.split()
    flat: list[str] = []
    owner: list[int] = []  # the raw token each part comes from
    for i, token in enumerate(raw):
        for part in legal_tokens(token) or ("",):
            flat.append(part)
            owner.append(i)
    for size in LEGAL_LENGTHS:
        if size >= len(flat):
            continue
        tail = tuple(flat[-size:])
        if tail in LEGAL_INDEX and (len(flat) == size or owner[-size] != owner[-size - 1]):
            start = owner[-size]
            if start > 0:
                return start, len(raw), LEGAL_INDEX[tail]
        head = tuple(flat[:size])
        if head in LEGAL_INDEX and owner[size - 1] != owner[size]:
            end = owner[size - 1] + 1
            if end < len(raw):
                return 0, end, LEGAL_INDEX[head]
    return None


def make_legal_form(ctx: Context, entity, name: str) -> Made:
    rng = ctx.rng
    if main_script(name) == "HAN":
        found = next((f for f in HAN_LEGAL if name.rstrip().endswith(f)), None)
        if not found:
            return None
        other = rng.choice([f for f in HAN_LEGAL if f != found])
        variant = name.rstrip()[: -len(found)] + other
        return ({"name": [variant]}, f"{found} -> {other}", "Han") if ctx.fresh(variant, name) else None
    if not is_latin(name):
        return None
    found = find_legal_form(name)
    if found is None:
        return None
    start, end, group = found
    raw = name.split()
    old = " ".join(raw[start:end])
    if rng.random() < 0.7:
        choices = [f for f in LEGAL_GROUPS[group] if legal_tokens(f) != legal_tokens(old)]
        kind = "equivalent"
    else:  # legal forms never decide: any other form must do as well
        choices = [f for g, forms in LEGAL_GROUPS.items() if g != group for f in forms]
        kind = "other"
    if not choices:
        return None
    new = rng.choice(choices)
    if _is_caps(name) and rng.random() < 0.5 and new not in RUSSIAN_FORMS:
        new = new.upper()
    rest = raw[:start] + raw[end:]
    if rest and start > 0:
        rest[-1] = rest[-1].rstrip(",")
    if not any(distinctive(t) for t in rest):
        return None
    body = " ".join(rest)
    if new in RUSSIAN_FORMS and start > 0 and rng.random() < 0.5:
        variant = f'{new} "{body}"' if rng.random() < 0.5 else f"{new} {body}"
        kind += ", moved to the front"
    elif start == 0 and (new in PREFIX_FORMS or legal_tokens(new) in PREFIX_TOKENS):
        variant = f"{new} {body}"
    else:
        sep = ", " if rng.random() < 0.3 else " "
        variant = f"{body}{sep}{new}"
    if not ctx.fresh(variant, name):
        return None
    return {"name": [variant]}, f"{old} -> {new} ({kind})", kind.split(",")[0]


# -- class: abbreviations and dropped generic words --------------------------------------------

ABBREVIATIONS = {
    "technology": ["Tech"],
    "technologies": ["Tech", "Techs"],
    "international": ["Intl", "Int'l", "Internat."],
    "corporation": ["Corp"],
    "company": ["Co"],
    "limited": ["Ltd"],
    "industries": ["Ind", "Inds", "Indus."],
    "industrial": ["Indl", "Ind."],
    "manufacturing": ["Mfg"],
    "engineering": ["Eng", "Engg"],
    "brothers": ["Bros"],
    "trading": ["Trdg"],
    "management": ["Mgmt"],
    "services": ["Svcs", "Servs"],
    "service": ["Svc"],
    "development": ["Dev", "Devt"],
    "investment": ["Inv", "Invest."],
    "investments": ["Invs", "Invest."],
    "national": ["Natl", "Nat'l"],
    "association": ["Assn", "Assoc."],
    "department": ["Dept"],
    "electronics": ["Elec", "Electr."],
    "electric": ["Elec"],
    "petroleum": ["Petro", "Petrol."],
    "shipping": ["Shpg"],
    "general": ["Gen", "Genl"],
    "enterprise": ["Ent", "Entpr"],
    "enterprises": ["Ents", "Entpr"],
    "and": ["&"],
    "saint": ["St"],
    "building": ["Bldg"],
    "construction": ["Constr", "Const."],
    "university": ["Univ"],
    "institute": ["Inst"],
    "research": ["Res"],
    "laboratory": ["Lab"],
    "laboratories": ["Labs"],
    "chemical": ["Chem"],
    "chemicals": ["Chems", "Chem"],
    "pharmaceutical": ["Pharma"],
    "pharmaceuticals": ["Pharma"],
    "communications": ["Comms", "Comm"],
    "communication": ["Comm"],
    "equipment": ["Equip", "Eqpt"],
    "systems": ["Sys", "Syst"],
    "foundation": ["Fdn"],
    "organization": ["Org"],
    "organisation": ["Org"],
    "government": ["Govt"],
    "holding": ["Hldg"],
    "holdings": ["Hldgs"],
    "transport": ["Transp"],
    "transportation": ["Transp"],
    "import": ["Imp"],
    "export": ["Exp"],
    "incorporated": ["Inc"],
    "incorporation": ["Inc"],
    "agency": ["Agcy"],
    "bank": ["Bk"],
    "commercial": ["Comml", "Com."],
    "aviation": ["Avn"],
    "energy": ["Enrg"],
    "republic": ["Rep"],
    "scientific": ["Sci"],
    "production": ["Prod"],
    "association's": ["Assn's"],
}
DROPPABLE = {
    "group",
    "holding",
    "holdings",
    "company",
    "co",
    "trading",
    "international",
    "industries",
    "enterprises",
    "corporation",
    "the",
    "limited",
    "ltd",
    "inc",
    "llc",
    "services",
    "general",
    "global",
    "&",
    "and",
}


def distinctive(token: str) -> bool:
    """A word that identifies: not generic, not a legal form, two letters or more."""
    return (
        token.strip(",.()\"'&").lower() not in GENERIC_WORDS | DROPPABLE
        and legal_tokens(token) not in LEGAL_INDEX
        and letter_count(token) >= 2
    )


def make_abbreviation(ctx: Context, entity, name: str) -> Made:
    rng = ctx.rng
    tokens = name.split()
    if len(tokens) < 2:
        return None
    legal = find_legal_form(name)
    legal_span = range(legal[0], legal[1]) if legal and legal[1] - legal[0] > 1 else range(0)  # never inside
    # a spelled-out legal form: "LIMITED LIABILITY COMPANY" is not written "LTD LIABILITY"
    ops = []
    for i, token in enumerate(tokens):
        bare = token.strip(",.()\"'")
        low = bare.lower()
        trailing = token[len(token.rstrip(",")) :]
        if i in legal_span:
            continue
        for abbr in ABBREVIATIONS.get(low, ()):
            short = abbr.rstrip(".").replace("'", "").lower()
            kind = "prefix" if low.startswith(short) else ("ampersand" if abbr == "&" else "contraction")
            ops.append(
                (kind, i, case_like(abbr, bare) + trailing if abbr != "&" else "&", f"{bare} -> {abbr}")
            )
        if low in DROPPABLE and i > 0:
            ops.append(("dropped", i, None, f"{bare} dropped"))
    if not ops:
        return None
    rng.shuffle(ops)
    chosen = ops[: 1 if rng.random() < 0.6 else 2]
    used = set()
    new_tokens = list(tokens)
    notes, kinds = [], []
    for op, i, value, note in chosen:
        if i in used:
            continue
        used.add(i)
        new_tokens[i] = None if op == "dropped" else value
        notes.append(note)
        kinds.append(op)
    kept = [t for t in new_tokens if t]
    if not any(distinctive(t) for t in kept):
        return None
    variant = " ".join(kept).rstrip(",")
    if not ctx.fresh(variant, name):
        return None
    return {"name": [variant]}, "; ".join(notes), " + ".join(sorted(set(kinds)))


# -- class: original scripts --------------------------------------------------------------------

ARABIC_DIACRITICS = re.compile("[\u064b-\u0652\u0670]")
CYRILLIC_LEGAL = [
    ("ООО", "Общество с ограниченной ответственностью"),
    ("АО", "Акционерное общество"),
    ("ПАО", "Публичное акционерное общество"),
    ("ЗАО", "Закрытое акционерное общество"),
    ("ОАО", "Открытое акционерное общество"),
]
CYRILLIC_PATRONYMIC = ("ович", "евич", "ьич", "ична", "овна", "евна", "инична")
TRAD_SIMP = dict(
    zip(
        "國際華貿東電業團億濟學發車門龍漢長興開銀會時達運輸進務產實創聯鋼鐵無線訊資財級網絡測儀醫藥顧問與標準應體設計書號廣場區縣鎮島灣",
        "国际华贸东电业团亿济学发车门龙汉长兴开银会时达运输进务产实创联钢铁无线讯资财级网络测仪医药顾问与标准应体设计书号广场区县镇岛湾",
        strict=True,
    )
)
SIMP_TRAD = {v: k for k, v in TRAD_SIMP.items()}


PERSIAN_LETTERS = re.compile("[پچژگکیٹڈڑںےہۀ]")


def _arabic_options(name: str, schema: str) -> list[tuple[str, str]]:
    """Spelling variance of Arabic-script names; Persian, Pashto and Urdu names get only the
    variants their writers meet (Arabic-keyboard letters, a dropped middle name)."""
    ops = []
    persian = PERSIAN_LETTERS.search(name) is not None
    if persian:
        if "ی" in name or "ک" in name:
            ops.append((name.replace("ی", "ي").replace("ک", "ك"), "Persian ye/kaf typed as Arabic letters"))
    if re.search("[أإآ]", name):
        ops.append((re.sub("[أإآ]", "ا", name), "hamza on alif dropped"))
    if re.search("ة(?=\\s|$)", name):
        ops.append((re.sub("ة(?=\\s|$)", "ه", name), "ta marbuta as ha"))
    if not persian and re.search("ى(?=\\s|$)", name):
        ops.append((re.sub("ى(?=\\s|$)", "ي", name), "alif maqsura as ya"))
    elif not persian and re.search("ي(?=\\s|$)", name):
        ops.append((re.sub("ي(?=\\s|$)", "ى", name, count=1), "final ya as alif maqsura"))
    if ARABIC_DIACRITICS.search(name):
        ops.append((ARABIC_DIACRITICS.sub("", name), "vowel marks dropped"))
    if "عبد ال" in name:
        ops.append((name.replace("عبد ال", "عبدال"), "عبد ال joined"))
    elif "عبدال" in name:
        ops.append((name.replace("عبدال", "عبد ال"), "عبدال split"))
    tokens = name.split()
    if len(tokens) >= 4:
        i = 1 + (len(tokens) - 2) // 2
        if tokens[i] not in ("بن", "ابن", "بنت", "ابو", "أبو", "عبد"):
            ops.append((" ".join(tokens[:i] + tokens[i + 1 :]), "a middle name dropped"))
    if len(tokens) >= 2 and not persian and schema == "Person":
        last = tokens[-1]
        if last.startswith("ال") and len(last) > 4:
            ops.append((" ".join(tokens[:-1] + [last[2:]]), "article dropped from the last name"))
        elif not last.startswith("ال"):
            ops.append((" ".join(tokens[:-1] + ["ال" + last]), "article added to the last name"))
    return ops


def _cyrillic_options(name: str, schema: str) -> list[tuple[str, str]]:
    ops = []
    tokens = name.split()
    stripped = name.strip()
    for short, long in CYRILLIC_LEGAL:
        for old, new in ((short, long), (long, short)):
            if stripped.upper().startswith(old.upper() + " "):
                ops.append((new + stripped[len(old) :], f"{old} -> {new}"))
            if stripped.upper().endswith(" " + old.upper()):
                ops.append((stripped[: -len(old)] + new, f"{old} -> {new}"))
    if re.search('[«»"]', name):
        ops.append((" ".join(re.sub('[«»"]', " ", name).split()), "quotes dropped"))
    if "ё" in name.lower():
        ops.append((name.replace("ё", "е").replace("Ё", "Е"), "ё written е"))
    if schema == "Person" and 2 <= len(tokens) <= 4:
        lows = [t.lower() for t in tokens]
        pat = [i for i, t in enumerate(lows) if t.endswith(CYRILLIC_PATRONYMIC)]
        if len(tokens) == 3 and pat == [2]:  # Фамилия Имя Отчество
            ops.append((" ".join([tokens[1], tokens[2], tokens[0]]), "surname moved to the end"))
            ops.append((" ".join([tokens[1], tokens[0]]), "patronymic dropped, given name first"))
            ops.append((" ".join([tokens[0], tokens[1]]), "patronymic dropped"))
        elif len(tokens) == 3 and pat == [1]:  # Имя Отчество Фамилия
            ops.append((" ".join([tokens[2], tokens[0], tokens[1]]), "surname moved to the front"))
            ops.append((" ".join([tokens[0], tokens[2]]), "patronymic dropped"))
        elif len(tokens) == 2:
            ops.append((" ".join(reversed(tokens)), "word order swapped"))
    if not ops and len(tokens) >= 2:
        ops.append((name.upper() if not name.isupper() else name.title(), "re-cased"))
    return ops


def _han_options(name: str, schema: str) -> list[tuple[str, str]]:
    ops = []
    compact = name.replace(" ", "")
    found = next((f for f in HAN_LEGAL if compact.endswith(f)), None)
    if found:
        for other in HAN_LEGAL:
            if other != found:
                ops.append((compact[: -len(found)] + other, f"{found} -> {other}"))
        if len(compact) - len(found) >= 2:
            ops.append((compact[: -len(found)], f"{found} dropped"))
    trad = "".join(TRAD_SIMP.get(ch, ch) for ch in name)
    if trad != name:
        ops.append((trad, "traditional characters as simplified"))
    simp = "".join(SIMP_TRAD.get(ch, ch) for ch in name)
    if simp != name:
        ops.append((simp, "simplified characters as traditional"))
    if schema == "Person" and 2 <= len(compact) <= 4 and " " not in name:
        ops.append((compact[0] + " " + compact[1:], "space after the surname"))
    if " " in name:
        ops.append((compact, "spaces dropped"))
    return ops


def _hangul_options(name: str) -> list[tuple[str, str]]:
    if " " in name:
        return [(name.replace(" ", ""), "spaces dropped")]
    if len(name) >= 3:
        return [(name[0] + " " + name[1:], "space after the surname")]
    return []


def _other_script_options(name: str, schema: str, script: str) -> list[tuple[str, str]]:
    """Persons' names in other scripts (Georgian, Hebrew, Armenian, Greek ...) written family name
    first; Greek without its accents (tonos). Nothing for other scripts' organisation names."""
    tokens = re.sub(r"\s*\([^)]*\)", "", name).split()
    ops = []
    if schema == "Person" and len(tokens) >= 2:
        ops.append((" ".join(tokens[1:] + tokens[:1]), "first word moved to the end"))
    if script == "GREEK" and strip_accents(name) != name:
        ops.append((strip_accents(name), "accents dropped"))
    return ops


def script_names(entity) -> list[str]:
    return [n for n in entity_names(entity) if not is_latin(n) and main_script(n) not in (None, "LATIN")]


def make_non_latin(ctx: Context, entity, name: str) -> Made:
    script = main_script(name)
    if script == "ARABIC":
        ops = _arabic_options(name, entity.schema)
    elif script == "CYRILLIC":
        ops = _cyrillic_options(name, entity.schema)
    elif script == "HAN":
        ops = _han_options(name, entity.schema)
    elif script == "HANGUL":
        ops = _hangul_options(name)
    else:
        ops = _other_script_options(name, entity.schema, script)
    ops = [o for o in ops if ctx.fresh(o[0], name)]
    if not ops:
        return None
    variant, how = ctx.rng.choice(ops)
    return {"name": [variant]}, f"{script.lower()}: {how}", script.lower()


# -- class: Latin-only list names queried in Cyrillic -------------------------------------------

LAT2CYR = [
    ("shch", "щ"),
    ("dzh", "дж"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("tch", "ч"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yu", "ю"),
    ("ya", "я"),
    ("yo", "ё"),
    ("iu", "ю"),
]
LAT2CYR_SINGLE = dict(zip("abvgdezijklmnoprstufhcwqx", "абвгдезийклмнопрстуфхквкк", strict=True))
VOWELS = set("aeiouy")


KNOWN_CYRILLIC = {
    "alexander": "Александр",
    "aleksandr": "Александр",
    "alexandr": "Александр",
    "alexey": "Алексей",
    "aleksey": "Алексей",
    "alexei": "Алексей",
    "aleksei": "Алексей",
    "pyotr": "Пётр",
    "petr": "Пётр",
    "fedor": "Фёдор",
    "fyodor": "Фёдор",
    "artem": "Артём",
    "artyom": "Артём",
    "semen": "Семён",
    "semyon": "Семён",
    "olga": "Ольга",
    "ilya": "Илья",
    "natalia": "Наталья",
    "natalya": "Наталья",
    "daria": "Дарья",
    "darya": "Дарья",
    "igor": "Игорь",
    "lyubov": "Любовь",
    "yevgeny": "Евгений",
    "evgeny": "Евгений",
    "evgeniy": "Евгений",
    "yevgeniy": "Евгений",
    "lev": "Лев",
    "pavel": "Павел",
    "yuri": "Юрий",
    "yulia": "Юлия",
    "maria": "Мария",
}
#: Romanisations that are not of Russian (Romanian, Georgian, Polish ...): no Cyrillic is made from them.
NOT_RUSSIAN = re.compile(r"gh|th|ph|w|q|ck|ci$|ee|oo|ou|(?<!d)j|[^a-z'-]")


def to_cyrillic(word: str) -> str:
    """A Russian name romanised in BGN/PCGN or passport style, written back in Cyrillic."""
    if word.lower() in KNOWN_CYRILLIC:
        return KNOWN_CYRILLIC[word.lower()]
    w = word.lower().replace("'", "ь").replace("mikhailov", "mikhaylov")
    if w.endswith("ia") and len(w) > 3:
        w = w[:-2] + "iya"
    ending = ""
    for tail, cyr in (
        ("iy", "ий"),
        ("yy", "ый"),
        ("ii", "ий"),
        ("ey", "ей"),
        ("ei", "ей"),
        ("ay", "ай"),
        ("ai", "ай"),
        ("oy", "ой"),
        ("oi", "ой"),
    ):
        if w.endswith(tail) and len(w) > 3:
            w, ending = w[: -len(tail)], cyr
            break
    else:
        if len(w) > 3 and w.endswith("y") and w[-2] not in VOWELS:
            w, ending = w[:-1], "ий"
    out = []
    i = 0
    while i < len(w):
        prev = w[i - 1] if i else ""
        if w.startswith("ye", i):
            out.append("ье" if prev and prev not in VOWELS and prev != "ь" else "е")
            i += 2
            continue
        for lat, cyr in LAT2CYR:
            if w.startswith(lat, i):
                out.append(cyr)
                i += len(lat)
                break
        else:
            ch = w[i]
            if ch == "y":
                out.append("й" if prev in VOWELS else "ы")
            elif ch == "x":
                out.append("кс")
            elif ch == "e" and i == 0 and w.startswith(("ed", "el", "er", "em"), 0):
                out.append("э")
            else:
                out.append(LAT2CYR_SINGLE.get(ch, ch))
            i += 1
    text = "".join(out) + ending
    return text[:1].upper() + text[1:]


def make_script_cross(ctx: Context, entity, name: str) -> Made:
    person = parse_person(entity, name)
    if person is None:
        return None
    words = person.given + person.surname
    if not all(re.fullmatch(r"[A-Za-z'-]+", w) and not NOT_RUSSIAN.search(w.lower()) for w in words):
        return None
    if any(w.lower() in KOREAN_SURNAMES for w in person.surname) or (
        any(w.lower() in KOREAN_SURNAMES for w in words) and all(len(w) <= 5 for w in words)
    ):
        return None  # a Korean name: Russian writes those by other rules
    given = [to_cyrillic(w) for w in person.given]
    surname = ["-".join(to_cyrillic(p) for p in w.split("-")) for w in person.surname]
    if ctx.rng.random() < 0.5:
        variant, order = " ".join(surname + given), "surname first"
    else:
        variant, order = " ".join(given + surname), "given names first"
    if ctx.rng.random() < 0.15:
        variant = variant.upper()
    if not ctx.fresh(variant, name):
        return None
    return {"name": [variant]}, f"Latin -> Cyrillic, {order}", order


# -- class: weak aliases ------------------------------------------------------------------------


def make_weak_alias(ctx: Context, entity, name: str) -> Made:
    rng = ctx.rng
    options = [(v, how) for v, how in _space_ops(name, entity.schema == "Person") if ctx.fresh(v, name)]
    if options and rng.random() < 0.5:
        variant, how = rng.choice(options)
    else:
        variant, how = name, "re-cased"
    for style in rng.sample(["title", "lower", "upper"], 3):
        styled = restyle(variant, style)
        if styled != name:
            variant = styled
            break
    if variant == name:
        return None
    return (
        {"name": [variant]},
        f"weak alias {name!r}: {how}",
        "re-cased" if how == "re-cased" else "re-spaced",
    )


# -- class: identifiers -------------------------------------------------------------------------

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def valid_imo(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    if len(digits) != 7:
        return False
    return sum(int(d) * (7 - i) for i, d in enumerate(digits[:6])) % 10 == int(digits[6])


def valid_lei(value: str) -> bool:
    code = value.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z0-9]{18}[0-9]{2}", code):
        return False
    return int("".join(str(int(ch, 36)) for ch in code)) % 97 == 1


def valid_bic(value: str) -> bool:
    return (
        re.fullmatch(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?", value.replace(" ", "").upper()) is not None
    )


def valid_uscc(value: str) -> bool:
    code = value.replace(" ", "").upper()
    if len(code) != 18 or any(ch not in USCC_CHARS for ch in code):
        return False
    total = sum(USCC_CHARS.index(ch) * w for ch, w in zip(code[:17], USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31] == code[17]


def valid_crypto(value: str) -> bool:
    return 25 <= len(value) <= 100 and value.isalnum()


STRONG_IDS = {
    # type: (query property, validator, schemata whose list entries qualify)
    "imo": ("imoNumber", valid_imo, {"Vessel"}),
    "uscc": ("registrationNumber", valid_uscc, ORG_SCHEMATA),
    "lei": ("leiCode", valid_lei, ORG_SCHEMATA),
    "swift_bic": ("swiftBic", valid_bic, ORG_SCHEMATA),
    "crypto": ("cryptoWallet", valid_crypto, None),
}


def identifier_items(entity) -> list[tuple[str, str]]:
    out = []
    for ident in entity.identifiers:
        spec = STRONG_IDS.get(ident.type)
        if spec and (spec[2] is None or entity.schema in spec[2]) and spec[1](ident.value):
            out.append((ident.type, ident.value))
    return out


def make_identifier(ctx: Context, entity, item: tuple[str, str]) -> Made:
    kind, value = item
    prop = STRONG_IDS[kind][0]
    note = f"{kind} only"
    if kind == "imo" and ctx.rng.random() < 0.3:
        value, note = f"IMO {value}", "imo only, written 'IMO nnnnnnn'"
    elif kind == "swift_bic" and len(value) == 8 and ctx.rng.random() < 0.3:
        value, note = value + "XXX", "bic only, BIC8 with branch XXX"
    return {prop: [value]}, note, kind


# -- class: perturbed secondary attributes ------------------------------------------------------

OTHER_COUNTRIES = [
    "us",
    "gb",
    "fr",
    "de",
    "it",
    "es",
    "br",
    "mx",
    "ca",
    "au",
    "jp",
    "in",
    "ng",
    "za",
    "se",
    "nl",
    "pl",
    "tr",
    "eg",
    "pk",
    "id",
    "ph",
    "ar",
    "cl",
    "ke",
    "gh",
    "ie",
    "pt",
    "be",
    "ch",
]


def _years(entity) -> list[str]:
    return [d for d in entity.get("birthDate") if re.fullmatch(r"\d{4}(-\d{2}-\d{2}|-\d{2})?", d)]


def make_attribute(ctx: Context, entity, name: str) -> Made:
    rng = ctx.rng
    dates = _years(entity)
    countries = _countries(entity)
    roll = rng.random()
    want_date = bool(dates) and (roll < 0.45 or roll >= 0.85 or not countries)
    want_country = bool(countries) and (roll >= 0.45 or not dates)
    if not (want_date or want_country):
        return None
    props: dict[str, list[str]] = {"name": [name]}
    notes = []
    if want_date:
        listed = rng.choice(dates)
        years = {int(d[:4]) for d in dates}
        for _ in range(20):
            year = int(listed[:4]) + rng.choice([-1, 1]) * rng.randint(3, 12)
            if all(abs(year - y) > 2 for y in years):
                break
        else:
            return None
        month_day = (
            listed[4:10] if len(listed) >= 10 else f"-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        )
        props["birthDate"] = [f"{year}{month_day}"]
        notes.append(f"birth date {props['birthDate'][0]} (listed {', '.join(dates[:3])})")
    if want_country:
        other = rng.choice([c for c in OTHER_COUNTRIES if c not in countries])
        props["nationality"] = [other]
        notes.append(f"nationality {other} (listed {', '.join(sorted(countries))})")
    kind = " + ".join(k for k, on in (("birth date", want_date), ("nationality", want_country)) if on)
    return props, "; ".join(notes), kind


# -- the class table ----------------------------------------------------------------------------


@dataclass
class VariationClass:
    name: str
    eligible: Callable  # entity -> list of sources (names or identifier items)
    make: Callable  # (ctx, entity, source) -> Made
    #: Sources are also spread over this key (identifier type, script), not only over datasets.
    stratify: Callable | None = None


def _persons(fn):
    return lambda e: fn(e) if e.schema == "Person" else []


def _orgs(fn):
    return lambda e: fn(e) if e.schema in ORG_SCHEMATA else []


def _with_typo_token(e):
    return [n for n in latin_names(e) if _typo_tokens(n)]


def _multi_token_persons(e):
    return [n for n in latin_names(e) if len(n.replace(",", " ").split()) >= 2]


def _russian_latin_only(e):
    if "ru" not in _countries(e) or any(main_script(n) == "CYRILLIC" for n in entity_names(e, NAME_KINDS)):
        return []
    return [n for n in latin_names(e, ("name", "alias")) if len(n.replace(",", " ").split()) >= 2]


NAME_KINDS = ("name", "alias", "previousName", "weakAlias")

CLASSES = [
    VariationClass(
        "case_punct_space",
        lambda e: [n for n in latin_names(e) if _space_ops(n, e.schema == "Person")],
        make_case_punct,
    ),
    VariationClass("word_order", _persons(_multi_token_persons), make_word_order),
    VariationClass("middle_name", _persons(_multi_token_persons), make_middle_name),
    VariationClass("initials", _persons(_multi_token_persons), make_initials),
    *[
        VariationClass(f"typo_{kind}", _with_typo_token, typo_maker(kind))
        for kind in ("insertion", "deletion", "substitution", "transposition", "doubled")
    ],
    VariationClass(
        "translit",
        lambda e: [
            n for n in latin_names(e) if any(_translit_options(n, e.schema, frozenset(_countries(e))))
        ],
        make_translit,
    ),
    VariationClass(
        "legal_form",
        _orgs(
            lambda e: (
                [n for n in entity_names(e) if find_legal_form(n) if is_latin(n)]
                + [n for n in entity_names(e) if main_script(n) == "HAN" and any(f in n for f in HAN_LEGAL)]
            )
        ),
        make_legal_form,
    ),
    VariationClass(
        "abbreviation", _orgs(lambda e: [n for n in latin_names(e) if len(n.split()) >= 2]), make_abbreviation
    ),
    VariationClass("non_latin", script_names, make_non_latin, stratify=main_script),
    VariationClass("script_cross", _persons(_russian_latin_only), make_script_cross),
    VariationClass(
        "weak_alias",
        lambda e: [n for n in entity_names(e, ("weakAlias",)) if letter_count(n) >= 3],
        make_weak_alias,
    ),
    VariationClass("identifier", identifier_items, make_identifier, stratify=lambda item: item[0]),
    VariationClass(
        "attribute",
        _persons(lambda e: entity_names(e, ("name",))[:1] if (_years(e) or _countries(e)) else []),
        make_attribute,
    ),
]


# -- sampling -----------------------------------------------------------------------------------


def generate_variations(ctx: Context, entities: dict[str, list]) -> list[dict]:
    """Every class's quota, round-robin over datasets (and, for identifiers and original-script
    names, over identifier types and scripts, so rare ones are all used before common ones repeat)."""
    rng = ctx.rng
    out: list[dict] = []
    for cls in CLASSES:
        quota = QUOTAS[cls.name]
        pools: dict[tuple[str, str], list] = defaultdict(list)
        for dataset, items in entities.items():
            for entity in items:
                sources = cls.eligible(entity)
                if not sources:
                    continue
                if cls.stratify is not None:
                    for kind in sorted({cls.stratify(s) for s in sources}):
                        pools[(dataset, kind)].append(
                            (entity, [s for s in sources if cls.stratify(s) == kind])
                        )
                else:
                    sources = primary_first(entity, sources) if isinstance(sources[0], str) else sources
                    pools[(dataset, "")].append((entity, sources))
        keys = sorted(pools, key=lambda k: (_dataset_rank(k[0]), k[1]))
        for key in keys:
            rng.shuffle(pools[key])
        used: set[str] = set()
        made_here: list[dict] = []
        while len(made_here) < quota and any(pools[k] for k in keys):
            for key in keys:
                queue = pools[key]
                while queue:
                    entity, sources = queue.pop()
                    if entity.id in used:
                        continue
                    made = _make_one(ctx, cls, entity, sources)
                    if made is None:
                        continue
                    used.add(entity.id)
                    props, note, subtype, source = made
                    made_here.append(
                        {
                            "id": f"{cls.name}-{len(made_here) + 1:04d}",
                            "class": cls.name,
                            "schema": "LegalEntity" if "cryptoWallet" in props else entity.schema,
                            "properties": props,
                            "expected": entity.id,
                            "dataset": entity.dataset,
                            "source_name": source if isinstance(source, str) else f"{source[0]}:{source[1]}",
                            "note": note,
                            "subtype": subtype,
                        }
                    )
                    break
                if len(made_here) >= quota:
                    break
        out.extend(made_here)
    return out


def _make_one(ctx: Context, cls: VariationClass, entity, sources: list):
    """Try the entity's main name first (70%), otherwise its sources in random order."""
    order = list(sources)
    if isinstance(order[0], str) and ctx.rng.random() < 0.7:
        order = order[:1] + ctx.rng.sample(order[1:], len(order) - 1)
    else:
        ctx.rng.shuffle(order)
    for source in order:
        made = cls.make(ctx, entity, source)
        if made is not None:
            return made[0], made[1], made[2], source
    return None


def _dataset_rank(dataset: str) -> tuple[int, str]:
    return (DATASETS.index(dataset), "") if dataset in DATASETS else (len(DATASETS), dataset)


# -- negatives ----------------------------------------------------------------------------------

LATIN_PEOPLE = {
    # language: (given names, surnames)
    "en": (
        [
            "Emily",
            "Oliver",
            "Charlotte",
            "Harry",
            "Sophie",
            "Daniel",
            "Grace",
            "Thomas",
            "Hannah",
            "Lucas",
            "Megan",
            "Callum",
        ],
        [
            "Thompson",
            "Whitaker",
            "Fletcher",
            "Holloway",
            "Pemberton",
            "Ashworth",
            "Brennan",
            "Gallagher",
            "Hargreaves",
            "Kettering",
            "Langford",
            "Mayhew",
        ],
    ),
    "de": (
        ["Lukas", "Anna", "Felix", "Johanna", "Matthias", "Katrin", "Jonas", "Leonie", "Tobias", "Franziska"],
        [
            "Schneider",
            "Hoffmann",
            "Baumgartner",
            "Lehmann",
            "Krüger",
            "Vogel",
            "Zimmermann",
            "Brandt",
            "Kessler",
            "Seidel",
        ],
    ),
    "fr": (
        [
            "Camille",
            "Julien",
            "Élodie",
            "Mathieu",
            "Chloé",
            "Antoine",
            "Margaux",
            "Théo",
            "Océane",
            "Baptiste",
        ],
        [
            "Dubois",
            "Lefèvre",
            "Moreau",
            "Girard",
            "Fontaine",
            "Chevalier",
            "Rousseau",
            "Lambert",
            "Faure",
            "Mercier",
        ],
    ),
    "es": (
        ["Lucía", "Javier", "Carmen", "Alejandro", "Marta", "Diego", "Paula", "Sergio", "Nerea", "Álvaro"],
        [
            "Fernández",
            "Navarro",
            "Delgado",
            "Iglesias",
            "Castillo",
            "Ruiz",
            "Herrera",
            "Cano",
            "Prieto",
            "Vidal",
        ],
    ),
    "it": (
        ["Giulia", "Lorenzo", "Francesca", "Matteo", "Chiara", "Riccardo", "Elisa", "Davide"],
        ["Romano", "Bianchi", "Esposito", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Galli", "Conti"],
    ),
    "pt": (
        ["João", "Beatriz", "Tiago", "Inês", "Rafael", "Mariana", "Gonçalo", "Leonor"],
        ["Ferreira", "Carvalho", "Almeida", "Ribeiro", "Pinto", "Sousa", "Teixeira", "Moreira"],
    ),
    "pl": (
        ["Katarzyna", "Piotr", "Agnieszka", "Tomasz", "Magdalena", "Krzysztof", "Joanna", "Paweł"],
        ["Nowak", "Wiśniewski", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański", "Woźniak"],
    ),
    "nl": (
        ["Sanne", "Bram", "Femke", "Joris", "Lotte", "Ruben", "Anouk", "Thijs"],
        ["de Vries", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos"],
    ),
    "nordic": (
        ["Ingrid", "Mikkel", "Sigrid", "Henrik", "Astrid", "Magnus", "Freja", "Lars"],
        ["Lindqvist", "Johansson", "Halvorsen", "Nyberg", "Sandberg", "Christensen", "Lund", "Berglund"],
    ),
}
LATIN_COMPANIES = {
    # language: (trade words, legal forms)
    "en": (
        [
            "Bakery",
            "Joinery",
            "Logistics",
            "Dental Practice",
            "Garden Centre",
            "Print Works",
            "Plumbing",
            "Veterinary Clinic",
        ],
        ["Ltd", "Limited", "LLC", "Inc.", "& Sons Ltd"],
    ),
    "de": (
        ["Haustechnik", "Bäckerei", "Elektrobau", "Autohaus", "Steuerberatung", "Zimmerei"],
        ["GmbH", "GmbH & Co. KG", "e.K."],
    ),
    "fr": (
        ["Boulangerie", "Menuiserie", "Transports", "Pharmacie", "Plomberie", "Fromagerie"],
        ["SARL", "SAS", "EURL"],
    ),
    "es": (
        ["Construcciones", "Panadería", "Asesores", "Transportes", "Carpintería", "Climatización"],
        ["S.L.", "S.A."],
    ),
    "it": (
        ["Arredamenti", "Costruzioni", "Trasporti", "Ceramiche", "Forniture Alberghiere"],
        ["S.r.l.", "S.p.A.", "S.n.c."],
    ),
    "pt": (["Transportes", "Construções", "Padaria", "Contabilidade"], ["Lda", "S.A."]),
    "pl": (["Usługi Budowlane", "Transport", "Piekarnia", "Meble"], ["Sp. z o.o.", "S.A."]),
    "nl": (["Installatietechniek", "Bouwbedrijf", "Bakkerij", "Tuinontwerp"], ["B.V.", "V.O.F."]),
    "nordic": (["Bygg", "Elektro", "Transport", "Rör"], ["AB", "AS", "ApS", "Oy"]),
}
RU_MALE = [
    "Алексей",
    "Дмитрий",
    "Иван",
    "Андрей",
    "Павел",
    "Артём",
    "Кирилл",
    "Максим",
    "Егор",
    "Роман",
    "Глеб",
]
RU_FEMALE = [
    "Анна",
    "Екатерина",
    "Ольга",
    "Татьяна",
    "Мария",
    "Наталья",
    "Ирина",
    "Светлана",
    "Дарья",
    "Ксения",
]
RU_FATHERS = [
    ("Александрович", "Александровна"),
    ("Сергеевич", "Сергеевна"),
    ("Петрович", "Петровна"),
    ("Андреевич", "Андреевна"),
    ("Олегович", "Олеговна"),
    ("Игоревич", "Игоревна"),
    ("Романович", "Романовна"),
]
RU_SURNAMES = [
    ("Смирнов", "Смирнова"),
    ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"),
    ("Соколов", "Соколова"),
    ("Новиков", "Новикова"),
    ("Морозов", "Морозова"),
    ("Волков", "Волкова"),
    ("Зайцев", "Зайцева"),
    ("Павлов", "Павлова"),
    ("Семёнов", "Семёнова"),
    ("Голубев", "Голубева"),
    ("Виноградов", "Виноградова"),
]
RU_COMPANY_ADJ = [
    "Северный",
    "Уральский",
    "Волжский",
    "Южный",
    "Тихий",
    "Светлый",
    "Городской",
    "Лесной",
    "Речной",
]
RU_COMPANY_NOUN = ["Хлебозавод", "Сад", "Мост", "Берег", "Ремонт", "Сервис", "Стандарт", "Двор", "Мебельщик"]
RU_LEGAL = ["ООО", "АО", "ИП"]
AR_MALE = ["سامي", "طارق", "كريم", "نبيل", "فادي", "رامي", "وليد", "باسل", "مازن", "هشام", "زياد", "ماهر"]
AR_FEMALE = ["ليلى", "سارة", "هدى", "ريم", "سلمى", "أمل", "رنا", "دينا", "منى", "لمى"]
AR_FATHERS = ["جميل", "سمير", "نادر", "عادل", "منير", "فريد", "رياض", "كمال", "وائل", "هاني"]
AR_FAMILIES = [
    "الخطيب",
    "النجار",
    "الحداد",
    "الشامي",
    "الزين",
    "الحلبي",
    "الخوري",
    "الصباغ",
    "الطويل",
    "البيطار",
    "الدباغ",
    "الحمصي",
    "العطار",
    "القباني",
    "الشربجي",
]
AR_COMPANY_NAMES = ["الياسمين", "الربيع", "السنابل", "المروج", "الزيتونة", "الندى", "الغيمة", "الفيروز"]
AR_COMPANY_TRADES = [
    "للتجارة العامة",
    "للمقاولات",
    "للصناعات الغذائية",
    "للسياحة والسفر",
    "للأثاث",
    "للطباعة والنشر",
    "للأدوات المنزلية",
]
ZH_SURNAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "周",
    "吴",
    "徐",
    "孙",
    "朱",
    "胡",
    "郭",
    "何",
    "林",
    "罗",
]
ZH_GIVEN = [
    "秀英",
    "晓东",
    "婷婷",
    "子涵",
    "雨欣",
    "浩然",
    "梓轩",
    "思远",
    "佳怡",
    "志强",
    "丽娟",
    "建华",
    "春燕",
    "海燕",
    "文博",
    "欣怡",
    "宇航",
    "静怡",
]
ZH_PLACES = ["杭州", "苏州", "成都", "青岛", "厦门", "昆明", "长沙", "无锡"]
ZH_WORDS = ["绿源", "晨光", "悦达", "嘉禾", "顺丰源", "百味", "清泉", "安居"]
ZH_TRADES = ["食品", "家具", "餐饮管理", "园林绿化", "文具", "物业管理", "印刷"]
ZH_LEGAL = ["有限公司", "有限责任公司"]
KO_SURNAMES = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권"]
KO_GIVEN = [
    "민준",
    "서연",
    "지훈",
    "하은",
    "도윤",
    "서준",
    "지우",
    "예은",
    "현우",
    "수빈",
    "준호",
    "유진",
    "민서",
    "건우",
    "채원",
]
KO_WORDS = ["한빛", "새솔", "푸른숲", "다온", "미래로", "바른길", "늘봄"]
KO_TRADES = ["식품", "인테리어", "제과", "물류", "가구", "세탁"]
KO_LEGAL = ["주식회사", "유한회사"]
EL_PEOPLE = (
    ["Γιώργος", "Δημήτρης", "Νίκος", "Κωνσταντίνος", "Γιάννης", "Παναγιώτης", "Χρήστος", "Βασίλης"],
    ["Μαρία", "Ελένη", "Κατερίνα", "Σοφία", "Αικατερίνη", "Άννα", "Δέσποινα", "Βασιλική"],
    [
        ("Παπαδόπουλος", "Παπαδοπούλου"),
        ("Παπαδάκης", "Παπαδάκη"),
        ("Γεωργίου", "Γεωργίου"),
        ("Οικονόμου", "Οικονόμου"),
        ("Νικολάου", "Νικολάου"),
        ("Βλάχος", "Βλάχου"),
        ("Μακρής", "Μακρή"),
        ("Κωνσταντινίδης", "Κωνσταντινίδου"),
        ("Σταματόπουλος", "Σταματοπούλου"),
        ("Λαμπράκης", "Λαμπράκη"),
        ("Καραγιάννης", "Καραγιάννη"),
    ],
)
EL_WORDS = ["Ολυμπία", "Αιγαίο", "Ερμής", "Πήγασος", "Ελιά", "Αστέρι"]
EL_TRADES = ["Τεχνική", "Εμπορική", "Τροφίμων", "Κατασκευαστική", "Επίπλων"]
EL_LEGAL = ["Α.Ε.", "Ε.Π.Ε.", "Ι.Κ.Ε.", "Ο.Ε."]

#: (script, kind) -> how many own negatives to make.
OWN_COUNTS = {
    ("latin", "Person"): 100,
    ("latin", "Company"): 50,
    ("cyrillic", "Person"): 45,
    ("cyrillic", "Company"): 20,
    ("arabic", "Person"): 45,
    ("arabic", "Company"): 20,
    ("han", "Person"): 45,
    ("han", "Company"): 20,
    ("hangul", "Person"): 35,
    ("hangul", "Company"): 15,
    ("greek", "Person"): 35,
    ("greek", "Company"): 15,
}


CYR2LAT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)
ZH_PINYIN = {
    "王": ["wang", "wong"],
    "李": ["li", "lee"],
    "张": ["zhang", "chang", "cheung"],
    "刘": ["liu", "lau"],
    "陈": ["chen", "chan"],
    "杨": ["yang", "yeung"],
    "黄": ["huang", "wong"],
    "赵": ["zhao", "chao"],
    "周": ["zhou", "chou", "chow"],
    "吴": ["wu", "ng"],
    "徐": ["xu", "hsu", "tsui"],
    "孙": ["sun"],
    "朱": ["zhu", "chu"],
    "胡": ["hu", "wu"],
    "郭": ["guo", "kuo", "kwok"],
    "何": ["he", "ho"],
    "林": ["lin", "lam"],
    "罗": ["luo", "lo"],
    "秀": ["xiu"],
    "英": ["ying"],
    "晓": ["xiao"],
    "东": ["dong"],
    "婷": ["ting"],
    "子": ["zi"],
    "涵": ["han"],
    "雨": ["yu"],
    "欣": ["xin"],
    "浩": ["hao"],
    "然": ["ran"],
    "梓": ["zi"],
    "轩": ["xuan"],
    "思": ["si"],
    "远": ["yuan"],
    "佳": ["jia"],
    "怡": ["yi"],
    "志": ["zhi"],
    "强": ["qiang"],
    "丽": ["li"],
    "娟": ["juan"],
    "建": ["jian"],
    "华": ["hua"],
    "春": ["chun"],
    "燕": ["yan"],
    "海": ["hai"],
    "文": ["wen"],
    "博": ["bo"],
    "宇": ["yu"],
    "航": ["hang"],
    "静": ["jing"],
}
KO_ROMAN = {
    "김": ["kim", "gim"],
    "이": ["lee", "yi", "ri", "rhee", "i"],
    "박": ["park", "pak", "bak"],
    "최": ["choi", "choe"],
    "정": ["jung", "jeong", "chong", "jong"],
    "강": ["kang", "gang"],
    "조": ["cho", "jo"],
    "윤": ["yoon", "yun"],
    "장": ["jang", "chang"],
    "임": ["lim", "im", "rim"],
    "한": ["han"],
    "오": ["oh", "o"],
    "서": ["seo", "so", "suh"],
    "신": ["shin", "sin"],
    "권": ["kwon", "gwon"],
    "민": ["min"],
    "준": ["jun", "joon", "chun"],
    "연": ["yeon", "yon"],
    "지": ["ji", "chi"],
    "훈": ["hun", "hoon"],
    "하": ["ha"],
    "은": ["eun", "un"],
    "도": ["do", "to"],
    "우": ["woo", "u"],
    "예": ["ye"],
    "현": ["hyun", "hyeon", "hyon"],
    "수": ["su", "soo"],
    "빈": ["bin", "pin"],
    "호": ["ho"],
    "유": ["yu", "yoo"],
    "진": ["jin", "chin"],
    "건": ["geon", "gun", "kon"],
    "채": ["chae"],
    "원": ["won"],
}


def romanise_cyrillic(text: str) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        out.append(CYR2LAT.get(low, ch) if low in CYR2LAT else ch)
    return "".join(out)


def fold(token: str) -> str:
    """A coarse spelling key for namesake checks: Dmitriy/Dmitry, Andrey/Andrei, Semyonov/Semenov,
    Yegor/Egor, Aleksey/Alexei, Kuznetsov/Kouznetsov fold together."""
    t = re.sub(r"[^a-z]", "", strip_accents(token.lower()))
    for old, new in (
        ("shch", "sh"),
        ("kh", "h"),
        ("ck", "k"),
        ("ph", "f"),
        ("w", "v"),
        ("x", "ks"),
        ("yo", "e"),
        ("ye", "e"),
        ("ou", "u"),
        ("y", "i"),
        ("j", "i"),
    ):
        t = t.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", t)


class NamesakeCheck:
    """Whether a listed person shares an invented person's given name and surname, in any
    common romanisation: such a person is a namesake to be reviewed, not an innocent."""

    def __init__(self, entities: dict[str, list]) -> None:
        self.postings: dict[str, set[int]] = defaultdict(set)
        serial = 0
        for items in entities.values():
            for entity in items:
                if entity.schema != "Person":
                    continue
                for _, value in entity.names():
                    text = romanise_cyrillic(value) if main_script(value) == "CYRILLIC" else value
                    if not is_latin(text):
                        continue
                    serial += 1
                    for word in text.replace(",", " ").split():
                        for part in [word, *word.split("-")]:
                            key = fold(part)
                            if key:
                                self.postings[key].add(serial)

    def shared(self, tokens: list[str]) -> bool:
        keys = [fold(t) for t in tokens]
        if len(keys) < 2 or not all(keys):
            return False
        return bool(set.intersection(*(self.postings.get(k, set()) for k in keys)))

    def namesake(self, script: str, given: str, surname: str) -> bool:
        """``given`` is the first given name, ``surname`` the family name, in ``script``."""
        if script == "latin":
            parts = [w for w in surname.split() if w.lower() not in PARTICLES]
            return self.shared([given, *parts])
        if script == "cyrillic":
            return self.shared([romanise_cyrillic(given), romanise_cyrillic(surname)])
        if script in ("han", "hangul"):
            table = ZH_PINYIN if script == "han" else KO_ROMAN
            readings = [table.get(ch, []) for ch in surname + given]
            if not all(readings):
                return False
            for combo in _product(readings):
                family, syllables = combo[: len(surname)], combo[len(surname) :]
                if self.shared(["".join(family), "".join(syllables)]) or self.shared(
                    ["".join(family), *syllables]
                ):
                    return True
            return False
        return False  # Greek and Arabic: no romanisation here; ordinary names from our tables


def _product(choices: list[list[str]]) -> list[tuple[str, ...]]:
    combos: list[tuple[str, ...]] = [()]
    for options in choices:
        combos = [c + (o,) for c in combos for o in options]
    return combos


def own_name(rng: random.Random, script: str, kind: str) -> tuple[str, tuple[str, str] | None]:
    """One plausible ordinary person or company in ``script``, with (first given name, surname)
    for a person."""
    if script == "latin":
        lang = rng.choice(sorted(LATIN_PEOPLE))
        if kind == "Person":
            given, surnames = LATIN_PEOPLE[lang]
            first = rng.choice(given)
            full = first
            if rng.random() < 0.25:
                full += " " + rng.choice([g for g in given if g != first])
            surname = rng.choice(surnames)
            return f"{full} {surname}", (first, surname)
        trades, forms = LATIN_COMPANIES[lang]
        return f"{rng.choice(LATIN_PEOPLE[lang][1])} {rng.choice(trades)} {rng.choice(forms)}", None
    if script == "cyrillic":
        if kind == "Person":
            female = rng.random() < 0.5
            first = rng.choice(RU_FEMALE if female else RU_MALE)
            middle = rng.choice(RU_FATHERS)[1 if female else 0]
            surname = rng.choice(RU_SURNAMES)[1 if female else 0]
            name = rng.choice(
                [f"{surname} {first} {middle}", f"{first} {middle} {surname}", f"{first} {surname}"]
            )
            return name, (first, surname)
        form = rng.choice(RU_LEGAL)
        if form == "ИП":
            return (
                f"ИП {rng.choice(RU_SURNAMES)[0]} {rng.choice(RU_MALE)[0]}.{rng.choice(RU_FATHERS)[0][0]}.",
                None,
            )
        return f"{form} «{rng.choice(RU_COMPANY_ADJ)} {rng.choice(RU_COMPANY_NOUN)}»", None
    if script == "arabic":
        if kind == "Person":
            first = rng.choice(AR_FEMALE if rng.random() < 0.4 else AR_MALE)
            family = rng.choice(AR_FAMILIES)
            return f"{first} {rng.choice(AR_FATHERS)} {family}", (first, family)
        return f"شركة {rng.choice(AR_COMPANY_NAMES)} {rng.choice(AR_COMPANY_TRADES)}", None
    if script == "han":
        if kind == "Person":
            surname, given = rng.choice(ZH_SURNAMES), rng.choice(ZH_GIVEN)
            return surname + given, (given, surname)
        return rng.choice(ZH_PLACES) + rng.choice(ZH_WORDS) + rng.choice(ZH_TRADES) + rng.choice(
            ZH_LEGAL
        ), None
    if script == "hangul":
        if kind == "Person":
            surname, given = rng.choice(KO_SURNAMES), rng.choice(KO_GIVEN)
            return surname + given, (given, surname)
        form = rng.choice(KO_LEGAL)
        body = rng.choice(KO_WORDS) + rng.choice(KO_TRADES)
        return (f"{form} {body}" if rng.random() < 0.5 else f"{body} {form}"), None
    if script == "greek":
        males, females, surnames = EL_PEOPLE
        if kind == "Person":
            female = rng.random() < 0.5
            first = rng.choice(females if female else males)
            surname = rng.choice(surnames)[1 if female else 0]
            return f"{first} {surname}", (first, surname)
        return f"{rng.choice(EL_WORDS)} {rng.choice(EL_TRADES)} {rng.choice(EL_LEGAL)}", None
    raise ValueError(script)


def generate_negatives(ctx: Context, yente_csv: Path, namesakes: NamesakeCheck) -> tuple[list[dict], Counter]:
    """yente's negatives as that file gives them, then our own innocents; returns the rows and how
    many invented names were refused (``list name`` / ``namesake`` / ``duplicate``)."""
    out = []
    with yente_csv.open(encoding="utf-8", newline="") as handle:
        for n, row in enumerate(csv.DictReader(handle), start=1):
            props = {"name": [row["full_name"]]}
            for column, prop in (
                ("date_of_birth", "birthDate"),
                ("nationality", "nationality"),
                ("place_of_birth", "birthPlace"),
                ("gender", "gender"),
            ):
                if row.get(column):
                    props[prop] = [row[column]]
            out.append(
                {
                    "id": f"yente-{n:04d}",
                    "group": "yente",
                    "script": "latin",
                    "schema": "Person",
                    "properties": props,
                }
            )
    seen: set[str] = set()
    refused: Counter = Counter()
    for (script, kind), count in OWN_COUNTS.items():
        made = 0
        attempts = 0
        while made < count and attempts < count * 100:
            attempts += 1
            name, parts = own_name(ctx.rng, script, kind)
            key = name_key(name)
            if key in seen:
                refused["duplicate"] += 1
                continue
            seen.add(key)
            if key in ctx.list_keys:
                refused["list name"] += 1
                continue
            if parts and namesakes.namesake(script, *parts):
                refused["namesake"] += 1
                continue
            made += 1
            out.append(
                {
                    "id": f"own-{script}-{kind.lower()}-{made:03d}",
                    "group": "own",
                    "script": script,
                    "schema": kind,
                    "properties": {"name": [name]},
                }
            )
        if made < count:
            raise RuntimeError(f"could only make {made} of {count} {script} {kind} negatives")
    return out, refused


# -- main ---------------------------------------------------------------------------------------


def load_current_entities() -> dict[str, list]:
    from proscribe import bundled
    from proscribe.store import snapshots as snapshot_store

    bundled.ensure_loaded()
    current = snapshot_store.current_snapshots()
    ordered = sorted(current, key=_dataset_rank)
    return {dataset: snapshot_store.load_entities(current[dataset].id) for dataset in ordered}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default bench/out)")
    parser.add_argument(
        "--negatives-csv", type=Path, default=YENTE_NEGATIVES, help="yente's negatives_us_1k.csv"
    )
    args = parser.parse_args(argv)
    use_isolated_home()
    if not args.negatives_csv.exists():
        print(f"missing {args.negatives_csv}", file=sys.stderr)
        return 2
    entities = load_current_entities()
    list_keys = {name_key(v) for items in entities.values() for e in items for _, v in e.names()}
    ctx = Context(random.Random(SEED), list_keys)
    variations = generate_variations(ctx, entities)
    negatives, refused = generate_negatives(ctx, args.negatives_csv, NamesakeCheck(entities))
    args.out.mkdir(parents=True, exist_ok=True)
    for path, rows in (
        (args.out / "variations.jsonl", variations),
        (args.out / "negatives.jsonl", negatives),
    ):
        with path.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
    by_class = Counter(v["class"] for v in variations)
    by_cell = Counter((v["class"], v["dataset"]) for v in variations)
    datasets = list(entities)
    width = max(len(c) for c in by_class)
    print(f"{'class':<{width}} " + " ".join(f"{d[:10]:>10}" for d in datasets) + "      total")
    for cls in QUOTAS:
        cells = " ".join(f"{by_cell[(cls, d)]:>10}" for d in datasets)
        print(f"{cls:<{width}} {cells} {by_class[cls]:>10}")
    print(f"{len(variations)} variations -> {args.out / 'variations.jsonl'}")
    groups = Counter(f"{n['group']}:{n['script']}" for n in negatives)
    print(
        f"{len(negatives)} negatives ({', '.join(f'{k} {v}' for k, v in sorted(groups.items()))}) -> "
        f"{args.out / 'negatives.jsonl'}"
    )
    print(f"invented names refused: {', '.join(f'{k} {v}' for k, v in sorted(refused.items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
