"""Fail-opens of the service over real HTTP: four-eyes bound to users, blocking matches never
dismissed alone, no 500 for hostile input on any route, failed-auth limit, key name and rate
validation, OpenAPI constraints, and a /readyz that tells an anonymous caller nothing more than
ready or not."""

from __future__ import annotations

import json
import time

import httpx
import pytest
from api_support import start_service, stop_service

ITG_CUSTOMER = {
    "id": "C-4EYES-ITG",
    "schema": "Company",
    "properties": {
        "name": ["Yongxin Zhicheng"],
        "country": ["cn"],
        "registrationNumber": ["91110108562135265P"],
    },
}
ROTENBERG = {
    "id": "C-4EYES-ROT",
    "schema": "Person",
    "properties": {"name": ["Arkady Romanovich Rotenberg"], "birthDate": ["1951-12-15"]},
}


def _client(service, key: str) -> httpx.Client:
    return httpx.Client(base_url=service.url, headers={"Authorization": f"ApiKey {key}"}, timeout=120)


def _monitor(admin: httpx.Client) -> None:
    for _ in range(90):
        response = admin.post("/v1/monitor/run")
        if response.status_code != 409:
            assert response.status_code == 200, response.text
            return
        time.sleep(1)
    raise AssertionError("monitoring stayed busy")


def _case_of(client: httpx.Client, subject: str) -> dict:
    cases = client.get("/v1/cases", params={"include_closed": True, "limit": 1000}).json()["cases"]
    found = [c for c in cases if c["subject_id"] == subject]
    assert found, subject
    return found[-1]


@pytest.fixture(scope="module")
def book_cases(service):
    with service.client("admin") as admin:
        imported = admin.post("/v1/book", json={"records": [ITG_CUSTOMER, ROTENBERG]})
        assert imported.status_code == 200, imported.text
        _monitor(admin)
    return service


