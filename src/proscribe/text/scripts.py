"""Script detection and transliteration of names into the Latin forms the matcher compares.

Every list name (at index build time) and every query name (at query time) passes through
:func:`latin_forms`, which returns one or more lower-case ASCII renderings, best first:

* **ASCII input** short-circuits: lower-cased, apostrophes dropped, other punctuation turned into
  spaces, whitespace collapsed; exactly one form.
* **Latin with diacritics** is folded to ASCII (``Müller`` -> ``muller``, ``ß`` -> ``ss``,
  ``ı`` -> ``i``, ``ø`` -> ``o``, ``æ`` -> ``ae``); when the name has ``ä ö ü ø`` a second form
  spells them ``ae oe ue oe`` (``mueller``).
* **Han** (:func:`han_to_latin`): company words are translated from a dictionary (longest match,
  scanning from the end of the name, since Chinese company names end with their industry words
  and legal form), the rest is romanised with pypinyin. A run of untranslated characters is one
  word: rendered in two-syllable words (``yongxin zhicheng``), syllable by syllable
  (``yong xin zhi cheng``) and joined (``yongxinzhicheng``). Personal names (2-4 characters
  starting with a common surname) give ``xi jinping``, ``jinping xi``, ``xi jin ping`` ...
  Traditional characters are mapped to simplified ones for the dictionary look-up.
  A run made only of the characters Chinese uses to transcribe foreign names
  (``data/han_transcription.csv``, the Xinhua tables) is also read as that foreign name, one
  token per name part (the middle dot separates parts): ``拉夫罗夫`` -> ``rafurofu`` (kana-like
  syllables; :mod:`proscribe.text.phonetic` matches it to ``lavrov``), ``绍伊古`` -> ``shoigu``.
  A name whose characters all have Korean readings (``data/hanja_readings.csv``) and that starts
  with a Korean surname is also read in Korean: ``金正恩`` -> ``kim jong un``.
* **Cyrillic**: a BGN/PCGN-like Russian table (``Сергей`` -> ``sergey``), a common English-press
  spelling (``sergei``, ``yuri``, ``fyodor``) and anyascii; Ukrainian text (``і ї є ґ``) is
  romanised with the Ukrainian table first (``г`` -> ``h``, ``и`` -> ``y``).
* **Arabic, Persian, Urdu, Pashto**: a consonantal transliteration (``محمد`` -> ``mhmd``,
  ``القذافي`` -> ``al qdhafy``) whose :func:`consonant_skeleton` equals that of the usual Latin
  spellings (``Muhammad``, ``Mohammed`` ...), plus a form with ``و``/``ي`` read as vowels.
* **Hangul**: per-syllable romanisation, DPRK/McCune-Reischauer style (``김정은`` ->
  ``kim jong un``) and Revised Romanization (``kim jeong eun``, ``kim jeongeun``), with a table of
  conventional surname spellings (``이`` lee/ri, ``박`` park/pak, ``최`` choi/choe).
* **Japanese** (text containing kana): kana by modified Hepburn (long vowels collapsed first:
  ``とうきょう`` -> ``tokyo``, then as written: ``toukyou``); a small dictionary of company and
  place words in kanji (株式会社 -> ``co ltd`` / ``kabushiki kaisha``, 自動車 -> ``motor`` /
  ``jidosha``). Other kanji have no reading available offline: they fall back to anyascii, which
  gives *Chinese* readings -- best effort only. Kanji-only Japanese names cannot be told apart
  from Chinese ones and are romanised as Chinese.
* **Greek**: a modern (ELOT 743-like) table (``Ευάγγελος`` -> ``evangelos``) and anyascii.
* **Other scripts** (Hebrew, Georgian, Armenian, Thai, Devanagari and other Indic scripts ...):
  ICU ``Any-Latin; Latin-ASCII`` when PyICU is installed, and anyascii.

The Cyrillic, Arabic, Hangul, kana and Greek romanisers are own tables so that the forms do not
depend on whether the optional PyICU is installed; only the "other scripts" use ICU, and their
forms differ between installations with and without it (build and query should run in the same
environment).

Mixed-script names are split into runs of one script; each run is romanised and the runs are
joined (with a space around Han, kana and Hangul runs). The first form uses every run's best
rendering; further forms vary one run at a time. At most :data:`MAX_FORMS` forms are returned.

Everything expensive is cached: per-character script look-ups, pinyin per run of characters, and
the forms per distinct name (LRU).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from anyascii import anyascii
from pypinyin import Style, lazy_pinyin

try:  # PyICU is optional: used only for scripts without an own table here.
    import icu as _icu_module
except ImportError:  # pragma: no cover - depends on the environment
    _icu_module = None

__all__ = [
    "MAX_FORMS",
    "consonant_skeleton",
    "detect_scripts",
    "han_to_latin",
    "latin_forms",
]

MAX_FORMS = 6
_CACHE_SIZE = 1 << 17

# ---------------------------------------------------------------------------------------------
# Cleaning
# ---------------------------------------------------------------------------------------------

# ASCII letters and digits stay; apostrophes vanish (O'Brien -> obrien, Sa'ad -> saad); every
# other ASCII character becomes a space.
_CLEAN_TABLE: dict[int, str | None] = {i: " " for i in range(128) if not chr(i).isalnum()}
_CLEAN_TABLE[ord("'")] = None
_CLEAN_TABLE[ord("`")] = None


def _clean(text: str) -> str:
    """Lower-case, drop apostrophes, punctuation to spaces, collapse whitespace (ASCII input)."""
    return " ".join(text.lower().translate(_CLEAN_TABLE).split())


def _ascii(text: str) -> str:
    """Any text to a clean ASCII form."""
    if not text.isascii():
        text = anyascii(text)
    return _clean(text)


def _dedupe(forms: Iterable[str], limit: int = MAX_FORMS) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for form in forms:
        form = _ascii(form)
        if form and form not in seen:
            seen.add(form)
            out.append(form)
            if len(out) >= limit:
                break
    return out


# ---------------------------------------------------------------------------------------------
# Script detection
# ---------------------------------------------------------------------------------------------

_NAME_SCRIPT = {
    "CJK": "Han",
    "IDEOGRAPHIC": "Han",
    "KANGXI": "Han",
    "HIRAGANA": "Hiragana",
    "KATAKANA": "Katakana",
    "KATAKANA-HIRAGANA": "Katakana",
    "HANGUL": "Hangul",
    "FEMININE": "Latin",  # ª
    "MASCULINE": "Latin",  # º
    "MODIFIER": None,
    "MATHEMATICAL": None,
}


@lru_cache(maxsize=1 << 16)
def _char_script(ch: str) -> str | None:
    """The script of a letter (or a Han numeral such as 〇); None for marks, digits, punctuation."""
    if ch == "〇":
        return "Han"
    if not unicodedata.category(ch).startswith("L"):
        return None
    words = unicodedata.name(ch, "").split()
    if not words:
        return None
    first = words[0]
    if first in ("FULLWIDTH", "HALFWIDTH") and len(words) > 1:
        first = words[1]
    if first in _NAME_SCRIPT:
        return _NAME_SCRIPT[first]
    return first.title()


def detect_scripts(text: str) -> set[str]:
    """The scripts of the letters in ``text``: ``{"Latin", "Han", "Cyrillic", ...}``.

    Names follow Unicode script names (``Han``, ``Hiragana``, ``Katakana``, ``Hangul``,
    ``Arabic``, ``Greek`` ...). Digits, punctuation and combining marks belong to no script.
    """
    if text.isascii():
        return {"Latin"} if any(c.isalpha() for c in text) else set()
    scripts = set()
    for ch in text:
        script = _char_script(ch)
        if script is not None:
            scripts.add(script)
    return scripts


# ---------------------------------------------------------------------------------------------
# Latin
# ---------------------------------------------------------------------------------------------

_EXPANDED = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ø": "oe", "Ø": "Oe"}
)
_EXPANDABLE = frozenset("äöüÄÖÜøØ")


def _latin_alts(text: str) -> list[str]:
    forms = [_ascii(text)]
    if not _EXPANDABLE.isdisjoint(text):
        forms.append(_ascii(text.translate(_EXPANDED)))
    return forms


# ---------------------------------------------------------------------------------------------
# Cyrillic
# ---------------------------------------------------------------------------------------------

_RU_BASE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian and Belarusian letters, as they appear in Russian-style romanisations.
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "w",
}  # fmt: skip
_UK_BASE = dict(_RU_BASE, г="h", и="y", е="e", є="ye", ї="yi", і="i", ґ="g", щ="shch")
_RU_YE_AFTER = frozenset("аеёиоуыэюяйъьіїє")
_RU_VOWELS = frozenset("аеёиоуыэюяіїє")
_UK_MARKERS = frozenset("іїєґІЇЄҐ")


def _cyr_char(ch: str, table: dict[str, str]) -> str:
    out = table.get(ch)
    return out if out is not None else anyascii(ch)


def _ru_bgn(text: str, table: dict[str, str] = _RU_BASE) -> str:
    """BGN/PCGN-like: е/ё are ``ye`` at word start and after vowels, ``e`` elsewhere."""
    out = []
    prev = ""
    for ch in text.lower():
        if ch in "её":
            out.append("ye" if not prev.isalpha() or prev in _RU_YE_AFTER else "e")
        else:
            out.append(_cyr_char(ch, table))
        prev = ch
    return "".join(out)


def _ru_common(text: str) -> str:
    """Common English-press spelling: Sergei, Yuri, Andrei, Fyodor, Gorbachev, Elena."""
    low = text.lower()
    out = []
    n = len(low)
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else ""
        nxt = low[i + 1] if i + 1 < n else ""
        if ch == "е":
            out.append("e")
        elif ch == "ё":
            out.append("e" if prev in ("ж", "ч", "ш", "щ") else "yo")
        elif ch == "й":
            if nxt in _RU_VOWELS:
                out.append("y")
            elif prev in ("и", "ы") and not nxt.isalpha():
                out.append("")  # -ий -> -i (Yuri), -ый -> -y (Bely)
            else:
                out.append("i")  # Sergei, Nikolai, Tolstoi
        else:
            out.append(_cyr_char(ch, _RU_BASE))
    return "".join(out)


def _cyrillic_alts(text: str) -> list[str]:
    if not _UK_MARKERS.isdisjoint(text):
        return [_ru_bgn(text, _UK_BASE), _ru_bgn(text), anyascii(text)]
    return [_ru_bgn(text), _ru_common(text), anyascii(text)]


# ---------------------------------------------------------------------------------------------
# Arabic script
# ---------------------------------------------------------------------------------------------

_AR_BASE = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ٱ": "a", "ب": "b", "ت": "t", "ث": "th", "ج": "j",
    "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s",
    "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l",
    "م": "m", "ن": "n", "ه": "h", "و": "w", "ي": "y", "ى": "a", "ة": "a", "ء": "", "ئ": "",
    "ؤ": "",
    # Persian, Urdu, Pashto, Kurdish
    "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k", "ی": "y", "ۀ": "a", "ە": "a", "ے": "e",
    "ہ": "h", "ھ": "h", "ٹ": "t", "ڈ": "d", "ڑ": "r", "ں": "n", "ۃ": "a", "ټ": "t", "ډ": "d",
    "ړ": "r", "ږ": "zh", "ښ": "sh", "ځ": "z", "څ": "s", "ې": "e", "ۍ": "ay", "ڼ": "n", "ګ": "g",
    "ڤ": "v", "ڵ": "l", "ۆ": "o", "ێ": "e", "ڕ": "r",
    # vowel signs (rarely written in names)
    "\u064e": "a", "\u064f": "u", "\u0650": "i", "\u0670": "a",
}  # fmt: skip
_AR_SKIP = frozenset("\u0640\u064b\u064c\u064d\u0652\u0653\u0654\u0655\u0656\u0657\u0658\u065f")
_AR_SHADDA = "\u0651"
_AR_LONG = frozenset("اوىيی")
_AR_ALEFS = frozenset("اأإآٱ")
_AR_WORD = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]+")


@lru_cache(maxsize=1 << 16)
def _is_ar_letter(ch: str) -> bool:
    return ch not in _AR_SKIP and ch != _AR_SHADDA and unicodedata.category(ch).startswith("L")


def _arabic_word(word: str, vowels: bool) -> str:
    """One Arabic word; ``vowels`` reads medial و/ي as u/i instead of w/y."""
    letters = [c for c in word if c not in _AR_SKIP]
    if not letters:
        return ""
    bare = "".join(c for c in letters if c != _AR_SHADDA).replace("ہ", "ه")
    if bare.endswith("الله") or (bare.endswith("لله") and len(bare) > 3):
        # Allah, alone or closing a compound (عبدالله Abdallah, نصرالله Nasrallah)
        head = bare[: -4 if bare.endswith("الله") else -3]
        return (_arabic_word(head, vowels) if head else "") + "allah"
    is_letter = [_is_ar_letter(c) for c in letters]
    word_letters = sum(is_letter)
    prefix = ""
    if word_letters >= 4 and letters[0] in "اٱ" and letters[1] == "ل":
        prefix = "al "  # the article, written apart as in Latin spellings (al-Qaddafi)
        letters, is_letter = letters[2:], is_letter[2:]
    last_index = max((i for i, flag in enumerate(is_letter) if flag), default=-1)
    out: list[str] = []
    last_letter = ""
    for i, ch in enumerate(letters):
        first = not last_letter
        if ch == _AR_SHADDA:
            if out and last_letter and last_letter not in _AR_LONG:
                out.append(out[-1][-1:])
            continue
        if not is_letter[i]:
            out.append(_AR_BASE.get(ch, ""))
            continue
        if first and ch == "ع":
            rendered = "a"  # Ali, Umar, Abd: an initial ayn is heard as a vowel
        elif first and ch in _AR_ALEFS:
            rendered = "i" if ch == "إ" else "a"
        elif ch == "ا" and last_letter == "ع" and len(out) == 1:
            rendered = ""  # عابد: Abid, not Aabid
        elif ch == "ه" and i == last_index and last_letter and last_letter not in _AR_LONG:
            # Allah, Abduh: a short vowel precedes a final h; Taha is the 2-letter case.
            rendered = "aha" if word_letters == 2 else "ah"
        elif vowels and not first and ch == "و":
            rendered = "u"
        elif vowels and not first and ch in "يی":
            rendered = "i"
        else:
            rendered = _AR_BASE.get(ch)
            if rendered is None:
                rendered = anyascii(ch)
        out.append(rendered)
        last_letter = ch
    return prefix + "".join(out)


def _arabic_translit(text: str, vowels: bool) -> str:
    return _AR_WORD.sub(lambda m: " " + _arabic_word(m.group(0), vowels) + " ", text)


def _arabic_alts(text: str) -> list[str]:
    # The zero-width non-joiner only shapes letters inside one Persian word (خامنه‌ای Khamenei).
    text = text.replace("\u200c", "")
    return [_arabic_translit(text, False), _arabic_translit(text, True)]


# ---------------------------------------------------------------------------------------------
# Consonant skeletons
# ---------------------------------------------------------------------------------------------

_SK_DIGRAPHS = re.compile(r"sch|tch|dzh|kh|sh|ch|zh|dj|dh|th|gh|ph|ck")
_SK_DIGRAPH_MAP = {
    "sch": "C", "tch": "C", "sh": "C", "ch": "C",  # ش / ш / ч / French ch (Cherif)
    "kh": "X",  # خ / х
    "dzh": "j", "zh": "j", "dj": "j",  # ج / ж / French dj (Djamel)
    "dh": "d", "th": "t",  # ذ ث
    "gh": "k",  # غ, merged with the other velars
    "ph": "f", "ck": "k",
}  # fmt: skip
_SK_SINGLES = str.maketrans({"q": "k", "g": "k", "c": "k", "v": "w"})
_SK_VOWELS = frozenset("aeiouy")
_SK_DROP = re.compile(r"[aeiouyw]")
_SK_DOUBLES = re.compile(r"(.)\1+")


def _skeleton_word(word: str) -> str:
    word = "".join(c for c in word if c.isalpha())
    if not word:
        return ""
    # Slavic surname endings as French/German/Polish spellings write them: -off/-eff/-ow -> -ov/-ev.
    if len(word) > 4 and word.endswith(("off", "eff")):
        word = word[:-2] + "v"
    elif len(word) > 4 and word.endswith(("ow", "ew")):
        word = word[:-1] + "v"
    word = word.replace("x", "ks")
    word = _SK_DIGRAPHS.sub(lambda m: _SK_DIGRAPH_MAP[m.group(0)], word)
    word = word.translate(_SK_SINGLES)
    if len(word) > 2 and word[-1] == "h" and word[-2] in _SK_VOWELS:
        word = word[:-1]  # Allah/Fatimah/Usamah/Abduh: final h after a vowel
    head = word[0]
    if head in _SK_VOWELS and head != "y":
        head = "a"
    body = _SK_DROP.sub("", word[1:])
    return _SK_DOUBLES.sub(r"\1", head + body).lower()


@lru_cache(maxsize=_CACHE_SIZE)
def consonant_skeleton(latin: str) -> str:
    """A vowel-insensitive key of a Latin (or transliterated) name, word by word.

    Built so that the common Latin spellings of Arabic names and the Arabic-script
    transliterations of :func:`latin_forms` agree: ``Muhammad``, ``Mohammed``, ``Mohamad``,
    ``Muhammed`` and ``محمد`` (``mhmd``) all give ``mhmd``; ``Usama``/``Osama``/``أسامة`` give
    ``asm``; ``Yusuf``/``Youssef``/``يوسف`` give ``ysf``; ``Qaddafi``/``Gaddafi``/``Kadhafi``/
    ``القذافي`` give ``kdf`` (with ``al`` apart); ``Aleksandr``/``Alexander`` give ``alksndr``.

    Per word, after folding to lower-case ASCII (non-letters dropped):

    1. ``x`` -> ``ks``.
    2. Digraphs: ``sch tch sh ch`` -> ``c``; ``kh`` -> ``x``; ``dzh zh dj`` -> ``j``;
       ``dh`` -> ``d``; ``th`` -> ``t``; ``gh`` -> ``k``; ``ph`` -> ``f``; ``ck`` -> ``k``.
    3. Letters: ``q g c`` -> ``k``; ``v`` -> ``w``.
    4. A final ``h`` after a vowel is dropped (Allah, Fatimah, Usamah, Abduh).
    5. The first letter stays, except that an initial vowel ``a e i o u`` becomes ``a`` (Usama and
       Osama, Ibrahim and Ebrahim, Omar and عمر); an initial ``y`` or ``w`` stays.
    6. Every later ``a e i o u y w`` is dropped (vowels, and و/ي read as vowels: Yusuf/يوسف).
    7. Runs of one letter collapse (Mohammed -> mhmd).

    In the result ``c`` stands for sh/ch/sch and ``x`` for kh. The key is coarse by design (g/k/q,
    ch/sh, v/w merge): use it to compare or to find candidates, not to decide alone.
    """
    words = _ascii(latin).split()
    return " ".join(sk for sk in (_skeleton_word(w) for w in words) if sk)


# ---------------------------------------------------------------------------------------------
# Han (Chinese)
# ---------------------------------------------------------------------------------------------

# simplified -> (English, alternative English or None)
_HAN_WORDS: dict[str, tuple[str, str | None]] = {
    # legal forms
    "股份有限公司": ("company limited by shares", "co ltd"),
    "有限责任公司": ("limited liability company", "co ltd"),
    "有限公司": ("company limited", "co ltd"),
    "股份公司": ("joint stock company", "co"),
    "有限合伙": ("limited partnership", "lp"),
    "合伙企业": ("partnership", None),
    "公司": ("company", "co"),
    "分公司": ("branch", "branch company"),
    "总公司": ("general company", "corporation"),
    "集团": ("group", None),
    "股份": ("shares", "stock"),
    "控股": ("holding", "holdings"),
    "合作社": ("cooperative", None),
    "协会": ("association", None),
    "基金会": ("foundation", None),
    "研究所": ("research institute", None),
    "研究院": ("research institute", "academy"),
    "科学院": ("academy of sciences", None),
    "大学": ("university", None),
    "学院": ("college", "institute"),
    "中心": ("center", "centre"),
    "工厂": ("factory", None),
    "实验室": ("laboratory", "lab"),
    "委员会": ("committee", "commission"),
    "总局": ("general administration", None),
    "大使馆": ("embassy", None),
    "政府": ("government", None),
    "人民": ("people's", "peoples"),
    "共和国": ("republic", None),
    # activities
    "贸易": ("trading", "trade"),
    "商贸": ("trading", "commerce"),
    "商行": ("trading company", None),
    "商务": ("business", "commerce"),
    "国际": ("international", None),
    "科技": ("technology", None),
    "技术": ("technology", None),
    "实业": ("industrial", "industry"),
    "工业": ("industry", "industrial"),
    "重工": ("heavy industry", None),
    "投资": ("investment", None),
    "发展": ("development", None),
    "开发": ("development", None),
    "电子": ("electronics", "electronic"),
    "微电子": ("microelectronics", None),
    "信息": ("information", None),
    "资讯": ("information", None),
    "网络": ("network", None),
    "软件": ("software", None),
    "能源": ("energy", None),
    "新能源": ("new energy", None),
    "石油": ("petroleum", "oil"),
    "石化": ("petrochemical", None),
    "化工": ("chemical", None),
    "航运": ("shipping", None),
    "海运": ("shipping", None),
    "船舶": ("shipping", None),
    "造船": ("shipbuilding", None),
    "港口": ("port", None),
    "港务": ("port", None),
    "运输": ("transportation", "transport"),
    "物流": ("logistics", None),
    "进出口": ("import export", "import and export"),
    "制造": ("manufacturing", None),
    "银行": ("bank", None),
    "金融": ("financial", "finance"),
    "证券": ("securities", None),
    "保险": ("insurance", None),
    "资本": ("capital", None),
    "资产": ("asset", "assets"),
    "基金": ("fund", None),
    "医药": ("pharmaceutical", None),
    "汽车": ("automobile", "auto"),
    "矿业": ("mining", None),
    "钢铁": ("iron and steel", "steel"),
    "建设": ("construction", None),
    "建筑": ("construction", None),
    "工程": ("engineering", None),
    "电力": ("electric power", "power"),
    "电气": ("electric", None),
    "通信": ("communication", "telecommunications"),
    "通讯": ("communication", "telecom"),
    "电信": ("telecom", "telecommunications"),
    "航空": ("aviation", "airlines"),
    "航天": ("aerospace", None),
    "半导体": ("semiconductor", None),
    "集成电路": ("integrated circuit", None),
    "光电": ("optoelectronics", "photoelectric"),
    "光学": ("optics", "optical"),
    "激光": ("laser", None),
    "精密": ("precision", None),
    "仪器": ("instrument", None),
    "设备": ("equipment", None),
    "机械": ("machinery", None),
    "材料": ("materials", "material"),
    "新材料": ("new materials", None),
    "生物": ("biological", "bio"),
    "数据": ("data", None),
    "智能": ("intelligent", "smart"),
    "咨询": ("consulting", None),
    "服务": ("services", "service"),
    "管理": ("management", None),
    "资源": ("resources", None),
    "文化": ("culture", None),
    "传媒": ("media", None),
    "农业": ("agriculture", "agricultural"),
    "食品": ("food", None),
    "纺织": ("textile", None),
    "环保": ("environmental protection", None),
    "国防": ("national defense", "defence"),
    "军工": ("military industry", None),
    "兵器": ("ordnance", None),
    "无人机": ("uav", "drone"),
    "电池": ("battery", None),
    "控制": ("control", None),
    "系统": ("systems", "system"),
    "安全": ("security", None),
    "研究": ("research", None),
    # countries
    "中国": ("china", None),
    "中华": ("china", "zhonghua"),
    "朝鲜": ("korea", "north korea"),
    "韩国": ("south korea", "korea"),
    "俄罗斯": ("russia", None),
    "伊朗": ("iran", None),
    "美国": ("united states", "usa"),
    "日本": ("japan", None),
    "香港": ("hong kong", "hongkong"),
    "澳门": ("macau", "macao"),
    "台湾": ("taiwan", None),
    "亚洲": ("asia", None),
}
# Places whose English is their pinyin; "市" (city) and "省" (province) after them are dropped.
_HAN_CITIES = {
    "北京": "beijing", "上海": "shanghai", "深圳": "shenzhen", "广州": "guangzhou",
    "天津": "tianjin", "重庆": "chongqing", "成都": "chengdu", "武汉": "wuhan",
    "南京": "nanjing", "杭州": "hangzhou", "西安": "xian", "大连": "dalian", "青岛": "qingdao",
    "厦门": "xiamen", "苏州": "suzhou", "宁波": "ningbo", "长沙": "changsha",
    "郑州": "zhengzhou", "沈阳": "shenyang", "哈尔滨": "harbin", "济南": "jinan",
    "福州": "fuzhou", "合肥": "hefei", "昆明": "kunming", "南昌": "nanchang",
    "东莞": "dongguan", "佛山": "foshan", "珠海": "zhuhai", "无锡": "wuxi",
    "石家庄": "shijiazhuang", "太原": "taiyuan", "长春": "changchun", "乌鲁木齐": "urumqi",
    "拉萨": "lhasa", "丹东": "dandong",
}  # fmt: skip
_HAN_PROVINCES = {
    "广东": "guangdong", "江苏": "jiangsu", "浙江": "zhejiang", "山东": "shandong",
    "河南": "henan", "河北": "hebei", "湖南": "hunan", "湖北": "hubei", "四川": "sichuan",
    "福建": "fujian", "安徽": "anhui", "江西": "jiangxi", "辽宁": "liaoning", "吉林": "jilin",
    "黑龙江": "heilongjiang", "山西": "shanxi", "陕西": "shaanxi", "甘肃": "gansu",
    "青海": "qinghai", "云南": "yunnan", "贵州": "guizhou", "海南": "hainan",
    "广西": "guangxi", "内蒙古": "inner mongolia", "宁夏": "ningxia", "新疆": "xinjiang",
    "西藏": "tibet",
}  # fmt: skip
for _k, _v in _HAN_CITIES.items():
    _HAN_WORDS[_k] = (_v, None)
    _HAN_WORDS[_k + "市"] = (_v, None)
for _k, _v in _HAN_PROVINCES.items():
    _HAN_WORDS[_k] = (_v, None)
    _HAN_WORDS[_k + "省"] = (_v, None)
_HAN_WORDS["内蒙古自治区"] = ("inner mongolia", None)
_HAN_WORDS["广西壮族自治区"] = ("guangxi", None)
_HAN_WORDS["宁夏回族自治区"] = ("ningxia", None)
_HAN_WORDS["新疆维吾尔自治区"] = ("xinjiang", None)
_HAN_WORDS["西藏自治区"] = ("tibet", None)
_HAN_MAXLEN = max(len(k) for k in _HAN_WORDS)

# Traditional -> simplified for the characters of the dictionary words and common surnames.
_TRAD_TO_SIMP = str.maketrans(
    "業東烏雲亞產儀會傳體內軍農務區醫協廠廈發員團國備學寧實導爾島廣莊慶總據數無術機氣漢濟灣濱環電"
    "礦紡織絡統網羅肅蘇藥薩訊設證詢責貴貿資車軟輸遼運進連鄭鋼鐵銀錫長門陽際陝險韓館驗魯鮮齊龍製臺開"
    "張劉陳楊黃趙吳孫馬謝許馮鄧蔣葉呂盧鍾譚陸賈韋鄒閆閻賀顧龔萬錢嚴湯溫喬龐顏聶歐關蘭紀畢單塗駱藍"
    "鮑華饒時繆簡項蘆麥婁竇黨宮費衛應閔鄔邊師欒榮叢鞏遲鄺習",
    "业东乌云亚产仪会传体内军农务区医协厂厦发员团国备学宁实导尔岛广庄庆总据数无术机气汉济湾滨环电"
    "矿纺织络统网罗肃苏药萨讯设证询责贵贸资车软输辽运进连郑钢铁银锡长门阳际陕险韩馆验鲁鲜齐龙制台开"
    "张刘陈杨黄赵吴孙马谢许冯邓蒋叶吕卢钟谭陆贾韦邹闫阎贺顾龚万钱严汤温乔庞颜聂欧关兰纪毕单涂骆蓝"
    "鲍华饶时缪简项芦麦娄窦党宫费卫应闵邬边师栾荣丛巩迟邝习",
)

_HAN_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万"
    "钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁"
    "尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆"
    "农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商"
    "刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝习薄栗"
)
_HAN_COMPOUND_SURNAMES = {
    "欧阳": "ouyang", "司马": "sima", "诸葛": "zhuge", "上官": "shangguan", "东方": "dongfang",
    "慕容": "murong", "令狐": "linghu", "皇甫": "huangfu", "公孙": "gongsun", "夏侯": "xiahou",
    "长孙": "zhangsun", "宇文": "yuwen", "尉迟": "yuchi", "司徒": "situ", "端木": "duanmu",
    "独孤": "dugu", "南宫": "nangong", "万俟": "moqi", "轩辕": "xuanyuan", "西门": "ximen",
}  # fmt: skip
# Surname readings that differ from the ordinary reading of the character.
_HAN_SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao", "查": "zha",
    "盖": "ge", "乐": "yue", "覃": "qin", "翟": "zhai", "繁": "po", "召": "shao", "种": "chong",
    "阚": "kan", "沈": "shen", "石": "shi", "薄": "bo", "贾": "jia", "缪": "miao", "秘": "bi",
    "员": "yun", "尉": "yu", "冼": "xian", "洗": "xian", "宁": "ning", "华": "hua", "任": "ren",
    "纪": "ji", "柏": "bai", "燕": "yan", "长": "zhang", "朝": "chao", "尚": "shang",
}  # fmt: skip

_HAN_SEPARATORS = frozenset("·・•‧")
_DATA = Path(__file__).resolve().parent / "data"


def _read_table(name: str) -> dict[str, tuple[str, ...]]:
    """A two-column data file (``#`` comments): first column -> the ``|``-separated values."""
    table: dict[str, tuple[str, ...]] = {}
    for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, values = line.partition(",")
        table.setdefault(key.strip(), tuple(v.strip() for v in values.split("|") if v.strip()))
    return table


#: Han character -> the syllables it stands for in transcribed foreign names (Xinhua tables).
_HAN_TRANSCRIPTION = _read_table("han_transcription.csv")
#: Hanja -> its Korean reading in Hangul (Unihan kHangul).
_HANJA_READINGS = {k: v[0] for k, v in _read_table("hanja_readings.csv").items()}


def _han_transcription(chunks: list[tuple[bool, str]]) -> str | None:
    """The foreign name a Han transcription spells (one token per name part), or None when a
    character of it is not a transcription character or the name is a single character.

    Each character gives its first syllable value (the table's second values, from the Russian
    table, differ in what the phonetic key merges anyway: 杰 je/de, 瓦 wa/va)."""
    parts: list[str] = []
    for is_han, chunk in chunks:
        if not is_han:
            if _clean(_ascii(chunk)):
                return None  # Latin letters or digits beside the Han: not a transcribed name
            continue
        values = [_HAN_TRANSCRIPTION.get(ch) for ch in chunk]
        if not all(values):
            return None
        parts.append("".join(v[0] for v in values))
    if not parts or sum(len(p) for p in parts) < 4 or max(len(c) for h, c in chunks if h) < 2:
        return None
    return " ".join(parts)


def _hanja_korean(chunk: str) -> list[str] | None:
    """Korean forms of a Korean name written in Hanja (``金正恩`` -> ``kim jong un`` ...): three or
    four characters, each with a Korean reading, starting with a Korean surname."""
    if not 3 <= len(chunk) <= 4:
        return None  # two-character names are mostly Chinese ones; Korean names have three
    hangul = "".join(_HANJA_READINGS.get(ch, "") for ch in chunk)
    if len(hangul) != len(chunk):
        return None
    return _ko_person(hangul)


def _is_han(ch: str) -> bool:
    return _char_script(ch) == "Han"


@lru_cache(maxsize=_CACHE_SIZE)
def _pinyin(run: str) -> tuple[str, ...]:
    """Toneless pinyin syllables of a run of Han characters (phrase-aware, ü as u)."""
    out = []
    for syl in lazy_pinyin(run, style=Style.NORMAL, v_to_u=True, errors="default"):
        if not syl.isascii():
            syl = anyascii(syl)
        syl = _clean(syl)
        if syl:
            out.extend(syl.split())
    return tuple(out)


def _paired(syllables: tuple[str, ...]) -> str:
    """Two-syllable words, a trailing odd syllable joining the last word (3 -> one word)."""
    n = len(syllables)
    if n <= 3:
        return "".join(syllables)
    words = ["".join(syllables[i : i + 2]) for i in range(0, n - 1, 2)]
    if n % 2:
        words[-1] += syllables[-1]
    return " ".join(words)


def _han_chunks(text: str) -> list[tuple[bool, str]]:
    """Split into (is_han, chunk); 々 repeats the previous character."""
    chunks: list[tuple[bool, str]] = []
    buf: list[str] = []
    buf_han = False
    for ch in text:
        if ch == "々" and buf_han and buf:
            ch = buf[-1]
        han = _is_han(ch) and ch not in _HAN_SEPARATORS
        if buf and han != buf_han:
            chunks.append((buf_han, "".join(buf)))
            buf = []
        buf.append(ch)
        buf_han = han
    if buf:
        chunks.append((buf_han, "".join(buf)))
    return chunks


def _han_segment(chunk: str) -> list[tuple[str, str]]:
    """Backward maximum matching against the dictionary: [("word", key) | ("run", chars)]."""
    simp = chunk.translate(_TRAD_TO_SIMP)
    tokens: list[tuple[str, str]] = []
    run_end = len(chunk)
    i = len(chunk)
    while i > 0:
        for length in range(min(_HAN_MAXLEN, i), 1, -1):
            key = simp[i - length : i]
            if key in _HAN_WORDS:
                if run_end > i:
                    tokens.append(("run", chunk[i:run_end]))
                tokens.append(("word", chunk[i - length : i] + "\0" + key))
                i -= length
                run_end = i
                break
        else:
            i -= 1
    if run_end > 0:
        tokens.append(("run", chunk[:run_end]))
    tokens.reverse()
    return tokens


def _han_person(chunk: str) -> list[str] | None:
    """Forms of a Chinese personal name, or None when ``chunk`` does not look like one."""
    n = len(chunk)
    if not 2 <= n <= 4 or not all(_is_han(c) for c in chunk):
        return None
    simp = chunk.translate(_TRAD_TO_SIMP)
    if simp[:2] in _HAN_COMPOUND_SURNAMES and n >= 3:
        surname, given = _HAN_COMPOUND_SURNAMES[simp[:2]], chunk[2:]
    elif simp[0] in _HAN_SURNAMES and n <= 3:
        surname = _HAN_SURNAME_READINGS.get(simp[0]) or "".join(_pinyin(chunk[0]))
        given = chunk[1:]
    else:
        return None
    syllables = _pinyin(given)
    joined = "".join(syllables)
    return [
        f"{surname} {joined}",
        f"{joined} {surname}",
        f"{surname} {' '.join(syllables)}",
        f"{surname}{joined}",
    ]


@lru_cache(maxsize=_CACHE_SIZE)
def _han_cached(text: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFKC", text)
    chunks = _han_chunks(text)
    han_chunks = [c for is_han, c in chunks if is_han]
    others = "".join(c for is_han, c in chunks if not is_han)
    transcription = _han_transcription(chunks)
    if len(han_chunks) == 1 and not _clean(_ascii(others)):
        segments = _han_segment(han_chunks[0])
        if all(kind == "run" for kind, _ in segments):
            person = _han_person(han_chunks[0])
            korean = _hanja_korean(han_chunks[0])
            if person is not None:
                # The Chinese reading first; a Korean reading or a foreign name it transcribes
                # next, before the syllable-by-syllable and joined forms.
                # (A two-character name with a surname is taken to be Chinese: 毛娜 is no Mona.)
                extra = (
                    korean[:1]
                    if korean
                    else [transcription]
                    if transcription and len(han_chunks[0]) > 2
                    else []
                )
                return tuple(_dedupe(person[:2] + extra + person[2:]))
            if korean:
                base = list(_han_cached_general(chunks))
                return tuple(_dedupe(korean[:2] + base))
    forms = _han_cached_general(chunks)
    if transcription:
        return tuple(_dedupe([*forms[:1], transcription, *forms[1:]]))
    return forms


def _han_cached_general(chunks: list[tuple[bool, str]]) -> tuple[str, ...]:
    """Han text rendered word by word (dictionary words translated, the rest in pinyin)."""

    # Each token renders in six styles:
    # 0 paired+English, 1 spaced+English, 2 joined+English, 3 paired+alternative English,
    # 4 all pinyin paired, 5 all pinyin spaced.
    rendered: list[tuple[str, str, str, str, str, str]] = []
    has_word = has_alt = False
    for is_han, chunk in chunks:
        if not is_han:
            plain = _ascii(chunk)
            rendered.append((plain,) * 6)
            continue
        for kind, value in _han_segment(chunk):
            if kind == "run":
                syl = _pinyin(value)
                paired, spaced, joined = _paired(syl), " ".join(syl), "".join(syl)
                rendered.append((paired, spaced, joined, paired, paired, spaced))
            else:
                chars, key = value.split("\0")
                english, alt = _HAN_WORDS[key]
                syl = _pinyin(chars)
                has_word = True
                has_alt = has_alt or alt is not None
                rendered.append((english, english, english, alt or english, _paired(syl), " ".join(syl)))
    styles = [0, 1, 2]
    if has_alt:
        styles.append(3)
    if has_word:
        styles += [4, 5]
    return tuple(_dedupe(" ".join(tok[s] for tok in rendered) for s in styles))


def han_to_latin(text: str) -> list[str]:
    """Latin forms of a Chinese name, best first (at most :data:`MAX_FORMS`).

    Company words are translated (科技 technology, 集团 group, 股份有限公司 company limited by
    shares / co ltd, 北京 beijing ...); other characters are romanised with pypinyin (no tones;
    ü as u). A run of untranslated characters forms one word, given in two-syllable words,
    syllable by syllable and joined; the last two forms give every character in pinyin::

        >>> han_to_latin("永信至诚科技集团股份有限公司")[:2]
        ['yongxin zhicheng technology group company limited by shares', 'yong xin zhi cheng technology group company limited by shares']

    A short name beginning with a common surname is read as a person: ``习近平`` ->
    ``['xi jinping', 'jinping xi', 'xi jin ping', 'xijinping']``. Non-Han characters in the text
    are folded to ASCII and kept in place.
    """
    return list(_han_cached(text))


# ---------------------------------------------------------------------------------------------
# Hangul (Korean)
# ---------------------------------------------------------------------------------------------

_KO_RR_INITIAL = (
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
)
_KO_NK_INITIAL = ("k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "kh", "th", "ph", "h")  # fmt: skip
_KO_RR_VOWEL = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i")  # fmt: skip
_KO_NK_VOWEL = ("a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "u", "ui", "i")  # fmt: skip
_KO_FINAL = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")  # fmt: skip

# surname -> (conventional South Korean spelling, DPRK / McCune-Reischauer-like spelling)
_KO_SURNAMES = {
    "김": ("kim", "kim"), "이": ("lee", "ri"), "리": ("lee", "ri"), "박": ("park", "pak"),
    "최": ("choi", "choe"), "정": ("jung", "jong"), "강": ("kang", "kang"), "조": ("cho", "jo"),
    "윤": ("yoon", "yun"), "장": ("jang", "jang"), "임": ("lim", "rim"), "림": ("lim", "rim"),
    "한": ("han", "han"), "오": ("oh", "o"), "서": ("seo", "so"), "신": ("shin", "sin"),
    "권": ("kwon", "kwon"), "황": ("hwang", "hwang"), "안": ("ahn", "an"), "송": ("song", "song"),
    "류": ("ryu", "ryu"), "유": ("yoo", "ryu"), "홍": ("hong", "hong"), "전": ("jeon", "jon"),
    "고": ("ko", "ko"), "문": ("moon", "mun"), "양": ("yang", "ryang"), "량": ("yang", "ryang"),
    "손": ("son", "son"), "배": ("bae", "pae"), "백": ("baek", "paek"), "허": ("heo", "ho"),
    "남": ("nam", "nam"), "심": ("shim", "sim"), "노": ("roh", "ro"), "로": ("roh", "ro"),
    "하": ("ha", "ha"), "곽": ("kwak", "kwak"), "성": ("sung", "song"), "차": ("cha", "cha"),
    "주": ("joo", "ju"), "우": ("woo", "u"), "구": ("koo", "ku"), "민": ("min", "min"),
    "진": ("jin", "jin"), "나": ("na", "ra"), "지": ("ji", "ji"), "엄": ("um", "om"),
    "채": ("chae", "chae"), "원": ("won", "won"), "천": ("cheon", "chon"), "방": ("bang", "pang"),
    "공": ("kong", "kong"), "현": ("hyun", "hyon"), "함": ("ham", "ham"), "변": ("byun", "pyon"),
    "염": ("yeom", "ryom"), "렴": ("yeom", "ryom"), "여": ("yeo", "ryo"), "려": ("yeo", "ryo"),
    "추": ("choo", "chu"), "도": ("do", "to"), "석": ("seok", "sok"), "선": ("sun", "son"),
    "설": ("seol", "sol"), "마": ("ma", "ma"), "길": ("gil", "kil"), "연": ("yeon", "ryon"),
    "표": ("pyo", "pyo"), "명": ("myung", "myong"), "기": ("ki", "ki"), "반": ("ban", "pan"),
    "왕": ("wang", "wang"), "금": ("keum", "kum"), "옥": ("ok", "ok"), "육": ("yook", "ryuk"),
    "인": ("in", "in"), "맹": ("maeng", "maeng"), "제": ("je", "je"), "모": ("mo", "mo"),
    "탁": ("tak", "thak"), "국": ("kook", "kuk"), "태": ("tae", "thae"), "라": ("na", "ra"),
    "편": ("pyun", "phyon"), "용": ("yong", "ryong"), "룡": ("yong", "ryong"),
    "남궁": ("namgung", "namgung"), "황보": ("hwangbo", "hwangbo"), "제갈": ("jegal", "jegal"),
    "선우": ("sunwoo", "sonu"), "독고": ("dokgo", "tokko"), "사공": ("sagong", "sagong"),
}  # fmt: skip
# Surnames spelt as in the South (the North writes 리, 림, 로, 량, 류 ...): South forms first.
_KO_SOUTH_SPELLINGS = frozenset("이임노양염여유나용")


def _ko_syllable(ch: str, north: bool) -> str:
    code = ord(ch) - 0xAC00
    if not 0 <= code < 11172:
        return anyascii(ch)
    lead, vowel, tail = code // 588, (code % 588) // 28, code % 28
    if north:
        return _KO_NK_INITIAL[lead] + _KO_NK_VOWEL[vowel] + _KO_FINAL[tail]
    return _KO_RR_INITIAL[lead] + _KO_RR_VOWEL[vowel] + _KO_FINAL[tail]


def _is_hangul_syllable(ch: str) -> bool:
    return 0xAC00 <= ord(ch) < 0xAC00 + 11172


def _ko_words(text: str, north: bool, joined: bool) -> str:
    out: list[str] = []
    for ch in text:
        if _is_hangul_syllable(ch):
            out.append(_ko_syllable(ch, north))
            if not joined:
                out.append(" ")
        else:
            out.append(" " if ch.isspace() else anyascii(ch))
    return "".join(out)


def _ko_person(text: str) -> list[str] | None:
    words = text.split()
    if not words or not all(_is_hangul_syllable(c) for w in words for c in w):
        return None
    flat = "".join(words)
    if not 2 <= len(flat) <= 4 or len(words) > 2:
        return None
    if len(words) == 2:
        surname, given = words
    elif flat[:2] in _KO_SURNAMES and len(flat) >= 3:
        surname, given = flat[:2], flat[2:]
    else:
        surname, given = flat[:1], flat[1:]
    if surname not in _KO_SURNAMES or not 1 <= len(given) <= 2:
        return None
    south, north = _KO_SURNAMES[surname]
    nk = [_ko_syllable(c, True) for c in given]
    rr = [_ko_syllable(c, False) for c in given]
    rr_surname = "".join(_ko_syllable(c, False) for c in surname)
    north_forms = [f"{north} {' '.join(nk)}", f"{north} {''.join(nk)}"]
    south_forms = [f"{south} {' '.join(rr)}", f"{south} {''.join(rr)}"]
    first, second = (
        (south_forms, north_forms) if surname in _KO_SOUTH_SPELLINGS else (north_forms, south_forms)
    )
    return [
        first[0],
        second[0],
        first[1],
        second[1],
        f"{rr_surname} {''.join(rr)}",
        f"{south} {' '.join(nk)}",
    ]


def _hangul_alts(text: str) -> list[str]:
    person = _ko_person(text)
    if person is not None:
        return person
    return [
        _ko_words(text, north=False, joined=True),
        _ko_words(text, north=True, joined=False),
        _ko_words(text, north=False, joined=False),
        _ko_words(text, north=True, joined=True),
    ]


# ---------------------------------------------------------------------------------------------
# Japanese
# ---------------------------------------------------------------------------------------------

_KANA = dict(
    zip(
        "あいうえおかきくけこがぎぐげごさしすせそざじずぜぞたちつてとだぢづでどなにぬねの"
        "はひふへほばびぶべぼぱぴぷぺぽまみむめもやゆよらりるれろわゐゑをんゔゎ",
        "a i u e o ka ki ku ke ko ga gi gu ge go sa shi su se so za ji zu ze zo ta chi tsu te to "
        "da ji zu de do na ni nu ne no ha hi fu he ho ba bi bu be bo pa pi pu pe po ma mi mu me mo "
        "ya yu yo ra ri ru re ro wa i e o n vu wa".split(),
        strict=True,
    )
)
_KANA_SMALL_Y = {"ゃ": "ya", "ゅ": "yu", "ょ": "yo"}
_KANA_SMALL_V = {"ぁ": "a", "ぃ": "i", "ぅ": "u", "ぇ": "e", "ぉ": "o"}
_KANA_LONG = re.compile(r"ou|oo|uu")

# kanji -> (English, romaji)
_JA_WORDS = {
    "株式会社": ("co ltd", "kabushiki kaisha"),
    "有限会社": ("co ltd", "yugen kaisha"),
    "合同会社": ("llc", "godo kaisha"),
    "会社": ("company", "kaisha"),
    "銀行": ("bank", "ginko"),
    "商事": ("trading", "shoji"),
    "物産": ("trading", "bussan"),
    "貿易": ("trading", "boeki"),
    "自動車": ("motor", "jidosha"),
    "工業": ("industries", "kogyo"),
    "重工業": ("heavy industries", "jukogyo"),
    "産業": ("industries", "sangyo"),
    "電機": ("electric", "denki"),
    "電気": ("electric", "denki"),
    "製作所": ("works", "seisakusho"),
    "化学": ("chemical", "kagaku"),
    "製薬": ("pharmaceutical", "seiyaku"),
    "建設": ("construction", "kensetsu"),
    "海運": ("shipping", "kaiun"),
    "汽船": ("steamship", "kisen"),
    "石油": ("oil", "sekiyu"),
    "証券": ("securities", "shoken"),
    "保険": ("insurance", "hoken"),
    "通信": ("communications", "tsushin"),
    "技術": ("technology", "gijutsu"),
    "研究所": ("research institute", "kenkyusho"),
    "大学": ("university", "daigaku"),
    "日本": ("japan", "nippon"),
    "東京": ("tokyo", "tokyo"),
    "大阪": ("osaka", "osaka"),
    "京都": ("kyoto", "kyoto"),
    "横浜": ("yokohama", "yokohama"),
    "名古屋": ("nagoya", "nagoya"),
    "神戸": ("kobe", "kobe"),
    "北海道": ("hokkaido", "hokkaido"),
    "福岡": ("fukuoka", "fukuoka"),
}
_JA_MAXLEN = max(len(k) for k in _JA_WORDS)


def _kana_romaji(text: str, collapse: bool) -> str:
    """Modified Hepburn; ``collapse`` writes long vowels short (tokyo, not toukyou)."""
    out: list[str] = []
    sokuon = False
    for ch in text:
        code = ord(ch)
        if 0x30A1 <= code <= 0x30F6:  # katakana -> hiragana
            ch = chr(code - 0x60)
        if ch == "っ":
            sokuon = True
            continue
        if ch == "ー":
            if not collapse and out and out[-1][-1:] in "aiueo":
                out.append(out[-1][-1])
            continue
        if ch in _KANA_SMALL_Y and out and len(out[-1]) > 1 and out[-1].endswith("i"):
            base = out[-1][:-1]
            out[-1] = base + (_KANA_SMALL_Y[ch][1:] if base in ("sh", "ch", "j") else _KANA_SMALL_Y[ch])
            continue
        if ch in _KANA_SMALL_V and out:
            vowel, prev = _KANA_SMALL_V[ch], out[-1]
            if prev == "u":
                out[-1] = "w" + vowel
            elif len(prev) > 1 and prev[-1] in "aiueo":
                out[-1] = prev[:-1] + vowel
            else:
                out.append(vowel)
            continue
        syl = _KANA.get(ch)
        if syl is None:
            syl = _KANA_SMALL_Y.get(ch) or _KANA_SMALL_V.get(ch) or anyascii(ch)
        if sokuon and syl and syl[0] not in "aiueon":
            syl = ("t" if syl.startswith("ch") else syl[0]) + syl
        sokuon = False
        out.append(syl)
    romaji = "".join(out)
    return _KANA_LONG.sub(lambda m: m.group(0)[0], romaji) if collapse else romaji


def _ja_tokens(text: str) -> list[tuple[str, str]]:
    """[("kana"|"kanji"|"word"|"other", text)], dictionary words found by backward matching."""
    tokens: list[tuple[str, str]] = []
    for ch in text:
        script = _char_script(ch)
        kind = "kanji" if script == "Han" else "kana" if script in ("Hiragana", "Katakana") else "other"
        if tokens and tokens[-1][0] == kind:
            tokens[-1] = (kind, tokens[-1][1] + ch)
        else:
            tokens.append((kind, ch))
    out: list[tuple[str, str]] = []
    for kind, value in tokens:
        if kind != "kanji":
            out.append((kind, value))
            continue
        pieces: list[tuple[str, str]] = []
        end = i = len(value)
        while i > 0:
            for length in range(min(_JA_MAXLEN, i), 1, -1):
                if value[i - length : i] in _JA_WORDS:
                    if end > i:
                        pieces.append(("kanji", value[i:end]))
                    pieces.append(("word", value[i - length : i]))
                    i -= length
                    end = i
                    break
            else:
                i -= 1
        if end > 0:
            pieces.append(("kanji", value[:end]))
        out.extend(reversed(pieces))
    return out


def _japanese_alts(text: str) -> list[str]:
    tokens = _ja_tokens(text)

    def render(english: bool, collapse: bool) -> str:
        parts = []
        for kind, value in tokens:
            if kind == "word":
                parts.append(_JA_WORDS[value][0 if english else 1])
            elif kind == "kana":
                parts.append(_kana_romaji(value, collapse))
            elif kind == "kanji":
                parts.append(anyascii(value))  # Chinese readings: best effort
            else:
                parts.append(anyascii(value))
        return " ".join(parts)

    return [render(True, True), render(False, True), render(True, False), render(False, False)]


# ---------------------------------------------------------------------------------------------
# Greek
# ---------------------------------------------------------------------------------------------

_GR_BASE = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}  # fmt: skip
_GR_PAIRS = {"αι": "ai", "ει": "ei", "οι": "oi", "ου": "ou", "υι": "yi", "γγ": "ng", "γξ": "nx", "γχ": "nch"}
_GR_VOICED = frozenset("αεηιουωβγδζλμνρ")
_GR_INITIAL = {"μπ": ("b", "mp"), "ντ": ("d", "nt"), "γκ": ("g", "gk")}


#: How Greek writes a foreign (Russian, Arabic, Spanish...) name: it has no letters for b, d,
#: g, u, ch, j, so it writes them as digraphs (Βλαντιμίρ Πούτιν is Vladimir Putin, Μπασάρ is
#: Bashar, Αμπράμοβιτς is Abramovich). Read back as those letters in any position.
_GR_FOREIGN_PAIRS = {
    "μπ": "b", "ντ": "d", "γκ": "g", "ου": "u", "αι": "e", "τζ": "j", "τσ": "ts", "τς": "ch",
}  # fmt: skip


def _greek_foreign(text: str) -> str:
    """The reading of a Greek spelling of a foreign name (:data:`_GR_FOREIGN_PAIRS`)."""
    lowered = unicodedata.normalize("NFD", text.lower())
    plain = "".join(ch for ch in lowered if not unicodedata.combining(ch) or ch == "\u0308")
    for pair, latin in _GR_FOREIGN_PAIRS.items():
        plain = plain.replace(pair, latin)
    plain = re.sub("γι(?=[αεοου])", "y", plain)
    return _greek_translit(unicodedata.normalize("NFC", plain))


def _greek_translit(text: str) -> str:
    letters: list[tuple[str, bool]] = []  # (letter, carries a diaeresis)
    for ch in unicodedata.normalize("NFD", text.lower()):
        if ch == "\u0308" and letters:
            letters[-1] = (letters[-1][0], True)
        elif not unicodedata.combining(ch):
            letters.append((ch, False))
    out: list[str] = []
    i, n = 0, len(letters)
    while i < n:
        ch = letters[i][0]
        if ch not in _GR_BASE:
            out.append(anyascii(ch))
            i += 1
            continue
        nxt = letters[i + 1][0] if i + 1 < n and not letters[i + 1][1] else ""
        pair = ch + nxt
        initial = i == 0 or letters[i - 1][0] not in _GR_BASE
        if nxt == "υ" and ch in "αεη":
            after = letters[i + 2][0] if i + 2 < n else ""
            out.append(_GR_BASE[ch] + ("v" if after in _GR_VOICED else "f"))
            i += 2
        elif pair in _GR_INITIAL:
            out.append(_GR_INITIAL[pair][0 if initial else 1])
            i += 2
        elif pair in _GR_PAIRS:
            out.append(_GR_PAIRS[pair])
            i += 2
        else:
            out.append(_GR_BASE[ch])
            i += 1
    return "".join(out)


def _greek_alts(text: str) -> list[str]:
    return [_greek_translit(text), anyascii(text), _greek_foreign(text)]


# ---------------------------------------------------------------------------------------------
# Other scripts (ICU when available)
# ---------------------------------------------------------------------------------------------

_ICU_LOCK = threading.Lock()
_ICU_CACHE: dict[str, object] = {}


def _icu(transform: str, text: str) -> str | None:
    if _icu_module is None:
        return None
    try:
        with _ICU_LOCK:
            trans = _ICU_CACHE.get(transform)
            if trans is None:
                trans = _icu_module.Transliterator.createInstance(transform)
                _ICU_CACHE[transform] = trans
            return trans.transliterate(text)
    except Exception:  # noqa: BLE001 - ICU errors must never break normalisation
        return None


def _other_alts(text: str) -> list[str]:
    forms = []
    via_icu = _icu("Any-Latin; Latin-ASCII", text)
    if via_icu:
        forms.append(via_icu)
    forms.append(anyascii(text))
    return forms


# ---------------------------------------------------------------------------------------------
# Putting it together
# ---------------------------------------------------------------------------------------------

_CONVERTERS: dict[str, Callable[[str], list[str]]] = {
    "Latin": _latin_alts,
    "Han": han_to_latin,
    "Japanese": _japanese_alts,
    "Hangul": _hangul_alts,
    "Cyrillic": _cyrillic_alts,
    "Arabic": _arabic_alts,
    "Greek": _greek_alts,
}
_SPACED_GROUPS = frozenset({"Han", "Japanese", "Hangul"})
_KANA_SCRIPTS = frozenset({"Hiragana", "Katakana"})


def _segments(text: str) -> list[tuple[str, str]]:
    """Runs of one script group; punctuation, digits and marks stay with the run before them."""
    scripts = [_char_script(ch) for ch in text]
    japanese = any(s in _KANA_SCRIPTS for s in scripts)
    segments: list[list] = []
    for ch, script in zip(text, scripts, strict=True):
        if script is None:
            group = None
        elif script in _KANA_SCRIPTS or (japanese and script == "Han"):
            group = "Japanese"
        elif script in _CONVERTERS:
            group = script
        else:
            group = "other:" + script
        if not segments:
            segments.append([group, [ch]])
        elif group is None or segments[-1][0] == group:
            segments[-1][1].append(ch)
        elif segments[-1][0] is None:
            segments[-1][0] = group
            segments[-1][1].append(ch)
        else:
            segments.append([group, [ch]])
    return [(group or "Latin", "".join(chars)) for group, chars in segments]


def _convert(group: str, text: str) -> list[str]:
    converter = _CONVERTERS.get(group, _other_alts)
    forms = [_ascii(f) for f in converter(text)]
    return [f for f in forms if f] or [""]


@lru_cache(maxsize=_CACHE_SIZE)
def _latin_forms_cached(text: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFKC", text)
    segments = _segments(text)
    alts = [_convert(group, chunk) for group, chunk in segments]
    if len(segments) == 1:
        return tuple(_dedupe(alts[0]))

    # Runs are glued only where two letters meet inside a word (mixed-script homoglyphs).
    glue = [
        "" if segments[i - 1][1][-1:].isalpha() and segments[i][1][:1].isalpha() else " "
        for i in range(len(segments))
    ]
    for i in range(1, len(segments)):
        if segments[i - 1][0] in _SPACED_GROUPS or segments[i][0] in _SPACED_GROUPS:
            glue[i] = " "

    def join(choice: list[str]) -> str:
        return "".join((glue[i] if i else "") + part for i, part in enumerate(choice))

    best = [a[0] for a in alts]
    candidates = [join(best)]
    for i, options in enumerate(alts):
        for option in options[1:]:
            candidates.append(join(best[:i] + [option] + best[i + 1 :]))
    return tuple(_dedupe(candidates))


def latin_forms(text: str) -> list[str]:
    """Lower-case ASCII Latin renderings of a name in any script, best first, deduplicated.

    Pure ASCII input short-circuits to exactly one form (``"Vladimir PUTIN"`` ->
    ``["vladimir putin"]``); an empty list means nothing usable remained (``"--"``). See the
    module documentation for the rules per script. At most :data:`MAX_FORMS` forms.
    """
    if text.isascii():
        form = _clean(text)
        return [form] if form else []
    return list(_latin_forms_cached(text))
