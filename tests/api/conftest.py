"""Real screening services for the API tests: ``proscribe serve`` in a subprocess on 127.0.0.1.

* ``service``: the bundled current OFAC SDN and UN lists (loaded and indexed once per session), with a
  screener, an analyst, an admin and a slow (2 requests/s) key;
* ``small_service``: a home holding only a small custom list, so that importing a new snapshot
  and reloading takes well under a second (reload and schema-fuzzing tests).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from api_support import BUNDLED_FOR_HOME, CUSTOM_CSV, _make_keys, import_custom, start_service, stop_service


@pytest.fixture(scope="session")
def service_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("api-home")
    previous = os.environ.get("PROSCRIBE_HOME")
    os.environ["PROSCRIBE_HOME"] = str(home)
    BUNDLED_FOR_HOME[str(home)] = "us_ofac_sdn,un_sc_sanctions"  # two real lists keep the session short
    os.environ["PROSCRIBE_BUNDLED"] = BUNDLED_FOR_HOME[str(home)]
    try:
        from proscribe import bundled
        from proscribe.screen import get_index

        for item in bundled.bundled_lists(current_only=True):  # two real lists keep the session short
            if item.dataset in ("us_ofac_sdn", "un_sc_sanctions"):
                bundled.import_bundled(item)
        get_index(refresh=True)
    finally:
        os.environ.pop("PROSCRIBE_BUNDLED", None)
        if previous is None:
            os.environ.pop("PROSCRIBE_HOME", None)
        else:
            os.environ["PROSCRIBE_HOME"] = previous
    return home


@pytest.fixture(scope="session")
def service(service_home):
    keys, ids = _make_keys(service_home)
    svc = start_service(service_home)
    svc.keys, svc.key_ids = keys, ids
    yield svc
    stop_service(svc)


@pytest.fixture(scope="session")
def small_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("api-small-home")
    BUNDLED_FOR_HOME[str(home)] = "none"  # the custom list only
    shutil.copy(CUSTOM_CSV, home / "list-1.csv")
    import_custom(home, CUSTOM_CSV.read_text(encoding="utf-8"), "list-1.csv")
    return home


@pytest.fixture(scope="session")
def small_service(small_home):
    keys, ids = _make_keys(small_home)
    svc = start_service(small_home)
    svc.keys, svc.key_ids = keys, ids
    yield svc
    stop_service(svc)
