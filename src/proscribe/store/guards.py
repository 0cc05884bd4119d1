"""The checks a list file passes before it may become a snapshot, so no list shrinks unnoticed.

A cut-short file that still parses (an OFAC ``sdn.csv`` cut at a row boundary, a UN file with one
entry) would otherwise become current and its missing designations would screen ``clear``. So,
before anything is written (:func:`proscribe.store.snapshots.import_list` runs these in order):

1. the format is a known one (:class:`proscribe.sources.UnknownFormatError`, a usage error);
2. the format is one the dataset's publisher issues (:class:`FormatNotForDataset`), so a UN file
   can never be imported as ``us_ofac_sdn``;
3. after parsing, the format's own completeness markers hold (each parser module's
   ``check_complete``: OFAC's end-of-file byte, a declared record count, a workbook's extent);
4. a file that would become current holds at least the dataset's minimum and does not lose more
   than the configured share of the current snapshot's entities (:class:`ShrinkRefused`), unless
   the operator allows it; an allowed shrink is recorded in the audit trail.

The limits live in ``import_guards.toml`` beside this module (one place).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from proscribe.sources import check_format

GUARDS_PATH = Path(__file__).with_name("import_guards.toml")


class ImportRefused(Exception):
    """A list file the store refuses to make a snapshot of; nothing was written. ``exit_code``
    is what the command line exits with (2 for a wrong invocation, 1 for a refused file)."""

    exit_code = 1


class FormatNotForDataset(ImportRefused):
    """A parser that does not belong to the dataset (UN XML imported as ``us_ofac_sdn``)."""

    exit_code = 2


class ShrinkRefused(ImportRefused):
    """A file that would make the dataset's current snapshot lose too much, or fall under its
    minimum size."""


@dataclass(frozen=True)
class GuardConfig:
    max_share_lost: float
    formats: dict[str, tuple[str, ...]]
    min_entities: dict[str, int]


@lru_cache(maxsize=1)
def config(path: Path = GUARDS_PATH) -> GuardConfig:
    with path.open("rb") as handle:
        raw: dict[str, Any] = tomllib.load(handle)
    share = float(raw["shrink"]["max_share_lost"])
    if not 0.0 <= share < 1.0:
        raise ValueError(f"{path.name}: shrink.max_share_lost must be in [0, 1), found {share}")
    datasets = raw.get("datasets", {})
    return GuardConfig(
        max_share_lost=share,
        formats={name: tuple(entry["formats"]) for name, entry in datasets.items()},
        min_entities={name: int(entry.get("min_entities", 1)) for name, entry in datasets.items()},
    )


def check_invocation(dataset: str, format_name: str) -> None:
    """Steps 1 and 2: refuse an unknown format and a format the dataset's publisher never issues."""
    check_format(format_name)
    allowed = config().formats.get(dataset)
    if allowed is not None and format_name not in allowed:
        raise FormatNotForDataset(
            f"{dataset} is published as {', '.join(allowed)}; format {format_name!r} does not belong to "
            f"this dataset (import a {format_name} file under its own dataset name)"
        )


@dataclass(frozen=True)
class ShrinkReport:
    """How a new file compares with the dataset's current snapshot."""

    dataset: str
    current_snapshot: int | None
    current_label: str | None
    old_count: int
    new_count: int
    lost: int  # entities of the current snapshot missing from the new file
    minimum: int
    max_share: float

    @property
    def share_lost(self) -> float:
        return self.lost / self.old_count if self.old_count else 0.0

    @property
    def too_small(self) -> bool:
        return self.new_count < self.minimum

    @property
    def too_much_lost(self) -> bool:
        return self.share_lost > self.max_share

    @property
    def refused(self) -> bool:
        return self.too_small or self.too_much_lost

    def describe(self) -> str:
        parts = []
        if self.current_snapshot is not None:
            parts.append(
                f"the current snapshot {self.current_label} has {self.old_count:,} entities, the new file "
                f"{self.new_count:,}: {self.lost:,} of the current entities ({self.share_lost:.1%}) would "
                f"disappear (at most {self.max_share:.0%} may)"
            )
        if self.too_small:
            parts.append(
                f"{self.new_count:,} entities is under the {self.minimum:,} a complete {self.dataset} "
                "file holds"
            )
        return "; ".join(parts)

    def to_audit(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "current_snapshot": self.current_snapshot,
            "current_label": self.current_label,
            "old_count": self.old_count,
            "new_count": self.new_count,
            "lost": self.lost,
            "share_lost": round(self.share_lost, 6),
            "max_share_lost": self.max_share,
            "min_entities": self.minimum,
        }


def measure_shrink(
    dataset: str, new_ids: set[str], published: str | None, *, engine: Engine
) -> ShrinkReport | None:
    """Compare a parsed file with the dataset's current snapshot; None when it would not become
    current (an older publication imported as history changes nothing screening uses)."""
    from proscribe.store.db import entities
    from proscribe.store.snapshots import current_snapshots

    cfg = config()
    current = current_snapshots(engine=engine).get(dataset)
    minimum = cfg.min_entities.get(dataset, 1)
    if current is not None and (published or "") < (current.published or ""):
        return None
    if current is None:
        return ShrinkReport(dataset, None, None, 0, len(new_ids), 0, minimum, cfg.max_share_lost)
    with engine.connect() as conn:
        old_ids = {
            row[0]
            for row in conn.execute(select(entities.c.entity_id).where(entities.c.snapshot_id == current.id))
        }
    return ShrinkReport(
        dataset,
        current.id,
        current.label,
        len(old_ids),
        len(new_ids),
        len(old_ids - new_ids),
        minimum,
        cfg.max_share_lost,
    )


def refuse_shrink(report: ShrinkReport, source: str) -> ShrinkRefused:
    return ShrinkRefused(
        f"{source}: refused as a snapshot of {report.dataset}: {report.describe()}. Nothing was imported. "
        "If the list really shrank, import it again with --allow-shrink (recorded in the audit trail)."
    )
