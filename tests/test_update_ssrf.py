"""`lists update` reaches only the configured list hosts, on public addresses, checked on the
configured URL, on every redirect hop and on what each host name resolves to; a refused hop is
never requested. Real loopback HTTP servers stand in for a publisher and an internal target."""

from __future__ import annotations

import collections
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from proscribe.update import UpdateError, download, update_all
from proscribe.url_guard import UrlGuard


class Server:
    """Answers ``/redirect?to=URL`` with a 302 to URL and anything else with a small file."""

    def __init__(self):
        self.hits: collections.Counter[str] = collections.Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.hits[self.path] += 1
                if self.path.startswith("/redirect?to="):
                    self.send_response(302)
                    self.send_header("Location", self.path.split("=", 1)[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = b"id,name\n1,LIST FILE\n"
                self.send_response(200)
                self.send_header("Content-Type", "text/csv")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def publisher():
    srv = Server()
    yield srv
    srv.close()


@pytest.fixture(scope="module")
def internal():
    srv = Server()
    yield srv
    srv.close()


def _resolver(table: dict[str, list[str]]):
    return lambda host: table[host]


def _fetch(tmp_path, url: str, guard: UrlGuard) -> bytes:
    with guard.client(timeout=10) as client:
        download(client, url, tmp_path / "file", retries=0, guard=guard)
    return (tmp_path / "file").read_bytes()


def test_a_redirect_within_the_configured_host_is_followed(tmp_path, publisher):
    guard = UrlGuard(frozenset({"127.0.0.1"}), private_ok=frozenset({"127.0.0.1"}))
    target = f"http://127.0.0.1:{publisher.port}/list.csv"
    assert b"LIST FILE" in _fetch(tmp_path, f"http://127.0.0.1:{publisher.port}/redirect?to={target}", guard)


def test_a_redirect_to_another_host_is_refused_before_it_is_requested(tmp_path, publisher, internal):
    guard = UrlGuard(frozenset({"127.0.0.1"}), private_ok=frozenset({"127.0.0.1"}))
    target = f"http://localhost:{internal.port}/admin"
    with pytest.raises(UpdateError, match="redirect 1 .*not a configured list host"):
        _fetch(tmp_path, f"http://127.0.0.1:{publisher.port}/redirect?to={target}", guard)
    assert internal.hits["/admin"] == 0


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.10",
        "172.16.5.5",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "::ffff:10.0.0.1",
    ],
)
def test_a_redirect_to_a_configured_host_on_a_private_address_is_refused(
    tmp_path, publisher, internal, address
):
    """A configured name that resolves (or is rebound) inside the network is refused on that hop."""
    guard = UrlGuard(
        frozenset({"127.0.0.1", "mirror.example"}),
        resolver=_resolver({"mirror.example": [address]}),
        private_ok=frozenset({"127.0.0.1"}),
    )
    target = f"http://mirror.example:{internal.port}/meta"
    with pytest.raises(UpdateError, match=f"redirect 1 .*resolves to {address}"):
        _fetch(tmp_path, f"http://127.0.0.1:{publisher.port}/redirect?to={target}", guard)


def test_the_configured_url_itself_must_resolve_to_public_addresses(tmp_path):
    guard = UrlGuard(
        frozenset({"lists.example"}), resolver=_resolver({"lists.example": ["8.8.8.8", "10.0.0.7"]})
    )
    with pytest.raises(UpdateError, match="the configured URL .*resolves to 10.0.0.7"):
        _fetch(tmp_path, "https://lists.example/sdn.csv", guard)


def test_other_schemes_are_refused(tmp_path):
    guard = UrlGuard(frozenset({"lists.example"}), resolver=_resolver({"lists.example": ["8.8.8.8"]}))
    with pytest.raises(UpdateError, match="scheme 'file'"):
        _fetch(tmp_path, "file://lists.example/etc/passwd", guard)


def test_lists_update_with_its_own_client_refuses_a_loopback_publisher(publisher, engine, monkeypatch):
    """The updater's own client (what `proscribe lists update` uses) carries the guard."""
    monkeypatch.delenv("PROSCRIBE_UPDATE_PRIVATE_HOSTS", raising=False)
    sources = {
        "us_ofac_sdn": {
            "format": "ofac_csv",
            "files": {"sdn.csv": f"http://127.0.0.1:{publisher.port}/sdn.csv"},
        }
    }
    [result] = update_all(sources, engine=engine)
    assert result.status == "failed" and "resolves to 127.0.0.1" in result.detail
    assert publisher.hits["/sdn.csv"] == 0


def test_the_connection_goes_to_the_address_the_check_accepted_not_to_a_second_lookup(tmp_path, publisher):
    """DNS rebinding: the name answers a safe address to the check and another to a second
    look-up. The updater resolves once, checks, and connects to what it checked: here the name
    does not resolve at all outside the guard's resolver, so any second look-up would fail."""
    answers = iter([["127.0.0.1"], ["10.9.9.9"]])
    calls = []

    def rebinding(host):
        calls.append(host)
        return next(answers)

    guard = UrlGuard(
        frozenset({"lists.invalid"}), resolver=rebinding, private_ok=frozenset({"lists.invalid"})
    )
    assert b"LIST FILE" in _fetch(tmp_path, f"http://lists.invalid:{publisher.port}/pinned.csv", guard)
    assert calls == ["lists.invalid"] and publisher.hits["/pinned.csv"] == 1


def test_a_host_that_was_never_checked_is_not_connected_to(tmp_path, publisher):
    guard = UrlGuard(frozenset({"127.0.0.1"}), private_ok=frozenset({"127.0.0.1"}))
    with guard.client(timeout=5) as client, pytest.raises(httpx.ConnectError, match="was not checked"):
        client.get(f"http://127.0.0.1:{publisher.port}/unchecked.csv")
    assert publisher.hits["/unchecked.csv"] == 0
