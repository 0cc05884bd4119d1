"""The screening service over real HTTP: roles, screening, yente compatibility, bad input,
limits, records and keys."""

from __future__ import annotations

import json

import httpx
import pytest
from api_support import run_cli

ITG = "us_ofac_sdn-50543"
ITG_QUERY = {
    "id": "q1",
    "schema": "Company",
    "properties": {
        "name": ["Yongxin Zhicheng"],
        "country": ["cn"],
        "registrationNumber": ["91110108562135265P"],
    },
}
ROLES = ("screener", "analyst", "admin")


def _endpoints(screening_id: str) -> list[tuple[str, str, dict | None, str]]:
    """(method, path, JSON body, least role) for every protected endpoint."""
    return [
        ("POST", "/v1/screen", ITG_QUERY, "screener"),
        (
            "POST",
            "/match/default",
            {"queries": {"q1": {"schema": "Person", "properties": {"name": ["John Doe"]}}}},
            "screener",
        ),
        ("GET", f"/v1/entities/{ITG}", None, "analyst"),
        ("GET", "/v1/datasets", None, "analyst"),
        ("GET", "/v1/datasets/us_ofac_sdn/changes", None, "analyst"),
        ("GET", f"/v1/screenings/{screening_id}", None, "analyst"),
        ("POST", "/v1/admin/reload", None, "admin"),
        ("GET", "/v1/admin/keys", None, "admin"),
        ("POST", "/v1/admin/keys", {"name": "matrix", "role": "screener"}, "admin"),
        ("DELETE", "/v1/admin/keys/nosuchkey", None, "admin"),
    ]


def test_role_matrix(service):
    """Every endpoint x (no key, malformed key, unknown key, each role): 401, 403 or admitted."""
    with service.client("screener") as client:
        screening_id = client.post("/v1/screen", json=ITG_QUERY).json()["screening_id"]
    rank = {role: n for n, role in enumerate(ROLES)}
    unknown = "psk_000000000000_" + "x" * 43
    for method, path, body, least in _endpoints(screening_id):
        for label, headers in (
            ("none", {}),
            ("garbage", {"Authorization": "ApiKey nonsense"}),
            ("unknown", {"X-API-Key": unknown}),
            ("wrong scheme", {"Authorization": "Basic abc"}),
        ):
            response = httpx.request(method, service.url + path, json=body, headers=headers, timeout=30)
            assert response.status_code == 401, (method, path, label, response.text)
            assert response.headers["www-authenticate"] == "ApiKey"
        for role in ROLES:
            response = httpx.request(
                method, service.url + path, json=body, headers=service.headers(role), timeout=60
            )
            if rank[role] < rank[least]:
                assert response.status_code == 403, (method, path, role, response.text)
                assert least in response.json()["detail"]
            else:
                assert response.status_code in (200, 201, 404), (method, path, role, response.text)
                if path.endswith("nosuchkey"):
                    assert response.status_code == 404
    # the probes and the documentation need no key
    for path in ("/healthz", "/readyz", "/openapi.json", "/docs"):
        assert httpx.get(service.url + path).status_code == 200


def test_screen_one_and_batch(service):
    with service.client("screener") as client:
        one = client.post("/v1/screen", json=ITG_QUERY)
        assert one.status_code == 200, one.text
        data = one.json()
        assert data["id"] == "q1" and data["decision"] == "block"
        assert data["results"][0]["id"] == ITG and data["results"][0]["match"] is True
        assert data["snapshots"]["us_ofac_sdn"] > 0 and data["engine_version"].startswith("proscribe")
        assert data["screening_id"]

        batch = {
            "queries": [
                ITG_QUERY,
                {"id": "q2", "schema": "Person", "properties": {"name": ["Jane Q. Nobody"]}},
            ]
        }
        out = client.post("/v1/screen", json=batch).json()
        assert [r["id"] for r in out["responses"]] == ["q1", "q2"]
        assert [r["decision"] for r in out["responses"]] == ["block", "clear"]
        assert len({r["screening_id"] for r in out["responses"]}) == 2

        only_un = client.post("/v1/screen", params={"datasets": "un_sc_sanctions"}, json=ITG_QUERY).json()
        assert set(only_un["snapshots"]) == {"un_sc_sanctions"}
        assert all(r["dataset"] == "un_sc_sanctions" for r in only_un["results"])

        full = {
            "queries": [
                {"schema": "Person", "properties": {"name": [f"Nobody Person {n}"]}} for n in range(1000)
            ]
        }
        assert client.post("/v1/screen", json=full).status_code == 200
        full["queries"].append(full["queries"][0])
        too_many = client.post("/v1/screen", json=full)
        assert too_many.status_code == 400
        assert "1001 queries" in too_many.json()["detail"] and "at most 1000" in too_many.json()["detail"]


