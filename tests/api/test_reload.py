"""Reloading under load: a new snapshot is swapped in while requests keep coming; none fails,
every answered screening has its record, and requests after the swap see the new list."""

from __future__ import annotations

import threading
import time

import httpx
from api_support import CUSTOM_CSV, import_custom, start_service, stop_service

NEW_ROW = (
    "INT-9001,Company,Quillfeather Obsidian Maritime Holdings,,,,,,,INTERNAL-EXIT,2026-09-01,"
    "Test addition,,,,,,,,,,,FICTITIOUS example record\n"
)
NEW_QUERY = {"schema": "Company", "properties": {"name": ["Quillfeather Obsidian Maritime Holdings"]}}
OLD_QUERY = {
    "schema": "Company",
    "properties": {"name": ["Northwind Polar Logistics LLC"], "country": ["ru"]},
}


def test_reload_under_concurrent_requests(small_service):
    svc = small_service
    headers = svc.headers("screener")
    before = httpx.post(svc.url + "/v1/screen", json=NEW_QUERY, headers=headers).json()
    assert before["decision"] == "clear"
    old_snapshot = before["snapshots"]["custom_internal"]

    failures: list[str] = []
    answered: list[str] = []
    stop = threading.Event()

    def hammer():
        with httpx.Client(base_url=svc.url, headers=headers, timeout=30) as client:
            n = 0
            while not stop.is_set():
                query = NEW_QUERY if n % 2 else OLD_QUERY
                try:
                    response = client.post("/v1/screen", json=query)
                except httpx.HTTPError as exc:
                    failures.append(repr(exc))
                    continue
                if response.status_code != 200:
                    failures.append(f"{response.status_code} {response.text}")
                else:
                    answered.append(response.json()["screening_id"])
                n += 1

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.5)
        text = CUSTOM_CSV.read_text(encoding="utf-8")
        new_snapshot = import_custom(svc.home, text + NEW_ROW, "list-2.csv")
        with svc.client("admin") as admin:
            reload = admin.post("/v1/admin/reload")
            assert reload.status_code == 200, reload.text
            assert reload.json()["reloaded"] is True
            assert reload.json()["snapshots"]["custom_internal"] == new_snapshot
            time.sleep(0.5)
            again = admin.post("/v1/admin/reload").json()  # nothing newer: nothing to do
            assert again["reloaded"] is False
            forced = admin.post("/v1/admin/reload", params={"force": "true"}).json()
            assert forced["reloaded"] is True
            time.sleep(0.5)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert not failures, failures[:5]
    assert len(answered) > 20

    after = httpx.post(svc.url + "/v1/screen", json=NEW_QUERY, headers=headers).json()
    assert after["snapshots"]["custom_internal"] == new_snapshot != old_snapshot
    assert after["decision"] in ("block", "review") and after["results"][0]["source_id"] == "INT-9001"

    with svc.client("analyst") as client:
        changes = client.get(
            "/v1/datasets/custom_internal/changes", params={"since": str(old_snapshot)}
        ).json()
        assert changes["summary"]["added"] == 1 and changes["added"][0]["entity_id"].endswith("INT-9001")
        assert client.get("/v1/datasets/custom_internal/changes").json()["summary"]["added"] == 1

    # no screening was answered without its record
    from sqlalchemy import select

    from proscribe.store.db import connect
    from proscribe.store.service_tables import screenings

    engine = connect(f"sqlite:///{svc.home / 'proscribe.db'}")
    with engine.connect() as conn:
        stored = {row[0] for row in conn.execute(select(screenings.c.id))}
    assert set(answered) <= stored


def test_plain_reload_after_a_forced_one_reports_no_change(small_service):
    """A forced reload reads the same index anew; a plain reload after it has nothing to do, and
    says so (it used to compare against the index before the forced one and swap back)."""
    svc = small_service
    with svc.client("admin") as admin:
        forced = admin.post("/v1/admin/reload", params={"force": "true"}).json()
        assert forced["reloaded"] is True
        for _ in range(3):
            plain = admin.post("/v1/admin/reload").json()
            assert plain["reloaded"] is False, plain
            time.sleep(0.3)  # the reload watcher polls meanwhile; it must not take this worker's own
    response = httpx.post(svc.url + "/v1/screen", json=OLD_QUERY, headers=svc.headers("screener"))
    assert response.status_code == 200 and response.json()["results"]


def test_no_auth_says_so_loudly(small_home):
    svc = start_service(small_home, "--no-auth")
    try:
        response = httpx.post(svc.url + "/v1/screen", json=OLD_QUERY)
        assert response.status_code == 200
        assert response.headers["x-proscribe-auth"] == "disabled"
        assert httpx.get(svc.url + "/readyz").json()["auth"] == "disabled"
        assert httpx.post(svc.url + "/v1/admin/reload").status_code == 200
    finally:
        stop_service(svc)
    log = svc.log_text()
    assert "--no-auth" in log and "NO AUTHENTICATION" in log
    from api_support import run_cli

    refused = run_cli(small_home, "serve", "--no-auth", "--host", "0.0.0.0", timeout=60)
    assert refused.returncode == 1 and "loopback" in refused.stderr


def test_reload_reaches_every_worker(tmp_path):
    """With --workers 2, a reload asked of one worker is followed by the other within a second."""
    from api_support import _make_keys

    home = tmp_path / "multi"
    home.mkdir()
    text = CUSTOM_CSV.read_text(encoding="utf-8")
    import_custom(home, text, "list-1.csv")
    keys, _ = _make_keys(home)
    svc = start_service(home, "--workers", "2")
    svc.keys = keys
    try:
        seen = set()
        deadline = time.time() + 60
        while len(seen) < 2 and time.time() < deadline:  # both workers listening (each loads first)
            response = httpx.get(svc.url + "/readyz")
            seen.add(response.headers.get("x-proscribe-worker"))
            time.sleep(0.05)
        assert len(seen) == 2, seen
        new_snapshot = import_custom(home, text + NEW_ROW, "list-2.csv")
        reload = httpx.post(svc.url + "/v1/admin/reload", headers=svc.headers("admin"), timeout=60)
        assert reload.status_code == 200 and reload.json()["reloaded"] is True
        time.sleep(1.5)  # the other worker polls every 0.2 s here
        pids, snapshots = set(), set()
        for _ in range(40):  # fresh connections spread over both workers
            response = httpx.post(svc.url + "/v1/screen", json=NEW_QUERY, headers=svc.headers("screener"))
            assert response.status_code == 200
            snapshots.add(response.json()["snapshots"]["custom_internal"])
            pids.add(response.headers.get("x-proscribe-worker"))
        assert snapshots == {new_snapshot}
        assert len(pids) == 2, pids
    finally:
        stop_service(svc)
