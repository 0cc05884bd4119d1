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

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from rapidfuzz.distance import OSA
from rapidfuzz.fuzz import ratio as fuzz_ratio

from proscribe.index.compiled import KIND_LABEL, KIND_PREVIOUS, KIND_WEAK, CompiledIndex, deletions
from proscribe.match.commonness import common_names, syllables_of
from proscribe.match.config import MatchConfig
from proscribe.model import COMPATIBLE_SCHEMATA
from proscribe.text import phonetic, scripts
from proscribe.text.legal import ABBREVIATIONS, legal_suffix
from proscribe.text.name_parts import is_cjk_syllable, part_factor, sector_words
from proscribe.text.names import _PATRONYMIC_RE, CORE, LEGAL, NameForm, name_forms
from proscribe.text.titles import has_office_title, titles_in
from proscribe.text.variants import (
    VARIANT_GROUPS,
    are_nicknames,
    are_variants,
    is_tabled_given_name,
    spelling_key,
)

#: A token this common fetches candidates only when the query has no rarer token.
COMMON_SHARE = 0.02
#: Candidate sets up to this many postings are ranked in plain Python (faster than NumPy
#: for small sizes).
SMALL_SET = 600
#: Endings that turn a name into another name, not into a longer spelling of the same word:
#: "ivan" -> "ivanova", "ali" -> "alison" are no extension of the list token.
NAME_ENDINGS = frozenset(
    {
        "ova",
        "eva",
        "ina",
        "ovic",
        "evic",
        "vich",
        "ovich",
        "evich",
        "ovna",
        "evna",
        "sky",
        "ski",
        "skiy",
        "son",
        "sen",
        "sson",
        "ian",
        "yan",
        "enko",
        "chuk",
        "zadeh",
        "pour",
        "oglu",
        "ogly",
        "ini",
        "elli",
        "etti",
        "ano",
        "ez",
        "es",
        "er",
        "ers",
        "man",
        "mann",
        "ov",
        "ev",
        "in",
    }
)
#: Endings that make a Slavic surname of a given name or of a shorter surname (Roman ->
#: Romanov, Sokolov -> Sokolovskiy): a token with one more is another name, not an abbreviation.
SLAVIC_SURNAME_ENDINGS = frozenset({"ov", "ev", "in", "ova", "eva", "ina", "sky", "ski", "skiy", "skii", "enko"})
#: A hyphen or dash between two letters ("MA-HAN"): the word may have been split to evade.
_IN_WORD_HYPHEN_RE = re.compile(r"(?<=\w)[-\u2010-\u2015](?=\w)")
#: Over-long words in a long name are cut into pieces of this many characters before windowing
#: (they are still screened: each piece is a token of some window).
WINDOW_WORD_CHARS = 36
#: The schema whose name forms stand for each kind of party.
KIND_SCHEMA = {"person": "Person", "entity": "Company"}


def kind_of(schema: str) -> str:
    """Persons and everything else: the two ways a name is put into forms (name_forms)."""
    return "person" if schema == "Person" else "entity"


def window_spans(n: int, size: int, step: int) -> list[tuple[int, int]]:
    """Overlapping [start, end) spans of ``size`` over ``n`` items every ``step``; the last span
    ends at ``n``, so the end of a long name is always inside a window."""
    if n <= size:
        return [(0, n)]
    spans = [(start, start + size) for start in range(0, n - size + 1, step)]
    if spans[-1][1] < n:
        spans.append((n - size, n))
    return spans


def name_windows(name: str, cfg: MatchConfig) -> list[str]:
    """The window texts of a name beyond the single-form limits (empty for an ordinary name).

    A listed name buried in a long text (a remittance line, a list of owners) must be found: the
    whole name is screened as one form and, beside it, every window of ``window_tokens`` words.
    """
    words = [word for word in name.split(" ") if word]  # a TAB inside a word is a break mark: kept
    if len(words) <= cfg.window_trigger_tokens and len(name) <= cfg.window_trigger_chars:
        return []
    pieces: list[str] = []
    for word in words:
        while len(word) > WINDOW_WORD_CHARS:
            pieces.append(word[:WINDOW_WORD_CHARS])
            word = word[WINDOW_WORD_CHARS:]
        if word:
            pieces.append(word)
    return [" ".join(pieces[a:b]) for a, b in window_spans(len(pieces), cfg.window_tokens, cfg.window_step)]


def token_windows(form: NameForm, cfg: MatchConfig) -> list[NameForm]:
    """Windows over the tokens of one over-long form (a long run of Han characters romanises to
    one token per syllable without any space to window at)."""
    if len(form.tokens) <= cfg.window_trigger_tokens:
        return []
    out = []
    for a, b in window_spans(len(form.tokens), cfg.window_tokens, cfg.window_step):
        tokens = form.tokens[a:b]
        out.append(NameForm(tokens, tuple(LEGAL if t.startswith("lf_") else CORE for t in tokens)))
    return out


def window_count(name: str, schema: str, cfg: MatchConfig) -> tuple[int, int]:
    """(words or tokens of the name, windows it is screened in); (n, 0) for an ordinary name."""
    windows = name_windows(name, cfg)
    if windows:
        return len([word for word in name.split(" ") if word]), len(windows)
    longest = max((len(f.tokens) for f in name_forms(name, schema)), default=0)
    if longest > cfg.window_trigger_tokens:
        return longest, len(window_spans(longest, cfg.window_tokens, cfg.window_step))
    return longest, 0


@dataclass
class QueryToken:
    text: str
    role: int
    weight: float
    neighbours: dict[int, tuple[float, str]]  # vocab token id -> (similarity, how)
    noise: bool = False  # a word that is never a name ("payment", "ref"): fetches no candidates
    person_weight: float = -1.0  # the weight in a person's name, when it differs (see _query_weight)

    def weight_for(self, person: bool) -> float:
        return self.person_weight if person and self.person_weight >= 0 else self.weight


