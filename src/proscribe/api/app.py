"""The screening service: a FastAPI app over :func:`proscribe.screen.screen`.

``create_app(settings)`` builds the app; ``proscribe serve`` runs it under uvicorn. Every request
passes one gate first (:class:`Gate`): it finds the route, refuses a missing, unknown or revoked
key (401) or a role below the route's (403), applies the key's rate limit (429 with
``Retry-After``), refuses bodies that are not JSON (415) or too large (413), all before the
body is parsed. ``POST /v1/screen`` without query parameters is then answered by the gate itself
(:meth:`Gate._fast_screen`: the same validation model and :func:`screen_core` as the route,
without FastAPI's per-request machinery, which cost more than the screening); a body that does
not validate goes on to the route, so errors read exactly as FastAPI writes them.

The index lives in :class:`ServiceState`. A request takes the current index once, at its start,
and uses it to the end; a reload builds or loads the new index beside it and swaps one
reference, so requests in flight finish on the old index and none waits or fails. The load runs
at the lowest CPU priority and hands the GIL to the event loop at short intervals. With several
worker processes, a reload in one worker is announced through a generation file under
``PROSCRIBE_HOME`` and every other worker reloads within ``reload_poll_s`` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import re
import sys
import threading
import time
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any

import orjson
from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.security import APIKeyHeader
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.routing import Match

from proscribe import __version__, jsonbody, settings
from proscribe.api import auth, models
from proscribe.api.config import ServiceSettings
from proscribe.api.records import RecordWriteError, RecordWriter, load_screening, make_row, new_id, now_iso
from proscribe.index.compiled import CompiledIndex
from proscribe.screen import ENGINE_VERSION, QueryError, list_results, parse_query, screen
from proscribe.store.db import connect

log = logging.getLogger("proscribe.api")

ENGINE = f"proscribe {__version__} / engine {ENGINE_VERSION}"
PUBLIC = "public"

#: Role each route needs (by method and path template); routes not named here are public.
ROUTE_ROLES: dict[tuple[str, str], str] = {
    ("POST", "/v1/screen"): "screener",
    ("POST", "/match/{dataset}"): "screener",
    ("GET", "/v1/entities/{entity_id}"): "analyst",
    ("GET", "/v1/datasets"): "analyst",
    ("GET", "/v1/datasets/{name}/changes"): "analyst",
    ("GET", "/v1/screenings/{screening_id}"): "analyst",
    ("POST", "/v1/admin/reload"): "admin",
    ("GET", "/v1/admin/keys"): "admin",
    ("POST", "/v1/admin/keys"): "admin",
    ("DELETE", "/v1/admin/keys/{key_id}"): "admin",
    ("GET", "/v1/admin/users"): "admin",
    ("POST", "/v1/admin/users"): "admin",
}
#: A snapshot id in a query: ASCII digits, at most 18 of them.
SNAPSHOT_ID = re.compile(r"[0-9]{1,18}")
#: Routes that take bodies other than JSON (payment messages, CSV uploads): the gate leaves the
#: Content-Type to them (filled from :mod:`proscribe.api.workflow` by :func:`create_app`).
RAW_BODY_PATHS: set[str] = set()
PUBLIC_PATHS = {"/healthz", "/readyz", "/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"}

#: Datasets names yente clients use for "everything".
ALL_DATASETS = {"default", "sanctions", "all", "proscribe"}
#: Algorithm names yente accepts; all are answered by proscribe's one scorer.
ALGORITHMS = {
    "best",
    "proscribe",
    "logic-v1",
    "logic-v2",
    "name-based",
    "name-qualified",
    "regression-v1",
    "regression-v2",
    "regression-v3",
}

WARM_UP = [
    {
        "schema": "Person",
        "properties": {
            "name": ["Ivan Petrovich Sidorov"],
            "birthDate": ["1970-01-01"],
            "nationality": ["ru"],
        },
    },
    {
        "schema": "Company",
        "properties": {
            "name": ["北京永信至诚科技股份有限公司"],
            "country": ["cn"],
            "registrationNumber": ["91110108562135265P"],
        },
    },
    {"schema": "Organization", "properties": {"name": ["مؤسسة النور الخيرية"], "country": ["Lebanon"]}},
]

FEATURE_DOCS = {
    "name": {
        "description": "Rarity-weighted token alignment of the query name and the best list name, "
        "across scripts and transliterations.",
        "coefficient": 1.0,
    },
    "birth_date": {
        "description": "Birth date or year agreement (positive) or a clear mismatch (negative).",
        "coefficient": 1.0,
    },
    "country": {
        "description": "Country or nationality agreement (positive) or mismatch (negative).",
        "coefficient": 1.0,
    },
    "identifier": {
        "description": "An identifier (registration, tax, passport, IMO, LEI, BIC, ...) matches; "
        "a unique strong identifier decides alone.",
        "coefficient": 1.0,
    },
}
FEATURE_URL = "https://github.com/proscribe/proscribe/blob/main/src/proscribe/match/matching.toml"

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": models.ErrorResponse, "description": "Invalid query (the message says what and where)"},
    401: {"model": models.ErrorResponse, "description": "No API key, or an unknown or revoked one"},
    403: {"model": models.ErrorResponse, "description": "The key's role may not use this endpoint"},
    404: {"model": models.ErrorResponse, "description": "Not found"},
    409: {"model": models.ErrorResponse, "description": "Conflicts with what exists (e.g. a key name in use)"},
    413: {"model": models.ErrorResponse, "description": "Request body larger than the configured limit"},
    415: {"model": models.ErrorResponse, "description": "Body not sent as application/json"},
    429: {
        "model": models.ErrorResponse,
        "description": "Rate limit of the key exceeded, or too many failed authentications from this "
        "address; see Retry-After",
        "headers": {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "string"}}},
    },
    503: {
        "model": models.ErrorResponse,
        "description": "Index still loading, or the record could not be written",
    },
}


def _errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in sorted({401, 403, 413, 415, 429, *codes})}


def json_response(data: Any, status: int = 200, headers: dict | None = None) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json", headers=headers)


# -- state ------------------------------------------------------------------------------------------


class ServiceState:
    def __init__(self, config: ServiceSettings):
        self.settings = config
        self.index: CompiledIndex | None = None
        self.snapshot_ids: dict[str, int] = {}
        self.load_error: str | None = None
        self.writer = RecordWriter(self.engine, batch=config.record_batch, linger_ms=config.record_linger_ms)
        self.keys = auth.KeyCache(config.key_cache_s, self.engine)
        self.limiter = auth.RateLimiter(config.rate_limit, share=1.0 / max(1, config.workers))
        self.auth_failures = auth.FailedAuthLimiter(config.auth_fail_limit, config.auth_fail_window_s)
        self.reload_lock = threading.Lock()
        self.generation = 0
        self.stopping = threading.Event()

    @staticmethod
    def engine():
        return connect()

    # index lifecycle
    def use(self, index: CompiledIndex) -> None:
        """Swap in ``index``: one reference assignment, so a request sees the old or the new.
        A few queries run on it first, so that lazily built tables (transliteration, country
        names) are ready before the first real request."""
        for query in WARM_UP:
            try:
                screen(query, index=index)
            except Exception:  # a warm-up never stops a load
                log.exception("warm-up query failed")
        self.snapshot_ids = {ds: int(info["id"]) for ds, info in index.snapshots.items()}
        self.index = index

    def load_initial(self) -> None:
        from proscribe.screen import get_index

        self.generation = self._read_generation()
        for attempt in range(3):  # workers starting together may race to build the same index file
            try:
                self.use(get_index(refresh=attempt > 0))
                self.load_error = None
                gc.freeze()  # the index is long-lived: keep it out of every future collection
                return
            except Exception as exc:  # reported by /readyz; never crashes the worker
                log.exception("index load failed (attempt %d)", attempt + 1)
                self.load_error = f"{type(exc).__name__}: {exc}"
                time.sleep(1.0 + attempt)

    def reload(self, *, force: bool = False, announce: bool = True) -> tuple[bool, float]:
        """Swap in the index of the store's current state; (changed, seconds).

        :func:`proscribe.screen.get_index` decides whether anything changed and loads or builds
        (and persists) the new index. ``force`` reloads the persisted index even when nothing
        changed, with :func:`load_index_politely`, which lets the event loop run between chunks."""
        from proscribe.screen import get_index

        start = time.perf_counter()
        with self.reload_lock:
            old = self.index

            def load() -> CompiledIndex:
                before = _screen_cached()
                new = get_index(refresh=True)
                if force and new is before:  # nothing changed: read the persisted index anew all the same
                    path = _current_index_file()
                    fresh = load_index_politely(path) if path else None
                    if fresh is not None:
                        # the screening cache holds what the service uses, so that the next plain
                        # reload compares against this index and reports no change
                        _replace_screen_cached(fresh)
                        new = fresh
                return new

            new = run_low_priority(load)
            changed = new is not old
            if changed:
                gc.freeze()
                self.use(new)
                if announce and self.settings.monitor_on_reload:
                    threading.Thread(target=_monitor_after_reload, args=(new,), name="monitor", daemon=True).start()
                if old is not None and not _held_by_screen(old):
                    threading.Thread(target=_dismantle, args=(old,), name="index-retire", daemon=True).start()
                del old
            self.load_error = None
            if announce:
                self._bump_generation()
        return changed, time.perf_counter() - start

    def _generation_file(self):
        return settings.home() / "service-reload.gen"

    def _read_generation(self) -> int:
        try:
            return int(self._generation_file().read_text().strip() or 0)
        except (OSError, ValueError):
            return 0

    def _bump_generation(self) -> None:
        """Announce a reload to the other workers. This worker's own count moves first, so its
        watcher never takes its own announcement for another worker's."""
        path = self._generation_file()
        value = self._read_generation() + 1
        self.generation = value
        tmp = path.with_suffix(f".{threading.get_ident()}.tmp")
        tmp.write_text(str(value))
        tmp.replace(path)

    def watch_reloads(self) -> None:
        """Reload when another worker announced one (several worker processes)."""
        while not self.stopping.wait(self.settings.reload_poll_s):
            with self.reload_lock:  # an own reload under way finishes (and counts) first
                seen = self._read_generation()
                behind = seen > self.generation and self.index is not None
            if behind:
                try:
                    self.reload(force=True, announce=False)
                    self.generation = max(self.generation, seen)
                except Exception:
                    log.exception("reload announced by another worker failed; keeping the current index")


