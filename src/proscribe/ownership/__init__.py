"""Owned and controlled entities per regime: OFAC's 50% rule, the EU and UK tests.

- :mod:`.graph` reads ownership data (CSV, JSON, FtM), validates it and holds the arrays and the
  linear fixpoint engine; :mod:`.regime` the two-level (block / review) computation;
- :mod:`.ofac`, :mod:`.eu`, :mod:`.uk` one module per regime, each citing its text;
- :mod:`.resolve` resolves parties to list entities through :func:`proscribe.screen.screen`;
- :mod:`.store` keeps edges, parties, derived designations and changes in the store;
- :mod:`.explain` writes the path as text, SVG and PNG;
- :func:`derived_entities` turns derived designations into entities the screening index takes.
"""

from __future__ import annotations


def derived_entities(regime: str = "ofac", *, engine=None):
    """Entities blocked (or to review) through ownership or control under ``regime``, as
    :class:`proscribe.model.Entity` records of dataset ``derived_ownership`` (see
    :func:`proscribe.ownership.store.derived_entities`)."""
    from proscribe.ownership.store import derived_entities as _derived

    return _derived(regime, engine=engine)
