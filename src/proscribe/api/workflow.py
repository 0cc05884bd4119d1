"""The workflow endpoints of the service: cases, the customer book, monitoring, the audit trail,
payment screening and ownership.

They pass the same gate as every other route (:class:`proscribe.api.app.Gate`): a key, a role
at least the one :data:`ROUTE_ROLES` names (``screener`` < ``analyst`` < ``admin``), the rate
limit and the body limit.

**Who acts.** Every API key belongs to a user (``proscribe keys create --name alice-laptop
--user alice --role analyst``); case actions are recorded (case history, audit trail) under
that *user*, never the key's name. The key role gates the endpoint; the four-eyes rule uses the
user's case roles (:mod:`proscribe.cases.users`): approving (or rejecting) a pending true-match
closure, a false-positive closure of a match at or above the block threshold, or a release of
funds needs the key's user to hold the ``approver`` role (``proscribe cases user alice --role
analyst --role approver``) and to be another person than the one who asked: another user id,
and no key minted by (or for) the asker; otherwise 403. Under ``--no-auth`` the actor is
``no-auth``, who is no user and approves nothing.

**Roles.**

=====================================================  ========
``POST /v1/payments/screen``                           screener
``GET /v1/cases``, ``GET /v1/cases/{id}``, case
actions (assign, escalate, close, release, approve),
``GET /v1/book/{customer_id}``, ``GET /v1/audit/verify``,
``GET /v1/ownership/explain/{entity}``                  analyst
``POST /v1/book`` (can offboard customers),
``POST /v1/monitor/run``, ``GET /v1/audit/export``
(every record, customer data included),
``POST /v1/ownership/import``                           admin
=====================================================  ========

**Conflicts.** Every case change may carry the ``version`` the caller saw; a stale version, or a
case another person closed meanwhile, is a 409 whose message says who changed what.

**Bodies that are not JSON.** ``POST /v1/payments/screen`` takes the message as it is (ISO 20022
XML, MT103 text or the JSON form; the format is recognised from the content, whatever the
Content-Type); a message that cannot be read is answered ``hold`` with a ``parse_error`` reason
(HTTP 200: a payment hub always gets a decision). ``POST /v1/book`` takes JSON
(``{"records": [...]}``), JSON lines (``application/x-ndjson``) or CSV (``text/csv``);
``POST /v1/ownership/import`` takes the CSV, JSON or FtM JSON lines of docs/ownership.md.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import logging
import shutil
import tempfile
import threading
import time
from pathlib import Path as FilePath
from typing import Any, Literal

import orjson
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, Response
from pydantic import TypeAdapter, ValidationError
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from proscribe import jsonbody
from proscribe.api import auth
from proscribe.api import workflow_models as wm
from proscribe.api.app import ERRORS, _ready_index, _state, json_response, principal
from proscribe.store.db import connect

log = logging.getLogger("proscribe.api.workflow")

ROUTE_ROLES: dict[tuple[str, str], str] = {
    ("GET", "/v1/cases"): "analyst",
    ("GET", "/v1/cases/{case_id}"): "analyst",
    ("POST", "/v1/cases/{case_id}/assign"): "analyst",
    ("POST", "/v1/cases/{case_id}/escalate"): "analyst",
    ("POST", "/v1/cases/{case_id}/close"): "analyst",
    ("POST", "/v1/cases/{case_id}/release"): "analyst",
    ("POST", "/v1/cases/{case_id}/approve"): "analyst",
    ("POST", "/v1/book"): "admin",
    ("GET", "/v1/book/{customer_id}"): "analyst",
    ("POST", "/v1/monitor/run"): "admin",
    ("GET", "/v1/audit/verify"): "analyst",
    ("GET", "/v1/audit/export"): "admin",
    ("POST", "/v1/payments/screen"): "screener",
    ("POST", "/v1/ownership/import"): "admin",
    ("GET", "/v1/ownership/explain/{entity}"): "analyst",
}
#: Routes whose body is not (only) JSON: the gate lets any Content-Type through to them.
RAW_BODY_PATHS = {"/v1/payments/screen", "/v1/book", "/v1/ownership/import"}

MAX_CASE_ID = 2**31 - 1
VALIDATION_ERROR = {
    "description": "The body or a parameter is invalid (each error names where)",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "detail": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "loc": {
                                    "type": "array",
                                    "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                                },
                                "msg": {"type": "string"},
                                "type": {"type": "string"},
                            },
                            "required": ["loc", "msg", "type"],
                        },
                    }
                },
                "required": ["detail"],
            }
        }
    },
}
CONFLICT = {
    "model": ERRORS[400]["model"],
    "description": "The case changed meanwhile, or its state forbids this",
}
FOUR_EYES = {
    "model": ERRORS[400]["model"],
    "description": "The key's role may not use this endpoint, or (four-eyes) the person may not approve",
}

router = APIRouter()


def _errors(*codes: int) -> dict:
    out: dict[int | str, Any] = {}
    for code in sorted({400, 401, 403, 413, 415, 429, *codes}):  # 400: a body that cannot be read
        if code == 409:
            out[code] = CONFLICT
        elif code == 422:
            out[code] = VALIDATION_ERROR
        else:
            out[code] = ERRORS[code]
    return out


def actor(who: auth.KeyInfo | None):
    """The person acting: the key's user (``no-auth`` under ``--no-auth``), with the key id and
    everyone in control of the key, for four-eyes."""
    from proscribe.cases.users import Actor

    if who is None:
        return Actor("no-auth")
    return who.actor()


def _case_call(func, *args, **kwargs):
    """Typed case errors to status codes: 404 no case, 400 an invalid request, 403 four-eyes or
    role, 409 a conflict or a state that forbids the action."""
    from proscribe.cases.alerts import (
        CaseError,
        CaseNotFound,
        ConflictError,
        InvalidRequest,
        PermissionDenied,
    )

    try:
        return func(*args, **kwargs)
    except ConflictError as exc:
        raise HTTPException(409, f"conflict: {exc}") from None
    except PermissionDenied as exc:
        raise HTTPException(403, str(exc)) from None
    except CaseNotFound as exc:
        raise HTTPException(404, f"case_id: {exc}") from None
    except InvalidRequest as exc:
        raise HTTPException(400, str(exc)) from None
    except CaseError as exc:
        raise HTTPException(409, str(exc)) from None  # the case's state forbids it


def _plain(row: dict) -> dict:
    """A store row as a dict with plain ``str`` keys (SQLAlchemy's are a str subclass orjson refuses)."""
    out = {str(k): v for k, v in row.items()}
    if isinstance(out.get("alerts"), list):
        out["alerts"] = [_plain(a) if isinstance(a, dict) else a for a in out["alerts"]]
    return out


def _invalid(exc: ValidationError, prefix: tuple = ("body",)) -> RequestValidationError:
    errors = []
    for error in exc.errors(include_url=False):
        errors.append({**error, "loc": (*prefix, *error.get("loc", ()))})
    return RequestValidationError(errors)


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _raw_body(*types: tuple[str, dict]) -> dict:
    return {
        "requestBody": {"required": True, "content": {media: {"schema": schema} for media, schema in types}}
    }


def _inline(schema: dict) -> dict:
    """A pydantic JSON schema with its ``$defs`` inlined (for ``openapi_extra``)."""
    defs = schema.pop("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(dict(defs[ref.rsplit("/", 1)[-1]]))
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


# -- cases ----------------------------------------------------------------------------------------

CaseId = Path(..., ge=1, le=MAX_CASE_ID, description="The case id.")


@router.get(
    "/v1/cases",
    tags=["Cases"],
    summary="Cases, with their age against the SLA",
    response_model=wm.CaseListResponse,
    responses=_errors(),
)
def cases_list(
    state: wm.CaseState | None = Query(None, description="Only cases in this state."),
    assignee: str | None = Query(None, max_length=100, description="Only cases assigned to this person."),
    include_closed: bool = Query(False, description="Closed cases too (when no state is given)."),
    limit: int = Query(50, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=10_000_000),
    who: auth.KeyInfo | None = Depends(principal),
):
    """Open cases (or those in `state`), oldest first, `limit` at a time from `offset`."""
    from proscribe.cases.alerts import list_cases

    rows = list_cases(state=state, assignee=assignee, include_closed=include_closed)
    return json_response(
        {
            "total": len(rows),
            "limit": limit,
            "offset": offset,
            "cases": [_plain(r) for r in rows[offset : offset + limit]],
        }
    )


@router.get(
    "/v1/cases/{case_id}",
    tags=["Cases"],
    summary="A case with its alerts and their full explanations",
    response_model=wm.CaseDetail,
    responses=_errors(404),
)
def case_show(case_id: int = CaseId, who: auth.KeyInfo | None = Depends(principal)):
    """The case (state, assignee, SLA age, pending four-eyes action, version) and every alert, each
    with the full screening result, its explanation and the list snapshot it names."""
    from proscribe.cases.alerts import get_case

    return json_response(_plain(_case_call(get_case, case_id)))


def _after(case_id: int, version: int) -> dict:
    from proscribe.cases.alerts import get_case

    case = get_case(case_id)
    return {
        "case": case_id,
        "version": version,
        "state": case["state"],
        "pending_action": case["pending_action"],
    }


@router.post(
    "/v1/cases/{case_id}/assign",
    tags=["Cases"],
    summary="Assign a case (an open case moves to in_review)",
    response_model=wm.CaseChangeResponse,
    responses=_errors(404, 409, 422),
)
def case_assign(body: wm.AssignRequest, case_id: int = CaseId, who: auth.KeyInfo | None = Depends(principal)):
    from proscribe.cases.alerts import assign

    person = actor(who)
    version = _case_call(assign, case_id, body.assignee or person.name, actor=person, version=body.version)
    return json_response(_after(case_id, version))


@router.post(
    "/v1/cases/{case_id}/escalate",
    tags=["Cases"],
    summary="Escalate a case",
    response_model=wm.CaseChangeResponse,
    responses=_errors(404, 409, 422),
)
def case_escalate(
    body: wm.EscalateRequest, case_id: int = CaseId, who: auth.KeyInfo | None = Depends(principal)
):
    from proscribe.cases.alerts import escalate

    version = _case_call(escalate, case_id, actor=actor(who), reason=body.reason, version=body.version)
    return json_response(_after(case_id, version))


@router.post(
    "/v1/cases/{case_id}/close",
    tags=["Cases"],
    summary="Close a case (a true match waits for an approver)",
    response_model=wm.CloseResponse,
    responses=_errors(400, 404, 409, 422),
)
def case_close(body: wm.CloseRequest, case_id: int = CaseId, who: auth.KeyInfo | None = Depends(principal)):
    """Close with an outcome and a reason. `true_match` moves the case to `pending_approval`
    until a different person with the approver role approves it (four-eyes); so does
    `false_positive` when an open alert is a match at or above the block threshold (with
    `whitelist`, its good-guy entries stay inactive until approved: `pending_whitelist`).
    Otherwise `false_positive` with `whitelist` puts the pairs on the good-guy list at once. Of
    two people closing the same case, the second gets 409."""
    from proscribe.cases.alerts import close

    if body.whitelist and body.outcome != "false_positive":
        raise HTTPException(400, "whitelist: only a false_positive outcome can be whitelisted")
    result = _case_call(
        close,
        case_id,
        body.outcome,
        body.reason,
        actor=actor(who),
        whitelist=body.whitelist,
        version=body.version,
    )
    return json_response({"whitelisted": [], "pending_action": None, "pending_whitelist": [], **result})


@router.post(
    "/v1/cases/{case_id}/release",
    tags=["Cases"],
    summary="Ask to release blocked funds (an approver must approve)",
    response_model=wm.CaseChangeResponse,
    responses=_errors(404, 409, 422),
)
def case_release(
    body: wm.ReleaseRequest, case_id: int = CaseId, who: auth.KeyInfo | None = Depends(principal)
):
    from proscribe.cases.alerts import request_release

    version = _case_call(request_release, case_id, body.reason, actor=actor(who), version=body.version)
    return json_response(_after(case_id, version))


@router.post(
    "/v1/cases/{case_id}/approve",
    tags=["Cases"],
    summary="Approve or reject the pending action (four-eyes)",
    response_model=wm.ApproveResponse,
    responses={**_errors(400, 404, 409, 422), 403: FOUR_EYES},
)
def case_approve(
    body: wm.ApproveRequest, case_id: int = CaseId, who: auth.KeyInfo | None = Depends(principal)
):
    """The second pair of eyes: the key's person must hold the `approver` case role (`proscribe
    cases user NAME --role approver`) and must not be the one who asked (403 otherwise)."""
    from proscribe.cases.alerts import approve

    if body.reject and not body.reason:
        raise HTTPException(400, "reason: a reason is required to reject")
    result = _case_call(
        approve, case_id, actor=actor(who), reason=body.reason, reject=body.reject, version=body.version
    )
    return json_response(result)


# -- the customer book and monitoring ----------------------------------------------------------------

BOOK_IMPORT = TypeAdapter(wm.BookImportRequest)
BOOK_RECORDS = TypeAdapter(list[wm.BookRecord])
BOOK_TYPES = {
    "application/json": "json",
    "text/csv": "csv",
    "application/csv": "csv",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/json-lines": "jsonl",
    "application/jsonlines": "jsonl",
}


@router.post(
    "/v1/book",
    tags=["Book"],
    summary="Import (or update) customers and counterparties",
    response_model=wm.BookImportResponse,
    responses=_errors(400, 422),
    openapi_extra=_raw_body(
        ("application/json", _inline(wm.BookImportRequest.model_json_schema())),
        ("application/x-ndjson", {"type": "string", "description": "One book record a line."}),
        (
            "text/csv",
            {"type": "string", "description": "A header row: id, schema, kind and FtM property columns."},
        ),
    ),
)
async def book_import(
    request: Request,
    replace: bool = Query(
        False, description="The body is the whole book: customers not in it are offboarded (CSV/JSON lines)."
    ),
    who: auth.KeyInfo | None = Depends(principal),
):
    """All or nothing: every record is validated first; a body with any bad record, or the same
    id twice, is refused whole (400) with each problem named by record. New records are added,
    changed ones revised (monitoring then re-screens just those)."""
    from proscribe.cases.book import BookFormatError, import_book

    media = _media_type(request) or "application/json"
    fmt = BOOK_TYPES.get(media)
    if fmt is None:
        raise HTTPException(
            415,
            f"Content-Type {media!r} is not supported; send application/json, application/x-ndjson or text/csv",
        )
    raw = await request.body()
    if fmt == "json":
        try:
            data = jsonbody.loads(raw)
        except jsonbody.BodyError as exc:
            raise HTTPException(400, str(exc)) from None
        try:
            if isinstance(data, list):
                records = BOOK_RECORDS.validate_python(data)
            else:
                parsed = BOOK_IMPORT.validate_python(data)
                records, replace = parsed.records, parsed.replace or replace
        except ValidationError as exc:
            raise _invalid(exc) from None
        if not records:
            raise HTTPException(400, "body: no records")
        raw = b"\n".join(orjson.dumps(r.model_dump(by_alias=True)) for r in records)
        fmt = "jsonl"
    elif not raw.strip():
        raise HTTPException(400, "body: empty; send the customers as CSV or JSON lines")

    def run():
        with tempfile.TemporaryDirectory(prefix="proscribe-book-") as folder:
            path = FilePath(folder) / f"api-upload.{fmt}"
            path.write_bytes(raw)
            try:
                return import_book(path, fmt=fmt, replace=replace, actor=actor(who).name)
            except BookFormatError as exc:
                errors = exc.errors
                if media == "application/json":
                    errors = [_record_position(e) for e in errors]
                shown = "; ".join(errors[:20])
                more = f" (and {len(errors) - 20} more)" if len(errors) > 20 else ""
                raise HTTPException(
                    400, f"body: {len(errors)} bad record(s), nothing imported: {shown}{more}"
                ) from None

    result = await run_in_threadpool(run)
    return json_response(
        {
            "total": result.total,
            "added": result.added,
            "changed": result.changed,
            "unchanged": result.unchanged,
            "reactivated": result.reactivated,
            "offboarded": result.offboarded,
        }
    )


def _record_position(error: str) -> str:
    """'line 3: ...' of the JSON lines written from a JSON body -> 'records[2]: ...'."""
    head, sep, rest = error.partition(":")
    if sep and head.startswith("line ") and head[5:].isdigit():
        return f"records[{int(head[5:]) - 1}]:{rest}"
    return error


@router.get(
    "/v1/book/{customer_id}",
    tags=["Book"],
    summary="One customer: its record, screening state and cases",
    response_model=wm.BookCustomerResponse,
    responses=_errors(404),
)
def book_customer(
    customer_id: str = Path(..., max_length=200), who: auth.KeyInfo | None = Depends(principal)
):
    from sqlalchemy import select

    from proscribe.cases.alerts import _case_dict
    from proscribe.cases.store import book_customers, cases

    with connect().connect() as conn:
        row = conn.execute(select(book_customers).where(book_customers.c.customer_id == customer_id)).first()
        if row is None:
            raise HTTPException(404, f"customer_id: no customer {customer_id!r} in the book")
        stamp = datetime.datetime.now(datetime.UTC)
        found = conn.execute(
            select(cases)
            .where(cases.c.subject_kind == "customer", cases.c.subject_id == customer_id)
            .order_by(cases.c.id)
        ).all()
        case_rows = [_plain(_case_dict(c, stamp)) for c in found]
    return json_response(
        {
            "customer_id": row.customer_id,
            "kind": row.kind,
            "schema": row.schema,
            "caption": row.caption,
            "record": json.loads(row.record),
            "revision": row.revision,
            "active": bool(row.active),
            "imported_at": row.imported_at,
            "updated_at": row.updated_at,
            "screened_at": row.screened_at,
            "up_to_date": row.screened_hash == row.record_hash,
            "cases": case_rows,
        }
    )


@router.post(
    "/v1/monitor/run",
    tags=["Book"],
    summary="Run ongoing monitoring now",
    response_model=wm.MonitorRunResponse,
    responses=_errors(409, 503),
)
async def monitor_run(
    request: Request,
    full: bool = Query(False, description="Re-screen the whole book, not just what changed."),
    who: auth.KeyInfo | None = Depends(principal),
):
    """New and changed list entries against the book, new and changed customers against the
    lists; alerts for every review or block. The service also runs it after every reload that
    changed the lists. 409 when a run is already under way."""
    from proscribe.cases import monitor

    index = _ready_index(_state(request))
    try:
        stats = await run_in_threadpool(
            lambda: monitor.run(index=index, full=full, workers=1, actor=actor(who).name)
        )
    except monitor.MonitorBusy as exc:
        raise HTTPException(409, str(exc)) from None
    return json_response(stats.to_dict())


# -- audit ----------------------------------------------------------------------------------------


@router.get(
    "/v1/audit/verify",
    tags=["Audit"],
    summary="Check the hash chain of the audit trail",
    response_model=wm.AuditVerifyResponse,
    responses=_errors(),
)
def audit_verify(who: auth.KeyInfo | None = Depends(principal)):
    """Walks the whole chain: any edited, deleted or re-ordered record is a problem naming the
    record where it shows (`ok` false). Always 200: the answer is the report."""
    from proscribe import audit

    start = time.perf_counter()
    report = audit.verify()
    return json_response(report.to_dict() | {"seconds": round(time.perf_counter() - start, 3)})


def _timestamp(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, f"{name}: {value!r} is not an ISO date or date-time") from None
    if parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(datetime.UTC).replace(tzinfo=None)
        except OverflowError:
            raise HTTPException(400, f"{name}: {value!r} is out of the range of dates") from None
    return parsed.isoformat()


@router.get(
    "/v1/audit/export",
    tags=["Audit"],
    summary="Export the audit trail for examiners",
    responses={
        200: {
            "description": "JSON lines (a first chain line, then one record a line) or CSV",
            "content": {
                "application/x-ndjson": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        },
        **_errors(400),
    },
)
def audit_export(
    since: str | None = Query(None, max_length=40, description="From this ISO date/time (UTC)."),
    until: str | None = Query(None, max_length=40, description="Before this ISO date/time (UTC)."),
    format: Literal["jsonl", "csv"] = Query("jsonl", description="jsonl keeps the chain checkable."),
    who: auth.KeyInfo | None = Depends(principal),
):
    """The records (optionally from `since`, before `until`) with their hashes; `proscribe audit
    verify --file EXPORT` checks a JSON lines export."""
    from proscribe import audit

    start, end = _timestamp(since, "since"), _timestamp(until, "until")
    folder = tempfile.mkdtemp(prefix="proscribe-audit-")
    path = FilePath(folder) / f"audit.{format}"
    try:
        count = audit.export(path, fmt=format, since=start, until=end)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    media = "application/x-ndjson" if format == "jsonl" else "text/csv"
    # streamed from the file, which is removed once sent (a 10-year trail is large)
    return FileResponse(
        path,
        media_type=media,
        filename=f"proscribe-audit.{format}",
        headers={"X-Audit-Records": str(count)},
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


# -- payments -------------------------------------------------------------------------------------

_screeners: dict[tuple[int, str], Any] = {}
_screeners_lock = threading.Lock()


def _screener(index, regime: str):
    """One payment screener per (index, regime): its name automaton and query cache are reused."""
    from proscribe.payments.decide import Screener

    key = (id(index), regime)
    found = _screeners.get(key)
    if found is not None and found.index is index:
        return found
    with _screeners_lock:
        found = _screeners.get(key)
        if found is None or found.index is not index:
            if any(s.index is not index for s in _screeners.values()):
                _screeners.clear()  # a reloaded index replaces the old screeners
            found = _screeners[key] = Screener(index, regime=regime)
    return found


PAYMENT_TYPES = (
    ("application/xml", {"type": "string", "description": "pacs.008 or pain.001 (ISO 20022)"}),
    ("text/plain", {"type": "string", "description": "SWIFT MT103"}),
    ("application/json", {"type": "object", "description": "The JSON form (docs/payments-json.md)"}),
)


@router.post(
    "/v1/payments/screen",
    tags=["Payments"],
    summary="Screen one payment message",
    response_model=wm.PaymentScreenResponse,
    responses=_errors(422, 503),
    openapi_extra=_raw_body(*PAYMENT_TYPES),
)
async def payments_screen(
    request: Request,
    regime: Literal["us", "eu", "uk"] = Query(
        "us", description="Sanctions regime for geography and list rules."
    ),
    who: auth.KeyInfo | None = Depends(principal),
):
    """One message (pacs.008, pain.001, MT103 or the JSON form; recognised from its content) is
    screened and its decision recorded before the answer: `pass`, `hold`, `block` or `reject`,
    with every reason. A message that cannot be read (not JSON, XML nor MT at all, deeply nested,
    a lone surrogate, duplicate keys, an undecodable encoding) is `hold` with a `parse_error`
    reason naming the field: always 200 with a decision, never a 4xx nor a 500. The same path as
    `proscribe payments screen`: recorded, audited, a case opened for a match."""
    from proscribe.payments import parse_bytes
    from proscribe.payments.decide import SEVERITY
    from proscribe.payments.messages import Payment
    from proscribe.payments.register import internal_error, process_many

    index = _ready_index(_state(request))
    raw = await request.body()
    person = actor(who)
    person = getattr(person, "name", person)  # the acting user, recorded on each audit record

    def run() -> list[dict]:
        payments: list = []
        try:
            payments = parse_bytes(raw, "POST /v1/payments/screen")
            return process_many(payments, _screener(index, regime), actor=person)
        except Exception as exc:  # never a 500: every message of the body is held
            log.exception("payment screening failed")
            return [internal_error(p, exc) for p in payments] or [
                internal_error(Payment(message_id="", format="unknown", file="POST /v1/payments/screen"), exc)
            ]

    lines = await run_in_threadpool(run)
    worst = max(lines, key=lambda line: SEVERITY.get(line["decision"], 1))
    return json_response({**worst, "transactions": lines})


# -- ownership ------------------------------------------------------------------------------------

OWNERSHIP_TYPES = (
    ("text/csv", {"type": "string", "description": "The CSV of docs/ownership.md"}),
    ("application/json", {"type": "object", "description": "The JSON of docs/ownership.md"}),
    ("application/x-ndjson", {"type": "string", "description": "FollowTheMoney JSON lines"}),
)
OWNERSHIP_SUFFIX = {"text/csv": "csv", "application/csv": "csv", "application/json": "json"}


def _check_json_documents(raw: bytes, suffix: str) -> None:
    """A JSON body, or a body of JSON lines, read as :func:`proscribe.jsonbody.loads` reads it
    (not UTF-8, a lone surrogate, too deep: 400 naming the line) before any parser sees it."""
    head = raw.lstrip()[:1]
    if suffix == "csv" or (suffix == "txt" and head not in (b"{", b"[")):
        return
    try:
        jsonbody.loads(raw)
        return
    except jsonbody.SyntaxProblem:
        if suffix == "json":
            raise HTTPException(400, "body: not valid JSON") from None
    except jsonbody.BodyError as exc:
        raise HTTPException(400, str(exc)) from None
    for number, line in enumerate(raw.splitlines(), start=1):  # JSON lines
        if not line.strip():
            continue
        try:
            jsonbody.loads(line, where=f"body line {number}")
        except jsonbody.SyntaxProblem:
            continue  # the parser names it
        except jsonbody.BodyError as exc:
            raise HTTPException(400, str(exc)) from None


@router.post(
    "/v1/ownership/import",
    tags=["Ownership"],
    summary="Import ownership and control relationships",
    response_model=wm.OwnershipImportResponse,
    responses=_errors(400, 422, 503),
    openapi_extra=_raw_body(*OWNERSHIP_TYPES),
)
async def ownership_import(
    request: Request,
    as_of: datetime.date | None = Query(None, description="Date the holdings are taken at (default today)."),
    who: auth.KeyInfo | None = Depends(principal),
):
    """Every party is resolved to the lists through screening; the derived designations of every
    regime are recomputed and the screening index reloaded, so a screening of an owned entity
    blocks (dataset `derived_ownership`, the path in its explanation) when this answers. Data
    problems are listed in `issues`; the rest is imported (400 only when nothing can be)."""
    import hashlib

    from proscribe.ownership import graph, resolve, store

    state = _state(request)
    index = _ready_index(state)
    raw = await request.body()
    if not raw.strip():
        raise HTTPException(400, "body: empty; send the ownership CSV, JSON or FtM JSON lines")
    suffix = OWNERSHIP_SUFFIX.get(_media_type(request), "txt")
    _check_json_documents(raw, suffix)
    person = actor(who).name

    def run() -> dict:
        with tempfile.TemporaryDirectory(prefix="proscribe-ownership-") as folder:
            path = FilePath(folder) / f"ownership.{suffix}"
            path.write_bytes(raw)
            data = graph.load(path, source=f"api upload by {person}")
        if not data.edges:
            problems = "; ".join(str(i.message) for i in data.issues[:10]) or "no relationships found"
            raise HTTPException(400, f"body: nothing to import: {problems}")
        resolutions = resolve.resolve_parties(data.parties, index)
        import_id = store.save_import(
            data, resolutions, file=f"api upload by {person}", sha256=hashlib.sha256(raw).hexdigest()
        )
        computed = store.compute(as_of=as_of.isoformat() if as_of else None)
        return {
            "import_id": import_id,
            "relationships": len(data.edges),
            "parties": len(data.parties),
            "listed": sum(1 for r in resolutions.values() if r.listed),
            "review": sum(1 for r in resolutions.values() if r.uncertain),
            "issues": [{"kind": i.kind, "where": i.where, "message": i.message} for i in data.issues[:1000]],
            "computed": {
                name: {
                    "mode": r["mode"],
                    "block": r["block"],
                    "review": r["review"],
                    "changes": len(r["changes"]),
                }
                for name, r in computed.items()
            },
        }

    out = await run_in_threadpool(run)
    try:
        await asyncio.to_thread(state.reload)
        out["reloaded"] = True
    except Exception:
        log.exception("reload after an ownership import failed")
        out["reloaded"] = False
    return json_response(out)


@router.get(
    "/v1/ownership/explain/{entity}",
    tags=["Ownership"],
    summary="Why an entity is blocked (or to review, or not) through ownership",
    response_model=wm.OwnershipExplainResponse,
    responses={
        200: {"content": {"image/svg+xml": {"schema": {"type": "string"}}}},
        **_errors(404),
    },
)
def ownership_explain(
    entity: str = Path(..., max_length=500, description="A party id, a list entity id or a party name."),
    regime: Literal["ofac", "eu", "uk"] = Query("ofac"),
    as_of: datetime.date | None = Query(None, description="Date the holdings are taken at (default today)."),
    format: Literal["json", "svg"] = Query("json", description="json (text, path and SVG) or svg alone."),
    who: auth.KeyInfo | None = Depends(principal),
):
    from proscribe.cli_ownership import _find
    from proscribe.ownership import explain, store
    from proscribe.ownership.regime import compute as compute_regime
    from proscribe.ownership.regime import regime_by_name

    regime_obj = regime_by_name(regime)
    data, resolutions = store.load_data()
    context = store.Context(data, resolutions, as_of.isoformat() if as_of else None)
    node = _find(context, entity)
    if node is None:
        raise HTTPException(404, f"entity: no party {entity!r} in the ownership data (import it first)")
    result = compute_regime(regime_obj, context.graph, context.listed, context.uncertain)
    tree = explain.path_tree(result, node, context.describe)
    line = explain.sentence(result, node, context.describe, tree)
    footer = f"{regime_obj.label} ({regime_obj.citation}); holdings as of {context.as_of}; proscribe"
    picture = explain.svg(tree, line, footer)
    if format == "svg":
        return Response(picture, media_type="image/svg+xml")
    quiet = result.status[node] != 0 or result.listed[node]
    return json_response(
        {
            "entity": context.graph.ids[node],
            "regime": regime_obj.name,
            "status": result.label(node),
            "explanation": line,
            "text": explain.text_tree(tree),
            "cautions": [] if quiet else list(explain.caution_notes(result, node, context.describe)),
            "path": tree.to_dict(),
            "svg": picture,
        }
    )
