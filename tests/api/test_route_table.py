"""Every route of the app, from its own route table, against no key, an unknown key and every
role: the expected status comes from the table declared here, so a route added without an entry
fails, and so does a route whose gate role drifts from it. Every answer carries the security
headers, and none echoes a presented key."""

from __future__ import annotations

import re

import httpx
import pytest

from proscribe.api import auth
from proscribe.api.app import ROUTE_ROLES, create_app, security_headers
from proscribe.api.config import ServiceSettings

PUBLIC = "public"
#: The least role of every route (method, path template), or ``public``.
EXPECTED: dict[tuple[str, str], str] = {
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/readyz"): PUBLIC,
    ("GET", "/openapi.json"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/redoc"): PUBLIC,
    ("POST", "/v1/screen"): "screener",
    ("POST", "/match/{dataset}"): "screener",
    ("POST", "/v1/payments/screen"): "screener",
    ("GET", "/v1/entities/{entity_id}"): "analyst",
    ("GET", "/v1/datasets"): "analyst",
    ("GET", "/v1/datasets/{name}/changes"): "analyst",
    ("GET", "/v1/screenings/{screening_id}"): "analyst",
    ("GET", "/v1/cases"): "analyst",
    ("GET", "/v1/cases/{case_id}"): "analyst",
    ("POST", "/v1/cases/{case_id}/assign"): "analyst",
    ("POST", "/v1/cases/{case_id}/escalate"): "analyst",
    ("POST", "/v1/cases/{case_id}/close"): "analyst",
    ("POST", "/v1/cases/{case_id}/release"): "analyst",
    ("POST", "/v1/cases/{case_id}/approve"): "analyst",
    ("GET", "/v1/book/{customer_id}"): "analyst",
    ("GET", "/v1/audit/verify"): "analyst",
    ("GET", "/v1/ownership/explain/{entity}"): "analyst",
    ("POST", "/v1/admin/reload"): "admin",
    ("GET", "/v1/admin/keys"): "admin",
    ("POST", "/v1/admin/keys"): "admin",
    ("DELETE", "/v1/admin/keys/{key_id}"): "admin",
    ("GET", "/v1/admin/users"): "admin",
    ("POST", "/v1/admin/users"): "admin",
    ("POST", "/v1/book"): "admin",
    ("POST", "/v1/monitor/run"): "admin",
    ("GET", "/v1/audit/export"): "admin",
    ("POST", "/v1/ownership/import"): "admin",
}
#: A value for each path parameter: one that names nothing.
PARAMS = {"case_id": "999999", "dataset": "default"}
SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}


def _app_routes() -> set[tuple[str, str]]:
    app = create_app(ServiceSettings())
    return {
        (method, route.path)
        for route in app.routes
        for method in getattr(route, "methods", None) or ()
        if method != "HEAD"
    }


def test_every_route_has_a_declared_role_and_the_gate_agrees():
    routes = _app_routes()
    assert routes - set(EXPECTED) == set(), "routes with no declared role: add them to EXPECTED"
    assert set(EXPECTED) - routes == set(), "declared routes the app no longer has"
    for route, least in EXPECTED.items():
        assert ROUTE_ROLES.get(route, PUBLIC) == least, route


def _url(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PARAMS.get(m.group(1), "nosuch"), path)


def _call(service, method: str, path: str, headers: dict) -> httpx.Response:
    body = {"json": {}} if method == "POST" else {}
    return httpx.request(method, service.url + _url(path), headers=headers, timeout=120, **body)


def _assert_security_headers(response: httpx.Response, what) -> None:
    for name, value in SECURITY.items():
        assert response.headers.get(name) == value, (what, name, dict(response.headers))
    assert "strict-transport-security" not in response.headers  # not configured here


@pytest.mark.parametrize("route", sorted(EXPECTED), ids=lambda r: f"{r[0]} {r[1]}")
def test_route_answers_no_key_and_each_role_as_its_table_says(small_service, route):
    method, path = route
    least = EXPECTED[route]
    response = _call(small_service, method, path, {})
    _assert_security_headers(response, (route, "no key"))
    secret = "s3cretNeverEchoed" + "x" * 26
    guessed = _call(small_service, method, path, {"X-API-Key": f"psk_0123456789ab_{secret}"})
    _assert_security_headers(guessed, (route, "unknown key"))
    assert secret not in guessed.text and "0123456789ab" not in guessed.text, (route, guessed.text)
    if least == PUBLIC:
        assert response.status_code < 400, (route, response.text)
        return
    assert response.status_code == 401, (route, response.text)
    assert guessed.status_code == 401, (route, guessed.text)
    for role in auth.ROLES:
        response = _call(small_service, method, path, small_service.headers(role))
        _assert_security_headers(response, (route, role))
        if not auth.allowed(role, least):
            assert response.status_code == 403, (route, role, response.text)
            refusal = auth.role_refusal(role, least, f"{method} {_url(path)}")
            assert response.json()["detail"] == refusal
        else:
            assert response.status_code not in (401, 403), (route, role, response.text)
            assert response.status_code < 500, (route, role, response.text)


def test_hsts_is_sent_only_when_configured():
    assert b"strict-transport-security" not in dict(security_headers(0))
    assert dict(security_headers(31536000))[b"strict-transport-security"] == (
        b"max-age=31536000; includeSubDomains"
    )


#: Every parameter the API takes, each declared as naming no file: file names are the server's own
#: (fixed names in a fresh temporary folder). A new parameter must be added here, and one that
#: names a file needs a path check (refuse traversal and anything outside the allowed folders).
NOT_A_FILE = {
    "path": {"case_id", "customer_id", "dataset", "entity", "entity_id", "key_id", "name", "screening_id"},
    "query": {
        "algorithm", "as_of", "assignee", "changed_since", "cutoff", "datasets", "exclude_dataset",
        "exclude_entity_ids", "exclude_schema", "force", "format", "full", "include_closed",
        "include_dataset", "limit", "offset", "regime", "replace", "since", "state", "threshold", "topics",
        "until",
    },
}


def test_no_api_parameter_names_a_file():
    spec = create_app(ServiceSettings()).openapi()
    found = {
        (param["in"], param["name"])
        for operations in spec["paths"].values()
        for operation in operations.values()
        for param in operation.get("parameters", [])
    }
    undeclared = sorted(f"{where} {name}" for where, name in found if name not in NOT_A_FILE.get(where, set()))
    assert not undeclared, f"parameters not declared in NOT_A_FILE: {undeclared}"
    formats = {
        p["name"]: p["schema"]
        for ops in spec["paths"].values()
        for op in ops.values()
        for p in op.get("parameters", [])
        if p["name"] == "format"
    }
    # the one parameter that picks a file's extension is a closed list
    assert all("enum" in schema or "const" in schema for schema in formats.values()), formats
