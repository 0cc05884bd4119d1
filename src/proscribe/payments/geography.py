"""Embargoed jurisdictions: country codes, country and city names, regions and postal codes, per regime.

The tables live in ``geography.json`` next to this module, one entry per regime (``us``, ``eu``,
``uk``), because the regimes differ: the US embargoes Cuba, Iran and North Korea outright and
prohibits dealings with Crimea and the so-called DNR and LNR regions of Ukraine; the EU and UK
restrict Crimea and the non-government-controlled areas of Ukraine and require authorisation
for some Iranian and North Korean transfers. Syria has not been under a comprehensive US
embargo since 1 July 2025 and is in no regime's table.

What is checked:

- a country code (address ``Ctry``, country of residence, the country letters of a BIC, the
  first two letters of an IBAN) against the regime's ``countries`` (agents' BICs against
  ``agent_countries`` first: an Iranian bank is blocked property under EO 13599, not a reject);
- names of embargoed countries, regions and their towns, in several languages, scripts and
  spellings (all compared in the token space of :func:`proscribe.text.names.normalise_text`, so
  ``Ялта``, ``Jalta`` and ``Yalta`` are one name), as whole words in the town, district,
  subdivision, street and address lines of every address, and in free text.

An embargoed area of Ukraine is decided on the most specific evidence the address gives,
because town names repeat: there is a Donetsk in Rostov Oblast, a Kirovsk in Murmansk Oblast.
Besides the town, an address may name its region (``CtrySubDvsn``, an ISO 3166-2 code, or words
such as ``Rostovskaya obl.`` anywhere in it) and a postal code (the structured one, or five or
six digits in its lines): a Ukrainian code names the oblast, a Russian one the federal subject,
and a code the occupying administration assigned (``2`` before the Ukrainian code: 295000 is
Simferopol) exists only in the occupied area. Then:

- region or postal code in the area (with or without a town): the regime's action (reject);
- a town of the area with a region or postal code of the oblast it lies in: the regime's action;
- a town of the area whose region or postal code is elsewhere: cleared when that is where a
  place of the same name lies (``Kirovsk, 184250`` is Murmansk Oblast), or when the name is
  known to repeat and region and postal code agree with each other; otherwise held, the
  evidence contradicting itself;
- evidence in the area and evidence elsewhere at once: held;
- a town of the area alone, no region, no postal code: the regime's action, unless a place of
  the same name lies in the country the address states (or anywhere, when it states none) or
  the name is ambiguous and no country is given: then held for review, with the reason;
- an oblast only partly in an area named without a town (``Kramatorsk, Donetsk Oblast``): held.

A region's town counts only when the address gives no country or one of the region's host
countries (UA, RU): ``Sebastopol``, California, is not Crimea. An embargoed country named in an
address that states another country gives a ``hold``; so does any mention in free text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from proscribe.payments.messages import Address
from proscribe.text.names import normalise_text

DATA_FILE = Path(__file__).with_name("geography.json")
REGIMES = ("us", "eu", "uk")
DEFAULT_REGIME = "us"
_POSTCODE_IN_TEXT = re.compile(r"(?<![\dA-Za-z])(\d{6}|\d{5})(?![\dA-Za-z])")
_ISO_SUBDIVISION = re.compile(r"^\s*(UA|RU)\s*-\s*([A-Z0-9]{1,3})\s*$", re.IGNORECASE)


@dataclass
class GeoHit:
    field: str
    value: str
    target: str  # country code (CU) or region key (crimea)
    action: str  # block | reject | hold
    program: str
    detail: str


@dataclass(frozen=True)
class Evidence:
    """A region or postal code an address gives: where it places the address."""

    kind: str  # "region" | "postal code"
    value: str
    subdivision: str  # ISO 3166-2 code (UA-14, RU-ROS) or "" for an occupation-assigned code
    label: str
    area: str | None  # the embargoed area it lies in, wholly or partly
    whole: bool  # the whole of it lies in ``area``
    alone: bool = True  # enough on its own to place the address in ``area``

    def status(self, area: str) -> str:
        """in | partial | out, relative to one embargoed area."""
        if self.area != area:
            return "out"
        return "in" if self.whole else "partial"

    def describe(self) -> str:
        return f"{self.kind} {self.value!r} ({self.label})"


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(normalise_text(text).split())


@lru_cache(maxsize=1)
def load_data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


class Geography:
    """The jurisdiction checks of one regime. Every table is compiled here, once: a check does
    one pass of dictionary look-ups over the address's words."""

    def __init__(self, regime: str = DEFAULT_REGIME, data: dict[str, Any] | None = None):
        data = data or load_data()
        if regime not in data["regimes"]:
            raise ValueError(f"unknown regime {regime!r}; use one of {', '.join(sorted(data['regimes']))}")
        self.regime = regime
        self.rules = data["regimes"][regime]
        self.hosts = {key: set(value) for key, value in data["region_hosts"].items()}
        # normalised name -> [(kind, target, ambiguous)]; kind: country | region | subdivision
        self.names: dict[tuple[str, ...], list[tuple[str, str, bool]]] = {}
        ambiguous_countries = {_tokens(n) for n in data.get("country_names_ambiguous", [])}
        for code, names in data["country_names"].items():
            for name in names:
                key = _tokens(name)
                if key:
                    self._add_name(key, "country", code, key in ambiguous_countries)
        self.area_words: set[tuple[str, ...]] = set()
        for region, spec in data["region_names"].items():
            ambiguous = {_tokens(n) for n in spec.get("ambiguous", [])}
            for name in spec["names"]:
                key = _tokens(name)
                if key:
                    self._add_name(key, "region", region, key in ambiguous)
                    self.area_words.add(key)
        self._compile_subdivisions(data.get("subdivisions", {}))
        self.occupation = list(data.get("occupation_postcodes", {}).get("ranges", []))
        # normalised town name -> [(country, subdivision, place)]
        self.lookalikes: dict[tuple[str, ...], list[tuple[str, str, str]]] = {}
        for place in data.get("lookalikes", {}).get("places", []):
            for name in place["names"]:
                entries = self.lookalikes.setdefault(_tokens(name), [])
                entry = (place["country"], place["region"], place["place"])
                if entry not in entries:
                    entries.append(entry)
        self.longest = max(len(k) for k in self.names)

    def _compile_subdivisions(self, spec: dict[str, Any]) -> None:
        """Region names with every type word (``Rostovskaya oblast``, ``Rostov region``, ``obl.``)
        are found anywhere in an address; a bare name (``Rostov``) only as the whole subdivision
        field, since a bare name in a line is as likely a town or a street named after it."""
        self.subdivisions: dict[str, dict[str, Any]] = spec.get("regions", {})
        types = [_tokens(t) for t in spec.get("type_words", [])]
        types = [t for t in types if t]
        self.type_words = {t for t in types if len(t) == 1}
        self.bare_subdivision: dict[tuple[str, ...], str] = {}
        self.ua_prefix: dict[int, str] = {}
        self.ru_prefix: dict[int, str] = {}
        explicit: dict[tuple[str, ...], str] = {}
        generated: dict[tuple[str, ...], str] = {}
        for code, region in self.subdivisions.items():
            table = self.ua_prefix if region["country"] == "UA" else self.ru_prefix
            for low, high in region.get("postcodes", []):
                for prefix in range(low, high + 1):
                    table[prefix] = code
            for name in region["names"]:
                words = _tokens(name)
                head = _strip_types(words, types)
                if head:
                    self.bare_subdivision.setdefault(head, code)
                    if words != head:
                        explicit.setdefault(words, code)
                    for type_word in types:
                        generated.setdefault(head + type_word, code)
                        generated.setdefault(type_word + head, code)
        # a name as written beats one made by swapping type words (Moscow Oblast is not Moscow)
        for key, code in [*explicit.items(), *((k, c) for k, c in generated.items() if k not in explicit)]:
            self._add_name(key, "subdivision", code, False)

    def _add_name(self, key: tuple[str, ...], kind: str, target: str, ambiguous: bool) -> None:
        entries = self.names.setdefault(key, [])
        for n, (k, t, a) in enumerate(entries):
            if (k, t) == (kind, target):
                entries[n] = (k, t, a or ambiguous)  # one spelling marked ambiguous makes the key so
                return
        entries.append((kind, target, ambiguous))

    # -- rules ------------------------------------------------------------------------------------

    def _rule(self, kind: str, target: str, agent: bool = False) -> dict | None:
        if kind == "region":
            return self.rules["regions"].get(target)
        if agent and target in self.rules.get("agent_countries", {}):
            return self.rules["agent_countries"][target]
        return self.rules["countries"].get(target)

    def _hit(
        self,
        field: str,
        value: str,
        kind: str,
        target: str,
        why: str,
        *,
        review: bool = False,
        agent: bool = False,
        because: str = "",
    ) -> GeoHit | None:
        rule = self._rule(kind, target, agent)
        if rule is None:
            return None
        action = "hold" if review else rule["action"]
        label = target.upper() if kind == "region" else target
        extra = because or (" (needs review)" if review and rule["action"] != "hold" else "")
        return GeoHit(
            field,
            value,
            target,
            action,
            rule["program"],
            f"{why}: {label} is embargoed under the {self.regime.upper()} regime ({rule['basis']}){extra}",
        )

    # -- checks -----------------------------------------------------------------------------------

    def country_code(
        self, code: str | None, field: str, *, agent: bool = False, what: str = "country"
    ) -> list[GeoHit]:
        if not code:
            return []
        hit = self._hit(field, code, "country", code.upper(), f"{what} {code.upper()}", agent=agent)
        return [hit] if hit else []

    def bic(self, bic: str | None, field: str) -> list[GeoHit]:
        if not bic or len(bic) < 6:
            return []
        return self.country_code(bic[4:6].upper(), field, agent=True, what=f"BIC {bic} is in country")

    def iban(self, account: str | None, field: str) -> list[GeoHit]:
        if not account or not re.fullmatch(r"[A-Z]{2}\d{2}[A-Za-z0-9]{8,30}", account.replace(" ", "")):
            return []
        return self.country_code(account[:2], field, what=f"IBAN {account[:4]}... is in country")

    def _scan(self, tokens: list[str]) -> list[tuple[str, str, bool, str]]:
        """(kind, target, ambiguous, matched words) for every listed name, longest match first,
        so ``Donetsk Oblast`` is the oblast and not the town."""
        found: list[tuple[str, str, bool, str]] = []
        i = 0
        while i < len(tokens):
            for size in range(min(self.longest, len(tokens) - i), 0, -1):
                key = tuple(tokens[i : i + size])
                entries = self.names.get(key)
                if entries:
                    found.extend((kind, target, ambiguous, " ".join(key)) for kind, target, ambiguous in entries)
                    i += size
                    break
            else:
                i += 1
        return found

    def find_names(self, text: str) -> list[tuple[str, str, bool, bool, str]]:
        """(kind, target, ambiguous, oblast, matched words) for every embargoed country or area
        name in ``text``, once per (kind, target); ``oblast`` when the words name an oblast only
        partly in the area (``Donetsk Oblast``)."""
        found: dict[tuple[str, str], tuple[str, str, bool, bool, str]] = {}
        for kind, target, ambiguous, words in self._scan(normalise_text(text).split()):
            oblast = False
            if kind == "subdivision":
                region = self.subdivisions[target]
                if not region.get("area"):
                    continue
                kind, target, oblast = "region", region["area"], not region.get("whole")
            previous = found.get((kind, target))
            if previous is None or (previous[2] or previous[3]) and not (ambiguous or oblast):
                found[(kind, target)] = (kind, target, ambiguous, oblast, words)
        return list(found.values())

    # -- address evidence -------------------------------------------------------------------------

    def _postcode_evidence(self, code: str, country: str | None) -> Evidence | None:
        number = int(code)
        if len(code) == 6:
            for rule in self.occupation:
                if rule["from"] <= number <= rule["to"]:
                    return Evidence(
                        "postal code",
                        code,
                        "",
                        rule["label"],
                        rule["area"],
                        True,
                        alone=country in rule["countries"],
                    )
            subdivision = self.ru_prefix.get(number // 1000)
            if subdivision and country in ("RU", None):
                return self._subdivision_evidence("postal code", code, subdivision)
            return None
        if country in ("UA", "RU"):  # Russia has no five-digit codes: an old Ukrainian code of an occupied area
            subdivision = self.ua_prefix.get(number // 1000)
            if subdivision:
                return self._subdivision_evidence("postal code", code, subdivision)
        return None

    def _subdivision_evidence(self, kind: str, value: str, code: str) -> Evidence:
        region = self.subdivisions[code]
        label = f"{region['label']}, {'Ukraine' if region['country'] == 'UA' else 'Russia'}"
        return Evidence(kind, value, code, label, region.get("area"), bool(region.get("whole")))

    def _subdivision_field(self, text: str, country: str | None) -> str | None:
        """The region a ``CtrySubDvsn`` names as a whole: an ISO 3166-2 code or a region name."""
        match = _ISO_SUBDIVISION.match(text)
        if match:
            code = f"{match.group(1).upper()}-{match.group(2).upper()}"
        elif country in ("UA", "RU") and re.fullmatch(r"\s*[A-Za-z0-9]{2,3}\s*", text):
            code = f"{country}-{text.strip().upper()}"
        else:
            code = self.bare_subdivision.get(_tokens(text))
        return code if code in self.subdivisions else None

    def evidence(self, address: Address, country: str | None) -> list[Evidence]:
        """Every region and postal code the address gives, with where each places it."""
        found: dict[tuple[str, str], Evidence] = {}
        codes = []
        if address.postcode:
            compact = re.sub(r"[\s\-]", "", address.postcode)
            codes += [m for m in _POSTCODE_IN_TEXT.findall(compact) if m == compact[-len(m) :]]
        for part in (address.town, address.district, address.street, address.subdivision, *address.lines):
            if part:
                codes += _POSTCODE_IN_TEXT.findall(part)
        for code in dict.fromkeys(codes):
            item = self._postcode_evidence(code, country)
            if item:
                found[(item.kind, item.value)] = item
        if address.subdivision:
            code = self._subdivision_field(address.subdivision, country)
            if code:
                item = self._subdivision_evidence("region", address.subdivision, code)
                found[(item.kind, item.subdivision)] = item
        for part in (address.district, address.town, address.subdivision, address.street, *address.lines):
            if not part:
                continue
            for kind, code, _ambiguous, words in self._scan(normalise_text(part).split()):
                if kind == "subdivision" and ("region", code) not in found:
                    found[("region", code)] = self._subdivision_evidence("region", words, code)
        return list(found.values())

    # -- addresses --------------------------------------------------------------------------------

    def address(self, address: Address, field: str) -> list[GeoHit]:
        hits: list[GeoHit] = []
        country = (address.country or "").upper() or None
        if country is None:  # an unstructured address often ends with a line holding only the country code
            bare = [line.strip() for line in address.lines if re.fullmatch(r"\s*[A-Z]{2}\s*", line)]
            country = bare[-1] if bare else None
        hits += self.country_code(country, f"{field}/Ctry" if "/" in field else field, what="address country")
        seen = {(hit.target, hit.action) for hit in hits}
        evidence = self.evidence(address, country)
        subdivision_text = address.subdivision or ""
        whole_subdivision = bool(subdivision_text) and any(
            e.kind == "region" and e.value == subdivision_text for e in evidence
        )
        parts = [
            address.town,
            address.district,
            None if whole_subdivision else address.subdivision,
            address.street,
            *address.lines,
        ]
        text = " ; ".join(p for p in parts if p)
        towns: dict[str, list[tuple[str, bool]]] = {}
        for kind, target, ambiguous, words in self._scan(normalise_text(text).split()):
            if kind == "region":
                towns.setdefault(target, []).append((words, ambiguous))
            elif kind == "country":
                review = ambiguous or (country is not None and country != target)
                hit = self._hit(field, text, kind, target, f"address names {words!r}", review=review)
                if hit and (hit.target, hit.action) not in seen:
                    seen.add((hit.target, hit.action))
                    hits.append(hit)
        areas = list(dict.fromkeys([*towns, *(e.area for e in evidence if e.area)]))
        for area in areas:
            if country and country not in self.hosts.get(area, set()):
                continue  # Sebastopol, US is not Sevastopol
            hit = self._area(field, text or address.text(), area, country, towns.get(area, []), evidence)
            if hit and (hit.target, hit.action) not in seen:
                seen.add((hit.target, hit.action))
                hits.append(hit)
        return hits

    def _area(
        self,
        field: str,
        value: str,
        area: str,
        country: str | None,
        towns: list[tuple[str, bool]],
        evidence: list[Evidence],
    ) -> GeoHit | None:
        """One embargoed area, decided on the most specific evidence (see the module docstring)."""
        inside = [e for e in evidence if e.status(area) == "in" and (e.alone or towns)]
        partial = [e for e in evidence if e.status(area) == "partial"]
        outside = [e for e in evidence if e.status(area) == "out" and e.subdivision]
        said = "; ".join(e.describe() for e in [*inside, *partial, *outside])
        town_words = ", ".join(repr(words) for words, _ in towns)
        if inside and outside:
            why = f"address evidence contradicts itself ({said})"
            return self._hit(field, value, "region", area, why, review=True, because="; held for review")
        if inside:
            why = f"address names {town_words} and {said}" if towns else f"address gives {said}"
            return self._hit(field, value, "region", area, why)
        if outside:
            if not towns:
                return None
            return self._outside(field, value, area, country, towns, outside, said)
        if towns and partial:
            return self._hit(field, value, "region", area, f"address names {town_words} and {said}")
        if partial:
            if not any(e.kind == "region" for e in partial):
                return None  # a postal code of an oblast only partly occupied is no evidence alone
            why = f"address names {said}, only part of which is"
            return self._hit(field, value, "region", area, why, review=True)
        return self._town_alone(field, value, area, country, towns)

    def _outside(
        self,
        field: str,
        value: str,
        area: str,
        country: str | None,
        towns: list[tuple[str, bool]],
        outside: list[Evidence],
        said: str,
    ) -> GeoHit | None:
        subdivisions = {e.subdivision for e in outside}
        for words, _ambiguous in towns:
            places = self.lookalikes.get(tuple(words.split()), [])
            if any(subdivision in subdivisions for _c, subdivision, _p in places):
                continue  # the look-alike the evidence points at
            kinds = {e.kind for e in outside}
            if places and len(subdivisions) == 1 and kinds == {"region", "postal code"}:
                continue  # a name known to repeat; region and postal code agree on one place
            why = f"address names {words!r}, a town of {area.upper()}, but gives {said}"
            return self._hit(field, value, "region", area, why, review=True, because="; held for review")
        return None

    def _town_alone(
        self, field: str, value: str, area: str, country: str | None, towns: list[tuple[str, bool]]
    ) -> GeoHit | None:
        """Town names and nothing else: a name found only in the area decides; names that also
        lie elsewhere in the stated country (anywhere, when none is stated) are held."""
        if not towns:
            return None
        elsewhere: list[str] = []
        unique = False
        for words, ambiguous in towns:
            places = [
                place
                for c, _subdivision, place in self.lookalikes.get(tuple(words.split()), [])
                if country is None or c == country
            ]
            elsewhere += places
            unique = unique or not (places or (ambiguous and country is None))
        town_words = ", ".join(repr(words) for words, _ in towns)
        if unique:
            return self._hit(field, value, "region", area, f"address names {town_words}")
        if elsewhere:
            why = f"address names {town_words} with no region or postal code"
            because = (
                f"; a place of that name is also {', '.join(dict.fromkeys(elsewhere))}: held for review "
                "(give the region or postal code)"
            )
            return self._hit(field, value, "region", area, why, review=True, because=because)
        return self._hit(field, value, "region", area, f"address names {town_words}", review=True)

    def free_text(self, text: str, field: str) -> list[GeoHit]:
        hits = []
        for kind, target, ambiguous, oblast, words in self.find_names(text):
            if ambiguous:
                continue
            rule = self._rule(kind, target)
            if rule is None:
                continue
            hits.append(
                GeoHit(
                    field,
                    text,
                    target,
                    self.rules.get("free_text_action", "hold"),
                    rule["program"],
                    f"free text names {words!r}: {target.upper() if kind == 'region' else target} is "
                    f"{'partly ' if oblast else ''}embargoed under the {self.regime.upper()} regime "
                    f"({rule['basis']}); review",
                )
            )
        return hits


def _strip_types(words: tuple[str, ...], types: list[tuple[str, ...]]) -> tuple[str, ...]:
    """A region name without its type word at either end (``respublika krym`` -> ``krym``)."""
    for type_word in sorted(types, key=len, reverse=True):
        size = len(type_word)
        if len(words) > size and words[-size:] == type_word:
            return words[:-size]
        if len(words) > size and words[:size] == type_word:
            return words[size:]
    return words


@lru_cache(maxsize=8)
def geography(regime: str = DEFAULT_REGIME) -> Geography:
    return Geography(regime)
