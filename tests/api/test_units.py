"""In-process units of the service: settings precedence, the record writer, keys and limits."""

from __future__ import annotations

import asyncio

import pytest

from proscribe.api import auth
from proscribe.api.config import ServiceSettings
from proscribe.api.records import RecordWriteError, RecordWriter, make_row, new_id


def test_settings_file_then_environment_then_flags(proscribe_home, monkeypatch):
    assert ServiceSettings.load().port == 8000  # zero configuration
    (proscribe_home / "service.toml").write_text(
        "[service]\nport = 9001\nmax_body_bytes = 1000\nworkers = 3\n"
    )
    monkeypatch.setenv("PROSCRIBE_MAX_BODY_BYTES", "2000")
    loaded = ServiceSettings.load(workers=2)
    assert (loaded.port, loaded.max_body_bytes, loaded.workers) == (9001, 2000, 2)
    for key, value in loaded.to_env().items():  # what serve hands its worker processes
        monkeypatch.setenv(key, value)
    assert ServiceSettings.load() == loaded
    monkeypatch.setenv("PROSCRIBE_NO_AUTH", "maybe")
    with pytest.raises(ValueError, match="no_auth"):
        ServiceSettings.load()
    monkeypatch.setenv("PROSCRIBE_NO_AUTH", "false")
    (proscribe_home / "service.toml").write_text("[service]\nprot = 1\n")
    with pytest.raises(ValueError, match="unknown service setting"):
        ServiceSettings.load()


def _row(n: int) -> dict:
    return make_row(
        record_id=new_id(),
        key_id="k",
        created_at="2026-01-01T00:00:00",
        query={"n": n},
        snapshot_ids={"x": 1},
        results=[],
        decision="clear",
        engine_version="test",
    )


def test_record_writer_commits_before_returning_and_flushes_on_stop(engine):
    from sqlalchemy import func, select

    from proscribe.store.service_tables import screenings

    writer = RecordWriter(lambda: engine, batch=50, linger_ms=1)
    writer.start()

    async def many():
        await asyncio.gather(*(writer.write([_row(n)]) for n in range(200)))
        with engine.connect() as conn:  # every awaited write is already committed
            return conn.execute(select(func.count()).select_from(screenings)).scalar_one()

    assert asyncio.run(many()) == 200
    assert writer.transactions < 200  # grouped
    writer.write_sync([_row(1000)])
    writer.stop()
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(screenings)).scalar_one() == 201


def test_record_writer_failure_fails_the_request():
    class Broken:
        def begin(self):
            raise RuntimeError("disk full")

    writer = RecordWriter(lambda: Broken(), batch=10, linger_ms=0)
    writer.start()
    with pytest.raises(RecordWriteError, match="disk full"):
        asyncio.run(writer.write([_row(1)]))
    writer.stop()


def test_keys_are_hashed_and_verified(engine):
    from sqlalchemy import select

    from proscribe.store.service_tables import api_keys

    created = auth.create_key("t", "analyst", engine=engine)
    with engine.connect() as conn:
        row = conn.execute(select(api_keys)).one()
    secret = created.key.split("_", 2)[2]
    assert secret not in str(tuple(row)) and len(row.key_hash) == 64 and row.salt
    assert auth.verify_key(created.key, engine=engine).role == "analyst"
    assert auth.verify_key(created.key[:-1] + "x", engine=engine) is None
    assert auth.verify_key("psk_nope", engine=engine) is None
    assert auth.revoke_key(created.id, engine=engine) and auth.verify_key(created.key, engine=engine) is None
    assert (
        auth.key_from_headers("ApiKey abc", None) == "abc"
        and auth.key_from_headers("Bearer abc", None) == "abc"
    )
    assert auth.key_from_headers(None, " abc ") == "abc" and auth.key_from_headers("Basic abc", None) is None


def test_rate_limiter_token_bucket():
    limiter = auth.RateLimiter(default_rate=5)
    waits = [limiter.check("k", None) for _ in range(7)]
    assert waits[:5] == [0.0] * 5 and waits[5] > 0
    assert auth.retry_after_header(0.01) == "1" and auth.retry_after_header(2.2) == "3"
    assert limiter.check("other", 100.0) == 0.0