def _screen_cached() -> CompiledIndex | None:
    """The index :mod:`proscribe.screen` caches now, if any."""
    from proscribe.screen import cached_index

    return cached_index()


def _replace_screen_cached(index: CompiledIndex) -> None:
    """Make ``index`` (read anew from the same store state) the one :mod:`proscribe.screen` caches."""
    from proscribe.screen import replace_cached

    replace_cached(index)


def _held_by_screen(index: CompiledIndex) -> bool:
    """Whether :mod:`proscribe.screen` still caches ``index`` (then it must stay whole)."""
    return _screen_cached() is index


def _current_index_file():
    """The persisted file of the index :func:`proscribe.screen.get_index` holds now, if known."""
    from proscribe.screen import cached_index_file

    return cached_index_file()


def _monitor_after_reload(index: CompiledIndex) -> None:
    """Ongoing monitoring: after a reload that changed the lists, re-screen what the change can
    affect (in the background; a run already under way elsewhere is left to finish)."""
    from proscribe.cases.monitor import MonitorBusy, run

    try:
        run(index=index, actor="service")
    except MonitorBusy:
        log.info("monitoring already running elsewhere; this reload's changes are picked up by it")
    except Exception:  # monitoring never takes the service down
        log.exception("monitoring after reload failed")


def load_index_politely(path) -> CompiledIndex | None:
    """The persisted index at ``path``, or None when it is missing, damaged, of another version
    or not the file whose sha256 the store recorded (:func:`proscribe.index.files.load_index`).
    The event loop gets the GIL at short intervals meanwhile."""
    from proscribe.index import files as index_files

    if not path.exists():
        return None
    enabled = gc.isenabled()
    gc.disable()  # millions of new objects: no collection passes while they arrive
    switch = sys.getswitchinterval()
    sys.setswitchinterval(0.0005)  # the event loop waits at most this long for the GIL meanwhile
    try:
        return index_files.load_index(path)
    finally:
        sys.setswitchinterval(switch)
        gc.freeze()  # before collections resume: millions of young objects would make one long pause
        if enabled:
            gc.enable()


