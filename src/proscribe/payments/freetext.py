"""Multi-pattern scan of free text for every list name and alias, at word boundaries.

The automaton is an Aho-Corasick automaton over *tokens*, not characters: patterns are the
index's name forms (every name, alias and former name of every current list entry, in the
normalised token space of :func:`proscribe.text.names.normalise_text`), and the text is
normalised the same way, so a match always starts and ends on a word boundary and one pass over
the text finds every listed name it contains, however many patterns there are. It is built once
per index from ``CompiledIndex.form_tokens`` and cached.

Legal-form tags at the start or end of a name are dropped from its pattern
(``INTEGRITY TECHNOLOGY GROUP, INCORPORATED`` is found as ``integrity technology group``).
Single-word names are kept only when the word is at least :data:`MIN_SINGLE_CHARS` long, not a
generic business word and not a weak alias; multi-word names need at least
:data:`MIN_PATTERN_CHARS` letters. A single word that is an ordinary word of some language
(:mod:`.ordinary`: ``LLC FATTURA``, the vessel ``TULIP``) is a *common-word* pattern: its hit
counts only with its legal form, another part of the name or corroborating context near it.
A hit is only a *candidate*: :func:`scan` confirms each one through
:func:`proscribe.screen.screen` against the entity it came from before it counts, and says
which rule let it alert.
"""

from __future__ import annotations

import re
import threading
import time
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from proscribe.index.compiled import KIND_WEAK, CompiledIndex
from proscribe.payments import ordinary
from proscribe.payments.reading import Reading
from proscribe.text.legal import GENERIC_WORDS, tag_legal_forms
from proscribe.text.names import normalise_text

