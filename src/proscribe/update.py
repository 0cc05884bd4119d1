"""Fetch lists from their official publishers and swap snapshots atomically.

Every download goes through one injectable ``httpx.Client`` (tests pass one aimed at a loopback
server). A download is written to a temporary folder, checked (status, content type, size
limit, complete body), parsed completely, and only then stored as a new snapshot in one
transaction. Anything that fails leaves the last good snapshot current and says why.
"""

from __future__ import annotations

import datetime
import hashlib
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine

from proscribe.sources import UnknownFormatError
from proscribe.sources.base import ListFormatError
from proscribe.store import snapshots as snapshot_store
from proscribe.store.guards import ImportRefused, check_invocation
from proscribe.url_guard import UnsafeURL, UrlGuard

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
#: Content types a list file may come with; HTML means an error page or a portal, never a list.
ALLOWED_TYPES = (
    "text/csv",
    "text/plain",
    "text/xml",
    "application/xml",
    "application/octet-stream",
    "application/zip",
    "application/x-zip-compressed",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
    "application/gzip",
    "application/json",
    "binary/octet-stream",
)


class UpdateError(Exception):
    """A dataset could not be updated; the previous snapshot stays current."""


@dataclass
class UpdateResult:
    dataset: str
    status: str  # "updated" | "unchanged" | "failed"
    detail: str
    snapshot_id: int | None = None
    sha256: str | None = None


def download(
    client: httpx.Client,
    url: str,
    target: Path,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    retries: int = 2,
    backoff: float = 0.5,
    guard: UrlGuard | None = None,
) -> str:
    """Stream ``url`` to ``target``; returns its sha256. Retries on connection errors and 5xx.
    With ``guard``, redirects are followed here, each hop checked before it is requested."""
    last_error: str = ""
    for attempt in range(retries + 1):
        try:
            with _open(client, url, guard) as response:
                if response.status_code >= 500:
                    last_error = f"HTTP {response.status_code} from {url}"
                    raise _Retry()
                if response.status_code != 200:
                    raise UpdateError(f"HTTP {response.status_code} from {url}")
                ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if ctype and ctype not in ALLOWED_TYPES:
                    raise UpdateError(
                        f"unexpected content type {ctype!r} from {url} (an error page, not a list file)"
                    )
                declared = response.headers.get("content-length")
                if declared and int(declared) > max_bytes:
                    raise UpdateError(f"{url} is {declared} bytes, over the {max_bytes}-byte limit")
                digest = hashlib.sha256()
                size = 0
                with target.open("wb") as out:
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise UpdateError(f"{url} exceeds the {max_bytes}-byte limit")
                        digest.update(chunk)
                        out.write(chunk)
                # Content-Length counts the bytes on the wire (compressed, under a Content-Encoding),
                # not the decoded bytes written above.
                if declared and response.num_bytes_downloaded != int(declared):
                    raise UpdateError(
                        f"{url}: truncated download ({response.num_bytes_downloaded} of {declared} bytes)"
                    )
                if size == 0:
                    raise UpdateError(f"{url}: empty response")
                return digest.hexdigest()
        except _Retry:
            pass
        except (httpx.TransportError, httpx.RemoteProtocolError) as exc:
            last_error = f"{type(exc).__name__} fetching {url}: {exc}"
        if attempt < retries:
            time.sleep(backoff * (2**attempt))
    raise UpdateError(f"giving up after {retries + 1} attempts: {last_error}")


class _Retry(Exception):
    pass


MAX_REDIRECTS = 5


def _open(client: httpx.Client, url: str, guard: UrlGuard | None):
    """The response to GET ``url`` (a context manager), after any redirects: each hop passes
    ``guard`` first, so a redirect to a private address or another host is never requested."""
    if guard is None:
        return client.stream("GET", url)
    for hop in range(MAX_REDIRECTS + 1):
        try:
            guard.check(url, hop)
        except UnsafeURL as exc:
            raise UpdateError(str(exc)) from None
        request = client.build_request("GET", url)
        response = client.send(request, stream=True, follow_redirects=False)
        if not response.is_redirect:
            return _Streamed(response)
        location = response.headers.get("location", "")
        response.close()
        url = str(request.url.join(location))
    raise UpdateError(f"more than {MAX_REDIRECTS} redirects from {url}")


