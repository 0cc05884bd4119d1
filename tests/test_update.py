"""`proscribe lists update` against a real HTTP server on loopback serving the bundled UN list,
a truncated copy, a transfer cut short, an HTML page, a 500 and an oversized file."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from proscribe import update
from proscribe.store import snapshots as store
from proscribe.update import update_all, update_dataset

DATA = Path(__file__).resolve().parents[1] / "data"
UN_XML = gzip.decompress((DATA / "un" / "consolidated.xml.gz").read_bytes())
UN_SHA256 = "5bf360176d1b24eee5352af180cac6515bbfc3c8c1fddab8fec82210c75520a6"  # data/PROVENANCE.md
BIN = Path(sys.executable).with_name("proscribe")


class Route:
    """What the server answers on one path."""

    def __init__(
        self,
        body: bytes,
        content_type: str = "application/xml",
        status: int = 200,
        content_length: int | None = None,
        headers: dict[str, str] | None = None,
    ):
        self.body = body
        self.content_type = content_type
        self.status = status
        self.content_length = len(body) if content_length is None else content_length
        self.headers = headers or {}


class ListServer:
    """A ThreadingHTTPServer on 127.0.0.1 (port 0) that counts its requests per path."""

    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                server.hits[self.path] += 1
                route = server.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                if route.content_length >= 0:
                    self.send_header("Content-Length", str(route.content_length))
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(route.body)  # HTTP/1.0: the connection closes after the body

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def source(self, path: str, name: str = "consolidated.xml", fmt: str = "un_xml") -> dict:
        return {"format": fmt, "files": {name: self.url(path)}}

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def server():
    srv = ListServer()
    srv.routes.update(
        {
            "/un.xml": Route(UN_XML),
            "/un-truncated.xml": Route(UN_XML[: len(UN_XML) // 2]),
            "/un-cut-transfer.xml": Route(UN_XML[:100_000], content_length=len(UN_XML)),
            "/portal.html": Route(
                b"<html><body>Service unavailable</body></html>", content_type="text/html; charset=utf-8"
            ),
            "/error500": Route(b"oops", content_type="text/plain", status=500),
            "/un-no-length.xml": Route(UN_XML, content_length=-1),
            "/un-gzip.xml": Route(gzip.compress(UN_XML), headers={"Content-Encoding": "gzip"}),
            "/empty.xml": Route(b""),
        }
    )
    yield srv
    srv.close()


@pytest.fixture
def client():
    with httpx.Client(timeout=httpx.Timeout(10.0), trust_env=False) as http:
        yield http


@pytest.fixture
def sleeps(monkeypatch) -> list[float]:
    """Back-off pauses the updater asked for (recorded, not slept)."""
    pauses: list[float] = []
    monkeypatch.setattr(update, "time", SimpleNamespace(sleep=pauses.append))
    return pauses


@pytest.fixture(scope="module")
def good_store(server, tmp_path_factory, engine_at):
    """A store whose UN snapshot came from one good update; the failure tests reuse it."""
    engine = engine_at(tmp_path_factory.mktemp("update-store"))
    with httpx.Client(timeout=10.0, trust_env=False) as http:
        result = update_dataset("un_sc_sanctions", server.source("/un.xml"), client=http, engine=engine)
    return engine, result


def _current_un(engine):
    return store.current_snapshots(engine=engine)["un_sc_sanctions"]


# -- the good file --------------------------------------------------------------------------------


def test_good_file_becomes_a_new_current_snapshot_with_its_sha256(good_store, server):
    engine, result = good_store
    assert result.status == "updated", result.detail
    assert result.sha256 == UN_SHA256
    snap = _current_un(engine)
    assert snap.id == result.snapshot_id
    assert snap.source_sha256 == UN_SHA256
    assert snap.entity_count == 1_011
    assert snap.published == "2026-08-01"
    assert snap.source_label == server.url("/un.xml")
    assert "1011 entities" in result.detail


def test_same_file_again_is_unchanged(good_store, server, client, store_rows):
    engine, first = good_store
    before = store_rows(engine)
    again = update_dataset("un_sc_sanctions", server.source("/un.xml"), client=client, engine=engine)
    assert again.status == "unchanged"
    assert again.snapshot_id == first.snapshot_id and again.sha256 == UN_SHA256
    assert store_rows(engine) == before


# -- every bad case fails, says why, and keeps the last good snapshot ------------------------------


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/un-truncated.xml", "malformed XML"),
        ("/un-cut-transfer.xml", "peer closed connection without sending complete message body"),
        ("/portal.html", "unexpected content type 'text/html'"),
        ("/error500", "HTTP 500"),
        ("/missing.xml", "HTTP 404"),
        ("/empty.xml", "empty response"),
    ],
)
def test_bad_download_fails_with_its_reason_and_the_last_good_snapshot_stays(
    good_store, server, client, sleeps, store_rows, path, reason
):
    engine, good = good_store
    before = store_rows(engine)
    result = update_dataset("un_sc_sanctions", server.source(path), client=client, engine=engine)
    assert result.status == "failed"
    assert reason in result.detail
    assert "the previous snapshot stays current" in result.detail
    assert result.snapshot_id is None
    assert _current_un(engine).id == good.snapshot_id
    assert store_rows(engine) == before


def test_truncated_file_is_named_with_its_line_in_the_reason(server, client, engine):
    result = update_dataset(
        "un_sc_sanctions", server.source("/un-truncated.xml"), client=client, engine=engine
    )
    assert result.status == "failed"
    assert "consolidated.xml: line " in result.detail
    assert store.list_snapshots(engine=engine) == []


def test_server_errors_are_retried_with_backoff_then_given_up(server, client, sleeps, engine):
    server.hits.clear()
    result = update_dataset("un_sc_sanctions", server.source("/error500"), client=client, engine=engine)
    assert result.status == "failed"
    assert "giving up after 3 attempts: HTTP 500" in result.detail
    assert server.hits["/error500"] == 3
    assert sleeps == [0.5, 1.0]


def test_cut_transfer_is_retried_then_given_up(server, client, sleeps, engine):
    server.hits.clear()
    result = update_dataset(
        "un_sc_sanctions", server.source("/un-cut-transfer.xml"), client=client, engine=engine
    )
    assert result.status == "failed"
    assert server.hits["/un-cut-transfer.xml"] == 3
    assert "RemoteProtocolError" in result.detail


def test_client_errors_and_wrong_content_types_are_not_retried(server, client, sleeps, engine):
    server.hits.clear()
    for path in ("/portal.html", "/missing.xml"):
        assert (
            update_dataset("un_sc_sanctions", server.source(path), client=client, engine=engine).status
            == "failed"
        )
    assert server.hits == Counter({"/portal.html": 1, "/missing.xml": 1})
    assert sleeps == []


def test_declared_size_over_the_limit_is_refused_before_reading(good_store, server, client, store_rows):
    engine, good = good_store
    before = store_rows(engine)
    result = update_dataset(
        "un_sc_sanctions", server.source("/un.xml"), client=client, engine=engine, max_bytes=100_000
    )
    assert result.status == "failed"
    assert f"is {len(UN_XML)} bytes, over the 100000-byte limit" in result.detail
    assert _current_un(engine).id == good.snapshot_id
    assert store_rows(engine) == before


def test_undeclared_size_over_the_limit_is_cut_off_while_streaming(good_store, server, client, store_rows):
    engine, good = good_store
    before = store_rows(engine)
    result = update_dataset(
        "un_sc_sanctions", server.source("/un-no-length.xml"), client=client, engine=engine, max_bytes=100_000
    )
    assert result.status == "failed"
    assert "exceeds the 100000-byte limit" in result.detail
    assert store_rows(engine) == before


def test_gzip_content_encoding_is_not_mistaken_for_a_truncated_download(server, client, engine):
    # Content-Length counts the compressed bytes; the file written is the decoded list.
    result = update_dataset("un_sc_sanctions", server.source("/un-gzip.xml"), client=client, engine=engine)
    assert result.status == "updated", result.detail
    assert result.sha256 == UN_SHA256


def test_undated_list_is_dated_the_day_it_was_fetched_and_becomes_current(server, client, engine, tmp_path):
    # OFAC's CSV files state no publication date; an undated snapshot would never win over a dated one.
    old = tmp_path / "old"
    old.mkdir()
    (old / "sdn.csv").write_bytes(b'1,"OLD LTD",-0- ,"SDGT"' + b",-0- " * 8 + b"\r\n\x1a")
    store.import_list("test_sdn", "ofac_csv", old, published="2024-05-03", engine=engine)
    server.routes["/sdn.csv"] = Route(
        b'1,"NEW LTD",-0- ,"SDGT"' + b",-0- " * 8 + b"\r\n\x1a", content_type="text/csv"
    )
    result = update_dataset(
        "test_sdn", server.source("/sdn.csv", "sdn.csv", "ofac_csv"), client=client, engine=engine
    )
    assert result.status == "updated", result.detail
    current = store.current_snapshots(engine=engine)["test_sdn"]
    assert current.id == result.snapshot_id
    assert current.published == datetime.datetime.now(datetime.UTC).date().isoformat()


def test_one_failing_dataset_does_not_stop_the_others(server, client, engine):
    sources = {
        "bad_format": server.source("/un.xml", fmt="no_such_format"),
        "un_sc_sanctions": server.source("/un.xml"),
        "skipped": server.source("/error500"),
    }
    results = update_all(sources, client=client, engine=engine, datasets=["bad_format", "un_sc_sanctions"])
    assert [(r.dataset, r.status) for r in results] == [
        ("bad_format", "failed"),
        ("un_sc_sanctions", "updated"),
    ]
    assert "unknown list format 'no_such_format'" in results[0].detail
    assert [s.dataset for s in store.list_snapshots(engine=engine)] == ["un_sc_sanctions"]


def test_multi_file_sets_are_fetched_into_one_snapshot(server, client, engine, published_bytes):
    cons = DATA / "ofac" / "consolidated" / "cons_csv"
    files = {}
    for member in sorted(cons.iterdir()):
        name = member.name.removesuffix(".gz")
        server.routes[f"/cons/{name}"] = Route(published_bytes(member), content_type="text/csv")
        files[name] = server.url(f"/cons/{name}")
    result = update_dataset(
        "us_ofac_cons", {"format": "ofac_csv", "files": files}, client=client, engine=engine
    )
    assert result.status == "updated", result.detail
    assert store.get_snapshot(result.snapshot_id, engine=engine).entity_count == 442
    assert result.sha256 == store.source_digest(cons)


# -- the CLI --------------------------------------------------------------------------------------


def _run_update(home: Path, sources: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    sources_file = tmp_path / "sources.json"
    sources_file.write_text(json.dumps(sources), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower() and k != "PROSCRIBE_DATABASE_URL"}
    # the loopback server stands in for a publisher: a private host allowed by name
    env.update(PROSCRIBE_HOME=str(home), COLUMNS="200", PROSCRIBE_UPDATE_PRIVATE_HOSTS="127.0.0.1")
    return subprocess.run(
        [str(BIN), "lists", "update", "--sources", str(sources_file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_cli_update_exits_non_zero_when_any_dataset_fails_and_keeps_the_good_ones(
    server, proscribe_home, tmp_path, engine
):
    proc = _run_update(
        proscribe_home,
        {
            "un_sc_sanctions": server.source("/un.xml"),
            "ca_dfatd_sema_sanctions": server.source("/portal.html", "sema.xml", "ca_sema"),
        },
        tmp_path,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "ca_dfatd_sema_sanctions: unexpected content type 'text/html'" in proc.stderr
    assert server.url("/portal.html") in proc.stderr
    snaps = store.list_snapshots(engine=engine)
    assert [(s.dataset, s.source_sha256) for s in snaps] == [("un_sc_sanctions", UN_SHA256)]


def test_cli_update_exits_zero_when_everything_updates_or_is_unchanged(server, proscribe_home, tmp_path):
    sources = {"un_sc_sanctions": server.source("/un.xml")}
    first = _run_update(proscribe_home, sources, tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "updated" in first.stdout
    second = _run_update(proscribe_home, sources, tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "unchanged" in second.stdout


def test_downloaded_digest_matches_the_file_served(server, client, tmp_path):
    target = tmp_path / "un.xml"
    digest = update.download(client, server.url("/un.xml"), target)
    assert digest == hashlib.sha256(UN_XML).hexdigest() == UN_SHA256
    assert target.read_bytes() == UN_XML
