"""The chaos harness of the store tests and of ``bench/chaos_bench.py``: real CLI subprocesses on
a copy of a real store, killed with SIGKILL at seeded points, then checked.

A store is *whole* when the keyed audit chain verifies against its signed checkpoints (with the
screening and payment cross-checks) and every list snapshot holds as many entity rows as it says
and has its ``list.import`` audit record. :func:`kill_sweep` runs an operation once to its end on
one copy (the reference, and its duration), then on another copy kills it at points spread over
that duration, checking the store after each kill, and lets a last run finish.
"""

from __future__ import annotations

import importlib.util
import json
import os
import pwd
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROSCRIBE = str(ROOT / ".venv" / "bin" / "proscribe")


def _load_kill_helper():
    spec = importlib.util.spec_from_file_location("chaos_kill", ROOT / "scripts" / "chaos_kill.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["chaos_kill"] = module
    spec.loader.exec_module(module)
    return module


chaos = _load_kill_helper()


# -- the store under test --------------------------------------------------------------------------


def chaos_env(home: Path) -> dict[str, str]:
    """The environment of every subprocess: its own home, only the UN list bundled (a smaller
    index, so an operation is seconds), a checkpoint on every commit (the strictest anchor)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROSCRIBE_")}
    env.update(
        PROSCRIBE_HOME=str(home),
        PROSCRIBE_BUNDLED="un_sc_sanctions",
        PROSCRIBE_AUDIT_CHECKPOINT_INTERVAL_S="0",
    )
    return env


def proscribe(home: Path, *args: str, preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PROSCRIBE, *args], env=chaos_env(home), capture_output=True, text=True, timeout=300,
        preexec_fn=preexec,
    )


def copy_home(base: Path, where: Path) -> Path:
    shutil.copytree(base, where, symlinks=True)
    return where


def rows(home: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{home / 'proscribe.db'}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def verify_store(home: Path, when: str, *, cli: bool = False) -> None:
    """The audit chain verifies (the function behind ``audit verify``; with ``cli`` the command
    itself, exit 0) and snapshots are whole: each snapshot's stored entity rows are as many as it
    says, and each has its ``list.import`` audit record."""
    if cli:
        done = proscribe(home, "audit", "verify")
        assert done.returncode == 0, f"{when}: audit verify failed:\n{done.stdout}{done.stderr}"
    else:
        from proscribe import audit
        from proscribe.store.db import connect

        engine = connect(f"sqlite:///{home / 'proscribe.db'}")
        try:
            report = audit.verify(engine=engine)
        finally:
            engine.dispose()
        assert report.ok, f"{when}: audit verify failed: {report}"
    for snapshot_id, dataset, count, stored in rows(
        home,
        "SELECT s.id, s.dataset, s.entity_count, (SELECT count(*) FROM entities e WHERE "
        "e.snapshot_id = s.id) FROM snapshots s",
    ):
        assert count == stored, f"{when}: snapshot {snapshot_id} of {dataset} is half written"
    recorded = {
        json.loads(payload)["snapshot"]
        for (payload,) in rows(home, "SELECT payload FROM audit_log WHERE event_type = 'list.import'")
    }
    snapshot_ids = {snapshot_id for (snapshot_id,) in rows(home, "SELECT id FROM snapshots")}
    assert snapshot_ids <= recorded, f"{when}: snapshots {sorted(snapshot_ids - recorded)} have no audit record"


def startup_seconds(home: Path) -> float:
    """How long the CLI takes to start and do nothing: a kill before that tests nothing."""
    return chaos.run_whole([PROSCRIBE, "lists", "show", "--help"], env=chaos_env(home)).elapsed


def kill_sweep(
    base: Path, tmp_path: Path, name: str, args: list[str], seed: int, kills: int, same: str
) -> tuple[Path, Path, list[tuple[float, bool]]]:
    """The reference run on one copy of ``base``; then the kills at seeded points spread over the
    reference's duration (after the CLI's start), one attempt after another on another copy, as
    an operator restarts a crashed command, with a verify after each. An attempt that ended by
    itself finished the operation: that copy must hold what the reference holds (the rows of the
    ``same`` query), and the next point starts on a fresh copy, so every point cuts a real run.
    The last copy is run to its end and compared too."""
    reference = copy_home(base, tmp_path / f"{name}-reference")
    whole = chaos.run_whole([PROSCRIBE, *args], env=chaos_env(reference))
    assert whole.returncode == 0, whole.stderr
    verify_store(reference, f"{name}: the reference run")
    expected = rows(reference, same)
    copies = 0
    home = copy_home(base, tmp_path / f"{name}-killed-{copies}")
    outcomes = []
    start = min(startup_seconds(home), whole.elapsed / 2)
    for point in chaos.kill_points(whole.elapsed, kills, seed, start=start):
        result = chaos.run_killed([PROSCRIBE, *args], point, env=chaos_env(home))
        outcomes.append((point, result.killed))
        verify_store(home, f"{name}: after SIGKILL at {point}s")
        if not result.killed:
            assert result.returncode == 0, result.stderr
            assert rows(home, same) == expected, f"{name}: the run after kills differs from the reference"
            copies += 1
            home = copy_home(base, tmp_path / f"{name}-killed-{copies}")
    final = chaos.run_whole([PROSCRIBE, *args], env=chaos_env(home))
    assert final.returncode == 0, final.stderr
    verify_store(home, f"{name}: after the run that followed the kills", cli=True)
    assert rows(home, same) == expected, f"{name}: the run after kills differs from the reference"
    assert any(killed for _, killed in outcomes), f"{name}: no kill landed while the command ran: {outcomes}"
    return reference, home, outcomes


def make_base(home: Path, *, listed_customers: int = 100, plain_customers: int = 100) -> Path:
    """A store with the bundled UN list, its index, an operator mapped to this OS login, and a
    book of customers: listed names from the list itself, and ordinary company names."""
    home.mkdir(parents=True)
    mapping = home / "os_users.toml"
    login = pwd.getpwuid(os.getuid()).pw_name
    mapping.write_text(f'[os_users]\n"{login}" = {{ user = "chaos-operator", role = "admin" }}\n')
    mapping.chmod(0o600)
    done = proscribe(home, "lists", "import", "--bundled", "un_2026-08-01")
    assert done.returncode == 0, done.stderr
    listed = [c for (c,) in rows(home, f"SELECT caption FROM entities ORDER BY entity_id LIMIT {listed_customers}")]
    ordinary = ["Harbour", "Meadow", "Granite", "Linden", "Copper", "Willow", "Summit", "Orchard"]
    trades = ["Dental Partners", "Freight Services", "Bakery", "Textiles", "Solar Farms"]
    plain = [f"{a} {b} {t}" for t in trades for a in ordinary for b in ordinary if a != b]
    lines = ["id,schema,name,country"]
    lines += [f'listed-{i:04d},LegalEntity,"{name}",' for i, name in enumerate(listed)]
    lines += [f"plain-{i:04d},Company,{name} {i},gb" for i, name in enumerate(plain[:plain_customers])]
    book = home.parent / f"{home.name}-book.csv"
    book.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = proscribe(home, "book", "import", str(book))
    assert done.returncode == 0, done.stderr
    done = proscribe(home, "index")
    assert done.returncode == 0, done.stderr
    return home


def payment_files(folder: Path, listed: list[str], count: int) -> None:
    """``count`` distinct JSON payments: every fifth pays a listed party, the rest ordinary firms."""
    template = json.loads((ROOT / "data" / "samples" / "payments" / "json_clean.json").read_text())
    folder.mkdir(parents=True)
    for i in range(count):
        message = json.loads(json.dumps(template))
        message["message_id"] = f"CHAOS-{i:05d}"
        message["end_to_end_id"] = f"E2E-{i:05d}"
        message["amount"] = f"{100 + i}.00"
        if i % 5 == 0:
            message["creditor"] = {"name": listed[i % len(listed)]}
        (folder / f"pay-{i:05d}.json").write_text(json.dumps(message), encoding="utf-8")
