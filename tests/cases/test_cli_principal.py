"""Who acts from the shell: an authenticated principal (a key, or the mapped OS user), never a
name typed in a flag or an environment variable anyone can set."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from cli_principals import key_env, map_os_user
from sqlalchemy import select
from typer.testing import CliRunner

from proscribe.api import auth
from proscribe.cases.alerts import get_case, list_cases
from proscribe.cases.store import audit_log
from proscribe.cli import app


def _invoke(runner: CliRunner, *args: str, code: int = 0, env: dict[str, str] | None = None) -> str:
    result = runner.invoke(app, list(args), env={"PROSCRIBE_API_KEY": "", **(env or {})})
    assert result.exit_code == code, (args, result.output)
    return result.output


@pytest.fixture(scope="module")
def prepared_home(tmp_path_factory, store_list, write_book) -> Path:
    """Once per module (screening the book is the slow part): a store with cases (the small book
    monitored against the small list), set up through the CLI by the OS user mapped to the admin
    ``ops``; alice is an analyst and approver, bob an approver. Each test gets a copy."""
    from proscribe.store.db import connect

    home = tmp_path_factory.mktemp("principal-home")
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PROSCRIBE_HOME", str(home))
        patch.setenv("PROSCRIBE_BUNDLED", "none")
        patch.delenv("PROSCRIBE_DATABASE_URL", raising=False)
        store_list(1, connect())
        map_os_user(home, "ops", role="admin")
        _invoke(runner, "book", "import", str(write_book(home.parent / "book.jsonl")))
        _invoke(runner, "monitor", "run", "--workers", "1")
        _invoke(runner, "cases", "user", "alice", "--role", "analyst", "--role", "approver")
        _invoke(runner, "cases", "user", "bob", "--role", "approver")
    return home


@pytest.fixture
def shell(prepared_home, proscribe_home, monkeypatch):
    """The CLI on this test's own copy of the prepared store."""
    shutil.copytree(prepared_home, proscribe_home, dirs_exist_ok=True)
    monkeypatch.setenv("PROSCRIBE_BUNDLED", "none")
    runner = CliRunner()
    return lambda *args, **kwargs: _invoke(runner, *args, **kwargs)


def _case_id(subject: str) -> str:
    return str(next(c["id"] for c in list_cases() if c["subject_id"] == subject))


def _last_audit(engine, event: str):
    with engine.connect() as conn:
        return conn.execute(
            select(audit_log).where(audit_log.c.event_type == event).order_by(audit_log.c.seq.desc())
        ).first()


def test_an_os_user_not_mapped_cannot_act(shell, proscribe_home):
    acme = _case_id("C-ACME")
    (proscribe_home / "os_users.toml").unlink()
    out = shell("cases", "assign", acme, "alice", code=1)
    assert "is not mapped to a proscribe user" in out
    map_os_user(proscribe_home, "alice", login="someone-else")
    out = shell("cases", "assign", acme, "alice", code=1)
    assert "is not mapped" in out and "PROSCRIBE_API_KEY" in out
    assert get_case(int(acme))["assignee"] is None


def test_login_names_from_the_environment_are_not_believed(shell, proscribe_home):
    """USER and LOGNAME are the process's to set; only the uid's login name counts."""
    acme = _case_id("C-ACME")
    map_os_user(proscribe_home, "bob", login="bob")
    out = shell(
        "cases", "assign", acme, "bob", code=1, env={"USER": "bob", "LOGNAME": "bob", "PROSCRIBE_USER": "bob"}
    )
    assert "is not mapped" in out
    assert get_case(int(acme))["assignee"] is None


def test_a_mapping_file_others_may_write_is_refused(shell, proscribe_home):
    path = map_os_user(proscribe_home, "alice")
    os.chmod(path, 0o666)
    out = shell("cases", "assign", _case_id("C-ACME"), "alice", code=1)
    assert "writable by group or others" in out


def test_the_as_flag_is_gone_and_acts_as_nobody(shell):
    acme = _case_id("C-ACME")
    out = shell("cases", "assign", acme, "bob", "--as", "bob", code=2)
    assert "--as is gone" in out
    assert get_case(int(acme))["assignee"] is None


def test_a_user_cannot_approve_their_own_case_from_the_shell(shell, engine, proscribe_home):
    """alice asks as her mapped OS login; neither that login nor a key of hers approves it."""
    acme = _case_id("C-ACME")
    map_os_user(proscribe_home, "alice")
    assert "waiting for an approver" in shell("cases", "close", acme, "-d", "true_match", "--reason", "ok")
    out = shell("cases", "approve", acme, code=1)
    assert "four-eyes" in out and "is the same person" in out
    out = shell("cases", "approve", acme, code=1, env=key_env(engine, "alice"))
    assert "four-eyes" in out and "is the same person" in out
    assert get_case(int(acme))["state"] == "pending_approval"
    assert "approved; case is closed" in shell("cases", "approve", acme, env=key_env(engine, "bob"))


def test_a_keys_user_acts_as_that_user(shell, engine):
    acme = _case_id("C-ACME")
    created = auth.create_key("bob laptop", "analyst", user="bob", engine=engine)
    env = {"PROSCRIBE_API_KEY": created.key}
    shell("cases", "close", acme, "-d", "true_match", "--reason", "confirmed", env=env)
    record = _last_audit(engine, "case.close_requested")
    payload = json.loads(record.payload) if isinstance(record.payload, str) else record.payload
    assert record.actor == "bob"
    assert payload["by_key_id"] == created.id and payload["by_user_id"] == created.user_id
    assert get_case(int(acme))["pending_by"] == "bob"
    # a revoked key acts as nobody (no falling back to the OS user, who is the admin here)
    auth.revoke_key(created.id, engine=engine)
    out = shell("cases", "escalate", acme, "--reason", "x", code=1, env=env)
    assert "PROSCRIBE_API_KEY is not a valid key" in out


def test_a_keys_role_is_checked_like_the_services_gate(shell, engine):
    screener = key_env(engine, "carol", role="screener")
    out = shell("cases", "close", _case_id("C-ACME"), "-d", "inconclusive", "--reason", "x", code=1, env=screener)
    assert auth.role_refusal("screener", "analyst", "cases close") in out
    analyst = key_env(engine, "alice")
    out = shell("keys", "create", "--role", "admin", "--user", "alice", code=1, env=analyst)
    assert "it needs admin" in out
    out = shell("cases", "user", "alice", "--role", "approver", code=1, env=analyst)
    assert "it needs admin" in out


def test_a_key_minted_from_the_shell_records_its_minter(shell, engine, proscribe_home):
    """alice, an admin at the shell, mints a key for a new user and approves with it: four-eyes
    sees that she controls that key."""
    acme = _case_id("C-ACME")
    map_os_user(proscribe_home, "alice", role="admin")
    shell("cases", "close", acme, "-d", "true_match", "--reason", "confirmed")
    shell("cases", "user", "dave", "--role", "approver")
    minted = shell("keys", "create", "--role", "analyst", "--user", "dave", "--name", "dave key")
    key = next(line for line in minted.splitlines() if line.startswith("psk_"))
    out = shell("cases", "approve", acme, code=1, env={"PROSCRIBE_API_KEY": key})
    assert "four-eyes" in out and "minted by the person who asked" in out
