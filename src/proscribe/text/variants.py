"""Known spelling variants of name words that edit distance and consonant skeletons miss.

Each group lists words that name the same thing: romanisations of one Korean syllable
(Ri / Rhee / Lee / Yi), English short forms of given names (Ted / Theodore), Russian given-name
spellings in other languages' conventions (Yury / Iouri), Arabic particles (bin / ibn) and number
words (1st / first). Two words of one group compare as a *known variant*; a query word finds the
list words of its group as candidates. Data, not logic: extend the groups as cases come in.
"""

from __future__ import annotations

import re
from functools import lru_cache

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
william bill billy will willy
robert bob bobby rob robbie
richard dick rick ricky
james jim jimmy jamie
john jack johnny
thomas tom tommy
theodore ted teddy
edward ed eddie ted
benjamin ben bibi benny
alexander alex alexandre aleksandr alexandr oleksandr sasha
michael mike mikhail michail mykhailo
joseph joe joey josef yosef
charles charlie chuck
elizabeth liz beth betty eliza
katherine kate kathy catherine ekaterina yekaterina
christopher chris
anthony tony antony
daniel dan danny
david dave
steven stephen steve stepan
nicholas nick nikolai nikolay mykola nicolas
patrick pat
samuel sam
jonathan jon
matthew matt
andrew andy andrei andrey andriy
peter pete pyotr petro
barack barry
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


def _build() -> dict[str, frozenset[int]]:
    groups: dict[str, set[int]] = {}
    for number, line in enumerate(_GROUPS_TEXT.strip().splitlines()):
        for word in line.split():
            groups.setdefault(word, set()).add(number)
    return {word: frozenset(ids) for word, ids in groups.items()}


#: word -> the groups it belongs to (a word may sit in two groups: "ted" is Theodore or Edward).
VARIANT_GROUPS: dict[str, frozenset[int]] = _build()


def are_variants(a: str, b: str) -> bool:
    ga = VARIANT_GROUPS.get(a)
    return bool(ga and ga & VARIANT_GROUPS.get(b, frozenset()))


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
