"""One decision per payment: pass, hold, block or reject, with every reason.

What is screened, all through :func:`proscribe.screen.screen` (the one entry point; nothing
here scores names):

- every party (debtor, creditor, ultimate debtor and creditor, initiating party, invoicer and
  invoicee, and any other name the message holds) by name, country, date of birth and
  identifiers (BIC, LEI, other ids); a party flagged a natural person is screened as a Person
  for listed persons and with no schema for every other listed party ("declared a person,
  matches a listed organisation"): the sender's flag never hides a listed organisation;
- every agent by BIC and by name;
- every address, structured or not, for embargoed jurisdictions (:mod:`.geography`) and for
  listed names written into it (a ``c/o``);
- every free-text field (remittance information, MT 70/72/77B, instructions to agents,
  regulatory reporting) read as a reader sees it (:mod:`.reading`: its lines or repeated
  elements joined, with and without a space, words broken at a line end rejoined), with the
  list-name automaton (:mod:`.freetext`), confirmed by screening (a confirmed name holds, cited
  by field and line); for embargoed places (hold); for BICs the lists hold
  (MT 72 ``/INS/BANKXXYY``: screened as identifiers, the list's rule applies) and IBANs of
  embargoed countries (hold).

Each reason carries an action; the decision is the most severe (block > reject > hold > pass).
A confident match from a list whose rule is to freeze assets (``list_actions`` of the regime in
``geography.json``) blocks; a review-level match holds. A payment that could not be fully
parsed is held whatever else was found (fail closed: never passed, and nothing is entered in
the blocked property register from a message that was not fully read).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from proscribe.index.compiled import CompiledIndex
from proscribe.payments import freetext
from proscribe.payments.geography import DEFAULT_REGIME, GeoHit, geography, load_data
from proscribe.payments.messages import Address, Agent, Party, Payment
from proscribe.payments.reading import Reading, is_mt_field, readings
from proscribe.screen import QueryError, get_index, screen
from proscribe.text.identifiers import normalise_identifier, validate_bic

SEVERITY = {"pass": 0, "hold": 1, "reject": 2, "block": 3}
_BIC_IN_TEXT = re.compile(r"(?<![A-Z0-9])[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?![A-Z0-9])")
_IBAN_IN_TEXT = re.compile(r"(?<![A-Z0-9])[A-Z]{2}\d{2}[A-Z0-9]{10,30}(?![A-Z0-9])")
CACHE_LIMIT = 200_000
PARTY_LABEL = {
    "debtor": "debtor",
    "creditor": "creditor",
    "ultimate_debtor": "ultimate debtor",
    "ultimate_creditor": "ultimate creditor",
    "initiating_party": "initiating party",
    "invoicer": "invoicer",
    "invoicee": "invoicee",
    "other_name": "name in the message",
}
#: Bumped whenever the payment decision logic changes: decisions recorded before are not replayed.
DECISION_VERSION = "3"
#: Listed schemas a person-flagged party is also screened against: every one but Person.
PERSON = "Person"


@cache
def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def configuration_version() -> dict[str, str]:
    """The configuration a decision depends on, by content: the matching configuration, the
    regimes' geography and list rules, the free-text word list, the engine and decision versions."""
    from proscribe import __version__
    from proscribe.match.config import CONFIG_PATH
    from proscribe.payments.geography import DATA_FILE
    from proscribe.screen import ENGINE_VERSION

    return {
        "matching.toml": _file_digest(CONFIG_PATH),
        "geography.json": _file_digest(DATA_FILE),
        "common_words.txt": _file_digest(Path(freetext.__file__).with_name("common_words.txt")),
        "ordinary_words.txt": _file_digest(Path(freetext.__file__).with_name("ordinary_words.txt")),
        "engine": ENGINE_VERSION,
        "proscribe": __version__,
        "decision": DECISION_VERSION,
    }


@dataclass
class Reason:
    kind: str  # party | agent | address | free_text | identifier | geography | parse_error
    field: str
    value: str | None
    detail: str
    action: str  # block | reject | hold
    result: dict[str, Any] | None = None
    program: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "field": self.field,
            "value": self.value,
            "detail": self.detail,
            "action": self.action,
            "result": self.result,
        }


