"""Build the generated query sets of the screening-generalisation evaluation from the list files.

Run: ``.venv/bin/python bench/data/generalisation/build_sets.py`` (``bench/generalisation.py
--rebuild-sets`` calls it). It reads the CURRENT snapshot of every bundled list from the store
(an isolated ``PROSCRIBE_HOME`` unless one is set) and writes, next to this file:

* ``crosslist.csv``: pairs of entries of two DIFFERENT lists that are the same party, linked by
  something other than a name (a UN reference number, a passport / national id / registration /
  tax / IMO number, or a full birth date plus nationality, corroborated by the surnames of OTHER
  names of the pair). The query is an original-script name of the entry on list A (class
  ``cross-list script``), or a Latin name of list A that no name of list B equals (class
  ``cross-list spelling``), screened against list B only; expected: the list-B entry.
* ``innocents_generated.csv``: ordinary full names in many scripts, built from the frequency
  tables under ``tables/`` (each names its source), and common Western names that share a
  surname (or a first name and a surname) with listed people; every one checked against every
  list name in its common romanisations and refused when it is a namesake (see ``Namesakes``).

Nothing here imports the matcher or the screening code: a query is kept or refused for what it
is, never for whether proscribe finds it. Everything is deterministic (sorted inputs, one seeded
``random.Random``), so two runs over the same lists write the same files.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import os
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLES = HERE / "tables"
REPO = HERE.parents[2]
SEED = 20261203
COLUMNS = (
    "id",
    "query",
    "schema",
    "birth_date",
    "country",
    "expected",
    "datasets",
    "class",
    "script",
    "source",
    "note",
)
STRONG_ID_TYPES = {
    "passport",
    "national_id",
    "registration",
    "tax_id",
    "inn",
    "ogrn",
    "imo",
    "uscc",
    "lei",
    "swift_bic",
}
UN_REF = re.compile(r"\b([A-Z]{2}[ie]\.\d{3})\b")
#: at most this many queries of one class per linked pair (lists carry up to 40 aliases of a person)
PER_PAIR = 2


# -- text ---------------------------------------------------------------------------------------


def script_of(text: str) -> str:
    """The main script of ``text``, lower case (``latin``, ``cyrillic``, ``arabic``, ``han`` ...)."""
    counts: Counter = Counter()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            word = name.split(" ")[0] if name else "?"
            if word == "CJK":
                word = "HAN"
            elif word in ("HIRAGANA", "KATAKANA"):
                word = "KANA"
            counts[word] += 1
    return counts.most_common(1)[0][0].lower() if counts else "none"


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,.\-'’()\"/]+", text.casefold()) if w]


def coarse(text: str) -> str:
    """A deliberately coarse spelling key, for refusing namesakes (over-refusing is safe): folds
    the usual romanisation differences (Jong/Jeong, Chol/Cheol, Zhang/Chang, Dmitriy/Dmitry,
    Kh/H, doubled letters)."""
    t = re.sub(r"[^a-z]", "", strip_accents(text.casefold()))
    for old, new in (
        ("shch", "s"),
        ("iy", "i"),
        ("ij", "i"),
        ("yj", "i"),
        ("eo", "o"),
        ("eu", "u"),
        ("ae", "e"),
        ("oe", "e"),
        ("ui", "i"),
        ("wo", "o"),
        ("wa", "a"),
        ("ee", "i"),
        ("oo", "u"),
        ("ou", "u"),
        ("kh", "h"),
        ("th", "t"),
        ("ph", "f"),
        ("ch", "j"),
        ("sh", "s"),
        ("zh", "j"),
        ("ts", "j"),
        ("tz", "j"),
        ("x", "ks"),
        ("q", "j"),
        ("c", "k"),
        ("g", "k"),
        ("d", "t"),
        ("b", "p"),
        ("r", "l"),
        ("z", "j"),
        ("w", "u"),
        ("v", "f"),
        ("y", "i"),
    ):
        t = t.replace(old, new)
    t = t.replace("h", "")
    return re.sub(r"(.)\1+", r"\1", t)


def skeleton(text: str) -> str:
    """The coarse key without its vowels after the first letter (Aleksandr = Alexander = Oleksandr
    would still differ in the first letter; Dmitriy = Dmitri)."""
    key = coarse(text)
    return key[:1] + re.sub(r"[aeiou]", "", key[1:]) if key else ""


def name_key(text: str) -> str:
    """Casefolded, accents and punctuation dropped, word order ignored: "the same name"."""
    return " ".join(sorted(strip_accents(w) for w in words(text)))


def stable_id(prefix: str, *parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]
    return f"{prefix}-{digest}"


def read_table(name: str) -> list[dict]:
    with (TABLES / name).open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


# -- lists --------------------------------------------------------------------------------------


def load_entities() -> dict[str, list]:
    if not os.environ.get("PROSCRIBE_HOME") and not os.environ.get("PROSCRIBE_DATABASE_URL"):
        os.environ["PROSCRIBE_HOME"] = str(REPO / "bench" / "out" / "generalisation_home")
    from proscribe import bundled
    from proscribe.store import snapshots as snapshot_store

    bundled.ensure_loaded()
    current = snapshot_store.current_snapshots()
    return {ds: snapshot_store.load_entities(current[ds].id) for ds in sorted(current)}


def countries_of(entity) -> set[str]:
    out: set[str] = set()
    for prop in ("nationality", "citizenship", "birthCountry", "country"):
        out.update(v.lower() for v in entity.get(prop))
    return out


def full_dates(entity) -> list[str]:
    return [d for d in entity.get("birthDate") if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d)]


def strong_names(entity) -> list[str]:
    """Names a list gives as the party's own (name, alias, previous name; never a weak alias), with
    a language note such as ``(Tigrinya)`` cut off."""
    out = []
    for kind, value in entity.names():
        if kind == "weakAlias":
            continue
        value = re.sub(r"\s*\((?:[A-Za-z ]+)\)\s*$", "", value).strip()
        if sum(ch.isalpha() for ch in value) >= 2 and value not in out:
            out.append(value)
    return out


def link_keys(entity) -> set[str]:
    """The non-name keys that identify a party across lists."""
    keys: set[str] = set()
    if entity.dataset == "un_sc_sanctions" and UN_REF.fullmatch(entity.source_id):
        keys.add("un:" + entity.source_id)
    for ident in entity.identifiers:
        value = re.sub(r"[^0-9A-Za-z]", "", ident.value).upper()
        if ident.label and "UN Ref" in ident.label and UN_REF.fullmatch(ident.value.strip()):
            keys.add("un:" + ident.value.strip())
        elif ident.type in STRONG_ID_TYPES and len(value) >= 6 and sum(c.isdigit() for c in value) >= 4:
            keys.add("id:" + value)
    if entity.dataset == "au_dfat_sanctions":
        for note in entity.get("notes")[:1]:
            match = UN_REF.match(note.strip())
            if match:
                keys.add("un:" + match.group(1))
    return keys


def latin_word_keys(entity) -> set[str]:
    out = set()
    for name in strong_names(entity):
        if script_of(name) == "latin":
            out.update(coarse(w) for w in words(name) if len(w) >= 4)
    return {k for k in out if len(k) >= 3}


def surname_agree(a, b, frequency: Counter) -> bool:
    """Whether two entries share, across their LATIN names, two words or one rare word (coarse
    keys; rare = in at most 30 entries' names, so a shared "Marina" or "Mohammed" is not enough):
    corroborates a birth-date link without using the original-script name under test."""
    shared = latin_word_keys(a) & latin_word_keys(b)
    return len(shared) >= 2 or any(frequency[k] <= 30 for k in shared)


def original_agree(a, b) -> bool:
    """Whether two entries carry the same original-script name: corroborates a birth-date link
    when the Latin spelling is what is tested."""

    def keys(entity) -> set[str]:
        return {name_key(n) for n in strong_names(entity) if script_of(n) not in ("latin", "none")}

    return bool(keys(a) & keys(b))


def find_links(entities: dict[str, list]) -> list[tuple[object, object, str]]:
    """(entry of list A, entry of list B, how linked) for every pair of entries of different lists
    that are the same party. A key shared by two entries of one list is not used in that list."""
    by_key: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for ds, items in entities.items():
        for entity in items:
            for key in link_keys(entity):
                by_key[key][ds].append(entity)
            if entity.schema == "Person":
                for date in full_dates(entity):
                    for country in countries_of(entity):
                        by_key[f"dob:{date}:{country}"][ds].append(entity)
    frequency: Counter = Counter()
    for items in entities.values():
        for entity in items:
            frequency.update(latin_word_keys(entity))
    pairs: dict[tuple[str, str], str] = {}
    index = {e.id: e for items in entities.values() for e in items}
    for key, per_list in sorted(by_key.items()):
        unique = {ds: v[0] for ds, v in per_list.items() if len({e.id for e in v}) == 1}
        for (_, a), (_, b) in itertools.permutations(sorted(unique.items()), 2):
            if a.schema != b.schema and "LegalEntity" not in (a.schema, b.schema):
                continue
            how = key.split(":")[0]
            if how == "dob" and not (surname_agree(a, b, frequency) or original_agree(a, b)):
                continue
            pair = (a.id, b.id)
            if pair not in pairs or pairs[pair] == "dob":
                pairs[pair] = how
    return [(index[a], index[b], how) for (a, b), how in sorted(pairs.items())]


def crosslist_rows(entities: dict[str, list]) -> list[dict]:
    from rapidfuzz import fuzz

    rows: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for a, b, how in find_links(entities):
        b_keys = {name_key(n) for _, n in b.names()}
        per_class: Counter = Counter()
        for name in strong_names(a):
            script = script_of(name)
            if script == "none" or name_key(name) in b_keys or (name_key(name), b.dataset) in seen:
                continue
            if script == "latin":
                # a spelling pair is only tested when the link does not rest on Latin names
                if how == "dob" and not original_agree(a, b):
                    continue
                # and only when it is a spelling of one of B's names (not another alias altogether)
                if max(fuzz.ratio(name_key(name), key) for key in b_keys) < 60:
                    continue
                cls = "cross-list spelling"
            else:
                cls = "cross-list script"
            if per_class[cls] >= PER_PAIR:
                continue
            per_class[cls] += 1
            seen.add((name_key(name), b.dataset))
            rows.append(
                {
                    "id": stable_id("xl", a.id, b.id, name),
                    "query": name,
                    "schema": b.schema if b.schema != "LegalEntity" else a.schema,
                    "birth_date": "",
                    "country": "",
                    "expected": b.id,
                    "datasets": b.dataset,
                    "class": cls,
                    "script": script,
                    "source": f"{a.id} (linked by {how})",
                    "note": f"list B entry {b.caption!r}",
                }
            )
    return rows


def word_frequency(entities: dict[str, list]) -> Counter:
    """In how many entries' names each coarse word key occurs (rarity, for partial names)."""
    frequency: Counter = Counter()
    for items in entities.values():
        for entity in items:
            frequency.update({coarse(w) for _, n in entity.names() for w in words(n) if coarse(w)})
    return frequency


def listed_row(prefix: str, query: str, entity, cls: str, source: str, note: str) -> dict:
    return {
        "id": stable_id(prefix, entity.id, query),
        "query": query,
        "schema": entity.schema,
        "birth_date": "",
        "country": "",
        "expected": entity.id,
        "datasets": entity.dataset,
        "class": cls,
        "script": script_of(query),
        "source": source,
        "note": note,
    }


def partial_name_rows(rng: random.Random, entities: dict[str, list], frequency: Counter) -> list[dict]:
    """Two of four name parts: the second given name plus one surname of an OFAC-style
    ``SURNAME1 SURNAME2, Given1 Given2`` entry, when both parts are rare (each word in the names
    of at most 3 entries)."""
    rows = []
    for entity in entities["us_ofac_sdn"]:
        if entity.schema != "Person":
            continue
        name = entity.first("name") or ""
        match = re.fullmatch(r"([A-Z][A-Z'-]+) ([A-Z][A-Z'-]+), ([A-Z][a-z'-]+) ([A-Z][a-z'-]+)", name)
        if not match:
            continue
        s1, s2, _, g2 = match.groups()
        which = rng.choice((s1, s2))
        if all(frequency[coarse(w)] <= 3 for w in (which, g2)) and len(g2) >= 4 and len(which) >= 4:
            rows.append(
                listed_row(
                    "pn",
                    f"{g2} {which.title()}",
                    entity,
                    "partial names",
                    "OFAC SDN entry (SURNAME1 SURNAME2, Given1 Given2)",
                    f"from {name!r}",
                )
            )
    rng.shuffle(rows)
    return sorted(rows[:120], key=lambda r: r["id"])


def short_typo_rows(rng: random.Random, entities: dict[str, list], list_keys: set[str]) -> list[dict]:
    """One transposition or doubled letter inside a 2-4 letter token (never the first letter),
    including the parts of hyphenated Korean given names, in Latin person names of 2+ words."""
    rows = []
    for ds in ("us_ofac_sdn", "gb_hmt_sanctions", "un_sc_sanctions"):
        for entity in entities[ds]:
            if entity.schema != "Person":
                continue
            name = entity.first("name") or ""
            if script_of(name) != "latin" or len(words(name)) < 2:
                continue
            spots = [m for m in re.finditer(r"[A-Za-z]+", name) if 2 <= len(m.group()) <= 4]
            if not spots or rng.random() > 0.08:
                continue
            m = rng.choice(spots)
            token = m.group()
            if len(token) >= 3 and rng.random() < 0.5:
                i = rng.randrange(1, len(token) - 1)
                new, how = token[:i] + token[i + 1] + token[i] + token[i + 2 :], "transposition"
            else:
                i = rng.randrange(1, len(token))
                new, how = token[: i + 1] + token[i] + token[i + 1 :], "doubled letter"
            query = name[: m.start()] + new + name[m.end() :]
            if new.casefold() == token.casefold() or name_key(query) in list_keys:
                continue
            korean = "-" in name and {"kp", "kr"} & countries_of(entity)
            rows.append(
                listed_row(
                    "st",
                    query,
                    entity,
                    "short variants",
                    f"{ds} name with a {how}",
                    f"from {name!r}{' (Korean hyphenated)' if korean else ''}",
                )
            )
    rng.shuffle(rows)
    return sorted(rows[:150], key=lambda r: r["id"])


def check_curated(entities: dict[str, list]) -> list[str]:
    """Problems in the hand-written files: an expected id that is not in the current lists, or a
    query that is (casefolded, word order ignored) a name the expected entry already carries."""
    index = {e.id: e for items in entities.values() for e in items}
    problems = []
    for path in sorted(HERE.glob("curated_*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
        for row in rows:
            for expected in filter(None, row["expected"].split(";")):
                entity = index.get(expected)
                if entity is None:
                    problems.append(f"{path.name} {row['id']}: {expected} not in the current lists")
                elif name_key(row["query"]) in {name_key(n) for _, n in entity.names()}:
                    problems.append(
                        f"{path.name} {row['id']}: {row['query']!r} is already a name of {expected}"
                    )
    return problems


# -- innocents ----------------------------------------------------------------------------------


class Namesakes:
    """Every listed name in the forms an ordinary name could equal it in: exact (casefolded,
    word order ignored), and coarse romanisation keys of the words joined in every order. An
    invented name that equals any of them in any of ITS romanisations is a namesake (a real
    person of that name is listed), not an innocent. Also: the word-set of every Latin listed
    name, so that a Western name containing all words of a listed name is refused."""

    def __init__(self, entities: dict[str, list]) -> None:
        import icu

        self.to_latin = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")
        self.hant = icu.Transliterator.createInstance("Hant-Hans")
        self.exact: set[str] = set()
        self.joined: set[str] = set()
        self.word_sets: dict[str, list[frozenset[str]]] = defaultdict(list)
        self.skeleton_sets: dict[str, list[frozenset[str]]] = defaultdict(list)
        for items in entities.values():
            for entity in items:
                for _, value in entity.names():
                    self.exact.add(name_key(value))
                    self.exact.add(re.sub(r"\s+", "", self.hant.transliterate(value)))
                    if entity.schema not in ("Person", "LegalEntity"):
                        continue
                    latin = value if script_of(value) == "latin" else self.to_latin.transliterate(value)
                    parts = [coarse(w) for w in words(latin) if coarse(w)]
                    if 1 <= len(parts) <= 5:
                        for perm in itertools.permutations(parts):
                            self.joined.add("".join(perm))
                        wset = frozenset(parts)
                        for part in wset:
                            self.word_sets[part].append(wset)
                        sset = frozenset(skeleton(w) for w in words(latin) if skeleton(w))
                        for part in sset:
                            self.skeleton_sets[part].append(sset)

    def is_listed(self, text: str, romanisations: list[list[str]]) -> bool:
        """``romanisations``: the name's possible readings, each a list of words (any order)."""
        if name_key(text) in self.exact or re.sub(r"\s+", "", self.hant.transliterate(text)) in self.exact:
            return True
        for reading in romanisations:
            parts = [coarse(w) for w in reading if coarse(w)]
            for perm in itertools.permutations(parts):
                if "".join(perm) in self.joined:
                    return True
        return False

    def within_listed(self, reading: list[str], loose: bool = True) -> bool:
        """Whether every word of ``reading`` is among the words of some listed name, compared by
        consonant skeleton (Aleksandr = Alexander): a listed person could carry this name with a
        middle name or patronymic left out, so the name is a partial namesake (reported apart)."""
        key, sets = (skeleton, self.skeleton_sets) if loose else (coarse, self.word_sets)
        parts = {key(w) for w in reading if key(w)}
        return bool(parts) and any(parts <= wset for part in parts for wset in sets.get(part, ()))

    def contains_listed(self, reading: list[str]) -> bool:
        """Whether every word of some listed Latin name is among ``reading``'s words."""
        parts = {coarse(w) for w in reading if coarse(w)}
        return any(wset <= parts for part in parts for wset in self.word_sets.get(part, ()))


def han_readings(text: str) -> list[list[str]]:
    from pypinyin import Style, pinyin

    per_char = pinyin(text, style=Style.NORMAL, heteronym=True)
    combos = list(itertools.islice(itertools.product(*per_char), 16))
    return [list(c) for c in combos]


def hangul_readings(surname_variants: list[str], given: str, to_latin) -> list[list[str]]:
    given_latin = [to_latin.transliterate(ch) for ch in given]
    return [[variant, "".join(given_latin)] for variant in surname_variants] + [
        [variant, *given_latin] for variant in surname_variants
    ]


def innocent_row(name: str, script: str, group: str, schema: str = "Person", note: str = "") -> dict:
    return {
        "id": stable_id("inn", script, name),
        "query": name,
        "schema": schema,
        "birth_date": "",
        "country": "",
        "expected": "",
        "datasets": "",
        "class": f"innocent {group}",
        "script": script,
        "source": "generated from tables/ (frequency tables)",
        "note": note,
    }


def han_hangul_innocents(rng: random.Random, namesakes: Namesakes, refused: Counter) -> list[dict]:
    import icu

    rows: list[dict] = []
    to_latin = icu.Transliterator.createInstance("Hangul-Latin; Latin-ASCII")
    zh_s = [r["surname"] for r in read_table("zh_surnames.csv")]
    zh_g = [r["given"] for r in read_table("zh_given.csv")]
    ko = [(r["surname"], r["romanisations"].split("|")) for r in read_table("ko_surnames.csv")]
    ko_g = [r["given"] for r in read_table("ko_given.csv")]
    zh_pairs = sorted(itertools.product(zh_s, zh_g))
    ko_pairs = sorted(itertools.product(ko, ko_g))
    rng.shuffle(zh_pairs)
    rng.shuffle(ko_pairs)
    for script, pairs, count in (("han", zh_pairs, 2000), ("hangul", ko_pairs, 2000)):
        made = 0
        for surname, given in pairs:
            if made >= count:
                break
            if script == "han":
                full = surname + given
                readings = han_readings(full)
                split_readings = [[r[0], "".join(r[1:])] for r in readings]
                romanisations = readings + split_readings
            else:
                surname, variants = surname
                full = surname + given
                romanisations = hangul_readings(variants, given, to_latin)
            if namesakes.is_listed(full, romanisations) or namesakes.is_listed(
                f"{given} {surname}", romanisations
            ):
                refused[f"{script} namesake"] += 1
                continue
            made += 1
            # syllable readings are compared by the coarse key (a skeleton of a one-syllable word is
            # too short to mean anything)
            partial = any(namesakes.within_listed(r, loose=False) for r in romanisations)
            first, last = (
                ("partial-namesake", "partial-namesake") if partial else ("surname-first", "surname-last")
            )
            rows.append(innocent_row(full, script, f"{script} {first}"))
            rows.append(innocent_row(f"{given} {surname}", script, f"{script} {last}"))
        if made < count:
            raise RuntimeError(f"only {made} {script} innocents")
    return rows


def other_script_innocents(rng: random.Random, namesakes: Namesakes, refused: Counter) -> list[dict]:
    import icu

    to_latin = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")
    bgn = icu.Transliterator.createInstance("Russian-Latin/BGN; Latin-ASCII")
    table: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in read_table("other_scripts.csv"):
        table[(row["script"], row["kind"])].append(row["name"])
    rows: list[dict] = []
    for script, count in (
        ("cyrillic", 300),
        ("arabic", 300),
        ("greek", 200),
        ("hebrew", 200),
        ("japanese", 200),
    ):
        made = attempts = 0
        seen: set[str] = set()
        while made < count and attempts < count * 50:
            attempts += 1
            female = rng.random() < 0.4
            given = rng.choice(table[(script, "given_f" if female else "given_m")])
            surname = rng.choice(table[(script, "surname")])
            if script == "cyrillic":
                if female:
                    surname = surname + "а"
                form = rng.randrange(3)
                if form == 0 and not female:
                    name = f"{given} {rng.choice(table[(script, 'patronymic_m')])} {surname}"
                elif form == 1:
                    name = f"{surname} {given}"
                else:
                    name = f"{given} {surname}"
            elif script == "arabic":
                father = rng.choice(table[(script, "given_m")])
                name = f"{given} {father} {surname}" if rng.random() < 0.6 else f"{given} {surname}"
            elif script == "japanese":
                name = f"{surname} {given}" if rng.random() < 0.5 else surname + given
            else:
                name = f"{given} {surname}"
            if name in seen:
                continue
            seen.add(name)
            readings = [words(to_latin.transliterate(name))]
            if script == "cyrillic":
                readings.append(words(bgn.transliterate(name)))
            if namesakes.is_listed(name, readings):
                refused[f"{script} namesake"] += 1
                continue
            made += 1
            partial = any(namesakes.within_listed(r, loose=script == "cyrillic") for r in readings)
            rows.append(
                innocent_row(name, script, f"{script} {'partial-namesake' if partial else 'ordinary'}")
            )
    return rows


def western_innocents(
    rng: random.Random, entities: dict[str, list], namesakes: Namesakes, refused: Counter
) -> list[dict]:
    """Common Western names that share a surname (group ``latin shared-surname``) or a first name
    AND a surname (group ``latin shared-first-surname``, another middle name) with a listed
    person. A name containing every word of some listed name is refused (that person may be
    the customer)."""
    givens = [r["given"] for r in read_table("western_given.csv")]
    common = {coarse(r["surname"]): r["surname"] for r in read_table("western_surnames.csv")}
    listed: dict[str, list[list[str]]] = defaultdict(list)  # surname key -> listed word lists
    for items in entities.values():
        for entity in items:
            if entity.schema != "Person":
                continue
            for name in strong_names(entity):
                if script_of(name) != "latin" or "," in name:
                    continue
                parts = name.split()
                if 2 <= len(parts) <= 4 and coarse(parts[-1]) in common:
                    listed[coarse(parts[-1])].append(parts)
    rows: list[dict] = []
    for group, count in (("latin shared-surname", 500), ("latin shared-first-surname", 500)):
        made = attempts = 0
        seen: set[str] = set()
        keys = sorted(listed)
        while made < count and attempts < count * 50:
            attempts += 1
            parts = rng.choice(listed[rng.choice(keys)])
            surname = parts[-1].title() if parts[-1].isupper() else parts[-1]
            first = parts[0].title() if parts[0].isupper() else parts[0]
            middle = rng.choice(givens)
            if group == "latin shared-surname":
                first = rng.choice([g for g in givens if coarse(g) not in {coarse(p) for p in parts}])
                name = f"{first} {middle} {surname}" if rng.random() < 0.5 else f"{first} {surname}"
            else:
                if len(parts) < 3 or coarse(first) not in {coarse(g) for g in givens}:
                    continue
                if coarse(middle) in {coarse(p) for p in parts}:
                    continue
                name = f"{first} {middle} {surname}"
            if name in seen:
                continue
            seen.add(name)
            if namesakes.is_listed(name, []) or namesakes.contains_listed(words(name)):
                refused[f"{group} namesake"] += 1
                continue
            made += 1
            rows.append(innocent_row(name, "latin", group, note="shares words with: " + " ".join(parts)))
    return rows


def write(path: Path, rows: list[dict], header: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        for line in header.strip().splitlines():
            handle.write(f"# {line}\n")
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> int:
    entities = load_entities()
    rows = crosslist_rows(entities)
    write(
        HERE / "crosslist.csv",
        rows,
        "Cross-list pairs from the bundled lists (data/, current snapshots), written by build_sets.py.\n"
        "Linked by UN reference, shared identifier, or full birth date + country corroborated by other names;\n"
        "never by the query name. Screen with datasets=[the datasets column] only.",
    )
    rng = random.Random(SEED + 1)
    list_keys = {name_key(n) for items in entities.values() for e in items for _, n in e.names()}
    generated = partial_name_rows(rng, entities, word_frequency(entities))
    generated += short_typo_rows(rng, entities, list_keys)
    write(
        HERE / "listed_generated.csv",
        generated,
        "Partial names and short-token typos made from list entries by build_sets.py (structural rules, seeded);\n"
        "screen against the list of the expected entry.",
    )
    print(f"listed_generated.csv: {len(generated)} rows {dict(Counter(r['class'] for r in generated))}")
    for problem in check_curated(entities):
        print("curated:", problem)
    print(f"crosslist.csv: {len(rows)} rows {dict(Counter(r['class'] + '/' + r['script'] for r in rows))}")
    rng = random.Random(SEED)
    namesakes = Namesakes(entities)
    refused: Counter = Counter()
    innocents = han_hangul_innocents(rng, namesakes, refused)
    innocents += other_script_innocents(rng, namesakes, refused)
    innocents += western_innocents(rng, entities, namesakes, refused)
    write(
        HERE / "innocents_generated.csv",
        innocents,
        "Innocent names built by build_sets.py from the frequency tables in tables/ (each names its source),\n"
        "refused when a namesake of a listed name in a common romanisation. Screen against all lists.",
    )
    print(f"innocents_generated.csv: {len(innocents)} rows {dict(Counter(r['class'] for r in innocents))}")
    print(f"refused as namesakes: {dict(refused)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    sys.exit(main())