@dataclass
class NameHit:
    entity: int
    form: int
    score: float
    query_name: str
    alignment: list[tuple[str, str, float, str]] = field(
        default_factory=list
    )  # (query, list, similarity, how)
    coverage_query: float = 0.0
    coverage_list: float = 0.0
    method: str = "tokens"
    #: the listed schema when it is not one the declared schema can describe (penalised later)
    schema_mismatch: str | None = None
    #: the query form that scored, and how it was derived from the name ("" for a plain form)
    query_form: str = ""
    derived: str = ""
    #: the query names only part of the listed name (a surname alone, two of four parts): scored
    #: by the rarity of the parts it shares (method "partial name"); never enough to block alone
    partial: bool = False
    #: titles, offices or honorifics the query name carried (dropped before matching)
    titles: tuple[str, ...] = ()


def allowed_edits(length: int) -> int:
    """Edits tolerated between two tokens, growing with length but never zero beyond 3 letters."""
    if length <= 3:
        return 0
    if length <= 5:
        return 1
    if length <= 9:
        return 2
    return 3


def _ending_apart(a: str, b: str) -> bool:
    """One token is the other plus a name ending (mikhail / mikhailov): two names, a given name
    and the surname or patronymic made from it."""
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer.startswith(shorter) and longer[len(shorter) :] in SLAVIC_SURNAME_ENDINGS


