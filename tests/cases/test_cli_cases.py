"""The CLI: book import, monitor run, cases list|show|assign|close|approve, audit verify|export."""

from __future__ import annotations

import json

import pytest
from cli_principals import key_env, map_os_user
from sqlalchemy import update
from typer.testing import CliRunner

from proscribe.cli import app


@pytest.fixture
def cli(engine, store_list, proscribe_home):
    """The CLI acting as the OS user mapped to the admin ``ops``, or with ``env`` (a key)."""
    store_list(1, engine)
    map_os_user(proscribe_home, "ops", role="admin")
    runner = CliRunner()

    def invoke(*args: str, code: int = 0, env: dict[str, str] | None = None):
        result = runner.invoke(app, list(args), env={"PROSCRIBE_API_KEY": "", **(env or {})})
        assert result.exit_code == code, result.output
        return result.output

    return invoke


def test_cli_workflow(cli, book_file, tmp_path, engine):
    assert "40 added" in cli("book", "import", str(book_file()))
    assert "customers_screened" in cli("monitor", "run", "--workers", "1")
    listing = cli("cases", "list", "--json")
    cases = {c["subject_id"]: c for c in map(json.loads, listing.splitlines())}
    acme = str(cases["C-ACME"]["id"])
    shown = cli("cases", "show", acme)
    assert "test_list-1" in shown and "ACME SANCTIONED TRADING LLC" in shown and "why now" in shown
    cli("cases", "user", "alice", "--role", "analyst", "--role", "approver")
    cli("cases", "user", "bob", "--role", "approver")
    alice, bob = key_env(engine, "alice"), key_env(engine, "bob")
    assert "assigned to alice" in cli("cases", "assign", acme, "alice", env=alice)
    out = cli("cases", "close", acme, "-d", "true_match", "--reason", "confirmed", env=alice)
    assert "waiting for an approver" in out
    assert "four-eyes" in cli("cases", "approve", acme, env=alice, code=1)
    assert "approved; case is closed" in cli("cases", "approve", acme, env=bob)
    ivan = str(cases["C-IVAN"]["id"])
    version = str(cases["C-IVAN"]["version"])
    cli(
        "cases",
        "close",
        ivan,
        "-d",
        "false_positive",
        "--reason",
        "other man",
        "--whitelist",
        "--version",
        version,
        env=alice,
    )
    assert "conflict" in cli(
        "cases",
        "close",
        ivan,
        "-d",
        "inconclusive",
        "--reason",
        "x",
        "--version",
        version,
        env=bob,
        code=3,
    )
    # Ivan's match blocks: the false positive and its whitelisting wait for an approver
    assert "C-IVAN" not in cli("cases", "goodguys")
    assert "four-eyes" in cli("cases", "approve", ivan, env=alice, code=1)
    assert "approved; case is closed" in cli("cases", "approve", ivan, env=bob)
    assert "C-IVAN" in cli("cases", "goodguys")
    assert "audit trail intact" in cli("audit", "verify")
    export = tmp_path / "audit.jsonl"
    assert "audit records" in cli("audit", "export", str(export))
    assert "intact" in cli("audit", "verify", "--file", str(export))
    cli("audit", "export", str(tmp_path / "audit.csv"), "--format", "csv")
    from proscribe.cases.store import audit_log

    with engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == 3).values(actor="mallory"))
    assert "record 3: altered" in cli("audit", "verify", code=2)


def test_cli_bad_book_fails_with_one_clear_line(cli, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "X1", "schema": "Person", "properties": {}}\n', encoding="utf-8")
    out = cli("book", "import", str(bad), code=1)
    assert "line 1" in out and "nothing imported" in out and "Traceback" not in out
