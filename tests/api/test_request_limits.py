"""Limits that keep one client from holding the service: a JSON array longer than the item
limit, a body trickled slower than the body deadline, a request not answered within the
request deadline. Each is refused with a status that says which limit, on a real service."""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest
from api_support import _engine, start_service, stop_service

from proscribe.api import auth


@pytest.fixture(scope="module")
def strict_service(small_home):
    """The small home served with short deadlines: 1 s for a body, 50 ms for an answer."""
    svc = start_service(
        small_home,
        PROSCRIBE_BODY_TIMEOUT_S="1",
        PROSCRIBE_REQUEST_TIMEOUT_S="0.05",
        PROSCRIBE_MAX_JSON_ITEMS="1000",
    )
    svc.keys["screener"] = auth.create_key("limits probe", "screener", engine=_engine(small_home)).key
    yield svc
    stop_service(svc)


def test_a_json_array_longer_than_the_item_limit_is_refused_naming_where(strict_service):
    body = {"queries": [{"properties": {"name": [f"Name {i}" for i in range(1001)]}}]}
    response = httpx.post(
        strict_service.url + "/v1/screen", json=body, headers=strict_service.headers("screener")
    )
    assert response.status_code == 422, response.text
    [problem] = response.json()["detail"]
    assert problem["type"] == "json_array_length"
    assert "$.queries[0].properties.name" in problem["msg"] and "1,001" in problem["msg"]


def test_a_json_array_within_the_item_limit_is_screened(strict_service):
    body = {"queries": [{"properties": {"name": ["Ivan Petrov"] * 5}}]}
    response = httpx.post(
        strict_service.url + "/v1/screen",
        json=body,
        headers=strict_service.headers("screener"),
        timeout=30,
    )
    # answered (200), or the 50 ms answer deadline hit on a slow machine: never a 422
    assert response.status_code in (200, 504), response.text


def test_a_body_trickled_past_the_body_deadline_gets_408_and_the_connection_is_freed(strict_service):
    port = int(strict_service.url.rsplit(":", 1)[1])
    key = strict_service.keys["screener"]
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            b"POST /v1/screen HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"X-API-Key: {key}\r\n".encode()
            + b"Content-Length: 100\r\n\r\n"
            + b'{"queries":'
        )
        answer = b""
        while True:  # the service answers and closes the connection
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    elapsed = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"not received whole within 1 s" in answer, answer
    assert 0.9 <= elapsed < 6, elapsed


def test_a_request_not_answered_within_the_deadline_gets_504_saying_it_may_have_completed(strict_service):
    queries = [{"id": str(i), "properties": {"name": [f"Ivan Petrovich Sidorov {i}"]}} for i in range(1000)]
    response = httpx.post(
        strict_service.url + "/v1/screen",
        json={"queries": queries},
        headers=strict_service.headers("screener"),
        timeout=60,
    )
    assert response.status_code == 504, response.text[:300]
    assert "may still have completed" in response.json()["detail"]
    # the service goes on answering
    assert httpx.get(strict_service.url + "/readyz", timeout=10).status_code == 200


def test_the_default_deadlines_answer_a_full_batch(small_service):
    queries = [{"id": str(i), "properties": {"name": [f"Ivan Petrovich Sidorov {i}"]}} for i in range(1000)]
    response = httpx.post(
        small_service.url + "/v1/screen",
        content=json.dumps({"queries": queries}),
        headers={**small_service.headers("screener"), "Content-Type": "application/json"},
        timeout=120,
    )
    assert response.status_code == 200, response.text[:300]
    assert len(response.json()["responses"]) == 1000
