"""Payment tests share one screening index built once from the bundled current lists, and the
hand-written messages under tests/fixtures/payments."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payments"


@pytest.fixture(scope="session")
def payments_home(screening_home):
    """The session's store with the bundled lists and a persisted index (tests/conftest.py)."""
    return screening_home


@pytest.fixture(scope="session")
def payment_index(index):
    return index


@pytest.fixture(scope="session")
def screener(payment_index):
    from proscribe.payments.decide import Screener

    return Screener(payment_index, regime="us")


@pytest.fixture(scope="session")
def fixture_path():
    return lambda name: FIXTURES / name


@pytest.fixture(scope="session")
def parse_fixture():
    from proscribe.payments import parse_file

    return lambda name: parse_file(FIXTURES / name)