@pytest.mark.parametrize(
    ("body", "status", "needle"),
    [
        (b'{"schema": "Company", "properties": {"name": ["x"]', 422, "JSON decode error"),
        (b"[1, 2]", 422, "valid dictionary"),
        (b'"just a string"', 422, "valid dictionary"),
        (b'{"schema": "Spaceship", "properties": {"name": ["x"]}}', 422, "Person"),
        (b'{"schema": "Person", "properties": {"name": [1]}}', 422, "valid string"),
        (b'{"schema": "Person", "properties": "Smith"}', 422, "valid dictionary"),
        (b'{"schema": "Person", "properties": {"nmae": ["Smith"]}}', 400, "unknown property 'nmae'"),
        (b'{"schema": "Person", "properties": {"name": ["!!!"]}}', 400, "needs a name"),
        (b'{"schema": "Person", "properties": {"name": ["Smith"]}, "extra": 1}', 422, "extra"),
        (b'{"queries": []}', 422, "at least 1"),
        (
            b'{"queries": [{"schema": "Person", "properties": {"name": ["a"]}}, {"properties": {"passportNumber": '
            b'[["nested"]]}}]}',
            422,
            "queries",
        ),
        (
            b'{"queries": [{"schema": "Person", "properties": {"name": ["Smith"]}}, {"schema": "Person", '
            b'"properties": {"name": ["?"]}}]}',
            400,
            "queries[1]",
        ),
    ],
)
def test_bad_input_is_4xx_with_what_and_where(service, body, status, needle):
    response = httpx.post(
        service.url + "/v1/screen",
        content=body,
        headers={**service.headers("screener"), "Content-Type": "application/json"},
    )
    assert response.status_code == status, response.text
    assert needle in response.text
    detail = response.json()["detail"]
    if status == 422:
        assert all(item["loc"] and item["loc"][0] == "body" for item in detail)


