"""Common-word names in free text: when a listed name that is one ordinary word may alert.

A list name whose core (the name with its legal forms removed) is one ordinary word of some
language (``LLC FATTURA``: *fattura* is Italian for invoice; the vessels ``TULIP`` and ``VIOLA``)
is found in remittance text that never meant the listed party. Such a name alerts from free text
only when something near it says the party is meant:

- its legal form is next to it (``Fattura LLC``, ``ООО Фаттура``): :data:`LEGAL_FORM`;
- another word of one of the entity's list names is near it: :data:`NAME_PART`;
- corroborating context is near: an identifier or BIC of the entity anywhere in the text, or the
  name of one of its countries within :data:`NEAR_TOKENS`: :data:`CONTEXT`.

Otherwise it does not alert. A party name (``Cdtr/Nm``, ``:59:``) is screened as a name and
alerts as usual: this rule is for free text only. Ordinary words are those of
``ordinary_words.txt`` (nine languages, frequency checked against spelling dictionaries; see
``bench/mine_ordinary_words.py``) and the payment vocabulary of ``common_words.txt``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from proscribe.index.compiled import CompiledIndex
from proscribe.text.identifiers import clean_document_number, normalise_country
from proscribe.text.legal import GENERIC_WORDS

ORDINARY_FILE = Path(__file__).with_name("ordinary_words.txt")
VOCABULARY_FILE = Path(__file__).with_name("common_words.txt")
#: How many tokens either side of a common-word name its legal form aside may corroborate it.
NEAR_TOKENS = 8
#: Identifiers shorter than this (once letters and digits only) corroborate nothing alone.
MIN_IDENTIFIER_CHARS = 6
#: The longest country name read near a name, in tokens (``democratic peoples republic of korea``).
MAX_COUNTRY_TOKENS = 5

LISTED_NAME = "listed name in free text"
LEGAL_FORM = "common word with legal form"
NAME_PART = "common word with another part of the name"
CONTEXT = "common word with corroborating context"


@lru_cache(maxsize=1)
def ordinary_words() -> dict[str, str]:
    """Ordinary word -> the languages it is one of (``fattura`` -> ``it``)."""
    words: dict[str, str] = {}
    for line in ORDINARY_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, _, languages = line.partition(" ")
            words[word] = languages
    for line in VOCABULARY_FILE.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            for word in line.split():
                words.setdefault(word, "payment vocabulary")
    return words


def is_common_word(word: str) -> bool:
    return word in ordinary_words()


@dataclass(frozen=True, slots=True)
class EntityContext:
    """What near a common-word name says the listed entity is meant."""

    name_parts: frozenset[str]  # words of its list names: not legal forms, generic or ordinary words
    countries: frozenset[str]  # ISO 3166-1 alpha-2, lower case
    identifiers: frozenset[str]  # letters and digits only, upper case
    bics: frozenset[str]  # the first eight characters of its BICs


def entity_contexts(index: CompiledIndex, entities: set[int]) -> dict[int, EntityContext]:
    """The context of each of ``entities`` (index positions), read from the index once."""
    parts: dict[int, set[str]] = {e: set() for e in entities}
    vocab = index.tokens
    for form, ids in enumerate(index.form_tokens):
        entity = int(index.form_entity[form])
        if entity in parts:
            parts[entity].update(t for t in (vocab[i] for i in ids) if len(t) > 2 and not _weak_word(t))
    idents: dict[int, set[str]] = {e: set() for e in entities}
    bics: dict[int, set[str]] = {e: set() for e in entities}
    for entries in index.identifiers.values():
        for entity, kind, _strong, _valid, raw in entries:
            if entity in idents:
                value = clean_document_number(raw)
                if kind == "swift_bic" and len(value) >= 8:
                    bics[entity].add(value[:8])
                elif len(value) >= MIN_IDENTIFIER_CHARS:
                    idents[entity].add(value)
    return {
        e: EntityContext(
            frozenset(parts[e]), index.entities[e].countries, frozenset(idents[e]), frozenset(bics[e])
        )
        for e in entities
    }


def _weak_word(token: str) -> bool:
    return token.startswith("lf_") or token in GENERIC_WORDS or token.isdigit() or is_common_word(token)


def rule_for(tokens: list[str], start: int, end: int, words: list[str], context: EntityContext) -> str | None:
    """The rule that lets a common-word name at ``tokens[start:end]`` alert for the entity of
    ``context``, with what fired it; None when nothing near it corroborates it.
    ``words``: the raw words of the whole text (identifiers and BICs are read from them)."""
    before = tokens[start - 1] if start > 0 else ""
    after = tokens[end] if end < len(tokens) else ""
    if before.startswith("lf_") or after.startswith("lf_"):
        return LEGAL_FORM
    near = [*tokens[max(0, start - NEAR_TOKENS) : start], *tokens[end : end + NEAR_TOKENS]]
    matched = set(tokens[start:end])
    for token in near:
        if token in context.name_parts and token not in matched:
            return f"{NAME_PART} ({token!r})"
    for word in words:
        value = clean_document_number(word)
        if value in context.identifiers:
            return f"{CONTEXT} (identifier {value})"
        if len(value) in (8, 11) and value[:8] in context.bics:
            return f"{CONTEXT} (BIC {value})"
    country = _country_near(tokens, start, end, context.countries)
    if country:
        return f"{CONTEXT} (country {country.upper()})"
    return None


def _country_near(tokens: list[str], start: int, end: int, countries: frozenset[str]) -> str | None:
    """A country of the entity named within :data:`NEAR_TOKENS` of the name (a name of three or
    more letters: a two-letter code is too often an ordinary word, ``de``, ``it``)."""
    if not countries:
        return None
    low, high = max(0, start - NEAR_TOKENS), min(len(tokens), end + NEAR_TOKENS)
    for i in range(low, high):
        for size in range(1, MAX_COUNTRY_TOKENS + 1):
            if i + size > high or start < i + size and i < end:
                break
            phrase = " ".join(tokens[i : i + size])
            if len(phrase) < 3 or phrase.startswith("lf_"):
                continue
            code = normalise_country(phrase)
            if code in countries:
                return code
    return None
