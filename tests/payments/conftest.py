"""Payment tests share one screening index built once from the bundled current lists, and the
hand-written messages under tests/fixtures/payments."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payments"


@pytest.fixture(scope="session")
def payments_home(tmp_path_factory):
    """A PROSCRIBE_HOME holding the bundled current lists and a persisted index."""
    home = tmp_path_factory.mktemp("payments-home")
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
def payment_index(payments_home):
    from proscribe.index.compiled import CompiledIndex

    (path,) = (payments_home / "index").glob("index-*.pkl")
    return CompiledIndex.load(path)


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
