"""Known spelling variants of name words that edit distance and consonant skeletons miss.

Each group lists words that name the same thing: romanisations of one Korean syllable
(Ri / Rhee / Lee / Yi), English short forms of given names (Ted / Theodore), Russian given-name
spellings in other languages' conventions (Yury / Iouri), Arabic particles (bin / ibn) and number
words (1st / first). Two words of one group compare as a *known variant*; a query word finds the
list words of its group as candidates. Data, not logic: extend the groups as cases come in.

Nicknames and hypocorisms (Dima / Dmitry, Pepe / Jose, Bill / William, Mohd / Mohammed) come from
the tables ``data/nicknames_*.txt`` (each names its source). They are groups too, so a nickname
fetches the full name and the full name fetches the nickname, but two words that only share a
nickname group compare as a *nickname*: a weaker similarity than a spelling variant, since a
diminutive says less than a spelling of the same name.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

_GROUPS_TEXT = """
ri rhee lee yi rhie li
pak park bak pahk
kim gim
choe choi
jon chon jeon chun jun
jong chong jeong chung
o oh
so suh seo
ryu yu yoo ryoo
han hahn
kang gang
cho jo
sin shin
hwang whang
ko koh go
yun yoon
im lim rim
ryang yang
hyon hyun
chol cheol chul
hyok hyeok
yong young
myong myung myeong
song seong sung
sok seok suk
hui hee
kyong kyung gyeong
pyong pyeong byung
chun cheon
su soo
il ill
ho hoh
william guillermo wilhelm
alexander alexandre aleksandr alexandr oleksandr alyaksandr
michael mikhail michail mykhailo
joseph josef yosef jose
elizabeth elisabeth elizaveta
katherine catherine ekaterina yekaterina
steven stephen stepan
nicholas nikolai nikolay mykola nicolas nikolaus
andrew andrei andrey andriy
peter pyotr petro
jong chong jeong chung jung
un eun
hyon hyun hyeon
yury yuri iouri yuriy jurij yurii
sergey sergei serguei serhiy sergii
aleksey alexei alexey aleksei oleksiy
dmitry dmitri dmitrii dmytro
evgeny yevgeny evgeniy yevgeniy eugene
georgy georgiy georgi heorhiy george
ivan ioann
vladimir volodymyr
bin ben ibn bn
abu abou abo
abd abdul abdel abdal abdoul
1 one 1st first
2 two 2nd second
3 three 3rd third
4 four 4th fourth
5 five 5th fifth
6 six 6th sixth
7 seven 7th seventh
8 eight 8th eighth
9 nine 9th ninth
10 ten 10th tenth
"""


_DATA = Path(__file__).with_name("data")
NICKNAME_FILES = (
    "nicknames_ru.txt",
    "nicknames_ar.txt",
    "nicknames_en.txt",
    "nicknames_es.txt",
    "nicknames_de.txt",
)


def _nickname_lines() -> list[tuple[list[str], list[str]]]:
    """(full-name spellings, nicknames) per line of the nickname tables."""
    out = []
    for name in NICKNAME_FILES:
        for number, line in enumerate((_DATA / name).read_text(encoding="utf-8").splitlines(), start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            full, sep, short = line.partition(":")
            if not sep or not full.split() or not short.split():
                raise ValueError(f"{name} line {number}: expected 'full names: nicknames'")
            out.append((full.split(), short.split()))
    return out


def _build() -> tuple[dict[str, frozenset[int]], dict[str, frozenset[int]], frozenset[str]]:
    """Spelling groups and nickname groups in one numbering (the index keeps one map of them).

    A nickname group holds the full-name spellings and their nicknames. Its full-name spellings
    compare with each other as nicknames too, unless edits or a spelling group make them closer:
    a table of diminutives is no authority on spellings (Mohammed / Mohamed stay an edit apart)."""
    spelling: dict[str, set[int]] = {}
    nickname: dict[str, set[int]] = {}
    lines = _GROUPS_TEXT.strip().splitlines()
    for number, line in enumerate(lines):
        for word in line.split():
            spelling.setdefault(word, set()).add(number)
    number = len(lines)
    nicknames: set[str] = set()
    for full, short in _nickname_lines():
        for word in full + short:
            nickname.setdefault(word, set()).add(number)
        nicknames.update(short)
        number += 1
    return (
        {word: frozenset(ids) for word, ids in spelling.items()},
        {word: frozenset(ids) for word, ids in nickname.items()},
        frozenset(nicknames),
    )


_SPELLING_GROUPS, _NICKNAME_GROUPS, NICKNAMES = _build()

#: word -> the groups it belongs to (a word may sit in two groups: "ted" is Theodore or Edward),
#: spelling and nickname groups alike: the candidate lookup fetches a word's whole group.
VARIANT_GROUPS: dict[str, frozenset[int]] = {
    word: _SPELLING_GROUPS.get(word, frozenset()) | _NICKNAME_GROUPS.get(word, frozenset())
    for word in _SPELLING_GROUPS.keys() | _NICKNAME_GROUPS.keys()
}


def is_tabled_given_name(word: str) -> bool:
    """``word`` is a full name or nickname of the nickname tables (Maria, Jose, Anne, Dima):
    a given name of the languages those tables cover, never a Chinese or Korean one."""
    return word in _NICKNAME_GROUPS


def are_variants(a: str, b: str) -> bool:
    """Spellings of one word (Rhee / Ri, Yury / Iouri): not nicknames (see :func:`are_nicknames`)."""
    ga = _SPELLING_GROUPS.get(a)
    return bool(ga and ga & _SPELLING_GROUPS.get(b, frozenset()))


def are_nicknames(a: str, b: str) -> bool:
    """A nickname and its full name, or two nicknames of one name (Dima / Dmitry, Bill / Will)."""
    ga = _NICKNAME_GROUPS.get(a)
    return bool(ga and ga & _NICKNAME_GROUPS.get(b, frozenset()))


_SPELLING_RULES = [
    (re.compile(r"(?<=[a-z]{3})(o|e)ff$"), r"\1v"),  # Popoff -> popov, Guseff -> gusev
    (re.compile(r"(?<=[a-z]{3})(o|e)w$"), r"\1v"),  # Ivanow -> ivanov
    (re.compile(r"kh"), "h"),  # Khamis / Hamis, Achmed handled below
    (re.compile(r"(?<=[aeiou])ch(?=[mdt])"), "h"),  # Achmed -> ahmed
    (re.compile(r"ph"), "f"),
    (re.compile(r"dzh|dj"), "j"),
    (re.compile(r"ou|oo"), "u"),
    (re.compile(r"ee|ie$"), "i"),
    (re.compile(r"y"), "i"),
    (re.compile(r"w"), "v"),
    (re.compile(r"(.)\1+"), r"\1"),
]


@lru_cache(maxsize=1 << 17)
def spelling_key(token: str) -> str:
    """A key under which common romanisation spellings of one word agree, vowels kept:
    ``popoff``/``popov``, ``achmed``/``ahmed``, ``youssef``/``yusef``, ``sheremetyev``/
    ``sheremetiev``. Coarser than the word, finer than a consonant skeleton."""
    for pattern, replacement in _SPELLING_RULES:
        token = pattern.sub(replacement, token)
    return token
