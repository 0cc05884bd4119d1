"""The UK's ownership-and-control test.

Text: under the Sanctions and Anti-Money Laundering Act 2018 regimes (e.g. The Russia
(Sanctions) (EU Exit) Regulations 2019, regulation 7), a person who is not designated is
"owned or controlled directly or indirectly" by a designated person if the designated person
holds, directly or indirectly, **more than 50%** of its shares or voting rights, or has the right
to appoint or remove a majority of its board, or it is reasonable to expect that the designated
person would be able to ensure that its affairs are conducted in accordance with their wishes.
OFSI's guidance: holdings of *different* designated persons are **not** aggregated unless they
hold them jointly or act together (a joint arrangement); a designated person's own holdings
through entities it owns or controls are attributed to it.

So here: each blocked entity carries the designated person(s) (or joint arrangement) that own
or control it; shares (and separately voting rights) are added up per such controller only;
more than 50% blocks; recorded control blocks; a designated director is possible control,
flagged for review. Rows with the same ``joint_group`` are aggregated as one holder.

:class:`ControllerFixpoint` is a worklist over nodes keyed by controller. A new designation
continues it from the current state, visiting only what lies downstream; a removal or changed
edges recompute in full.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from proscribe.ownership.graph import NOMINEE, SHAREHOLDING, VOTING, OwnershipGraph, percent_units
from proscribe.ownership.regime import Regime, level_shares, possible_control

REGIME = Regime(
    name="uk",
    label="UK ownership and control test",
    authority="UK",
    threshold=50.0,
    strict=True,
    share_kinds=(SHAREHOLDING, NOMINEE),
    voting_control=True,
    control_blocks=True,
    directorship_review=True,
    aggregate=False,
    citation="SAMLA 2018 regimes, e.g. Russia (Sanctions) (EU Exit) Regulations 2019 reg. 7; OFSI ownership and control guidance",
)


class ControllerFixpoint:
    """Blocked set where holdings add up only per designated controller (or joint arrangement)."""

    def __init__(self, graph: OwnershipGraph, regime: Regime, level: str):
        self.graph = graph
        self.regime = regime
        # integer share units (exact sums; "more than 50%" compared without a tolerance)
        shares = level_shares(graph, level)
        kinds = graph.kind
        self.w_share = np.where(np.isin(kinds, regime.share_kinds), shares, 0)
        self.w_vote = np.where(kinds == VOTING, shares, 0)
        self.threshold = percent_units(regime.threshold)
        self.vote_threshold = percent_units(50)
        self.control = possible_control(regime, kinds, level)
        self.active = (self.w_share > 0) | (self.w_vote > 0) | self.control
        self.member = np.zeros(graph.n, dtype=bool)
        self.seeds = np.zeros(graph.n, dtype=bool)
        self.keys: dict[int, set] = {}
        self.contrib: dict[tuple[int, tuple], list[int]] = {}
        # how many of contrib[(node, key)] had been added when the node passed for that key:
        # those edges justify it (later ones may come round a cycle)
        self.passed_at: dict[tuple[int, tuple], int] = {}

    def _passes(self, share: int, vote: int) -> bool:
        return share > self.threshold or vote > self.vote_threshold

    def run(self, seeds: np.ndarray) -> np.ndarray:
        """The whole computation from ``seeds`` (the designated persons)."""
        self.seeds = np.asarray(seeds, dtype=bool).copy()
        self.member = self.seeds.copy()
        self.keys = {int(s): {("person", int(s))} for s in np.flatnonzero(self.seeds)}
        self.contrib = {}
        self.passed_at = {}
        self.sums: dict[tuple[int, tuple], list[int]] = {}  # plain dict: the state is pickled
        self.joint_counted: set[int] = set()
        self._propagate({node: set(keys) for node, keys in self.keys.items()})
        return self.member

    def _propagate(self, pending: dict[int, set]) -> None:
        """Carry controller keys down the graph until nothing changes. Keys only ever grow and
        per-(node, key) sums only ever add, so new designations can continue from any state."""
        g = self.graph
        sums = self.sums
        queue = deque(pending)
        while queue:
            owner = queue.popleft()
            new_keys = pending.pop(owner, set())
            if not new_keys:
                continue
            for e in g.out_edges[g.out_ptr[owner] : g.out_ptr[owner + 1]]:
                e = int(e)
                if not self.active[e]:
                    continue
                target = int(g.dst[e])
                if self.seeds[target]:
                    continue
                joint = int(g.joint[e])
                if joint >= 0:
                    # a joint arrangement's holding counts once, however many keys its member holds
                    if e in self.joint_counted:
                        continue
                    self.joint_counted.add(e)
                    edge_keys = {("joint", joint)}
                else:
                    edge_keys = new_keys
                gained = set()
                for key in edge_keys:
                    self.contrib.setdefault((target, key), []).append(e)
                    if self.control[e]:
                        gained.add(key)
                    else:
                        acc = sums.get((target, key))
                        if acc is None:
                            acc = sums[(target, key)] = [0, 0]
                        acc[0] += int(self.w_share[e])
                        acc[1] += int(self.w_vote[e])
                        if self._passes(acc[0], acc[1]):
                            gained.add(key)
                    if key in gained:
                        self.passed_at.setdefault((target, key), len(self.contrib[(target, key)]))
                have = self.keys.setdefault(target, set())
                gained -= have
                if gained:
                    have |= gained
                    self.member[target] = True
                    if target not in pending:
                        pending[target] = set()
                        queue.append(target)
                    pending[target] |= gained

    def controllers(self, node: int) -> set:
        return {k for k in self.keys.get(node, set()) if self.member[node]}

    def update(self, seeds: np.ndarray, touched: np.ndarray | None = None) -> np.ndarray:
        """New designations continue the propagation from the current state (only what lies
        downstream of them is visited); a removed designation, changed edges or the designation
        of an entity already owned or controlled recompute in full, since controller keys would
        have to be withdrawn everywhere they reached."""
        seeds = np.asarray(seeds, dtype=bool)
        before = self.member.copy()
        removed = self.seeds & ~seeds
        added_mask = seeds & ~self.seeds
        if (
            removed.any()
            or (touched is not None and len(touched))
            or not hasattr(self, "sums")
            or (added_mask & self.member).any()  # an owned entity designated itself: its keys change
        ):
            self.run(seeds)
        else:
            added = [int(s) for s in np.flatnonzero(seeds & ~self.seeds)]
            self.seeds = seeds.copy()
            pending: dict[int, set] = {}
            for node in added:
                self.member[node] = True
                key = ("person", node)
                self.keys.setdefault(node, set()).add(key)
                pending[node] = {key}
            self._propagate(pending)
        return np.flatnonzero(before != self.member)
