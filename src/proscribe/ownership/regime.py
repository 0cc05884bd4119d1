"""What the regimes share: a rule's parameters, its two-level computation and its result.

Every rule is computed twice over the same graph:

- **certain** (``block``): each share counts at its *low* bound (an exact share is its own low
  bound; an unknown share counts 0), from owners that are listed or certainly blocked;
- **possible** (``review``): each share counts at its *high* bound (an unknown share counts
  100%), from owners that are listed, matched to a list only for review, or possibly blocked;
  evidence a regime treats as possible control (a directorship) counts here too.

An entity is ``block`` when the certain computation reaches it and ``review`` when only the
possible one does: unknown and ranged percentages are never ignored, and they never block alone.
The same holds for a relationship the data does not name recognisably (``unknown``: a typo, an
unreadable row): it counts at the possible level only, under every regime.

Shares are integers of :data:`~proscribe.ownership.graph.UNITS_PER_POINT` per percentage point
(see :func:`~proscribe.ownership.graph.share_units`): sums are exact and thresholds compared
without a tolerance (exactly 50% is not "more than 50%").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from proscribe.ownership.graph import (
    CONTROL,
    DIRECTORSHIP,
    NOMINEE,
    SHAREHOLDING,
    UNRECOGNISED,
    VOTING,
    Channel,
    Fixpoint,
    OwnershipGraph,
    percent_units,
    share_units,
)

NONE, REVIEW, BLOCK = 0, 1, 2
STATUS_LABEL = {NONE: "none", REVIEW: "review", BLOCK: "block"}


@dataclass(frozen=True)
class Regime:
    """A regime's ownership-and-control test."""

    name: str
    label: str  # "OFAC 50% rule"
    authority: str
    threshold: float = 50.0
    strict: bool = False  # True: more than the threshold ("more than 50%")
    share_kinds: tuple[int, ...] = (SHAREHOLDING, NOMINEE)
    voting_control: bool = False  # a majority of voting rights is control
    control_blocks: bool = False  # recorded control (board majority, dominant influence, ...) blocks
    directorship_review: bool = False  # a designated director is possible control: review
    aggregate: bool = True  # holdings of unconnected designated persons add up
    citation: str = ""

    def comparison(self) -> str:
        return f"more than {self.threshold:g}%" if self.strict else f"{self.threshold:g}% or more"


def level_shares(graph: OwnershipGraph, level: str) -> np.ndarray:
    """Each edge's share at ``level`` in integer units: the low bound rounded down (certain),
    the high bound rounded up (possible)."""
    if level == "certain":
        return share_units(graph.low, up=False)
    return share_units(graph.high, up=True)


def possible_control(regime: Regime, kinds: np.ndarray, level: str) -> np.ndarray:
    """Edges that alone carry an owner's status to the owned entity at ``level``: recorded
    control where the regime blocks on it; at the possible level also a designated director
    where the regime reads that as possible control, and, under every regime, a relationship
    the data does not name recognisably (a typo, an unreadable row): it may be a holding that
    blocks, so it is never ignored, and it is never enough to block."""
    control = np.zeros(len(kinds), dtype=bool)
    if regime.control_blocks:
        control |= kinds == CONTROL
    if level == "possible":
        if regime.directorship_review:
            control |= kinds == DIRECTORSHIP
        control |= kinds == UNRECOGNISED
    return control


def channels(regime: Regime, graph: OwnershipGraph, level: str) -> list[Channel]:
    """The weight channels of ``regime`` at ``level`` (``certain`` or ``possible``), in integer
    share units: thresholds are compared exactly (50% is not more than 50%)."""
    shares = level_shares(graph, level)
    kinds = graph.kind
    out = [
        Channel(
            np.where(np.isin(kinds, regime.share_kinds), shares, 0),
            percent_units(regime.threshold),
            regime.strict,
        )
    ]
    if regime.voting_control:
        out.append(Channel(np.where(kinds == VOTING, shares, 0), percent_units(50), True))
    control = possible_control(regime, kinds, level)
    if control.any():
        out.append(Channel(np.where(control, 1, 0), 1, False))
    return out


