"""The seeded query workload of the screening speed benchmark (``bench/speed.py``).

A realistic mix, every query in the FollowTheMoney-style shape ``screen`` takes:

- about half are names taken from the current bundled lists and mutated the way real input
  differs from the list: typos, reordered tokens (``LAST, First`` -> ``First Last``), dropped
  middle names, legal forms spelled another way, case and punctuation; some carry the listed
  birth date or country;
- about 30 % are the 1,000 innocent US persons of the yente evaluation set
  (``negatives_us_1k.csv``), each used in three different spellings (with birth date and
  nationality, as ``LAST, First``, and with the middle name or a typo);
- about 20 % are synthetic innocent company names (coined and family names, a line of business,
  a legal form of some jurisdiction).

Everything is drawn from one ``random.Random(seed)``, so a seed gives the same workload.
"""

from __future__ import annotations

import csv
import json
import random
import re
from pathlib import Path
from typing import Any

# legal-form spellings that mean the same thing; a swap picks another spelling of the same group
LEGAL_FORM_GROUPS: list[tuple[str, ...]] = [
    ("COMPANY LIMITED", "CO., LTD.", "Co Ltd", "COMPANY, LIMITED", "CO. LIMITED"),
    ("LIMITED", "LTD", "Ltd.", "LIMITED COMPANY"),
    ("LIMITED LIABILITY COMPANY", "LLC", "L.L.C.", "Limited Liability Co"),
    ("INCORPORATED", "INC", "Inc.", "CORPORATION", "CORP"),
    ("JOINT STOCK COMPANY", "JSC", "AO", "OAO", "PAO"),
    ("OOO", "LLC", "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU"),
    ("GMBH", "GmbH", "Gesellschaft mit beschraenkter Haftung"),
    ("S.A.", "SA", "SOCIEDAD ANONIMA", "Societe Anonyme"),
    ("S.A. DE C.V.", "SA DE CV", "SOCIEDAD ANONIMA DE CAPITAL VARIABLE"),
    ("FZE", "FZCO", "FZ-LLC", "FREE ZONE ESTABLISHMENT"),
    ("PLC", "P.L.C.", "PUBLIC LIMITED COMPANY"),
    ("PTE LTD", "PTE. LTD.", "PRIVATE LIMITED"),
    ("SDN BHD", "SDN. BHD.", "SENDIRIAN BERHAD"),
    ("B.V.", "BV", "BESLOTEN VENNOOTSCHAP"),
    ("S.R.L.", "SRL", "SOCIETA A RESPONSABILITA LIMITATA"),
    ("TRADING", "TRADING CO", "TRADING COMPANY"),
]
_LEGAL_PATTERNS = sorted(
    ((spelling, group) for group in LEGAL_FORM_GROUPS for spelling in group), key=lambda item: -len(item[0])
)

KEYBOARD_NEIGHBOURS = {
    "a": "qwsz",
    "b": "vghn",
    "c": "xdfv",
    "d": "serfcx",
    "e": "wsdr",
    "f": "drtgvc",
    "g": "ftyhbv",
    "h": "gyujnb",
    "i": "ujko",
    "j": "huikmn",
    "k": "jiolm",
    "l": "kop",
    "m": "njk",
    "n": "bhjm",
    "o": "iklp",
    "p": "ol",
    "q": "wa",
    "r": "edft",
    "s": "awedxz",
    "t": "rfgy",
    "u": "yhji",
    "v": "cfgb",
    "w": "qase",
    "x": "zsdc",
    "y": "tghu",
    "z": "asx",
}

