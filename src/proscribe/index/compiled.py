"""The compiled screening index: everything per list name is computed here, once per snapshot.

Build time turns every name, alias, former name and weak alias of every current list entry into
name forms (:func:`proscribe.text.names.name_forms`), and compiles:

- a vocabulary of distinct tokens with a weight each: inverse document frequency over all name
  forms, generic business words capped, legal-form tags fixed near zero;
- postings: token -> the forms that contain it (NumPy arrays);
- neighbour maps that let a query token find *similar* vocabulary tokens without scanning the
  vocabulary: every one-character deletion of each token (symmetric-delete: catches an insertion,
  deletion, substitution or transposition), a consonant skeleton per token (Mohammed / Muhammad /
  محمد), and prefixes (``tech`` -> ``technology``);
- phonetic keys (:mod:`proscribe.text.phonetic`): every token's vowel key and consonant key ->
  the tokens that share it, so a transliteration from a script that loses distinctions
  (``rabeuropeu`` 라브로프, ``lafrwf`` لافروف) finds ``lavrov``;
- compound keys: adjacent token pairs joined (``bin laden`` -> ``binladen``) for split/joined names;
- identifier hashes: normalised identifier key -> entities.

Queries (:mod:`proscribe.match.engine`) only normalise themselves, look things up in these maps
and score a bounded candidate set. The index is saved next to the store in a format that cannot
run code when read (:mod:`proscribe.index.safe_format`), its sha256 recorded in the store, and
reloaded in well under the cold-start budget.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from proscribe.model import Entity
from proscribe.text import phonetic, scripts
from proscribe.text.identifiers import normalise_identifier
from proscribe.text.legal import GENERIC_WORDS, LEGAL_FORM_WEIGHT
from proscribe.text.names import LEGAL, name_forms
from proscribe.text.variants import VARIANT_GROUPS, spelling_key

INDEX_VERSION = 17

#: Form kinds, from strongest to weakest.
KIND_NAME, KIND_ALIAS, KIND_PREVIOUS, KIND_WEAK = 0, 1, 2, 3
KIND_BY_PROP = {"name": KIND_NAME, "alias": KIND_ALIAS, "previousName": KIND_PREVIOUS, "weakAlias": KIND_WEAK}
KIND_LABEL = {KIND_NAME: "name", KIND_ALIAS: "alias", KIND_PREVIOUS: "former name", KIND_WEAK: "weak alias"}

GENERIC_WEIGHT_CAP = 1.0
MIN_PREFIX = 4
MAX_PREFIX = 7
MAX_PREFIX_EXPANSION = 40
MIN_DELETE_LEN = 4
#: A phonetic key shared by more tokens than this fetches nothing (too unspecific to help).
MAX_PHONETIC_EXPANSION = 40


@dataclass(slots=True)
class EntityRecord:
    """What screening needs to know about one list entry besides its names."""

    id: str
    dataset: str
    source_id: str
    caption: str
    schema: str
    programs: tuple[str, ...]
    birth_dates: tuple[str, ...]
    countries: frozenset[str]
    snapshot_id: int
    listing_dates: tuple[str, ...] = ()
    genders: frozenset[str] = frozenset()
    derived: dict | None = None  # set for entities blocked through ownership/control


@dataclass
class CompiledIndex:
    version: int = INDEX_VERSION
    snapshots: dict[str, dict] = field(default_factory=dict)  # dataset -> snapshot summary
    entities: list[EntityRecord] = field(default_factory=list)
    # forms
    form_entity: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    form_kind: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    form_text: list[str] = field(default_factory=list)
    form_tokens: list[tuple[int, ...]] = field(default_factory=list)
    form_roles: list[tuple[int, ...]] = field(default_factory=list)
    form_joined: list[str] = field(default_factory=list)
    form_norm: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    form_letters: np.ndarray = field(
        default_factory=lambda: np.zeros(0, dtype=np.uint32)
    )  # first-letter bits
    # vocabulary
    vocab: dict[str, int] = field(default_factory=dict)
    tokens: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    # postings of every token, one flat array: token id t owns flat[offsets[t]:offsets[t + 1]]
    postings_flat: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    postings_offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    # joined adjacent token pairs -> (start, end) in compounds_flat
    compounds: dict[str, tuple[int, int]] = field(default_factory=dict)
    compounds_flat: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    # per-form Python views, so scoring a candidate touches no NumPy scalars
    form_entity_ids: list[int] = field(default_factory=list)
    form_kinds: list[int] = field(default_factory=list)
    form_texts: list[tuple[str, ...]] = field(default_factory=list)
    form_weights: list[tuple[float, ...]] = field(default_factory=list)
    form_has_initial: list[bool] = field(default_factory=list)
    deletes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    skeletons: dict[str, tuple[int, ...]] = field(default_factory=dict)
    prefixes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    variants: dict[int, tuple[int, ...]] = field(default_factory=dict)  # variant group -> token ids
    spellings: dict[str, tuple[int, ...]] = field(default_factory=dict)  # spelling key -> token ids
    # phonetic key ("v:" vowel key, "c:" consonant key) -> token ids
    phonetics: dict[str, tuple[int, ...]] = field(default_factory=dict)
    identifiers: dict[str, list[tuple[int, str, bool, bool, str]]] = field(default_factory=dict)
    max_weight: float = 10.0
    n_forms: int = 0

    # -- persistence -------------------------------------------------------------------------
    def save(self, path: Path) -> str:
        """Write the index in the safe format (:mod:`proscribe.index.safe_format`: arrays and
        JSON, nothing that runs code when read) atomically; returns the file's sha256, which the
        caller records in the store so that only this file is ever loaded from ``path``."""
        from proscribe.index.safe_format import dumps

        data = dumps(self, _PERSISTED_CLASSES)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
        return hashlib.sha256(data).hexdigest()

    @classmethod
    def load(cls, path: Path, expected_sha256: str | None = None) -> CompiledIndex:
        """Read an index :meth:`save` wrote. With ``expected_sha256`` the file's bytes are checked
        before anything is parsed (:class:`IndexFileMismatch` when they differ)."""
        import gc

        from proscribe.index.safe_format import loads

        data = path.read_bytes()
        if expected_sha256 is not None:
            digest = hashlib.sha256(data).hexdigest()
            if not hmac.compare_digest(digest, expected_sha256):
                raise IndexFileMismatch(f"{path.name}: sha256 {digest} is not the recorded {expected_sha256}")
        # Loading creates millions of objects; collecting garbage meanwhile finds none and only
        # slows the load down.
        enabled = gc.isenabled()
        gc.disable()
        try:
            index = loads(data, _PERSISTED_CLASSES)
        finally:
            if enabled:
                gc.enable()
        if not isinstance(index, cls) or index.version != INDEX_VERSION:
            raise ValueError("index file is from another version; rebuild it")
        return index

    # -- lookups -----------------------------------------------------------------------------
    def postings(self, token_id: int) -> np.ndarray:
        """The forms containing vocabulary token ``token_id`` (a view, sorted)."""
        return self.postings_flat[self.postings_offsets[token_id] : self.postings_offsets[token_id + 1]]

    def postings_count(self, token_id: int) -> int:
        return int(self.postings_offsets[token_id + 1] - self.postings_offsets[token_id])

    def compound_postings(self, key: str) -> np.ndarray | None:
        span = self.compounds.get(key)
        return None if span is None else self.compounds_flat[span[0] : span[1]]

    def weight_of(self, token: str) -> float:
        idx = self.vocab.get(token)
        if idx is None:
            return self.max_weight
        return self.weights[idx]


class IndexFileMismatch(ValueError):
    """A persisted index file whose bytes are not the ones recorded when it was written."""


#: The classes a persisted index may contain (built by name when it is read; nothing else is).
_PERSISTED_CLASSES: dict[str, type] = {}


def _flatten(groups) -> tuple[np.ndarray, np.ndarray]:
    """Many small id lists as one int32 array plus offsets (fast to pickle, load and slice)."""
    flat: list[int] = []
    offsets = [0]
    for group in groups:
        flat.extend(group)
        offsets.append(len(flat))
    return np.asarray(flat, dtype=np.int32), np.asarray(offsets, dtype=np.int64)


def deletions(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


def build_index(entities_by_dataset: dict[str, list[Entity]], snapshots: dict[str, dict]) -> CompiledIndex:
    """Compile the index from the current snapshot's entities of each dataset."""
    index = CompiledIndex(snapshots=snapshots)
    form_entity: list[int] = []
    form_kind: list[int] = []
    token_forms: dict[str, list[int]] = defaultdict(list)
    compound_forms: dict[str, list[int]] = defaultdict(list)
    raw_forms: list[tuple[tuple[str, ...], tuple[int, ...]]] = []

    for dataset, entities in entities_by_dataset.items():
        snapshot_id = snapshots.get(dataset, {}).get("id", 0)
        for entity in entities:
            entity_idx = len(index.entities)
            index.entities.append(_record(entity, snapshot_id))
            seen_forms: set[tuple[str, ...]] = set()
            for prop, name in entity.names():
                kind = KIND_BY_PROP[prop]
                for form in name_forms(name, entity.schema):
                    if form.tokens in seen_forms:
                        continue  # the same form under a weaker kind adds nothing
                    seen_forms.add(form.tokens)
                    form_idx = len(form_entity)
                    form_entity.append(entity_idx)
                    form_kind.append(kind)
                    index.form_text.append(name)
                    raw_forms.append((form.tokens, form.roles))
                    for token in set(form.tokens):
                        token_forms[token].append(form_idx)
                    for left, right in zip(form.tokens, form.tokens[1:]):
                        if not left.startswith("lf_") and not right.startswith("lf_"):
                            compound_forms[left + right].append(form_idx)
            for ident in entity.identifiers:
                for norm in normalise_identifier(ident.type, ident.value, ident.country):
                    index.identifiers.setdefault(norm.key, []).append(
                        (entity_idx, norm.type, bool(norm.strong), bool(norm.valid is not False), ident.value)
                    )

    n_forms = len(form_entity)
    index.n_forms = n_forms
    index.form_entity = np.asarray(form_entity, dtype=np.int32)
    index.form_kind = np.asarray(form_kind, dtype=np.int8)

    # vocabulary and weights
    index.max_weight = math.log((n_forms + 1) / 1) if n_forms else 10.0
    for token in sorted(token_forms):
        forms = token_forms[token]
        index.vocab[token] = len(index.tokens)
        index.tokens.append(token)
        if token.startswith("lf_"):
            weight = LEGAL_FORM_WEIGHT
        else:
            weight = math.log((n_forms + 1) / (len(forms) + 0.5))
            if token in GENERIC_WORDS:
                weight = min(weight, GENERIC_WEIGHT_CAP)
            weight = max(weight, 0.3)
        index.weights.append(weight)
    index.postings_flat, index.postings_offsets = _flatten(sorted(set(token_forms[t])) for t in index.tokens)
    keys = list(compound_forms)
    index.compounds_flat, offsets = _flatten(sorted(set(compound_forms[k])) for k in keys)
    index.compounds = {key: (int(offsets[i]), int(offsets[i + 1])) for i, key in enumerate(keys)}

    norms = []
    letters = []
    index.form_entity_ids = form_entity
    index.form_kinds = form_kind
    for tokens, roles in raw_forms:
        index.form_texts.append(tuple(index.tokens[index.vocab[t]] for t in tokens))
        index.form_weights.append(tuple(index.weights[index.vocab[t]] for t in tokens))
        index.form_has_initial.append(any(len(t) == 1 for t in tokens))
        mask = 0
        for token, role in zip(tokens, roles):
            if role != LEGAL and "a" <= token[0] <= "z":
                mask |= 1 << (ord(token[0]) - 97)
        letters.append(mask)
        ids = tuple(index.vocab[t] for t in tokens)
        index.form_tokens.append(ids)
        index.form_roles.append(roles)
        index.form_joined.append("".join(t for t, r in zip(tokens, roles) if r != LEGAL))
        norms.append(math.sqrt(sum(index.weights[i] for i, r in zip(ids, roles) if r != LEGAL) or 1.0))
    index.form_norm = np.asarray(norms, dtype=np.float32)
    index.form_letters = np.asarray(letters, dtype=np.uint32)

    # neighbour maps
    deletes: dict[str, list[int]] = defaultdict(list)
    skeletons: dict[str, list[int]] = defaultdict(list)
    prefixes: dict[str, list[int]] = defaultdict(list)
    for token, tid in index.vocab.items():
        if token.startswith("lf_"):
            continue
        if len(token) >= MIN_DELETE_LEN:
            for variant in deletions(token):
                deletes[variant].append(tid)
        skeleton = scripts.consonant_skeleton(token) if len(token) >= 4 else ""
        if len(skeleton) >= 3:
            skeletons[skeleton].append(tid)
        for size in range(MIN_PREFIX, min(MAX_PREFIX, len(token) - 1) + 1):
            prefixes[token[:size]].append(tid)
    variants: dict[int, list[int]] = defaultdict(list)
    for token, tid in index.vocab.items():
        for group in VARIANT_GROUPS.get(token, ()):
            variants[group].append(tid)
    index.variants = {k: tuple(v) for k, v in variants.items()}
    spellings: dict[str, list[int]] = defaultdict(list)
    for token, tid in index.vocab.items():
        if len(token) >= 4 and not token.startswith("lf_"):
            spellings[spelling_key(token)].append(tid)
    index.spellings = {k: tuple(v) for k, v in spellings.items()}
    index.phonetics = phonetic_map(index.vocab)
    index.deletes = {k: tuple(v) for k, v in deletes.items()}
    index.skeletons = {k: tuple(v) for k, v in skeletons.items()}
    index.prefixes = {k: tuple(v) for k, v in prefixes.items() if len(v) <= MAX_PREFIX_EXPANSION}
    return index


