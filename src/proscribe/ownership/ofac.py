"""OFAC's 50 Percent Rule.

Text: the property and interests in property of entities owned, directly or indirectly, 50
percent or more in the aggregate by one or more blocked persons are blocked, whether or not the
entity is named on the SDN List ("Revised Guidance on Entities Owned by Persons Whose Property
and Interests in Property Are Blocked", OFAC, 13 August 2014; codified in the program
regulations, e.g. 31 CFR 587.406, 589.406). OFAC's FAQs 398 to 402 apply it:

- FAQ 398: the rule speaks only to ownership, not control; an entity a blocked person controls
  but does not own 50% or more of is not blocked by the rule (caution is urged);
- FAQ 399: the holdings of all blocked persons are added up, whatever program each is blocked
  under;
- FAQ 400: a blocked individual acting for a non-blocked entity he controls is still a blocked
  person (the entity is not blocked by the rule);
- FAQ 401: "indirectly" means holdings through entities that are themselves 50% or more owned by
  blocked persons: such an entity is blocked, and its own holdings then count **in full** one
  level down (percentages are not multiplied along a chain);
- FAQ 402: once blocked persons divest below 50% the entity is no longer blocked by the rule
  going forward (property already blocked stays blocked).

So here: shareholdings (and shares held through a nominee) count; voting rights, control and
directorships never block; every blocked owner counts, whatever program; the threshold is
inclusive (50% blocks).
"""

from __future__ import annotations

from proscribe.ownership.graph import NOMINEE, SHAREHOLDING
from proscribe.ownership.regime import Regime

REGIME = Regime(
    name="ofac",
    label="OFAC 50% rule",
    authority="OFAC",
    threshold=50.0,
    strict=False,
    share_kinds=(SHAREHOLDING, NOMINEE),
    voting_control=False,
    control_blocks=False,
    directorship_review=False,
    aggregate=True,
    citation="OFAC Revised Guidance of 13 August 2014 (50 Percent Rule); FAQs 398-402",
)
