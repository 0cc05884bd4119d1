"""Issue 19, class 18: a file planted or changed in ``$PROSCRIBE_HOME/index/`` never runs code and
is never loaded; the index is rebuilt from the store instead.

The store holds a small custom list (no bundled lists: ``PROSCRIBE_BUNDLED=none``) so the index
builds in a second; screening runs in a new process, as the next screening after a plant would.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from proscribe.model import Entity
from proscribe.sources.base import ParsedList

DATASET = "test_list"
NAMES = [
    ("1", "Company", "MAHAN AIR"),
    ("2", "Person", "Ivan Petrovich SIDOROV"),
    ("3", "Company", "OCEANIC SHADOW SHIPPING LTD"),
    ("4", "Vessel", "BLUE FALCON"),
]


class _RunsCode:
    """A pickle that, when loaded, writes ``marker`` (what an attacker's payload would do)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').write('code ran')",))


@pytest.fixture
def small_store(proscribe_home, monkeypatch) -> Path:
    from proscribe.store.snapshots import store_parsed

    monkeypatch.setenv("PROSCRIBE_BUNDLED", "none")
    entities = []
    for source_id, schema, name in NAMES:
        entity = Entity(id=f"{DATASET}-{source_id}", schema=schema, dataset=DATASET, source_id=source_id)
        entity.add("name", name)
        entities.append(entity)
    entities[0].add("alias", "MAHAN AIRLINES")
    store_parsed(
        ParsedList(DATASET, entities, published="2026-01-01"),
        format_name="test",
        digest="index-safety-v1".ljust(64, "0"),
        source_label="index safety test list",
        published="2026-01-01",
    )
    return proscribe_home


def _screen_in_new_process(home: Path, name: str) -> subprocess.CompletedProcess:
    script = (
        "import json, sys\n"
        "from proscribe.screen import screen\n"
        f"result = screen({{'id': 'q', 'schema': 'Company', 'properties': {{'name': [{name!r}]}}}})\n"
        "print(json.dumps({'decision': result['decision'], 'ids': [r['id'] for r in result['results']]}))\n"
    )
    env = dict(os.environ, PROSCRIBE_HOME=str(home), PROSCRIBE_BUNDLED="none")
    return subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )


def _index_files(home: Path) -> list[Path]:
    return sorted(
        p for p in (home / "index").iterdir() if p.name.startswith("index-") and ".tmp" not in p.name
    )


def test_planted_pickle_in_the_index_folder_never_runs_code(small_store, tmp_path):
    first = _screen_in_new_process(small_store, "MAHAN AIR")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout.splitlines()[-1])["ids"][0] == f"{DATASET}-1"
    (written,) = _index_files(small_store)
    signature = written.name.split(".", 1)[0]  # index-<signature>
    marker = tmp_path / "marker"
    planted = pickle.dumps(_RunsCode(marker))
    # the index file itself, and every name a loader of the index folder might try
    for suffix in (".npz", ".pkl", ".npy", ".json", ".arrow"):
        (small_store / "index" / f"{signature}{suffix}").write_bytes(planted)
    result = _screen_in_new_process(small_store, "MAHAN AIR")
    assert result.returncode == 0, result.stderr
    assert not marker.exists(), "a planted index file ran code"
    line = json.loads(result.stdout.splitlines()[-1])
    assert line["decision"] != "clear" and line["ids"][0] == f"{DATASET}-1"
    assert "rebuilt" in result.stderr  # the refusal is said, not silent
    # the file now in place is the rebuilt one, with its hash on record
    from proscribe.index import files

    current = small_store / "index" / f"{signature}.npz"
    assert files.recorded_hash(current) == hashlib.sha256(current.read_bytes()).hexdigest()


def test_tampered_index_file_is_rebuilt_never_loaded(small_store, monkeypatch, caplog):
    from proscribe import screen
    from proscribe.index import files

    original = screen.get_index(rebuild=True)
    path = screen.cached_index_file()
    assert path is not None and files.load_index(path) is not None
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit
    path.write_bytes(bytes(data))
    with caplog.at_level("WARNING", logger="proscribe.index"):
        assert files.load_index(path) is None
    assert "changed after it was written" in caplog.text
    monkeypatch.setattr(screen, "_cached", None)  # the next process, in this one
    rebuilt = screen.get_index()
    assert rebuilt is not original and rebuilt.n_forms == original.n_forms
    assert files.recorded_hash(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    assert path.read_bytes() != bytes(data)
    # a file the store has no hash for (copied in from elsewhere) is not loaded either
    other = path.with_name("index-0000000000000000.npz")
    other.write_bytes(path.read_bytes())
    assert files.load_index(other) is None


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b)
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if dataclasses.is_dataclass(a):
        return all(_same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    return a == b


def test_index_file_round_trip_keeps_every_attribute_exactly(small_store, tmp_path):
    from proscribe.index.compiled import CompiledIndex
    from proscribe.screen import get_index

    index = get_index(rebuild=True)
    path = tmp_path / "copy.npz"
    digest = index.save(path)
    assert digest == hashlib.sha256(path.read_bytes()).hexdigest()
    loaded = CompiledIndex.load(path, expected_sha256=digest)
    assert set(vars(loaded)) == set(vars(index))
    for name, value in vars(index).items():
        assert _same(value, getattr(loaded, name)), name


def test_index_file_naming_another_class_or_holding_objects_is_refused(tmp_path):
    from proscribe.index.compiled import CompiledIndex
    from proscribe.index.safe_format import UnsafeFormatError

    def npz(meta: dict, **arrays) -> bytes:
        buffer = io.BytesIO()
        np.savez(buffer, meta=np.frombuffer(json.dumps(meta).encode(), np.uint8), **arrays)
        return buffer.getvalue()

    path = tmp_path / "index-x.npz"
    path.write_bytes(npz({"format": "proscribe-safe-2", "root": {"t": "obj", "cls": "os.system", "f": {}}}))
    with pytest.raises(UnsafeFormatError, match="not allowed"):
        CompiledIndex.load(path)
    holder = np.empty(1, dtype=object)
    holder[0] = _RunsCode(tmp_path / "marker")
    path.write_bytes(npz({"format": "proscribe-safe-2", "root": {"t": "nd", "a": 0}}, a0=holder))
    with pytest.raises(UnsafeFormatError):
        CompiledIndex.load(path)
    assert not (tmp_path / "marker").exists()


def test_a_home_whose_index_folder_cannot_be_made_still_screens_and_says_why(small_store):
    """A read-only (or otherwise unusable) index folder: the index is built in memory and
    screening goes on; the warning names the folder, and nothing ends in a traceback."""
    import shutil

    shutil.rmtree(small_store / "index", ignore_errors=True)
    (small_store / "index").write_text("not a folder")  # mkdir fails here as on a read-only mount
    done = _screen_in_new_process(small_store, "MAHAN AIR")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["decision"] == "block"
    assert f"the index folder {small_store / 'index'} cannot be used" in done.stderr
    assert "Traceback" not in done.stderr
