"""The neutral payment model every parser produces and every check reads.

A parser (:mod:`.iso20022`, :mod:`.mt103`, :mod:`.json_form`) turns one file into one or more
:class:`Payment` objects. Whatever it could not read goes into ``Payment.errors`` as a
:class:`ParseIssue` naming the field (``Cdtr/Nm``, ``32A``, ``debtor.name``); a payment with any
error is held, never passed (fail closed). ``field`` values always name the place in the source
message, so a reason can point an analyst at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

#: Party roles, in the order they are screened.
PARTY_ROLES = ("debtor", "creditor", "ultimate_debtor", "ultimate_creditor", "initiating_party")
#: Agent roles.
AGENT_ROLES = (
    "debtor_agent",
    "creditor_agent",
    "intermediary_agent",
    "instructing_agent",
    "instructed_agent",
    "previous_instructing_agent",
    "senders_correspondent",
    "sender",
    "receiver",
)


@dataclass
class Address:
    """A postal address, structured (ISO 20022 ``PstlAdr``) or as free lines (``AdrLine``, MT lines)."""

    field: str
    street: str | None = None
    building: str | None = None
    postcode: str | None = None
    town: str | None = None
    district: str | None = None
    subdivision: str | None = None
    country: str | None = None  # ISO 3166 alpha-2, upper case, as given
    lines: list[str] = field(default_factory=list)

    def text(self) -> str:
        parts = [self.street, self.building, self.postcode, self.town, self.district, self.subdivision]
        parts = [p for p in parts if p] + list(self.lines)
        return ", ".join(parts)

    def is_empty(self) -> bool:
        return not (self.text() or self.country)


@dataclass
class Party:
    """A debtor, creditor, ultimate party or initiating party."""

    role: str
    field: str  # where the party sits in the message: "Dbtr", "50K", "debtor"
    name: str | None = None
    address: Address | None = None
    country: str | None = None  # country of residence / of the identifier, when given apart from the address
    account: str | None = None  # IBAN or other account id
    bic: str | None = None  # AnyBIC of an organisation
    lei: str | None = None
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # (scheme or label, value)
    birth_date: str | None = None
    birth_place: str | None = None
    person: bool | None = None  # True for a PrvtId / 50F person, False for an OrgId, None unknown
    #: other readings of the name, screened with it: a name wrapped onto a second MT line joined
    #: with and without a space (the field stays the same, so every hit maps back to it)
    alternatives: list[str] = field(default_factory=list)


@dataclass
class Agent:
    """A financial institution in the chain: by BIC, by name and address, or both."""

    role: str
    field: str  # "DbtrAgt", "IntrmyAgt2", "57A"
    bic: str | None = None
    name: str | None = None
    address: Address | None = None
    clearing_id: str | None = None
    lei: str | None = None
    account: str | None = None
    alternatives: list[str] = field(default_factory=list)  # other readings of the name (see Party)


@dataclass
class FreeText:
    """One piece of free text as the message holds it: one line of an MT field, one repeated
    element (``Ustrd``, ``InstrInf``), or a whole field (``line`` 0).

    Pieces of one ``field`` with ``line`` 1, 2, ... are read together, in order, the way a reader
    sees them (lines joined, a word broken at a line end rejoined), and every hit is mapped back
    to the field and line it came from."""

    field: str  # "CdtTrfTxInf[1]/RmtInf/Ustrd", "70", "InstrForNxtAgt/InstrInf"
    text: str
    line: int = 0  # 1-based line or repeated-element number within ``field``; 0: the whole field


@dataclass
class ParseIssue:
    field: str
    detail: str


@dataclass
class Payment:
    """One credit transfer (one transaction of a message that may carry several)."""

    message_id: str
    format: str  # "pacs.008.001.08", "pain.001.001.09", "MT103", "json"
    file: str = ""
    end_to_end_id: str | None = None
    instruction_id: str | None = None
    uetr: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    value_date: str | None = None  # ISO date
    parties: list[Party] = field(default_factory=list)
    agents: list[Agent] = field(default_factory=list)
    free_text: list[FreeText] = field(default_factory=list)
    errors: list[ParseIssue] = field(default_factory=list)
    raw: str = ""  # the message as received (a copy goes with blocking and reject reports)
    #: sha256 of this message's own bytes (one MT message of a file, one JSON line, the XML
    #: document): the content part of the replay key, set by the parser
    digest: str = ""

    def error(self, field_name: str, detail: str) -> None:
        self.errors.append(ParseIssue(field_name, detail))

    def addresses(self) -> list[tuple[str, Address]]:
        out = []
        for holder in [*self.parties, *self.agents]:
            if holder.address is not None and not holder.address.is_empty():
                out.append((holder.role, holder.address))
        return out

    def summary(self) -> dict:
        """The parties in the shape the register and the reports keep."""
        return {
            "parties": [
                {
                    "role": p.role,
                    "field": p.field,
                    "name": p.name,
                    "account": p.account,
                    "address": p.address.text() if p.address else None,
                    "country": (p.address.country if p.address else None) or p.country,
                }
                for p in self.parties
            ],
            "agents": [
                {
                    "role": a.role,
                    "field": a.field,
                    "bic": a.bic,
                    "name": a.name,
                    "address": a.address.text() if a.address else None,
                }
                for a in self.agents
            ],
        }