def run_low_priority(function):
    """Run ``function`` in a new thread at the lowest CPU priority (Linux: nice 19 for that
    thread alone) and return its result: a reload then takes only the CPU that requests leave."""
    outcome: dict = {}

    def target():
        _lower_priority()
        try:
            outcome["value"] = function()
        except BaseException as exc:  # handed to the caller
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="index-reload", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _lower_priority() -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
    except (AttributeError, OSError):
        pass


def _dismantle(index: CompiledIndex, grace: float = 2.0, chunk: int = 500) -> None:
    """Free a retired index a little at a time, once requests in flight have finished with it:
    dropped at once, its millions of objects would be freed in one long pause of the GIL."""
    _lower_priority()
    time.sleep(grace)
    for name in list(vars(index)):
        value = vars(index).pop(name)
        if isinstance(value, list):
            while value:
                del value[-chunk:]
                time.sleep(0)
        elif isinstance(value, dict):
            keys = list(value)
            for start in range(0, len(keys), chunk):
                for key in keys[start : start + chunk]:
                    del value[key]
                time.sleep(0)
            del keys
        del value


# -- the gate: auth, roles, rate limits, body size ---------------------------------------------------


class Gate:
    """Pure ASGI middleware in front of every route."""

    def __init__(self, app, state: ServiceState, fastapi_app: FastAPI):
        self.app = app
        self.state = state
        self.fastapi_app = fastapi_app
        self._routes: dict[tuple[str, str], tuple[str | None, str | None]] = {}
        self._worker = str(os.getpid()).encode()  # which worker process answered (X-Proscribe-Worker)
        self._security = security_headers(state.settings.hsts_max_age)

    def _route(self, scope) -> tuple[str | None, str | None]:
        """(role needed, route path) of the request; (None, None) for no route (404/405)."""
        cache_key = (scope["method"], scope["path"])
        found = self._routes.get(cache_key)
        if found is not None:
            return found
        found = (None, None)
        for route in self.fastapi_app.router.routes:
            matched, _ = route.matches(scope)
            if matched == Match.FULL:
                path = getattr(route, "path", "")
                found = (ROUTE_ROLES.get((scope["method"], path), PUBLIC), path)
                break
        if "{" not in (found[1] or "{"):  # cache only fixed paths, so the cache stays small
            self._routes[cache_key] = found
        return found

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        state = self.state
        role, route_path = self._route(scope)
        principal: auth.KeyInfo | None = None
        extra = [(b"x-proscribe-worker", self._worker), *self._security]
        if state.settings.no_auth:
            extra.append((b"x-proscribe-auth", b"disabled"))
        send = _with_headers(send, extra)
        if role not in (None, PUBLIC):
            if state.settings.no_auth:
                principal = auth.KeyInfo(None, "no-auth (development only)", "admin", None)
            else:
                headers = _headers(scope)
                key = auth.key_from_headers(headers.get("authorization"), headers.get("x-api-key"))
                if key is None:
                    return await _send_error(
                        send,
                        401,
                        "an API key is required: send 'Authorization: ApiKey <key>' or 'X-API-Key: <key>'",
                        [(b"www-authenticate", b"ApiKey")],
                    )
                client = (scope.get("client") or ("unknown",))[0]
                locked = state.auth_failures.blocked(client)
                if locked > 0:
                    return await _send_error(
                        send,
                        429,
                        "too many failed authentications from this address; retry later",
                        [(b"retry-after", auth.retry_after_header(locked).encode())],
                    )
                principal = await _lookup(state, key)
                if principal is None:
                    state.auth_failures.failed(client)
                    return await _send_error(
                        send, 401, "unknown or revoked API key", [(b"www-authenticate", b"ApiKey")]
                    )
                refusal = auth.role_refusal(principal.role, role, f"{scope['method']} {scope['path']}")
                if refusal:
                    return await _send_error(send, 403, refusal)
                wait = state.limiter.check(principal.id, principal.rate_limit)
                if wait > 0:
                    return await _send_error(
                        send,
                        429,
                        f"rate limit of key {principal.id} exceeded",
                        [(b"retry-after", auth.retry_after_header(wait).encode())],
                    )
        scope.setdefault("state", {})["principal"] = principal
        if scope["method"] not in ("POST", "PUT", "PATCH") or route_path is None:
            return await self.app(scope, receive, send)
        limit = state.settings.max_body_bytes
        headers = _headers(scope)
        length = headers.get("content-length")
        ctype = headers.get("content-type", "").split(";")[0].strip().lower()
        if (
            ctype
            and ctype != "application/json"
            and not ctype.endswith("+json")
            and length != "0"
            and route_path not in RAW_BODY_PATHS
        ):
            return await _send_error(
                send, 415, f"Content-Type {ctype!r} is not supported; send the body as application/json"
            )
        if length is not None:
            if not length.isdigit():
                return await _send_error(send, 400, "Content-Length is not a number")
            if int(length) > limit:
                return await _send_error(
                    send,
                    413,
                    f"request body of {int(length)} bytes is larger than the limit of {limit} bytes",
                )
        fast = route_path == "/v1/screen" and not scope.get("query_string")
        json_body = route_path not in RAW_BODY_PATHS
        # every body is read whole here, counting bytes against the limit and time against
        # the body deadline: a client that trickles a body (or never finishes it) holds a
        # connection for at most body_timeout_s, never a worker's attention indefinitely
        body_timeout = state.settings.body_timeout_s
        deadline = time.monotonic() + body_timeout
        body = bytearray()
        more = True
        while more:
            try:
                message = await asyncio.wait_for(receive(), max(deadline - time.monotonic(), 0.001))
            except TimeoutError:
                return await _send_error(
                    send,
                    408,
                    f"request body not received whole within {body_timeout:g} s "
                    f"({len(body)} bytes arrived); send it again",
                    [(b"connection", b"close")],
                )
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > limit:
                return await _send_error(
                    send, 413, f"request body larger than the limit of {limit} bytes"
                )
        receive = _replay(bytes(body))
        document = None
        if json_body and body.strip():
            try:
                document = jsonbody.loads(
                    body,
                    max_depth=state.settings.max_json_depth,
                    max_items=state.settings.max_json_items,
                )
            except jsonbody.SyntaxProblem:
                pass  # FastAPI's own 422 names the position
            except jsonbody.BodyError as exc:
                return await _send_invalid_body(send, exc)
        if fast and document is not None:
            handled = await _within_deadline(
                lambda out: self._fast_screen(document, principal, scope, receive, out),
                state.settings.request_timeout_s,
                send,
            )
            if handled:
                return
        return await _within_deadline(
            lambda out: self.app(scope, receive, out), state.settings.request_timeout_s, send
        )

    async def _fast_screen(self, document, principal, scope, receive, send) -> bool:
        """POST /v1/screen without query parameters, answered without FastAPI's request
        machinery (the same validation model and the same core), from the document the gate
        read with :func:`proscribe.jsonbody.loads`. A body that does not validate goes on to
        the route, which answers with FastAPI's 422."""
        try:
            request = SCREEN_REQUEST.validate_python(document)
        except ValidationError:
            return False
        try:
            response = await screen_core(self.state, request, principal)
        except HTTPException as exc:
            response = json_response({"detail": exc.detail}, exc.status_code, exc.headers)
        except RecordWriteError as exc:
            response = _record_failed_response(exc)
        except Exception as exc:  # as the app's own handler does: logged, answered, connection kept
            log.error("unexpected error on POST /v1/screen: %s", type(exc).__name__, exc_info=exc)
            response = json_response({"detail": "internal error; it has been logged"}, 500)
        await response(scope, receive, send)
        return True


