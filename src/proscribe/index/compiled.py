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
- compound keys: adjacent token pairs joined (``bin laden`` -> ``binladen``) for split/joined names;
- identifier hashes: normalised identifier key -> entities.

Queries (:mod:`proscribe.match.engine`) only normalise themselves, look things up in these maps
and score a bounded candidate set. The index is saved with pickle next to the store and reloaded
in well under the cold-start budget.
"""

from __future__ import annotations

import math
import pickle
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from proscribe.model import Entity
from proscribe.text import scripts
from proscribe.text.identifiers import normalise_identifier
from proscribe.text.legal import GENERIC_WORDS, LEGAL_FORM_WEIGHT
from proscribe.text.names import LEGAL, name_forms
from proscribe.text.variants import VARIANT_GROUPS, spelling_key

INDEX_VERSION = 8

#: Form kinds, from strongest to weakest.
KIND_NAME, KIND_ALIAS, KIND_PREVIOUS, KIND_WEAK = 0, 1, 2, 3
KIND_BY_PROP = {"name": KIND_NAME, "alias": KIND_ALIAS, "previousName": KIND_PREVIOUS, "weakAlias": KIND_WEAK}
KIND_LABEL = {KIND_NAME: "name", KIND_ALIAS: "alias", KIND_PREVIOUS: "former name", KIND_WEAK: "weak alias"}

GENERIC_WEIGHT_CAP = 1.0
MIN_PREFIX = 4
MAX_PREFIX = 7
MAX_PREFIX_EXPANSION = 40
MIN_DELETE_LEN = 4


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
    form_letters: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint32))  # first-letter bits
    # vocabulary
    vocab: dict[str, int] = field(default_factory=dict)
    tokens: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    postings: list[np.ndarray] = field(default_factory=list)
    compounds: dict[str, np.ndarray] = field(default_factory=dict)
    deletes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    skeletons: dict[str, tuple[int, ...]] = field(default_factory=dict)
    prefixes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    variants: dict[int, tuple[int, ...]] = field(default_factory=dict)  # variant group -> token ids
    spellings: dict[str, tuple[int, ...]] = field(default_factory=dict)  # spelling key -> token ids
    identifiers: dict[str, list[tuple[int, str, bool, bool, str]]] = field(default_factory=dict)
    max_weight: float = 10.0
    n_forms: int = 0

    # -- persistence -------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> CompiledIndex:
        import gc

        # Unpickling creates millions of objects; collecting garbage meanwhile finds none and
        # only slows the load down.
        enabled = gc.isenabled()
        gc.disable()
        try:
            with path.open("rb") as handle:
                index = pickle.load(handle)
        finally:
            if enabled:
                gc.enable()
        if not isinstance(index, cls) or index.version != INDEX_VERSION:
            raise ValueError("index file is from another version; rebuild it")
        return index

    # -- lookups -----------------------------------------------------------------------------
    def weight_of(self, token: str) -> float:
        idx = self.vocab.get(token)
        if idx is None:
            return self.max_weight
        return self.weights[idx]


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
        index.postings.append(np.asarray(sorted(set(forms)), dtype=np.int32))
    index.compounds = {key: np.asarray(sorted(set(forms)), dtype=np.int32) for key, forms in compound_forms.items()}

    norms = []
    letters = []
    for tokens, roles in raw_forms:
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
    index.deletes = {k: tuple(v) for k, v in deletes.items()}
    index.skeletons = {k: tuple(v) for k, v in skeletons.items()}
    index.prefixes = {k: tuple(v) for k, v in prefixes.items() if len(v) <= MAX_PREFIX_EXPANSION}
    return index


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
    )
