"""The EU's "owned or controlled" test.

Text: the EU asset freeze applies to funds and economic resources belonging to, owned, held or
controlled by a listed person (e.g. Council Regulation (EU) No 269/2014, Article 2), and making
them available indirectly is prohibited. The Council's "EU Best Practices for the effective
implementation of restrictive measures" (latest update) read *ownership* as holding 50% or more
of the proprietary rights of an entity or having a majority interest in it, with the holdings of
listed persons **aggregated**, and *control* through criteria such as: the right to appoint or
remove a majority of the board; a majority of the board appointed solely through the listed
person's voting rights; controlling a majority of the voting rights through an agreement with
other shareholders (shareholder agreements); the right or power to exercise a dominant
influence; and the like (veto rights included where they amount to it).

So here: shareholdings and nominee holdings aggregate at 50% or more; a majority (more than
50%) of voting rights is control; control recorded in the data (``control`` with its basis:
``board_majority``, ``dominant_influence``, ``veto``, ``shareholder_agreement``) blocks; a
listed person's directorship alone is possible control, flagged for review.
"""

from __future__ import annotations

from proscribe.ownership.graph import NOMINEE, SHAREHOLDING
from proscribe.ownership.regime import Regime

REGIME = Regime(
    name="eu",
    label="EU owned-or-controlled test",
    authority="EU",
    threshold=50.0,
    strict=False,
    share_kinds=(SHAREHOLDING, NOMINEE),
    voting_control=True,
    control_blocks=True,
    directorship_review=True,
    aggregate=True,
    citation="Council Regulation (EU) No 269/2014 Art. 2; EU Best Practices on restrictive measures (ownership and control)",
)
