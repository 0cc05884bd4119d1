"""Fixtures of the cases tests: the store on both backends, a small list in versions, a book.

``db`` is parametrised over SQLite (this test's own PROSCRIBE_HOME) and PostgreSQL (the server
``make test`` starts through ``scripts/postgres.sh`` and names in ``PROSCRIBE_TEST_POSTGRES_URL``;
its tables are dropped and created afresh for every test). The PostgreSQL case never skips: with
no server it fails, saying why.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from proscribe.model import Entity
from proscribe.sources.base import ParsedList

TEST_DATASET = "test_list"


def postgres_url() -> str:
    url = os.environ.get("PROSCRIBE_TEST_POSTGRES_URL", "")
    if not url:
        pytest.fail(
            "PROSCRIBE_TEST_POSTGRES_URL is not set: run `make test`, which starts a private PostgreSQL "
            "server with scripts/postgres.sh, or export the URL of a PostgreSQL database these tests may "
            "wipe (e.g. postgresql+psycopg://user@127.0.0.1:5432/proscribe_test)",
            pytrace=False,
        )
    if not url.startswith("postgresql"):
        pytest.fail(f"PostgreSQL is not available for the store tests: {url}", pytrace=False)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, proscribe_home, monkeypatch) -> Engine:
    """The store on each backend; ``connect()`` with no URL returns the same engine."""
    from proscribe.store.db import connect, metadata

    monkeypatch.setenv("PROSCRIBE_BUNDLED", "none")  # these stores screen their own small list only
    if request.param == "sqlite":
        return connect()
    url = postgres_url()
    monkeypatch.setenv("PROSCRIBE_DATABASE_URL", url)
    engine = connect(url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    return engine


def _entity(source_id: str, schema: str, names: list[str], **props) -> Entity:
    entity = Entity(
        id=f"{TEST_DATASET}-{source_id}", schema=schema, dataset=TEST_DATASET, source_id=source_id
    )
    entity.add("name", names[0])
    entity.add("alias", names[1:])
    for key, values in props.items():
        entity.add(key, values)
    return entity


FILLER = [
    "Northern Star Mining",
    "Golden Lotus Import Export",
    "Kestrel Aviation Services",
    "Red Harbour Fisheries",
    "Polar Bear Capital",
    "Silver Birch Chemicals",
    "Desert Rose Petroleum",
    "Amber Road Textiles",
    "Granite Peak Engineering",
    "Crescent Moon Exchange",
    "Iron Gate Security",
    "Jade Dragon Electronics",
]


def list_version(version: int) -> list[Entity]:
    """v1: three parties and filler; v2: adds BLUE FALCON LOGISTICS and gives ACME and OCEANIC SHADOW a new alias."""
    entities = [
        _entity("1", "Company", ["ACME SANCTIONED TRADING LLC"], country=["ru"]),
        _entity("2", "Person", ["Ivan Petrovich SIDOROV"], birthDate=["1960-04-01"]),
        _entity("3", "Company", ["OCEANIC SHADOW SHIPPING LTD"]),
    ]
    entities += [_entity(str(100 + i), "Company", [f"{name} Company"]) for i, name in enumerate(FILLER)]
    if version >= 2:
        entities[0].add("alias", "ACME TRADING HOUSE")
        entities[2].add("alias", "OCEANIC SHADOW MARITIME")
        entities.append(_entity("4", "Company", ["BLUE FALCON LOGISTICS GMBH"], country=["de"]))
    if version >= 3:
        entities[-1].add("alias", "SILVERWING FREIGHT FORWARDING")
    return entities


def _store_list(version: int, engine: Engine):
    from proscribe.store.snapshots import store_parsed

    entities = list_version(version)
    digest = f"test-list-v{version}".ljust(64, "0")
    return store_parsed(
        ParsedList(TEST_DATASET, entities, published=f"2026-0{version}-01"),
        format_name="test",
        digest=digest,
        source_label=f"test list v{version}",
        published=f"2026-0{version}-01",
        engine=engine,
    )


@pytest.fixture
def list_entities() -> Callable[[int], list[Entity]]:
    """``list_entities(1)``: the entities of that version of the small list."""
    return list_version


@pytest.fixture(scope="session")
def store_list() -> Callable[[int, Engine], object]:
    """``store_list(2, engine)``: store that version of the small list as a new snapshot."""
    return _store_list


BOOK = [
    {
        "id": "C-ACME",
        "schema": "Company",
        "properties": {"name": ["Acme Sanctioned Trading LLC"], "country": ["ru"]},
    },
    {
        "id": "C-IVAN",
        "schema": "Person",
        "properties": {"name": ["Ivan Sidorov"], "birthDate": ["1960-04-01"]},
    },
    {
        "id": "C-FALCON",
        "schema": "Company",
        "properties": {"name": ["Blue Falcon Logistics GmbH"], "country": ["de"]},
    },
    {"id": "C-OCEAN", "schema": "Company", "properties": {"name": ["Oceanic Shadow Maritime"]}},
] + [
    {"id": f"C-{n:03d}", "schema": "Person", "properties": {"name": [f"{first} {last}"]}}
    for n, (first, last) in enumerate(
        (f, la)
        for f in ("Anna", "Peter", "Maria", "Tomas", "Greta", "Luis")
        for la in ("Keller", "Brandt", "Moreau", "Lindqvist", "Okafor", "Tanaka")
    )
]


def _write_book(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def write_book() -> Callable[[Path], Path]:
    """``write_book(path)``: the small book as JSON lines at ``path`` (for module-scoped stores)."""
    return lambda path: _write_book(path, BOOK)


@pytest.fixture
def book_file(tmp_path) -> Callable[[list[dict] | None], Path]:
    """``book_file()``: the small book as JSON lines (or the given records)."""
    counter = iter(range(1000))

    def make(records: list[dict] | None = None) -> Path:
        return _write_book(tmp_path / f"book-{next(counter)}.jsonl", BOOK if records is None else records)

    return make
