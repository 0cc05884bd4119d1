"""One screening index for the whole session, compiled from the real bundled current lists."""

from __future__ import annotations

import os

import pytest


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

    (path,) = (screening_home / "index").glob("index-*.pkl")
    return CompiledIndex.load(path)


@pytest.fixture(scope="session")
def screen_one(index):
    """screen(name or query) against the session index."""
    from proscribe.screen import screen

    def run(name: str | None = None, schema: str = "LegalEntity", **props):
        properties = {key: value if isinstance(value, list) else [value] for key, value in props.items()}
        if name is not None:
            properties["name"] = [name]
        return screen({"id": "q", "schema": schema, "properties": properties}, index=index)

    return run
