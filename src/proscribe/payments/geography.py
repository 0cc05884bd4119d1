"""Embargoed jurisdictions: country codes, country and city names, postal codes, per regime.

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
- names of embargoed countries, regions and their cities, in several languages, scripts and
  spellings (all compared in the token space of :func:`proscribe.text.names.normalise_text`, so
  ``Ялта``, ``Jalta`` and ``Yalta`` are one name), as whole words in the town, district,
  subdivision, street and address lines of every address, and in free text;
- the postal codes that identify Crimea: Ukrainian 95000-99999 (with country UA) and the
  Russian-assigned 295000-299999 (with country RU, UA or none).

A region's city name counts in an address only when the address gives no country or one of the
region's host countries (UA, RU): ``Sebastopol``, California, is not Crimea. A name marked
ambiguous, or an embargoed country named in an address that states another country, gives a
``hold`` for review instead of the regime's action; so does any mention in free text.
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
_OBLAST_WORDS = {"oblast", "oblasti", "obl", "region", "oblastj", "province"}


@dataclass
class GeoHit:
    field: str
    value: str
    target: str  # country code (CU) or region key (crimea)
    action: str  # block | reject | hold
    program: str
    detail: str


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(normalise_text(text).split())


@lru_cache(maxsize=1)
def load_data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


class Geography:
    """The jurisdiction checks of one regime."""

    def __init__(self, regime: str = DEFAULT_REGIME, data: dict[str, Any] | None = None):
        data = data or load_data()
        if regime not in data["regimes"]:
            raise ValueError(f"unknown regime {regime!r}; use one of {', '.join(sorted(data['regimes']))}")
        self.regime = regime
        self.rules = data["regimes"][regime]
        self.hosts = {key: set(value) for key, value in data["region_hosts"].items()}
        # normalised name -> [(kind, target, ambiguous)]
        self.names: dict[tuple[str, ...], list[tuple[str, str, bool]]] = {}
        ambiguous_countries = {_tokens(n) for n in data.get("country_names_ambiguous", [])}
        for code, names in data["country_names"].items():
            for name in names:
                key = _tokens(name)
                if key:
                    self._add_name(key, "country", code, key in ambiguous_countries)
        self.postcodes: list[tuple[str, dict]] = []
        for region, spec in data["region_names"].items():
            ambiguous = {_tokens(n) for n in spec.get("ambiguous", [])}
            for name in spec["names"]:
                key = _tokens(name)
                if key:
                    self._add_name(key, "region", region, key in ambiguous)
            for rule in spec.get("postcodes", []):
                self.postcodes.append((region, rule))
        self.longest = max(len(k) for k in self.names)

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
    ) -> GeoHit | None:
        rule = self._rule(kind, target, agent)
        if rule is None:
            return None
        action = "hold" if review else rule["action"]
        label = target.upper() if kind == "region" else target
        extra = " (needs review)" if review and rule["action"] != "hold" else ""
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

    def find_names(self, text: str) -> list[tuple[str, str, bool, bool, str]]:
        """(kind, target, ambiguous, oblast, matched words) for every listed place name in ``text``,
        once per (kind, target); ``oblast`` when the name is followed by oblast/region."""
        tokens = normalise_text(text).split()
        found: dict[tuple[str, str], tuple[str, str, bool, bool, str]] = {}
        for i in range(len(tokens)):
            for size in range(min(self.longest, len(tokens) - i), 0, -1):
                key = tuple(tokens[i : i + size])
                entries = self.names.get(key)
                if entries:
                    after = tokens[i + size] if i + size < len(tokens) else ""
                    for kind, target, ambiguous in entries:
                        # "Donetsk Oblast" is the whole oblast, part of it government-controlled
                        oblast = kind == "region" and after in _OBLAST_WORDS
                        previous = found.get((kind, target))
                        if previous is None or (previous[2] or previous[3]) and not (ambiguous or oblast):
                            found[(kind, target)] = (kind, target, ambiguous, oblast, " ".join(key))
                    break
        return list(found.values())

    def address(self, address: Address, field: str) -> list[GeoHit]:
        hits: list[GeoHit] = []
        country = (address.country or "").upper() or None
        if country is None:  # an unstructured address often ends with a line holding only the country code
            bare = [line.strip() for line in address.lines if re.fullmatch(r"\s*[A-Z]{2}\s*", line)]
            country = bare[-1] if bare else None
        hits += self.country_code(country, f"{field}/Ctry" if "/" in field else field, what="address country")
        seen = {(hit.target, hit.action) for hit in hits}
        code = re.sub(r"[\s\-]", "", address.postcode or "")
        for region, rule in self.postcodes:
            if code.isdigit() and len(code) == rule["digits"] and rule["from"] <= int(code) <= rule["to"]:
                if country in rule["countries"] or (country is None and None in rule["countries"]):
                    hit = self._hit(
                        field,
                        address.postcode or "",
                        "region",
                        region,
                        f"postal code {address.postcode} ({rule['label']})",
                    )
                    if hit:
                        hits.append(hit)
        parts = [address.town, address.district, address.subdivision, address.street, *address.lines]
        text = " ; ".join(p for p in parts if p)
        for kind, target, ambiguous, oblast, words in self.find_names(text):
            if kind == "region":
                hosts = self.hosts.get(target, set())
                if country and country not in hosts:
                    continue  # Sebastopol, US is not Sevastopol
                review = (ambiguous and country is None) or oblast
                hit = self._hit(field, text, kind, target, f"address names {words!r}", review=review)
            else:
                review = ambiguous or (country is not None and country != target)
                hit = self._hit(field, text, kind, target, f"address names {words!r}", review=review)
            if hit and (hit.target, hit.action) not in seen:
                seen.add((hit.target, hit.action))
                hits.append(hit)
        return hits

    def free_text(self, text: str, field: str) -> list[GeoHit]:
        hits = []
        for kind, target, ambiguous, _oblast, words in self.find_names(text):
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
                    f"embargoed under the {self.regime.upper()} regime ({rule['basis']}); review",
                )
            )
        return hits


@lru_cache(maxsize=8)
def geography(regime: str = DEFAULT_REGIME) -> Geography:
    return Geography(regime)