MIN_SINGLE_CHARS = 5
MIN_PATTERN_CHARS = 7
MAX_TEXT_CHARS = 10_000
#: The longest legal-form phrase, in tokens (``company limited liability partnership``).
MAX_LEGAL_TOKENS = 6
#: Words up to this length have their tokens cached (free text repeats its words).
CACHED_WORD_CHARS = 64
_WORD_RE = re.compile(r"\S+")


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The payment vocabulary of ``common_words.txt``: a multi-word name made of these words only
    is not scanned for."""
    words: set[str] = set()
    for line in (Path(__file__).parent / "common_words.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.update(line.split())
    return frozenset(words)


@dataclass(frozen=True, slots=True)
class Candidate:
    start: int  # token offsets in the normalised text
    end: int
    text: str  # the matched tokens, space-separated
    forms: tuple[int, ...]  # index form ids whose pattern this is
    common: bool = False  # a common-word pattern: counts only when corroborated (:mod:`.ordinary`)


class Automaton:
    """Token-level Aho-Corasick: ``goto`` edges per node, failure links, outputs per node."""

    def __init__(self) -> None:
        self.goto: list[dict[str, int]] = [{}]
        self.fail: list[int] = [0]
        self.out: list[tuple[int, ...]] = [()]  # pattern ids ending here (own and via failure links)
        self.patterns: list[tuple[str, ...]] = []
        self.pattern_forms: list[list[int]] = []
        self.common: set[int] = set()  # ids of common-word patterns
        #: forms whose pattern needs corroboration (another entity's form of the same pattern may not)
        self.common_forms: set[int] = set()
        #: index entity -> what corroborates its common-word names (entities with one only)
        self.contexts: dict[int, ordinary.EntityContext] = {}
        self._by_tokens: dict[tuple[str, ...], int] = {}
        self.build_seconds = 0.0

    def add(self, tokens: tuple[str, ...], form: int, common: bool = False) -> None:
        if common:
            self.common_forms.add(form)
        pid = self._by_tokens.get(tokens)
        if pid is not None:
            self.pattern_forms[pid].append(form)
            if common:
                self.common.add(pid)
            return
        pid = len(self.patterns)
        self._by_tokens[tokens] = pid
        self.patterns.append(tokens)
        self.pattern_forms.append([form])
        if common:
            self.common.add(pid)
        node = 0
        for token in tokens:
            nxt = self.goto[node].get(token)
            if nxt is None:
                nxt = len(self.goto)
                self.goto[node][token] = nxt
                self.goto.append({})
                self.fail.append(0)
                self.out.append(())
            node = nxt
        self.out[node] = (*self.out[node], pid)

    def finish(self) -> None:
        queue = deque(self.goto[0].values())
        while queue:
            node = queue.popleft()
            for token, child in self.goto[node].items():
                queue.append(child)
                state = self.fail[node]
                while state and token not in self.goto[state]:
                    state = self.fail[state]
                target = self.goto[state].get(token, 0)
                self.fail[child] = target if target != child else 0
                if self.out[self.fail[child]]:
                    self.out[child] = self.out[child] + self.out[self.fail[child]]
        del self._by_tokens

    def find(self, tokens: list[str]) -> list[Candidate]:
        found = []
        node = 0
        goto, fail, out = self.goto, self.fail, self.out
        for i, token in enumerate(tokens):
            while node and token not in goto[node]:
                node = fail[node]
            node = goto[node].get(token, 0)
            for pid in out[node]:
                pattern = self.patterns[pid]
                start = i + 1 - len(pattern)
                found.append(
                    Candidate(
                        start, i + 1, " ".join(pattern), tuple(self.pattern_forms[pid]), pid in self.common
                    )
                )
        return found

    def __len__(self) -> int:
        return len(self.patterns)


def pattern_of(tokens: list[str], kind: int) -> tuple[str, ...] | None:
    """The scan pattern for one name form, or None when the form is too weak to scan for."""
    while tokens and tokens[0].startswith("lf_"):
        tokens = tokens[1:]
    while tokens and tokens[-1].startswith("lf_"):
        tokens = tokens[:-1]
    if not tokens:
        return None
    core = [t for t in tokens if not t.startswith("lf_")]
    if len(core) == 1:
        word = core[0]
        if kind == KIND_WEAK or len(word) < MIN_SINGLE_CHARS or word in GENERIC_WORDS:
            return None
        if word.isdigit():
            return None
    else:
        if sum(len(t) for t in core) < MIN_PATTERN_CHARS:
            return None
        if all(t in GENERIC_WORDS or len(t) <= 2 for t in core):
            return None
    return tuple(tokens)


#: A name of this many ordinary (non-generic) words, in its order, is specific enough on its own.
MIN_PHRASE_WORDS = 3


def is_common_pattern(pattern: tuple[str, ...]) -> bool:
    """A pattern whose core is ordinary words only (:mod:`.ordinary`): one ordinary word
    (``LLC FATTURA``), or several words of the payment vocabulary (``common_words.txt``) or
    generic words (``FIRST EAST EXPORT BANK, P.L.C.``). It counts in free text only when its legal
    form or other context corroborates it; a name of :data:`MIN_PHRASE_WORDS` or more such words
    in its order (``first east export bank``) is specific enough to alert alone."""
    core = [t for t in pattern if not t.startswith("lf_")]
    if len(core) == 1:
        return ordinary.is_common_word(core[0])
    common = common_words()
    distinct = [t for t in core if t not in GENERIC_WORDS and len(t) > 2]
    if len(distinct) >= MIN_PHRASE_WORDS:
        return False  # three ordinary words in the list's order are a name, not a sentence
    return all(t in common or t in GENERIC_WORDS or len(t) <= 2 for t in core)


def build(index: CompiledIndex) -> Automaton:
    started = time.perf_counter()
    automaton = Automaton()
    vocab = index.tokens
    kinds = index.form_kind
    common_entities: set[int] = set()
    # Whose ordinary-word name is a common-word name: a company known by a legal form (LLC
    # FATTURA, OOO MONITORING) or a vessel (TULIP). An organisation whose name is an ordinary word
    # of some language (TALIBAN is a Dutch word) is meant whenever it is written: it alerts as usual.
    with_legal_form = {
        int(index.form_entity[form])
        for form, ids in enumerate(index.form_tokens)
        if any(vocab[t].startswith("lf_") for t in ids)
    }
    for form, ids in enumerate(index.form_tokens):
        pattern = pattern_of([vocab[t] for t in ids], int(kinds[form]))
        if pattern is not None:
            entity = int(index.form_entity[form])
            common = is_common_pattern(pattern) and (
                entity in with_legal_form or index.entities[entity].schema == "Vessel"
            )
            automaton.add(pattern, form, common)
            if common:
                common_entities.add(int(index.form_entity[form]))
    automaton.contexts = ordinary.entity_contexts(index, common_entities)
    automaton.finish()
    automaton.build_seconds = time.perf_counter() - started
    return automaton


_lock = threading.Lock()
_cache: dict[int, tuple[CompiledIndex, Automaton]] = {}


def automaton_for(index: CompiledIndex) -> Automaton:
    """The automaton for ``index``, built on first use and kept while the index lives."""
    entry = _cache.get(id(index))
    if entry is not None and entry[0] is index:
        return entry[1]
    with _lock:
        entry = _cache.get(id(index))
        if entry is not None and entry[0] is index:
            return entry[1]
        automaton = build(index)
        _cache.clear()  # one index at a time: a reloaded index replaces the old automaton
        _cache[id(index)] = (index, automaton)
        return automaton


def tokens_of(text: str) -> list[str]:
    """Free text in the token space of list names (legal forms tagged as in names).

    Nothing is cut: a text longer than :data:`MAX_TEXT_CHARS` is normalised in pieces split at
    whitespace (normalisation works word by word), so a name at the end of a long remittance is
    scanned like one at the start."""
    tokens: list[str] = []
    for piece in _pieces(text):
        tokens.extend(normalise_text(piece).split())
    return tag_legal_forms(tokens)


def _pieces(text: str) -> list[str]:
    pieces = []
    while len(text) > MAX_TEXT_CHARS:
        cut = max(text.rfind(" ", 0, MAX_TEXT_CHARS), text.rfind("\n", 0, MAX_TEXT_CHARS))
        cut = cut if cut > 0 else MAX_TEXT_CHARS
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


def candidates(text: str, index: CompiledIndex) -> list[Candidate]:
    return automaton_for(index).find(tokens_of(text))


@dataclass
class FreeTextHit:
    text: str  # the matched words (normalised)
    entity_id: str
    result: dict[str, Any]  # the confirming screening result
    where: str = ""  # the field and line(s) the words came from: "70 line 2-3", "RmtInf/Ustrd[2]"
    reading: str = ""  # which reading of the field found it (see :mod:`.reading`)
    rule: str = ordinary.LISTED_NAME  # why it alerts: a common-word name says what corroborated it


def scan(text: str, index: CompiledIndex, screen_name, rank=None) -> list[FreeTextHit]:
    """Listed names found in ``text`` and confirmed by screening.

    ``screen_name(name) -> screen result`` runs the one screening entry point (cached by the
    caller); a candidate counts when that result contains an entity the pattern came from.
    ``rank(result) -> sortable``: which of several such entities to cite (the caller's regime
    prefers its own lists' entry); by default the first, the best scored.
    """
    tokens = tokens_of(text)
    found = automaton_for(index).find(tokens)
    return _confirm(found, tokens, text, index, screen_name, lambda cand: ("", ""), rank)


def scan_reading(reading: Reading, index: CompiledIndex, screen_name, rank=None) -> list[FreeTextHit]:
    """Listed names in one reading of a free-text field (:func:`proscribe.payments.reading.readings`),
    confirmed by screening, each cited by the field and line(s) its words came from."""
    tokens, spans = reading_tokens(reading.text)
    found = automaton_for(index).find(tokens)

    def where(cand: Candidate) -> tuple[str, str]:
        start, end = spans[cand.start][0], spans[cand.end - 1][1]
        return reading.where(start, end), reading.kind

    return _confirm(found, tokens, reading.text, index, screen_name, where, rank)


def _confirm(
    found: list[Candidate],
    tokens: list[str],
    text: str,
    index: CompiledIndex,
    screen_name,
    where,
    rank=None,
) -> list[FreeTextHit]:
    hits: list[FreeTextHit] = []
    seen: set[str] = set()
    automaton = automaton_for(index)
    words: list[str] | None = None
    for cand in found:
        rules: dict[str, str] = {}
        for form in cand.forms:
            entity = int(index.form_entity[form])
            entity_id = index.entities[entity].id
            if not cand.common or form not in automaton.common_forms:
                rules[entity_id] = ordinary.LISTED_NAME
            elif entity_id not in rules and entity in automaton.contexts:
                words = words if words is not None else _WORD_RE.findall(text)
                rule = ordinary.rule_for(tokens, cand.start, cand.end, words, automaton.contexts[entity])
                if rule is not None:
                    rules[entity_id] = rule
        if not rules:
            continue  # a common-word name with nothing near it that says the listed party is meant
        result = screen_name(cand.text)
        confirmed = [
            item for item in result.get("results", []) if item["id"] in rules and item["id"] not in seen
        ]
        if confirmed:
            item = max(confirmed, key=rank) if rank else confirmed[0]
            seen.add(item["id"])
            place, kind = where(cand)
            hits.append(FreeTextHit(cand.text, item["id"], item, place, kind, rules[item["id"]]))
    return hits


def reading_tokens(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    """``text`` in the token space of list names, with the character span of the word each
    token came from (so a hit maps back to its line).

    Words are normalised one at a time (normalisation works word by word; the words of a
    reading were rendered line by line already), with the results cached; legal forms are
    tagged across the whole text as in :func:`tokens_of`."""
    tokens: list[str] = []
    spans: list[tuple[int, int]] = []
    for match in _WORD_RE.finditer(text):
        word = match.group()
        span = (match.start(), match.end())
        for tok in _word_tokens(word) if len(word) <= CACHED_WORD_CHARS else _long_word_tokens(word):
            tokens.append(tok)
            spans.append(span)
    return _tag_with_spans(tokens, spans)


@lru_cache(maxsize=200_000)
def _word_tokens(word: str) -> tuple[str, ...]:
    return tuple(normalise_text(word).split())


def _long_word_tokens(word: str) -> list[str]:
    out: list[str] = []
    for start in range(0, len(word), MAX_TEXT_CHARS):
        out.extend(normalise_text(word[start : start + MAX_TEXT_CHARS]).split())
    return out


def _tag_with_spans(
    tokens: list[str], spans: list[tuple[int, int]]
) -> tuple[list[str], list[tuple[int, int]]]:
    """:func:`tag_legal_forms` with each output token's character span (a tag spans the words of
    its phrase)."""
    tagged = tag_legal_forms(tokens)
    if len(tagged) == len(tokens):
        return tagged, spans
    out_spans: list[tuple[int, int]] = []
    i = 0
    for j, tok in enumerate(tagged):
        size = 1
        if tok.startswith("lf_") and tokens[i] != tok:
            size = _phrase_size(tokens, i, tok, tagged[j + 1] if j + 1 < len(tagged) else None)
        out_spans.append((spans[i][0], spans[min(i + size, len(spans)) - 1][1]))
        i += size
    return tagged, out_spans


def _phrase_size(tokens: list[str], i: int, tag: str, following: str | None) -> int:
    """How many tokens from ``i`` the legal-form ``tag`` replaced: of the phrase lengths that
    tag to it, the longest after which the text goes on as tagged."""
    sizes = [
        size
        for size in range(1, min(MAX_LEGAL_TOKENS, len(tokens) - i) + 1)
        if tag_legal_forms(tokens[i : i + size]) == [tag]
    ]
    if not sizes:
        return 1
    for size in reversed(sizes):
        nxt = tokens[i + size] if i + size < len(tokens) else None
        if following is None or nxt == following or (following.startswith("lf_") and nxt is not None):
            return size
    return sizes[-1]
