"""The fuzz tests' shared context: a real store for the book, the session's screening index for
payment decisions (tests/conftest.py builds it once from the bundled lists)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def fuzz_context(request, engine) -> dict:
    """What a target needs beyond its input: the store (book targets), a Screener on the session
    index (payment targets, so every fuzzed payment is also decided)."""
    context: dict = {"engine": engine}
    target = request.node.callspec.params.get("target", "")
    if str(target).startswith("payments/"):
        from proscribe.payments.decide import Screener

        context["screener"] = Screener(request.getfixturevalue("index"), regime="us")
    return context