COINED_PARTS_A = [
    "Blue",
    "North",
    "Silver",
    "Green",
    "Bright",
    "Oak",
    "River",
    "Summit",
    "Harbor",
    "Maple",
    "Stone",
    "Clear",
    "Golden",
    "Iron",
    "Pine",
    "Red",
    "Sun",
    "Star",
    "Cedar",
    "Eagle",
    "Lake",
    "Prime",
    "Nova",
    "Apex",
    "Vista",
    "Terra",
    "Aqua",
    "Astra",
    "Delta",
    "Echo",
    "Ever",
    "Fair",
    "High",
    "Key",
    "Lumen",
]
COINED_PARTS_B = [
    "water",
    "field",
    "bridge",
    "point",
    "gate",
    "wood",
    "ridge",
    "stone",
    "light",
    "view",
    "crest",
    "line",
    "way",
    "brook",
    "haven",
    "path",
    "spring",
    "peak",
    "wave",
    "core",
    "works",
    "mark",
    "tek",
]
FAMILY_NAMES = [
    "Harper",
    "Lindqvist",
    "Okafor",
    "Moreau",
    "Tanaka",
    "Kowalski",
    "Brennan",
    "Castillo",
    "Novak",
    "Fischer",
    "Haddad",
    "Gupta",
    "Olsen",
    "Rossi",
    "Silva",
    "Murphy",
    "Schmidt",
    "Dubois",
    "Jensen",
    "Costa",
    "Weber",
    "Nguyen",
    "Patel",
    "Kaur",
    "Bauer",
    "Romano",
    "Svensson",
    "Duarte",
    "Horvat",
    "Ivanova",
    "Mendes",
    "Keller",
    "Larsen",
    "Vogel",
    "Yilmaz",
    "Andersen",
    "Whitfield",
    "Ashworth",
]
BUSINESS_LINES = [
    "Logistics",
    "Plumbing",
    "Dental Care",
    "Software",
    "Consulting",
    "Bakery",
    "Construction",
    "Freight",
    "Textiles",
    "Engineering",
    "Marketing",
    "Holdings",
    "Foods",
    "Pharmacy",
    "Solar",
    "Capital Partners",
    "Design Studio",
    "Auto Repair",
    "Veterinary Clinic",
    "Landscaping",
    "Printing",
    "Furniture",
    "Electrical Services",
    "Catering",
    "Analytics",
    "Robotics",
    "Packaging",
    "Real Estate",
    "Insurance Brokers",
    "Travel",
    "Medical Supplies",
    "Fitness",
    "Optics",
    "Tooling",
    "Coffee Roasters",
    "Brewing Company",
    "Security Systems",
    "Recycling",
    "Architects",
    "Media",
]
COMPANY_FORMS = [
    ("LLC", "us"),
    ("Inc.", "us"),
    ("Corp", "us"),
    ("Ltd", "gb"),
    ("Limited", "gb"),
    ("PLC", "gb"),
    ("GmbH", "de"),
    ("AG", "ch"),
    ("S.A.", "es"),
    ("S.r.l.", "it"),
    ("B.V.", "nl"),
    ("SAS", "fr"),
    ("Pty Ltd", "au"),
    ("Inc.", "ca"),
    ("AB", "se"),
    ("A/S", "dk"),
    ("Oy", "fi"),
    ("Sp. z o.o.", "pl"),
    ("Co., Ltd.", "jp"),
    ("Pte. Ltd.", "sg"),
    ("Ltda.", "br"),
    ("S.A. de C.V.", "mx"),
    ("", "us"),
]

# Innocent persons in their own script. Common surnames and given-name syllables or names of each
# naming tradition (general knowledge of the most frequent names, recombined at random).
HAN_SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
)
HAN_GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉力永健世广志义兴良海山仁波宁贵福生龙元全"
)
HANGUL_SURNAMES = [
    "김",
    "이",
    "박",
    "최",
    "정",
    "강",
    "조",
    "윤",
    "장",
    "임",
    "한",
    "오",
    "서",
    "신",
    "권",
    "황",
    "안",
    "송",
]
HANGUL_GIVEN = list("민서지현수영준우진호은하예도윤성주희정경연상훈재혁동석태원")
CYRILLIC_PERSONS = [
    ("Анна", "Сергеевна", "Смирнова"),
    ("Иван", "Петрович", "Кузнецов"),
    ("Ольга", "Викторовна", "Попова"),
    ("Дмитрий", "Андреевич", "Васильев"),
    ("Елена", "Ивановна", "Соколова"),
    ("Алексей", "Николаевич", "Михайлов"),
    ("Наталья", "Олеговна", "Новикова"),
    ("Михаил", "Юрьевич", "Фёдоров"),
    ("Татьяна", "Павловна", "Морозова"),
    ("Андрей", "Игоревич", "Волков"),
    ("Мария", "Алексеевна", "Лебедева"),
    ("Сергей", "Владимирович", "Семёнов"),
    ("Ирина", "Борисовна", "Егорова"),
    ("Павел", "Дмитриевич", "Козлов"),
    ("Светлана", "Михайловна", "Степанова"),
    ("Николай", "Сергеевич", "Никитин"),
]
ARABIC_GIVEN = [
    "محمد",
    "أحمد",
    "علي",
    "حسن",
    "خالد",
    "عمر",
    "يوسف",
    "إبراهيم",
    "سارة",
    "فاطمة",
    "مريم",
    "ليلى",
    "سامي",
    "طارق",
    "نور",
    "رنا",
    "كريم",
    "هشام",
    "منى",
    "زياد",
]
ARABIC_FAMILY = [
    "الحسيني",
    "العلي",
    "الخطيب",
    "النجار",
    "الحداد",
    "العمري",
    "السيد",
    "الشامي",
    "البغدادي",
    "المصري",
    "الزين",
    "الفارس",
    "القاسم",
    "الطحان",
]


