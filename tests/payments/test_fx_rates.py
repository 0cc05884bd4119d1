"""USD values in the OFAC reports from the operator's dated rate table (payments/fx.py).

Reports are generated from decisions recorded the way the service records them (a real message,
parsed, screened and registered on a stated day); the rates are the Federal Reserve H.10 figures
in data/samples/fx_rates_h10_example.csv."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from proscribe.cli import app
from proscribe.payments import fx, parse_file, reports
from proscribe.payments.register import process

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "fx_rates_h10_example.csv"
HEADER = "date,currency,usd_per_unit,units_per_usd,source\n"


@pytest.fixture(scope="module")
def table() -> fx.RateTable:
    return fx.load(EXAMPLE)


def _listed_payment(tmp_path: Path, fixture_path, *, currency: str, amount: str, message_id: str):
    """The ITG pacs.008 (a payment to a listed company, which blocks) in another currency and
    amount, under its own message id, parsed from its file like any message."""
    text = fixture_path("pacs008_v08_itg.xml").read_text(encoding="utf-8")
    text = text.replace('Ccy="USD">48250.00<', f'Ccy="{currency}">{amount}<')
    text = text.replace("NWBKGB2L-20260903-000417", message_id)
    path = tmp_path / f"{message_id}.xml"
    path.write_text(text, encoding="utf-8")
    (payment,) = parse_file(path)
    assert (payment.currency, str(payment.amount)) == (currency, amount)
    return payment


def _blocked(screener, engine, tmp_path, fixture_path, *, on: date, currency="EUR", amount="48250.00"):
    payment = _listed_payment(
        tmp_path, fixture_path, currency=currency, amount=amount, message_id=f"BLK-{currency}-{on:%Y%m%d}"
    )
    line = process(payment, screener, engine=engine, today=on)
    assert line["decision"] == "block", line
    (row,) = [r for r in reports.blocked_rows(engine) if r["message_id"] == payment.message_id]
    return row


def _fields(item: dict, *keys: str) -> tuple:
    return tuple(item[k] for k in keys)


def test_blocked_euro_amount_is_valued_at_the_rate_of_the_day_blocked(
    screener, engine, tmp_path, fixture_path, table
):
    row = _blocked(screener, engine, tmp_path, fixture_path, on=date(2025, 6, 12))
    prop = reports.blocked_report(row, table)["property"]
    assert _fields(prop, "amount", "currency", "value_usd", "value_note") == (
        "48250.00",
        "EUR",
        "55863.85",
        None,
    )
    conversion = prop["conversion"]
    assert conversion["rate"] == "1.1578" and conversion["quoted_as"] == "USD per EUR"
    assert conversion["rate_date"] == "2025-06-12" and conversion["rate_age_days"] == 0
    assert conversion["table_at"] == "line 18" and conversion["table"] == str(EXAMPLE)
    assert conversion["table_sha256"] == hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()
    assert conversion["source"] == "Federal Reserve H.10 noon buying rate (FRED DEXUSEU)"
    assert "48250.00 EUR x 1.1578 USD per EUR = 55863.850000 USD" in conversion["computation"]


def test_blocked_on_a_saturday_uses_fridays_rate_rounded_half_even(
    screener, engine, tmp_path, fixture_path, table
):
    row = _blocked(screener, engine, tmp_path, fixture_path, on=date(2025, 6, 14))
    prop = reports.blocked_report(row, table)["property"]
    # 48250.00 x 1.1557 = 55762.525: half-even keeps the even cent (half-up would say .53)
    assert prop["value_usd"] == "55762.52"
    assert prop["conversion"]["rate_date"] == "2025-06-13" and prop["conversion"]["rate_age_days"] == 1


def test_yen_quoted_per_dollar_is_divided(screener, engine, tmp_path, fixture_path, table):
    row = _blocked(
        screener, engine, tmp_path, fixture_path, on=date(2025, 6, 12), currency="JPY", amount="7000000"
    )
    prop = reports.blocked_report(row, table)["property"]
    assert prop["value_usd"] == "48732.94"  # 7000000 / 143.64 = 48732.943...
    assert prop["conversion"]["quoted_as"] == "JPY per USD" and prop["conversion"]["rate"] == "143.64"


def test_rejected_on_a_us_holiday_uses_the_rate_before(screener, engine, parse_fixture, table):
    (payment,) = parse_fixture("pacs008_v10_yalta.xml")
    assert process(payment, screener, engine=engine, today=date(2025, 7, 4))["decision"] == "reject"
    (row,) = reports.rejected_rows(engine)
    transaction = reports.rejected_report(row, table)["transaction"]
    assert (transaction["amount"], transaction["currency"]) == ("12780.45", "EUR")
    assert transaction["value_usd"] == "15027.25"  # 12780.45 x 1.1758 (3 July; no H.10 rate on the 4th)
    assert transaction["conversion"]["rate_date"] == "2025-07-03"


def test_date_before_the_first_rate_lists_the_item_without_a_usd_value(
    screener, engine, tmp_path, fixture_path, table
):
    row = _blocked(screener, engine, tmp_path, fixture_path, on=date(2025, 6, 1))
    prop = reports.blocked_report(row, table)["property"]
    assert _fields(prop, "amount", "currency", "value_usd", "conversion") == ("48250.00", "EUR", None, None)
    assert "no EUR rate on or before 2025-06-01" in prop["value_note"]
    assert "first EUR rate is of 2025-06-02" in prop["value_note"]


def test_stale_rate_is_not_used_unless_the_limit_allows_it(screener, engine, tmp_path, fixture_path, table):
    row = _blocked(screener, engine, tmp_path, fixture_path, on=date(2025, 7, 20))
    prop = reports.blocked_report(row, table)["property"]
    assert prop["value_usd"] is None and prop["conversion"] is None
    assert "is of 2025-07-11, 9 days old, older than the 7-day limit" in prop["value_note"]
    relaxed = reports.blocked_report(row, table, max_rate_age_days=10)["property"]
    assert relaxed["value_usd"] == "56433.20" and relaxed["conversion"]["rate_age_days"] == 9


def test_without_a_table_non_usd_items_say_so(screener, engine, tmp_path, fixture_path):
    row = _blocked(screener, engine, tmp_path, fixture_path, on=date(2025, 6, 12))
    prop = reports.blocked_report(row)["property"]
    assert prop["value_usd"] is None and prop["value_note"] == fx.NO_TABLE
    assert "no rate table supplied" in prop["value_note"]


def test_currency_missing_from_the_table_is_named(screener, engine, tmp_path, fixture_path, table):
    row = _blocked(screener, engine, tmp_path, fixture_path, on=date(2025, 6, 12), currency="GBP")
    prop = reports.blocked_report(row, table)["property"]
    assert prop["value_usd"] is None and "has no GBP rate at all" in prop["value_note"]


def test_usd_items_are_untouched_by_a_table(screener, engine, parse_fixture, table):
    (payment,) = parse_fixture("pacs008_v08_itg.xml")
    process(payment, screener, engine=engine, today=date(2025, 6, 12))
    (row,) = reports.blocked_rows(engine)
    with_table = reports.blocked_report(row, table)["property"]
    without = reports.blocked_report(row)["property"]
    assert with_table == without
    assert _fields(with_table, "value_usd", "value_note", "conversion") == ("48250.00", None, None)


def test_annual_report_values_holdings_at_june_30(screener, engine, tmp_path, fixture_path, table):
    _blocked(screener, engine, tmp_path, fixture_path, on=date(2025, 6, 12))
    (holding,) = reports.annual_report(2025, engine, table)["holdings"]
    assert holding["value_usd"] == "56790.25"  # 48250.00 x 1.1770, the rate of 30 June 2025
    assert holding["conversion"]["rate_date"] == "2025-06-30"


# -- the table itself ------------------------------------------------------------------------------


def _write(tmp_path: Path, text: str | bytes, name: str = "rates.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


GOOD = "2025-06-12,EUR,1.1578,,H.10\n"


@pytest.mark.parametrize(
    ("rows", "says"),
    [
        ("2025-06-31,EUR,1.1578,,\n", "line 3: date '2025-06-31' is not an ISO date"),
        ("12/06/2025,EUR,1.1578,,\n", "line 3: date '12/06/2025' is not an ISO date"),
        ("2025-06-13,EUX,1.1578,,\n", "line 3: currency 'EUX' is not an ISO 4217 code"),
        ("2025-06-13,eur,1.1578,,\n", "line 3: currency 'eur' is not an ISO 4217 code"),
        ("2025-06-13,USD,1,,\n", "line 3: USD needs no rate"),
        ("2025-06-13,EUR,0,,\n", "line 3: usd_per_unit '0' is not positive"),
        ("2025-06-13,EUR,-1.1578,,\n", "line 3: usd_per_unit '-1.1578' is not a decimal number"),
        ('2025-06-13,EUR,"1,1578",,\n', "line 3: usd_per_unit '1,1578' is not a decimal number"),
        ("2025-06-13,EUR,NaN,,\n", "line 3: usd_per_unit 'NaN' is not a decimal number"),
        (
            "2025-06-13,EUR,1.1557,0.8653,\n",
            "line 3: give exactly one of usd_per_unit and units_per_usd (both",
        ),
        ("2025-06-13,EUR,,,\n", "line 3: give exactly one of usd_per_unit and units_per_usd (neither"),
        ("2025-06-12,EUR,1.1579,,\n", "line 3: EUR on 2025-06-12 already given at line 2"),
        ("2025-06-13,EUR,1.1557\n", "line 3: 3 fields where the header has 5"),
    ],
)
def test_malformed_row_refuses_the_whole_table_naming_file_and_line(tmp_path, rows, says):
    path = _write(tmp_path, HEADER + GOOD + rows)
    with pytest.raises(fx.RateTableError) as caught:
        fx.load(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: refused, nothing loaded") and says in message


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("date,currency,usd_per_units,source\n" + GOOD, "line 1: unknown column(s) 'usd_per_units'"),
        ("date,currency,source\n2025-06-12,EUR,H.10\n", "line 1: no rate column"),
        ("currency,usd_per_unit\nEUR,1.1578\n", "line 1: missing column(s) date"),
        (HEADER, "no rates in the table"),
        ("", "empty"),
        (b"date,currency,usd_per_unit\n2025-06-12,EUR,1.1578,\xff\n", "not UTF-8 text"),
    ],
)
def test_malformed_table_is_refused_with_a_clear_error(tmp_path, text, says):
    path = _write(tmp_path, text)
    with pytest.raises(fx.RateTableError) as caught:
        fx.load(path)
    assert str(caught.value).startswith(str(path)) and says in str(caught.value)


def test_every_problem_is_listed_and_nothing_is_loaded(tmp_path):
    path = _write(
        tmp_path, HEADER + GOOD + "2025-06-13,EUX,1,,\n" + "2025-06-16,EUR,1.1581,,\n" + "x,EUR,1,,\n"
    )
    with pytest.raises(fx.RateTableError) as caught:
        fx.load(path)
    assert "2 problem(s)" in str(caught.value)
    assert "line 3:" in str(caught.value) and "line 5:" in str(caught.value)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(fx.RateTableError, match="missing.csv: cannot be read"):
        fx.load(tmp_path / "missing.csv")


def test_json_table_gives_the_same_conversion_as_csv(tmp_path, table):
    doc = {
        "source": "Federal Reserve H.10 noon buying rate",
        "rates": [
            {"date": "2025-06-12", "currency": "EUR", "usd_per_unit": "1.1578"},
            {"date": "2025-06-12", "currency": "JPY", "units_per_usd": "143.64"},
        ],
    }
    loaded = fx.load(_write(tmp_path, json.dumps(doc), "rates.json"))
    for currency, amount in (("EUR", "48250.00"), ("JPY", "7000000")):
        from_json = fx.usd_value(amount, currency, date(2025, 6, 12), loaded)
        from_csv = fx.usd_value(amount, currency, date(2025, 6, 12), table)
        assert from_json["value_usd"] == from_csv["value_usd"] is not None
        assert from_json["conversion"]["table_at"] in ("rates[0]", "rates[1]")
        assert from_json["conversion"]["source"] == doc["source"]


def test_json_rate_as_a_number_is_refused_so_digits_are_exact(tmp_path):
    doc = {"rates": [{"date": "2025-06-12", "currency": "EUR", "usd_per_unit": 1.1578}]}
    with pytest.raises(fx.RateTableError, match=r"rates\[0\]: 'usd_per_unit': .*give rates as strings"):
        fx.load(_write(tmp_path, json.dumps(doc), "rates.json"))


def test_example_table_holds_both_quotations_for_every_day(table):
    assert set(table.rates) == {"EUR", "JPY"}
    assert [r.day for r in table.rates["EUR"]] == [r.day for r in table.rates["JPY"]]
    assert all(r.usd_per_unit for r in table.rates["EUR"]) and not any(
        r.usd_per_unit for r in table.rates["JPY"]
    )
    assert date(2025, 7, 4) not in {r.day for r in table.rates["EUR"]}  # Independence Day: no H.10 rate


# -- the command -----------------------------------------------------------------------------------


def test_report_command_takes_a_rate_table(screener, engine, tmp_path, fixture_path):
    _blocked(screener, engine, tmp_path, fixture_path, on=date(2025, 6, 12))
    runner = CliRunner()
    out = tmp_path / "blocked.json"
    result = runner.invoke(app, ["reports", "blocked", "--rates", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    (report,) = json.loads(out.read_text())
    assert report["property"]["value_usd"] == "55863.85"
    assert report["property"]["conversion"]["rate_date"] == "2025-06-12"

    result = runner.invoke(app, ["reports", "blocked", "--rates", str(EXAMPLE), "--format", "csv"])
    assert result.exit_code == 0, result.output
    (flat,) = list(csv.DictReader(io.StringIO(result.stdout)))
    assert flat["property.value_usd"] == "55863.85" and flat["property.conversion.rate"] == "1.1578"

    result = runner.invoke(app, ["reports", "blocked", "--rates", str(EXAMPLE), "--max-rate-age", "0"])
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["property"]["value_usd"] == "55863.85"

    result = runner.invoke(app, ["reports", "blocked"])
    assert result.exit_code == 0
    assert "no rate table supplied" in json.loads(result.stdout)[0]["property"]["value_note"]


def test_report_command_refuses_a_bad_table_and_writes_nothing(screener, engine, tmp_path, fixture_path):
    _blocked(screener, engine, tmp_path, fixture_path, on=date(2025, 6, 12))
    bad = _write(tmp_path, HEADER + GOOD + "2025-06-13,EUR,-1,,\n")
    out = tmp_path / "blocked.json"
    result = CliRunner().invoke(app, ["reports", "blocked", "--rates", str(bad), "-o", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert "rates.csv" in result.output and "line 3" in result.output