def phonetic_map(vocab: dict[str, int]) -> dict[str, tuple[int, ...]]:
    """Phonetic key -> the vocabulary tokens that have it (legal-form tags, short keys and keys
    shared by more than :data:`MAX_PHONETIC_EXPANSION` tokens left out)."""
    found: dict[str, list[int]] = defaultdict(list)
    for token, tid in vocab.items():
        if token.startswith("lf_") or not token.isalpha():
            continue
        key = phonetic.vowel_key(token)
        if len(key) >= phonetic.MIN_VOWEL_KEY:
            found["v:" + key].append(tid)
        key = phonetic.consonant_key(token)
        if phonetic.consonant_key_usable(key):
            found["c:" + key].append(tid)
    return {k: tuple(v) for k, v in found.items() if len(v) <= MAX_PHONETIC_EXPANSION}


def _record(entity: Entity, snapshot_id: int) -> EntityRecord:
    countries = set(entity.get("country")) | set(entity.get("nationality")) | set(entity.get("citizenship"))
    countries |= {a.country for a in entity.addresses if a.country}
    countries |= set(entity.get("flag"))
    listing = tuple(sorted({s.listing_date for s in entity.sanctions if s.listing_date}))
    return EntityRecord(
        id=entity.id,
        dataset=entity.dataset,
        source_id=entity.source_id,
        caption=entity.caption,
        schema=entity.schema,
        programs=tuple(entity.programs),
        birth_dates=tuple(entity.get("birthDate")),
        countries=frozenset(c.lower() for c in countries if c and len(c) <= 6),
        snapshot_id=snapshot_id,
        listing_dates=listing,
        genders=frozenset(g.lower() for g in entity.get("gender") if g.lower() in ("male", "female")),
        derived=_derived_info(entity),
    )


def _derived_info(entity: Entity) -> dict | None:
    """For an entity blocked through ownership or control: its regime, status and path."""
    if entity.dataset != "derived_ownership" or not entity.sanctions:
        return None
    sanction = entity.sanctions[0]
    regime, _, status = sanction.program.removeprefix("OWNERSHIP-").partition("-")
    return {
        "regime": regime.lower(),
        "status": status.lower(),
        "explanation": sanction.reason,
        "computed": sanction.listing_date,
    }


_PERSISTED_CLASSES.update({"CompiledIndex": CompiledIndex, "EntityRecord": EntityRecord})