# -- mutations ------------------------------------------------------------------------------------


def typo(rng: random.Random, name: str) -> str:
    """One keyboard-plausible edit in one token of four or more letters."""
    tokens = name.split(" ")
    choices = [i for i, t in enumerate(tokens) if sum(ch.isalpha() for ch in t) >= 4]
    if not choices:
        return name
    i = rng.choice(choices)
    token = tokens[i]
    positions = [p for p, ch in enumerate(token) if ch.isalpha()]
    p = rng.choice(positions[1:] or positions)  # typos rarely hit the first letter
    ch = token[p]
    kind = rng.choice(("substitute", "delete", "insert", "transpose"))
    if kind == "substitute":
        near = KEYBOARD_NEIGHBOURS.get(ch.lower())
        if not near:
            return name
        new = rng.choice(near)
        token = token[:p] + (new.upper() if ch.isupper() else new) + token[p + 1 :]
    elif kind == "delete":
        token = token[:p] + token[p + 1 :]
    elif kind == "insert":
        token = token[:p] + ch + token[p:]
    elif p + 1 < len(token):
        token = token[:p] + token[p + 1] + token[p] + token[p + 2 :]
    tokens[i] = token
    return " ".join(tokens)


def reorder(rng: random.Random, name: str) -> str:
    """``LAST, First Middle`` -> ``First Middle Last``; otherwise rotate the words."""
    if "," in name:
        last, _, rest = name.partition(",")
        if rest.strip():
            return f"{rest.strip()} {last.strip()}"
    tokens = name.split()
    if len(tokens) < 2:
        return name
    k = rng.randrange(1, len(tokens))
    return " ".join(tokens[k:] + tokens[:k])


def drop_middle(rng: random.Random, name: str) -> str | None:
    plain = name.replace(",", " ").split()
    if len(plain) < 3:
        return None
    if "," in name:  # LAST, First Middle...: keep LAST and First
        last, _, rest = name.partition(",")
        parts = rest.split()
        if len(parts) < 2:
            return None
        del parts[rng.randrange(1, len(parts))]
        return f"{last.strip()}, {' '.join(parts)}"
    del plain[rng.randrange(1, len(plain) - 1)]
    return " ".join(plain)


def swap_legal_form(rng: random.Random, name: str) -> str | None:
    upper = name.upper()
    for spelling, group in _LEGAL_PATTERNS:
        pattern = r"(?<![A-Z0-9])" + re.escape(spelling.upper()) + r"(?![A-Z0-9])"
        match = re.search(pattern, upper)
        if match:
            others = [s for s in group if s.upper() != spelling.upper()]
            return (name[: match.start()] + rng.choice(others) + name[match.end() :]).strip(" ,")
    return None


def recase(rng: random.Random, name: str) -> str:
    text = name.replace(",", "").replace(".", "") if rng.random() < 0.5 else name
    return text.title() if rng.random() < 0.6 else text.lower()


