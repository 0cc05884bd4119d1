"""Helpers of the API tests (imported by conftest.py and the tests): real screening services: ``proscribe serve`` in a subprocess on 127.0.0.1.

* ``service``: the bundled current lists (loaded and indexed once per session, ~20 s), with a
  screener, an analyst, an admin and a slow (2 requests/s) key;
* ``small_service``: a home holding only a small custom list, so that importing a new snapshot
  and reloading takes well under a second (reload and schema-fuzzing tests).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

CUSTOM_CSV = Path(__file__).resolve().parents[1] / "fixtures" / "custom" / "internal_list.csv"


@dataclass
class Service:
    url: str
    home: Path
    log: Path
    process: subprocess.Popen
    keys: dict[str, str] = field(default_factory=dict)
    key_ids: dict[str, str] = field(default_factory=dict)

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"ApiKey {self.keys[role]}"}

    def client(self, role: str | None = None, **kwargs) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, headers=self.headers(role) if role else {}, timeout=60, **kwargs
        )

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


#: Which bundled lists a test home screens (``PROSCRIBE_BUNDLED``), set by the fixture that made
#: the home; a home not named here loads every bundled list, as a fresh installation does.
BUNDLED_FOR_HOME: dict[str, str] = {}


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        **({"PROSCRIBE_BUNDLED": BUNDLED_FOR_HOME[str(home)]} if str(home) in BUNDLED_FOR_HOME else {}),
        "PROSCRIBE_HOME": str(home),
        "PROSCRIBE_PIN_CPUS": "false",
        "PROSCRIBE_KEY_CACHE_S": "0.2",
        "PROSCRIBE_RELOAD_POLL_S": "0.2",
        "PROSCRIBE_MAX_BODY_BYTES": "300000",
        # the role matrices present many unknown keys from one address within a minute
        "PROSCRIBE_AUTH_FAIL_LIMIT": "1000",
    }
    env.pop("PROSCRIBE_DATABASE_URL", None)
    env.update(extra)
    return env


def run_cli(home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "proscribe.cli", *args],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _engine(home: Path):
    from proscribe.store.db import connect

    return connect(f"sqlite:///{home / 'proscribe.db'}")


def _make_keys(home: Path) -> tuple[dict[str, str], dict[str, str]]:
    from proscribe.api import auth

    keys, ids = {}, {}
    for role in ("screener", "analyst", "admin"):
        created = auth.create_key(f"test {role}", role, engine=_engine(home))
        keys[role], ids[role] = created.key, created.id
    slow = auth.create_key("test slow", "screener", rate_limit=2, engine=_engine(home))
    keys["slow"], ids["slow"] = slow.key, slow.id
    return keys, ids


def start_service(home: Path, *args: str, **env: str) -> Service:
    port = _free_port()
    log = home / f"serve-{port}.log"
    handle = log.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "proscribe.cli", "serve", "--port", str(port), "--access-log", *args],
        env=_env(home, **env),
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    handle.close()
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while True:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.time() > deadline:
            process.kill()
            raise RuntimeError(f"service did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)
    return Service(url, home, log, process)


def stop_service(service: Service) -> None:
    service.process.terminate()
    try:
        service.process.wait(30)
    except subprocess.TimeoutExpired:
        service.process.kill()


def import_custom(home: Path, csv_text: str, name: str) -> int:
    """Import ``csv_text`` as a new snapshot of the ``custom_internal`` dataset; its id."""
    from proscribe.store.snapshots import import_list

    path = home / name
    path.write_text(csv_text, encoding="utf-8")
    BUNDLED_FOR_HOME.setdefault(str(home), "none")  # a custom-list home screens that list only
    return import_list(
        "custom_internal", "custom_csv", path, published=None, engine=_engine(home)
    ).snapshot.id