def test_body_limits_and_content_type(service):
    headers = service.headers("screener")
    big = {"queries": [ITG_QUERY] * 3000}  # ~400 kB, over the test limit of 300 kB
    response = httpx.post(service.url + "/v1/screen", json=big, headers=headers)
    assert response.status_code == 413 and "300000" in response.json()["detail"]

    def chunks():
        for _ in range(40):
            yield b" " * 10_000

    response = httpx.post(
        service.url + "/v1/screen", content=chunks(), headers={**headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    response = httpx.post(
        service.url + "/v1/screen",
        content=b"name=Smith",
        headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415 and "application/json" in response.json()["detail"]
    # a bad query parameter is a 422 naming it, never a 500
    response = httpx.post(
        service.url + "/v1/screen", params={"threshold": "high"}, json=ITG_QUERY, headers=headers
    )
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "threshold"]
    response = httpx.post(
        service.url + "/v1/screen", params={"datasets": "nope"}, json=ITG_QUERY, headers=headers
    )
    assert response.status_code == 400 and "nope" in response.json()["detail"]


def test_yente_match_as_documented(service):
    """Requests written exactly as yente's documentation shows them (``/match/{dataset}``,
    ``Authorization: ApiKey``, queries keyed by client ids, ``algorithm`` as a parameter)."""
    headers = {"Authorization": f"ApiKey {service.keys['screener']}"}
    query = {
        "queries": {
            "entity1": {
                "schema": "Person",
                "properties": {"name": ["John Doe"], "birthDate": ["1975-04-21"], "nationality": ["us"]},
            },
            "entity2": {
                "schema": "Company",
                "properties": {
                    "name": ["Brilliant Amazing Limited"],
                    "jurisdiction": ["hk"],
                    "registrationNumber": ["84BA99810"],
                },
            },
        }
    }
    response = httpx.post(
        service.url + "/match/default",
        json=query,
        headers=headers,
        params={"algorithm": "logic-v1"},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    data = response.json()
    assert set(data["responses"]) == {"entity1", "entity2"}
    assert data["limit"] == 5 and data["matcher"]
    for name, answer in data["responses"].items():
        assert answer["status"] == 200
        assert answer["query"]["schema"] == query["queries"][name]["schema"]
        assert answer["total"]["value"] == len(answer["results"])
    assert response.headers["x-batch-size"] == "2"

    # the tutorial's example: a sanctioned person, spelled loosely, with a birth year
    example = {
        "schema": "Person",
        "properties": {"name": ["Arkadiii Romanovich Rotenberg"], "birthDate": ["1951"]},
    }
    batch = {"queries": {"q1": example, "q2": ITG_QUERY}}
    response = httpx.post(
        service.url + "/match/sanctions",
        json=batch,
        headers=headers,
        params={"algorithm": "best", "threshold": 0.7, "limit": 3},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    results = response.json()["responses"]["q1"]["results"]
    assert results and len(results) <= 3
    top = results[0]
    assert "ROTENBERG" in top["caption"].upper() and top["schema"] == "Person"
    # a caller's threshold filters what is listed; `match` is the configured block decision
    assert top["match"] is (top["score"] >= top["explanation"]["thresholds"]["block"])
    assert top["features"]["name"] > 0.7 and top["properties"]["name"] and top["datasets"]
    itg = response.json()["responses"]["q2"]["results"][0]
    assert itg["id"] == ITG and itg["match"] is True and itg["features"]["identifier"] > 0

    one = httpx.post(service.url + "/match/us_ofac_sdn", json=batch, headers=headers, timeout=60).json()
    assert all(r["datasets"] == ["us_ofac_sdn"] for r in one["responses"]["q2"]["results"])
    assert httpx.post(service.url + "/match/nowhere", json=batch, headers=headers).status_code == 404
    bad_algo = httpx.post(
        service.url + "/match/default", json=batch, headers=headers, params={"algorithm": "magic"}
    )
    assert bad_algo.status_code == 400 and "magic" in bad_algo.json()["detail"]
    empty = httpx.post(service.url + "/match/default", json={"queries": {}}, headers=headers)
    assert empty.status_code == 400 and "No queries" in empty.json()["detail"]
    many = {"queries": {f"q{n}": example for n in range(1001)}}
    assert httpx.post(service.url + "/match/default", json=many, headers=headers).status_code == 400
    bad = httpx.post(
        service.url + "/match/default",
        json={"queries": {"x": {"schema": "Person", "properties": {"nmae": ["x"]}}}},
        headers=headers,
    )
    assert bad.status_code == 400 and "queries.x" in bad.json()["detail"]


def test_entities_datasets_changes(service):
    with service.client("analyst") as client:
        entity = client.get(f"/v1/entities/{ITG}").json()
        assert entity["dataset"] == "us_ofac_sdn" and entity["source_id"] == "50543"
        names = (
            entity["properties"]["name"]
            + entity["properties"].get("alias", [])
            + entity["properties"].get("weakAlias", [])
        )
        assert any("YONGXIN" in name.upper() for name in names)
        assert any(i["value"].replace(" ", "") == "91110108562135265P" for i in entity["identifiers"])
        assert any(s["program"] == "CYBER2" for s in entity["sanctions"])
        assert entity["snapshot"]["reconstructed"] is True
        missing = client.get("/v1/entities/us_ofac_sdn-0")
        assert missing.status_code == 404 and "us_ofac_sdn-0" in missing.json()["detail"]

        datasets = {d["name"]: d for d in client.get("/v1/datasets").json()["datasets"]}
        assert {"us_ofac_sdn", "un_sc_sanctions"} <= set(datasets)
        sdn = datasets["us_ofac_sdn"]
        assert sdn["entity_count"] > 1000 and sdn["published"] and sdn["snapshots"][0]["current"]

        changes = client.get("/v1/datasets/us_ofac_sdn/changes").json()
        assert changes["summary"] == {"added": 0, "removed": 0, "changed": 0}
        assert client.get("/v1/datasets/nope/changes").status_code == 404
        bad = client.get("/v1/datasets/us_ofac_sdn/changes", params={"since": "yesterday"})
        assert bad.status_code == 400 and "since" in bad.json()["detail"]
        early = client.get("/v1/datasets/us_ofac_sdn/changes", params={"since": "1990-01-01"})
        assert early.status_code == 400 and "1990-01-01" in early.json()["detail"]


def test_screening_records_are_written_and_exported(service):
    with service.client("screener") as client:
        ids = [
            client.post("/v1/screen", json={**ITG_QUERY, "id": f"r{n}"}).json()["screening_id"]
            for n in range(5)
        ]
    with service.client("analyst") as client:
        for n, screening_id in enumerate(ids):
            record = client.get(f"/v1/screenings/{screening_id}").json()
            assert record["key_id"] == service.key_ids["screener"]
            assert record["query"]["id"] == f"r{n}" and record["decision"] == "block"
            assert record["snapshot_ids"]["us_ofac_sdn"] > 0 and record["results"][0]["id"] == ITG
            assert record["engine_version"].startswith("proscribe") and record["created_at"]
        assert client.get("/v1/screenings/nope").status_code == 404
    exported = run_cli(service.home, "screenings", "export", "--since", "2000-01-01")
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    assert set(ids) <= {r["id"] for r in records}
    later = run_cli(service.home, "screenings", "export", "--since", "2999-01-01")
    assert later.returncode == 0 and later.stdout == ""


def test_rate_limit_429_with_retry_after(service):
    headers = service.headers("slow")  # 2 requests per second
    statuses = []
    with httpx.Client(base_url=service.url, headers=headers) as client:
        for _ in range(8):
            response = client.post("/v1/screen", json=ITG_QUERY)
            statuses.append(response.status_code)
            if response.status_code == 429:
                assert int(response.headers["retry-after"]) >= 1
                assert service.key_ids["slow"] in response.json()["detail"]
    assert 200 in statuses and 429 in statuses


def test_keys_create_revoke_and_never_logged(service):
    with service.client("admin") as admin:
        created = admin.post("/v1/admin/keys", json={"name": "temporary", "role": "analyst"})
        assert created.status_code == 201
        key, key_id = created.json()["key"], created.json()["id"]
        listed = admin.get("/v1/admin/keys").json()["keys"]
        assert any(k["id"] == key_id and k["role"] == "analyst" for k in listed)
        assert key not in json.dumps(listed)
        headers = {"X-API-Key": key}
        assert httpx.get(service.url + "/v1/datasets", headers=headers).status_code == 200
        assert httpx.post(service.url + "/v1/admin/reload", headers=headers).status_code == 403
        assert admin.delete(f"/v1/admin/keys/{key_id}").json() == {"id": key_id, "revoked": True}
        assert admin.delete(f"/v1/admin/keys/{key_id}").status_code == 404
        bad = admin.post("/v1/admin/keys", json={"name": "x", "role": "superuser"})
        assert bad.status_code == 422
    import time

    time.sleep(0.5)  # the service trusts a verified key for key_cache_s (0.2 s here)
    assert httpx.get(service.url + "/v1/datasets", headers=headers).status_code == 401
    log = service.log_text()
    assert "POST /v1/screen" in log  # the access log is on in these tests
    for secret in [key, *service.keys.values()]:
        assert secret not in log
        assert secret.split("_", 2)[2] not in log


def test_cli_keys(service_home):
    from proscribe.cases.principal import MAPPING_FILE, os_login

    mapping = service_home / MAPPING_FILE  # the CLI mints keys as an admin: this OS login, mapped
    mapping.write_text(f'[os_users]\n"{os_login()}" = {{ user = "key admin", role = "admin" }}\n')
    mapping.chmod(0o600)
    created = run_cli(service_home, "keys", "create", "--role", "analyst", "--name", "cli test")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert key.startswith("psk_") and "shown this once" in created.stderr.replace("\n", " ")
    key_id = key[4:].split("_", 1)[0]
    listed = run_cli(service_home, "keys", "list", "--json")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert any(row["id"] == key_id and row["role"] == "analyst" for row in rows)
    assert key.split("_", 2)[-1] not in listed.stdout
    assert run_cli(service_home, "keys", "revoke", key_id).returncode == 0
    assert run_cli(service_home, "keys", "revoke", key_id).returncode == 1
    from proscribe.api import auth

    with pytest.raises(ValueError, match="unknown role"):
        auth.create_key("x", "root")