def mutate(rng: random.Random, name: str, schema: str) -> tuple[str, str]:
    """One realistic variation of a list name and the name of the mutation."""
    roll = rng.random()
    if roll < 0.15:
        return name, "exact"
    if roll < 0.40:
        return typo(rng, name), "typo"
    if roll < 0.58:
        return reorder(rng, name), "reorder"
    if roll < 0.72 and schema == "Person":
        out = drop_middle(rng, name)
        if out:
            return out, "drop_middle"
    if roll < 0.86 and schema != "Person":
        out = swap_legal_form(rng, name)
        if out:
            return out, "legal_form"
    if roll < 0.93:
        return recase(rng, name), "case"
    return recase(rng, typo(rng, name)), "typo+case"


# -- the three parts --------------------------------------------------------------------------------


def list_queries(rng: random.Random, entities: list[dict], count: int) -> list[dict[str, Any]]:
    """``entities``: dicts with ``id``, ``schema``, ``properties`` (the current list entries)."""
    named = [e for e in entities if e["properties"].get("name")]
    out = []
    while len(out) < count:
        entity = rng.choice(named)
        props = entity["properties"]
        pool = props["name"] if rng.random() < 0.7 or not props.get("alias") else props["alias"]
        base = rng.choice(pool)
        if len(base) > 120:
            continue
        name, how = mutate(rng, base, entity["schema"])
        schema = entity["schema"] if rng.random() < 0.85 else "LegalEntity"
        if schema not in ("Person", "Company", "Organization", "LegalEntity", "Vessel", "Airplane"):
            schema = "LegalEntity"
        query_props: dict[str, list[str]] = {"name": [name]}
        if entity["schema"] == "Person" and props.get("birthDate") and rng.random() < 0.35:
            query_props["birthDate"] = [props["birthDate"][0]]
        countries = props.get("nationality") or props.get("country")
        if countries and rng.random() < 0.35:
            key = "nationality" if entity["schema"] == "Person" else "country"
            query_props[key] = [countries[0]]
        out.append(
            {
                "id": f"L{len(out):05d}",
                "schema": schema,
                "properties": query_props,
                "_part": "list",
                "_mutation": how,
                "_expected": entity["id"],
            }
        )
    return out


def negative_queries(rng: random.Random, path: Path, count: int) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row.get("full_name")]
    out: list[dict[str, Any]] = []
    variant = 0
    while len(out) < count:
        for row in rows:
            if len(out) >= count:
                break
            props: dict[str, list[str]]
            if variant == 0:
                props = {"name": [row["full_name"]]}
                if row.get("date_of_birth"):
                    props["birthDate"] = [row["date_of_birth"]]
                if row.get("nationality"):
                    props["nationality"] = [row["nationality"]]
            elif variant == 1:
                first = " ".join(p for p in (row.get("first_name"), row.get("middle_name")) if p)
                props = {"name": [f"{row.get('last_name', '').upper()}, {first}".strip(", ")]}
            else:
                parts = [row.get("first_name"), row.get("middle_name"), row.get("last_name")]
                name = " ".join(p for p in parts if p)
                if not row.get("middle_name"):
                    name = typo(rng, name)
                props = {"name": [name]}
                if row.get("nationality") and rng.random() < 0.5:
                    props["nationality"] = [row["nationality"]]
            out.append(
                {"id": f"N{len(out):05d}", "schema": "Person", "properties": props, "_part": "negative"}
            )
        variant += 1
    return out


def company_queries(rng: random.Random, count: int) -> list[dict[str, Any]]:
    out = []
    for n in range(count):
        roll = rng.random()
        if roll < 0.4:
            stem = rng.choice(COINED_PARTS_A) + rng.choice(COINED_PARTS_B)
        elif roll < 0.75:
            stem = rng.choice(FAMILY_NAMES)
            if rng.random() < 0.3:
                stem += rng.choice((" & Sons", " Brothers", " & " + rng.choice(FAMILY_NAMES)))
        else:
            stem = f"{rng.choice(COINED_PARTS_A)} {rng.choice(COINED_PARTS_A)}"
        form, country = rng.choice(COMPANY_FORMS)
        name = " ".join(p for p in (stem, rng.choice(BUSINESS_LINES), form) if p)
        if rng.random() < 0.2:
            name = name.upper()
        props: dict[str, list[str]] = {"name": [name]}
        if rng.random() < 0.5:
            props["country"] = [country]
        schema = "Company" if rng.random() < 0.85 else "LegalEntity"
        out.append({"id": f"C{n:05d}", "schema": schema, "properties": props, "_part": "company"})
    return out


