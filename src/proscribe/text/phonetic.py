"""Script-neutral phonetic keys: the distinctions other scripts lose, collapsed on both sides.

A name written in another script reaches the matcher as a transliteration that no Latin spelling
shares letter for letter: ``라브로프`` reads ``rabeuropeu``, ``ラブロフ`` ``raburofu``, ``لافروف``
``lafrwf``, ``לברוב`` ``lbrwb`` -- all of them ``Lavrov``. What differs is what each script
cannot write: Arabic has no p, v, e or o; Hebrew and Arabic leave most vowels out; Hangul and
kana have no l/r contrast and put a vowel after every consonant of a cluster (``beu``, ``bu``,
``to``); Hangul writes z as j, f as p, v as b; kana writes ti as chi. Two keys capture that:

* :func:`vowel_key` for *syllabic* renderings (Hangul, kana, Han transcriptions): every letter
  mapped to a sound class -- ``P`` b p v f w, ``T`` t d, ``K`` k g q c gh, ``S`` s z j sh ch zh
  ts, ``H`` h kh, ``R`` l r, ``M``, ``N``; vowels kept in four classes (``A`` a, ``E`` e ae,
  ``I`` i y, ``O`` o u eo) -- with runs collapsed. Vowels stay in the key because these scripts
  keep them; that is what keeps it precise.
* :func:`consonant_key` for *consonantal* renderings (Arabic, Persian, Hebrew, Indic forms with
  the inherent vowel dropped): the consonants only, in finer classes (``t`` and ``d``, ``s`` and
  ``z``, ``l`` and ``r`` stay apart, since those scripts keep them), b/p/v/f one class, w and y
  read as vowels except at the start, an initial vowel kept as ``a``.

Every list token gets both keys when the index is built. A query token gets the keys of the
scripts that *could have produced it*: :func:`query_keys` parses the token as Hangul
romanisation or as kana/transcription syllables (``rabeuropeu`` = ``ra-beu-ro-peu``) and then
removes the vowels those scripts insert (``eu``; ``u`` and ``o`` after a consonant), and tests
whether it is consonantal (hardly any vowels). An ordinary Latin token that is neither (``lopez``,
``robert``) gets no key, so Latin names do not start matching each other through the coarse
classes; the exact, edit and skeleton neighbours serve them as before.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "HOW",
    "SIMILARITY",
    "MIN_CONSONANT_KEY",
    "MIN_VOWEL_KEY",
    "consonant_key",
    "consonant_key_usable",
    "consonants_agree",
    "is_consonantal",
    "query_keys",
    "syllabic_readings",
    "vowel_key",
]

#: Similarity credited to a token found through a phonetic key: the vowel key (syllabic scripts,
#: vowels compared) and the coarser consonant key. A name matched only this way scores about
#: 0.75-0.8 (review, not block); one such token beside exact ones still lets the name alert.
SIMILARITY = {"v": 0.86, "c": 0.84}
#: How such a token pair is named in the explanation.
HOW = "matched phonetically across scripts"
#: Shortest keys that fetch neighbours: shorter ones are shared by too many unrelated tokens.
MIN_VOWEL_KEY = 4
MIN_CONSONANT_KEY = 3

# ---------------------------------------------------------------------------------------------
# Sound classes
# ---------------------------------------------------------------------------------------------

# Longest spellings first; each maps to a string of class letters.
_VOWEL_UNITS = {
    "sch": "S", "tch": "S", "dzh": "S", "shch": "S", "kh": "H", "gh": "K", "ph": "P", "bh": "P",
    "th": "T", "dh": "T", "sh": "S", "ch": "S", "zh": "S", "dj": "S", "ts": "S", "tz": "S", "sz": "S",
    "cz": "S", "ck": "K", "eo": "O", "eu": "O", "ae": "E", "oo": "O", "ou": "O", "ee": "I",
    "b": "P", "p": "P", "v": "P", "f": "P", "w": "P", "t": "T", "d": "T", "k": "K", "g": "K",
    "q": "K", "c": "K", "h": "H", "l": "R", "r": "R", "m": "M", "n": "N", "s": "S", "z": "S", "j": "S",
    "x": "KS", "a": "A", "e": "E", "i": "I", "y": "I", "o": "O", "u": "O",
}  # fmt: skip
_CONSONANT_UNITS = {
    "sch": "s", "tch": "c", "dzh": "j", "shch": "s", "kh": "h", "gh": "k", "ph": "p", "bh": "p",
    "th": "t", "dh": "d", "sh": "s", "ch": "c", "zh": "j", "dj": "j", "ts": "s", "tz": "s", "ck": "k",
    "b": "p", "p": "p", "v": "p", "f": "p", "t": "t", "d": "d", "k": "k", "g": "k", "q": "k",
    "c": "k", "h": "h", "l": "l", "r": "r", "m": "m", "n": "n", "s": "s", "z": "z", "j": "j",
    "x": "ks",
}  # fmt: skip
_UNIT_RE = re.compile("|".join(sorted(_VOWEL_UNITS, key=len, reverse=True)))
_CONSONANT_RE = re.compile("|".join(sorted(_CONSONANT_UNITS, key=len, reverse=True)) + "|[aeiouyw]")
_RUNS = re.compile(r"(.)\1+")
_SOFT_C = re.compile(r"c(?=[eiy])")
_VOWELS = frozenset("aeiouy")


@lru_cache(maxsize=1 << 17)
def vowel_key(token: str) -> str:
    """Sound classes of every letter, vowels included (see the module documentation).

    ``lavrov``, ``raburofu`` with its inserted vowels removed (``rabrof``) and ``rabrop`` all
    give ``RAPROP``; ``zelensky`` and ``jellenseuki`` less ``eu`` give ``SERENSKI``.
    """
    word = "".join(c for c in token.lower() if "a" <= c <= "z")
    if len(word) > 2 and word[-1] == "h" and word[-2] in _VOWELS:
        word = word[:-1]  # Sarah, Fatimah: a final h after a vowel is silent
    word = _SOFT_C.sub("s", word)
    return _RUNS.sub(r"\1", "".join(_VOWEL_UNITS[m] for m in _UNIT_RE.findall(word)))


@lru_cache(maxsize=1 << 17)
def consonant_key(token: str) -> str:
    """The consonants in the classes vowel-less scripts keep apart (module documentation).

    ``lavrov``, ``lafrwf`` (لافروف) and ``lbrwb`` (לברוב) all give ``lprp``; ``smith`` gives
    ``smt`` and ``samad`` ``smd``, which stay apart.
    """
    word = "".join(c for c in token.lower() if "a" <= c <= "z")
    if not word:
        return ""
    if len(word) > 2 and word[-1] == "h" and word[-2] in _VOWELS:
        word = word[:-1]
    word = _SOFT_C.sub("s", word)
    out = []
    for i, match in enumerate(_CONSONANT_RE.finditer(word)):
        unit = match.group(0)
        if unit in _CONSONANT_UNITS:
            out.append(_CONSONANT_UNITS[unit])
        elif i == 0:
            out.append("y" if unit == "y" else "p" if unit == "w" else "a")  # an initial vowel stays
    return _RUNS.sub(r"\1", "".join(out))


# ---------------------------------------------------------------------------------------------
# Which scripts could have written a token
# ---------------------------------------------------------------------------------------------

# Korean romanisation (Revised and McCune-Reischauer/DPRK styles as text/scripts.py writes them).
_KO_INITIALS = (
    "kk tt pp ss jj ch kh th ph sh g n d r m b s j k t p h l"
).split()  # fmt: skip
_KO_VOWELS = "yae wae yeo eo eu ae ya yo yu ye wa wo we wi oe ui a e i o u".split()
_KO_FINALS = ("ng", "k", "n", "t", "l", "m", "p")
# Kana (modified Hepburn) and Han transcription syllables (text/data/han_transcription.csv, which
# writes l where Chinese does not tell l from r).
_KANA_INITIALS = "ky gy sh ch ts ny hy by py my ry k g s z j t d n h b p f m y r l w v".split()
_KANA_VOWELS = "a i u e o".split()


def _syllable_pattern(initials, vowels, finals) -> str:
    """A regular expression of one syllable (initial? vowel final?), longest spellings first."""

    def alternatives(items) -> str:
        return "|".join(sorted(items, key=len, reverse=True))

    tail = f"(?:{alternatives(finals)})?" if finals else ""
    return f"(?:(?:{alternatives(initials)})?(?:{alternatives(vowels)}){tail})"


def _syllable_counter(initials, vowels, finals):
    """A function telling whether a token splits into syllables, and into at most two (compiled
    regular expressions: this runs for every distinct query token, so it must be cheap)."""
    one = _syllable_pattern(initials, vowels, finals)
    whole = re.compile(f"(?:{one})+")
    short = re.compile(f"{one}{one}?")

    def count(token: str) -> int:
        """0: no split; 2: a split into at most two syllables exists; 3: only longer splits."""
        if short.fullmatch(token):
            return 2
        return 3 if whole.fullmatch(token) else 0

    return count


#: Native Korean and Chinese names romanise to one or two syllables per word (``sangchol``,
#: ``jianjun``) and are compared in their own romanisations; a foreign name written in Hangul,
#: kana or Han transcription characters takes three or more (``rabeuropeu``, ``shoigu``).
MIN_SYLLABLES = 3
# Pinyin, to recognise a Chinese given name (``jianjun``, ``yuhang``) that also reads as kana.
_PINYIN_INITIALS = "zh ch sh b p m f d t n l g k h j q x r z c s y w".split()
_PINYIN_FINALS = sorted(
    "a o e i u v ai ei ao ou an en ang eng ong er ia ie iao iu ian in iang ing iong ua uo uai ui "
    "uan un uang ueng ue ve".split(),
    key=len,
    reverse=True,
)

_korean_syllables = _syllable_counter(_KO_INITIALS, _KO_VOWELS, _KO_FINALS)
_kana_syllables = _syllable_counter(_KANA_INITIALS, _KANA_VOWELS, ("n",))
_pinyin_syllables = _syllable_counter(_PINYIN_INITIALS, _PINYIN_FINALS, ())

def native_syllables(token: str) -> bool:
    """``token`` parses as a few syllables of Korean romanisation or of pinyin (a native given
    name written in any of their romanisations: ``byongchol``, ``myongkuk``, ``xiaobing``)."""
    if not token.isascii() or not token.isalpha():
        return False
    return 0 < _korean_syllables(token) < 5 or 0 < _pinyin_syllables(token) < MIN_SYLLABLES


#: Syllables only kana writes for a foreign sound (ti as chi, tu as tsu, de as je): two suffice.
_KANA_ONLY = ("chi", "tsu", "je")


_EU_RE = re.compile(r"eu")
_SILENT_H = re.compile(r"(?<=[lmnr])h")
# A vowel kana or a transcription adds after a consonant of a cluster or at the end: u after
# most consonants, o after t and d, i after ch and j; ti and di are written chi and ji.
_KANA_EPENTHESIS = re.compile(r"(?<=[bcdfghjkmprstvwz])u(?![aeiou])|(?<=[td])o(?![aeiou])")
_NK_EPENTHESIS = re.compile(r"(?<=[bcdfghjkmprstvz])u(?![aeiou])")


@lru_cache(maxsize=1 << 16)
def syllabic_readings(token: str) -> tuple[str, ...]:
    """Latin spellings a syllabic rendering may stand for, the inserted vowels removed.

    Empty unless ``token`` parses as Korean romanisation or as kana/transcription syllables, in
    at least :data:`MIN_SYLLABLES` syllables (a native Korean or Chinese name part has fewer).
    ``rabeuropeu`` -> ``rabrop`` (and the token itself); ``raburofu`` -> ``rabrof``;
    ``puchin`` -> ``putin`` too.
    """
    token = token.lower()
    if not token.isascii() or not token.isalpha() or len(token) < 3:
        return ()
    pinyin = _pinyin_syllables(token)
    if 0 < pinyin < MIN_SYLLABLES and not any(k in token for k in _KANA_ONLY):
        return ()  # a Chinese name part in pinyin
    out: list[str] = []
    korean = _korean_syllables(token)
    kana = _kana_syllables(token)
    if korean >= MIN_SYLLABLES:
        out.append(token)
        if "eu" in token:
            out.append(_EU_RE.sub("", token))
        stripped = _NK_EPENTHESIS.sub("", _EU_RE.sub("", token))
        out.append(stripped)
        if "sy" in token:  # 쇼 syo, 슈 syu: how Revised Romanization spells sho, shu
            out += [reading.replace("sy", "sh") for reading in (token, _EU_RE.sub("", token), stripped)]
    if kana >= MIN_SYLLABLES or (kana == 2 and any(k in token for k in _KANA_ONLY)):
        out.append(token)
        stripped = _KANA_EPENTHESIS.sub("", token)
        out.append(stripped)
        out += _epenthesis_choices(token)
        for before, after in (("chi", "ti"), ("ji", "di"), ("je", "de"), ("tsu", "tu")):
            if before in token:
                replaced = token.replace(before, after)
                out += [replaced, _KANA_EPENTHESIS.sub("", replaced)]
        if token[0] == "u" and token[1] not in "aeiou":  # ウラジーミル: an initial u for v
            replaced = "v" + token[1:]
            out.append(_KANA_EPENTHESIS.sub("", replaced.replace("ji", "di")))
    return tuple(dict.fromkeys(r for r in out if len(r) >= 3))


#: Kana vowels that may be inserted, at most this many weighed one by one (2^n readings).
_MAX_EPENTHESIS_CHOICES = 3


def _epenthesis_choices(token: str) -> list[str]:
    """``token`` with each subset of its possibly inserted kana vowels removed, when it has two
    or three: a vowel after a consonant may be inserted (パトルシェフ ``patorushefu``: the o of
    ``to`` and the final u) or the name's own (the u of ``ru`` in Patrushev), so removing all of
    them, or none, is not enough."""
    spots = [m.start() for m in _KANA_EPENTHESIS.finditer(token)]
    if not 2 <= len(spots) <= _MAX_EPENTHESIS_CHOICES:
        return []
    out = []
    for mask in range(1, (1 << len(spots)) - 1):  # all and none are the readings made already
        drop = {spot for bit, spot in enumerate(spots) if mask >> bit & 1}
        out.append("".join(c for i, c in enumerate(token) if i not in drop))
    return out


def consonant_key_usable(key: str) -> bool:
    """Whether a consonant key is specific enough to fetch: :data:`MIN_CONSONANT_KEY` consonants,
    not counting the ``a`` that stands for an initial vowel (``amp`` is only two)."""
    return len(key) - (key[:1] == "a") >= MIN_CONSONANT_KEY


# What a long-vowel letter of a vowel-less script stands for in a Latin spelling: و o/u, ي i/e,
# ا a/e/o.
_LONG_VOWELS = {"w": "ouw", "u": "ouw", "y": "ieyj", "i": "ieyj", "a": "aeo"}


def _slots(token: str) -> list[tuple[str, str]]:
    """(consonant class, the vowel letters after it up to the next class), runs merged."""
    word = _SOFT_C.sub("s", "".join(c for c in token.lower() if "a" <= c <= "z"))
    if len(word) > 2 and word[-1] == "h" and word[-2] in _VOWELS:
        word = word[:-1]
    slots: list[tuple[str, str]] = []
    for i, match in enumerate(_CONSONANT_RE.finditer(word)):
        unit = match.group(0)
        if unit in _CONSONANT_UNITS:
            cls = _CONSONANT_UNITS[unit]
            if slots and slots[-1][0] == cls and not slots[-1][1]:
                continue
            slots.append((cls, ""))
        elif slots:
            slots[-1] = (slots[-1][0], slots[-1][1] + unit)
        elif i == 0:
            slots.append(("", unit))
    return slots


def consonants_agree(query: str, listed: str) -> bool:
    """Whether the long vowels a vowel-less rendering writes are where the Latin spelling has a
    matching vowel (``mhmwd`` محمود is Mahmud, not Muhammad; ``lafrwf`` is Lavrov). Short vowels
    are not written, so a slot without a long vowel agrees with anything."""
    q, other = _slots(query), _slots(listed)
    if [c for c, _ in q if c] != [c for c, _ in other if c]:
        return False
    q = [v for c, v in q if c]
    other = [v for c, v in other if c]
    for written, spelled in zip(q, other):
        for letter in written:
            allowed = _LONG_VOWELS.get(letter)
            if allowed and not any(ch in allowed for ch in spelled):
                return False
    return True


def is_consonantal(token: str) -> bool:
    """A rendering of a script that leaves vowels out: at most one vowel in four letters and
    none of ``e`` or ``o``, which Arabic and Hebrew consonant letters never give (``lafrwf``,
    ``mhmd``, ``lbrwb``, ``srgyy``)."""
    if len(token) < 3 or "e" in token or "o" in token:
        return False
    vowels = sum(1 for c in token if c in "aiu")
    return vowels * 4 <= len(token)


@lru_cache(maxsize=1 << 16)
def query_keys(token: str) -> tuple[tuple[str, str, str], ...]:
    """(``"v"`` or ``"c"``, key, reading) for every reading of a query token from a script that
    loses distinctions; empty for an ordinary Latin token. Keys below the minimum length are left
    out. A list token found by a ``"c"`` key must also pass :func:`consonants_agree` with the
    reading."""
    keys: list[tuple[str, str, str]] = []
    if not token.isalpha():
        return ()  # digits or marks inside: a code or a disguise, not a transliteration
    for reading in syllabic_readings(token):
        key = vowel_key(reading)
        if len(key) >= MIN_VOWEL_KEY:
            keys.append(("v", key, reading))
    native = 0 < _korean_syllables(token) < MIN_SYLLABLES or 0 < _pinyin_syllables(token) < MIN_SYLLABLES
    if is_consonantal(token) and not native:  # yang, jing: Chinese or Korean, not Arabic
        # و and ו are a vowel or v/w: read both ways (Persian لاوروف lawrwf is Lavrov). A Persian
        # ه after a consonant is often the silent final e of a word part (خامنه‌ای khamnhay).
        readings = [token]
        if "tsh" in token:  # تش, טש: how Arabic and Hebrew write ch (Sechin, Yanukovych)
            readings.append(token.replace("tsh", "ch"))
        if "w" in token[1:]:
            readings += [r[:1] + r[1:].replace("w", "v") for r in list(readings)]
        silent = _SILENT_H.sub("", token)
        if silent != token:
            readings.append(silent)
        for reading in readings:
            key = consonant_key(reading)
            if consonant_key_usable(key):
                keys.append(("c", key, reading))
    unique: dict[tuple[str, str], tuple[str, str, str]] = {}
    for kind, key, reading in keys:
        unique.setdefault((kind, key), (kind, key, reading))
    return tuple(unique.values())