def token_similarity(a: str, b: str, cfg: MatchConfig) -> tuple[float, str]:
    """Similarity of two tokens and how it was found; 0.0 when they do not match at all.

    Exact 1.0; within the edit allowance for their length, 1 - edits / (length + 1.5); a query
    token of 4+ letters that begins a longer list token (an abbreviation), or a list token of 3+
    letters that begins a query token 3+ letters longer (the word extended: "air" ->
    "airlines", but not "ivan" -> "ivanova"); the same consonant
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
            and not _ending_apart(a, b)  # Mikhail is not Mikhailov
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
        and b[len(a) :] not in SLAVIC_SURNAME_ENDINGS  # nor Roman for Romanov (Iran for Iranian is)
    ):
        best, how = cfg.prefix_similarity, "abbreviation"
    if (
        len(b) >= 3
        and len(a) >= len(b) + 3
        and cfg.extension_similarity > best
        and a.startswith(b)
        and a[len(b) :] not in NAME_ENDINGS
        and not _PATRONYMIC_RE.search(a)
    ):
        best, how = cfg.extension_similarity, "extension"  # "air" -> "airlines"
    if best < cfg.variant_similarity and are_variants(a, b):
        best, how = cfg.variant_similarity, "known variant"
    if best < cfg.nickname_similarity and are_nicknames(a, b):
        best, how = cfg.nickname_similarity, "nickname"
    if best < cfg.skeleton_similarity and shortest >= 4 and spelling_key(a) == spelling_key(b):
        best, how = cfg.skeleton_similarity, "spelling variant"
    if best < cfg.min_token_similarity:
        return 0.0, ""
    return best, how


def short_token_similarity(a: str, b: str, cfg: MatchConfig) -> float:
    """One edit (incl. a transposition) between two different tokens of 3 or 4 letters (``Kmi`` /
    ``Kim``, ``Mohd`` / ``Mhod``), which :func:`token_similarity` does not forgive on 3 letters.
    Scored only beside other agreeing words (see :meth:`Matcher.score_form`). Two Korean or
    Chinese syllables one letter apart are two names (Jun / Jin), not a typo; the first letter
    must agree unless it is the one transposed."""
    if a == b or not (3 <= len(a) <= 4 and 3 <= len(b) <= 4) or not (a.isalpha() and b.isalpha()):
        return 0.0
    if is_cjk_syllable(a) and is_cjk_syllable(b):
        return 0.0
    if a[0] != b[0] and not (a[:2] == b[1::-1]):
        return 0.0
    if OSA.distance(a, b, score_cutoff=1) > 1:
        return 0.0
    return cfg.short_edit_similarity


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
        self._segment_cache: dict[str, tuple[str, ...] | None] = {}
        self._legal_cache: dict[str, tuple[tuple[str, ...] | None, tuple[str, bool] | None]] = {}
        self._wanted_cache: dict[tuple[str, str], np.ndarray] = {}

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
        for end in range(3, len(token) - 2):  # list tokens this one extends ("air" < "airlines")
            pid = index.vocab.get(token[:end])
            if pid is not None:
                candidates.add(pid)
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
        # A transliteration from a script that loses distinctions (Hangul, kana, Arabic, Hebrew
        # ...): list tokens with the same phonetic key. Ordinary Latin tokens have no query key.
        phonetics = index.phonetics
        for kind, key, reading in phonetic.query_keys(token):
            similarity = phonetic.SIMILARITY[kind]
            for cid in phonetics.get(f"{kind}:{key}", ()):
                if cid in found and found[cid][0] >= similarity:
                    continue
                if kind == "c" and not phonetic.consonants_agree(reading, tokens[cid]):
                    continue
                found[cid] = (similarity, phonetic.HOW)
        return found

    def query_tokens(self, form: NameForm) -> list[QueryToken]:
        out = []
        noise_words = self.cfg.noise_words
        for token, role in zip(form.tokens, form.roles):
            neighbours = self.cached_neighbours(token)
            noise = role != LEGAL and (token in noise_words or token.isdigit())
            weight = self._query_weight(token, role, neighbours)
            person_weight = self._query_weight(token, role, neighbours, person=True)
            out.append(
                QueryToken(
                    token, role, weight, neighbours, noise, -1.0 if person_weight == weight else person_weight
                )
            )
        if all(qt.noise or qt.role == LEGAL for qt in out):
            for qt in out:  # nothing but noise words: they are the name after all
                qt.noise = False
        return out

    # -- words run together --------------------------------------------------------------------
    _SEGMENT_CACHE_SIZE = 100_000

    def segment(self, token: str) -> tuple[str, ...] | None:
        """``token`` split into vocabulary tokens that stand side by side in a list name
        ("bankmelliiran" -> bank melli iran), or None.

        Only a token that is not itself in the vocabulary, of letters only, is split; every two
        neighbouring pieces must be adjacent words of some list name (the index's compound
        keys), so an ordinary unknown name ("ingeborg") is not cut into short vocabulary tokens.
        Dynamic programming over (piece start, piece end): fewest pieces first, ties to the
        split with the longest pieces (sum of squared lengths).

        A name written surname first and run together ("canocorreajhoneidelber", listed as
        "CANO CORREA, Jhon Eidelber" and indexed given names first) is split too: when the token
        read from one cut onwards and then from its start splits as above, the cut is the
        comma's place and is kept.
        """
        cache = self._segment_cache
        if token in cache:
            return cache[token]
        result = self._split(token)
        if (
            result is None
            and len(token) <= self.cfg.segment_max_chars
            and token.isalpha()
            and token not in self.index.vocab
        ):
            result = self._split_turned(token)
        if len(cache) >= self._SEGMENT_CACHE_SIZE:
            cache.clear()
        cache[token] = result
        return result

    def _split_turned(self, token: str) -> tuple[str, ...] | None:
        """The split of ``token`` written from a cut onwards and then from its start, in the
        token's own order: the cut must fall between two vocabulary tokens."""
        vocab, least = self.index.vocab, self.cfg.segment_min_piece
        for cut in range(2 * least, len(token) - 2 * least + 1):
            if not any(token[j:cut] in vocab for j in range(0, cut - least + 1)):
                continue
            if not any(token[cut:k] in vocab for k in range(cut + least, len(token) + 1)):
                continue
            pieces = self._split(token[cut:] + token[:cut])
            if pieces is None:
                continue
            lengths = [len(piece) for piece in pieces]
            ends = [sum(lengths[: i + 1]) for i in range(len(pieces))]
            if len(token) - cut in ends:
                at = ends.index(len(token) - cut) + 1
                return pieces[at:] + pieces[:at]
        return None

    def _split(self, token: str) -> tuple[str, ...] | None:
        cfg, vocab, compounds = self.cfg, self.index.vocab, self.index.compounds
        n, least = len(token), cfg.segment_min_piece
        result = None
        if 2 * least <= n <= cfg.segment_max_chars and token.isalpha() and token not in vocab:
            # best[(start, end)]: (pieces, -sum of squares) covering token[:end], last piece [start:end]
            best: dict[tuple[int, int], tuple[int, int]] = {}
            back: dict[tuple[int, int], int] = {}
            # A piece is a vocabulary token, or an abbreviation the lists are indexed spelled
            # out ("petrochem" -> petrochemical): compared, and returned, in that spelling.
            def word(start: int, end: int) -> str:
                piece = token[start:end]
                return piece if piece in vocab else ABBREVIATIONS.get(piece, piece)

            for end in range(least, n + 1):
                for start in range(0, end - least + 1):
                    if word(start, end) not in vocab:
                        continue
                    size = (end - start) ** 2
                    if start == 0:
                        if end < n:  # the whole token as one piece is no split
                            best[(0, end)] = (1, -size)
                        continue
                    for before in range(0, start - least + 1):
                        here = best.get((before, start))
                        if here is None or word(before, start) + word(start, end) not in compounds:
                            continue
                        option = (here[0] + 1, here[1] - size)
                        if (start, end) not in best or option < best[(start, end)]:
                            best[(start, end)], back[(start, end)] = option, before
            finals = [(value, start) for (start, end), value in best.items() if end == n and start > 0]
            if finals:
                (pieces_count, _), start = min(finals)
                if pieces_count <= cfg.segment_max_pieces:
                    pieces, end = [], n
                    while True:
                        pieces.append(word(start, end))
                        if start == 0:
                            break
                        start, end = back[(start, end)], start
                    result = tuple(reversed(pieces))
        return result

    def _before_legal_form(
        self, token: str
    ) -> tuple[tuple[str, ...] | None, tuple[str, bool] | None]:
        """("gomez", "marin"), ("lf_ltd", False) for "gomezmarinltda": a name run into its
        legal form (True: the form comes first, "jscrostec").
        A two- or three-letter form that also ends ordinary words ("co": Mexico) counts only
        when the rest splits into two list words or more."""
        cache = self._legal_cache
        if token not in cache:
            if len(cache) >= self._SEGMENT_CACHE_SIZE:
                cache.clear()
            cache[token] = self._find_legal_form(token)
        return cache[token]

    def _find_legal_form(self, token: str) -> tuple[tuple[str, ...] | None, tuple[str, bool] | None]:
        for short in (False, True):
            legal = legal_suffix(token, short=short)
            if legal is None:
                continue
            stem, tag, first = legal
            pieces = (stem,) if stem in self.index.vocab and not short else self.segment(stem)
            if pieces:
                return pieces, (tag, first)
        return None, None

    def segmented(self, form: NameForm) -> NameForm | None:
        """The form with every run-together token split (None when no token splits)."""
        tokens: list[str] = []
        roles: list[int] = []
        changed = False
        for token, role in zip(form.tokens, form.roles):
            pieces = self.segment(token) if role != LEGAL else None
            legal = None
            if not pieces and role != LEGAL and token not in self.index.vocab:
                pieces, legal = self._before_legal_form(token)
            if pieces:
                if legal is not None and legal[1]:
                    tokens.append(legal[0])
                    roles.append(LEGAL)
                tokens.extend(pieces)
                roles.extend([role] * len(pieces))
                if legal is not None and not legal[1]:
                    tokens.append(legal[0])
                    roles.append(LEGAL)
                changed = True
            else:
                tokens.append(token)
                roles.append(role)
        return NameForm(tuple(tokens), tuple(roles)) if changed else None

    # -- the forms a query name is screened in --------------------------------------------------
    def query_variants(self, name: str, schema: str) -> list[tuple[str, NameForm, str]]:
        """(kind, form, how derived) for every form one query name is screened in.

        The declared schema's forms come first; a declared Person is also put in the forms of an
        organisation (no comma reordering, legal forms tagged) and anything else in a person's
        forms, because a declared type never removes a candidate: each list entry is scored with
        the forms of its own kind. Beside the plain forms: the name with hyphens inside words
        removed, its windows when it is long, and every form with run-together words split.
        """
        cfg = self.cfg
        kinds = [(kind_of(schema), schema)]
        if schema != "LegalEntity":
            other = "entity" if kinds[0][0] == "person" else "person"
            kinds.append((other, KIND_SCHEMA[other]))
        texts: list[tuple[str, str]] = []
        bases = [(name, "")]
        joined = _IN_WORD_HYPHEN_RE.sub("", name)
        if joined != name:
            bases.append((joined, "hyphens inside words removed"))
        windowed = False
        for base, how in bases:
            texts.append((base, how))
            windows = name_windows(base, cfg)
            windowed = windowed or bool(windows)
            for number, text in enumerate(windows, start=1):
                label = f"window {number} of {len(windows)}"
                texts.append((text, f"{how}; {label}" if how else label))
        out: list[tuple[str, NameForm, str]] = []
        for kind, kind_schema in kinds:
            for text, how in texts:
                for form in name_forms(text, kind_schema):
                    found = [(form, how)]
                    if not windowed:
                        windows = token_windows(form, cfg)
                        found += [
                            (w, f"token window {n} of {len(windows)}") for n, w in enumerate(windows, start=1)
                        ]
                    for item, item_how in found:
                        out.append((kind, item, item_how))
                        split = self.segmented(item)
                        if split is not None:
                            label = "run-together words split"
                            out.append((kind, split, f"{item_how}; {label}" if item_how else label))
        return out

    # -- candidates --------------------------------------------------------------------------
    def candidates(
        self, qtokens: list[QueryToken], joined_keys: list[str], pair_keys: list[str] = (), only=None
    ) -> list[int]:
        """The forms worth scoring: those sharing the most query weight relative to their own.

        Each query token counts once per form (its best neighbour in that form), so a form does
        not rise by matching several spellings of one query token. Very common tokens only add
        to forms found otherwise, or, when nothing else is found, are intersected. Noise words
        fetch nothing. Two adjacent query tokens that together are a list token ("ma han" ->
        "mahan") fetch that token's forms. ``only`` (a boolean per form) keeps the ranking to
        the forms that can be scored with this query form (see :meth:`_wanted_forms`).
        """
        index = self.index
        per_token: list[tuple[list[np.ndarray], list[float]]] = []
        common: list[tuple[np.ndarray, float]] = []
        for qt in qtokens:
            if qt.role == LEGAL or len(qt.text) == 1 or qt.noise:
                continue
            ids_list: list[np.ndarray] = []
            values: list[float] = []
            for tid, (sim, how) in qt.neighbours.items():
                if how == "extension":
                    continue  # scores, never fetches: "airlines" would fetch every "air..." word
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
        for key in pair_keys:
            tid = index.vocab.get(key)
            if tid is not None and index.postings_count(tid) <= self.common_df:
                per_token.append(([index.postings(tid)], [index.weights[tid]]))
        initials = [qt.text for qt in qtokens if len(qt.text) == 1 and "a" <= qt.text <= "z"]
        keep = self.cfg.candidates * (2 if initials else 1)
        if only is not None:
            keep //= 2  # entries of another schema count only when strong: fewer candidates do
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
            if only is not None:
                base = base[only[base]]
            return base[: self.cfg.candidates * 4].tolist()
        mask = 0
        for letter in initials:
            mask |= 1 << (ord(letter) - 97)
        return self._rank(per_token, common, mask, keep, only)

    def _wanted_forms(self, schema: str, kind: str) -> np.ndarray:
        """Per form: is its entry of ``kind`` and of a schema ``schema`` cannot describe (the
        entries a query form of the other kind is there to score)."""
        key = (schema, kind)
        found = self._wanted_cache.get(key)
        if found is None:
            compatible = COMPATIBLE_SCHEMATA.get(schema, COMPATIBLE_SCHEMATA["LegalEntity"])
            per_entity = np.asarray(
                [kind_of(e.schema) == kind and e.schema not in compatible for e in self.index.entities],
                dtype=bool,
            )
            found = self._wanted_cache[key] = per_entity[
                np.asarray(self.index.form_entity_ids, dtype=np.int64)
            ]
        return found

    def _rank(self, per_token, common, mask: int, keep: int, only=None) -> list[int]:
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
        if only is not None:
            wanted = only[unique]
            unique, scores = unique[wanted], scores[wanted]
            if not len(unique):
                return []
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
    def score_form(
        self,
        qtokens: list[QueryToken],
        query_joined: str,
        form_idx: int,
        hits=None,
        qlists=None,
        person=False,
        span=False,
        office=False,
    ):
        """Score one candidate list form against the query (tokens already resolved).

        ``hits`` maps a vocabulary token id to the query tokens it is near: built once per query
        form by :meth:`token_hits`, it makes pairing O(list tokens) instead of O(query x list).
        For a listed person (``person``) a longer query token is no extension of a list token:
        "Jin" -> "Jinping", "zhi" -> "zhiqiang" are other names. ``span``: the query is a window of
        a long text, judged on the stretch the list name covers (see :meth:`align`). ``office``:
        the query name carried an office or rank title (see :meth:`_partial_score`).
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
                    if person and how == "extension":
                        continue
                    pairs.append((sim, i, j, how))
        qtexts, qweights, qroles, has_initials = qlists or self.query_lists(qtokens)
        if has_initials or index.form_has_initial[form_idx]:
            self._initial_pairs(qtexts, ftexts, froles, pairs)
        if pairs and not span:
            self._short_pairs(qtexts, qroles, ftexts, froles, pairs)
        return self.align(
            qtexts,
            qweights,
            qroles,
            query_joined,
            ftexts,
            index.form_weights[form_idx],
            froles,
            index.form_joined[form_idx],
            pairs,
            span,  # a window of a long text
            person,
            office,
        )

    def _short_pairs(self, qtexts, qroles, ftexts, froles, pairs) -> None:
        """Pairs of 3-4 letter tokens one edit apart (:func:`short_token_similarity`), only when
        the rest of the name agrees: another query word already pairs closely with another list
        word. The neighbour lookup does not fetch them (a 3-letter word has too many neighbours);
        the candidate came through the other words."""
        cfg = self.cfg
        short_q = [i for i, q in enumerate(qtexts) if 3 <= len(q) <= 4 and qroles[i] != LEGAL]
        if not short_q:
            return
        paired = {(i, j) for _, i, j, _ in pairs}
        strong = [(i, j) for sim, i, j, _ in pairs if sim >= 0.9]
        added = []
        for j, ftext in enumerate(ftexts):
            if froles[j] == LEGAL or not 3 <= len(ftext) <= 4:
                continue
            for i in short_q:
                if (i, j) in paired or not any(si != i and sj != j for si, sj in strong):
                    continue
                sim = short_token_similarity(qtexts[i], ftext, cfg)
                if sim > 0:
                    added.append((sim, i, j, "1 edit (short word)"))
        pairs.extend(added)

    def _may_reach(self, best_sim, query_joined: str, has_initials: bool, form_idx: int, need: float) -> bool:
        """Can this list form score ``need`` or more? An upper bound of its list coverage (the
        score never exceeds it), cheap beside a full alignment: every list token near a query
        token counts as matched at its best similarity, a token written inside the query's
        joined letters as matched in full, a missing middle name at its smallest cost. Forms
        with initials or within reach of the whole-name comparison are always scored."""
        index, cfg = self.index, self.cfg
        if has_initials or index.form_has_initial[form_idx]:
            return True
        form_joined = index.form_joined[form_idx]
        if (
            abs(len(query_joined) - len(form_joined)) <= 3
            and fuzz_ratio(query_joined, form_joined, score_cutoff=100 * cfg.joined_min_ratio) > 0
        ):
            return True
        shares = (1.0, cfg.unmatched_middle_share, cfg.unmatched_legal_share, cfg.unmatched_second_surname_share)
        matched = total = evidence = 0.0
        for tid, text, weight, role in zip(
            index.form_tokens[form_idx],
            index.form_texts[form_idx],
            index.form_weights[form_idx],
            index.form_roles[form_idx],
        ):
            if len(text) >= 2 and text in query_joined:  # it may pair in full through a joined word
                matched += weight
                total += weight
                if role != LEGAL:
                    evidence += weight * part_factor(text)
            elif sim := best_sim.get(tid):
                matched += sim * weight
                total += weight
                if sim >= 0.8 and role != LEGAL:
                    evidence += sim * weight * part_factor(text)
            else:
                total += weight * shares[role]
        if total > 0 and matched / total >= need:
            return True
        # a partial name (see _partial_score) may score above its list coverage
        return (
            cfg.partial_ceiling >= need
            and evidence >= cfg.partial_min_evidence * index.max_weight
            and index.entities[index.form_entity_ids[form_idx]].schema == "Person"
        )

    @staticmethod
    def query_lists(qtokens: list[QueryToken]):
        texts = [qt.text for qt in qtokens]
        return (
            texts,
            [qt.weight for qt in qtokens],
            [qt.role for qt in qtokens],
            any(len(t) == 1 for t in texts),
        )

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

    def align(
        self,
        qtexts,
        qweights,
        qroles,
        query_joined,
        ftexts,
        fweights,
        froles,
        form_joined,
        pairs,
        window=False,
        person=False,
        office=False,
    ):
        """Align query tokens to list tokens one-to-one, best similarity first, and score.

        ``pairs`` holds every (similarity, query index, list index, how) worth considering.
        ``person``: the list name is a person's, where a query that names only part of it
        (a surname alone, two of four parts) is scored as a partial name (:meth:`_partial_score`);
        ``office``: the query carried an office or rank title (President, General, elnok).
        Returns (score, alignment, query coverage, list coverage, method).
        """
        cfg = self.cfg
        pairs.sort(reverse=True)
        used_q: set[int] = set()
        used_f: set[int] = set()
        matched_q = matched_f = 0.0
        alignment = []
        matched_pairs: list[tuple[float, int]] = []  # (similarity, list index) of each aligned pair
        for sim, i, j, how in pairs:
            if i in used_q or j in used_f:
                continue
            used_q.add(i)
            used_f.add(j)
            matched_q += sim * qweights[i]
            matched_f += sim * fweights[j]
            matched_pairs.append((sim, j))
            alignment.append((qtexts[i], ftexts[j], sim, how))
        nq, nf = len(qtexts), len(ftexts)
        # joined/split words: one token on one side equal to two or three adjacent tokens on the
        # other ("binladen" = bin laden, "integritytechnologygroup" = integrity technology group)
        if len(used_q) < nq and len(used_f) < nf - 1:
            for i, qtext in enumerate(qtexts):
                if i in used_q or len(qtext) < 5:
                    continue
                span = _joined_span(qtext, ftexts, used_f)
                if span:
                    matched_pairs.extend((1.0, j) for j in span)
                    used_q.add(i)
                    used_f.update(span)
                    matched_q += qweights[i]
                    matched_f += sum(fweights[j] for j in span)
                    alignment.append((qtext, " ".join(ftexts[j] for j in span), 1.0, "joined"))
        if len(used_f) < nf and len(used_q) < nq - 1:
            for j, ftext in enumerate(ftexts):
                if j in used_f or len(ftext) < 5:
                    continue
                span = _joined_span(ftext, qtexts, used_q)
                if span:
                    matched_pairs.append((1.0, j))
                    used_f.add(j)
                    used_q.update(span)
                    matched_q += sum(qweights[i] for i in span)
                    matched_f += fweights[j]
                    alignment.append((" ".join(qtexts[i] for i in span), ftext, 1.0, "joined"))
        # An organisation's business word cut short, as a 35-character field cuts it ("GR" for
        # GROUP, "TECHN" for TECHNOLOGY): a short query word that begins an unmatched business
        # word of the listed name (text/data/sector_words.txt) is that word abbreviated.
        if not person and not window and len(used_q) < nq and len(used_f) < nf:
            words = sector_words()
            for i, qtext in enumerate(qtexts):
                if i in used_q or qroles[i] == LEGAL or not 2 <= len(qtext) <= 5 or not qtext.isalpha():
                    continue
                for j, ftext in enumerate(ftexts):
                    if j in used_f or ftext not in words or len(ftext) <= len(qtext) or not ftext.startswith(qtext):
                        continue
                    sim = cfg.prefix_similarity
                    used_q.add(i)
                    used_f.add(j)
                    matched_q += sim * qweights[i]
                    matched_f += sim * fweights[j]
                    matched_pairs.append((sim, j))
                    alignment.append((qtext, ftext, sim, "business word abbreviated"))
                    break
        # A middle name missing on one side is an omission and costs little; different middle
        # names on both sides (Ivanovich vs Viktorovich) are a contradiction and cost in full.
        left_q = len(used_q) < nq and any(i not in used_q and qroles[i] != LEGAL for i in range(nq))
        left_f = len(used_f) < nf and any(j not in used_f and froles[j] != LEGAL for j in range(nf))
        both_left = left_q and left_f
        shares = (
            1.0,
            1.0 if both_left else cfg.unmatched_middle_share,
            cfg.unmatched_legal_share,
            1.0 if both_left else cfg.unmatched_second_surname_share,
        )
        total_q = 0.0
        # In a window of a long text (``window``) only the stretch from the first to the last
        # matched query token counts: the words around a name buried in a remittance line are
        # not part of it, the words inside its stretch are. It takes two exactly matched words to
        # cut a stretch (any word of a long text may be some list's one-word name, any two near
        # words a near name): otherwise the whole window counts.
        stretch = window and sum(1 for a in alignment if a[2] == 1.0) >= 2
        lo, hi = (min(used_q), max(used_q) + 1) if stretch and used_q else (0, nq)
        for i in range(lo, hi):
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
        if not person and not window and len(used_q) < nq:
            extended = self._extended_score(
                qtexts, qweights, qroles, used_q, matched_q, cov_f, froles, used_f, matched_f
            )
            if extended > score:
                score, method = extended, "listed name extended"
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
        if person and not window and cov_q >= cfg.partial_min_query_coverage and len(used_f) < nf:
            partial = self._partial_score(cov_q, cov_f, ftexts, fweights, froles, matched_pairs, office)
            if partial > score:
                score, method = partial, "partial name"
        if (
            person
            and not office
            and not window
            and score > cfg.east_asian_unmatched_cap
            and _east_asian_part_unmatched(qtexts, qroles, ftexts, froles, used_q, used_f, alignment)
        ):
            score, method = cfg.east_asian_unmatched_cap, "East Asian name with a syllable unmatched"
        return min(score, 1.0), alignment, cov_q, cov_f, method

    def _extended_score(self, qtexts, qweights, qroles, used_q, matched_q, cov_f, froles, used_f, matched_f):
        """The score of a company name that is a listed organisation's whole name extended by
        words of a line of business or a branch (``<listed group> Telecommunications LLC``):
        those query words cost ``subsidiary_word_share`` of their weight, so the listed group
        whose name the query extends ranks above a shorter look-alike that shares fewer of its
        words. 0.0 unless every list word is matched, the matched list words carry at least
        ``subsidiary_min_evidence`` x the rarest weight (a listed name of common words extended
        by "Trading" is anyone's company) and some unmatched query word is such a word. Scaled by
        ``subsidiary_ceiling`` (order kept): an unlisted subsidiary by its name alone is for review."""
        cfg = self.cfg
        if matched_f < cfg.subsidiary_min_evidence * self.index.max_weight:
            return 0.0
        if any(j not in used_f and froles[j] != LEGAL for j in range(len(froles))):
            return 0.0
        words = sector_words()
        total, cut = 0.0, False
        for i, weight in enumerate(qweights):
            if i in used_q:
                total += weight
            elif qroles[i] == LEGAL:
                total += weight * cfg.unmatched_legal_share
            elif qtexts[i] in words:
                total += weight * cfg.subsidiary_word_share
                cut = True
            else:
                total += weight
        if not cut or total <= 0:
            return 0.0
        cov_q = min(1.0, matched_q / total)
        return cfg.subsidiary_ceiling * (cov_q**cfg.query_exponent) * (cov_f**cfg.list_exponent)

    def _partial_score(self, cov_q, cov_f, ftexts, fweights, froles, matched_pairs, office=False) -> float:
        """The score of a query that names only part of a listed person's name, all of its own
        words matched (``President Lukashenko``; ``SURNAME1 Given2`` of ``SURNAME1 SURNAME2,
        Given1 Given2``); 0.0 when the shared parts do not carry enough information.

        Information: the rarity weights of the matched list words, each at its similarity, a
        common given name or surname and a single Korean or Chinese syllable at a fraction
        (:func:`proscribe.text.name_parts.part_factor`). One word alone counts only with an office
        or rank title (``office``: President Lukashenko names one person, a bare "Garza" or
        "Mr Garza" anyone of that name); two or more words must each carry ``partial_min_part``.
        Michael or Garcia or Jong never count for much. Enough information reaches review: from
        ``partial_floor`` to ``partial_ceiling`` by the share of the listed name covered, below
        block."""
        cfg = self.cfg
        top = self.index.max_weight
        parts = [
            sim * fweights[j] * part_factor(ftexts[j])
            for sim, j in matched_pairs
            if sim >= 0.8 and froles[j] != LEGAL
        ]
        if not parts or sum(parts) < cfg.partial_min_evidence * top:
            return 0.0
        if len(parts) == 1 and not office:
            return 0.0
        if len(parts) > 1 and min(parts) < cfg.partial_min_part * top:
            return 0.0
        covered = cfg.partial_floor + (cfg.partial_ceiling - cfg.partial_floor) * cov_f
        return covered * cov_q**cfg.query_exponent

    def compare(self, query_name: str, list_name: str, schema: str = "LegalEntity") -> float:
        """Score one pair of names directly (no candidate search), with this index's token
        rarities: used to evaluate the scorer on labelled pairs and to resolve ownership parties."""
        cfg = self.cfg
        best = 0.0
        for qform in name_forms(query_name, schema):
            if all(r == LEGAL for r in qform.roles):
                continue
            qweights = [
                self._query_weight(t, r, person=schema == "Person") for t, r in zip(qform.tokens, qform.roles)
            ]
            qjoined = "".join(t for t, r in zip(qform.tokens, qform.roles) if r != LEGAL)
            for fform in name_forms(list_name, schema):
                ftexts = list(fform.tokens)
                fweights = [self.index.weight_of(t) for t in ftexts]
                fjoined = "".join(t for t, r in zip(ftexts, fform.roles) if r != LEGAL)

                pairs = []
                for i, qtext in enumerate(qform.tokens):
                    for j, ftext in enumerate(ftexts):
                        sim, how = token_similarity(qtext, ftext, cfg)
                        if sim > 0 and not (schema == "Person" and how == "extension"):
                            pairs.append((sim, i, j, how))
                self._initial_pairs(list(qform.tokens), ftexts, fform.roles, pairs)
                score = self.align(
                    list(qform.tokens),
                    qweights,
                    list(qform.roles),
                    qjoined,
                    ftexts,
                    fweights,
                    list(fform.roles),
                    fjoined,
                    pairs,
                    False,
                    schema == "Person",
                    has_office_title(query_name),
                )[0]
                best = max(best, score)
        return best

    def _query_weight(
        self, token: str, role: int, neighbours: dict | None = None, person: bool = False
    ) -> float:
        """A query token weighs what the same list token weighs; an unknown token is as rare as
        the rarest, unless it is a near spelling of a known token, whose rarity it then shares.

        Two exceptions keep one stray token from hiding a strong match: a noise word (never a
        name: "payment", "ref") or a number weighs ``noise_weight``; a short unknown token with
        no near neighbour (junk such as "QX") weighs ``unknown_short_weight``; in a person's
        name only when it has no vowel (a short syllable such as "do" or "an" is a name there),
        and a noise word only when longer than two letters.
        """
        cfg = self.cfg
        if role == LEGAL or token in self.index.vocab:
            weight = self.index.weight_of(token)
        else:
            if neighbours is None:
                neighbours = self.neighbours(token)
            near = [
                self.index.weights[t] for t, (s, how) in neighbours.items() if s >= 0.8 and how != "extension"
            ]
            if near:
                weight = max(near)
            elif len(token) <= cfg.unknown_short_chars and not (person and _has_vowel(token)):
                weight = cfg.unknown_short_weight
            else:
                weight = self.index.max_weight
        if role != LEGAL and (
            token.isdigit() or (token in cfg.noise_words and not (person and len(token) <= 2))
        ):
            weight = min(weight, cfg.noise_weight)  # in a person's name "to" may be a syllable (Korean To)
        return min(weight, 1.0) if len(token) == 1 else weight

    # -- names -> entity hits ----------------------------------------------------------------
    def match_names(
        self, names: list[str], schema: str, allowed_entities=None, min_score: float = 0.0, keep=frozenset()
    ) -> dict[int, NameHit]:
        """Best name hit per entity over all query names and their forms.

        A list form whose score cannot reach ``min_score`` (an upper bound says so, see
        :meth:`_may_reach`) is not scored, unless its entity is in ``keep``.

        No list entry is left out for its schema: an entry of a schema the declared one can
        describe is scored with the declared forms; any other entry with the forms of its own
        kind, its hit marked ``schema_mismatch`` (the screening step penalises it).
        """
        compatible = COMPATIBLE_SCHEMATA.get(schema, COMPATIBLE_SCHEMATA["LegalEntity"])
        declared = kind_of(schema)
        best: dict[int, NameHit] = {}
        for name in names:
            # forms with the same tokens share their candidates (they differ in roles only)
            groups: dict[tuple[str, ...], dict[str, tuple[NameForm, str]]] = {}
            for kind, form, how in self.query_variants(name, schema):
                groups.setdefault(form.tokens, {}).setdefault(kind, (form, how))
            # Candidates do not depend on word order: a form of the other kind that differs only
            # in order (a person's comma form) reuses the declared form's candidates; any other
            # form of the other kind ranks only the entries it is there to score.
            by_bag: dict[tuple[str, ...], list[int]] = {}
            for tokens, by_kind in groups.items():
                bag = tuple(sorted(tokens))
                reuse = by_bag.get(bag)
                only = None
                if reuse is None and declared not in by_kind:
                    only = self._wanted_forms(schema, next(iter(by_kind)))
                found = self._match_group(
                    name, by_kind, declared, compatible, allowed_entities, best, reuse, only, min_score, keep
                )
                if declared in by_kind:
                    by_bag.setdefault(bag, found)
        return best

    def _match_group(
        self,
        name,
        by_kind,
        declared,
        compatible,
        allowed_entities,
        best,
        found=None,
        only=None,
        min_score=0.0,
        keep=frozenset(),
    ) -> list[int]:
        """Score the candidates of one query token sequence (its forms of each kind); returns the
        candidate forms, for reuse."""
        index, cfg = self.index, self.cfg
        first = next(iter(by_kind.values()))[0]
        qtokens = self.query_tokens(first)
        if not qtokens or all(qt.role == LEGAL for qt in qtokens):
            return []
        core = [qt for qt in qtokens if qt.role != LEGAL]
        query_joined = "".join(qt.text for qt in core)
        pair_keys = [a.text + b.text for a, b in zip(core, core[1:])]
        joined_keys = pair_keys + [qt.text for qt in core if len(qt.text) >= 4]
        hits = self.token_hits(qtokens)
        office = has_office_title(name)
        best_sim = {tid: max(item[0] for item in found) for tid, found in hits.items()}
        texts, _, _, has_initials = self.query_lists(qtokens)
        qlists = {
            kind: (texts, [qt.weight_for(kind == "person") for qt in qtokens], list(form.roles), has_initials)
            for kind, (form, _) in by_kind.items()
        }
        form_entity = index.form_entity_ids
        if found is None:
            found = self.candidates(qtokens, joined_keys, pair_keys, only)
        # An entry of another schema counts only from this raw name score on (see screen._result).
        mismatch_need = max(
            min_score,
            min(
                cfg.block,
                cfg.review
                + cfg.schema_mismatch_penalty
                - cfg.birth_date_exact_bonus
                - cfg.country_match_bonus
                - cfg.weak_bonus,
            ),
        )
        for form_idx in found:
            entity_idx = form_entity[form_idx]
            record = index.entities[entity_idx]
            if allowed_entities is not None and not allowed_entities(record):
                continue
            if record.schema in compatible:
                kind, mismatch = declared, None
            else:
                kind, mismatch = kind_of(record.schema), record.schema
            entry = by_kind.get(kind)
            if entry is None:
                continue  # scored through the forms of its own kind, in their own group
            need = mismatch_need if mismatch else min_score
            if (
                need > 0
                and entity_idx not in keep
                and not self._may_reach(best_sim, query_joined, has_initials, form_idx, need)
            ):
                continue
            score, alignment, cov_q, cov_f, method = self.score_form(
                qtokens,
                query_joined,
                form_idx,
                hits,
                qlists[kind],
                record.schema == "Person",
                "window" in entry[1],
                office,
            )
            form_kind = index.form_kinds[form_idx]
            if form_kind == KIND_WEAK:
                score *= cfg.weak_alias_factor
            elif form_kind == KIND_PREVIOUS:
                score *= cfg.previous_name_factor
            current = best.get(entity_idx)
            if current is None or score > current.score:
                best[entity_idx] = NameHit(
                    entity_idx,
                    form_idx,
                    score,
                    name,
                    alignment,
                    cov_q,
                    cov_f,
                    method,
                    schema_mismatch=mismatch,
                    query_form=entry[0].text,
                    derived=entry[1],
                    partial=method == "partial name",
                    titles=titles_in(name),
                )
        return found


@lru_cache(maxsize=200_000)
def _east_asian_name(tokens: tuple[str, ...], broad: bool = False) -> bool:
    """``tokens`` read as a romanised Chinese or Korean person's name: two or more tokens, one
    a known East Asian surname, every other a surname or one to three given-name syllables of
    the common-names table. ``broad`` (for list names, written in every romanisation) also
    takes a token that parses as Korean or pinyin syllables (``byongchol``, ``myongkuk``)."""
    if len(tokens) < 2:
        return False
    surnames = common_names().east_asian_surnames
    if not any(t in surnames for t in tokens):
        return False
    return all(t in surnames or _given_syllables(t, broad) for t in tokens)


def _given_syllables(token: str, broad: bool) -> bool:
    """``token`` reads as the syllables of a Chinese or Korean given name: one syllable of the
    table, or two or three that are no given name of the nickname tables (Maria and Jose cut
    into table syllables are not Korean names)."""
    pieces = syllables_of(token)
    if pieces is not None and (len(pieces) == 1 or not is_tabled_given_name(token)):
        return True
    return broad and phonetic.native_syllables(token)


#: How a token pair counts as matched when only part of a syllable run was matched.
_PART_OF_TOKEN = frozenset({"abbreviation", "extension"})


def _east_asian_part_unmatched(qtexts, qroles, ftexts, froles, used_q, used_f, alignment) -> bool:
    """Both names East Asian, and a syllable on either side unmatched (or matched only as the
    start of a longer one): the two are different people's names (see ``matching.toml``)."""
    qnames = tuple(t for t, r in zip(qtexts, qroles) if r != LEGAL)
    fnames = tuple(t for t, r in zip(ftexts, froles) if r != LEGAL)
    if not (_east_asian_name(fnames, broad=True) and _east_asian_name(qnames)):
        return False
    if any(i not in used_q and qroles[i] != LEGAL for i in range(len(qtexts))):
        return True
    if any(j not in used_f and froles[j] != LEGAL for j in range(len(ftexts))):
        return True
    return any(
        how in _PART_OF_TOKEN or (_loose(how) and _syllabic(q) and _syllabic(f) and not _same_syllables(q, f))
        for q, f, _, how in alignment
    )


def _syllabic(token: str) -> bool:
    """``token`` reads as Chinese or Korean syllables. A typo seldom leaves a valid syllable
    (myonv, yongah): a near match to such a token is a typo, not another syllable."""
    return phonetic.native_syllables(token)


def _loose(how: str) -> bool:
    """A token pair matched by a typo allowance or a consonant skeleton (not exactly, not as a
    known romanisation variant): between Chinese or Korean syllables it may be another one."""
    return how == "sounds alike" or how.endswith((" edit", " edits"))


#: Romanisations of one Korean or Chinese syllable that differ only in how a sound is written
#: (Revised against McCune-Reischauer, Wade-Giles against pinyin): folded to one spelling.
_SYLLABLE_FOLDS = (("'", ""), ("-", ""), ("eo", "o"), ("eu", "u"), ("ch", "j"), ("sh", "s"),
                   ("p", "b"), ("k", "g"), ("t", "d"), ("r", "l"))
_VOWELS = frozenset("aeiouwy")


def _swapped(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one swap of neighbouring letters."""
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _syllable_key(token: str) -> str:
    for old, new in _SYLLABLE_FOLDS:
        token = token.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", token)  # a doubled letter is a typo or a long vowel: one


def _same_syllables(a: str, b: str) -> bool:
    """Two spellings of the same romanised syllables: equal once the romanisation differences
    are folded (yeong / yong, cheol / chol, soo / so), or apart by one swap of neighbouring
    letters (luo / lou) or one vowel (ryoung / ryong). A different vowel or consonant (guiying /
    guoying, bang / byong, jian / jiang) makes another syllable, and so another name."""
    if _swapped(a, b):
        return True
    a, b = _syllable_key(a), _syllable_key(b)
    if a == b or _swapped(a, b):
        return True
    if abs(len(a) - len(b)) != 1:
        return False
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return any(
        longer[i] in _VOWELS and longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer))
    )


def _has_vowel(token: str) -> bool:
    return any(ch in "aeiouy" for ch in token)


def _joined_span(text: str, others: list[str], used: set[int]) -> tuple[int, ...] | None:
    """Adjacent unused tokens of ``others`` (two or three) that written together are ``text``."""
    for j in range(len(others) - 1):
        if j in used or not text.startswith(others[j]):
            continue
        joined, span = others[j], [j]
        for k in range(j + 1, min(j + 3, len(others))):
            if k in used:
                break
            joined += others[k]
            span.append(k)
            if joined == text:
                return tuple(span)
            if not text.startswith(joined):
                break
    return None


def kind_label(index: CompiledIndex, form_idx: int) -> str:
    return KIND_LABEL[int(index.form_kind[form_idx])]


__all__ = [
    "Matcher",
    "NameHit",
    "token_similarity",
    "short_token_similarity",
    "allowed_edits",
    "kind_label",
    "kind_of",
    "name_windows",
    "window_count",
    "CORE",
]
