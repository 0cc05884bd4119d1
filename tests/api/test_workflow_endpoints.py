"""The workflow endpoints over real HTTP: cases (four-eyes, conflicts), the customer book and
monitoring, the audit trail, payment screening and ownership, each behind the gate's roles."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest
from api_support import _engine

PAYMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "payments"
ITG = "us_ofac_sdn-50543"
ROLES = ("screener", "analyst", "admin")
RANK = {role: n for n, role in enumerate(ROLES)}

ITG_CUSTOMER = {
    "id": "C-ITG",
    "schema": "Company",
    "properties": {
        "name": ["Yongxin Zhicheng"],
        "country": ["cn"],
        "registrationNumber": ["91110108562135265P"],
    },
}
ROTENBERG = {
    "id": "C-ROT",
    "schema": "Person",
    "properties": {"name": ["Arkady Romanovich Rotenberg"], "birthDate": ["1951-12-15"]},
}
CLEAN = {"id": "C-CLEAN", "schema": "Person", "properties": {"name": ["Jane Q. Nobody"]}}


@pytest.fixture(scope="module")
def people(service):
    """Keys of three people: alice and bob are analysts with the approver case role, carol is an
    analyst without it."""
    from proscribe.api import auth
    from proscribe.cases.alerts import add_user

    engine = _engine(service.home)
    keys = {name: auth.create_key(name, "analyst", engine=engine).key for name in ("alice", "bob", "carol")}
    for name in ("alice", "bob"):
        add_user(name, ["analyst", "approver"], engine=engine)
    add_user("carol", ["analyst"], engine=engine)
    return {name: {"Authorization": f"ApiKey {key}"} for name, key in keys.items()}


def _endpoints() -> list[tuple[str, str, dict, str]]:
    """(method, path, request keyword arguments, least role) for every workflow endpoint."""
    broken = (PAYMENTS / "broken" / "not_a_message.txt").read_bytes()
    return [
        ("GET", "/v1/cases", {}, "analyst"),
        ("GET", "/v1/cases/999999", {}, "analyst"),
        ("POST", "/v1/cases/999999/assign", {"json": {}}, "analyst"),
        ("POST", "/v1/cases/999999/escalate", {"json": {"reason": "x"}}, "analyst"),
        ("POST", "/v1/cases/999999/close", {"json": {"outcome": "inconclusive", "reason": "x"}}, "analyst"),
        ("POST", "/v1/cases/999999/release", {"json": {"reason": "x"}}, "analyst"),
        ("POST", "/v1/cases/999999/approve", {"json": {}}, "analyst"),
        ("POST", "/v1/book", {"json": {"records": []}}, "admin"),
        ("GET", "/v1/book/nobody", {}, "analyst"),
        ("POST", "/v1/monitor/run", {}, "admin"),
        ("GET", "/v1/audit/verify", {}, "analyst"),
        ("GET", "/v1/audit/export", {"params": {"since": "2999-01-01"}}, "admin"),
        (
            "POST",
            "/v1/payments/screen",
            {"content": broken, "headers": {"Content-Type": "text/plain"}},
            "screener",
        ),
        (
            "POST",
            "/v1/ownership/import",
            {"content": b"owner_id,owned_id\n", "headers": {"Content-Type": "text/csv"}},
            "admin",
        ),
        ("GET", "/v1/ownership/explain/nobody", {}, "analyst"),
    ]


def _request(service, method: str, path: str, kwargs: dict, auth_headers: dict) -> httpx.Response:
    headers = {**kwargs.get("headers", {}), **auth_headers}
    rest = {k: v for k, v in kwargs.items() if k != "headers"}
    return httpx.request(method, service.url + path, headers=headers, timeout=120, **rest)


def test_workflow_role_matrix(service):
    """Every new endpoint x (no key, unknown key, each role): 401, 403 or admitted (never a 500)."""
    unknown = "psk_000000000000_" + "x" * 43
    for method, path, kwargs, least in _endpoints():
        for headers in ({}, {"X-API-Key": unknown}):
            response = _request(service, method, path, kwargs, headers)
            assert response.status_code == 401, (method, path, response.text)
        for role in ROLES:
            response = _request(service, method, path, kwargs, service.headers(role))
            if RANK[role] < RANK[least]:
                assert response.status_code == 403, (method, path, role, response.text)
                assert f"needs {least}" in response.json()["detail"]
            else:
                assert response.status_code in (200, 400, 404, 409, 422), (method, path, role, response.text)
    # the documentation describes every one of them
    spec = httpx.get(service.url + "/openapi.json").json()
    for method, path, _, _ in _endpoints():
        template = path.replace("999999", "{case_id}").replace("/book/nobody", "/book/{customer_id}")
        template = template.replace("/explain/nobody", "/explain/{entity}")
        assert method.lower() in spec["paths"][template], template


def _monitor(admin: httpx.Client) -> dict:
    for _ in range(60):  # a run the service started after a reload may still be under way
        response = admin.post("/v1/monitor/run")
        if response.status_code != 409:
            assert response.status_code == 200, response.text
            return response.json()
        time.sleep(1)
    raise AssertionError("monitoring stayed busy")


def _case_of(client: httpx.Client, subject: str) -> dict:
    cases = client.get("/v1/cases", params={"include_closed": True, "limit": 1000}).json()["cases"]
    found = [c for c in cases if c["subject_id"] == subject]
    assert found, (subject, cases)
    return found[-1]


def test_book_monitoring_cases_four_eyes_and_conflicts(service, people):
    admin = service.client("admin")
    analyst = service.client("analyst")
    alice = httpx.Client(base_url=service.url, headers=people["alice"], timeout=60)
    bob = httpx.Client(base_url=service.url, headers=people["bob"], timeout=60)
    carol = httpx.Client(base_url=service.url, headers=people["carol"], timeout=60)

    # the book: JSON, bad records refused whole, CSV upload
    imported = admin.post("/v1/book", json={"records": [ITG_CUSTOMER, ROTENBERG, CLEAN]})
    assert imported.status_code == 200, imported.text
    assert imported.json()["total"] == 3
    bad = admin.post(
        "/v1/book",
        json={"records": [CLEAN, {"id": "C-BAD", "schema": "Person", "properties": {"nmae": ["x"]}}]},
    )
    assert bad.status_code == 400 and "records[1]" in bad.json()["detail"] and "nmae" in bad.text
    invalid = admin.post("/v1/book", json={"records": [{"schema": "Person", "properties": {}}]})
    assert invalid.status_code == 422
    assert invalid.json()["detail"][0]["loc"][:3] == ["body", "records", 0]
    csv_upload = admin.post(
        "/v1/book",
        content=b"id,schema,name,country\nC-CSV,Company,Harbour Robotics Holdings plc,gb\n",
        headers={"Content-Type": "text/csv"},
    )
    assert csv_upload.status_code == 200 and csv_upload.json()["total"] == 1, csv_upload.text
    odd = admin.post("/v1/book", content=b"<x/>", headers={"Content-Type": "application/xml"})
    assert odd.status_code == 415

    # monitoring raises the alerts; the customer and its case can be read
    stats = _monitor(admin)
    assert stats["customers_screened"] >= 1
    customer = analyst.get("/v1/book/C-ITG").json()
    assert "up_to_date" in customer, customer
    assert customer["up_to_date"] is True and customer["cases"]
    assert analyst.get("/v1/book/C-NOPE").status_code == 404

    itg_case = _case_of(analyst, "C-ITG")
    detail = analyst.get(f"/v1/cases/{itg_case['id']}").json()
    assert detail["sla_hours"] and detail["age_hours"] >= 0 and detail["alerts"]
    top = detail["alerts"][0]
    assert top["entity_id"] == ITG and top["result"]["explanation"] and top["snapshot"]
    assert analyst.get("/v1/cases/999999").status_code == 404
    assert analyst.get("/v1/cases/abc").status_code == 422
    listed = analyst.get("/v1/cases", params={"state": "open", "limit": 1})
    assert listed.status_code == 200 and len(listed.json()["cases"]) <= 1
    assert analyst.get("/v1/cases", params={"state": "done"}).status_code == 422

    # four-eyes: alice closes as a true match; she cannot approve it herself, carol is no approver
    assigned = alice.post(f"/v1/cases/{itg_case['id']}/assign", json={})
    assert assigned.status_code == 200 and assigned.json()["state"] == "in_review"
    assert alice.post(f"/v1/cases/{itg_case['id']}/close", json={"outcome": "true_match"}).status_code == 422
    blank = alice.post(f"/v1/cases/{itg_case['id']}/close", json={"outcome": "true_match", "reason": " "})
    assert blank.status_code == 422
    closing = alice.post(
        f"/v1/cases/{itg_case['id']}/close",
        json={"outcome": "true_match", "reason": "USCC identical to the SDN entry"},
    )
    assert closing.status_code == 200 and closing.json()["state"] == "pending_approval", closing.text
    own = alice.post(f"/v1/cases/{itg_case['id']}/approve", json={})
    assert own.status_code == 403 and "four-eyes" in own.json()["detail"]
    not_approver = carol.post(f"/v1/cases/{itg_case['id']}/approve", json={})
    assert not_approver.status_code == 403 and "approver role" in not_approver.json()["detail"]
    approved = bob.post(f"/v1/cases/{itg_case['id']}/approve", json={})
    assert approved.status_code == 200, approved.text
    assert approved.json() == {
        "case": itg_case["id"],
        "action": "close_true_match",
        "approved": True,
        "state": "closed",
    }
    closed = analyst.get(f"/v1/cases/{itg_case['id']}").json()
    assert (closed["closed_by"], closed["approved_by"], closed["disposition"]) == (
        "alice",
        "bob",
        "true_match",
    )

    # release of blocked funds: asked by alice, approved by bob
    released = alice.post(f"/v1/cases/{itg_case['id']}/release", json={"reason": "OFAC licence 123"})
    assert released.status_code == 200 and released.json()["pending_action"] == "release_funds"
    assert alice.post(f"/v1/cases/{itg_case['id']}/approve", json={}).status_code == 403
    assert bob.post(f"/v1/cases/{itg_case['id']}/approve", json={"reject": True}).status_code == 400
    funds = bob.post(f"/v1/cases/{itg_case['id']}/approve", json={})
    assert funds.status_code == 200 and funds.json()["action"] == "release_funds"

    # conflict: alice and bob read the same version; the second close is a 409 that says why
    rot_case = _case_of(analyst, "C-ROT")
    seen = alice.get(f"/v1/cases/{rot_case['id']}").json()["version"]
    assert bob.get(f"/v1/cases/{rot_case['id']}").json()["version"] == seen
    first = alice.post(
        f"/v1/cases/{rot_case['id']}/close",
        json={"outcome": "false_positive", "reason": "different person", "whitelist": True, "version": seen},
    )
    # Rotenberg's match blocks: the false positive and its whitelisting wait for an approver
    assert first.status_code == 200 and first.json()["state"] == "pending_approval", first.text
    assert first.json()["pending_whitelist"] and not first.json()["whitelisted"]
    second = bob.post(
        f"/v1/cases/{rot_case['id']}/close",
        json={"outcome": "inconclusive", "reason": "not sure", "version": seen},
    )
    assert second.status_code == 409, second.text
    assert "changed by someone else" in second.json()["detail"]
    approved_fp = bob.post(f"/v1/cases/{rot_case['id']}/approve", json={})
    assert approved_fp.status_code == 200 and approved_fp.json()["state"] == "closed", approved_fp.text
    again = bob.post(f"/v1/cases/{rot_case['id']}/close", json={"outcome": "inconclusive", "reason": "late"})
    assert again.status_code == 409 and "already closed" in again.json()["detail"]
    wrong = bob.post(
        f"/v1/cases/{rot_case['id']}/close",
        json={"outcome": "true_match", "reason": "x", "whitelist": True},
    )
    assert wrong.status_code == 400 and "whitelist" in wrong.json()["detail"]

    # the audit trail holds it all, intact; the export is what examiners get
    report = analyst.get("/v1/audit/verify").json()
    assert report["ok"] is True and report["records"] > 0
    exported = admin.get("/v1/audit/export", params={"since": "2000-01-01"})
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("application/x-ndjson")
    records = [json.loads(line) for line in exported.text.splitlines()]
    assert records[0]["record"] == "chain"
    assert records[-1]["record"] == "end"  # the signed end line closes a verifiable export
    events = [(r["event_type"], r["actor"]) for r in records[1:-1]]
    assert ("case.close_requested", "alice") in events and ("case.closed", "bob") in events
    csv_export = admin.get("/v1/audit/export", params={"format": "csv", "since": "2999-01-01"})
    assert csv_export.status_code == 200 and csv_export.text.startswith("seq,ts,event_type")
    bad_since = admin.get("/v1/audit/export", params={"since": "yesterday"})
    assert bad_since.status_code == 400 and "since" in bad_since.json()["detail"]
    for client in (admin, analyst, alice, bob, carol):
        client.close()


def _screen_message(client: httpx.Client, name: str, media: str) -> dict:
    response = client.post(
        "/v1/payments/screen", content=(PAYMENTS / name).read_bytes(), headers={"Content-Type": media}
    )
    assert response.status_code == 200, (name, response.text)
    return response.json()


def test_payments_screen_over_http(service):
    with service.client("screener") as client:
        itg = _screen_message(client, "pacs008_v08_itg.xml", "application/xml")
        assert itg["decision"] == "block" and itg["format"].startswith("pacs.008")
        assert itg["message_id"] and len(itg["transactions"]) == 1
        blocking = [r for r in itg["reasons"] if r["result"] and r["result"]["id"] == ITG]
        assert blocking and "INTEGRITY" in json.dumps(blocking).upper()

        clean = _screen_message(client, "mt103_clean.fin", "text/plain")
        assert clean["format"].upper().startswith("MT103") and clean["decision"] in ("pass", "hold")
        assert _screen_message(client, "json_clean.json", "application/json")["decision"] in ("pass", "hold")

        batch = _screen_message(client, "pain001_v03_batch.xml", "application/xml")
        assert len(batch["transactions"]) >= 2
        severity = {"pass": 0, "hold": 1, "reject": 2, "block": 3}
        assert severity[batch["decision"]] == max(severity[t["decision"]] for t in batch["transactions"])

        for broken, media in (
            ("broken/truncated_pacs008.xml", "application/xml"),
            ("broken/not_a_message.txt", "text/plain"),
            ("broken/truncated_mt103.fin", "application/octet-stream"),
        ):
            held = _screen_message(client, broken, media)
            assert held["decision"] == "hold", (broken, held)
            assert any(r["kind"] == "parse_error" for r in held["reasons"]), held
        empty = client.post("/v1/payments/screen", content=b"", headers={"Content-Type": "text/plain"})
        assert empty.status_code == 200 and empty.json()["decision"] == "hold"
        bad_regime = client.post("/v1/payments/screen", params={"regime": "mars"}, content=b"x")
        assert bad_regime.status_code == 422


def test_ownership_import_then_screen_blocks_the_owned_company(service):
    csv = (
        "owner_id,owner_name,owned_id,owned_name,owned_country,share,relationship,source\n"
        f"{ITG},,zorblax,Zorblax Quantum Holdings Ltd,sg,60,shareholding,company register\n"
    )
    with service.client("admin") as admin:
        nothing = admin.post("/v1/ownership/import", content=b"hello\n", headers={"Content-Type": "text/csv"})
        assert nothing.status_code == 400 and "nothing to import" in nothing.json()["detail"]
        imported = admin.post(
            "/v1/ownership/import", content=csv.encode(), headers={"Content-Type": "text/csv"}
        )
        assert imported.status_code == 200, imported.text
        data = imported.json()
        assert data["relationships"] == 1 and data["listed"] == 1 and data["reloaded"] is True
        assert data["computed"]["ofac"]["block"] >= 1
    with service.client("screener") as screener:
        query = {
            "schema": "Company",
            "properties": {"name": ["Zorblax Quantum Holdings Ltd"], "country": ["sg"]},
        }
        out = screener.post("/v1/screen", json=query).json()
        assert out["decision"] == "block", out
        top = out["results"][0]
        assert top["dataset"] == "derived_ownership"
        assert "50543" in json.dumps(top) or "INTEGRITY" in json.dumps(top).upper()
    with service.client("analyst") as analyst:
        explained = analyst.get("/v1/ownership/explain/zorblax")
        assert explained.status_code == 200, explained.text
        body = explained.json()
        assert body["status"] and "60" in body["text"] and "<svg" in body["svg"]
        picture = analyst.get("/v1/ownership/explain/zorblax", params={"format": "svg"})
        assert picture.headers["content-type"].startswith("image/svg+xml") and "<svg" in picture.text
        assert analyst.get("/v1/ownership/explain/nobody-at-all").status_code == 404
        assert analyst.get("/v1/ownership/explain/zorblax", params={"regime": "mars"}).status_code == 422
