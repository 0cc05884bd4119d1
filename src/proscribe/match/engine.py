"""Query-time matching against a :class:`CompiledIndex`: candidates, scores, explanations.

For each query name form:

1. each query token finds its *neighbours* in the vocabulary: itself, tokens one edit away
   (symmetric-delete maps), tokens with the same consonant skeleton, longer tokens it abbreviates
   (prefix) and, for one-letter tokens, nothing (initials only score, never fetch);
2. candidate forms are those sharing a neighbour, ranked by the weight they share (NumPy over
   the postings); very common tokens fetch only when the query has nothing rarer;
3. each kept candidate is scored by aligning query tokens to list tokens one-to-one (best
   similarity first), crediting each side's rarity weights: the name score is the geometric mean
   of the weighted share of the query covered and of the list name covered. Missing middle
   names cost little, legal forms nothing; joined/split words are compared without spaces;
4. per entity the best form counts; weak aliases are discounted; then birth dates, countries and
   identifiers adjust the score, and two thresholds decide block / review / clear.

Every number that enters a score is recorded in the explanation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from rapidfuzz.distance import OSA
from rapidfuzz.fuzz import ratio as fuzz_ratio

from proscribe.index.compiled import KIND_LABEL, KIND_PREVIOUS, KIND_WEAK, CompiledIndex, deletions
from proscribe.match.config import MatchConfig
from proscribe.model import COMPATIBLE_SCHEMATA
from proscribe.text import scripts
from proscribe.text.names import _PATRONYMIC_RE, CORE, LEGAL, NameForm, name_forms
from proscribe.text.variants import VARIANT_GROUPS, are_variants, spelling_key

#: A token this common fetches candidates only when the query has no rarer token.
COMMON_SHARE = 0.02
#: Candidate sets up to this many postings are ranked in plain Python (faster than NumPy
#: for small sizes).
SMALL_SET = 600


@dataclass
class QueryToken:
    text: str
    role: int
    weight: float
    neighbours: dict[int, tuple[float, str]]  # vocab token id -> (similarity, how)


@dataclass
class NameHit:
    entity: int
    form: int
    score: float
    query_name: str
    alignment: list[tuple[str, str, float, str]] = field(default_factory=list)  # (query, list, similarity, how)
    coverage_query: float = 0.0
    coverage_list: float = 0.0
    method: str = "tokens"


def allowed_edits(length: int) -> int:
    """Edits tolerated between two tokens, growing with length but never zero beyond 3 letters."""
    if length <= 3:
        return 0
    if length <= 5:
        return 1
    if length <= 9:
        return 2
    return 3


def token_similarity(a: str, b: str, cfg: MatchConfig) -> tuple[float, str]:
    """Similarity of two tokens and how it was found; 0.0 when they do not match at all.

    Exact 1.0; within the edit allowance for their length, 1 - edits / (length + 1.5); a query
    token of 3+ letters that begins a longer list token (an abbreviation); the same consonant
    skeleton for tokens of 4+ letters sharing a first letter (or both starting with a vowel),
    within half their length in edits (Mohammed ~ Muhammad, Yusuf ~ Youssef).
    """
    if a == b:
        return 1.0, "exact"
    longest = max(len(a), len(b))
    shortest = min(len(a), len(b))
    best, how = 0.0, ""
    if shortest >= 3:
        allowed = allowed_edits(longest)
        dist = OSA.distance(a, b, score_cutoff=max(allowed, longest // 2))
        # Typos rarely hit the first letter: short tokens must share it to count as near.
        if dist <= allowed and (longest > 5 or a[0] == b[0]):
            best, how = 1.0 - dist / (longest + 1.5), f"{dist} edit{'s' if dist > 1 else ''}"
        if (
            shortest >= 4
            and dist <= min(longest // 2, allowed + 1)
            and (a[0] == b[0] or (a[0] in "aeiouy" and b[0] in "aeiouy"))
            and cfg.skeleton_similarity > best
        ):
            ska = scripts.consonant_skeleton(a)
            if len(ska) >= 3 and ska == scripts.consonant_skeleton(b):
                best, how = cfg.skeleton_similarity, "sounds alike"
    if (
        len(a) >= 4
        and len(b) > len(a)
        and b.startswith(a)
        and cfg.prefix_similarity > best
        and not _PATRONYMIC_RE.search(b)  # Ivan is not short for Ivanovich
    ):
        best, how = cfg.prefix_similarity, "abbreviation"
    if best < cfg.variant_similarity and are_variants(a, b):
        best, how = cfg.variant_similarity, "known variant"
    if best < cfg.skeleton_similarity and shortest >= 4 and spelling_key(a) == spelling_key(b):
        best, how = cfg.skeleton_similarity, "spelling variant"
    if best < cfg.min_token_similarity:
        return 0.0, ""
    return best, how


class Matcher:
    """Matching over one index. Safe to share between threads (its only state is a cache of
    query-token neighbourhoods, where a lost update costs a recomputation, nothing more)."""

    #: Query tokens recur (given names, company words): their neighbourhoods are cached.
    NEIGHBOUR_CACHE_SIZE = 200_000

    def __init__(self, index: CompiledIndex, cfg: MatchConfig):
        self.index = index
        self.cfg = cfg
        self.common_df = max(50, int(index.n_forms * COMMON_SHARE))
        self._neighbour_cache: dict[str, dict[int, tuple[float, str]]] = {}

    def cached_neighbours(self, token: str) -> dict[int, tuple[float, str]]:
        found = self._neighbour_cache.get(token)
        if found is None:
            if len(self._neighbour_cache) >= self.NEIGHBOUR_CACHE_SIZE:
                self._neighbour_cache.clear()
            found = self._neighbour_cache[token] = self.neighbours(token)
        return found

    # -- neighbours --------------------------------------------------------------------------
    def neighbours(self, token: str) -> dict[int, tuple[float, str]]:
        index, cfg = self.index, self.cfg
        found: dict[int, tuple[float, str]] = {}
        tid = index.vocab.get(token)
        if tid is not None:
            found[tid] = (1.0, "exact")
        if token.startswith("lf_"):
            return found
        if len(token) < 3:
            for group in VARIANT_GROUPS.get(token, ()):
                for cid in index.variants.get(group, ()):
                    if cid not in found:
                        found[cid] = (cfg.variant_similarity, "known variant")
            return found
        candidates: set[int] = set(index.deletes.get(token, ()))
        if len(token) >= 4:
            for variant in deletions(token):
                candidates.update(index.deletes.get(variant, ()))
                vid = index.vocab.get(variant)
                if vid is not None:
                    candidates.add(vid)
        candidates.update(index.prefixes.get(token, ()))
        if len(token) >= 4:
            skeleton = scripts.consonant_skeleton(token)
            if len(skeleton) >= 3:
                skeleton_ids = index.skeletons.get(skeleton, ())
                if len(skeleton_ids) <= 80:
                    candidates.update(skeleton_ids)
        for group in VARIANT_GROUPS.get(token, ()):
            candidates.update(index.variants.get(group, ()))
        if len(token) >= 4:
            candidates.update(index.spellings.get(spelling_key(token), ()))
        tokens = index.tokens
        for cid in candidates:
            if cid in found:
                continue
            sim, how = token_similarity(token, tokens[cid], cfg)
            if sim > 0.0:
                found[cid] = (sim, how)
        return found

    def query_tokens(self, form: NameForm) -> list[QueryToken]:
        out = []
        for token, role in zip(form.tokens, form.roles):
            neighbours = self.cached_neighbours(token)
            out.append(QueryToken(token, role, self._query_weight(token, role, neighbours), neighbours))
        return out

    # -- candidates --------------------------------------------------------------------------
    def candidates(self, qtokens: list[QueryToken], joined_keys: list[str]) -> list[int]:
        """The forms worth scoring: those sharing the most query weight relative to their own.

        Each query token counts once per form (its best neighbour in that form), so a form does
        not rise by matching several spellings of one query token. Very common tokens only add
        to forms found otherwise, or, when nothing else is found, are intersected.
        """
        index = self.index
        per_token: list[tuple[list[np.ndarray], list[float]]] = []
        common: list[tuple[np.ndarray, float]] = []
        for qt in qtokens:
            if qt.role == LEGAL or len(qt.text) == 1:
                continue
            ids_list: list[np.ndarray] = []
            values: list[float] = []
            for tid, (sim, _) in qt.neighbours.items():
                postings = index.postings(tid)
                value = sim * index.weights[tid]
                if len(postings) > self.common_df:
                    common.append((postings, value))
                    continue
                ids_list.append(postings)
                values.append(value)
            if ids_list:
                per_token.append((ids_list, values))
        for key in joined_keys:
            postings = index.compound_postings(key)
            if postings is not None and len(postings) <= self.common_df:
                per_token.append(([postings], [index.max_weight]))
        initials = [qt.text for qt in qtokens if len(qt.text) == 1 and "a" <= qt.text <= "z"]
        keep = self.cfg.candidates * (2 if initials else 1)
        if not per_token:
            if not common:
                return []
            # Only common tokens: intersect them rather than fetching thousands of forms.
            common.sort(key=lambda item: len(item[0]))
            base = common[0][0]
            for postings, _ in common[1:]:
                narrowed = np.intersect1d(base, postings, assume_unique=True)
                if len(narrowed):
                    base = narrowed
            return base[: self.cfg.candidates * 4].tolist()
        mask = 0
        for letter in initials:
            mask |= 1 << (ord(letter) - 97)
        return self._rank(per_token, common, mask, keep)

    def _rank(self, per_token, common, mask: int, keep: int) -> list[int]:
        index = self.index
        chunks: list[tuple[np.ndarray, np.ndarray]] = []
        for ids_list, values in per_token:
            if len(ids_list) == 1:
                chunks.append((ids_list[0], np.full(len(ids_list[0]), values[0])))
                continue
            ids = np.concatenate(ids_list)
            weights = np.repeat(np.asarray(values), [len(c) for c in ids_list])
            order = np.argsort(-weights, kind="stable")
            ids, first = np.unique(ids[order], return_index=True)
            chunks.append((ids, weights[order][first]))
        if len(chunks) == 1:
            unique, scores = chunks[0][0], chunks[0][1].copy()
        else:
            ids = np.concatenate([c[0] for c in chunks])
            weights = np.concatenate([c[1] for c in chunks])
            unique, inverse = np.unique(ids, return_inverse=True)
            scores = np.bincount(inverse, weights=weights)
        for postings, value in common:
            hit = np.isin(unique, postings, assume_unique=True)
            scores[hit] += value
        # Rank by shared weight relative to the form's own weight, so long names sharing one
        # common word do not crowd out a short name that is fully covered.
        scores = scores / index.form_norm[unique]
        if mask:
            # Initials fetch nothing themselves; prefer forms that have a word for each of them.
            has_all = (index.form_letters[unique] & np.uint32(mask)) == mask
            scores[has_all] += scores.max()
        if len(unique) > keep:
            top = np.argpartition(-scores, keep)[:keep]
            return unique[top].tolist()
        return unique.tolist()

    # -- scoring -----------------------------------------------------------------------------
    def score_form(self, qtokens: list[QueryToken], query_joined: str, form_idx: int, hits=None, qlists=None):
        """Score one candidate list form against the query (tokens already resolved).

        ``hits`` maps a vocabulary token id to the query tokens it is near: built once per query
        form by :meth:`token_hits`, it makes pairing O(list tokens) instead of O(query x list).
        """
        index = self.index
        ftokens = index.form_tokens[form_idx]
        froles = index.form_roles[form_idx]
        ftexts = index.form_texts[form_idx]
        if hits is None:
            hits = self.token_hits(qtokens)
        pairs: list[tuple[float, int, int, str]] = []
        for j, tid in enumerate(ftokens):
            found = hits.get(tid)
            if found:
                for sim, i, how in found:
                    pairs.append((sim, i, j, how))
        qtexts, qweights, qroles, has_initials = qlists or self.query_lists(qtokens)
        if has_initials or index.form_has_initial[form_idx]:
            self._initial_pairs(qtexts, ftexts, froles, pairs)
        return self.align(
            qtexts, qweights, qroles, query_joined,
            ftexts, index.form_weights[form_idx], froles, index.form_joined[form_idx], pairs,
        )

    @staticmethod
    def query_lists(qtokens: list[QueryToken]):
        texts = [qt.text for qt in qtokens]
        return texts, [qt.weight for qt in qtokens], [qt.role for qt in qtokens], any(len(t) == 1 for t in texts)

    @staticmethod
    def token_hits(qtokens: list[QueryToken]) -> dict[int, list[tuple[float, int, str]]]:
        hits: dict[int, list[tuple[float, int, str]]] = {}
        for i, qt in enumerate(qtokens):
            for tid, (sim, how) in qt.neighbours.items():
                hits.setdefault(tid, []).append((sim, i, how))
        return hits

    def _initial_pairs(self, qtexts, ftexts, froles, pairs) -> None:
        """Initials align to the first letter of a full token, at a discount, either way round."""
        sim = self.cfg.initial_similarity
        for i, qtext in enumerate(qtexts):
            if len(qtext) == 1:
                for j, ftext in enumerate(ftexts):
                    if froles[j] != LEGAL and ftext[0] == qtext and len(ftext) > 1:
                        pairs.append((sim, i, j, "initial"))
        for j, ftext in enumerate(ftexts):
            if len(ftext) == 1 and froles[j] != LEGAL:
                for i, qtext in enumerate(qtexts):
                    if len(qtext) > 1 and qtext[0] == ftext:
                        pairs.append((sim, i, j, "initial"))

    def align(self, qtexts, qweights, qroles, query_joined, ftexts, fweights, froles, form_joined, pairs):
        """Align query tokens to list tokens one-to-one, best similarity first, and score.

        ``pairs`` holds every (similarity, query index, list index, how) worth considering.
        Returns (score, alignment, query coverage, list coverage, method).
        """
        cfg = self.cfg
        pairs.sort(reverse=True)
        used_q: set[int] = set()
        used_f: set[int] = set()
        matched_q = matched_f = 0.0
        alignment = []
        for sim, i, j, how in pairs:
            if i in used_q or j in used_f:
                continue
            used_q.add(i)
            used_f.add(j)
            matched_q += sim * qweights[i]
            matched_f += sim * fweights[j]
            alignment.append((qtexts[i], ftexts[j], sim, how))
        nq, nf = len(qtexts), len(ftexts)
        # joined/split words: one token on one side equal to two adjacent tokens on the other
        for i, qtext in enumerate(qtexts if len(used_q) < nq and len(used_f) < nf - 1 else ()):
            if i in used_q or len(qtext) < 5:
                continue
            for j in range(len(ftexts) - 1):
                if j not in used_f and j + 1 not in used_f and qtext == ftexts[j] + ftexts[j + 1]:
                    used_q.add(i)
                    used_f.update((j, j + 1))
                    matched_q += qweights[i]
                    matched_f += fweights[j] + fweights[j + 1]
                    alignment.append((qtext, f"{ftexts[j]} {ftexts[j + 1]}", 1.0, "joined"))
                    break
        for j, ftext in enumerate(ftexts if len(used_f) < nf and len(used_q) < nq - 1 else ()):
            if j in used_f or len(ftext) < 5:
                continue
            for i in range(len(qtexts) - 1):
                if i not in used_q and i + 1 not in used_q and ftext == qtexts[i] + qtexts[i + 1]:
                    used_f.add(j)
                    used_q.update((i, i + 1))
                    matched_q += qweights[i] + qweights[i + 1]
                    matched_f += fweights[j]
                    alignment.append((f"{qtexts[i]} {qtexts[i + 1]}", ftext, 1.0, "joined"))
                    break
        # A middle name missing on one side is an omission and costs little; different middle
        # names on both sides (Ivanovich vs Viktorovich) are a contradiction and cost in full.
        left_q = len(used_q) < nq and any(i not in used_q and qroles[i] != LEGAL for i in range(nq))
        left_f = len(used_f) < nf and any(j not in used_f and froles[j] != LEGAL for j in range(nf))
        shares = (1.0, 1.0 if left_q and left_f else cfg.unmatched_middle_share, cfg.unmatched_legal_share)
        total_q = 0.0
        for i in range(nq):
            total_q += qweights[i] if i in used_q else qweights[i] * shares[qroles[i]]
        total_f = 0.0
        for j in range(nf):
            total_f += fweights[j] if j in used_f else fweights[j] * shares[froles[j]]
        cov_q = min(1.0, matched_q / total_q) if total_q > 0 else 0.0
        cov_f = min(1.0, matched_f / total_f) if total_f > 0 else 0.0
        score = (cov_q**cfg.query_exponent) * (cov_f**cfg.list_exponent) if cov_q > 0 and cov_f > 0 else 0.0
        # A list name made only of common words (an alias "MOHAMED") identifies nobody: the
        # evidence it gives grows with the rarity weight actually matched.
        floor = cfg.min_list_evidence * self.index.max_weight
        if 0 < matched_f < floor:
            score *= (matched_f / floor) ** 0.5
        method = "tokens"
        if (
            query_joined
            and form_joined
            and len(form_joined) >= 6
            and abs(len(query_joined) - len(form_joined)) <= 3
            and sum(r != LEGAL for r in qroles) != sum(r != LEGAL for r in froles)
        ):
            whole = fuzz_ratio(query_joined, form_joined) / 100.0
            if whole >= cfg.joined_min_ratio and whole * cfg.joined_discount > score:
                score = whole * cfg.joined_discount
                method = "whole name without spaces"
        return min(score, 1.0), alignment, cov_q, cov_f, method

    def compare(self, query_name: str, list_name: str, schema: str = "LegalEntity") -> float:
        """Score one pair of names directly (no candidate search), with this index's token
        rarities: used to evaluate the scorer on labelled pairs and to resolve ownership parties."""
        cfg = self.cfg
        best = 0.0
        for qform in name_forms(query_name, schema):
            if all(r == LEGAL for r in qform.roles):
                continue
            qweights = [self._query_weight(t, r) for t, r in zip(qform.tokens, qform.roles)]
            qjoined = "".join(t for t, r in zip(qform.tokens, qform.roles) if r != LEGAL)
            for fform in name_forms(list_name, schema):
                ftexts = list(fform.tokens)
                fweights = [self.index.weight_of(t) for t in ftexts]
                fjoined = "".join(t for t, r in zip(ftexts, fform.roles) if r != LEGAL)

                pairs = []
                for i, qtext in enumerate(qform.tokens):
                    for j, ftext in enumerate(ftexts):
                        sim, how = token_similarity(qtext, ftext, cfg)
                        if sim > 0:
                            pairs.append((sim, i, j, how))
                self._initial_pairs(list(qform.tokens), ftexts, fform.roles, pairs)
                score = self.align(list(qform.tokens), qweights, list(qform.roles), qjoined, ftexts, fweights,
                                   list(fform.roles), fjoined, pairs)[0]
                best = max(best, score)
        return best

    def _query_weight(self, token: str, role: int, neighbours: dict | None = None) -> float:
        """A query token weighs what the same list token weighs; an unknown token is as rare as
        the rarest, unless it is a near spelling of a known token, whose rarity it then shares."""
        if role == LEGAL or token in self.index.vocab:
            weight = self.index.weight_of(token)
        else:
            if neighbours is None:
                neighbours = self.neighbours(token)
            near = [self.index.weights[t] for t, (s, _) in neighbours.items() if s >= 0.8]
            weight = max(near) if near else self.index.max_weight
        return min(weight, 1.0) if len(token) == 1 else weight

    # -- names -> entity hits ----------------------------------------------------------------
    def match_names(self, names: list[str], schema: str, allowed_entities=None) -> dict[int, NameHit]:
        """Best name hit per entity over all query names and their forms."""
        index, cfg = self.index, self.cfg
        compatible = COMPATIBLE_SCHEMATA.get(schema, COMPATIBLE_SCHEMATA["LegalEntity"])
        best: dict[int, NameHit] = {}
        for name in names:
            for form in name_forms(name, schema):
                qtokens = self.query_tokens(form)
                if not qtokens or all(qt.role == LEGAL for qt in qtokens):
                    continue
                core = [qt for qt in qtokens if qt.role != LEGAL]
                query_joined = "".join(qt.text for qt in core)
                joined_keys = [a.text + b.text for a, b in zip(core, core[1:])] + [qt.text for qt in core if len(qt.text) >= 4]
                hits = self.token_hits(qtokens)
                qlists = self.query_lists(qtokens)
                form_entity = index.form_entity_ids
                for form_idx in self.candidates(qtokens, joined_keys):
                    entity_idx = form_entity[form_idx]
                    record = index.entities[entity_idx]
                    if record.schema not in compatible:
                        continue
                    if allowed_entities is not None and not allowed_entities(record):
                        continue
                    score, alignment, cov_q, cov_f, method = self.score_form(qtokens, query_joined, form_idx, hits, qlists)
                    kind = index.form_kinds[form_idx]
                    if kind == KIND_WEAK:
                        score *= cfg.weak_alias_factor
                    elif kind == KIND_PREVIOUS:
                        score *= cfg.previous_name_factor
                    current = best.get(entity_idx)
                    if current is None or score > current.score:
                        best[entity_idx] = NameHit(entity_idx, form_idx, score, name, alignment, cov_q, cov_f, method)
        return best


def kind_label(index: CompiledIndex, form_idx: int) -> str:
    return KIND_LABEL[int(index.form_kind[form_idx])]


__all__ = ["Matcher", "NameHit", "token_similarity", "allowed_edits", "kind_label", "CORE"]