async def _within_deadline(work, timeout_s: float, send):
    """Run ``work(send)``, one request's handling; if no response has started within ``timeout_s``, cancel
    it and answer 504. Once the response has started (a streamed export, say) there is no
    deadline: cutting a stream part-way would hand the client a truncated file. A payment
    cancelled here may still have been decided and recorded; it is decided once per message
    id, so sending it again returns that decision rather than a second one."""
    started = False

    async def watched_send(message):
        nonlocal started
        if message["type"] == "http.response.start":
            started = True
        await send(message)

    task = asyncio.ensure_future(work(watched_send))
    try:
        done, _ = await asyncio.wait({task}, timeout=timeout_s)
        if not done and not started:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            if not started:
                await _send_error(
                    send,
                    504,
                    f"the request was not answered within {timeout_s:g} s and was cancelled; "
                    "its work may still have completed (a payment is decided once per message "
                    "id: send it again to read its decision)",
                )
            return True
        return await task
    except asyncio.CancelledError:
        task.cancel()
        raise


def _record_failed_response(exc: Exception) -> Response:
    return json_response(
        {"detail": f"the screening record could not be written, so no result is given: {exc}"},
        503,
        {"Retry-After": "1"},
    )


def _headers(scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


async def _lookup(state: ServiceState, key: str) -> auth.KeyInfo | None:
    try:
        return state.keys.lookup(key)
    except Exception:  # the store is unreachable: refuse, never let the request through
        log.exception("API key lookup failed")
        return None


def _replay(body: bytes):
    sent = False

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    return receive


def security_headers(hsts_max_age: int) -> list[tuple[bytes, bytes]]:
    """Headers on every response: no MIME sniffing, no framing (old and new syntax), no referrer,
    and no caching (answers carry screening results, cases and customer data). HSTS only when
    configured (``hsts_max_age`` > 0): it is for a service reached through TLS, and a browser
    would keep refusing plain HTTP to that host long after a test."""
    headers = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"content-security-policy", b"frame-ancestors 'none'"),
        (b"referrer-policy", b"no-referrer"),
        (b"cache-control", b"no-store"),
    ]
    if hsts_max_age > 0:
        headers.append((b"strict-transport-security", f"max-age={hsts_max_age}; includeSubDomains".encode()))
    return headers


def _with_headers(send, extra: list[tuple[bytes, bytes]]):
    async def wrapped(message):
        if message["type"] == "http.response.start":
            message = dict(message)
            message["headers"] = list(message.get("headers", [])) + extra
        await send(message)

    return wrapped


async def _send_invalid_body(send, exc: jsonbody.BodyError) -> None:
    """A body that cannot be read (not UTF-8, a lone surrogate, nested too deep): 422 in the
    shape of FastAPI's validation errors."""
    detail = [{"loc": ["body"], "msg": str(exc), "type": f"json_{exc.kind}"}]
    await _send_error(send, 422, detail)


async def _send_error(send, status: int, detail: str | list, headers: list | None = None) -> None:
    body = orjson.dumps({"detail": detail})
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


# -- dependencies -----------------------------------------------------------------------------------

_authorization = APIKeyHeader(
    name="Authorization",
    scheme_name="ApiKeyAuthorization",
    auto_error=False,
    description="'ApiKey <key>' (as yente clients send it) or 'Bearer <key>'",
)
_x_api_key = APIKeyHeader(name="X-API-Key", scheme_name="ApiKeyHeader", auto_error=False)


def principal(
    request: Request, _a: str | None = Security(_authorization), _b: str | None = Security(_x_api_key)
) -> auth.KeyInfo | None:
    """The key holder the gate admitted (documents the security schemes in OpenAPI)."""
    return request.scope.get("state", {}).get("principal")


def _state(request: Request) -> ServiceState:
    return request.app.state.service


def _ready_index(state: ServiceState) -> CompiledIndex:
    index = state.index
    if index is None:
        detail = (
            f"the screening index failed to load: {state.load_error}"
            if state.load_error
            else "the screening index is still loading"
        )
        raise HTTPException(503, detail, headers={"Retry-After": "5"})
    return index


def _check_datasets(index: CompiledIndex, datasets: list[str] | None) -> list[str] | None:
    if not datasets:
        return None
    names = [name for item in datasets for name in item.split(",") if name]
    unknown = [name for name in names if name not in index.snapshots]
    if unknown:
        raise HTTPException(
            400,
            f"datasets: unknown dataset(s) {', '.join(unknown)}; known: {', '.join(sorted(index.snapshots))}",
        )
    return names or None


