"""The ownership computation state under ``PROSCRIBE_HOME/ownership/`` can never run code and is
used only when its bytes are the ones recorded in the store: a planted, changed or unreadable
state file is recomputed in full (with a warning), and the result is the right one."""

from __future__ import annotations

import hashlib
import logging
import pickle

import numpy as np
import pytest

from proscribe import settings
from proscribe.ownership import store
from proscribe.ownership.graph import data_from_rows
from proscribe.ownership.regime import REGIME_NAMES, regime_by_name
from proscribe.ownership.regime import compute as compute_regime
from proscribe.ownership.resolve import Resolution

AS_OF = "2026-11-01"


def _rows(seed: int, n: int = 40, m: int = 110) -> list[dict]:
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(m):
        a, b = rng.choice(n, 2, replace=False)
        row = {"owner": f"P{a}", "owned": f"P{b}", "share": float(rng.integers(10, 90))}
        if rng.random() < 0.1:
            row["share"] = ""  # unknown share: review, never block
        if rng.random() < 0.08:
            row["relationship"] = "control"
        rows.append(row)
    return rows


def _import(rows: list[dict], listed: list[str]) -> None:
    data = data_from_rows(rows, as_of=AS_OF)
    resolutions = {pid: Resolution(pid, "block", caption=pid) for pid in listed if pid in data.parties}
    store.save_import(
        data, resolutions, file="rows.csv", sha256=hashlib.sha256(repr(rows).encode()).hexdigest()
    )


def _stored() -> dict[str, dict[str, str]]:
    return {r: {row["party_id"]: row["status"] for row in store.load_derived(r)} for r in REGIME_NAMES}


def _full() -> dict[str, dict[str, str]]:
    """What a computation from nothing gives on the stored data (no state file involved)."""
    data, resolutions = store.load_data()
    context = store.Context(data, resolutions, AS_OF)
    out = {}
    for name in REGIME_NAMES:
        result = compute_regime(regime_by_name(name), context.graph, context.listed, context.uncertain)
        out[name] = {
            context.graph.ids[int(node)]: ("block" if result.status[node] == 2 else "review")
            for node in result.derived()
        }
    return out


class _Planted:
    """A pickle that creates a file when it is loaded (what a planted state would do)."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_planted_ownership_state_file_never_runs_code(tmp_path, caplog):
    _import(_rows(1), ["P0", "P1", "P2"])
    folder = settings.home() / "ownership"
    folder.mkdir(parents=True, exist_ok=True)
    markers = []
    for name in REGIME_NAMES:
        for path in {store._state_path(name), folder / f"state-{name}.pkl"}:
            marker = tmp_path / f"ran-{path.name}"
            markers.append(marker)
            path.write_bytes(pickle.dumps({"version": 3, "result": _Planted(marker)}))
    with caplog.at_level(logging.WARNING):
        out = store.compute(as_of=AS_OF)
    assert not any(marker.exists() for marker in markers), "a planted state file ran code"
    assert all(out[name]["mode"] == "full" for name in REGIME_NAMES)
    assert _stored() == _full()
    assert any("recomputed in full" in r.getMessage() for r in caplog.records)
    # the state written now is trusted again on the next computation
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        out = store.compute(as_of=AS_OF)
    assert out["ofac"]["mode"] == "incremental"
    assert not [r for r in caplog.records if "ownership state" in r.getMessage()]
    assert not any((folder / f"state-{name}.pkl").exists() for name in REGIME_NAMES)


@pytest.mark.parametrize("regime", REGIME_NAMES)
def test_a_changed_ownership_state_file_is_recomputed_not_trusted(regime, caplog):
    from proscribe.index import safe_format

    _import(_rows(2), ["P0", "P3"])
    store.compute(as_of=AS_OF)
    expected = _stored()
    assert any(expected[regime].values()), "the data must derive something"
    path = store._state_path(regime)
    state = safe_format.loads(path.read_bytes(), store._STATE_CLASSES)
    for level in ("certain", "possible"):
        state[level]["member"][:] = False  # a well-formed state saying nothing is blocked
        if "keys" in state[level]:
            state[level]["keys"] = {}
    path.write_bytes(safe_format.dumps(state, store._STATE_CLASSES))
    with caplog.at_level(logging.WARNING):
        out = store.compute(as_of=AS_OF)
    assert out[regime]["mode"] == "full"
    assert _stored() == expected == _full()
    assert any("changed after it was written" in r.getMessage() for r in caplog.records)


def test_an_unreadable_state_file_with_a_recorded_hash_is_recomputed(caplog):
    from proscribe.index import safe_format

    _import(_rows(3), ["P1", "P4"])
    store.compute(as_of=AS_OF)
    expected = _stored()
    for name in REGIME_NAMES:
        path = store._state_path(name)
        data = b"PK\x03\x04 not a state" if name == "ofac" else safe_format.dumps({"version": 99}, {})
        path.write_bytes(data)
        store._record_state(path, hashlib.sha256(data).hexdigest(), len(data))
    with caplog.at_level(logging.WARNING):
        out = store.compute(as_of=AS_OF)
    assert all(out[name]["mode"] == "full" for name in REGIME_NAMES)
    assert _stored() == expected == _full()
    assert any("not a readable state file" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("seed", range(3))
def test_incremental_from_the_saved_state_equals_full_recomputation(seed):
    rng = np.random.default_rng(100 + seed)
    rows = _rows(100 + seed)
    listed = ["P0", "P1"]
    _import(rows, listed)
    store.compute(as_of=AS_OF)
    for step in range(4):
        if step % 2:
            rows = rows[5:] + _rows(200 + seed * 10 + step)[:5]  # the data change: rebase
            _import(rows, listed)
        pid = f"P{int(rng.integers(0, 40))}"
        listed = [p for p in listed if p != pid] if pid in listed else [*listed, pid]
        data, _ = store.load_data()
        store.save_resolutions(
            {p: Resolution(p, "block" if p in listed else "clear", caption=p) for p in data.parties}
        )
        out = store.compute(as_of=AS_OF)
        assert out["ofac"]["mode"] == "incremental", step
        assert _stored() == _full(), (seed, step)