@dataclass
class Outcome:
    payment: Payment
    decision: str
    reasons: list[Reason]
    regime: str
    timings: dict[str, float] = field(default_factory=dict)
    snapshots: dict[str, dict] = field(default_factory=dict)  # the list snapshots screened against

    @property
    def key(self) -> str:
        return self.payment.message_id

    def line(self) -> dict[str, Any]:
        return {
            "message_id": self.payment.message_id,
            "file": self.payment.file,
            "format": self.payment.format,
            "decision": self.decision,
            "regime": self.regime,
            "reasons": [r.to_dict() for r in self.reasons],
        }

    def deciding(self) -> Reason | None:
        """The reason that set the decision (the first of the most severe)."""
        for reason in self.reasons:
            if reason.action == self.decision:
                return reason
        return None


def _compact(result: dict[str, Any]) -> dict[str, Any]:
    return dict(result)


class Screener:
    """Decides payments against one index under one regime; caches screening results per query
    (the same banks and counterparties recur across a batch)."""

    def __init__(
        self,
        index: CompiledIndex | None = None,
        regime: str = DEFAULT_REGIME,
        datasets: list[str] | None = None,
    ):
        self.index = index or get_index()
        self.regime = regime
        self.geo = geography(regime)
        self.datasets = datasets
        self.list_actions = load_data()["regimes"][regime].get("list_actions", {"*": "hold"})
        self._cache: dict[tuple, dict[str, Any]] = {}
        self.automaton = freetext.automaton_for(self.index)
        self.basis = self._basis()
        self.basis_digest = hashlib.sha256(json.dumps(self.basis, sort_keys=True).encode()).hexdigest()

    def _basis(self) -> dict[str, Any]:
        """Everything but the message a decision depends on (the replay key holds its digest):
        the regime, the datasets, the list snapshots of the index, the configuration."""
        return {
            "regime": self.regime,
            "datasets": sorted(self.datasets) if self.datasets else None,
            "snapshots": {
                ds: [snap.get("id"), snap.get("sha256"), snap.get("label")]
                for ds, snap in sorted(self.index.snapshots.items())
            },
            "configuration": configuration_version(),
        }

    # -- screening ----------------------------------------------------------------------------------

    def screen_query(self, schema: str, properties: dict[str, list[str]]) -> dict[str, Any]:
        key = (schema, tuple(sorted((k, tuple(v)) for k, v in properties.items() if v)))
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        result = screen(
            {"id": "", "schema": schema, "properties": {k: v for k, v in properties.items() if v}},
            index=self.index,
            datasets=self.datasets,
        )
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = result
        return result

    def screen_name(self, name: str) -> dict[str, Any]:
        return self.screen_query("LegalEntity", {"name": [name]})

    def _citation_rank(self, item: dict[str, Any]) -> tuple[int, float]:
        """Which of several listed entries of one name a free-text hit cites: the one whose list
        rule is most severe under the regime (the SDN entry before another country's), then score."""
        return (SEVERITY[self._list_action(item)], item["score"])

    def _list_action(self, item: dict[str, Any]) -> str:
        if not item.get("match"):
            return "hold"
        return self.list_actions.get(item.get("dataset", ""), self.list_actions.get("*", "hold"))

    def _match_reasons(
        self, kind: str, field_name: str, value: str, what: str, result: dict[str, Any]
    ) -> list[Reason]:
        if result["decision"] == "clear" or not result["results"]:
            return []
        # the result whose list rule is most severe (an SDN hit outranks the same name on another list)
        top = max(result["results"], key=lambda item: (SEVERITY[self._list_action(item)], item["score"]))
        action = self._list_action(top)
        only_ids = "name" not in top.get("explanation", {}) and top.get("explanation", {}).get("identifiers")
        programs = ", ".join(top.get("programs") or []) or "no program"
        verdict = "confident match" if top.get("match") else "possible match (review)"
        detail = (
            f"{what} {value!r} {'identifier ' if only_ids else ''}{verdict}: {top['caption']} "
            f"({top['dataset']} {top['source_id']}, {programs}), score {top['score']}; {action}"
        )
        return [
            Reason(
                "identifier" if only_ids else kind,
                field_name,
                value,
                detail,
                action,
                _compact(top),
                program=programs,
            )
        ]

    def party(self, party: Party) -> list[Reason]:
        props: dict[str, list[str]] = {}
        if party.name:
            props["name"] = list(dict.fromkeys([party.name, *party.alternatives]))
        country = (party.address.country if party.address else None) or party.country
        if country:
            props["country"] = [country]
        if party.birth_date:
            props["birthDate"] = [party.birth_date]
        if party.bic:
            props["swiftBic"] = [party.bic]
        if party.lei:
            props["leiCode"] = [party.lei]
        for _scheme, value in party.identifiers[:5]:
            props.setdefault("idNumber" if party.person else "registrationNumber", []).append(value)
        if party.role == "other_name" or is_mt_field(party.field):  # a path already; MT: 50K, B/59F
            field_name = party.field
        elif "/" in party.field or party.field[:1].isupper():  # ISO 20022: CdtTrfTxInf/Cdtr/Nm
            # a party known only by an identifier is cited as the party element: its BIC sits
            # in Id/OrgId for a customer, in FinInstnId for an institution (pacs.009, Agt)
            field_name = party.field + ("/Nm" if party.name else "")
        else:  # JSON form: creditor.name
            field_name = party.field + (".name" if party.name else "")
        value = party.name or party.bic or party.lei or (party.identifiers[0][1] if party.identifiers else "")
        label = PARTY_LABEL.get(party.role, party.role)
        try:
            if party.person:
                reasons = self._declared_person(field_name, value, label, props)
            else:
                result = self.screen_query("LegalEntity", props)
                reasons = self._match_reasons("party", field_name, value, label, result)
        except QueryError as exc:
            return [
                Reason("party", party.field, value, f"{label} could not be screened: {exc}; held", "hold")
            ]
        for geo in self.geo.country_code(
            party.country, f"{party.field}/CtryOfRes", what="country of residence"
        ):
            reasons.append(self._geo_reason(geo))
        for geo in self.geo.iban(party.account, f"{party.field}Acct"):
            reasons.append(self._geo_reason(geo))
        if party.bic:
            for geo in self.geo.bic(party.bic, party.field):
                reasons.append(self._geo_reason(geo))
        return reasons

    def _declared_person(
        self, field_name: str, value: str, label: str, props: dict[str, list[str]]
    ) -> list[Reason]:
        """A party flagged a natural person (JSON ``"person": true``, ``PrvtId``, MT ``50F``
        with a ``4/`` birth line): listed persons are judged by the query as a Person (birth
        date and all), every other listed party (an airline, a bank, a company, a vessel) by the
        same query with no schema at all: the flag is the sender's word and must never hide a
        listed organisation. The stricter outcome counts; both reasons are kept."""
        as_person = self.screen_query(PERSON, props)
        persons = [item for item in as_person["results"] if item.get("schema") == PERSON]
        reasons = self._match_reasons("party", field_name, value, label, {**as_person, "results": persons})
        anyone = self.screen_query("LegalEntity", {k: v for k, v in props.items() if k != "birthDate"})
        others = [item for item in anyone["results"] if item.get("schema") != PERSON]
        for reason in self._match_reasons("party", field_name, value, label, {**anyone, "results": others}):
            schema = (reason.result or {}).get("schema", "")
            reason.detail = (
                f"{label} declared a person, matches a listed {_schema_word(schema)}: {reason.detail}"
            )
            reasons.append(reason)
        return reasons

    def agent(self, agent: Agent) -> list[Reason]:
        props: dict[str, list[str]] = {}
        if agent.bic:
            props["swiftBic"] = [agent.bic]
        if agent.name:
            props["name"] = list(dict.fromkeys([agent.name, *agent.alternatives]))
        if agent.lei:
            props["leiCode"] = [agent.lei]
        if agent.address and agent.address.country:
            props["country"] = [agent.address.country]
        reasons: list[Reason] = []
        if props.get("swiftBic") or props.get("name") or props.get("leiCode"):
            value = agent.bic or agent.name or agent.lei or ""
            try:
                result = self.screen_query("LegalEntity", props)
                reasons += self._match_reasons(
                    "agent", agent.field, value, agent.role.replace("_", " "), result
                )
            except QueryError as exc:
                reasons.append(
                    Reason("agent", agent.field, value, f"agent could not be screened: {exc}; held", "hold")
                )
        for geo in self.geo.bic(agent.bic, agent.field):
            reasons.append(self._geo_reason(geo))
        return reasons

    def address(self, owner: str, address: Address) -> list[Reason]:
        reasons = [self._geo_reason(hit) for hit in self.geo.address(address, address.field)]
        text = " ".join(x for x in (address.street, *address.lines) if x)
        if text:
            for hit in freetext.scan(text, self.index, self.screen_name):
                reasons.extend(self._free_text_reason("address", address.field, text, hit))
        return reasons

    def free_text_identifiers(self, field_name: str, text: str) -> list[Reason]:
        """BICs written into free text (MT 72 ``/INS/BANKXXYY``, an instruction naming a bank) and
        IBANs: a BIC the lists hold is screened as an identifier; an IBAN's country is checked."""
        reasons: list[Reason] = []
        for token in set(_BIC_IN_TEXT.findall(text)):
            if validate_bic(token)[0] and any(
                n.key in self.index.identifiers for n in normalise_identifier("swift_bic", token, None)
            ):
                try:
                    result = self.screen_query("LegalEntity", {"swiftBic": [token]})
                except QueryError:
                    continue
                for reason in self._match_reasons(
                    "identifier", field_name, token, "BIC in free text", result
                ):
                    reason.kind = "identifier"
                    reasons.append(reason)
        for token in set(_IBAN_IN_TEXT.findall(text)):
            for hit in self.geo.iban(token, field_name):
                hit.action = "hold"  # an account named in text is a lead, not the payment's route
                hit.detail += "; named in free text: review"
                reasons.append(self._geo_reason(hit))
        return reasons

    def _free_text_reason(
        self, kind: str, field_name: str, text: str, hit: freetext.FreeTextHit
    ) -> list[Reason]:
        item = hit.result
        if not item.get("match"):
            return []
        programs = ", ".join(item.get("programs") or []) or "no program"
        place = f" in {hit.where}" if hit.where else ""
        read = f" ({hit.reading})" if hit.reading else ""
        detail = (
            f"names {hit.text!r}{place}{read}: {item['caption']} ({item['dataset']} {item['source_id']}, "
            f"{programs}), score {item['score']}; rule: \"{hit.rule}\"; a listed name in "
            f"{'an address' if kind == 'address' else 'free text'}: hold"
        )
        return [Reason(kind, hit.where or field_name, text, detail, "hold", _compact(item), program=programs)]

    def free_text(self, reading: Reading) -> list[Reason]:
        """One reading of a free-text field: listed names (cited by field and line), embargoed
        places, listed BICs and embargoed IBANs."""
        reasons: list[Reason] = []
        for hit in freetext.scan_reading(reading, self.index, self.screen_name, self._citation_rank):
            reasons += self._free_text_reason("free_text", reading.field, reading.text, hit)
        where = reading.where()
        reasons += [self._geo_reason(hit) for hit in self.geo.free_text(reading.text, where)]
        reasons += self.free_text_identifiers(where, reading.text)
        return reasons

    def _geo_reason(self, hit: GeoHit) -> Reason:
        return Reason("geography", hit.field, hit.value, hit.detail, hit.action, None, program=hit.program)

    # -- the decision ---------------------------------------------------------------------------------

    def decide(self, payment: Payment) -> Outcome:
        started = time.perf_counter()
        reasons: list[Reason] = [
            Reason("parse_error", issue.field, None, issue.detail, "hold") for issue in payment.errors
        ]
        for party in payment.parties:
            reasons += self.party(party)
        for agent in payment.agents:
            reasons += self.agent(agent)
        for _owner, address in payment.addresses():
            reasons += self.address(_owner, address)
        text_started = time.perf_counter()
        for reading in readings(payment.free_text):
            reasons += self.free_text(reading)
        text_seconds = time.perf_counter() - text_started
        reasons = _dedupe(reasons)
        decision = "pass"
        for reason in reasons:
            if SEVERITY[reason.action] > SEVERITY[decision]:
                decision = reason.action
        if payment.errors and SEVERITY[decision] > SEVERITY["hold"]:
            reasons.append(
                Reason(
                    "parse_error",
                    payment.errors[0].field,
                    None,
                    f"the message was not fully read, so {decision} is not applied automatically: hold "
                    f"for an analyst",
                    "hold",
                )
            )
            decision = "hold"
        if not payment.parties and not payment.errors:
            reasons.append(
                Reason("parse_error", "message", None, "no party found in the message; held", "hold")
            )
            decision = max(decision, "hold", key=SEVERITY.__getitem__)
        # most severe first, stable otherwise
        reasons.sort(key=lambda r: -SEVERITY[r.action])
        return Outcome(
            payment,
            decision,
            reasons,
            self.regime,
            {"total": time.perf_counter() - started, "free_text": text_seconds},
            dict(self.index.snapshots),
        )


def _schema_word(schema: str) -> str:
    return {"Vessel": "vessel", "Airplane": "aircraft"}.get(schema, "organisation")


def _dedupe(reasons: list[Reason]) -> list[Reason]:
    seen: set[tuple] = set()
    out = []
    for reason in reasons:
        entity = reason.result.get("id") if reason.result else None
        key = (reason.kind, reason.field, entity, reason.action, reason.detail if entity is None else None)
        if key in seen:
            continue
        seen.add(key)
        out.append(reason)
    return out