# -- the app ----------------------------------------------------------------------------------------


def create_app(config: ServiceSettings | None = None) -> FastAPI:
    config = config or ServiceSettings.load()
    state = ServiceState(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if config.no_auth:
            print(
                "WARNING: proscribe serve is running with --no-auth: NO AUTHENTICATION, every caller is an "
                "admin. For local development only; never expose this service.",
                file=sys.stderr,
                flush=True,
            )
        state.writer.start()
        # Loaded before this worker accepts connections, so no request meets a worker without an index.
        await asyncio.to_thread(state.load_initial)
        watcher = threading.Thread(target=state.watch_reloads, name="reload-watch", daemon=True)
        watcher.start()
        try:
            yield
        finally:
            state.stopping.set()
            state.writer.stop()

    app = FastAPI(
        title="proscribe screening service",
        version=__version__,
        description="Sanctions screening against the current official lists. Every screening is recorded "
        "(key, time, query, list snapshots, results, decision, engine version) before it is "
        "answered. `POST /match/{dataset}` answers yente clients unchanged.",
        lifespan=lifespan,
        strict_content_type=False,
    )
    app.state.service = state

    @app.exception_handler(RecordWriteError)
    async def _record_failed(request: Request, exc: RecordWriteError):
        return _record_failed_response(exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.error(
            "unexpected error on %s %s: %s",
            request.method,
            request.url.path,
            type(exc).__name__,
            exc_info=exc,
        )
        return json_response({"detail": "internal error; it has been logged"}, 500)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        errors = []
        for error in exc.errors():
            msg = str(error.get("msg", ""))
            ctx = error.get("ctx") or {}
            if error.get("type") == "json_invalid" and ctx.get("error"):
                msg = f"{msg}: {ctx['error']} (at character {error.get('loc', ('', '?'))[-1]})"
            item = {"loc": list(error.get("loc", ())), "msg": msg, "type": str(error.get("type"))}
            errors.append(item)
        return json_response({"detail": errors}, 422)

    # -- screening --------------------------------------------------------------------------------

    @app.post(
        "/v1/screen",
        tags=["Screening"],
        summary="Screen one query or a batch",
        response_model=models.ScreenResponse | models.BatchScreenResponse,
        responses=_errors(400, 503),
    )
    async def screen_endpoint(
        request: Request,
        body: models.ScreenRequest,
        datasets: list[str] | None = Query(
            None, description="Only these datasets (repeat or comma-separate)."
        ),
        threshold: float | None = Query(
            None,
            gt=0,
            le=1,
            description="List only results at or above this score (the top result and every blocking "
            "result are always listed); the decision and the screening record always use the configured "
            "thresholds",
        ),
        limit: int | None = Query(None, ge=1, le=100, description="Results per query (default 10)."),
        who: auth.KeyInfo | None = Depends(principal),
    ):
        """Screen a query in the DESIGN.md shape, or `{"queries": [...]}` (up to 1,000). The answer
        names the decision, the results (best first, each with its explanation) and the list
        snapshot ids used; each query's screening record is committed before the answer is sent."""
        return await screen_core(_state(request), body, who, datasets, threshold, limit)

    @app.post(
        "/match/{dataset}",
        tags=["yente compatible"],
        summary="Query by example matcher (yente's /match)",
        response_model=models.EntityMatchResponse,
        responses=_errors(400, 404, 503),
    )
    async def match_endpoint(
        request: Request,
        body: models.EntityMatchQuery,
        dataset: str = Path(..., description="'default' (every current list) or one dataset name"),
        limit: int = Query(5, ge=1, le=100, description="Number of results to return"),
        threshold: float | None = Query(
            None,
            ge=0,
            le=1,
            description="Lowest score listed (the top result and every blocking result are always listed); "
            "`match` and the screening record always use proscribe's configured block threshold",
        ),
        cutoff: float | None = Query(None, ge=0, le=1, deprecated=True, description="Lowest score returned"),
        algorithm: str = Query(
            "best", description="Accepted for yente compatibility; proscribe's scorer answers"
        ),
        include_dataset: list[str] = Query([], description="Only include the given datasets in results"),
        exclude_schema: list[str] = Query([], description="Remove the given types of entities from results"),
        exclude_dataset: list[str] = Query([], description="Remove the given datasets from results"),
        topics: list[str] = Query([], description="Accepted for yente compatibility"),
        changed_since: str | None = Query(None, description="Accepted for yente compatibility"),
        exclude_entity_ids: list[str] = Query([], max_length=50, description="Entity ids to leave out"),
        who: auth.KeyInfo | None = Depends(principal),
    ):
        """Match entities by example, exactly as yente's `/match` does: queries keyed by client
        ids, each answered with scored results (`score`, `match`, `features`)."""
        state = _state(request)
        index = _ready_index(state)
        if algorithm not in ALGORITHMS:
            raise HTTPException(
                400, f"algorithm: unknown algorithm {algorithm!r}; use one of {', '.join(sorted(ALGORITHMS))}"
            )
        if dataset in ALL_DATASETS:
            scope = set(index.snapshots)
        elif dataset in index.snapshots:
            scope = {dataset}
        else:
            raise HTTPException(404, f"No such dataset: {dataset}")
        if include_dataset:
            scope &= set(include_dataset)
        scope -= set(exclude_dataset)
        queries = {name: q for name, q in body.queries.items() if q is not None}
        if not queries:
            raise HTTPException(400, "No queries provided.")
        if len(queries) > config.max_batch:
            raise HTTPException(400, f"Too many queries in one batch (limit: {config.max_batch})")
        parsed = {}
        for name, example in queries.items():
            raw = example.model_dump(by_alias=True, exclude_none=True)
            try:
                parsed[name] = (raw, parse_query(raw, f"queries.{name}"))
            except QueryError as exc:
                raise HTTPException(400, f"Cannot parse example entity: {exc}") from None
        # As yente, results below the cutoff (default: the threshold) are not listed; unlike
        # yente, neither changes `match` or the decision: both stay the configured ones, and the
        # top result and every blocking result are listed whatever the cutoff (list_results).
        review = cutoff if cutoff is not None else threshold
        if threshold is not None and review is not None:
            review = min(review, threshold)
        excluded_ids = set(exclude_entity_ids)
        excluded_schemata = set(exclude_schema)
        wanted = sorted(scope)

        def run() -> dict[str, dict]:
            out = {}
            for name, (_, q) in parsed.items():
                full = (
                    screen(
                        q,
                        datasets=wanted,
                        limit=limit + len(excluded_ids) + 20 if excluded_ids or excluded_schemata else limit,
                        index=index,
                    )
                    if wanted
                    else {"id": q.id, "decision": "clear", "results": []}
                )
                result = list_results(full, review or None)
                result["results"] = [
                    r
                    for r in result["results"]
                    if r["id"] not in excluded_ids and r["schema"] not in excluded_schemata
                ][:limit]
                out[name] = (full, result)  # the record keeps the full outcome, the answer lists
            return out

        results = run() if len(parsed) <= 4 else await run_in_threadpool(run)
        snapshot_ids = _snapshot_ids(index, wanted)
        created = now_iso()
        rows, responses = [], {}
        for name, (full, result) in results.items():
            raw, _ = parsed[name]
            record_id = new_id()
            rows.append(
                make_row(
                    record_id=record_id,
                    key_id=who.id if who else None,
                    created_at=created,
                    query={"client_id": name, **raw},
                    snapshot_ids=snapshot_ids,
                    results=full["results"],
                    decision=full["decision"],
                    engine_version=ENGINE,
                )
            )
            scored = await run_in_threadpool(
                lambda rs=result["results"]: [_yente_result(index, r) for r in rs]
            )
            responses[name] = {
                "status": 200,
                "results": scored,
                "total": {"value": len(scored), "relation": "eq"},
                "query": {
                    "id": raw.get("id"),
                    "schema": raw.get("schema"),
                    "properties": raw.get("properties", {}),
                },
                "screening_id": record_id,
            }
        await state.writer.write(rows)
        matcher = {name: {**doc, "url": FEATURE_URL} for name, doc in FEATURE_DOCS.items()}
        return json_response(
            {"responses": responses, "matcher": matcher, "limit": limit},
            headers={"x-batch-size": str(len(responses))},
        )

    # -- reading ----------------------------------------------------------------------------------

    @app.get(
        "/v1/entities/{entity_id}",
        tags=["Records"],
        summary="One list entry, whole",
        response_model=models.EntityRecordResponse,
        responses=_errors(404),
    )
    def entity_endpoint(entity_id: str = Path(..., max_length=200), who: auth.KeyInfo | None = Depends(principal)):
        """The full record of a current list entry: every name, identifier, address, sanction
        and stated relationship, with the snapshot it comes from."""
        from proscribe.store import snapshots as store

        engine = connect()
        for snap in store.current_snapshots(engine=engine).values():
            entity = store.load_entity(entity_id, snapshot_id=snap.id, engine=engine)
            if entity is not None:
                data = entity.to_dict()
                data["caption"] = entity.caption
                data["snapshot"] = {
                    "id": snap.id,
                    "label": snap.label,
                    "published": snap.published,
                    "reconstructed": snap.reconstructed,
                }
                return json_response(data)
        raise HTTPException(404, f"entity_id: no entity {entity_id!r} in the current snapshots")

    @app.get(
        "/v1/datasets",
        tags=["Records"],
        summary="Datasets and their snapshots",
        response_model=models.DatasetsResponse,
        responses=_errors(),
    )
    def datasets_endpoint(who: auth.KeyInfo | None = Depends(principal)):
        """Every dataset: its current snapshot, publication dates and entity counts, and every
        stored snapshot."""
        from proscribe.store import snapshots as store

        engine = connect()
        current = store.current_snapshots(engine=engine)
        grouped: dict[str, list] = {}
        for snap in store.list_snapshots(engine=engine):
            grouped.setdefault(snap.dataset, []).append(
                {
                    "id": snap.id,
                    "label": snap.label,
                    "published": snap.published,
                    "imported_at": snap.imported_at,
                    "entity_count": snap.entity_count,
                    "schema_counts": snap.schema_counts,
                    "source_sha256": snap.source_sha256,
                    "reconstructed": snap.reconstructed,
                    "current": current.get(snap.dataset) is not None and current[snap.dataset].id == snap.id,
                    "note": snap.note,
                }
            )
        out = []
        for name in sorted(grouped):
            cur = current[name]
            out.append(
                {
                    "name": name,
                    "current_snapshot": cur.id,
                    "published": cur.published,
                    "entity_count": cur.entity_count,
                    "snapshots": grouped[name],
                }
            )
        return json_response({"datasets": out})

    @app.get(
        "/v1/datasets/{name}/changes",
        tags=["Records"],
        summary="What changed in a dataset",
        response_model=models.ChangesResponse,
        responses=_errors(400, 404),
    )
    def changes_endpoint(
        name: str = Path(..., max_length=100),
        since: str | None = Query(
            None,
            max_length=40,
            description="A snapshot id or an ISO date: changes from the snapshot "
            "current then to the current one (default: the previous one)",
        ),
        who: auth.KeyInfo | None = Depends(principal),
    ):
        from proscribe.store import snapshots as store
        from proscribe.store.diff import diff_snapshots

        engine = connect()
        snaps = store.list_snapshots(name, engine=engine)
        if not snaps:
            raise HTTPException(404, f"name: no dataset {name!r}")
        ordered = sorted(snaps, key=lambda s: ((s.published or ""), s.id))
        current = ordered[-1]
        if since is None:
            old = ordered[-2] if len(ordered) > 1 else current
        elif SNAPSHOT_ID.fullmatch(since):  # ASCII digits only: "¹" is a digit to str.isdigit
            found = [s for s in snaps if s.id == int(since)]
            if not found:
                raise HTTPException(
                    400,
                    f"since: {name} has no snapshot {since} (known: {', '.join(str(s.id) for s in ordered)})",
                )
            old = found[0]
        else:
            from proscribe.sources.base import parse_date

            day = parse_date(since) if len(since) <= 32 else None
            if not day:
                raise HTTPException(400, f"since: {since!r} is neither a snapshot id nor an ISO date")
            before = [s for s in ordered if (s.published or "") <= day]
            if not before:
                raise HTTPException(
                    400,
                    f"since: no snapshot of {name} was published on or before {day} "
                    f"(the oldest is {ordered[0].label})",
                )
            old = before[-1]
        return json_response(diff_snapshots(old.id, current.id, engine=engine).to_dict())

    @app.get(
        "/v1/screenings/{screening_id}",
        tags=["Records"],
        summary="One screening record",
        response_model=models.ScreeningRecord,
        responses=_errors(404),
    )
    def screening_endpoint(screening_id: str = Path(..., max_length=64), who: auth.KeyInfo | None = Depends(principal)):
        record = load_screening(screening_id, connect()) if len(screening_id) <= 64 else None
        if record is None:
            raise HTTPException(404, f"screening_id: no screening {screening_id!r}")
        return json_response(record)

    # -- admin ------------------------------------------------------------------------------------

    @app.post(
        "/v1/admin/reload",
        tags=["Admin"],
        summary="Load new snapshots and swap the index",
        response_model=models.ReloadResponse,
        responses=_errors(503),
    )
    async def reload_endpoint(
        request: Request,
        force: bool = Query(False, description="Reload the persisted index even when no snapshot changed"),
        who: auth.KeyInfo | None = Depends(principal),
    ):
        """Look for newer snapshots in the store, build or load their index beside the current one
        and swap it in atomically: requests in flight finish on the old index, none fails. Other
        worker processes follow within a second."""
        state = _state(request)
        _ready_index(state)
        try:
            changed, seconds = await asyncio.to_thread(state.reload, force=force)
        except Exception as exc:
            log.exception("reload failed")
            raise HTTPException(
                503, f"reload failed, the current index stays in use: {type(exc).__name__}: {exc}"
            ) from None
        return json_response(
            {
                "reloaded": changed,
                "snapshots": state.snapshot_ids,
                "seconds": round(seconds, 3),
                "generation": state.generation,
            }
        )

    @app.get(
        "/v1/admin/keys",
        tags=["Admin"],
        summary="API keys (never their secrets)",
        response_model=models.KeyListResponse,
        responses=_errors(),
    )
    def keys_list(who: auth.KeyInfo | None = Depends(principal)):
        return json_response({"keys": auth.list_keys()})

    @app.post(
        "/v1/admin/keys",
        tags=["Admin"],
        summary="Create an API key for a user (shown once)",
        response_model=models.KeyCreatedResponse,
        status_code=201,
        responses=_errors(400, 409),
    )
    def keys_create(body: models.KeyCreateRequest, who: auth.KeyInfo | None = Depends(principal)):
        """A key named `name` (unique) for the user `user` (default: the user named like the key;
        created when missing). Audited as "X created a key for user Y" with the acting user and
        key id; a key minted for someone else can never approve what its minter asked for
        (four-eyes)."""
        by = who.actor() if who else None
        try:
            created = auth.create_key(
                body.name, body.role, rate_limit=body.rate_limit, user=body.user, actor=by or "no-auth"
            )
        except auth.KeyNameTaken as exc:
            raise HTTPException(409, str(exc)) from None
        except auth.KeyRequestError as exc:
            raise HTTPException(400, str(exc)) from None
        log.info("API key %s created (%s) by %s", created.id, created.role, who.id if who else "no-auth")
        return json_response(created.__dict__, 201)

    @app.delete(
        "/v1/admin/keys/{key_id}",
        tags=["Admin"],
        summary="Revoke an API key",
        response_model=models.RevokeResponse,
        responses=_errors(404),
    )
    def keys_revoke(key_id: str = Path(..., max_length=64), who: auth.KeyInfo | None = Depends(principal)):
        """Revoked at once in the store; a running service refuses the key within
        `key_cache_s` seconds (2 by default: the revocation lag)."""
        if not auth.revoke_key(key_id, actor=who.actor() if who else "no-auth"):
            raise HTTPException(404, f"key_id: no active key {key_id!r}")
        log.info("API key %s revoked by %s", key_id, who.id if who else "no-auth")
        return json_response({"id": key_id, "revoked": True})

    @app.get(
        "/v1/admin/users",
        tags=["Admin"],
        summary="Users (the people keys belong to) and their case roles",
        response_model=models.UserListResponse,
        responses=_errors(),
    )
    def users_list(who: auth.KeyInfo | None = Depends(principal)):
        from proscribe.cases.users import list_users

        return json_response({"users": list_users()})

    @app.post(
        "/v1/admin/users",
        tags=["Admin"],
        summary="Create a user or set their case roles",
        response_model=models.UserResponse,
        responses=_errors(400),
    )
    def users_set(body: models.UserRolesRequest, who: auth.KeyInfo | None = Depends(principal)):
        """Audited (`config.user_roles`) with the acting user and key id."""
        from proscribe.cases import users as people

        try:
            user_id = people.set_roles(body.name, list(body.roles), actor=who.actor() if who else "no-auth")
        except people.UserError as exc:
            raise HTTPException(400, str(exc)) from None
        return json_response({"id": user_id, "name": body.name.strip(), "roles": sorted(set(body.roles))})

    # -- probes -----------------------------------------------------------------------------------

    @app.get(
        "/healthz", tags=["Probes"], summary="Liveness (no key needed)", response_model=models.HealthResponse
    )
    async def healthz():
        return json_response({"status": "ok"})

    @app.get(
        "/readyz",
        tags=["Probes"],
        summary="Readiness: the index is loaded (no key needed)",
        response_model=models.ReadyResponse,
        responses={503: {"model": models.ReadyResponse}},
    )
    async def readyz(request: Request):
        """Ready or not, and nothing more: which snapshots are loaded (and why a load failed) is
        for keyed callers (`GET /v1/datasets`, the service log)."""
        state = _state(request)
        auth_state = "disabled" if config.no_auth else "enabled"
        if state.index is None:
            status = "failed" if state.load_error else "loading"
            return json_response({"status": status, "auth": auth_state}, 503)
        return json_response({"status": "ready", "auth": auth_state})

    # cases, book, monitoring, audit, payments, ownership (their roles join the gate's table)
    from proscribe.api import workflow

    ROUTE_ROLES.update(workflow.ROUTE_ROLES)
    RAW_BODY_PATHS.update(workflow.RAW_BODY_PATHS)
    # added as routes of their own (not include_router, which may nest them behind one entry):
    # the gate finds each route, and so the role it needs, by its own path
    app.router.routes.extend(workflow.router.routes)
    unplaced = [type(route).__name__ for route in app.router.routes if not getattr(route, "path", "")]
    if unplaced:  # the gate could not tell which role such a route needs: refuse to start
        raise RuntimeError(f"routes without a path of their own: {', '.join(unplaced)}")

    app.add_middleware(Gate, state=state, fastapi_app=app)
    return app


def create_app_from_env() -> FastAPI:
    """uvicorn's factory for worker processes: settings come from the environment ``serve`` set."""
    config = ServiceSettings.load()
    if config.pin_cpus:
        pin_to_free_cpu()
    return create_app(config)


_cpu_slot = None  # the open, locked slot file: held for the life of the process


def pin_to_free_cpu() -> int | None:
    """Keep this process's threads on one CPU that no other worker of this home holds.

    The event loop and the record writer share the GIL; on one CPU they hand it over cheaply,
    spread over two they convoy (measured: 2,000+ against under 900 requests/s per worker).
    Each worker claims a CPU by locking ``run/cpu-N.lock`` under PROSCRIBE_HOME; the lock goes
    with the process. Call before any thread starts: new threads inherit the affinity."""
    global _cpu_slot
    import fcntl

    if not hasattr(os, "sched_setaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    folder = settings.home() / "run"
    folder.mkdir(exist_ok=True)
    for cpu in cpus:
        handle = open(folder / f"cpu-{cpu}.lock", "w")  # noqa: SIM115
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        _cpu_slot = handle
        os.sched_setaffinity(0, {cpu})
        return cpu
    return None  # more workers than CPUs: leave the rest to the scheduler


# -- screening core (the route and the gate's fast path) ---------------------------------------------

SCREEN_REQUEST = TypeAdapter(models.ScreenRequest)


async def screen_core(
    state: ServiceState,
    body,
    who: auth.KeyInfo | None,
    datasets: list[str] | None = None,
    threshold: float | None = None,
    limit: int | None = None,
) -> Response:
    config = state.settings
    index = _ready_index(state)
    wanted = _check_datasets(index, datasets)
    batch = isinstance(body, models.ScreenBatch)
    items = body.queries if batch else [body]
    if len(items) > config.max_batch:
        raise HTTPException(400, f"queries: {len(items)} queries in one request; at most {config.max_batch}")
    parsed, problems = [], []
    for n, item in enumerate(items):
        raw = item.model_dump(by_alias=True, exclude_none=True)
        try:
            parsed.append((raw, parse_query(raw, f"queries[{n}]" if batch else "query")))
        except QueryError as exc:
            problems.append(str(exc))
    if problems:
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise HTTPException(400, "; ".join(problems[:10]) + more)

    def run() -> list[dict]:
        # screened with the configured thresholds only: the record keeps the full outcome, and
        # the caller's threshold filters what the answer lists (list_results)
        return [screen(q, datasets=wanted, limit=limit, index=index) for _, q in parsed]

    outcomes = run() if len(parsed) <= 4 else await run_in_threadpool(run)
    snapshot_ids = _snapshot_ids(index, wanted)
    created = now_iso()
    key_id = who.id if who else None
    rows = []
    for (raw, _), out in zip(parsed, outcomes, strict=True):
        out["screening_id"] = new_id()
        rows.append(
            make_row(
                record_id=out["screening_id"],
                key_id=key_id,
                created_at=created,
                query=raw,
                snapshot_ids=snapshot_ids,
                results=out["results"],
                decision=out["decision"],
                engine_version=ENGINE,
            )
        )
    await state.writer.write(rows)
    if batch:
        return json_response(
            {
                "responses": [_outcome(list_results(o, threshold)) for o in outcomes],
                "snapshots": snapshot_ids,
                "engine_version": ENGINE,
            }
        )
    return json_response(
        {**_outcome(list_results(outcomes[0], threshold)), "snapshots": snapshot_ids, "engine_version": ENGINE}
    )


# -- helpers ----------------------------------------------------------------------------------------


def _snapshot_ids(index: CompiledIndex, wanted: list[str] | None) -> dict[str, int]:
    return {ds: int(info["id"]) for ds, info in index.snapshots.items() if not wanted or ds in wanted}


def _outcome(out: dict) -> dict:
    data = {
        "screening_id": out["screening_id"],
        "id": out["id"],
        "decision": out["decision"],
        "results": out["results"],
    }
    if out.get("warnings"):
        data["warnings"] = out["warnings"]
    return data


def _features(result: dict) -> dict[str, float]:
    explanation = result.get("explanation") or {}
    features = {}
    if "name" in explanation:
        features["name"] = float(explanation["name"].get("score", 0.0))
    for adjustment in explanation.get("adjustments", []):
        feature = adjustment.get("feature", "other")
        features[feature] = round(features.get(feature, 0.0) + float(adjustment.get("delta", 0.0)), 3)
    return features


@lru_cache(maxsize=4096)
def _entity_properties(entity_id: str, snapshot_id: int) -> dict[str, list[str]]:
    from proscribe.store.snapshots import load_entity

    entity = load_entity(entity_id, snapshot_id=snapshot_id)
    return {k: list(v) for k, v in entity.properties.items()} if entity else {}


def _yente_result(index: CompiledIndex, result: dict) -> dict:
    snapshot_id = int(index.snapshots.get(result["dataset"], {}).get("id", 0))
    properties = dict(_entity_properties(result["id"], snapshot_id))
    if not properties.get("name"):
        properties["name"] = [result["caption"]]
    return {
        "id": result["id"],
        "caption": result["caption"],
        "schema": result["schema"],
        "properties": properties,
        "datasets": [result["dataset"]],
        "referents": [],
        "target": True,
        "first_seen": None,
        "last_seen": None,
        "last_change": None,
        "score": result["score"],
        "features": _features(result),
        "match": bool(result["match"]),
        "explanation": result.get("explanation"),
    }
