"""Fixtures of the store tests: the chaos tests' base store, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from chaos_support import make_base


@pytest.fixture(scope="session")
def chaos_base(tmp_path_factory) -> Path:
    """A store with the bundled UN list, its index and a small book (see ``chaos_support``);
    tests copy it, never change it."""
    return make_base(tmp_path_factory.mktemp("chaos") / "base")