@dataclass
class RegimeResult:
    """Statuses of every node under one regime, with the two fixpoints kept for updates and
    explanations."""

    regime: Regime
    graph: OwnershipGraph
    listed: np.ndarray  # bool: the party is a listed (designated) person
    uncertain: np.ndarray  # bool: matched to a list entry only for review
    certain: object  # Fixpoint-like: .member, .run(seeds), .update(seeds, touched)
    possible: object
    status: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.status = self._status()

    def _status(self) -> np.ndarray:
        status = np.zeros(self.graph.n, dtype=np.int8)
        # a party that only possibly matches a list entry is not itself a derived designation
        # (screening already reports its own match); what it owns is
        status[self.possible.member & ~self.listed & ~self.uncertain] = REVIEW
        status[self.certain.member & ~self.listed] = BLOCK
        return status

    def update(
        self, listed: np.ndarray, uncertain: np.ndarray | None = None, touched: np.ndarray | None = None
    ) -> np.ndarray:
        """Apply new designations (``listed``/``uncertain`` masks) and edge changes into
        ``touched`` nodes; recomputes only downstream of the change. Returns the nodes whose
        status changed."""
        uncertain = self.uncertain if uncertain is None else uncertain
        before = self.status.copy()
        self.certain.update(listed, touched)
        self.possible.update(listed | uncertain, touched)
        self.listed, self.uncertain = listed.copy(), uncertain.copy()
        # only nodes that changed in either fixpoint (or their own listing) can change status
        self.status = self._status()
        return np.flatnonzero(before != self.status)

    def rebase(
        self,
        graph: OwnershipGraph,
        listed: np.ndarray,
        uncertain: np.ndarray,
        touched_ids: set[str],
    ) -> RegimeResult:
        """The result for ``graph``, a new version of this one's graph whose edges changed only
        into the nodes ``touched_ids``: the previous memberships are carried over by node id,
        the sums rebuilt in one vectorised pass, and the fixpoint recomputed only downstream of
        the touched nodes (and of changed designations). The UK regime is recomputed in full."""
        if not self.regime.aggregate:
            return compute(self.regime, graph, listed, uncertain)
        old_index = self.graph.index
        common_new = np.array([i for i, pid in enumerate(graph.ids) if pid in old_index], dtype=np.int64)
        common_old = np.array([old_index[graph.ids[i]] for i in common_new], dtype=np.int64)
        levels = []
        for name, old_fp in (("certain", self.certain), ("possible", self.possible)):
            fp = Fixpoint(graph, channels(self.regime, graph, name))
            if common_new.size:
                fp.member[common_new] = old_fp.member[common_old]
                fp.seeds[common_new] = old_fp.seeds[common_old]
                fp.rank[common_new] = old_fp.rank[common_old]
            fp.clock = old_fp.clock
            edges = np.flatnonzero(fp.active & fp.member[graph.src])
            for c, ch in enumerate(fp.channels):
                fp.sums[c] = 0
                np.add.at(fp.sums[c], graph.dst[edges], ch.weights[edges])
            levels.append(fp)
        result = RegimeResult(self.regime, graph, listed.copy(), uncertain.copy(), levels[0], levels[1])
        touched = np.array([graph.index[pid] for pid in touched_ids if pid in graph.index], dtype=np.int64)
        # nodes new to the graph count as touched (they were never decided)
        fresh = np.setdiff1d(np.arange(graph.n), common_new)
        touched = np.unique(np.concatenate([touched, fresh]))
        result.certain.update(listed, touched)
        result.possible.update(listed | uncertain, touched)
        result.status = result._status()
        return result

    def derived(self) -> np.ndarray:
        return np.flatnonzero(self.status > NONE)

    def label(self, node: int) -> str:
        if self.listed[node]:
            return "listed"
        return STATUS_LABEL[int(self.status[node])]


def compute(
    regime: Regime, graph: OwnershipGraph, listed: np.ndarray, uncertain: np.ndarray | None = None
) -> RegimeResult:
    """Full computation of ``regime`` over ``graph`` for the designated ``listed`` nodes."""
    listed = np.asarray(listed, dtype=bool)
    uncertain = np.zeros(graph.n, dtype=bool) if uncertain is None else np.asarray(uncertain, dtype=bool)
    if regime.aggregate:
        certain = Fixpoint(graph, channels(regime, graph, "certain"))
        possible = Fixpoint(graph, channels(regime, graph, "possible"))
    else:
        from proscribe.ownership.uk import ControllerFixpoint

        certain = ControllerFixpoint(graph, regime, "certain")
        possible = ControllerFixpoint(graph, regime, "possible")
    certain.run(listed)
    possible.run(listed | uncertain)
    return RegimeResult(regime, graph, listed.copy(), uncertain.copy(), certain, possible)


def regime_by_name(name: str) -> Regime:
    from proscribe.ownership import eu, ofac, uk

    regimes = {"ofac": ofac.REGIME, "eu": eu.REGIME, "uk": uk.REGIME}
    try:
        return regimes[name.lower()]
    except KeyError:
        raise ValueError(f"unknown regime {name!r}; use one of {', '.join(regimes)}") from None


REGIME_NAMES = ("ofac", "eu", "uk")
