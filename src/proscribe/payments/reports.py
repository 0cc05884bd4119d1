"""OFAC reports from the registers: blocked property (31 CFR 501.603), rejected transactions
(501.604) and the Annual Report of Blocked Property; each as JSON, CSV and PDF.

Deadlines: a report of blocked property and a report of a rejected transaction are due within
10 business days of the blocking or rejection; the annual report lists property blocked as of
June 30 and is due by September 30. Business days skip weekends and US federal holidays, which
are computed for any year (5 U.S.C. 6103: fixed dates moved to the Friday before or the Monday
after a weekend, and the floating Mondays and Thursday), not looked up in a table.

The holder's name, address and contact come from ``PROSCRIBE_HOME/reporter.json``
(``{"name", "address", "contact_name", "contact_phone", "contact_email"}``); missing values are
marked NOT CONFIGURED in the report rather than invented.

A non-USD amount gets its USD value from the operator's dated rate table (:mod:`.fx`), at the
rate of the day blocked or rejected (the annual report: of June 30), with the rate, its date and
the table's digest beside it; without a usable rate the value stays empty and the report says why.
"""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, select

from proscribe import settings
from proscribe.csvsafe import SafeDictWriter
from proscribe.payments import pdf
from proscribe.payments.fx import MAX_RATE_AGE_DAYS, RateTable, usd_value
from proscribe.payments.store import blocked_property, rejected_transactions
from proscribe.store.db import connect

REPORT_DAYS = 10
NOT_CONFIGURED = "NOT CONFIGURED (set it in reporter.json under PROSCRIBE_HOME)"


