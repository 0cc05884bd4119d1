"""The bundled lists (``data/manifest.json``): the embedded default a fresh store loads itself."""

from __future__ import annotations

import json
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


def ensure_loaded(*, engine: Engine | None = None, progress=None) -> list[snapshot_store.ImportResult]:
    """Load the current bundled lists into a store that has none yet (a fresh ``PROSCRIBE_HOME``).

    Datasets that already have a snapshot are left alone, so later updates are never overwritten
    by the older bundled files.
    """
    present = {snap.dataset for snap in snapshot_store.list_snapshots(engine=engine)}
    results = []
    for item in bundled_lists(current_only=True):
        if item.dataset in present:
            continue
        if progress:
            progress(item)
        results.append(import_bundled(item, engine=engine))
    return results
