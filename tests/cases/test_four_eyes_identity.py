"""Four-eyes compares people (users), not the names keys carry; a blocking match is never
dismissed by one person alone. On SQLite and PostgreSQL, with the real store and audit trail."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from proscribe.api import auth
from proscribe.cases import alerts, book, goodguys, monitor
from proscribe.cases.store import audit_log


@pytest.fixture
def monitored(db, store_list, book_file):
    store_list(1, db)
    book.import_book(book_file(), engine=db)
    monitor.run(engine=db)
    return db


def _case_of(subject: str, engine) -> int:
    [case] = [c for c in alerts.list_cases(include_closed=True, engine=engine) if c["subject_id"] == subject]
    return case["id"]


def _events(engine, event_type: str) -> list[tuple[str, dict]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.actor, audit_log.c.payload)
            .where(audit_log.c.event_type == event_type)
            .order_by(audit_log.c.seq)
        ).all()
    return [(r.actor, json.loads(r.payload)) for r in rows]


def _as(key: str, engine):
    info = auth.verify_key(key, engine=engine)
    assert info is not None
    return info.actor()


def test_four_eyes_approval_needs_another_user_not_another_key_name(monitored):
    engine = monitored
    # mallory is an admin with the approver role; bob is the approver she would like to be
    mallory = auth.create_key("mallory", "admin", engine=engine).key
    bob = auth.create_key("bob", "analyst", engine=engine).key
    alerts.add_user("mallory", ["analyst", "approver"], engine=engine)
    alerts.add_user("bob", ["analyst", "approver"], engine=engine)
    acme = _case_of("C-ACME", engine)
    alerts.close(acme, "true_match", "same company", actor=_as(mallory, engine), engine=engine)

    # a key named after the approver: key names are unique
    with pytest.raises(auth.KeyNameTaken):
        auth.create_key("bob", "analyst", engine=engine, actor=_as(mallory, engine))
    # a key of bob's minted by mallory is audited as such and cannot approve what she asked
    minted = auth.create_key("bob-2", "analyst", user="bob", engine=engine, actor=_as(mallory, engine))
    assert minted.user == "bob"
    with pytest.raises(alerts.PermissionDenied, match="four-eyes"):
        alerts.approve(acme, actor=_as(minted.key, engine), engine=engine)
    actor, created = _events(engine, "key.created")[-1]
    assert actor == "mallory" and created["user"] == "bob" and created["for_other_user"] is True
    assert created["by_key_id"] == auth.split_key(mallory)[0]
    assert created["summary"] == "mallory created a key for user bob"
    # a second key of mallory's own is still mallory
    second = auth.create_key("mallory-laptop", "analyst", user="mallory", engine=engine).key
    with pytest.raises(alerts.PermissionDenied, match="same person"):
        alerts.approve(acme, actor=_as(second, engine), engine=engine)
    # the CLI's --as is a user name: mallory is mallory
    with pytest.raises(alerts.PermissionDenied, match="four-eyes"):
        alerts.approve(acme, actor="mallory", engine=engine)
    assert alerts.get_case(acme, engine=engine)["state"] == "pending_approval"
    # bob with his own key: another person with the approver role
    done = alerts.approve(acme, actor=_as(bob, engine), engine=engine)
    assert done["approved"] is True and done["state"] == "closed"
    case = alerts.get_case(acme, engine=engine)
    assert (case["closed_by"], case["approved_by"]) == ("mallory", "bob")


def test_key_minted_for_a_user_cannot_ask_for_its_minter_either(monitored):
    """The mirror attack: mallory asks with a key she minted for bob, then approves herself."""
    engine = monitored
    mallory = auth.create_key("mallory", "admin", engine=engine).key
    auth.create_key("bob", "analyst", engine=engine)
    alerts.add_user("mallory", ["approver"], engine=engine)
    alerts.add_user("bob", ["analyst"], engine=engine)
    as_bob = auth.create_key(
        "bob-by-mallory", "analyst", user="bob", engine=engine, actor=_as(mallory, engine)
    )
    ivan = _case_of("C-IVAN", engine)
    alerts.request_release(ivan, "licence", actor=_as(as_bob.key, engine), engine=engine)
    with pytest.raises(alerts.PermissionDenied, match="four-eyes"):
        alerts.approve(ivan, actor=_as(mallory, engine), engine=engine)


def test_false_positive_of_a_blocking_match_needs_an_approver(monitored):
    engine = monitored
    alerts.add_user("alice", ["analyst", "approver"], engine=engine)  # an approver too: still not alone
    alerts.add_user("bob", ["analyst", "approver"], engine=engine)
    for subject in ("C-ACME", "C-IVAN"):
        case_id = _case_of(subject, engine)
        [alert] = alerts.get_case(case_id, engine=engine)["alerts"]
        assert alert["decision"] == "block"
        result = alerts.close(
            case_id, "false_positive", "not them", actor="alice", whitelist=True, engine=engine
        )
        assert result["state"] == "pending_approval" and result["whitelisted"] == []
        assert result["pending_action"] == "close_false_positive" and result["pending_whitelist"]
        # the entry exists but suppresses nothing yet: monitoring raises the pair again
        [entry] = [e for e in goodguys.list_entries(engine=engine) if e["case_id"] == case_id]
        assert entry["active"] is False and entry["pending"] is True
        with pytest.raises(alerts.PermissionDenied, match="four-eyes"):
            alerts.approve(case_id, actor="alice", engine=engine)
    stats = monitor.run(full=True, engine=engine)
    assert stats.alerts_suppressed == 0
    acme, ivan = _case_of("C-ACME", engine), _case_of("C-IVAN", engine)
    alerts.approve(acme, actor="bob", engine=engine)
    alerts.approve(ivan, actor="bob", reject=True, reason="same birth date: not cleared", engine=engine)
    entries = {e["case_id"]: e for e in goodguys.list_entries(engine=engine)}
    assert entries[acme]["active"] is True and entries[acme]["approved_by"] == "bob"
    assert entries[ivan]["active"] is False and "refused by bob" in entries[ivan]["lapse_reason"]
    assert alerts.get_case(acme, engine=engine)["disposition"] == "false_positive"
    assert alerts.get_case(ivan, engine=engine)["state"] == "in_review"


def test_review_level_false_positive_is_closed_by_one_analyst(db, store_list):
    """Below the block threshold one analyst still closes (the rule is for blocking matches)."""
    from proscribe.screen import get_index, screen

    store_list(1, db)
    index = get_index(refresh=True)
    strong = screen({"schema": "Company", "properties": {"name": ["Oceanic Shadow Shipping"]}}, index=index)
    assert strong["results"], strong
    # the same pair as a review-level result (below the block threshold, not a match)
    weak = {**strong, "decision": "review", "results": [dict(strong["results"][0], score=0.6, match=False)]}
    alerts.raise_for_result("customer", "C-WEAK", "h1", weak, trigger="test", index=index)
    [case] = alerts.list_cases(engine=db)
    done = alerts.close(case["id"], "false_positive", "other firm", actor="alice", whitelist=True, engine=db)
    assert done["state"] == "closed" and len(done["whitelisted"]) == 1


def test_store_migration_turns_key_names_and_case_users_into_users(proscribe_home):
    """A store written before users existed: key names and case users become users, duplicate
    key names are made unique, and the old keys keep working."""
    from sqlalchemy import create_engine

    from proscribe.store.db import connect

    proscribe_home.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{proscribe_home / 'old.db'}"
    old = create_engine(url)
    salt, secret = "s" * 32, "secret"
    digest = auth._digest(salt, secret)
    with old.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE api_keys (id VARCHAR(32) PRIMARY KEY, name TEXT NOT NULL, role VARCHAR(20) NOT NULL,"
                " salt VARCHAR(32) NOT NULL, key_hash VARCHAR(64) NOT NULL, created_at VARCHAR(32) NOT NULL,"
                " revoked_at VARCHAR(32), rate_limit FLOAT)"
            )
        )
        conn.execute(
            text(
                "CREATE TABLE case_users (name VARCHAR(100) PRIMARY KEY, roles VARCHAR(100) NOT NULL, created_at VARCHAR(32) NOT NULL)"
            )
        )
        for key_id, name, stamp in (
            ("k1", "bob", "2024-01-01"),
            ("k2", "bob", "2024-02-01"),
            ("k3", "carol", "2024-03-01"),
        ):
            conn.execute(
                text("INSERT INTO api_keys VALUES (:i, :n, 'analyst', :s, :h, :c, NULL, NULL)"),
                {"i": key_id, "n": name, "s": salt, "h": digest, "c": stamp},
            )
        conn.execute(text("INSERT INTO case_users VALUES ('bob', 'analyst,approver', '2024-01-01')"))
        conn.execute(text("INSERT INTO case_users VALUES ('dora', 'approver', '2024-01-01')"))
    old.dispose()
    engine = connect(url)
    keys = {k["id"]: k for k in auth.list_keys(engine=engine)}
    assert keys["k1"]["name"] == "bob" and keys["k2"]["name"] == "bob #k2"
    assert keys["k1"]["user"] == keys["k2"]["user"] == "bob" and keys["k3"]["user"] == "carol"
    info = auth.verify_key(f"psk_k2_{secret}", engine=engine)
    assert info is not None and info.user_name == "bob"
    with engine.connect() as conn:
        assert alerts.user_roles(conn, "bob") == {"analyst", "approver"}
        assert alerts.user_roles(conn, "dora") == {"approver"}
    with pytest.raises(auth.KeyNameTaken):
        auth.create_key("carol", "analyst", engine=engine)
