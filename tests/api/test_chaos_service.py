"""Issue 15, chaos: the service killed with SIGKILL under load loses no answered record.

A real ``proscribe serve`` on the bundled UN list takes screening and payment requests from
several clients at once; at a seeded point of the load it is killed with SIGKILL, then started
again. Every screening it answered must be in the store, once, with its audit record; every
payment it answered has exactly one decision; a payment whose answer was lost in the kill, sent
again, is decided once (replayed when it was already recorded); and the audit chain verifies.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest
from api_support import BUNDLED_FOR_HOME, _make_keys, run_cli, start_service, stop_service

ROOT = Path(__file__).resolve().parents[2]
SEED = 15
CLIENTS = 4


@pytest.fixture(scope="module")
def chaos_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("chaos-service")
    BUNDLED_FOR_HOME[str(home)] = "un_sc_sanctions"
    done = run_cli(home, "lists", "import", "--bundled", "un_2026-08-01")
    assert done.returncode == 0, done.stderr
    done = run_cli(home, "index")
    assert done.returncode == 0, done.stderr
    return home


def _rows(home: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(f"file:{home / 'proscribe.db'}?mode=ro", uri=True) as conn:
        return conn.execute(sql).fetchall()


def _payment(i: int, creditor: str) -> bytes:
    message = json.loads((ROOT / "data" / "samples" / "payments" / "json_clean.json").read_text())
    message.update(message_id=f"SVC-CHAOS-{i:05d}", end_to_end_id=f"E2E-{i:05d}", amount=f"{50 + i}.00")
    message["creditor"] = {"name": creditor}
    return json.dumps(message).encode()


def _query(name: str) -> dict:
    return {"schema": "LegalEntity", "properties": {"name": [name]}}


class Load:
    """Clients that screen names and payments until stopped, keeping what was answered."""

    def __init__(self, url: str, key: str, listed: list[str]):
        self.url, self.key, self.listed = url, key, listed
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.screened: dict[str, str] = {}  # screening id -> name
        self.paid: set[str] = set()  # message ids answered
        self.sent: dict[str, bytes] = {}  # every payment sent, answered or not
        self.failures: list[str] = []
        self.counter = 0

    def _next(self) -> int:
        with self.lock:
            self.counter += 1
            return self.counter

    def client(self) -> None:
        headers = {"Authorization": f"ApiKey {self.key}"}
        with httpx.Client(base_url=self.url, headers=headers, timeout=30) as http:
            while not self.stop.is_set():
                i = self._next()
                name = self.listed[i % len(self.listed)] if i % 3 == 0 else f"Orchard Freight {i} Ltd"
                try:
                    if i % 2:
                        answer = http.post("/v1/screen", json=_query(name))
                        if answer.status_code == 200:
                            with self.lock:
                                self.screened[answer.json()["screening_id"]] = name
                        else:
                            self.failures.append(f"screen {i}: {answer.status_code} {answer.text[:200]}")
                    else:
                        body = _payment(i, name)
                        message_id = f"SVC-CHAOS-{i:05d}"
                        with self.lock:
                            self.sent[message_id] = body
                        answer = http.post(
                            "/v1/payments/screen", content=body, headers={"Content-Type": "application/json"}
                        )
                        if answer.status_code == 200:
                            with self.lock:
                                self.paid.add(message_id)
                        else:
                            self.failures.append(f"payment {i}: {answer.status_code} {answer.text[:200]}")
                except httpx.TransportError:
                    if not self.stop.is_set():
                        time.sleep(0.05)  # the service is gone: that request's answer is lost


def test_service_killed_under_load_keeps_every_answered_record_and_the_chain(chaos_home):
    home = chaos_home
    keys, _ = _make_keys(home)
    listed = [c for (c,) in _rows(home, "SELECT caption FROM entities WHERE schema = 'Person' LIMIT 40")]
    service = start_service(home)
    load = Load(service.url, keys["screener"], listed)
    threads = [threading.Thread(target=load.client, daemon=True) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    kill_after = random.Random(SEED).uniform(2.0, 4.0)
    time.sleep(kill_after)
    os.kill(service.process.pid, signal.SIGKILL)
    service.process.wait(30)
    load.stop.set()
    for thread in threads:
        thread.join(60)
    assert not load.failures, load.failures[:5]
    assert load.screened and load.paid, "no request was answered before the kill"

    stored = dict(_rows(home, "SELECT id, json_extract(query, '$.properties.name[0]') FROM screenings"))
    missing = {sid: name for sid, name in load.screened.items() if stored.get(sid) != name}
    assert not missing, f"answered screenings lost in the kill: {list(missing.items())[:5]}"
    decided = _rows(home, "SELECT message_id, count(*) FROM payment_decisions GROUP BY message_id")
    counts = dict(decided)
    assert all(counts.get(m) == 1 for m in load.paid), "an answered payment has no decision, or two"

    service = start_service(home)
    try:
        headers = {"Authorization": f"ApiKey {keys['screener']}"}
        with httpx.Client(base_url=service.url, headers=headers, timeout=60) as http:
            assert http.post("/v1/screen", json=_query(listed[0])).json()["decision"] != "clear"
            for message_id, body in sorted(load.sent.items()):
                if message_id not in load.paid:
                    answer = http.post(
                        "/v1/payments/screen", content=body, headers={"Content-Type": "application/json"}
                    )
                    assert answer.status_code == 200, answer.text
    finally:
        stop_service(service)
    decided = _rows(home, "SELECT message_id, count(*) FROM payment_decisions GROUP BY message_id")
    assert dict(decided) == dict.fromkeys(load.sent, 1)
    done = run_cli(home, "audit", "verify")
    assert done.returncode == 0, done.stdout + done.stderr
