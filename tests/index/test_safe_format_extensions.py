"""Sets in the safe format: stored and read back as sets, alone, in lists and as dict values;
what was stored before (frozensets, tuples) reads back as it did."""

from __future__ import annotations

import numpy as np
import pytest

from proscribe.index import safe_format


def test_sets_round_trip_as_sets():
    value = {
        "single": {1, 2, 3},
        "empty": set(),
        "keys": {0: {("person", 0)}, 5: {("person", 1), ("joint", 2)}, 7: set()},
        "mixed": [{"a", "b"}, frozenset({1}), (1, 2), [3]],
        "counted": {4, 9},
    }
    back = safe_format.loads(safe_format.dumps(value, {}), {})
    assert back == value
    assert type(back["single"]) is set and type(back["empty"]) is set
    assert all(type(v) is set for v in back["keys"].values())
    assert [type(v) for v in back["mixed"]] == [set, frozenset, tuple, list]


def test_frozensets_and_tuples_are_stored_as_before():
    value = [frozenset({1, 2}), frozenset()]
    data = safe_format.dumps({"f": value, "t": (1, "x"), "a": np.arange(3)}, {})
    back = safe_format.loads(data, {})
    assert back["f"] == value and all(type(v) is frozenset for v in back["f"])
    assert back["t"] == (1, "x") and back["a"].tolist() == [0, 1, 2]


def test_an_unknown_sequence_kind_is_refused():
    import io

    with np.load(io.BytesIO(safe_format.dumps([{1}, {2}], {})), allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    meta = bytes(arrays["meta"]).replace(b'"k": "set"', b'"k": "sett"')
    assert meta != bytes(arrays["meta"])
    arrays["meta"] = np.frombuffer(meta, dtype=np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, allow_pickle=False, **arrays)
    with pytest.raises(safe_format.UnsafeFormatError):
        safe_format.loads(buffer.getvalue(), {})
