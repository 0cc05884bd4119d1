"""The bundled lists (``data/manifest.json``): the embedded default a store loads by itself.

Every bundled dataset without a snapshot is loaded when an index is prepared, not only into an
empty store; ``PROSCRIBE_BUNDLED`` (all | none | a list of datasets) is the explicit, audited
opt-out for an operator who does not want one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine

from proscribe import settings
from proscribe.store import snapshots as snapshot_store


@dataclass(frozen=True)
class BundledList:
    key: str
    dataset: str
    format: str
    path: str
    published: str | None
    reconstructed: bool
    current: bool
    note: str | None = None

    @property
    def file(self):
        return settings.DATA_DIR / self.path


@lru_cache(maxsize=1)
def manifest() -> dict[str, Any]:
    with (settings.DATA_DIR / "manifest.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def bundled_lists(current_only: bool = False) -> list[BundledList]:
    items = [BundledList(**entry) for entry in manifest()["lists"]]
    return [item for item in items if item.current or not current_only]


def official_urls() -> dict[str, Any]:
    return manifest()["official_urls"]


def import_bundled(item: BundledList, *, engine: Engine | None = None) -> snapshot_store.ImportResult:
    return snapshot_store.import_list(
        item.dataset,
        item.format,
        item.file,
        published=item.published,
        reconstructed=item.reconstructed,
        note=item.note,
        engine=engine,
    )


#: Environment setting naming which bundled datasets a store may load by itself: unset or ``all``
#: (the default: every one), ``none``, or a comma-separated list of dataset names. A dataset left
#: out is an operator's explicit choice, recorded in the audit trail (``list.bundled.opt_out``).
OPT_OUT_ENV = "PROSCRIBE_BUNDLED"


def wanted_datasets() -> set[str]:
    """The bundled datasets the ``PROSCRIBE_BUNDLED`` setting lets a store load.

    An unknown name is an error, not a silent skip: a typo must never leave an official list out.
    """
    known = {item.dataset for item in bundled_lists(current_only=True)}
    raw = os.environ.get(OPT_OUT_ENV, "").strip()
    if raw.lower() in ("", "all"):
        return known
    if raw.lower() == "none":
        return set()
    names = {name.strip() for name in raw.split(",") if name.strip()}
    unknown = sorted(names - known)
    if unknown:
        raise ValueError(
            f"{OPT_OUT_ENV}={raw!r} names unknown bundled dataset(s) {', '.join(unknown)}; "
            f"use all, none or a comma-separated list of: {', '.join(sorted(known))}"
        )
    return names


def _plan(engine: Engine | None) -> tuple[list[BundledList], list[str]]:
    """(bundled lists to load, datasets the opt-out keeps out): those whose dataset has no
    snapshot. One query."""
    present = snapshot_store.datasets_present(engine=engine)
    wanted = wanted_datasets()
    absent = [item for item in bundled_lists(current_only=True) if item.dataset not in present]
    return (
        [item for item in absent if item.dataset in wanted],
        sorted({item.dataset for item in absent if item.dataset not in wanted}),
    )


def missing(*, engine: Engine | None = None) -> list[BundledList]:
    """The current bundled lists :func:`ensure_loaded` would load now (empty when none)."""
    return _plan(engine)[0]


def ensure_loaded(*, engine: Engine | None = None, progress=None) -> list[snapshot_store.ImportResult]:
    """Load every current bundled list whose dataset has no snapshot yet, whatever else the store
    holds: a store whose first import was an internal list still screens against the official
    lists. Cheap when nothing is missing (one query), so it runs whenever an index is prepared.

    Datasets that already have a snapshot are left alone, so later updates are never overwritten
    by the older bundled files. Datasets the operator opted out of (``PROSCRIBE_BUNDLED``) are
    not loaded; that choice is recorded in the audit trail once per distinct setting.
    """
    todo, skipped = _plan(engine)
    if skipped:
        _record_opt_out(skipped, engine)
    results = []
    for item in todo:
        if progress:
            progress(item)
        results.append(import_bundled(item, engine=engine))
    return results


def _record_opt_out(skipped: list[str], engine: Engine | None) -> None:
    """Write ``list.bundled.opt_out`` unless the trail's last such record already says the same
    (so a service that checks on every reload writes it once per setting)."""
    from sqlalchemy import select

    from proscribe import audit
    from proscribe.cases.store import audit_log
    from proscribe.store.db import connect

    payload = {"setting": os.environ.get(OPT_OUT_ENV, ""), "skipped": skipped}
    engine = engine or connect()
    with engine.connect() as conn:
        last = conn.execute(
            select(audit_log.c.payload)
            .where(audit_log.c.event_type == "list.bundled.opt_out")
            .order_by(audit_log.c.seq.desc())
            .limit(1)
        ).scalar()
    if last is None or json.loads(last) != payload:
        audit.append("list.bundled.opt_out", "system", payload, engine=engine)
