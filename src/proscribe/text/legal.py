"""Legal forms, generic business words and honorifics.

Legal forms (``Company Limited``, ``GmbH``, ``ООО``, ``有限公司``) say what kind of body a party is,
not which one: they are recognised as whole phrases, replaced by one canonical tag token and
weighted near zero, so ``CORP`` or ``LLC`` alone can never produce a match. Generic business
words (group, holding, trading, international) identify little and are capped low. Honorifics
and titles are dropped.

The tables are data, not logic: extend them as new list formats bring new spellings.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Canonical tag -> spellings, as normalised token sequences (lower case ASCII, no punctuation:
# ``d.o.o.`` arrives here as ``doo``; ``S.A.`` as ``sa``).
LEGAL_FORMS: dict[str, list[str]] = {
    "lf_ltd": [
        "limited", "ltd", "ltda", "co ltd", "company limited", "company ltd", "co limited", "limited company",
        "company limited by shares", "limited by shares", "private limited", "pvt ltd", "private limited company",
        "pte ltd", "pty ltd", "proprietary limited", "limitada", "ltee", "ltd co", "public limited company", "plc",
        "pte", "pty", "pvt",
    ],
    "lf_inc": ["incorporated", "inc", "incorporation"],
    "lf_corp": ["corporation", "corp", "corpn"],
    "lf_co": ["company", "co", "cia", "compania", "compagnie", "cie"],
    "lf_llc": [
        "llc", "l l c", "limited liability company", "limited liability co", "limited liability partnership",
        "llp", "lp", "limited partnership", "fz llc", "fzllc", "fze", "fzco", "fzc", "dmcc",
        "obshchestvo s ogranichennoy otvetstvennostyu", "obshchestvo s ogranichennoi otvetstvennostiu",
        "free zone establishment", "free zone company", "free zone enterprise", "fz co", "fz e",
        "ooo", "tov", "too", "mchj", "mas uliyati cheklangan jamiyati",
    ],
    "lf_jsc": [
        "jsc", "joint stock company", "joint stock co", "pjsc", "ojsc", "cjsc", "ojsc", "zao", "oao", "pao", "ao",
        "public joint stock company", "open joint stock company", "closed joint stock company",
        "open joint stock", "closed joint stock", "public joint stock", "joint stock", "joint stock co",
        "otkrytoe aktsionernoe obshchestvo", "zakrytoe aktsionernoe obshchestvo",
        "aktsionernoe obshchestvo", "aktsionernoye obshchestvo", "publichnoe aktsionernoe obshchestvo",
        "zakrytoe aktsionernoe obshchestvo", "otkrytoe aktsionernoe obshchestvo", "pat", "prat", "at",
        "sc", "psc", "ojs",
    ],
    "lf_gmbh": ["gmbh", "gesellschaft mit beschrankter haftung", "mbh", "gmbh co kg", "ug", "kg", "ohg", "ag",
                "aktiengesellschaft", "se"],
    "lf_sa": ["sa", "s a", "sociedad anonima", "societe anonyme", "sa de cv", "s a de c v", "sab de cv",
              "sociedad anonima de capital variable", "de cv", "sa cv", "s de rl de cv", "s de rl",
              "sas", "sarl", "sl", "srl", "spa", "sapi de cv", "sociedad de responsabilidad limitada",
              "societe a responsabilite limitee", "sal", "sae", "saog", "saoc", "sak", "sac", "eirl", "ltda"],
    "lf_bv": ["bv", "nv", "besloten vennootschap", "naamloze vennootschap", "vof"],
    "lf_nordic": ["ab", "as", "asa", "oy", "oyj", "aps", "a s", "hf", "ehf"],
    "lf_eastern": ["doo", "d o o", "dd", "ad", "kft", "zrt", "nyrt", "sro", "s r o", "as", "sp z oo", "sp zoo",
                   "spolka z ograniczona odpowiedzialnoscia", "ood", "eood", "srl", "sa", "ks", "vos"],
    "lf_asia": ["bhd", "sdn bhd", "berhad", "sendirian berhad", "tbk", "pt", "cv", "kk", "kabushiki kaisha",
                "yugen kaisha", "gk", "jsc", "co ltd", "hk", "ltd"],
    "lf_turkish": ["anonim sirketi", "ltd sti", "limited sirketi", "sti"],
    "lf_arabic": ["wll", "w l l", "spc", "pjsc", "psc", "llc", "est", "establishment", "fzco"],
}

#: Words that name a kind of business rather than a business. Their weight is capped. Sector
#: words that tell businesses apart (bank, shipping, airlines) are deliberately not here: "Apple
#: Bank" is not "Apple Inc".
GENERIC_WORDS = frozenset(
    """group groups holding holdings trading trade traders international intl company companies enterprise
    enterprises industries industry industrial services service global general corporation investment
    investments development management partners associates
    technology technologies tech the and of for de la el al del des du di da und y et e van der den le les
    import export imports exports network systems solutions
    products product co import-export foundation association union organization organisation society
    center centre institute national state republic branch office representative office agency""".split()
)

#: Chinese cities and provinces in pinyin, as Chinese enterprise names begin (administrative
#: division + trade name + industry + organisational form, under the PRC Provisions on the
#: Administration of Enterprise Name Registration): ``北京永信至诚科技`` and ``永信至诚科技`` are
#: the same trade name, so the place prefix is capped like a generic word. Places that are also
#: common given names or surnames (Xian, Dalian, Jinan, Ningbo ...) are left out.
CHINESE_PLACE_WORDS = frozenset(
    """beijing shanghai shenzhen guangzhou tianjin chongqing chengdu wuhan nanjing hangzhou qingdao
    xiamen suzhou changsha zhengzhou shenyang harbin dongguan foshan shijiazhuang taiyuan changchun
    urumqi kunming nanchang fuzhou guangdong jiangsu zhejiang shandong hunan hubei sichuan fujian
    anhui jiangxi liaoning heilongjiang shanxi shaanxi gansu yunnan guizhou guangxi xinjiang
    hongkong""".split()
)
GENERIC_WORDS = GENERIC_WORDS | CHINESE_PLACE_WORDS

#: Honorifics, ranks and titles dropped from person names.
HONORIFICS = frozenset(
    """mr mrs ms miss mx dr prof sir dame lord lady sheikh shaikh sheik haji hajji hadji mullah maulana mawlana
    imam sayyid sayed syed general gen colonel col major maj captain capt lieutenant lt brigadier admiral
    commander cmdr sergeant sgt his her excellency he hon honourable honorable rev reverend father fr
    ayatollah hojatoleslam""".split()
)


def _compile() -> tuple[dict[tuple[str, ...], str], int]:
    table: dict[tuple[str, ...], str] = {}
    longest = 1
    for tag, spellings in LEGAL_FORMS.items():
        for spelling in spellings:
            key = tuple(spelling.split())
            table.setdefault(key, tag)
            longest = max(longest, len(key))
    return table, longest


_LEGAL_TABLE, _LEGAL_LONGEST = _compile()
#: A weight every legal-form tag gets, whatever its rarity: enough to prefer the right legal form
#: among equals, never enough to make a match.
LEGAL_FORM_WEIGHT = 0.15


def tag_legal_forms(tokens: list[str]) -> list[str]:
    """Replace legal-form phrases by their canonical tag token, covering as many tokens as
    possible (so ``company limited liability partnership`` is one LLP, not ``company limited``
    followed by two stray words).

    ``['integrity', 'technology', 'company', 'limited']`` -> ``['integrity', 'technology', 'lf_ltd']``.
    A name made of legal forms only (``CORP``, ``LLC``) becomes tags only, and the matcher never
    matches on tags alone.
    """
    n = len(tokens)
    # best[i] = (tokens covered by legal forms in tokens[i:], -phrases used, plan)
    best: list[tuple[int, int, list[tuple[int, str | None]]]] = [(0, 0, [])] * (n + 1)
    for i in range(n - 1, -1, -1):
        covered, phrases, plan = best[i + 1]
        choice = (covered, phrases, [(1, None), *plan])
        for size in range(1, min(_LEGAL_LONGEST, n - i) + 1):
            tag = _LEGAL_TABLE.get(tuple(tokens[i : i + size]))
            if tag is None:
                continue
            c2, p2, plan2 = best[i + size]
            candidate = (c2 + size, p2 - 1, [(size, tag), *plan2])
            if candidate[:2] > choice[:2]:
                choice = candidate
        best[i] = choice
    out: list[str] = []
    i = 0
    for size, tag in best[0][2]:
        out.append(tag if tag is not None else tokens[i])
        i += size
    return out


#: Legal forms a name run together may end or begin with ("gomezmarinltda", "jscrostec"),
#: written as one word: spellings of four letters or more, and the three-letter ones that are
#: only ever legal forms. Longest first, so "pjsc" is not read as "jsc".
_RUN_TOGETHER_SHORT = frozenset({"ltd", "inc", "llc", "jsc", "plc", "ooo", "bhd", "wll", "fze", "llp"})
_RUN_TOGETHER_SUFFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {
            ("".join(key), tag)
            for key, tag in _LEGAL_TABLE.items()
            if len("".join(key)) >= 4 or "".join(key) in _RUN_TOGETHER_SHORT
        },
        key=lambda item: (-len(item[0]), item[0]),
    )
)
_SHORT_SUFFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {("".join(key), tag) for key, tag in _LEGAL_TABLE.items() if len("".join(key)) < 4}
        - set(_RUN_TOGETHER_SUFFIXES),
        key=lambda item: (-len(item[0]), item[0]),
    )
)
#: A name run into its legal form keeps at least this many letters of its own.
_MIN_STEM = 4


def _by_length(suffixes: tuple[tuple[str, str], ...]) -> tuple[tuple[int, dict[str, str]], ...]:
    """The spellings grouped by length, longest first: a token is looked up once per length."""
    groups: dict[int, dict[str, str]] = {}
    for spelling, tag in suffixes:
        groups.setdefault(len(spelling), {})[spelling] = tag
    return tuple(sorted(groups.items(), key=lambda item: -item[0]))


_LONG_BY_LENGTH = _by_length(_RUN_TOGETHER_SUFFIXES)
_ALL_BY_LENGTH = _LONG_BY_LENGTH + _by_length(_SHORT_SUFFIXES)  # the short ones after all the others


@lru_cache(maxsize=65536)
def legal_suffix(token: str, short: bool = False) -> tuple[str, str, bool] | None:
    """(the name, the legal-form tag, whether the form comes first) of a token that is a name
    run into its legal form (``gomezmarinltda`` -> ``('gomezmarin', 'lf_ltd', False)``,
    ``jscrostec`` -> ``('rostec', 'lf_jsc', True)``), or ``None``. The matcher splits the
    name further against its vocabulary; on its own this only says where a legal form may be.
    ``short`` also tries the two- and three-letter spellings that begin or end ordinary words
    too (``co``, ``sa``: Mexico, Sachs), for a caller that checks the rest splits into list words.
    The longest spelling wins (the short ones after all others); of two of one length, the first
    in alphabetical order, and of one spelling at both ends, the end (a dictionary look-up per
    length, not a scan of every form)."""
    for length, table in _ALL_BY_LENGTH if short else _LONG_BY_LENGTH:
        if len(token) - length < _MIN_STEM:
            continue
        end, start = token[-length:], token[:length]
        end_tag, start_tag = table.get(end), table.get(start)
        if end_tag is not None and (start_tag is None or end <= start):
            return token[:-length], end_tag, False
        if start_tag is not None:
            return token[length:], start_tag, True
    return None


def is_legal_form(token: str) -> bool:
    return token.startswith("lf_")


#: Business abbreviations, expanded on both sides before comparison (case-insensitive, whole
#: words, after dots are dropped: ``Mfg.`` -> ``mfg`` -> ``manufacturing``).
ABBREVIATIONS: dict[str, str] = {
    "mfg": "manufacturing", "mfrs": "manufacturers", "mfr": "manufacturer", "shpg": "shipping",
    "eqpt": "equipment", "equip": "equipment", "trdg": "trading", "natl": "national", "comml": "commercial",
    "engg": "engineering", "intl": "international", 
    "mgmt": "management", "mgt": "management", "svcs": "services", "svc": "service",
    "devt": "development", "elec": "electronics", "govt": "government", "assn": "association",
    "assoc": "association", "bros": "brothers", "dept": "department", "univ": "university",
    "inst": "institute", "ctr": "center", "cntr": "center", "grp": "group", "hldgs": "holdings",
    "hldg": "holding", "invt": "investment", "invest": "investment", "pharma": "pharmaceutical",
    "chem": "chemical", "constr": "construction", "transp": "transport", "bk": "bank", "ind": "industries",
    "indus": "industries", "inds": "industries", "ents": "enterprises", "tech": "technology", "techs": "technologies", "petrochem": "petrochemical", "sci": "scientific",
    "prod": "production", "prods": "products", "mach": "machinery", "navig": "navigation",
    "nav": "navigation", "agcy": "agency", "co-op": "cooperative",
    "coop": "cooperative", "fdn": "foundation", "acad": "academy", "org": "organization",
    "res": "research", "gen": "general", "sys": "systems", "invs": "investments", "indl": "industrial",
    "avn": "aviation", "entpr": "enterprise", "internat": "international", "genl": "general",
    "bldg": "building", "eng": "engineering", "mktg": "marketing",
    "dist": "distribution", "distr": "distribution", "telecom": "telecommunications",
}
_ABBREV_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True)) + r")\b",
                        re.IGNORECASE)


def expand_abbreviations(text: str) -> str:
    """``Korea Samjong Shpg`` -> ``Korea Samjong shipping``: standard business abbreviations
    spelled out, so the abbreviated and the full form of a list name compare as equals."""
    return _ABBREV_RE.sub(lambda m: ABBREVIATIONS[m.group(0).lower()], text)