def _mint(admin: httpx.Client, name: str, role: str, user: str | None = None) -> dict:
    body = {"name": name, "role": role} | ({"user": user} if user else {})
    response = admin.post("/v1/admin/keys", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_four_eyes_is_bound_to_users_not_key_names(book_cases):
    service = book_cases
    with service.client("admin") as root:
        mallory = _mint(root, "mallory-4e", "admin")
        bob = _mint(root, "bob-4e", "analyst")
        for user in ("mallory-4e", "bob-4e"):
            roles = root.post("/v1/admin/users", json={"name": user, "roles": ["analyst", "approver"]})
            assert roles.status_code == 200, roles.text
    m, b = _client(service, mallory["key"]), _client(service, bob["key"])
    case = _case_of(m, "C-4EYES-ITG")
    asked = m.post(f"/v1/cases/{case['id']}/close", json={"outcome": "true_match", "reason": "same USCC"})
    assert asked.status_code == 200 and asked.json()["state"] == "pending_approval", asked.text
    # the attack: a key named after the approver (names are unique) ...
    assert m.post("/v1/admin/keys", json={"name": "bob-4e", "role": "analyst"}).status_code == 409
    # ... or a key of the approver's user minted by the asker: audited, and no approval
    minted = _mint(m, "bob-4e-by-mallory", "analyst", user="bob-4e")
    assert minted["user"] == "bob-4e"
    fake = _client(service, minted["key"])
    refused = fake.post(f"/v1/cases/{case['id']}/approve", json={})
    assert refused.status_code == 403 and "four-eyes" in refused.json()["detail"], refused.text
    # a second key of the asker's own user is the same person
    second = _client(service, _mint(m, "mallory-4e-laptop", "analyst", user="mallory-4e")["key"])
    same = second.post(f"/v1/cases/{case['id']}/approve", json={})
    assert same.status_code == 403 and "same person" in same.json()["detail"], same.text
    approved = b.post(f"/v1/cases/{case['id']}/approve", json={})
    assert approved.status_code == 200 and approved.json()["state"] == "closed", approved.text
    detail = b.get(f"/v1/cases/{case['id']}").json()
    assert (detail["closed_by"], detail["approved_by"]) == ("mallory-4e", "bob-4e")
    # key creation through the API names the acting user and key, not "admin"
    with service.client("admin") as root:
        export = root.get("/v1/audit/export", params={"since": "2000-01-01"})
    records = [json.loads(line) for line in export.text.splitlines()]
    created = [r for r in records if r.get("event_type") == "key.created"]

    def payload_of(record: dict) -> dict:
        return record["payload"] if isinstance(record["payload"], dict) else json.loads(record["payload"])

    mine = [r for r in created if payload_of(r)["key_id"] == minted["id"]]
    assert mine and mine[0]["actor"] == "mallory-4e"
    payload = payload_of(mine[0])
    assert payload["by_key_id"] == mallory["id"] and payload["for_other_user"] is True
    assert payload["summary"] == "mallory-4e created a key for user bob-4e"
    for client in (m, b, fake, second):
        client.close()


def test_false_positive_of_a_blocking_match_needs_an_approver(book_cases):
    service = book_cases
    with service.client("admin") as root:
        alice = _mint(root, "alice-fp", "analyst")
        carol = _mint(root, "carol-fp", "analyst")
        root.post("/v1/admin/users", json={"name": "carol-fp", "roles": ["approver"]})
    a, c = _client(service, alice["key"]), _client(service, carol["key"])
    case = _case_of(a, "C-4EYES-ROT")
    detail = a.get(f"/v1/cases/{case['id']}").json()
    assert any(alert["decision"] == "block" for alert in detail["alerts"]), detail
    closing = a.post(
        f"/v1/cases/{case['id']}/close",
        json={"outcome": "false_positive", "reason": "another man", "whitelist": True},
    )
    assert closing.status_code == 200, closing.text
    body = closing.json()
    assert body["state"] == "pending_approval" and body["pending_action"] == "close_false_positive"
    assert body["whitelisted"] == [] and body["pending_whitelist"]
    assert a.get(f"/v1/cases/{case['id']}").json()["state"] == "pending_approval"
    assert a.post(f"/v1/cases/{case['id']}/approve", json={}).status_code == 403
    approved = c.post(f"/v1/cases/{case['id']}/approve", json={})
    assert approved.status_code == 200 and approved.json()["state"] == "closed", approved.text
    closed = c.get(f"/v1/cases/{case['id']}").json()
    assert (closed["disposition"], closed["closed_by"], closed["approved_by"]) == (
        "false_positive",
        "alice-fp",
        "carol-fp",
    )
    a.close()
    c.close()


# -- no 500 for hostile input ---------------------------------------------------------------------

DEEP = ("[" * 5000 + "]" * 5000).encode()
QUERY = '{"schema": "Person", "properties": {"name": ["%s"]}}'
SURROGATES = [
    QUERY % "\\ud800",
    QUERY % "Ivan \\udfff Petrov",
    QUERY % "\\ud800\\ud800",
    '{"schema": "Person", "properties": {"na\\udc00me": ["Ivan"]}}',
    '{"id": "\\ud83d", "schema": "Person", "properties": {"name": ["Ivan"]}}',
    '{"queries": [{"schema": "Person", "properties": {"name": ["x\\ud800"]}}]}',
]
JSON_ROUTES = [
    ("POST", "/v1/screen"),
    ("POST", "/match/default"),
    ("POST", "/v1/admin/keys"),
    ("POST", "/v1/admin/users"),
    ("POST", "/v1/cases/1/assign"),
    ("POST", "/v1/cases/1/escalate"),
    ("POST", "/v1/cases/1/close"),
    ("POST", "/v1/cases/1/release"),
    ("POST", "/v1/cases/1/approve"),
    ("POST", "/v1/book"),
]


def _hostile_requests() -> list[tuple[str, str, dict]]:
    cases: list[tuple[str, str, dict]] = []
    json_type = {"Content-Type": "application/json"}
    for body in SURROGATES:
        for path in ("/v1/screen", "/v1/screen?limit=5", "/match/default"):
            data = body if path != "/match/default" else '{"queries": {"q": ' + body + "}}"
            cases.append(("POST", path, {"content": data.encode(), "headers": json_type}))
    for method, path in JSON_ROUTES:
        cases.append((method, path, {"content": DEEP, "headers": json_type}))
        cases.append((method, path, {"content": b"\xff\xfe{}", "headers": json_type}))
        cases.append((method, path, {"content": b"", "headers": json_type}))
        cases.append((method, path, {"content": b"{}", "headers": {"Content-Type": "text/plain"}}))
        cases.append((method, path, {"content": b'{"a": ' + b"9" * 5000 + b"}", "headers": json_type}))
    for since in ("¹", "²³", "٣", "9" * 5000, "1" * 19, "-1", "1e9", "2024-13-45", "x" * 41):
        cases.append(("GET", "/v1/datasets/custom_internal/changes", {"params": {"since": since}}))
    cases.append(("GET", "/v1/datasets/" + "n" * 5000 + "/changes", {}))
    for case_id in ("abc", "¹", "9" * 5000, "-1", "0", "1.5"):
        cases.append(("GET", f"/v1/cases/{case_id}", {}))
        cases.append(("POST", f"/v1/cases/{case_id}/assign", {"json": {}}))
    for value in ("x" * 5000, "\udcff".encode("utf-8", "surrogatepass").decode("latin-1"), "%00"):
        for path in ("/v1/entities/", "/v1/screenings/", "/v1/book/", "/v1/ownership/explain/"):
            cases.append(("GET", path + value, {}))
        cases.append(("DELETE", "/v1/admin/keys/" + value, {}))
    cases.append(("GET", "/v1/cases", {"params": {"limit": "9" * 5000}}))
    cases.append(("GET", "/v1/cases", {"params": {"offset": "¹"}}))
    cases.append(("GET", "/v1/audit/export", {"params": {"since": "¹"}}))
    cases.append(("GET", "/v1/audit/export", {"params": {"since": "9" * 30}}))
    cases.append(("GET", "/v1/audit/export", {"params": {"since": "0001-01-01T00:00:00+14:00"}}))
    cases.append(("POST", "/v1/cases/1/assign", {"json": {"assignee": "\u0000\u202e"}}))
    for media in ("application/json", "application/x-ndjson", "text/plain"):
        for body in (DEEP, b'{"owner_id": "\\ud800"}', b"\xff\xfe[]"):
            cases.append(("POST", "/v1/ownership/import", {"content": body, "headers": {"Content-Type": media}}))
    for csv in (
        b"id,schema,name\nC-1,Person,Ren\xe9 M\xfcller\n",
        b"\xff\xfeid,schema\n",
        b"id,schema,name\nC-1,Person,\xed\xa0\x80\n",
    ):
        cases.append(("POST", "/v1/book", {"content": csv, "headers": {"Content-Type": "text/csv"}}))
    for lines in (
        b'{"id": "C-1", "schema": "Person", "properties": {"name": ["\\ud800"]}}\n',
        DEEP + b"\n",
        b"\xff\n",
    ):
        cases.append(
            ("POST", "/v1/book", {"content": lines, "headers": {"Content-Type": "application/x-ndjson"}})
        )
    return cases


def test_http_inputs_never_answer_500(small_service):
    """Every route x hostile input (lone surrogates in several positions, deep JSON, non-UTF-8,
    empty bodies, wrong content types, huge and non-ASCII numbers, non-numeric ids): a 4xx with
    a message, never a 500."""
    headers = small_service.headers("admin")
    failures = []
    with httpx.Client(base_url=small_service.url, headers=headers, timeout=120) as client:
        for method, path, kwargs in _hostile_requests():
            extra = kwargs.pop("headers", {})
            try:
                response = client.request(method, path, headers=extra, **kwargs)
            except httpx.TransportError as exc:  # the server dropped the connection: worse than a 500
                failures.append((method, path[:60], str(kwargs)[:80], type(exc).__name__))
                continue
            if not 400 <= response.status_code < 500:
                failures.append(
                    (method, path[:60], str(kwargs)[:80], response.status_code, response.text[:200])
                )
            elif response.status_code >= 400:
                assert response.json()["detail"], (method, path, response.text)
    assert not failures, failures
    # the examples of the issue, with the message they answer
    with httpx.Client(base_url=small_service.url, headers=headers, timeout=120) as client:
        lone = client.post(
            "/v1/screen", content=(QUERY % "\\ud800").encode(), headers={"Content-Type": "application/json"}
        )
        assert lone.status_code == 422 and "surrogate" in lone.text, lone.text
        sup = client.get("/v1/datasets/custom_internal/changes", params={"since": "¹"})
        assert sup.status_code == 400 and "since" in sup.json()["detail"], sup.text
        latin = client.post(
            "/v1/book", content=b"id,schema,name\nC-9,Person,Ren\xe9\n", headers={"Content-Type": "text/csv"}
        )
        assert latin.status_code == 400 and "UTF-8" in latin.json()["detail"], latin.text
        deep = client.post("/v1/screen", content=DEEP, headers={"Content-Type": "application/json"})
        assert deep.status_code == 422 and "deeper" in deep.text, deep.text


# -- low items ------------------------------------------------------------------------------------


def test_failed_authentications_are_rate_limited_per_address(small_home):
    svc = start_service(small_home, PROSCRIBE_AUTH_FAIL_LIMIT="5", PROSCRIBE_AUTH_FAIL_WINDOW_S="3")
    try:
        from api_support import _engine

        from proscribe.api import auth

        good = auth.create_key("auth-limit probe", "screener", engine=_engine(small_home)).key
        bad = {"X-API-Key": "psk_000000000000_" + "y" * 43}
        statuses = [httpx.get(svc.url + "/v1/datasets", headers=bad).status_code for _ in range(5)]
        assert statuses == [401] * 5
        for headers in (bad, {"X-API-Key": good}):  # locked out: even a right key waits
            locked = httpx.post(svc.url + "/v1/screen", json=json.loads(QUERY % "Ivan"), headers=headers)
            assert locked.status_code == 429 and int(locked.headers["retry-after"]) >= 1, locked.text
        assert httpx.get(svc.url + "/readyz").status_code == 200  # no key, no lock-out
        time.sleep(3.2)
        ok = httpx.post(svc.url + "/v1/screen", json=json.loads(QUERY % "Ivan"), headers={"X-API-Key": good})
        assert ok.status_code == 200, ok.text
    finally:
        stop_service(svc)


BAD_NAMES = [
    "bad\x00name",
    "line\nbreak",
    "tab\there",
    "rlo\u202eevil",
    "zero\u200bwidth",
    "bell\x07",
    " ",
    "x" * 201,
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_key_names_refuse_control_characters(small_service, name):
    with small_service.client("admin") as admin:
        response = admin.post("/v1/admin/keys", json={"name": name, "role": "screener"})
        assert response.status_code == 422, response.text
        assert admin.post("/v1/admin/users", json={"name": name, "roles": ["analyst"]}).status_code == 422


@pytest.mark.parametrize("rate", [0, -1, 1e-9, 10_001, 1e12, "NaN"])
def test_key_rate_limit_stays_in_a_sane_range(small_service, rate):
    with small_service.client("admin") as admin:
        content = '{"name": "rate-probe", "role": "screener", "rate_limit": ' + str(rate) + "}"
        response = admin.post("/v1/admin/keys", content=content, headers={"Content-Type": "application/json"})
        assert response.status_code == 422, response.text


def test_openapi_states_its_constraints(small_service):
    spec = httpx.get(small_service.url + "/openapi.json").json()
    schemas = spec["components"]["schemas"]
    key = schemas["KeyCreateRequest"]["properties"]
    assert key["name"]["maxLength"] == 200
    rate = key["rate_limit"]["anyOf"][0]
    assert rate["minimum"] > 0 and rate["maximum"] == 10_000
    assert schemas["ScreenBatch"]["properties"]["queries"]["maxItems"] >= 1000
    assert schemas["ScreenQuery"]["properties"]["properties"]["maxProperties"] > 0
    assert schemas["UserRolesRequest"]["properties"]["name"]["maxLength"] == 100
    since = [
        p for p in spec["paths"]["/v1/datasets/{name}/changes"]["get"]["parameters"] if p["name"] == "since"
    ]
    assert since[0]["schema"]["anyOf"][0]["maxLength"] == 40


def test_readyz_discloses_no_snapshot_ids(small_service):
    response = httpx.get(small_service.url + "/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "auth": "enabled"}


def test_revocation_lag_is_stated_in_the_service_docs():
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "service-workflow.md").read_text(encoding="utf-8")
    assert "revocation lag" in docs.lower() and "2 s" in docs