class _Streamed:
    def __init__(self, response: httpx.Response):
        self.response = response

    def __enter__(self) -> httpx.Response:
        return self.response

    def __exit__(self, *exc) -> None:
        self.response.close()


def update_dataset(
    dataset: str,
    source: dict[str, Any],
    *,
    client: httpx.Client,
    engine: Engine | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_shrink: bool = False,
    actor: str = "system",
    guard: UrlGuard | None = None,
) -> UpdateResult:
    """Fetch one dataset's files (``source``: {"format": ..., "files": {name: url}}) and store
    them as a new snapshot if they differ from every stored one.

    The download passes the same guards as a file import (:mod:`proscribe.store.guards`): the
    format must belong to the dataset (checked before anything is fetched), and a file that is
    incomplete or would shrink the current snapshot too far fails this dataset unless
    ``allow_shrink`` (then recorded in the audit trail)."""
    workdir = Path(tempfile.mkdtemp(prefix=f"proscribe-{dataset}-"))
    try:
        check_invocation(dataset, source.get("format", ""))
        files = source["files"]
        for name, url in files.items():
            download(client, url, workdir / name, max_bytes=max_bytes, guard=guard)
        path = workdir if len(files) > 1 else workdir / next(iter(files))
        label = " ".join(files.values())
        # A file that does not state its publication date (OFAC's CSV set, DFAT, SEMA) is dated the
        # day it was fetched: the official URL serves the current list, and an undated snapshot
        # would never become current over a dated one.
        fetched = datetime.datetime.now(datetime.UTC).date().isoformat()
        result = snapshot_store.import_list(
            dataset,
            source["format"],
            path,
            source_label=label,
            engine=engine,
            published=fetched,
            allow_shrink=allow_shrink,
            actor=actor,
        )
        if not result.created:
            return UpdateResult(
                dataset,
                "unchanged",
                "same file as snapshot " + result.snapshot.label,
                result.snapshot.id,
                result.snapshot.source_sha256,
            )
        snap = result.snapshot
        detail = f"new snapshot {snap.label} with {snap.entity_count} entities"
        if result.shrink is not None:
            detail += f" (shrink allowed and recorded in the audit trail: {result.shrink.describe()})"
        return UpdateResult(dataset, "updated", detail, snap.id, snap.source_sha256)
    except (UpdateError, ListFormatError, ImportRefused, UnknownFormatError) as exc:
        return UpdateResult(dataset, "failed", f"{exc}; the previous snapshot stays current")
    except Exception as exc:  # a parser choking on an unexpected file: fail this dataset, not the run
        return UpdateResult(
            dataset, "failed", f"{type(exc).__name__}: {exc}; the previous snapshot stays current"
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def update_all(
    sources: dict[str, dict[str, Any]],
    *,
    client: httpx.Client | None = None,
    engine: Engine | None = None,
    datasets: list[str] | None = None,
    allow_shrink: bool = False,
    actor: str = "system",
) -> list[UpdateResult]:
    own_client = client is None
    # the service's own client reaches only the configured hosts, on public addresses, hop by hop
    # (a client passed in is the caller's: a test's loopback server, a proxy set up by hand)
    guard = (
        UrlGuard.for_urls(url for source in sources.values() for url in source.get("files", {}).values())
        if own_client
        else None
    )
    client = client or guard.client(  # connects only to the addresses each check accepted
        timeout=httpx.Timeout(30.0, connect=10.0),
        headers={"User-Agent": "proscribe list updater"},
    )
    try:
        return [
            update_dataset(
                name,
                source,
                client=client,
                engine=engine,
                allow_shrink=allow_shrink,
                actor=actor,
                guard=guard,
            )
            for name, source in sources.items()
            if datasets is None or name in datasets
        ]
    finally:
        if own_client:
            client.close()
