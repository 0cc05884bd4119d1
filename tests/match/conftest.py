"""Screening tests: ``screen_one`` runs a query against the session index (tests/conftest.py)."""

from __future__ import annotations

import pytest


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