# -- US federal holidays and business days ---------------------------------------------------------


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = (date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


@lru_cache(maxsize=64)
def federal_holidays(year: int) -> dict[date, str]:
    """The US federal holidays observed in ``year`` (5 U.S.C. 6103), by observed date."""
    mon, thu = 0, 3
    fixed = [
        (1, 1, "New Year's Day"),
        (7, 4, "Independence Day"),
        (11, 11, "Veterans Day"),
        (12, 25, "Christmas Day"),
    ]
    if year >= 2021:
        fixed.append((6, 19, "Juneteenth National Independence Day"))
    days: dict[date, str] = {}
    for month, day, name in fixed:
        days[_observed(date(year, month, day))] = name
    # New Year's Day of the next year observed on Friday 31 December of this one
    next_new_year = _observed(date(year + 1, 1, 1))
    if next_new_year.year == year:
        days[next_new_year] = "New Year's Day (observed)"
    days = {d: n for d, n in days.items() if d.year == year}
    days[_nth_weekday(year, 1, mon, 3)] = "Birthday of Martin Luther King, Jr."
    days[_nth_weekday(year, 2, mon, 3)] = "Washington's Birthday"
    days[_last_weekday(year, 5, mon)] = "Memorial Day"
    days[_nth_weekday(year, 9, mon, 1)] = "Labor Day"
    days[_nth_weekday(year, 10, mon, 2)] = "Columbus Day"
    days[_nth_weekday(year, 11, thu, 4)] = "Thanksgiving Day"
    return dict(sorted(days.items()))


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def add_business_days(start: date, count: int) -> date:
    """The ``count``-th business day after ``start`` (``start`` itself not counted)."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_business_day(day):
            count -= 1
    return day


def report_due(event: date) -> date:
    return add_business_days(event, REPORT_DAYS)


def annual_due(year: int) -> date:
    return date(year, 9, 30)


# -- reporter and rows -------------------------------------------------------------------------------


def reporter() -> dict[str, str]:
    path = settings.home() / "reporter.json"
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            data = {}
    keys = ("name", "address", "contact_name", "contact_phone", "contact_email")
    return {key: str(data.get(key) or NOT_CONFIGURED) for key in keys}


def blocked_rows(engine: Engine | None = None) -> list[dict[str, Any]]:
    with (engine or connect()).connect() as conn:
        return [
            dict(r) for r in conn.execute(select(blocked_property).order_by(blocked_property.c.id)).mappings()
        ]


def rejected_rows(engine: Engine | None = None) -> list[dict[str, Any]]:
    with (engine or connect()).connect() as conn:
        return [
            dict(r)
            for r in conn.execute(
                select(rejected_transactions).order_by(rejected_transactions.c.id)
            ).mappings()
        ]


def _parties(row: dict[str, Any]) -> dict[str, Any]:
    return json.loads(row["parties"])


def _by_role(parties: dict[str, Any], *roles: str) -> list[str]:
    out = []
    for item in parties.get("parties", []) + parties.get("agents", []):
        if item["role"] in roles:
            label = item.get("name") or item.get("bic") or ""
            if item.get("address"):
                label += f", {item['address']}"
            if item.get("country"):
                label += f" ({item['country']})"
            if item.get("account"):
                label += f", account {item['account']}"
            out.append(label.strip(", "))
    return out


def _transaction(row: dict[str, Any]) -> dict[str, Any]:
    parties = _parties(row)
    return {
        "reference": row["message_id"],
        "amount": row["amount"],
        "currency": row["currency"],
        "value_date": row["value_date"],
        "originator": _by_role(parties, "debtor", "ultimate_debtor", "initiating_party"),
        "beneficiary": _by_role(parties, "creditor", "ultimate_creditor"),
        "originator_bank": _by_role(parties, "debtor_agent", "sender", "instructing_agent"),
        "beneficiary_bank": _by_role(parties, "creditor_agent"),
        "intermediary_banks": _by_role(
            parties,
            "intermediary_agent",
            "senders_correspondent",
            "receiver",
            "instructed_agent",
            "previous_instructing_agent",
        ),
    }


def _value(row: dict[str, Any], on: date, rates: RateTable | None, max_age_days: int) -> dict[str, Any]:
    return usd_value(row["amount"], row["currency"], on, rates, max_age_days=max_age_days)


def blocked_report(
    row: dict[str, Any], rates: RateTable | None = None, *, max_rate_age_days: int = MAX_RATE_AGE_DAYS
) -> dict[str, Any]:
    """The content 31 CFR 501.603(b)(1) requires in a report of blocked property; a non-USD
    amount valued in USD at the rate of the day blocked (``rates``: the operator's table)."""
    blocked_on = date.fromisoformat(row["blocked_on"])
    holder = reporter()
    return {
        "report": "Report of Blocked Property (31 CFR 501.603)",
        "holder": {"name": holder["name"], "address": holder["address"]},
        "contact": {
            "name": holder["contact_name"],
            "phone": holder["contact_phone"],
            "email": holder["contact_email"],
        },
        "blocked_persons": [
            {
                "name": row["entity_name"],
                "entity_id": row["entity_id"],
                "programs": json.loads(row["programs"]),
            }
        ],
        "legal_authority": json.loads(row["programs"]),
        "basis": row["basis"],
        "property": {
            "type": "funds transfer",
            "amount": row["amount"],
            "currency": row["currency"],
            **_value(row, blocked_on, rates, max_rate_age_days),
            "location": holder["name"],
        },
        "date_blocked": row["blocked_on"],
        "blocked_account": {
            "id": row["blocked_account_id"],
            "interest_bearing": bool(row["interest_bearing"]),
        },
        "transaction": _transaction(row),
        "payment_instructions": row["raw_message"],
        "regime": row["regime"],
        "due": report_due(blocked_on).isoformat(),
        "filed_on": row["report_filed_on"],
    }


def rejected_report(
    row: dict[str, Any], rates: RateTable | None = None, *, max_rate_age_days: int = MAX_RATE_AGE_DAYS
) -> dict[str, Any]:
    """The content 31 CFR 501.604(b) requires in a report of a rejected transaction; a non-USD
    amount valued in USD at the rate of the day rejected (``rates``: the operator's table)."""
    rejected_on = date.fromisoformat(row["rejected_on"])
    holder = reporter()
    return {
        "report": "Report of Rejected Transaction (31 CFR 501.604)",
        "rejecting_party": {"name": holder["name"], "address": holder["address"]},
        "contact": {
            "name": holder["contact_name"],
            "phone": holder["contact_phone"],
            "email": holder["contact_email"],
        },
        "date_rejected": row["rejected_on"],
        "transaction": {**_transaction(row), **_value(row, rejected_on, rates, max_rate_age_days)},
        "sanctioned_interest": {"name": row["entity_name"], "entity_id": row["entity_id"]},
        "legal_authority": json.loads(row["programs"]),
        "reason_for_rejection": row["basis"],
        "payment_instructions": row["raw_message"],
        "regime": row["regime"],
        "due": report_due(rejected_on).isoformat(),
        "filed_on": row["report_filed_on"],
    }


def annual_report(
    year: int,
    engine: Engine | None = None,
    rates: RateTable | None = None,
    *,
    max_rate_age_days: int = MAX_RATE_AGE_DAYS,
) -> dict[str, Any]:
    """Annual Report of Blocked Property: everything blocked as of June 30 of ``year``, a non-USD
    holding valued in USD at the rate of June 30 (``rates``: the operator's table)."""
    june_30 = date(year, 6, 30)
    as_of = june_30.isoformat()
    holdings = []
    for row in blocked_rows(engine):
        if row["blocked_on"] > as_of:
            continue
        if row["status"] == "unblocked" and row["unblocked_on"] and row["unblocked_on"] <= as_of:
            continue
        holdings.append(
            {
                "owner": row["entity_name"],
                "entity_id": row["entity_id"],
                "programs": json.loads(row["programs"]),
                "property_type": "funds transfer",
                "blocked_account_id": row["blocked_account_id"],
                "interest_bearing": bool(row["interest_bearing"]),
                "amount": row["amount"],
                "currency": row["currency"],
                **_value(row, june_30, rates, max_rate_age_days),
                "date_blocked": row["blocked_on"],
                "reference": row["message_id"],
            }
        )
    holder = reporter()
    return {
        "report": "Annual Report of Blocked Property (31 CFR 501.603(b)(2))",
        "holder": {"name": holder["name"], "address": holder["address"]},
        "contact": {
            "name": holder["contact_name"],
            "phone": holder["contact_phone"],
            "email": holder["contact_email"],
        },
        "as_of": as_of,
        "due": annual_due(year).isoformat(),
        "required": bool(holdings),
        "holdings": holdings,
    }


def due(as_of: date, engine: Engine | None = None) -> list[dict[str, Any]]:
    """Every report owed and not filed, with its deadline; the annual report when property is held."""
    items = []
    for row in blocked_rows(engine):
        if not row["report_filed_on"]:
            deadline = report_due(date.fromisoformat(row["blocked_on"]))
            items.append(
                {
                    "report": "blocked",
                    "reference": row["message_id"],
                    "event_date": row["blocked_on"],
                    "due": deadline.isoformat(),
                    "overdue": deadline < as_of,
                }
            )
    for row in rejected_rows(engine):
        if not row["report_filed_on"]:
            deadline = report_due(date.fromisoformat(row["rejected_on"]))
            items.append(
                {
                    "report": "rejected",
                    "reference": row["message_id"],
                    "event_date": row["rejected_on"],
                    "due": deadline.isoformat(),
                    "overdue": deadline < as_of,
                }
            )
    year = as_of.year if as_of >= date(as_of.year, 6, 30) else as_of.year - 1
    annual = annual_report(year, engine)
    if annual["required"]:
        items.append(
            {
                "report": "annual",
                "reference": f"ARBP {year}",
                "event_date": annual["as_of"],
                "due": annual["due"],
                "overdue": date.fromisoformat(annual["due"]) < as_of,
                "holdings": len(annual["holdings"]),
            }
        )
    items.sort(key=lambda item: item["due"])
    return items


def mark_filed(kind: str, reference: str, filed_on: date, engine: Engine | None = None) -> int:
    table = blocked_property if kind == "blocked" else rejected_transactions
    with (engine or connect()).begin() as conn:
        return conn.execute(
            table.update().where(table.c.message_id == reference).values(report_filed_on=filed_on.isoformat())
        ).rowcount


def mark_unblocked(reference: str, unblocked_on: date, engine: Engine | None = None) -> int:
    """Record that blocked property was released (a licence, a delisting); it leaves later annual reports."""
    with (engine or connect()).begin() as conn:
        return conn.execute(
            blocked_property.update()
            .where(blocked_property.c.message_id == reference)
            .values(status="unblocked", unblocked_on=unblocked_on.isoformat())
        ).rowcount


# -- rendering -----------------------------------------------------------------------------------


def _flatten(prefix: str, value: Any, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(f"{prefix}.{key}" if prefix else key, item, out)
    elif isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            out[prefix] = "; ".join("" if v is None else str(v) for v in value)
        else:
            for n, item in enumerate(value):
                _flatten(f"{prefix}[{n}]", item, out)
    else:
        out[prefix] = "" if value is None else str(value)


def to_json(reports: list[dict[str, Any]] | dict[str, Any]) -> str:
    return json.dumps(reports, ensure_ascii=False, indent=1)


#: Report columns whose plain numbers stay numbers in the CSV (amounts, counts).
_NUMERIC_REPORT_FIELDS = frozenset({"amount", "amount_usd", "count", "total", "interest_rate"})


def to_csv(reports: list[dict[str, Any]]) -> str:
    rows = []
    for report in reports:
        flat: dict[str, str] = {}
        _flatten("", {k: v for k, v in report.items() if k != "payment_instructions"}, flat)
        rows.append(flat)
    fields: list[str] = []
    for row in rows:
        fields.extend(k for k in row if k not in fields)
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=fields or ["report"], numeric=_NUMERIC_REPORT_FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _lines(value: Any, indent: int = 0) -> list[str]:
    pad = "  " * indent
    out = []
    if isinstance(value, dict):
        for key, item in value.items():
            label = key.replace("_", " ")
            if isinstance(item, (dict, list)) and item:
                out.append(f"{pad}{label}:")
                out.extend(_lines(item, indent + 1))
            else:
                out.append(f"{pad}{label}: {'-' if item in (None, '', [], {}) else item}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, (dict, list)):
                out.append(f"{pad}-")
                out.extend(_lines(item, indent + 1))
            else:
                out.append(f"{pad}- {item}")
    else:
        out.append(f"{pad}{value}")
    return out


def to_pdf(title: str, reports: list[dict[str, Any]]) -> bytes:
    lines: list[str] = []
    for n, report in enumerate(reports, start=1):
        body = {k: v for k, v in report.items() if k not in ("report", "payment_instructions")}
        lines.append(f"# {report.get('report', title)} ({n} of {len(reports)})")
        lines.extend(_lines(body))
        if report.get("payment_instructions"):
            lines.append("# Copy of the payment instructions")
            lines.extend(str(report["payment_instructions"]).replace("\r", "").splitlines()[:200])
        lines.append("")
    if not reports:
        lines.append("Nothing to report.")
    return pdf.render(title, lines)


def to_pdf_annual(report: dict[str, Any]) -> bytes:
    body = {k: v for k, v in report.items() if k not in ("report", "holdings")}
    lines = _lines(body) + ["", f"# Holdings as of {report['as_of']} ({len(report['holdings'])})"]
    for item in report["holdings"]:
        lines.extend(_lines(item, 1) + [""])
    return pdf.render(report["report"], lines)