def variation_queries(rng: random.Random, path: Path, count: int) -> list[dict[str, Any]]:
    """Up to ``count`` queries of the quality benchmark's variation set (``bench/variations.py``:
    transliterations, original scripts, initials, abbreviations, identifiers ...), when present."""
    if count <= 0 or not path.exists():
        return []
    rows = read_jsonl(path)
    picked = rng.sample(rows, min(count, len(rows)))
    return [
        {
            "id": f"V{n:05d}",
            "schema": row["schema"],
            "properties": row["properties"],
            "_part": "variation",
            "_mutation": row.get("class"),
            "_expected": row.get("expected"),
        }
        for n, row in enumerate(picked)
    ]


def script_queries(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """Synthetic innocent persons written in their own script: Han (surname first, as written),
    Hangul (surname first, a third with the two-syllable given name first), Russian Cyrillic
    (given name, patronymic or not, surname), Arabic (given name, father's name, family name)."""
    out = []
    for n in range(count):
        script = rng.choice(("han", "hangul", "cyrillic", "arabic"))
        if script == "han":
            given = "".join(rng.choice(HAN_GIVEN) for _ in range(rng.choice((1, 2, 2))))
            name = rng.choice(HAN_SURNAMES) + given
        elif script == "hangul":
            surname = rng.choice(HANGUL_SURNAMES)
            given = rng.choice(HANGUL_GIVEN) + rng.choice(HANGUL_GIVEN)
            name = f"{surname}{given}" if rng.random() < 0.5 else f"{surname} {given}"
            if rng.random() < 0.3:
                name = f"{given} {surname}"
        elif script == "cyrillic":
            first, patronymic, surname = rng.choice(CYRILLIC_PERSONS)
            surname = rng.choice(CYRILLIC_PERSONS)[2]  # recombined: no real person meant
            name = f"{first} {patronymic} {surname}" if rng.random() < 0.5 else f"{first} {surname}"
        else:
            parts = rng.sample(ARABIC_GIVEN, 2) + [rng.choice(ARABIC_FAMILY)]
            name = " ".join(parts)
        props: dict[str, list[str]] = {"name": [name]}
        if rng.random() < 0.3:
            props["birthDate"] = [
                f"{rng.randint(1940, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            ]
        out.append({"id": f"S{n:05d}", "schema": "Person", "properties": props, "_part": f"script_{script}"})
    return out


def build_workload(
    entities: list[dict],
    negatives_csv: Path,
    total: int,
    seed: int,
    variations: Path | None = None,
    scripts: float = 0.0,
) -> list[dict[str, Any]]:
    """``total`` queries, shuffled: 50 % list-derived (a fifth of them from ``variations`` when that
    file exists), 30 % innocents (the yente negatives; a ``scripts`` share of the whole is taken
    from them for innocent persons in Han, Hangul, Cyrillic and Arabic script), 20 % synthetic
    companies. ``scripts=0`` keeps the mix of the earlier speed tables."""
    rng = random.Random(seed)
    n_list = total // 2
    n_script = min(int(total * scripts), total * 3 // 10)
    n_neg = total * 3 // 10 - n_script
    n_company = total - n_list - n_neg - n_script
    queries = variation_queries(rng, variations, n_list // 5) if variations else []
    queries += list_queries(rng, entities, n_list - len(queries))
    queries += negative_queries(rng, negatives_csv, n_neg)
    queries += company_queries(rng, n_company)
    if n_script:
        # drawn last and from its own generator, so scripts=0 gives the same workload as before
        queries += script_queries(random.Random(seed + 7), n_script)
    rng.shuffle(queries)
    return queries


def strip_private(query: dict[str, Any]) -> dict[str, Any]:
    """The query as ``screen`` takes it (the ``_`` keys are the benchmark's own labels)."""
    return {k: v for k, v in query.items() if not k.startswith("_")}


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
