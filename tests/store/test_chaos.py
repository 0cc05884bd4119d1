"""Issue 15, chaos: a list import survives SIGKILL anywhere; a full disk and a read-only store
fail clearly and leave nothing behind; a checkpoint never names an uncommitted record.

Every operation is the real CLI (``.venv/bin/proscribe``) in a subprocess on a copy of a store
holding the bundled UN list (``chaos_support``). The import is first run whole on one copy (the
reference and its measured duration); then on another copy it is killed with SIGKILL at seeded
points spread over that duration, one attempt after another as an operator would restart it, and
finally run to its end. After every kill the store must verify and every snapshot be whole; after
the last run it holds exactly what the reference holds. ``bench/chaos_bench.py`` sweeps more
points. The payment batch and the monitoring run are in ``test_chaos_runs.py``.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from chaos_support import (
    PROSCRIBE,
    chaos,
    chaos_env,
    copy_home,
    kill_sweep,
    payment_files,
    proscribe,
    rows,
    verify_store,
)

SEED = 15
KILLS = 2


# -- SIGKILL ---------------------------------------------------------------------------------------


def test_list_import_killed_at_any_point_leaves_the_old_or_the_whole_new_snapshot(chaos_base, tmp_path):
    query = "SELECT dataset, source_sha256, entity_count FROM snapshots ORDER BY dataset, id"
    args = ["lists", "import", "--bundled", "ca_2025-03-20"]
    reference, home, _ = kill_sweep(chaos_base, tmp_path, "import", args, SEED, KILLS, query)
    assert len(rows(home, query)) == len(rows(chaos_base, query)) + 1  # one new snapshot, whole, not two


def _try_mount() -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    import tempfile

    where = tempfile.mkdtemp(prefix="chaos-mount-")
    try:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", where],
                            capture_output=True).returncode == 0
        if ok:
            subprocess.run(["umount", where], check=True)
        return ok
    finally:
        os.rmdir(where)


class SmallDisk:
    """A tmpfs of a given size (a real ENOSPC) when this process may mount one; else the home on
    the ordinary disk with RLIMIT_FSIZE in the child as a stand-in (EFBIG past the limit)."""

    def __init__(self, where: Path, spare_bytes: int):
        self.where = where
        self.spare = spare_bytes
        self.mounted = False
        self.limit: int | None = None

    def fill_with(self, base: Path, *, with_index: bool = False) -> Path:
        """A copy of ``base`` on this disk (its screening index too with ``with_index``)."""
        self.where.mkdir(parents=True)
        skip = set() if with_index else {"index"}
        used = sum(p.stat().st_size for p in base.rglob("*") if p.is_file() and not skip & set(p.parts))
        if _try_mount():
            size = used + self.spare
            subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(self.where)], check=True)
            self.mounted = True
        else:
            self.limit = (base / "proscribe.db").stat().st_size + self.spare
        home = self.where / "home"
        home.mkdir()
        for item in base.iterdir():
            if item.name not in skip:
                (shutil.copytree if item.is_dir() else shutil.copy2)(item, home / item.name)
        return home

    def preexec(self) -> Callable[[], None] | None:
        if self.limit is None:
            return None
        limit = self.limit
        return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    def read_only(self) -> None:
        if self.mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(self.where)], check=True)
        else:
            for path in sorted(self.where.rglob("*"), reverse=True):
                path.chmod(path.stat().st_mode & ~0o222)

    def close(self) -> None:
        if self.mounted:
            subprocess.run(["umount", str(self.where)], check=False)


@pytest.fixture
def small_disk(tmp_path):
    disks: list[SmallDisk] = []

    def make(spare_bytes: int) -> SmallDisk:
        disk = SmallDisk(tmp_path / f"disk{len(disks)}", spare_bytes)
        disks.append(disk)
        return disk

    yield make
    for disk in disks:
        disk.close()


def _whole_state(home: Path) -> dict[str, list[tuple]]:
    return {
        table: rows(home, f"SELECT * FROM {table} ORDER BY 1")
        for table in ("snapshots", "audit_log", "audit_meta", "payment_decisions")
    }


def test_a_full_disk_fails_the_import_clearly_and_leaves_no_partial_state(chaos_base, small_disk):
    disk = small_disk(spare_bytes=96 * 1024)
    home = disk.fill_with(chaos_base)
    before = _whole_state(home)
    done = proscribe(home, "lists", "import", "--bundled", "ofac_sdn_2024-05-03", preexec=disk.preexec())
    assert done.returncode != 0
    message = (done.stdout + done.stderr).lower()
    assert "disk" in message or "full" in message or "too large" in message, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    disk.limit = None  # verify without the stand-in limit: reading needs no room
    assert _whole_state(home) == before
    verify_store(home, "after the import that found the disk full")


def test_a_read_only_store_refuses_to_write_clearly_and_is_left_unchanged(chaos_base, small_disk, tmp_path):
    disk = small_disk(spare_bytes=4 * 1024 * 1024)
    home = disk.fill_with(chaos_base, with_index=True)
    proscribe(home, "audit", "verify")  # settle the WAL into the database file first
    before = _whole_state(home)
    disk.read_only()
    folder = tmp_path / "ro-payments"
    payment_files(folder, ["Nobody Listed"], 3)
    done = proscribe(home, "lists", "import", "--bundled", "ca_2025-03-20")
    assert done.returncode != 0, f"an import on a read-only store exited 0:\n{done.stdout}"
    assert "the store is read-only" in done.stdout + done.stderr, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    done = proscribe(home, "payments", "screen", str(folder))
    assert "screened 3 message(s)" in done.stderr, done.stderr  # the run ends; no crash
    assert done.returncode == 1 and "could not be recorded" in done.stderr, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) == 3, done.stdout + done.stderr
    for line in lines:  # a payment that cannot be recorded is held, saying why, never passed
        assert line["decision"] == "hold", line
        detail = line["reasons"][0]["detail"]
        assert "readonly database" in detail and "not recorded" in detail, detail
    assert _whole_state(home) == before


# -- the kill between a checkpoint and its commit ---------------------------------------------------


def test_kill_after_the_checkpoint_of_a_commit_is_never_read_as_a_truncated_trail(chaos_base, tmp_path):
    """The named point: the signed checkpoint of a commit is in its file and the process is still
    handing it to the external witness. The witness file is a FIFO nobody reads, so the process
    waits right there; SIGKILL then. A checkpoint must only ever name records already committed,
    so the store verifies, and the import, run again, records its snapshot once."""
    home = copy_home(chaos_base, tmp_path / "witness-killed")
    checkpoints = home / "audit" / "checkpoints.jsonl"
    witness = tmp_path / "witness.fifo"
    os.mkfifo(witness)
    env = {**chaos_env(home), "PROSCRIBE_AUDIT_WITNESS_FILE": str(witness)}
    first = checkpoints.stat().st_size
    result = chaos.run_killed_when(
        [PROSCRIBE, "lists", "import", "--bundled", "ca_2025-03-20"],
        lambda: checkpoints.stat().st_size > first,
        env=env,
        timeout=120,
    )
    assert result.killed, f"the import ended before its checkpoint was written: {result.stderr}"
    verify_store(home, "after SIGKILL between a checkpoint and its commit")
    done = proscribe(home, "lists", "import", "--bundled", "ca_2025-03-20")
    assert done.returncode == 0, done.stderr
    verify_store(home, "after the import ran again", cli=True)
    assert len(rows(home, "SELECT id FROM snapshots WHERE dataset = 'ca_dfatd_sema_sanctions'")) == 1
