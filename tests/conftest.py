"""Fixtures every test shares: an isolated PROSCRIBE_HOME, the bundled files, cached parses.

Parsing a whole OFAC set takes one to a few seconds, so each bundled set is parsed at most once
per session (:func:`parse_bundled`) and shared read-only; tests must not mutate those entities.
Helpers are handed out as fixtures (``store_rows``, ``engine_at``, ``published_bytes``) because
test modules cannot import this file reliably.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from proscribe.model import Entity
from proscribe.sources.base import ParsedList

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
OFAC = DATA / "ofac"

#: Bundled OFAC CSV sets by the names the tests use, relative to data/ofac.
OFAC_SETS = {
    "reconstructed_2026-08-20": "sdn_2026-08-20_reconstructed",
    "sdn_2024-05-03": "sdn_2024-05-03/sdn.csv.gz",
    "sdn_2024-05-02": "sdn_2024-05-02/sdn.csv.gz",
    "legacy_2021-07": "legacy_2021-07",
    "cons_csv": "consolidated/cons_csv",
}


@pytest.fixture(autouse=True)
def proscribe_home(tmp_path, monkeypatch) -> Path:
    """Every test runs against its own empty PROSCRIBE_HOME (and never a database URL from the
    environment), so no test reads or writes a real user's store."""
    home = tmp_path / "proscribe-home"
    monkeypatch.setenv("PROSCRIBE_HOME", str(home))
    monkeypatch.delenv("PROSCRIBE_DATABASE_URL", raising=False)
    return home


@cache
def parse_bundled(name: str, dataset: str = "us_ofac_sdn") -> ParsedList:
    """A bundled OFAC CSV set parsed once per session (see :data:`OFAC_SETS`)."""
    from proscribe.sources import ofac_csv

    return ofac_csv.parse(OFAC / OFAC_SETS[name], dataset)


@pytest.fixture(scope="session")
def ofac_reconstructed() -> ParsedList:
    """The reconstructed 2026-08-20 SDN set (the current one, with ITG), parsed once."""
    return parse_bundled("reconstructed_2026-08-20")


@pytest.fixture(scope="session")
def ofac_by_uid(ofac_reconstructed) -> dict[str, Entity]:
    return {entity.source_id: entity for entity in ofac_reconstructed.entities}


@pytest.fixture(scope="session")
def parsed_set() -> Callable[[str], ParsedList]:
    """``parsed_set("sdn_2024-05-03")``: any bundled OFAC set, parsed once per session."""
    return parse_bundled


def _published_bytes(path: Path) -> bytes:
    """A bundled file's bytes as published (the ``.gz`` copies decompressed)."""
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _engine_at(folder: Path) -> Engine:
    """The store engine for a SQLite file in ``folder`` (tables created)."""
    from proscribe.store.db import connect

    folder.mkdir(parents=True, exist_ok=True)
    return connect(f"sqlite:///{folder / 'proscribe.db'}")


def _store_rows(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of the snapshot and entity tables, for before/after comparisons."""
    from proscribe.store.db import entities, snapshots

    with engine.connect() as conn:
        return {
            "snapshots": [tuple(row) for row in conn.execute(select(snapshots).order_by(snapshots.c.id))],
            "entities": [
                tuple(row)
                for row in conn.execute(
                    select(entities).order_by(entities.c.snapshot_id, entities.c.entity_id)
                )
            ],
        }


@pytest.fixture(scope="session")
def published_bytes() -> Callable[[Path], bytes]:
    return _published_bytes


@pytest.fixture(scope="session")
def engine_at() -> Callable[[Path], Engine]:
    return _engine_at


@pytest.fixture(scope="session")
def store_rows() -> Callable[[Engine], dict[str, list[tuple]]]:
    return _store_rows


@pytest.fixture
def engine(proscribe_home) -> Engine:
    """The store of this test's own PROSCRIBE_HOME (what ``connect()`` returns here)."""
    from proscribe.store.db import connect

    return connect()


@pytest.fixture(scope="session")
def history_home(tmp_path_factory) -> Path:
    """A PROSCRIBE_HOME holding, for ``us_ofac_sdn``, the official 2024-05-02 and 2024-05-03
    files (imported through :func:`import_list`) and the reconstructed 2026-08-20 set, plus the
    UN list: the store the diff, CLI and export tests read. Treat it as read-only."""
    from proscribe import bundled
    from proscribe.store.snapshots import source_digest, store_parsed

    home = tmp_path_factory.mktemp("history-home")
    engine = _engine_at(home)
    items = {item.key: item for item in bundled.bundled_lists()}
    for key in ("ofac_sdn_2024-05-02", "ofac_sdn_2024-05-03", "un_2026-08-01"):
        bundled.import_bundled(items[key], engine=engine)
    # The reconstructed set is parsed once per session already; store that parse as import_list would.
    current = items["ofac_sdn_2026-08-20"]
    store_parsed(
        parse_bundled("reconstructed_2026-08-20"),
        format_name=current.format,
        digest=source_digest(current.file),
        source_label=str(current.file),
        published=current.published,
        reconstructed=current.reconstructed,
        note=current.note,
        engine=engine,
    )
    return home


@pytest.fixture(scope="session")
def history_engine(history_home) -> Engine:
    return _engine_at(history_home)


# -- one screening index per session, compiled from the real bundled current lists -----------------

@pytest.fixture(scope="session")
def screening_home(tmp_path_factory):
    """A PROSCRIBE_HOME holding the bundled current lists and a persisted index."""
    home = tmp_path_factory.mktemp("screening-home")
    previous = os.environ.get("PROSCRIBE_HOME")
    os.environ["PROSCRIBE_HOME"] = str(home)
    try:
        from proscribe import bundled
        from proscribe.screen import get_index

        bundled.ensure_loaded()
        get_index(refresh=True)
    finally:
        if previous is None:
            os.environ.pop("PROSCRIBE_HOME", None)
        else:
            os.environ["PROSCRIBE_HOME"] = previous
    return home


@pytest.fixture(scope="session")
def index(screening_home):
    from proscribe.index.compiled import CompiledIndex

    (path,) = (screening_home / "index").glob("index-*.npz")
    return CompiledIndex.load(path)
